import type { Services } from '../../services';
import { ADMINS, allow } from '../access';
import { route } from '../route';
import { JobOutcome, JobParams } from '../../contract/mail';

export const jobRoutes = ({ jobs }: Services) => [
  route({
    method: 'post',
    path: '/jobs/:name/run',
    tag: 'Jobs',
    summary: "Run a scheduled job now, for this minute's tick (once across all instances)",
    access: allow(ADMINS),
    params: JobParams,
    response: JobOutcome,
    handler: async ({ params }) => {
      const o = await jobs.run(params.name);
      return { job: o.job, tick: o.tick.toISOString(), ran: o.ran, result: o.result ?? null };
    },
  }),
];

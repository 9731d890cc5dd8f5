import { runAs } from '../../lib/context';
import type { Services } from '../../services';
import { route } from '../route';
import {
  CorrectReportBody,
  GuideTokenOnly,
  ReportBody,
  ReportForm,
  SeniorPick,
  SeniorSearch,
  SessionReport,
} from '../../contract/attendance';
import { IdParams } from '../../contract/common';
import { reportForm, toReport } from '../report-form';

/**
 * The guides' side of attendance: the phone form's data and its answers, through the guide's
 * own signed link (no password). A guide reaches only sessions they are scheduled for or worked.
 */
export const guideReportRoutes = ({ attendance, guideLinks, seniors }: Services) => {
  const asGuide = async <T>(
    token: string,
    sessionId: string | null,
    work: (guideId: string, municipalityId: string) => Promise<T>,
  ): Promise<T> => {
    const guide = await guideLinks.resolve(token, 'access');
    if (sessionId) await attendance.assertGuideOn(guide.id, sessionId);
    return runAs({ type: 'guide', id: guide.id }, () => work(guide.id, guide.municipalityId));
  };
  return [
    route({
      method: 'get',
      path: '/guide/sessions/:id/report-form',
      tag: 'Guide',
      summary: 'What the after-café form needs: seated seniors, guides on the schedule',
      access: 'public',
      params: IdParams,
      query: GuideTokenOnly,
      response: ReportForm,
      handler: async ({ params, query }) =>
        asGuide(query.token, params.id, (guideId) => reportForm({ attendance, seniors }, params.id, { guideId })),
    }),
    route({
      method: 'get',
      path: '/guide/seniors',
      tag: 'Guide',
      summary: "Find a returning walk-in by the start of their name (the guide's municipality, ten at most)",
      access: 'public',
      query: SeniorSearch,
      response: SeniorPick,
      handler: async ({ query }) =>
        asGuide(query.token, null, async (_g, municipalityId) => ({
          items: (
            await seniors.list({
              municipalityId,
              q: query.q,
              nameOnly: true,
              limit: 10,
              offset: 0,
              municipalityIds: [municipalityId],
            })
          ).items.map((s) => ({ id: s.id, displayName: s.displayName })),
        })),
    }),
    route({
      method: 'post',
      path: '/guide/sessions/:id/report',
      tag: 'Guide',
      summary: 'Record attendance after the café, through the guide’s link',
      access: 'public',
      params: IdParams,
      query: GuideTokenOnly,
      body: ReportBody,
      response: SessionReport,
      status: 201,
      handler: async ({ params, query, body }) =>
        asGuide(query.token, params.id, async () =>
          toReport(await attendance.create(params.id, await attendance.fromSeats(params.id, body))),
        ),
    }),
    route({
      method: 'put',
      path: '/guide/sessions/:id/report',
      tag: 'Guide',
      summary: 'Correct it, naming the revision corrected',
      access: 'public',
      params: IdParams,
      query: GuideTokenOnly,
      body: CorrectReportBody,
      response: SessionReport,
      handler: async ({ params, query, body }) =>
        asGuide(query.token, params.id, async () => {
          const { revision, ...input } = body;
          return toReport(await attendance.correct(params.id, await attendance.fromSeats(params.id, input), revision));
        }),
    }),
  ];
};

import { z } from 'zod';
import { GuideTokenQuery } from '../../contract/auth';
import { IdParams } from '../../contract/common';
import { AbsenceBody, AbsenceDateParams, AbsenceResult, AvailabilityPeriodBody, Guide } from '../../contract/people';
import { runAs } from '../../lib/context';
import type { Services } from '../../services';
import type { Affected } from '../../services/absences.service';
import { allow, pathId, ROSTER } from '../access';
import { toGuide } from '../mappers';
import { route } from '../route';

const toResult = (r: { dates: string[]; affected: Affected[] }) => ({
  dates: r.dates,
  affected: r.affected.map((a) => ({ ...a, startsAt: a.startsAt.toISOString() })),
});

/**
 * A guide who cannot come, and when a guide can work: kept by the coordinator or the
 * association's staff, or by the guide themself through their own link (no password).
 */
export const absenceRoutes = ({ absences, guides, guideLinks }: Services) => {
  /** The guide behind a signed access link, acting as themself. */
  const asGuide = async <T>(token: string, work: (guideId: string) => Promise<T>): Promise<T> => {
    const guide = await guideLinks.resolve(token, 'access');
    return runAs({ type: 'guide', id: guide.id }, () => work(guide.id));
  };
  return [
    route({
      method: 'post',
      path: '/guides/:id/absences',
      tag: 'Guides',
      summary:
        'Mark days a guide cannot work (ill, an exam, travel): published cafés then go to others as after a decline',
      access: allow(ROSTER, pathId('guide')),
      params: IdParams,
      body: AbsenceBody,
      response: AbsenceResult,
      status: 201,
      handler: async ({ params, body }) => toResult(await absences.add(params.id, body)),
    }),
    route({
      method: 'post',
      path: '/guides/:id/absences/preview',
      tag: 'Guides',
      summary: 'The cafés an absence would take the guide off (nothing is stored)',
      access: allow(ROSTER, pathId('guide')),
      params: IdParams,
      body: AbsenceBody,
      response: AbsenceResult,
      handler: async ({ params, body }) => toResult(await absences.add(params.id, body, { rehearse: true })),
    }),
    route({
      method: 'delete',
      path: '/guides/:id/absences/:date',
      tag: 'Guides',
      summary: 'Take back a day marked as away (the cafés given up stay given up)',
      access: allow(ROSTER, pathId('guide')),
      params: AbsenceDateParams,
      response: Guide,
      handler: async ({ params }) => {
        await absences.remove(params.id, params.date);
        return toGuide(await guides.get(params.id));
      },
    }),
    route({
      method: 'put',
      path: '/guides/:id/availability',
      tag: 'Guides',
      summary: "Set a guide's weekly windows for a period (a term's timetable); other periods stay",
      access: allow(ROSTER, pathId('guide')),
      params: IdParams,
      body: AvailabilityPeriodBody,
      response: Guide,
      handler: async ({ params, body }) => {
        await absences.setAvailability(params.id, {
          validFrom: body.validFrom ?? null,
          validTo: body.validTo ?? null,
          windows: body.windows,
        });
        return toGuide(await guides.get(params.id));
      },
    }),
    route({
      method: 'post',
      path: '/guide/absences',
      tag: 'Guide',
      summary: 'A guide says, through their own link, that they cannot work some days; their coordinators are told',
      access: 'public',
      query: GuideTokenQuery,
      body: AbsenceBody,
      response: AbsenceResult,
      status: 201,
      handler: ({ query, body }) =>
        asGuide(query.token, async (id) => toResult(await absences.add(id, body, { byGuide: true }))),
    }),
    route({
      method: 'post',
      path: '/guide/absences/preview',
      tag: 'Guide',
      summary: 'Which of their cafés an absence would give up (nothing is stored)',
      access: 'public',
      query: GuideTokenQuery,
      body: AbsenceBody,
      response: AbsenceResult,
      handler: ({ query, body }) =>
        asGuide(query.token, async (id) => toResult(await absences.add(id, body, { rehearse: true }))),
    }),
    route({
      method: 'put',
      path: '/guide/availability',
      tag: 'Guide',
      summary: 'A guide sets, through their own link, when they can work in a period; their coordinators are told',
      access: 'public',
      query: GuideTokenQuery,
      body: AvailabilityPeriodBody,
      response: z.object({ saved: z.literal(true) }),
      handler: ({ query, body }) =>
        asGuide(query.token, async (id) => {
          await absences.setAvailability(
            id,
            { validFrom: body.validFrom ?? null, validTo: body.validTo ?? null, windows: body.windows },
            { byGuide: true },
          );
          return { saved: true as const };
        }),
    }),
  ];
};

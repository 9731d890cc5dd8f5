import { z } from 'zod';
import type { Services } from '../../services';
import { toConflicts, toGuide, toPage, toRegistration, toRegular, toSenior, toWeek } from '../mappers';
import { GuideChanged } from '../../contract/planning';
import { allow, bodyRef, EVERYONE, listScope, pathId, PLANNERS, ROSTER, seesSeniors } from '../access';
import { route } from '../route';
import { IdParams, page } from '../../contract/common';
import {
  CreateGuideBody,
  CreateSeniorBody,
  Guide,
  GuideHours,
  GuideQuery,
  MonthQuery,
  RegisterBody,
  Registration,
  RegistrationQuery,
  Senior,
  SeniorQuery,
  UpdateGuideBody,
  UpdateSeniorBody,
  ComingSession,
  EndRegularBody,
  Regular,
  RegularBody,
  RegularOutcome,
} from '../../contract/people';
import { instantToLocal } from '../../domain/time';
import { WeekParams, WeekView } from '../../contract/week';

export const peopleRoutes = ({ guides, seniors, registrations, regulars, weeks }: Services) => [
  route({
    method: 'post',
    path: '/guides',
    access: allow(ROSTER, bodyRef('associationId', 'association'), bodyRef('municipalityId', 'municipality')),
    tag: 'Guides',
    summary: 'Add a guide to the roster',
    body: CreateGuideBody,
    response: Guide,
    status: 201,
    handler: async ({ body }) => toGuide(await guides.create(body)),
  }),
  route({
    method: 'get',
    path: '/guides',
    access: allow(ROSTER),
    tag: 'Guides',
    summary: 'List guides by platform, language and availability',
    query: GuideQuery,
    response: page(Guide),
    handler: async ({ query }, { principal }) =>
      toPage(await guides.list({ ...query, ...listScope(principal, query.municipalityId) }), toGuide),
  }),
  route({
    method: 'get',
    path: '/guides/:id',
    access: allow(ROSTER, pathId('guide')),
    tag: 'Guides',
    summary: 'Get a guide',
    params: IdParams,
    response: Guide,
    handler: async ({ params }) => toGuide(await guides.get(params.id)),
  }),
  route({
    method: 'patch',
    path: '/guides/:id',
    access: allow(ROSTER, pathId('guide')),
    tag: 'Guides',
    summary: 'Change a guide; a list given replaces the old one',
    params: IdParams,
    body: UpdateGuideBody,
    response: GuideChanged,
    handler: async ({ params, body }) => {
      const changed = await guides.update(params.id, body);
      return { ...toGuide(changed), conflicts: toConflicts(changed.conflicts) };
    },
  }),

  route({
    method: 'post',
    path: '/seniors',
    access: allow(PLANNERS, bodyRef('municipalityId', 'municipality')),
    tag: 'Seniors',
    summary: 'Register a senior (by a coordinator)',
    body: CreateSeniorBody,
    response: Senior,
    status: 201,
    handler: async ({ body }) => toSenior(await seniors.create(body)),
  }),
  route({
    method: 'get',
    path: '/seniors',
    access: allow(PLANNERS),
    tag: 'Seniors',
    summary: 'Find seniors by name or phone',
    query: SeniorQuery,
    response: page(Senior),
    handler: async ({ query }, { principal }) =>
      toPage(
        await seniors.list({ ...query, municipalityIds: listScope(principal, query.municipalityId).municipalityIds }),
        toSenior,
      ),
  }),
  route({
    method: 'get',
    path: '/seniors/:id',
    access: allow(PLANNERS, pathId('senior')),
    tag: 'Seniors',
    summary: 'Get a senior',
    params: IdParams,
    response: Senior,
    handler: async ({ params }) => toSenior(await seniors.get(params.id)),
  }),
  route({
    method: 'patch',
    path: '/seniors/:id',
    access: allow(PLANNERS, pathId('senior')),
    tag: 'Seniors',
    summary: 'Change a senior',
    params: IdParams,
    body: UpdateSeniorBody,
    response: Senior,
    handler: async ({ params, body }) => toSenior(await seniors.update(params.id, body)),
  }),

  route({
    method: 'post',
    path: '/sessions/:id/registrations',
    access: allow(PLANNERS, pathId('session'), bodyRef('seniorId', 'senior')),
    tag: 'Registrations',
    summary: 'Sign a senior up for a session (a full session puts them on the waiting list)',
    params: IdParams,
    body: RegisterBody,
    response: Registration.extend({
      uncovered: z
        .array(
          z.object({
            platform: z.string(),
            couldCome: z.array(z.object({ guideId: z.string(), name: z.string() })),
          }),
        )
        .describe('Platforms the senior brings that no guide on the session knows, and the guides free to come who do'),
    }),
    status: 201,
    handler: async ({ params, body }) => {
      const r = await registrations.register(params.id, body);
      return { ...toRegistration(r), uncovered: r.uncovered };
    },
  }),
  route({
    method: 'get',
    path: '/sessions/:id/registrations',
    access: allow(PLANNERS, pathId('session')),
    tag: 'Registrations',
    summary: "A session's registrations, in queue order",
    params: IdParams,
    query: RegistrationQuery,
    response: z.object({ items: z.array(Registration) }),
    handler: async ({ params, query }) => ({
      items: (await registrations.listForSession(params.id, query.status)).map(toRegistration),
    }),
  }),
  route({
    method: 'get',
    path: '/registrations/:id',
    access: allow(PLANNERS, pathId('registration')),
    tag: 'Registrations',
    summary: 'Get a registration',
    params: IdParams,
    response: Registration,
    handler: async ({ params }) => toRegistration(await registrations.get(params.id)),
  }),
  route({
    method: 'post',
    path: '/registrations/:id/cancel',
    access: allow(PLANNERS, pathId('registration')),
    tag: 'Registrations',
    summary: 'Cancel a registration; the first on the waiting list gets the seat',
    params: IdParams,
    response: Registration,
    handler: async ({ params }) => toRegistration(await registrations.cancel(params.id)),
  }),
  route({
    method: 'post',
    path: '/regulars',
    access: allow(PLANNERS, bodyRef('seniorId', 'senior'), bodyRef('seriesId', 'series')),
    tag: 'Registrations',
    summary:
      'Make a senior a regular of a café: a place in every session from a date (seated where seats allow, else waiting)',
    body: RegularBody,
    response: RegularOutcome,
    status: 201,
    handler: async ({ body }) => {
      const r = await regulars.add(body);
      return { ...r, regular: toRegular(r.regular) };
    },
  }),
  route({
    method: 'post',
    path: '/regulars/:id/end',
    access: allow(PLANNERS, pathId('regular')),
    tag: 'Registrations',
    summary: "End a regular place from a date: the senior's seats from then are cancelled, the waiting lists move",
    params: IdParams,
    body: EndRegularBody,
    response: z.object({ regular: Regular, cancelled: z.number().int() }),
    handler: async ({ params, body }) => {
      const r = await regulars.end(params.id, body.fromDate);
      return { regular: toRegular(r.regular), cancelled: r.cancelled };
    },
  }),
  route({
    method: 'get',
    path: '/seniors/:id/regulars',
    access: allow(PLANNERS, pathId('senior')),
    tag: 'Registrations',
    summary: "A senior's regular places",
    params: IdParams,
    response: z.object({ items: z.array(Regular) }),
    handler: async ({ params }) => ({ items: (await regulars.listForSenior(params.id)).map(toRegular) }),
  }),
  route({
    method: 'get',
    path: '/seniors/:id/sessions',
    access: allow(PLANNERS, pathId('senior')),
    tag: 'Registrations',
    summary: 'The cafés to come a senior is signed up for or waiting for, soonest first',
    params: IdParams,
    response: z.object({ items: z.array(ComingSession) }),
    handler: async ({ params }) => ({
      items: (await regulars.coming(params.id)).map(({ startsAt, endsAt, timeZone, ...s }) => ({
        ...s,
        startTime: instantToLocal(startsAt, timeZone).time,
        endTime: instantToLocal(endsAt, timeZone).time,
      })),
    }),
  }),

  route({
    method: 'get',
    path: '/municipalities/:id/guide-hours',
    access: allow(ROSTER, pathId('municipality')),
    tag: 'Guides',
    summary: "Each guide's hours in a month: on the schedule, and worked as reported",
    params: IdParams,
    query: MonthQuery,
    response: GuideHours,
    handler: async ({ params, query }, { principal }) => ({
      month: query.month,
      items: await guides.monthHours(params.id, query.month, listScope(principal, params.id).associationIds),
    }),
  }),
  route({
    method: 'get',
    path: '/municipalities/:id/weeks/:week',
    access: allow(EVERYONE, pathId('municipality')),
    tag: 'Municipalities',
    summary: "A municipality's week: sessions, seats and the platforms in demand",
    params: WeekParams,
    response: WeekView,
    handler: async ({ params }, { principal }) => {
      const withSeniors = seesSeniors(principal);
      return toWeek(await weeks.week(params.id, params.week, { withSeniors }), { withSeniors });
    },
  }),
];

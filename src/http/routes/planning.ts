import { z } from 'zod';
import type { Services } from '../../services';
import { toChanges, toClosure, toConflicts, toPage, toSeries, toSession } from '../mappers';
import { allow, bodyRef, EVERYONE, listScope, pathId, PLANNERS } from '../access';
import { route } from '../route';
import { IdParams, page } from '../../contract/common';
import {
  ArchiveSeriesBody,
  ChangesPreview,
  CancelBody,
  Closure,
  ClosureBody,
  ClosureQuery,
  ClosureWithChanges,
  CreateSeriesBody,
  CreateSessionBody,
  Series,
  SeriesQuery,
  SeriesChanged,
  SeriesChangePreview,
  SeriesWithChanges,
  Session,
  SessionWithConflicts,
  SessionChanges,
  SessionQuery,
  UpdateSeriesBody,
  UpdateSessionBody,
} from '../../contract/planning';

export const planningRoutes = ({ series, sessions }: Services) => [
  route({
    method: 'post',
    path: '/series',
    access: allow(PLANNERS, bodyRef('venueId', 'venue')),
    tag: 'Series',
    summary: 'Create a recurring café; its sessions are made at once',
    body: CreateSeriesBody,
    response: SeriesWithChanges,
    status: 201,
    handler: async ({ body }) => {
      const r = await series.create(body);
      return { ...toSeries(r.series), changes: toChanges(r.changes) };
    },
  }),
  route({
    method: 'get',
    path: '/series',
    access: allow(EVERYONE),
    tag: 'Series',
    summary: 'List recurring cafés',
    query: SeriesQuery,
    response: page(Series),
    handler: async ({ query }, { principal }) =>
      toPage(
        await series.list({ ...query, municipalityIds: listScope(principal, query.municipalityId).municipalityIds }),
        toSeries,
      ),
  }),
  route({
    method: 'get',
    path: '/series/:id',
    access: allow(EVERYONE, pathId('series')),
    tag: 'Series',
    summary: 'Get a recurring café',
    params: IdParams,
    response: Series,
    handler: async ({ params }) => toSeries(await series.get(params.id)),
  }),
  route({
    method: 'patch',
    path: '/series/:id',
    access: allow(PLANNERS, pathId('series'), bodyRef('venueId', 'venue')),
    tag: 'Series',
    summary: 'Change a recurring café; its future sessions follow',
    params: IdParams,
    body: UpdateSeriesBody,
    response: SeriesChanged,
    handler: async ({ params, body }) => {
      const r = await series.update(params.id, body);
      return { ...toSeries(r.series), changes: toChanges(r.changes), conflicts: toConflicts(r.conflicts) };
    },
  }),

  route({
    method: 'post',
    path: '/series/preview',
    access: allow(PLANNERS, bodyRef('venueId', 'venue')),
    tag: 'Series',
    summary: 'What creating this recurring café would do: the dates it makes and skips (nothing is stored)',
    body: CreateSeriesBody,
    response: ChangesPreview,
    handler: async ({ body }) => ({ changes: toChanges((await series.create(body, true)).changes) }),
  }),
  route({
    method: 'post',
    path: '/series/:id/preview',
    access: allow(PLANNERS, pathId('series'), bodyRef('venueId', 'venue')),
    tag: 'Series',
    summary: 'What this change to a recurring café would do to its future sessions (nothing is stored)',
    params: IdParams,
    body: UpdateSeriesBody,
    response: SeriesChangePreview,
    handler: async ({ params, body }) => {
      const r = await series.update(params.id, body, true);
      return { changes: toChanges(r.changes), conflicts: toConflicts(r.conflicts) };
    },
  }),
  route({
    method: 'post',
    path: '/series/:id/archive',
    access: allow(PLANNERS, pathId('series')),
    tag: 'Series',
    summary: 'End a recurring café: its future sessions go (cancelled where someone is signed up), its past stays',
    params: IdParams,
    body: ArchiveSeriesBody,
    response: SeriesWithChanges,
    handler: async ({ params, body }) => {
      const r = await series.archive(params.id, body.version);
      return { ...toSeries(r.series), changes: toChanges(r.changes) };
    },
  }),
  route({
    method: 'post',
    path: '/series/:id/archive/preview',
    access: allow(PLANNERS, pathId('series')),
    tag: 'Series',
    summary: 'What ending this recurring café would do (nothing is stored)',
    params: IdParams,
    body: ArchiveSeriesBody,
    response: ChangesPreview,
    handler: async ({ params, body }) => ({
      changes: toChanges((await series.archive(params.id, body.version, true)).changes),
    }),
  }),

  route({
    method: 'get',
    path: '/sessions',
    access: allow(EVERYONE),
    tag: 'Sessions',
    summary: 'List sessions by date range, venue and status',
    query: SessionQuery,
    response: page(Session),
    handler: async ({ query }, { principal }) =>
      toPage(
        await sessions.list({ ...query, municipalityIds: listScope(principal, query.municipalityId).municipalityIds }),
        toSession,
      ),
  }),
  route({
    method: 'post',
    path: '/sessions',
    access: allow(PLANNERS, bodyRef('venueId', 'venue')),
    tag: 'Sessions',
    summary: 'Add a one-off session',
    body: CreateSessionBody,
    response: Session,
    status: 201,
    handler: async ({ body }) => toSession(await sessions.createOneOff(body)),
  }),
  route({
    method: 'get',
    path: '/sessions/:id',
    access: allow(EVERYONE, pathId('session')),
    tag: 'Sessions',
    summary: 'Get a session',
    params: IdParams,
    response: Session,
    handler: async ({ params }) => toSession(await sessions.get(params.id)),
  }),
  route({
    method: 'patch',
    path: '/sessions/:id',
    access: allow(PLANNERS, pathId('session'), bodyRef('venueId', 'venue')),
    tag: 'Sessions',
    summary: 'Move or change one session',
    params: IdParams,
    body: UpdateSessionBody,
    response: SessionWithConflicts,
    handler: async ({ params, body }) => {
      const changed = await sessions.update(params.id, body);
      return { ...toSession(changed), conflicts: toConflicts(changed.conflicts) };
    },
  }),
  route({
    method: 'post',
    path: '/sessions/:id/cancel',
    access: allow(PLANNERS, pathId('session')),
    tag: 'Sessions',
    summary: 'Cancel one session, with a reason (it is kept)',
    params: IdParams,
    body: CancelBody,
    response: Session,
    handler: async ({ params, body }) => toSession(await sessions.cancel(params.id, body.reason)),
  }),
  route({
    method: 'post',
    path: '/sessions/:id/restore',
    access: allow(PLANNERS, pathId('session')),
    tag: 'Sessions',
    summary: 'Undo the cancellation of a session',
    params: IdParams,
    response: Session,
    handler: async ({ params }) => toSession(await sessions.restore(params.id)),
  }),

  route({
    method: 'post',
    path: '/closures',
    access: allow(PLANNERS, bodyRef('municipalityId', 'municipality'), bodyRef('venueId', 'venue')),
    tag: 'Closures',
    summary: 'Close a municipality or a venue for a period (e.g. a school break)',
    body: ClosureBody,
    response: ClosureWithChanges,
    status: 201,
    handler: async ({ body }) => {
      const r = await series.addClosure(body);
      return { ...toClosure(r.closure), changes: toChanges(r.changes) };
    },
  }),
  route({
    method: 'post',
    path: '/closures/preview',
    access: allow(PLANNERS, bodyRef('municipalityId', 'municipality'), bodyRef('venueId', 'venue')),
    tag: 'Closures',
    summary: 'The sessions this closure would cancel (nothing is stored)',
    body: ClosureBody,
    response: ChangesPreview,
    handler: async ({ body }) => ({ changes: toChanges((await series.addClosure(body, true)).changes) }),
  }),
  route({
    method: 'get',
    path: '/closures',
    access: allow(EVERYONE),
    tag: 'Closures',
    summary: 'List closures',
    query: ClosureQuery,
    response: page(Closure),
    handler: async ({ query }, { principal }) =>
      toPage(
        await series.listClosures({
          ...query,
          municipalityIds: listScope(principal, query.municipalityId).municipalityIds,
        }),
        toClosure,
      ),
  }),
  route({
    method: 'get',
    path: '/closures/:id',
    access: allow(EVERYONE, pathId('closure')),
    tag: 'Closures',
    summary: 'Get a closure',
    params: IdParams,
    response: Closure,
    handler: async ({ params }) => toClosure(await series.getClosure(params.id)),
  }),
  route({
    method: 'delete',
    path: '/closures/:id',
    access: allow(PLANNERS, pathId('closure')),
    tag: 'Closures',
    summary: 'Remove a closure; the sessions it cancelled come back',
    params: IdParams,
    response: z.object({ changes: SessionChanges }),
    handler: async ({ params }) => ({ changes: toChanges(await series.removeClosure(params.id)) }),
  }),
  route({
    method: 'post',
    path: '/closures/:id/removal/preview',
    access: allow(PLANNERS, pathId('closure')),
    tag: 'Closures',
    summary: 'The sessions removing this closure would bring back (nothing is stored)',
    params: IdParams,
    response: ChangesPreview,
    handler: async ({ params }) => ({ changes: toChanges(await series.removeClosure(params.id, true)) }),
  }),
];

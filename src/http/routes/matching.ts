import { z } from 'zod';
import type { Assignment as AssignmentRow, Plan as PlanRow } from '../../services/records';
import type { Services } from '../../services';
import { allow, bodyRef, EVERYONE, pathId, PLANNERS } from '../access';
import { InSlices, route } from '../route';
import { said } from '../mappers';
import type { Shortfall, Uncovered } from '../../domain/matching';
import type { Candidate } from '../../services/planning.service';
import { IdParams } from '../../contract/common';
import { WeekParams } from '../../contract/week';
import {
  Assignment,
  AssignBody,
  PinBody,
  Plan,
  PlanBody,
  PublishBody,
  PublishResult,
  Substitute,
} from '../../contract/matching';

const toCandidates = (cs: Candidate[]) => cs.map((c) => ({ ...c, why: said(c.why), blockedBy: said(c.blockedBy) }));
const toAssignment = (a: AssignmentRow) => ({
  id: a.id,
  sessionId: a.sessionId,
  guideId: a.guideId,
  status: a.status,
  pinned: a.pinned,
  source: a.source,
  reasons: said(a.reasons),
  response: a.response,
  respondedAt: a.respondedAt?.toISOString() ?? null,
  createdAt: a.createdAt.toISOString(),
});
const PlanSummary = Plan.omit({ assignments: true });
const toPlanSummary = (p: PlanRow) => ({
  id: p.id,
  municipalityId: p.municipalityId,
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  status: p.status,
  seed: p.seed,
  score: p.score as z.infer<typeof Plan>['score'],
  shortfalls: (p.shortfalls as Shortfall[]).map((f) => ({
    ...f,
    reasons: said(f.reasons),
    candidates: f.candidates.map((c) => ({ ...c, blockedBy: said(c.blockedBy) })),
  })),
  uncovered: (p.uncovered as Uncovered[]).map((u) => ({ ...u, reason: said([u.reason])[0] })),
  iterations: p.iterations,
  elapsedMs: p.elapsedMs,
  stoppedEarly: p.stoppedEarly,
  createdAt: p.createdAt.toISOString(),
});
/** A plan with its assignments: a county's are thousands, answered in slices. */
const toPlan = ({ plan, assignments }: { plan: PlanRow; assignments: AssignmentRow[] }) =>
  InSlices.of<z.input<typeof Plan>, 'assignments', AssignmentRow>(
    toPlanSummary(plan),
    'assignments',
    assignments,
    toAssignment,
  );

export const matchingRoutes = ({ planning }: Services) => [
  route({
    method: 'post',
    path: '/municipalities/:id/plans',
    tag: 'Planning',
    summary: 'Plan a period with the matching engine (a draft)',
    access: allow(PLANNERS, pathId('municipality')),
    params: IdParams,
    body: PlanBody,
    response: Plan,
    status: 201,
    handler: async ({ params, body }) => toPlan(await planning.plan(params.id, body)),
  }),
  route({
    method: 'get',
    path: '/plans/:id',
    tag: 'Planning',
    summary: 'A plan with its scores, shortfalls and assignments',
    access: allow(EVERYONE, pathId('plan')),
    params: IdParams,
    response: Plan,
    handler: async ({ params }) => toPlan(await planning.getPlan(params.id)),
  }),
  route({
    method: 'get',
    path: '/municipalities/:id/weeks/:week/plan',
    tag: 'Planning',
    summary:
      'The newest plan covering this week (null if none): its scores, shortfalls and reasons, without its assignments',
    access: allow(EVERYONE, pathId('municipality')),
    params: WeekParams,
    response: z.object({ plan: PlanSummary.nullable() }),
    handler: async ({ params }) => {
      const found = await planning.latestPlanFor(params.id, params.week);
      if (!found) return { plan: null };
      return { plan: toPlanSummary(found) };
    },
  }),
  route({
    method: 'post',
    path: '/municipalities/:id/plans/publish',
    tag: 'Planning',
    summary: "Publish a period's drafts as the schedule",
    access: allow(PLANNERS, pathId('municipality'), bodyRef('planId', 'plan')),
    params: IdParams,
    body: PublishBody,
    response: PublishResult,
    handler: ({ params, body }) => planning.publish(params.id, body.from, body.to, body.planId),
  }),
  route({
    method: 'post',
    path: '/municipalities/:id/plans/publish/preview',
    tag: 'Planning',
    summary: 'What publishing this period would do: how many pass, and which guides get mail (nothing is stored)',
    access: allow(PLANNERS, pathId('municipality'), bodyRef('planId', 'plan')),
    params: IdParams,
    body: PublishBody,
    response: PublishResult,
    handler: ({ params, body }) => planning.publish(params.id, body.from, body.to, body.planId, true),
  }),
  route({
    method: 'get',
    path: '/sessions/:id/assignments',
    tag: 'Planning',
    summary: 'The guides on a session',
    access: allow(EVERYONE, pathId('session')),
    params: IdParams,
    response: z.object({ items: z.array(Assignment) }),
    handler: async ({ params }) => ({ items: (await planning.listForSession(params.id)).map(toAssignment) }),
  }),
  route({
    method: 'post',
    path: '/sessions/:id/assignments',
    tag: 'Planning',
    summary: 'Put a guide on a session by hand (pinned); refused with the reasons if a hard rule would break',
    access: allow(PLANNERS, pathId('session'), bodyRef('guideId', 'guide')),
    params: IdParams,
    body: AssignBody,
    response: Assignment,
    status: 201,
    handler: async ({ params, body }) => toAssignment(await planning.assign(params.id, body.guideId)),
  }),
  route({
    method: 'patch',
    path: '/assignments/:id',
    tag: 'Planning',
    summary: 'Pin or unpin an assignment (pinned ones are kept when re-planning)',
    access: allow(PLANNERS, pathId('assignment')),
    params: IdParams,
    body: PinBody,
    response: Assignment,
    handler: async ({ params, body }) => toAssignment(await planning.setPinned(params.id, body.pinned)),
  }),
  route({
    method: 'delete',
    path: '/assignments/:id',
    tag: 'Planning',
    summary: 'Take a guide off a session',
    access: allow(PLANNERS, pathId('assignment')),
    params: IdParams,
    response: z.object({ removed: z.literal(true) }),
    handler: async ({ params }) => {
      await planning.remove(params.id);
      return { removed: true as const };
    },
  }),
  route({
    method: 'post',
    path: '/assignments/:id/swap',
    tag: 'Planning',
    summary:
      'Put another guide in this place (pinned), in one step; refused with the reasons if a hard rule would break, and then nothing changes',
    access: allow(PLANNERS, pathId('assignment'), bodyRef('guideId', 'guide')),
    params: IdParams,
    body: AssignBody,
    response: Assignment,
    status: 201,
    handler: async ({ params, body }) => toAssignment(await planning.swap(params.id, body.guideId)),
  }),
  route({
    method: 'get',
    path: '/sessions/:id/candidates',
    tag: 'Planning',
    summary: 'Who could join this session, best first (for a session short of guides)',
    access: allow(PLANNERS, pathId('session')),
    params: IdParams,
    response: z.object({ items: z.array(Substitute) }),
    handler: async ({ params }) => ({ items: toCandidates(await planning.candidatesFor(params.id)) }),
  }),
  route({
    method: 'get',
    path: '/assignments/:id/substitutes',
    tag: 'Planning',
    summary: 'Who could take this place, best first',
    access: allow(PLANNERS, pathId('assignment')),
    params: IdParams,
    response: z.object({ items: z.array(Substitute) }),
    handler: async ({ params }) => ({ items: toCandidates(await planning.substitutes(params.id)) }),
  }),
];

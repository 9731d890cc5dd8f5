import { instantToLocal } from '../../domain/time';
import { runAs } from '../../lib/context';
import type { Services } from '../../services';
import type { QueueView, ShownEntry } from '../../services/queue.service';
import { GuideTokenOnly } from '../../contract/attendance';
import { IdParams } from '../../contract/common';
import {
  AddToQueue,
  GuideQueueQuery,
  QueueAnswer,
  QueueEntry,
  QueueEntryParams,
  QueueQuery,
  QueueStep,
} from '../../contract/queue';
import { allow, pathId, ROSTER } from '../access';
import { said } from '../mappers';
import { route } from '../route';

const iso = (d: Date | null) => d?.toISOString() ?? null;

const toEntry = (e: ShownEntry) => ({
  id: e.id,
  kind: e.kind,
  seniorId: e.seniorHidden ? null : e.seniorId,
  name: e.name,
  platform: e.platform,
  topic: e.topic,
  status: e.status,
  guideId: e.guideId,
  createdAt: e.createdAt.toISOString(),
  startedAt: iso(e.startedAt),
  doneAt: iso(e.doneAt),
  doneTopic: e.doneTopic,
  suggestedGuideId: e.suggestedGuideId ?? null,
  suggestionReasons: said(e.suggestionReasons ?? []),
});

const toQueue = (q: QueueView | { version: string; unchanged: true }) =>
  q.unchanged
    ? q
    : {
        version: q.version,
        unchanged: false as const,
        sessionId: q.session.id,
        localDate: q.session.localDate,
        startTime: instantToLocal(q.session.startsAt, q.session.timeZone).time,
        endTime: instantToLocal(q.session.endsAt, q.session.timeZone).time,
        venue: q.venue,
        status: q.session.status,
        guides: q.guides,
        seated: q.seated,
        entries: q.entries.map(toEntry),
      };

/**
 * The live queue at a café, for association staff, coordinators and admins (by login) and for the
 * guides on duty (by their own link, from an hour before the café to three hours after). Viewers
 * never reach it: it names seniors. A guide's link names only that guide's own seniors and visitors.
 */
export const queueRoutes = ({ queue, guideLinks }: Services) => {
  const asGuide = async <T>(token: string, sessionId: string, work: (guideId: string) => Promise<T>): Promise<T> => {
    const guide = await guideLinks.resolve(token, 'access');
    await queue.assertGuideOnDuty(guide.id, sessionId);
    return runAs({ type: 'guide', id: guide.id }, () => work(guide.id));
  };
  return [
    route({
      method: 'get',
      path: '/sessions/:id/queue',
      tag: 'Queue',
      summary: "A café's live queue: who waits, who helps whom, a suggested guide for each waiting visitor",
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      query: QueueQuery,
      response: QueueAnswer,
      handler: async ({ params, query }, { principal }) => {
        await queue.assertStaffMayReach(principal, params.id);
        return toQueue(await queue.read(params.id, query.since));
      },
    }),
    route({
      method: 'post',
      path: '/sessions/:id/queue',
      tag: 'Queue',
      summary: 'Add a walk-in (device, what they need, a first name if given) or check in a senior with a seat',
      access: allow(ROSTER, pathId('session')),
      params: IdParams,
      body: AddToQueue,
      response: QueueEntry,
      status: 201,
      handler: async ({ params, body }, { principal }) => {
        await queue.assertStaffMayReach(principal, params.id);
        return toEntry(await queue.add(params.id, body));
      },
    }),
    route({
      method: 'patch',
      path: '/sessions/:id/queue/:entryId',
      tag: 'Queue',
      summary: 'A guide on duty takes a visitor, marks them done with the topic, or a mistaken step is undone',
      access: allow(ROSTER, pathId('session')),
      params: QueueEntryParams,
      body: QueueStep,
      response: QueueEntry,
      handler: async ({ params, body }, { principal }) => {
        await queue.assertStaffMayReach(principal, params.id);
        return toEntry(await queue.step(params.id, params.entryId, body, null));
      },
    }),
    route({
      method: 'get',
      path: '/guide/sessions/:id/queue',
      tag: 'Guide',
      summary: "The café's live queue through a guide's link: guides on duty, while the café is on",
      access: 'public',
      params: IdParams,
      query: GuideQueueQuery,
      response: QueueAnswer,
      handler: async ({ params, query }) =>
        asGuide(query.token, params.id, async (guideId) =>
          toQueue(await queue.read(params.id, query.since, { guideId })),
        ),
    }),
    route({
      method: 'post',
      path: '/guide/sessions/:id/queue',
      tag: 'Guide',
      summary: "Add a walk-in or check in a senior, through a guide's link",
      access: 'public',
      params: IdParams,
      query: GuideTokenOnly,
      body: AddToQueue,
      response: QueueEntry,
      status: 201,
      handler: async ({ params, query, body }) =>
        asGuide(query.token, params.id, async (guideId) => toEntry(await queue.add(params.id, body, { guideId }))),
    }),
    route({
      method: 'patch',
      path: '/guide/sessions/:id/queue/:entryId',
      tag: 'Guide',
      summary:
        "Take a visitor yourself, mark them done with the topic, or undo a mistaken step, through a guide's link",
      access: 'public',
      params: QueueEntryParams,
      query: GuideTokenOnly,
      body: QueueStep,
      response: QueueEntry,
      handler: async ({ params, query, body }) =>
        asGuide(query.token, params.id, async (guideId) =>
          toEntry(await queue.step(params.id, params.entryId, body, { guideId })),
        ),
    }),
  ];
};

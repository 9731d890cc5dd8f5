import { type EntityManager, In, Not } from 'typeorm';
import {
  Assignment,
  Guide,
  GuidePlatform,
  QueueEntry,
  Registration,
  Senior,
  Session,
  SessionQueue,
  Venue,
} from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, DomainError, NotFoundError, UnprocessableError, ValidationError } from '../domain/errors';
import type { Platform, Topic } from '../domain/vocabulary';
import type { AddToQueueInput, QueueStepInput } from '../contract/queue';
import { audit, auditShown } from './audit';
import { asStoredInstant, contractedAssociations, getOr404, type ServiceDeps } from './support';
import type { Principal } from '../domain/access';
import { lockSession } from './waitlist';

/** A queue entry that is not there (or not at this café): 404 naming the entry, as for an unknown id. */
class QueueEntryNotFoundError extends DomainError {
  readonly kind = 'not_found' as const;
  constructor(id: string) {
    super('not_found', `queue entry ${id} was not found`, [
      { field: 'params.entryId', issue: 'no queue entry with this id at this café' },
    ]);
  }
}

/** From when to when a guide's link reaches a café's queue: an hour before it starts to three hours after it ends. */
export const GUIDE_WINDOW = { beforeMinutes: 60, afterMinutes: 180 };

/** A café is on for its queue from an hour before it starts to three hours after it ends. */
const isOn = (session: Session, now: Date) =>
  now.getTime() >= session.startsAt.getTime() - GUIDE_WINDOW.beforeMinutes * 60_000 &&
  now.getTime() <= session.endsAt.getTime() + GUIDE_WINDOW.afterMinutes * 60_000;

/** An entry as the routes map it: its row, with the name shown and a suggestion where known. */
export type ShownEntry = QueueEntry & { name?: string | null; suggestedGuideId?: string | null };

export interface QueueView {
  version: string;
  unchanged: false;
  session: Session;
  venue: string;
  guides: { guideId: string; name: string; platforms: Platform[]; helping: boolean; helped: number }[];
  seated: { seniorId: string; displayName: string; checkedIn: boolean }[];
  entries: (QueueEntry & { name: string | null; suggestedGuideId: string | null })[];
}

/** Who may act: a guide through their link (only for themself), or a logged-in user of the café. */
export type QueueActor = { guideId: string } | null;

/**
 * The live queue at a café: who is waiting, who helps whom, what is done. All state is on the
 * server (a reload loses nothing); each change raises the café's queue version in the same
 * transaction, so a phone polling with the version it has learns cheaply that nothing changed.
 * Names never go to the log: the audit names entries and fields only.
 */
export class QueueService {
  constructor(private readonly deps: ServiceDeps) {}

  /** A guide reaches a café's queue only when on its published schedule, and only while it is on. */
  async assertGuideOnDuty(guideId: string, sessionId: string): Promise<void> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    const on =
      isOn(session, this.deps.clock.now()) &&
      (await m.existsBy(Assignment, { sessionId, guideId, status: 'published' }));
    if (!on) throw new NotFoundError('session', sessionId);
  }

  /**
   * Association staff reach a café's queue only for a café their association runs, and only
   * while it is on (as guides do): the queue names seniors, which staff see nowhere else.
   * Coordinators and admins plan the cafés and reach them at any time.
   */
  async assertStaffMayReach(principal: Principal, sessionId: string): Promise<void> {
    if (principal.role !== 'association_staff') return;
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    const runs = session.associationId
      ? [session.associationId]
      : await contractedAssociations(m, session.municipalityId, { from: session.localDate, to: session.localDate });
    if (!principal.organisationId || !runs.includes(principal.organisationId) || !isOn(session, this.deps.clock.now()))
      throw new NotFoundError('session', sessionId);
  }

  /**
   * Walk-ins' first names are kept only while the café is on: once its window has closed, they
   * are forgotten, reported or not (run daily with the retention rule). Returns how many.
   */
  async forgetFirstNames(): Promise<number> {
    const now = this.deps.clock.now();
    const closed = new Date(now.getTime() - GUIDE_WINDOW.afterMinutes * 60_000);
    return this.deps.store.transaction(async (m) => {
      const rows = await m
        .createQueryBuilder(QueueEntry, 'q')
        .innerJoin(Session, 's', 's.id = q.session_id')
        .select('q.id', 'id')
        .where('q.first_name IS NOT NULL AND s.ends_at < :closed', { closed: asStoredInstant(m, closed) })
        .getRawMany<{ id: string }>();
      for (let i = 0; i < rows.length; i += 500)
        await m.update(QueueEntry, { id: In(rows.slice(i, i + 500).map((r) => r.id)) }, { firstName: null });
      return rows.length;
    });
  }

  /** The version a phone compares: the queue's own counter and the number of guides on duty. */
  async version(m: EntityManager, sessionId: string): Promise<string> {
    const row = await m.findOneBy(SessionQueue, { sessionId });
    const guides = await m.countBy(Assignment, { sessionId, status: 'published' });
    return `${row?.version ?? 0}.${guides}`;
  }

  async read(sessionId: string, since?: string): Promise<QueueView | { version: string; unchanged: true }> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    const version = await this.version(m, sessionId);
    if (since !== undefined && since === version) return { version, unchanged: true };
    const venue = await m.findOneByOrFail(Venue, { id: session.venueId });
    const entries = await m.find(QueueEntry, {
      where: { sessionId, status: Not('removed') },
      order: { position: 'ASC' },
    });
    const seatedRows = await m.find(Registration, {
      where: { sessionId, status: 'confirmed' },
      select: { id: true, seniorId: true },
    });
    const seniorIds = [...new Set([...seatedRows.map((r) => r.seniorId), ...entries.flatMap((e) => e.seniorId ?? [])])];
    const seniors = seniorIds.length
      ? await m.find(Senior, {
          where: { id: In(seniorIds) },
          select: { id: true, displayName: true, municipalityId: true },
        })
      : [];
    const nameOf = new Map(seniors.map((s) => [s.id, s.displayName]));
    await auditShown(this.deps, 'attendance', seniors);
    const guides = await this.guidesOnDuty(m, sessionId, entries);
    const suggestions = suggest(entries, guides);
    const checkedIn = new Set(entries.flatMap((e) => e.seniorId ?? []));
    return {
      version,
      unchanged: false,
      session,
      venue: venue.name,
      guides,
      seated: seatedRows
        .map((r) => ({
          seniorId: r.seniorId,
          displayName: nameOf.get(r.seniorId) ?? '',
          checkedIn: checkedIn.has(r.seniorId),
        }))
        .sort((a, b) => a.displayName.localeCompare(b.displayName, 'sv')),
      entries: entries.map((e) =>
        Object.assign(e, {
          name: e.seniorId ? (nameOf.get(e.seniorId) ?? null) : e.firstName,
          suggestedGuideId: suggestions.get(e.id) ?? null,
        }),
      ),
    };
  }

  /** A walk-in, or a registered senior with a seat checked in (once). */
  add(sessionId: string, input: AddToQueueInput): Promise<QueueEntry & { name: string | null }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockSession(m, sessionId);
      if (session.status !== 'scheduled')
        throw new ConflictError('session_cancelled', 'A cancelled café has no queue', [
          { field: 'params.id', issue: 'cancelled' },
        ]);
      let name: string | null;
      let fields: Pick<QueueEntry, 'kind' | 'seniorId' | 'platform' | 'topic' | 'firstName'>;
      if (input.kind === 'registered') {
        const seat = await m.findOneBy(Registration, { sessionId, seniorId: input.seniorId, status: 'confirmed' });
        if (!seat)
          throw new UnprocessableError('unknown_reference', 'body.seniorId has no seat at this café', [
            { field: 'body.seniorId', issue: 'not a senior with a seat at this café' },
          ]);
        if (await m.existsBy(QueueEntry, { sessionId, seniorId: input.seniorId, status: Not('removed') }))
          throw new ConflictError('already_checked_in', 'This senior is already checked in', [
            { field: 'body.seniorId', issue: 'already in the queue' },
          ]);
        const senior = await m.findOneOrFail(Senior, {
          where: { id: input.seniorId },
          select: { id: true, devices: true, topics: true, displayName: true },
        });
        name = senior.displayName;
        fields = {
          kind: 'registered',
          seniorId: input.seniorId,
          platform: seat.devices[0]?.platform ?? senior.devices[0]?.platform ?? null,
          topic: seat.topic ?? senior.topics[0] ?? null,
          firstName: null,
        };
      } else {
        fields = {
          kind: 'walk_in',
          seniorId: null,
          platform: input.platform,
          topic: input.topic,
          firstName: input.firstName,
        };
        name = input.firstName;
      }
      const last = await m.findOne(QueueEntry, { where: { sessionId }, order: { position: 'DESC' } });
      const entry = m.create(QueueEntry, {
        id: newId(),
        sessionId,
        position: (last?.position ?? 0) + 1,
        ...fields,
        status: 'waiting',
        guideId: null,
        startedAt: null,
        doneAt: null,
        doneTopic: null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(QueueEntry, entry);
      await this.bump(m, sessionId);
      await audit(m, now, {
        action: input.kind === 'registered' ? 'queue.check_in' : 'queue.walk_in',
        entityType: 'queue_entry',
        entityId: entry.id,
        municipalityId: session.municipalityId,
        fields: Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== null),
      });
      return Object.assign(entry, { name });
    });
  }

  /** The next step of an entry, or a step back. `actor`: a guide through their link takes for themself only. */
  step(sessionId: string, entryId: string, input: QueueStepInput, actor: QueueActor): Promise<QueueEntry> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockSession(m, sessionId);
      const entry = await m.findOneBy(QueueEntry, { id: entryId, sessionId });
      if (!entry || entry.status === 'removed') throw new QueueEntryNotFoundError(entryId);
      const from = entry.status;
      const refuse = (code: string, issue: string): never => {
        throw new ConflictError(code, `This entry is ${from}: ${issue}`, [{ field: 'body.status', issue }]);
      };
      // Through a guide's link, a guide finishes or gives back only the visitors they help.
      const mustBeTheirs = () => {
        if (actor && entry.guideId !== actor.guideId)
          throw new UnprocessableError(
            'not_yourself',
            "Through a guide's link, a guide changes only their own visitors",
            [{ field: 'body.status', issue: 'another guide helps this visitor' }],
          );
      };
      switch (input.status) {
        case 'helping': {
          // Klar by mistake: the same guide helps on.
          if (from === 'done') {
            mustBeTheirs();
            Object.assign(entry, { status: 'helping', doneAt: null, doneTopic: null });
            break;
          }
          const guideId = input.guideId ?? actor?.guideId;
          if (from === 'helping')
            refuse(
              'already_taken',
              entry.guideId === guideId ? 'already helped by this guide' : 'another guide helps already',
            );
          if (!guideId)
            throw new ValidationError('Say which guide helps', [{ field: 'body.guideId', issue: 'required' }]);
          if (actor && guideId !== actor.guideId)
            throw new UnprocessableError(
              'not_yourself',
              "Through a guide's link, a guide takes a visitor for themself",
              [{ field: 'body.guideId', issue: 'must be your own id, or left out' }],
            );
          if (!(await m.existsBy(Assignment, { sessionId, guideId, status: 'published' })))
            throw new UnprocessableError('unknown_reference', 'body.guideId is not a guide on duty at this café', [
              { field: 'body.guideId', issue: 'not a guide on the schedule of this café' },
            ]);
          Object.assign(entry, { status: 'helping', guideId, startedAt: now });
          break;
        }
        case 'done':
          if (from !== 'helping') refuse('queue_step', 'only a visitor someone helps can be done');
          mustBeTheirs();
          Object.assign(entry, { status: 'done', doneAt: now, doneTopic: input.topic });
          break;
        case 'waiting':
          if (from !== 'helping') refuse('queue_step', 'only a visitor someone helps can wait again');
          mustBeTheirs();
          Object.assign(entry, { status: 'waiting', guideId: null, startedAt: null });
          break;
        case 'removed':
          if (from !== 'waiting') refuse('queue_step', 'only a waiting visitor can be removed');
          entry.status = 'removed';
          break;
      }
      entry.updatedAt = now;
      await m.save(entry);
      await this.bump(m, sessionId);
      await audit(m, now, {
        action: `queue.${input.status}`,
        entityType: 'queue_entry',
        entityId: entry.id,
        municipalityId: session.municipalityId,
        fields: ['status'],
      });
      return entry;
    });
  }

  /** What the after-café form starts from: the queue's entries that were not removed. */
  entries(m: EntityManager, sessionId: string): Promise<QueueEntry[]> {
    return m.find(QueueEntry, { where: { sessionId, status: Not('removed') }, order: { position: 'ASC' } });
  }

  private async bump(m: EntityManager, sessionId: string): Promise<void> {
    const row = await m.findOneBy(SessionQueue, { sessionId });
    if (row) await m.update(SessionQueue, { sessionId }, { version: row.version + 1 });
    else await m.insert(SessionQueue, { sessionId, version: 1 });
  }

  private async guidesOnDuty(m: EntityManager, sessionId: string, entries: QueueEntry[]) {
    const on = await m.find(Assignment, {
      where: { sessionId, status: 'published' },
      select: { id: true, guideId: true },
    });
    const ids = on.map((a) => a.guideId);
    if (!ids.length) return [];
    const guides = await m.find(Guide, { where: { id: In(ids) }, select: { id: true, name: true } });
    const platforms = await m.find(GuidePlatform, { where: { guideId: In(ids) } });
    return guides
      .map((g) => ({
        guideId: g.id,
        name: g.name,
        platforms: platforms
          .filter((p) => p.guideId === g.id)
          .map((p) => p.platform)
          .sort(),
        helping: entries.some((e) => e.guideId === g.id && e.status === 'helping'),
        helped: entries.filter((e) => e.guideId === g.id && e.status !== 'waiting').length,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  }
}

/**
 * For each waiting entry, first come first: the free guide (helping nobody now, not suggested
 * for an earlier entry) who knows its platform, where anyone free does, with the fewest helped
 * so far, then by name. None free: no suggestion.
 */
export function suggest(
  entries: Pick<QueueEntry, 'id' | 'status' | 'platform'>[],
  guides: { guideId: string; name: string; platforms: Platform[]; helping: boolean; helped: number }[],
): Map<string, string> {
  const free = guides.filter((g) => !g.helping);
  const out = new Map<string, string>();
  for (const e of entries) {
    if (e.status !== 'waiting' || !free.length) continue;
    const knows = free.filter((g) => e.platform && g.platforms.includes(e.platform));
    const pool = knows.length ? knows : free;
    const best = [...pool].sort((a, b) => a.helped - b.helped || a.name.localeCompare(b.name, 'sv'))[0];
    out.set(e.id, best.guideId);
    free.splice(free.indexOf(best), 1);
  }
  return out;
}

/**
 * The queue as the after-café form's answers: the seated seniors checked in came; each walk-in
 * with their device and topic; who helped whom; topics and platforms of everyone helped (the
 * topic said at Klar, else what they came for).
 */
export function queueAnswers(entries: QueueEntry[], seated: Set<string>) {
  const count = <K extends string>(keys: (K | null)[]) => {
    const out: Partial<Record<K, number>> = {};
    for (const k of keys) if (k) out[k] = (out[k] ?? 0) + 1;
    return out;
  };
  const helped = entries.filter((e) => e.status === 'helping' || e.status === 'done');
  return {
    came: [...new Set(entries.flatMap((e) => (e.seniorId && seated.has(e.seniorId) ? [e.seniorId] : [])))],
    walkIns: entries
      .filter((e) => e.kind === 'walk_in')
      .map((e) => ({ platform: e.platform, topic: e.doneTopic ?? e.topic, helpedByGuideId: e.guideId })),
    helpedBy: entries.flatMap((e) => (e.seniorId && e.guideId ? [{ seniorId: e.seniorId, guideId: e.guideId }] : [])),
    help: {
      topics: count<Topic>(helped.map((e) => e.doneTopic ?? e.topic)),
      platforms: count<Platform>(helped.map((e) => e.platform)),
    },
  };
}

import { createHash } from 'node:crypto';
import { type EntityManager, In, Not } from 'typeorm';
import { Assignment, Guide, QueueEntry, Registration, Senior, Session, SessionQueue, Venue } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, DomainError, NotFoundError, UnprocessableError, ValidationError } from '../domain/errors';
import type { Reason } from '../domain/matching/reasons';
import { type QueueGuide, type QueueVisitor, suggestGuides } from '../domain/pairing';
import type { Platform, Topic } from '../domain/vocabulary';
import type { AddToQueueInput, QueueStepInput } from '../contract/queue';
import { audit, auditShownOnce } from './audit';
import { EXPERIENCED_AFTER, helpedBeforeDate, helpersBefore } from './matching-input';
import { type SeatedPair, sessionPairs } from './pairs';
import { contractedAssociations, getOr404, type ServiceDeps } from './support';
import type { Principal } from '../domain/access';
import { lockSession } from './waitlist';
import { instantParam } from './raw';

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

/** An entry as the routes map it: its row, with the name shown to this reader and a suggestion where known. */
export type ShownEntry = QueueEntry & {
  name: string | null;
  /** Through a guide's link, a senior the guide may not name shows without their id (the entry's id serves). */
  seniorHidden?: boolean;
  suggestedGuideId?: string | null;
  suggestionReasons?: Reason[];
};

export interface QueueView {
  version: string;
  unchanged: false;
  session: Session;
  venue: string;
  guides: { guideId: string; name: string; platforms: Platform[]; helping: boolean; helped: number }[];
  /** Seniors with a seat; displayName null where this reader may not see it. */
  seated: {
    /** The seat's id: what a guide's link checks in by. */
    registrationId: string;
    /** Null through a guide's link for a senior that guide may not name. */
    seniorId: string | null;
    displayName: string | null;
    platforms: Platform[];
    topic: Topic | null;
    checkedIn: boolean;
  }[];
  entries: (ShownEntry & { suggestedGuideId: string | null; suggestionReasons: Reason[] })[];
}

/**
 * Who reads or acts: a guide through their link, or (null) a logged-in user who runs the café
 * (association staff, a coordinator, an admin). A guide takes for themself only, and sees the
 * names of their own seniors only (see `mayName`).
 */
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
        .addSelect('q.session_id', 'sessionId')
        .where('q.first_name IS NOT NULL AND s.ends_at < :closed', { closed: instantParam(m, closed) })
        .getRawMany<{ id: string; sessionId: string }>();
      for (let i = 0; i < rows.length; i += 500)
        await m.update(QueueEntry, { id: In(rows.slice(i, i + 500).map((r) => r.id)) }, { firstName: null });
      // A phone still polling sees the names gone.
      for (const sessionId of new Set(rows.map((r) => r.sessionId))) await bumpQueue(m, sessionId);
      return rows.length;
    });
  }

  /**
   * The version a phone compares. It changes with the queue's own counter (raised by every step
   * in the same transaction) and with what the queue shows besides: the seats (a sign-up, a
   * cancellation, a change of device or topic) and the guides on duty (a guide put on, taken off
   * or swapped), which change the pairing, so a phone sees those within a poll too; and the
   * seated seniors' and duty guides' own rows (a new name or language, an erased senior, a guide's
   * new platforms or languages), which change the names shown and the pairs. Cheap: five small
   * indexed reads of one café's rows, hashed.
   */
  async version(m: EntityManager, sessionId: string): Promise<string> {
    const [row, seats, duty] = await Promise.all([
      m.findOneBy(SessionQueue, { sessionId }),
      m.find(Registration, {
        where: { sessionId, status: 'confirmed' },
        select: { id: true, seniorId: true, updatedAt: true },
        order: { id: 'ASC' },
      }),
      m.find(Assignment, {
        where: { sessionId, status: 'published' },
        select: { id: true, guideId: true, updatedAt: true },
        order: { id: 'ASC' },
      }),
    ]);
    const [seniors, guides] = await Promise.all([
      seats.length
        ? m.find(Senior, {
            where: { id: In(seats.map((r) => r.seniorId)) },
            select: { id: true, version: true, updatedAt: true },
            order: { id: 'ASC' },
          })
        : [],
      duty.length
        ? m.find(Guide, {
            where: { id: In(duty.map((a) => a.guideId)) },
            select: { id: true, version: true, updatedAt: true },
            order: { id: 'ASC' },
          })
        : [],
    ]);
    const digest = createHash('sha256')
      .update(
        JSON.stringify([
          seats.map((r) => [r.id, r.updatedAt.getTime()]),
          duty.map((a) => [a.id, a.guideId, a.updatedAt.getTime()]),
          seniors.map((r) => [r.id, r.version, r.updatedAt.getTime()]),
          guides.map((r) => [r.id, r.version, r.updatedAt.getTime()]),
        ]),
      )
      .digest('hex')
      .slice(0, 12);
    return `${row?.version ?? 0}.${digest}`;
  }

  /**
   * The queue as `reader` may see it. Staff, coordinators and admins (null) see every name: they
   * run check-in. A guide's link names only the seniors the café's pairing gives that guide and
   * the visitors that guide has taken; other seniors with a seat show without a name (device and
   * topic), and can still be checked in with one tap; a walk-in's first name shows only to the
   * guide who takes them. Each name shown is audited once per reader per café.
   */
  async read(
    sessionId: string,
    since?: string,
    reader: QueueActor = null,
  ): Promise<QueueView | { version: string; unchanged: true }> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    const version = await this.version(m, sessionId);
    if (since !== undefined && since === version) return { version, unchanged: true };
    const venue = await m.findOneByOrFail(Venue, { id: session.venueId });
    const entries = await this.entries(m, sessionId);
    const pairs = await this.pairs(m, session);
    const pairOf = new Map(pairs.map((p) => [p.seniorId, p]));
    // A senior checked in whose seat was given up since still has their entry, and their name.
    const unseated = entries.flatMap((e) => (e.seniorId && !pairOf.has(e.seniorId) ? [e.seniorId] : []));
    const nameOf = new Map(pairs.map((p) => [p.seniorId, p.displayName]));
    if (unseated.length)
      for (const s of await m.find(Senior, { where: { id: In(unseated) }, select: { id: true, displayName: true } }))
        nameOf.set(s.id, s.displayName);
    const guides = await this.guidesOnDuty(m, sessionId, entries);
    const suggestions = suggestGuides(await this.visitors(m, session, entries, pairOf), guides);
    const may = mayName(reader, pairOf, entries);
    const checkedIn = new Set(entries.flatMap((e) => e.seniorId ?? []));
    const seats = new Map(
      (
        await m.find(Registration, {
          where: { sessionId, status: 'confirmed' },
          select: { id: true, seniorId: true },
        })
      ).map((r) => [r.seniorId, r.id]),
    );
    const shown = [...new Set([...pairs.map((p) => p.seniorId), ...unseated])].filter(may);
    await auditShownOnce(
      this.deps,
      'queue',
      shown.map((seniorId) => ({ sessionId, seniorId, municipalityId: session.municipalityId })),
    );
    const seated = pairs.map((p) => ({
      registrationId: seats.get(p.seniorId)!,
      seniorId: may(p.seniorId) ? p.seniorId : null,
      displayName: may(p.seniorId) ? p.displayName : null,
      platforms: [...new Set(p.devices.map((d) => d.platform))],
      topic: p.topic,
      checkedIn: checkedIn.has(p.seniorId),
    }));
    // Named first, by name; then the others in the order they signed up (their place says nothing of a name).
    const named = seated.filter((x) => x.displayName !== null);
    named.sort((a, b) => a.displayName!.localeCompare(b.displayName!, 'sv'));
    return {
      version,
      unchanged: false,
      session,
      venue: venue.name,
      guides: guides
        .map(({ id, name, platforms, helping, helped }) => ({ guideId: id, name, platforms, helping, helped }))
        .sort((a, b) => a.name.localeCompare(b.name, 'sv')),
      seated: [...named, ...seated.filter((x) => x.displayName === null)],
      entries: entries.map((e) =>
        Object.assign(e, {
          name: entryName(e, reader, may, nameOf),
          seniorHidden: !!e.seniorId && !may(e.seniorId),
          suggestedGuideId: suggestions.get(e.id)?.guideId ?? null,
          // A shared language or help before would say something of a senior the guide may not name.
          suggestionReasons: (suggestions.get(e.id)?.reasons ?? []).filter(
            (r) => !e.seniorId || may(e.seniorId) || !PERSONAL_REASONS.has(r.code),
          ),
        }),
      ),
    };
  }

  /** A walk-in, or a registered senior with a seat checked in (once). */
  add(sessionId: string, input: AddToQueueInput, actor: QueueActor = null): Promise<ShownEntry> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockSession(m, sessionId);
      if (session.status !== 'scheduled')
        throw new ConflictError('session_cancelled', 'A cancelled café has no queue', [
          { field: 'params.id', issue: 'cancelled' },
        ]);
      let fields: Pick<QueueEntry, 'kind' | 'seniorId' | 'platform' | 'topic' | 'firstName'>;
      if (input.kind === 'registered') {
        const by = input.registrationId !== undefined ? 'registrationId' : 'seniorId';
        if ((input.registrationId === undefined) === (input.seniorId === undefined))
          throw new ValidationError('Give the seat (registrationId) or the senior (seniorId), one of them', [
            { field: 'body.registrationId', issue: 'give registrationId or seniorId, not both' },
          ]);
        const seat = await m.findOneBy(Registration, {
          sessionId,
          status: 'confirmed',
          ...(input.registrationId !== undefined ? { id: input.registrationId } : { seniorId: input.seniorId }),
        });
        if (!seat)
          throw new UnprocessableError('unknown_reference', `body.${by} is not a seat at this café`, [
            { field: `body.${by}`, issue: 'not a senior with a seat at this café' },
          ]);
        if (await m.existsBy(QueueEntry, { sessionId, seniorId: seat.seniorId, status: Not('removed') }))
          throw new ConflictError('already_checked_in', 'This senior is already checked in', [
            { field: `body.${by}`, issue: 'already in the queue' },
          ]);
        const senior = await m.findOneOrFail(Senior, {
          where: { id: seat.seniorId },
          select: { id: true, devices: true, topics: true },
        });
        fields = {
          kind: 'registered',
          seniorId: seat.seniorId,
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
      return this.shown(m, session, entry, actor);
    });
  }

  /** The next step of an entry, or a step back. `actor`: a guide through their link takes for themself only. */
  step(sessionId: string, entryId: string, input: QueueStepInput, actor: QueueActor): Promise<ShownEntry> {
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
          if (actor) await this.assertNotAnothersFree(m, session, entry, actor.guideId);
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
      return this.shown(m, session, entry, actor);
    });
  }

  /**
   * Through a guide's link, a guide does not take a senior the pairing gives another guide on duty
   * who is free: that guide is theirs, and taking them would show their name. Staff may.
   */
  private async assertNotAnothersFree(m: EntityManager, session: Session, entry: QueueEntry, guideId: string) {
    if (!entry.seniorId) return;
    const pair = (await this.pairs(m, session)).find((p) => p.seniorId === entry.seniorId);
    if (!pair?.guideId || pair.guideId === guideId) return;
    const busy = await m.existsBy(QueueEntry, { sessionId: session.id, guideId: pair.guideId, status: 'helping' });
    if (!busy)
      throw new ConflictError('paired_with_other_guide', 'The pairing gives this senior another guide, who is free', [
        { field: 'body.status', issue: 'another free guide on duty is paired with this senior' },
      ]);
  }

  /** What the after-café form starts from: the queue's entries that were not removed. */
  entries(m: EntityManager, sessionId: string): Promise<QueueEntry[]> {
    return m.find(QueueEntry, { where: { sessionId, status: Not('removed') }, order: { position: 'ASC' } });
  }

  private bump(m: EntityManager, sessionId: string): Promise<void> {
    return bumpQueue(m, sessionId);
  }

  /** The café's seated seniors and whom the pairing gives them, by the published schedule (what guides see). */
  private async pairs(m: EntityManager, session: Session): Promise<SeatedPair[]> {
    return (await sessionPairs(m, this.deps.clock.now(), [session], { publishedOnly: true })).get(session.id) ?? [];
  }

  /**
   * One entry as `actor` may see it (the answer to a check-in or a step): its name, or none and no
   * senior id. A senior's name shown is audited once per reader per café, as the queue's are.
   */
  private async shown(m: EntityManager, session: Session, entry: QueueEntry, actor: QueueActor): Promise<ShownEntry> {
    const mine = actor !== null && entry.guideId === actor.guideId;
    if (entry.kind === 'walk_in' || !entry.seniorId)
      return Object.assign(entry, { name: actor === null || mine ? entry.firstName : null, seniorHidden: false });
    if (actor !== null && !mine) {
      const pair = (await this.pairs(m, session)).find((p) => p.seniorId === entry.seniorId);
      if (pair?.guideId !== actor.guideId) return Object.assign(entry, { name: null, seniorHidden: true });
    }
    const senior = await m.findOne(Senior, { where: { id: entry.seniorId }, select: { id: true, displayName: true } });
    if (senior)
      await auditShownOnce(
        this.deps,
        'queue',
        [{ sessionId: session.id, seniorId: senior.id, municipalityId: session.municipalityId }],
        undefined,
        m,
      );
    return Object.assign(entry, { name: senior?.displayName ?? null, seniorHidden: false });
  }

  /** The queue's visitors as the pairing sees them: a seated senior with their pair, a walk-in with their device and topic. */
  private async visitors(
    m: EntityManager,
    session: Session,
    entries: QueueEntry[],
    pairOf: Map<string, SeatedPair>,
  ): Promise<QueueVisitor[]> {
    const waiting = entries.filter((e) => e.status === 'waiting');
    const seniorIds = [...new Set(waiting.flatMap((e) => e.seniorId ?? []))];
    const helped = await helpersBefore(m, seniorIds);
    return waiting.map((e) => {
      const pair = e.seniorId ? pairOf.get(e.seniorId) : undefined;
      const platforms = pair ? [...new Set(pair.devices.map((d) => d.platform))] : [];
      return {
        id: e.id,
        status: e.status,
        senior: {
          id: e.seniorId ?? e.id,
          platforms: platforms.length ? platforms : e.platform ? [e.platform] : [],
          topic: e.topic,
          language: pair?.language ?? null,
          helpedBefore: e.seniorId ? helpedBeforeDate(helped.get(e.seniorId), session.localDate) : [],
        },
        pairedGuideId: pair?.guideId ?? null,
        pairReasons: pair?.reasons ?? [],
      };
    });
  }

  /** The guides on duty (published), as the pairing sees them, with whom they help at this café. */
  private async guidesOnDuty(m: EntityManager, sessionId: string, entries: QueueEntry[]): Promise<QueueGuide[]> {
    const on = await m.find(Assignment, {
      where: { sessionId, status: 'published' },
      select: { id: true, guideId: true },
    });
    const ids = on.map((a) => a.guideId);
    if (!ids.length) return [];
    const guides = await m.find(Guide, {
      where: { id: In(ids) },
      select: { id: true, name: true, topics: true },
      relations: { platforms: true, languages: true },
    });
    const worked = await this.sessionsWorked(m, ids);
    return guides.map((g) => ({
      id: g.id,
      name: g.name,
      platforms: g.platforms.map((p) => p.platform).sort(),
      languages: g.languages.map((l) => l.language),
      topics: g.topics,
      experienced: (worked.get(g.id) ?? 0) >= EXPERIENCED_AFTER,
      helping: entries.some((e) => e.guideId === g.id && e.status === 'helping'),
      helped: entries.filter((e) => e.guideId === g.id && e.status !== 'waiting').length,
    }));
  }

  /** Published cafés each guide has worked (begun, not cancelled), as the pairing counts them (src/services/pairs.ts). */
  private async sessionsWorked(m: EntityManager, guideIds: string[]): Promise<Map<string, number>> {
    const rows = await m
      .createQueryBuilder(Assignment, 'a')
      .innerJoin(Session, 's', 's.id = a.session_id')
      .select('a.guide_id', 'guideId')
      .addSelect('COUNT(*)', 'n')
      .where('a.guide_id IN (:...guideIds)', { guideIds })
      .andWhere("a.status = 'published' AND s.status = 'scheduled' AND s.starts_at < :now", {
        now: instantParam(m, this.deps.clock.now()),
      })
      .groupBy('a.guide_id')
      .getRawMany<{ guideId: string; n: string | number }>();
    return new Map(rows.map((r) => [r.guideId, Number(r.n)]));
  }
}

/** Raises a café's queue version in the caller's transaction: what the queue shows has changed (a step, or first names forgotten). */
export async function bumpQueue(m: EntityManager, sessionId: string): Promise<void> {
  const row = await m.findOneBy(SessionQueue, { sessionId });
  if (row) await m.update(SessionQueue, { sessionId }, { version: row.version + 1 });
  else await m.insert(SessionQueue, { sessionId, version: 1 });
}

/** Reasons that tell of the senior themself (their language, who helped them before). */
const PERSONAL_REASONS = new Set(['pair_language', 'pair_helped_before']);

/**
 * Whose name `reader` may see: everyone's for staff (null); for a guide's link, the seniors the
 * café's pairing gives that guide and the visitors that guide helps or helped. The queue and the
 * after-café form both ask this.
 */
export function mayName(reader: QueueActor, pairOf: Map<string, SeatedPair>, entries: QueueEntry[]) {
  if (reader === null) return () => true;
  const theirs = new Set(entries.flatMap((e) => (e.seniorId && e.guideId === reader.guideId ? [e.seniorId] : [])));
  return (seniorId: string) => theirs.has(seniorId) || pairOf.get(seniorId)?.guideId === reader.guideId;
}

/** An entry's name for `reader`: a senior's display name if they may see it; a walk-in's first name for staff and the guide who takes them. */
function entryName(
  e: QueueEntry,
  reader: QueueActor,
  may: (seniorId: string) => boolean,
  nameOf: Map<string, string>,
): string | null {
  if (e.seniorId) return may(e.seniorId) ? (nameOf.get(e.seniorId) ?? null) : null;
  return reader === null || e.guideId === reader.guideId ? e.firstName : null;
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

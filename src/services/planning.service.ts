import { createHash } from 'node:crypto';
import { type EntityManager, In } from 'typeorm';
import { Assignment, Guide, OutboxMessage, Plan, Session } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { blockers, type EngineInput, type EngineResult, type Reason, reason, strengths } from '../domain/matching';
import type { Planner } from '../lib/planner';
import { reasonText } from '../contract/reasons';
import { isoWeekOf, isoWeekRange } from '../domain/time';
import { audit } from './audit';
import { UNTOLD } from './notices';
import { type Checked, recheck, recheckAhead, storeChecked } from './recheck';
import { ASSIGNMENT_COLUMNS, assignmentOf, type AssignmentRow, assignmentsOf, insertMany, pace } from './bulk';
import { boolOf, groupBy, jsonOf, rawRows, instantParam } from './raw';
import type { Notifier } from './notices';
import {
  IN_CHUNK,
  readGuides,
  readSessions,
  readTravel,
  sessionsOfWeeks,
  type WeekAssignment,
  weekState,
} from './matching-input';
import { getOr404, lockMunicipality, type ServiceDeps } from './support';

export interface Candidate {
  guideId: string;
  /** What the guide adds to the plan's score; null when something keeps them out. */
  gain: number | null;
  /** Why a guide free to come stands where they do (platforms, languages, the venue, fewest hours). */
  why: Reason[];
  blockedBy: Reason[];
}

export interface PlanRequest {
  from: string;
  to: string;
  seed?: number;
  timeLimitMs?: number;
  /** Re-plan published assignments too (they are kept otherwise). */
  replanPublished?: boolean;
}

/** An assignment as a plan reads it: what the plan's digest and the checks need, and its row as stored (for the answer). */
type StoredAssignment = WeekAssignment & { pinned: boolean; stored: AssignmentRow };

/** What a plan is made from, as read; `key` is its digest. */
interface PlanRead {
  input: EngineInput;
  begun: Set<string>;
  /** The period's sessions that have not begun: those the plan plans. */
  ids: string[];
  sessions: Session[];
  existing: StoredAssignment[];
  monday: string;
  sunday: string;
  key: string;
}

/** What storing a plan writes, with `checked`, the check of its weeks as they will be with it. */
interface PlanRows {
  read: PlanRead;
  planRow: Plan;
  dropped: string[];
  kept: { row: StoredAssignment; reasons: Reason[] }[];
  added: Assignment[];
  checked: Checked;
}

/** What a plan's transaction wrote, for its answer: the rows kept and added, the check's marks, the places released. */
interface Stored extends Pick<PlanRows, 'planRow' | 'kept' | 'added' | 'checked'> {
  now: Date;
  released: string[];
}

/** Ids in code-unit order, the same on every database. */
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Plans of one request at most: each one the period changed under before it could be stored. */
const PLAN_ATTEMPTS = 3;

/** The weeks a period touches, Monday to Sunday: weekly hours are counted per whole week. */
function wholeWeeks(from: string, to: string) {
  return { monday: isoWeekRange(isoWeekOf(from)).monday, sunday: isoWeekRange(isoWeekOf(to)).sunday };
}

/**
 * Plans a municipality's period with the matching engine, keeps what the coordinator pinned and
 * what is published, and lets a coordinator pin, override and publish. Every change is checked
 * against the hard rules by the same code the engine uses.
 */
export class PlanningService {
  constructor(private readonly deps: ServiceDeps & { notifier: Notifier; planner: Planner }) {}

  /**
   * The engine works in a worker thread (the planner's pool) and outside any transaction, so the
   * service goes on answering, and storing, while it plans. What it planned from is read again
   * before anything is stored: if something changed meanwhile (a guide put on by hand, a
   * sign-up), nothing is stored and it plans again from what is there now. The engine never
   * works under the municipality's lock, so no other write waits for it. After PLAN_ATTEMPTS
   * tries that each came too late, it answers 409 plan_input_changed (nothing stored): the
   * period changes faster than it plans.
   *
   * The read again, the plan's rows, the check of its weeks and the writes are one transaction
   * (`Store.transactionApart`), whose steps go in slices with other requests let in between
   * (`pace`). On sqlite it runs on a connection of its own: requests let in read on the
   * service's connection what was committed before it, and the instance's other writes wait
   * their turn behind it. So a write elsewhere (another municipality's) never makes it read or
   * work out again; only a change of the period itself makes the engine plan again.
   *
   * The answer is what the transaction wrote (the rows kept, with their new reasons, those added,
   * and the marks of the check), not read after it: another plan or change committed since then
   * is not mixed into it.
   */
  async plan(municipalityId: string, req: PlanRequest): Promise<{ plan: Plan; assignments: Assignment[] }> {
    const now = this.deps.clock.now();
    const { store } = this.deps;
    // Read with no transaction open: nothing is written here, and what is stored is read again before it counts.
    const first = await this.planInput(store.manager, municipalityId, req, now);
    let ran = await this.deps.planner.run(first.input);
    let planned = first.key;
    for (let attempt = 1; ; attempt++) {
      const outcome = await store.transactionApart(async (m): Promise<{ stored?: Stored; changed?: PlanRead }> => {
        await lockMunicipality(m, municipalityId);
        const again = await this.planInput(m, municipalityId, req, now);
        if (again.key !== planned) return { changed: again };
        const rows = await this.prepare(m, municipalityId, now, again, ran);
        return { stored: await this.storePlan(m, municipalityId, now, rows) };
      });
      if (outcome.stored) return this.answer(outcome.stored);
      if (attempt >= PLAN_ATTEMPTS)
        throw new ConflictError(
          'plan_input_changed',
          `The period changed while it was planned, ${PLAN_ATTEMPTS} times in a row; nothing was stored. Plan again`,
        );
      ran = await this.deps.planner.run(outcome.changed!.input);
      planned = outcome.changed!.key;
    }
  }

  /** What the engine plans a period from, as stored now; `key` tells whether that changed. */
  private async planInput(m: EntityManager, municipalityId: string, req: PlanRequest, now: Date): Promise<PlanRead> {
    const { monday, sunday } = wholeWeeks(req.from, req.to);
    const all = await sessionsOfWeeks(m, municipalityId, monday, sunday);
    await pace(m);
    // Cafés that have begun stay in as they are, so their hours, times and places still count
    // against the guides' weekly limits, overlaps and travel: nobody is added or taken off.
    const begun = new Set(all.filter((s) => s.startsAt <= now).map((s) => s.id));
    const sessions = all.filter((s) => !begun.has(s.id));
    const ids = sessions.map((s) => s.id);
    // In a set order (by café, then guide): rows a database moves (PostgreSQL, on an update) change nothing.
    const everything = (
      await rawRows<AssignmentRow>(
        m,
        `SELECT ${ASSIGNMENT_COLUMNS}
         FROM assignments a JOIN sessions s ON s.id = a.session_id
         WHERE s.municipality_id = ? AND s.status = 'scheduled' AND s.local_date >= ? AND s.local_date <= ?`,
        [municipalityId, monday, sunday],
      )
    )
      .map((a) => ({
        id: a.id,
        sessionId: a.session_id,
        guideId: a.guide_id,
        status: a.status,
        pinned: boolOf(a.pinned),
        conflict: a.conflict === null || a.conflict === undefined ? null : jsonOf<Reason[]>(a.conflict),
        stored: a,
      }))
      .sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.guideId, b.guideId));
    await pace(m);
    const existing = everything.filter((a) => !begun.has(a.sessionId));
    const onBegun = everything.filter((a) => begun.has(a.sessionId) && a.status === 'published');
    const keep = existing.filter((a) => a.pinned || (a.status === 'published' && !req.replanPublished));
    const guidesIn = await readGuides(m, municipalityId, now, { from: monday, to: sunday });
    await pace(m);
    const known = new Set(guidesIn.map((g) => g.id));
    const onBegunBySession = groupBy(
      onBegun.filter((a) => known.has(a.guideId)),
      (a) => a.sessionId,
    );
    const engineSessions = (await readSessions(m, all)).map((s) => {
      if (!begun.has(s.id)) return s;
      // Only guides the engine knows (one made inactive since is not), or it would fill their place.
      const n = onBegunBySession.get(s.id)?.length ?? 0;
      return { ...s, minGuides: n, maxGuides: n, demand: {}, languages: {} };
    });
    await pace(m);
    const input: EngineInput = {
      sessions: engineSessions,
      guides: guidesIn,
      travel: await readTravel(m, [...new Set(all.map((s) => s.venueId))]),
      fixed: [...keep, ...onBegun].map(({ sessionId, guideId }) => ({ sessionId, guideId })),
      previous: existing.map(({ sessionId, guideId }) => ({ sessionId, guideId })),
      seed: req.seed ?? 1,
      timeLimitMs: req.timeLimitMs ?? 3_000,
    };
    await pace(m);
    // The rows the plan replaces count too: their ids, states and pins, not only the pairs.
    const rows = existing.map((a) => [a.id, a.sessionId, a.guideId, a.status, a.pinned].join('|'));
    // A digest of the input: comparing two reads costs 40 characters, not a county twice. It is
    // serialised in parts, with others let in between: a county's input is megabytes of JSON.
    const hash = createHash('sha1');
    const { sessions: inputSessions, guides: inputGuides, fixed, previous, ...rest } = input;
    for (const list of [inputSessions, inputGuides, fixed, previous, rows] as unknown[][]) {
      hash.update(`${list.length}|`);
      for (let i = 0; i < list.length; i += 500) {
        hash.update(JSON.stringify(list.slice(i, i + 500)));
        await pace(m);
      }
    }
    const key = hash.update(JSON.stringify(rest)).digest('hex');
    return { input, begun, ids, sessions, existing, monday, sunday, key };
  }

  /** What storing a plan writes, worked out from what it was made from and what the engine answered. */
  private async rows(
    m: EntityManager,
    municipalityId: string,
    now: Date,
    read: PlanRead,
    ran: EngineResult,
  ): Promise<Omit<PlanRows, 'checked'>> {
    const { input, begun, existing, monday, sunday } = read;
    const result = {
      ...ran,
      assignments: ran.assignments.filter((a) => !begun.has(a.sessionId)),
      shortfalls: ran.shortfalls.filter((x) => !begun.has(x.sessionId)),
      uncovered: ran.uncovered.filter((x) => !begun.has(x.sessionId)),
    };
    const planRow: Plan = {
      id: newId(),
      municipalityId,
      startsOn: monday,
      endsOn: sunday,
      status: 'draft',
      seed: input.seed!,
      score: result.score,
      shortfalls: result.shortfalls,
      uncovered: result.uncovered,
      iterations: result.iterations,
      elapsedMs: Math.round(result.elapsedMs),
      stoppedEarly: result.stoppedEarly,
      createdAt: now,
      publishedAt: null,
    };
    // An assignment the new plan keeps keeps its row (and id, status, history): only its reasons
    // are new. Those it drops go; those it adds are drafts.
    // A county's plan has thousands of rows: each step over them lets others in first (`pace`).
    const key = (a: { sessionId: string; guideId: string }) => `${a.sessionId}|${a.guideId}`;
    const planned = new Map(result.assignments.map((a) => [key(a), a]));
    await pace(m);
    const before = new Map(existing.map((a) => [key(a), a]));
    await pace(m);
    const kept = existing.flatMap((a) => {
      const why = planned.get(key(a));
      return why ? [{ row: a, reasons: why.reasons }] : [];
    });
    await pace(m);
    const added = result.assignments
      .filter((a) => !before.has(key(a)))
      .map((a): Assignment => ({
        id: newId(),
        sessionId: a.sessionId,
        guideId: a.guideId,
        status: 'draft',
        pinned: false,
        source: 'engine',
        reasons: a.reasons,
        planId: planRow.id,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
        ...UNTOLD,
        conflict: null,
      }));
    return {
      read,
      planRow,
      dropped: existing.filter((a) => !planned.has(key(a))).map((a) => a.id),
      kept,
      added,
    };
  }

  /** The plan's rows, and the check of its weeks as they will be with it (recheck's work), worked out in its transaction before it writes. */
  private async prepare(
    m: EntityManager,
    municipalityId: string,
    now: Date,
    read: PlanRead,
    ran: EngineResult,
  ): Promise<PlanRows> {
    const rows = await this.rows(m, municipalityId, now, read, ran);
    await pace(m);
    const after = new Map<string, WeekAssignment[]>(read.ids.map((id) => [id, []]));
    const mine = (a: WeekAssignment) => after.get(a.sessionId)!.push(a);
    for (const { row } of rows.kept) mine(row);
    await pace(m);
    for (const a of rows.added) mine({ ...a, conflict: null });
    await pace(m);
    for (const list of after.values()) list.sort((a, b) => compare(a.guideId, b.guideId));
    await pace(m);
    const checked = await recheckAhead(m, now, municipalityId, read.sessions, after);
    return { ...rows, checked };
  }

  /** Stores a plan's rows and the marks of its check; the answer is what it wrote. */
  private async storePlan(
    m: EntityManager,
    municipalityId: string,
    now: Date,
    { planRow, dropped, kept, added, checked }: PlanRows,
  ): Promise<Stored> {
    await m.insert(Plan, planRow);
    for (let i = 0; i < dropped.length; i += IN_CHUNK) {
      const chunk = dropped.slice(i, i + IN_CHUNK);
      await pace(m);
      await this.deps.notifier.removed(m, now, await m.find(Assignment, { where: { id: In(chunk) } }));
      await rawRows(m, 'DELETE FROM assignments WHERE id IN (?)', [chunk]);
    }
    // The rows kept get their new reasons, many to a statement.
    const at = instantParam(m, now);
    for (let i = 0; i < kept.length; i += 500) {
      const chunk = kept.slice(i, i + 500);
      await pace(m);
      await rawRows(
        m,
        `UPDATE assignments SET reasons = CASE id ${chunk.map(() => 'WHEN ? THEN ?').join(' ')} END,
         plan_id = ?, updated_at = ? WHERE id IN (?)`,
        [
          ...chunk.flatMap(({ row, reasons }) => [row.id, JSON.stringify(reasons)]),
          planRow.id,
          at,
          chunk.map(({ row }) => row.id),
        ],
      );
    }
    await insertMany(m, Assignment, added);
    // What the new plan keeps is checked as it stands now (a stale mark goes, a new one shows).
    await pace(m);
    const conflicts = await storeChecked(m, now, checked, this.deps.releasePlace);
    await pace(m);
    await audit(m, now, { action: 'plan.create', entityType: 'plan', entityId: planRow.id, municipalityId });
    return {
      planRow,
      kept,
      added,
      now,
      checked,
      released: conflicts.filter((c) => c.released).map((c) => c.assignmentId),
    };
  }

  /**
   * The answer: the period's assignments as the plan's transaction left them, from what it wrote
   * (worked out after it, in slices, so the transaction holds nobody for it).
   */
  private async answer({
    planRow,
    kept,
    added,
    now,
    checked,
    released,
  }: Stored): Promise<{ plan: Plan; assignments: Assignment[] }> {
    const m = this.deps.store.manager;
    const marks = new Map(checked.changes.map((c) => [c.assignmentId, c.conflict]));
    const gone = new Set(released);
    const assignments: Assignment[] = [];
    const keep = (a: Assignment) => {
      if (!gone.has(a.id)) assignments.push(marks.has(a.id) ? { ...a, conflict: marks.get(a.id)! } : a);
    };
    for (let i = 0; i < kept.length; i += 500) {
      await pace(m);
      for (const { row, reasons } of kept.slice(i, i + 500))
        keep({ ...assignmentOf(row.stored), reasons, planId: planRow.id, updatedAt: now });
    }
    for (let i = 0; i < added.length; i += 500) {
      await pace(m);
      for (const a of added.slice(i, i + 500)) keep({ ...a });
    }
    await pace(m);
    assignments.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.guideId, b.guideId));
    return { plan: planRow, assignments };
  }

  /** The assignments of these sessions as stored now, by session and guide. */
  private async assignmentsOf(ids: string[]): Promise<Assignment[]> {
    const m = this.deps.store.manager;
    const out: Assignment[] = [];
    for (let i = 0; i < ids.length; i += 400) {
      if (i) await pace(m);
      out.push(...(await assignmentsOf(m, ids.slice(i, i + 400))));
    }
    return out.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.guideId, b.guideId));
  }

  async getPlan(id: string): Promise<{ plan: Plan; assignments: Assignment[] }> {
    const m = this.deps.store.manager;
    const planRow = await getOr404(m, Plan, 'plan', id);
    const sessions = await sessionsOfWeeks(m, planRow.municipalityId, planRow.startsOn, planRow.endsOn);
    const ids = sessions.map((s) => s.id);
    return {
      plan: planRow,
      assignments: await this.assignmentsOf(ids),
    };
  }

  /** The newest plan that covers the whole of this week, if any: its shortfalls explain what is still short. */
  async latestPlanFor(municipalityId: string, week: string): Promise<Plan | null> {
    const { monday, sunday } = isoWeekRange(week);
    return this.deps.store.manager
      .createQueryBuilder(Plan, 'p')
      .where('p.municipality_id = :municipalityId AND p.starts_on <= :monday AND p.ends_on >= :sunday', {
        municipalityId,
        monday,
        sunday,
      })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'ASC')
      .getOne();
  }

  listForSession(sessionId: string): Promise<Assignment[]> {
    return this.deps.store.manager.find(Assignment, { where: { sessionId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * A coordinator puts a guide on a session by hand (pinned). Refused with the reasons when a
   * hard rule would break: the guide is not free then, at their hours, or the session is full.
   */
  assign(sessionId: string, guideId: string): Promise<Assignment> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      // One change to a municipality's plan at a time: the check below must see what is stored.
      await lockMunicipality(m, (await getOr404(m, Session, 'session', sessionId)).municipalityId);
      const session = await m.findOneByOrFail(Session, { id: sessionId });
      const row = await this.addGuide(m, now, session, guideId, [reason('put_by_coordinator')]);
      await recheck(m, now, { sessionIds: [sessionId] }, this.deps.releasePlace);
      await audit(m, now, {
        action: 'assignment.override',
        entityType: 'session',
        entityId: sessionId,
        municipalityId: session.municipalityId,
        fields: ['guideId'],
      });
      return row;
    });
  }

  /**
   * One guide for another on a session, in one transaction: the new guide is checked against
   * the hard rules as if the old one had already gone, and if they break one nothing changes.
   */
  swap(assignmentId: string, guideId: string): Promise<Assignment> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const found = await getOr404(m, Assignment, 'assignment', assignmentId);
      await lockMunicipality(m, (await m.findOneByOrFail(Session, { id: found.sessionId })).municipalityId);
      // Read again under the lock: a second click, or another coordinator, may just have moved it.
      const old = await getOr404(m, Assignment, 'assignment', assignmentId);
      const session = await m.findOneByOrFail(Session, { id: old.sessionId });
      if (old.guideId === guideId)
        throw new ConflictError('already_assigned', 'This guide is already on this session', [
          { field: 'body.guideId', issue: 'already assigned' },
        ]);
      await this.deps.notifier.removed(m, now, [old]);
      await m.delete(Assignment, { id: old.id });
      const row = await this.addGuide(m, now, session, guideId, [reason('put_by_coordinator')]);
      // The one who left may have had a conflict elsewhere that week that no longer holds.
      await recheck(m, now, { sessionIds: [session.id], guideIds: [old.guideId] }, this.deps.releasePlace);
      await audit(m, now, {
        action: 'assignment.swap',
        entityType: 'session',
        entityId: session.id,
        municipalityId: session.municipalityId,
        fields: ['guideId'],
      });
      return row;
    });
  }

  /** Guides who could join this session, best first, with what keeps the others out. */
  async candidatesFor(sessionId: string): Promise<Candidate[]> {
    const m = this.deps.store.manager;
    const session = await getOr404(m, Session, 'session', sessionId);
    this.assertOpen(session);
    return this.candidates(m, session);
  }

  /** Guides can still be put on this session: it is not cancelled, and not over. */
  private assertOpen(session: Session): void {
    if (session.status !== 'scheduled') throw new ConflictError('session_cancelled', 'This session is cancelled');
    if (session.endsAt <= this.deps.clock.now()) throw new ConflictError('session_over', 'This session is over');
  }

  /** A guide put on a session by hand (pinned, a draft until published); refused with the reasons when a hard rule would break. */
  private async addGuide(
    m: EntityManager,
    now: Date,
    session: Session,
    guideId: string,
    reasons: Reason[],
  ): Promise<Assignment> {
    this.assertOpen(session);
    const guide = await m.findOneBy(Guide, { id: guideId, municipalityId: session.municipalityId, active: true });
    if (!guide)
      throw new UnprocessableError(
        'unknown_reference',
        'body.guideId does not name an active guide of this municipality',
        [{ field: 'body.guideId', issue: 'no such guide here' }],
      );
    if (await m.existsBy(Assignment, { sessionId: session.id, guideId })) {
      throw new ConflictError('already_assigned', 'This guide is already on this session', [
        { field: 'body.guideId', issue: 'already assigned' },
      ]);
    }
    const { st, s, g } = await this.stateAround(m, session, guideId);
    const why = blockers(st, g, s);
    if (why.length) {
      throw new UnprocessableError(
        'breaks_hard_rule',
        `The guide cannot take this session: ${why.map((r) => reasonText(r, 'en')).join(' ')}`,
        why.map((r) => ({ field: 'body.guideId', issue: reasonText(r, 'en'), reason: r })),
      );
    }
    const row = m.create(Assignment, {
      id: newId(),
      sessionId: session.id,
      guideId,
      status: 'draft',
      pinned: true,
      source: 'manual',
      reasons,
      planId: null,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
      ...UNTOLD,
    });
    await m.insert(Assignment, row);
    return row;
  }

  setPinned(id: string, pinned: boolean): Promise<Assignment> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const row = await getOr404(m, Assignment, 'assignment', id);
      row.pinned = pinned;
      row.updatedAt = now;
      await m.save(row);
      const session = await m.findOneByOrFail(Session, { id: row.sessionId });
      await audit(m, now, {
        action: pinned ? 'assignment.pin' : 'assignment.unpin',
        entityType: 'session',
        entityId: row.sessionId,
        municipalityId: session.municipalityId,
      });
      return row;
    });
  }

  remove(id: string): Promise<void> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const found = await getOr404(m, Assignment, 'assignment', id);
      await lockMunicipality(m, (await m.findOneByOrFail(Session, { id: found.sessionId })).municipalityId);
      // Read again under the lock: a second click may just have taken it off.
      const row = await getOr404(m, Assignment, 'assignment', id);
      const session = await m.findOneByOrFail(Session, { id: row.sessionId });
      await this.deps.notifier.removed(m, now, [row]);
      await m.delete(Assignment, { id });
      await recheck(m, now, { sessionIds: [session.id], guideIds: [row.guideId] }, this.deps.releasePlace);
      await audit(m, now, {
        action: 'assignment.remove',
        entityType: 'session',
        entityId: row.sessionId,
        municipalityId: session.municipalityId,
      });
    });
  }

  /** Drafts of the period become the published schedule (e-mails to guides follow from here). */
  /**
   * Makes a period's drafts the schedule, and answers how many pass it published and which
   * guides get mail about them. With `rehearse`, nothing is stored: what publishing would do.
   */
  publish(
    municipalityId: string,
    from: string,
    to: string,
    planId?: string,
    rehearse = false,
  ): Promise<{ published: number; guides: { id: string; name: string }[]; mails: number }> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      // Two coordinators publishing at once take turns here; the second sees the first's result.
      await lockMunicipality(m, municipalityId);
      const { monday, sunday } = wholeWeeks(from, to);
      if (planId) await this.assertLatestDraft(m, municipalityId, planId, monday, sunday);
      const ids = (await sessionsOfWeeks(m, municipalityId, monday, sunday)).map((s) => s.id);
      if (!ids.length) return { published: 0, guides: [], mails: 0 };
      const result = await m.update(
        Assignment,
        { sessionId: In(ids), status: 'draft' },
        { status: 'published', publishedAt: now, updatedAt: now },
      );
      await m.update(
        Plan,
        { municipalityId, startsOn: monday, endsOn: sunday, status: 'draft' },
        { status: 'published', publishedAt: now },
      );
      await audit(m, now, {
        action: 'plan.publish',
        entityType: 'municipality',
        entityId: municipalityId,
        municipalityId,
        fields: [monday, sunday],
      });
      // Who gets mail is who the notices queue mail for now (a guide told already gets none).
      const queued = () =>
        m.find(OutboxMessage, { where: { municipalityId, createdAt: now }, select: { id: true, guideId: true } });
      const before = new Set((await queued()).map((o) => o.id));
      await this.deps.notifier.sync(m, now, municipalityId);
      const mailed = (await queued()).filter((o) => !before.has(o.id) && o.guideId);
      const guideIds = [...new Set(mailed.map((o) => o.guideId!))];
      const guides = guideIds.length
        ? await m.find(Guide, { where: { id: In(guideIds) }, select: { id: true, name: true }, order: { name: 'ASC' } })
        : [];
      return {
        published: result.affected ?? 0,
        guides: guides.map(({ id, name }) => ({ id, name })),
        mails: mailed.length,
      };
    });
  }

  /** The plan a coordinator reviewed must still be the period's newest draft, or publishing it would publish something else. */
  private async assertLatestDraft(
    m: EntityManager,
    municipalityId: string,
    planId: string,
    monday: string,
    sunday: string,
  ): Promise<void> {
    const plan = await m.findOneBy(Plan, { id: planId, municipalityId });
    if (!plan)
      throw new UnprocessableError('unknown_reference', 'body.planId does not name a plan of this municipality', [
        { field: 'body.planId', issue: 'no such plan here' },
      ]);
    if (plan.startsOn !== monday || plan.endsOn !== sunday) {
      throw new UnprocessableError('plan_period_mismatch', `This plan covers ${plan.startsOn} – ${plan.endsOn}`, [
        { field: 'body.planId', issue: `plans ${plan.startsOn} – ${plan.endsOn}, not ${monday} – ${sunday}` },
      ]);
    }
    if (plan.status === 'published')
      throw new ConflictError('already_published', 'This plan has been published already', [
        { field: 'body.planId', issue: 'published' },
      ]);
    const newer = await m
      .createQueryBuilder(Plan, 'p')
      .where(
        'p.municipality_id = :municipalityId AND p.starts_on <= :endsOn AND p.ends_on >= :startsOn AND p.created_at > :at',
        { municipalityId, startsOn: plan.startsOn, endsOn: plan.endsOn, at: plan.createdAt },
      )
      .getCount();
    if (newer)
      throw new ConflictError(
        'plan_superseded',
        'The period has been planned again since this plan; review the new one',
        [{ field: 'body.planId', issue: 'superseded' }],
      );
  }

  /**
   * Who could take this assignment's place, best first: those free to come, ranked by what they
   * add to the session (platforms, languages, fairness…), then the others with what keeps them out.
   */
  async substitutes(assignmentId: string): Promise<Candidate[]> {
    const m = this.deps.store.manager;
    const row = await getOr404(m, Assignment, 'assignment', assignmentId);
    const session = await m.findOneByOrFail(Session, { id: row.sessionId });
    this.assertOpen(session);
    return this.candidates(m, session, row.guideId);
  }

  /** Guides who could join this session (less the one leaving, if given), best first. */
  async candidates(m: EntityManager, session: Session, leaving?: string): Promise<Candidate[]> {
    const { st, s } = await this.stateAround(m, session, null, leaving);
    const leavingIndex = leaving ? st.p.guideIndex.get(leaving) : undefined;
    const base = st.total();
    const list = st.p.guides
      .map((guide, g) => {
        if (g === leavingIndex) return null;
        const blockedBy = blockers(st, g, s);
        if (blockedBy.length) return { guideId: guide.id, g, gain: null, why: [], blockedBy };
        st.add(g, s);
        const gain = st.total() - base;
        st.remove(g, s);
        return { guideId: guide.id, g, gain: Math.round(gain * 100) / 100, why: strengths(st, g, s), blockedBy };
      })
      .filter((c): c is NonNullable<typeof c> => !!c && c.blockedBy[0]?.code !== 'already_on_session')
      .sort(
        (a, b) => (b.gain ?? -Infinity) - (a.gain ?? -Infinity) || a.blockedBy.length - b.blockedBy.length || a.g - b.g, // the engine's own guide order: by content, not by ids
      );
    // Of those free to come, the ones with the fewest hours that week say so (fairness ranks them up).
    const free = list.filter((c) => c.gain !== null);
    const minutes = (c: (typeof list)[number]) => st.weekMinutes[c.g * st.p.weekCount + st.p.weekOf[s]];
    const fewest = Math.min(...free.map(minutes));
    if (free.length > 1 && free.some((c) => minutes(c) > fewest))
      for (const c of free)
        if (minutes(c) === fewest)
          c.why.push(
            reason('fewest_hours', { week: st.p.sessions[s].week, hours: Math.round((fewest / 60) * 10) / 10 }),
          );
    return list.map(({ g: _g, ...c }) => c);
  }

  /** What keeps this guide from joining this session now; empty when nothing does. */
  async blockersFor(m: EntityManager, session: Session, guideId: string): Promise<Reason[]> {
    const { st, s, g } = await this.stateAround(m, session, guideId);
    return blockers(st, g, s);
  }

  /** The engine's state for the week around a session, with today's assignments in it (less one guide, if given). */
  private async stateAround(m: EntityManager, session: Session, guideId: string | null, without?: string) {
    const { st } = await weekState(m, session, this.deps.clock.now(), without);
    const p = st.p;
    const s = p.sessionIndex.get(session.id)!;
    const g = guideId ? p.guideIndex.get(guideId) : undefined;
    if (guideId && g === undefined) throw new NotFoundError('guide', guideId);
    return { st, s, g: g ?? -1 };
  }
}

import { type EntityManager, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { Assignment, Closure, Registration, Session, type SessionSeries } from '../db/entities';
import { newId } from '../db/columns';
import { type ClosurePeriod } from '../domain/calendar';
import { expandRule, type Occurrence } from '../domain/recurrence';
import type { CancelSource } from '../domain/vocabulary';
import { seatRegulars } from './regulars.service';
import { promoteWaitlist } from './waitlist';

export type SessionChange = 'created' | 'updated' | 'cancelled' | 'restored' | 'removed';

/** What a change to the calendar did to the concrete sessions: counts, and each session touched. */
export interface SessionChanges {
  created: number;
  updated: number;
  cancelled: number;
  restored: number;
  removed: number;
  skipped: { date: string; reason: 'holiday' | 'closure'; name: string }[];
  sessions: { date: string; startsAt: Date; venueId: string; change: SessionChange; registrations: number }[];
}

export const noChanges = (): SessionChanges => ({
  created: 0,
  updated: 0,
  cancelled: 0,
  restored: 0,
  removed: 0,
  skipped: [],
  sessions: [],
});

/** Counts one session's change, and lists it (by its local date, in date order when read). */
export function noteChange(
  changes: SessionChanges,
  session: Pick<Session, 'localDate' | 'startsAt' | 'venueId'>,
  change: SessionChange,
  registrations = 0,
): void {
  changes[change]++;
  changes.sessions.push({
    date: session.localDate,
    startsAt: session.startsAt,
    venueId: session.venueId,
    change,
    registrations,
  });
}

/** Adds one set of changes to another (several series touched by one closure). */
export function addChanges(total: SessionChanges, more: SessionChanges): void {
  for (const k of ['created', 'updated', 'cancelled', 'restored', 'removed'] as const) total[k] += more[k];
  total.skipped.push(...more.skipped);
  total.sessions.push(...more.sessions);
}

/** Why an ended café's future sessions are cancelled. */
export const ENDED_REASON = 'Caféet har slutat.';
/** Why a café a change to its series took away is cancelled, as guides and coordinators read it. */
export const SERIES_CHANGED_REASON = 'Caféets dag eller tid har ändrats.';

/** Cancellations the calendar made, and so may undo; a coordinator's own cancellation stays. */
const CALENDAR_SOURCES: CancelSource[] = ['holiday', 'closure', 'series_changed'];

export async function closuresOf(
  m: EntityManager,
  municipalityId: string,
  from: string,
  to: string,
): Promise<ClosurePeriod[]> {
  return m.find(Closure, { where: { municipalityId, startsOn: LessThanOrEqual(to), endsOn: MoreThanOrEqual(from) } });
}

/**
 * Brings a series' future sessions in line with its rule and the calendar. Past sessions are
 * history and never touched. A session that no longer fits is removed when nobody ever signed
 * up for it, and otherwise kept and cancelled with the reason, so the seniors can be told.
 * Existing sessions keep their ids (and registrations) when only their time or seats change.
 * It reads the sessions without a row lock and writes them back whole: its callers hold the
 * municipality's lock (`lockMunicipality`), as every change to a session's own columns does
 * (`lockForChange` in sessions.service.ts, series and venue changes), so none can come between.
 */
export async function reconcileSeries(m: EntityManager, series: SessionSeries, now: Date): Promise<SessionChanges> {
  const changes = noChanges();
  const closures = await closuresOf(m, series.municipalityId, series.firstDate, series.lastDate);
  const ended = series.archivedAt;
  // An ended café keeps its past; what would come after the end is gone, as if the rule had stopped.
  const occurrences = expandRule(series, {
    venueId: series.venueId,
    closures,
    skipHolidays: series.skipHolidays,
  }).filter((o) => !ended || o.startsAt <= ended);
  const existing = await m.find(Session, { where: { seriesId: series.id } });
  const byDate = new Map(existing.map((s) => [s.occurrenceDate!, s]));
  const attached = await sessionsWithHistory(
    m,
    existing.map((s) => s.id),
  );

  const inserts: Session[] = [];
  const gone: { session: Session; source: CancelSource; reason: string }[] = [];
  for (const occ of occurrences) {
    const session = byDate.get(occ.date);
    byDate.delete(occ.date);
    if (occ.startsAt <= now || (session && session.startsAt <= now)) continue;
    if (occ.blocked) changes.skipped.push({ date: occ.date, ...occ.blocked });
    if (!session) {
      if (!occ.blocked) {
        const made = sessionFromSeries(m, series, occ, now);
        inserts.push(made);
        noteChange(changes, made, 'created');
      }
      continue;
    }
    if (occ.blocked && !session.detached) {
      if (session.status === 'scheduled') gone.push({ session, source: occ.blocked.reason, reason: occ.blocked.name });
      continue;
    }
    // A moved session is the coordinator's: only closures (handled for hand-made sessions) speak for it.
    const seatsBefore = session.seats;
    const restore =
      !session.detached &&
      !occ.blocked &&
      session.status === 'cancelled' &&
      CALENDAR_SOURCES.includes(session.cancelSource!);
    const changed = !session.detached && followSeries(session, series, occ);
    if (restore) {
      restoreSession(session, now);
      noteChange(changes, session, 'restored');
    } else if (changed) {
      noteChange(changes, session, 'updated');
    }
    if (restore || changed) {
      session.updatedAt = now;
      await writeSession(m, session);
      if (restore || session.seats > seatsBefore) await promoteWaitlist(m, session, now);
    }
  }
  for (const session of byDate.values()) {
    if (session.startsAt > now && session.status === 'scheduled') {
      const reason = ended ? ENDED_REASON : SERIES_CHANGED_REASON;
      gone.push({ session, source: 'series_changed', reason });
    }
  }
  const seated = await registrationCounts(
    m,
    gone.map((g) => g.session.id),
  );
  for (const { session, source, reason } of gone) {
    if (attached.has(session.id) || session.detached) {
      cancelSession(session, source, reason, now);
      await writeSession(m, session);
      noteChange(changes, session, 'cancelled', seated.get(session.id) ?? 0);
    } else {
      await m.delete(Session, { id: session.id });
      noteChange(changes, session, 'removed');
    }
  }
  for (let i = 0; i < inserts.length; i += 200) await m.insert(Session, inserts.slice(i, i + 200));
  // The café's regulars get their places in the sessions it has just made.
  await seatRegulars(m, now, inserts);
  changes.sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return changes;
}

/** One UPDATE of a session's own columns (save() would first SELECT it again). */
async function writeSession(m: EntityManager, s: Session): Promise<void> {
  s.version += 1;
  const { id, municipality: _m, venue: _v, series: _s, ...columns } = s;
  await m.update(Session, { id }, columns);
}

export function cancelSession(session: Session, source: CancelSource, reason: string, now: Date): void {
  Object.assign(session, {
    status: 'cancelled',
    cancelSource: source,
    cancelReason: reason,
    cancelledAt: now,
    updatedAt: now,
  });
}

export function restoreSession(session: Session, now: Date): void {
  Object.assign(session, {
    status: 'scheduled',
    cancelSource: null,
    cancelReason: null,
    cancelledAt: null,
    updatedAt: now,
  });
}

/** Copies the series' time, venue and sizes onto a session; true if anything changed. */
function followSeries(session: Session, series: SessionSeries, occ: Occurrence): boolean {
  const next = {
    venueId: series.venueId,
    associationId: series.associationId,
    localDate: occ.date,
    timeZone: series.timeZone,
    seats: series.seats,
    minGuides: series.minGuides,
    maxGuides: series.maxGuides,
    theme: series.theme,
  };
  const moved =
    session.startsAt.getTime() !== occ.startsAt.getTime() || session.endsAt.getTime() !== occ.endsAt.getTime();
  const differs = moved || (Object.keys(next) as (keyof typeof next)[]).some((k) => session[k] !== next[k]);
  if (differs) Object.assign(session, next, { startsAt: occ.startsAt, endsAt: occ.endsAt });
  return differs;
}

function sessionFromSeries(m: EntityManager, series: SessionSeries, occ: Occurrence, now: Date): Session {
  return m.create(Session, {
    id: newId(),
    version: 1,
    municipalityId: series.municipalityId,
    venueId: series.venueId,
    associationId: series.associationId,
    seriesId: series.id,
    occurrenceDate: occ.date,
    localDate: occ.date,
    startsAt: occ.startsAt,
    endsAt: occ.endsAt,
    timeZone: series.timeZone,
    seats: series.seats,
    minGuides: series.minGuides,
    maxGuides: series.maxGuides,
    theme: series.theme,
    status: 'scheduled',
    cancelSource: null,
    cancelReason: null,
    cancelledAt: null,
    detached: false,
    createdAt: now,
    updatedAt: now,
  });
}

/**
 * Ids among these sessions that someone knows of: a senior ever registered (cancelled
 * registrations count: they are history), or a guide was told they work it. Such a session is
 * cancelled, never removed, so the people who expect it can be told.
 */
export async function sessionsWithHistory(m: EntityManager, sessionIds: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const chunk = sessionIds.slice(i, i + 500);
    const registered = await m
      .createQueryBuilder(Registration, 'r')
      .select('DISTINCT r.sessionId', 'sessionId')
      .where({ sessionId: In(chunk) })
      .getRawMany<{ sessionId: string }>();
    const told = await m
      .createQueryBuilder(Assignment, 'a')
      .select('DISTINCT a.sessionId', 'sessionId')
      .where({ sessionId: In(chunk) })
      .andWhere('a.notified_at IS NOT NULL')
      .getRawMany<{ sessionId: string }>();
    [...registered, ...told].forEach((r) => ids.add(r.sessionId));
  }
  return ids;
}

/** Seniors signed up (seated or waiting) for each session: who must hear of a cancellation. */
export async function registrationCounts(m: EntityManager, sessionIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < sessionIds.length; i += 500) {
    const rows = await m
      .createQueryBuilder(Registration, 'r')
      .select('r.sessionId', 'sessionId')
      .addSelect('COUNT(*)', 'n')
      .where({ sessionId: In(sessionIds.slice(i, i + 500)), status: In(['confirmed', 'waitlisted']) })
      .groupBy('r.sessionId')
      .getRawMany<{ sessionId: string; n: number | string }>();
    for (const r of rows) counts.set(r.sessionId, Number(r.n));
  }
  return counts;
}

import { type EntityManager, In } from 'typeorm';
import { Registration, Session } from '../db/entities';
import { NotFoundError } from '../domain/errors';
import { forUpdate, instantParam, rawRows, SESSION_COLUMNS, type SessionRow, sessionOf } from './raw';

/**
 * Reads a session for a change to its seats. On PostgreSQL the row is locked until the
 * transaction ends, so two registrations for the last seat cannot both get it; sqlite
 * has a single writer and needs no lock. Plain SQL: it is on every sign-up and cancel.
 */
export async function lockSession(m: EntityManager, id: string): Promise<Session> {
  const [row] = await rawRows<SessionRow>(
    m,
    `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ?${forUpdate(m)}`,
    [id],
  );
  if (!row) throw new NotFoundError('session', id);
  // An entity, as TypeORM reads it: some callers change it and save it.
  return Object.assign(new Session(), sessionOf(row));
}

/**
 * Cancels a seat or a place on the waiting list, under its session's lock (`lockSession`, taken
 * by the caller), if it is still open then: read before the lock, it may have been cancelled
 * meanwhile, and that cancellation keeps its own time. True when this one cancelled it.
 */
export async function cancelIfOpen(
  m: EntityManager,
  registrationId: string,
  now: Date,
  /** Only if it still holds this too (a regular's seat: not one the senior made again by hand meanwhile). */
  also: { regularId?: string } = {},
): Promise<boolean> {
  const done = await m.update(
    Registration,
    { id: registrationId, status: In(['confirmed', 'waitlisted']), ...also },
    { status: 'cancelled', cancelledAt: now, updatedAt: now },
  );
  return (done.affected ?? 0) > 0;
}

/** A waitlisted registration's place on its session's waiting list: 1 = next to get a seat. */
export async function waitlistPlace(
  m: EntityManager,
  r: Pick<Registration, 'sessionId' | 'queueNumber'>,
): Promise<number> {
  const [row] = await rawRows<{ n: string | number }>(
    m,
    "SELECT COUNT(*) AS n FROM registrations r WHERE r.session_id = ? AND r.status = 'waitlisted' AND r.queue_number <= ?",
    [r.sessionId, r.queueNumber],
  );
  return Number(row.n);
}

export function countConfirmed(m: EntityManager, sessionId: string): Promise<number> {
  return m.countBy(Registration, { sessionId, status: 'confirmed' });
}

/** Gives free seats to the waiting list, earliest first. Returns how many moved up. */
export async function promoteWaitlist(m: EntityManager, session: Session, now: Date): Promise<number> {
  if (session.status !== 'scheduled') return 0;
  // The waiting list in queue order, each row with the seats taken: one statement, none when nobody waits.
  const waiting = await rawRows<{ id: string; confirmed: string | number }>(
    m,
    `SELECT r.id, (SELECT COUNT(*) FROM registrations c WHERE c.session_id = r.session_id AND c.status = 'confirmed') AS confirmed
     FROM registrations r WHERE r.session_id = ? AND r.status = 'waitlisted' ORDER BY r.queue_number`,
    [session.id],
  );
  if (!waiting.length) return 0;
  const free = session.seats - Number(waiting[0].confirmed);
  if (free <= 0) return 0;
  const next = waiting.slice(0, free).map((r) => r.id);
  await rawRows(m, "UPDATE registrations SET status = 'confirmed', updated_at = ? WHERE id IN (?)", [
    instantParam(m, now),
    next,
  ]);
  return next.length;
}

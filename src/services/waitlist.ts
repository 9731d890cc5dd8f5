import { type EntityManager } from 'typeorm';
import { Registration, Session } from '../db/entities';
import { NotFoundError } from '../domain/errors';
import { rawRows } from './raw';

/**
 * Reads a session for a change to its seats. On PostgreSQL the row is locked until the
 * transaction ends, so two registrations for the last seat cannot both get it; sqlite
 * has a single writer and needs no lock.
 */
export async function lockSession(m: EntityManager, id: string): Promise<Session> {
  const qb = m.createQueryBuilder(Session, 's').where('s.id = :id', { id });
  if (m.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
  const session = await qb.getOne();
  if (!session) throw new NotFoundError('session', id);
  return session;
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

/** Seats taken and the last place in a session's queue (0 when nobody signed up yet), in one statement. */
export async function queueState(m: EntityManager, sessionId: string): Promise<{ confirmed: number; last: number }> {
  const [row] = await rawRows<{ confirmed: string | number; last: string | number | null }>(
    m,
    "SELECT COUNT(CASE WHEN r.status = 'confirmed' THEN 1 END) AS confirmed, MAX(r.queue_number) AS last FROM registrations r WHERE r.session_id = ?",
    [sessionId],
  );
  return { confirmed: Number(row.confirmed), last: Number(row.last ?? 0) };
}

export function countConfirmed(m: EntityManager, sessionId: string): Promise<number> {
  return m.countBy(Registration, { sessionId, status: 'confirmed' });
}

/** Gives free seats to the waiting list, earliest first. Returns how many moved up. */
export async function promoteWaitlist(m: EntityManager, session: Session, now: Date): Promise<number> {
  if (session.status !== 'scheduled') return 0;
  const free = session.seats - (await countConfirmed(m, session.id));
  if (free <= 0) return 0;
  const next = await m.find(Registration, {
    where: { sessionId: session.id, status: 'waitlisted' },
    order: { queueNumber: 'ASC' },
    take: free,
  });
  for (const r of next) {
    r.status = 'confirmed';
    r.updatedAt = now;
  }
  await m.save(next);
  return next.length;
}

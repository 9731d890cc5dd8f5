import { type EntityManager } from 'typeorm';
import { Registration, Session } from '../db/entities';
import { NotFoundError } from '../domain/errors';

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

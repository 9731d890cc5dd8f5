import { type EntityManager } from 'typeorm';
import { type Registration, type Senior, type Session } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError } from '../domain/errors';
import type { RegistrationStatus, Topic } from '../domain/vocabulary';
import type { Device } from '../db/entities';
import { instantOf, instantParam, rawRows } from './raw';

/** What a sign-up reads of its session's queue, in one statement: see `queueFor`. */
export interface QueueFor {
  confirmed: number;
  last: number;
  /** The senior's own registration at the session, whatever its status, if any. */
  mine: { id: string; status: RegistrationStatus; createdAt: Date } | null;
}

/**
 * Seats taken, the last place in the session's queue (0 when nobody signed up yet) and the
 * senior's own registration there (one per senior and session), in one statement.
 */
export async function queueFor(m: EntityManager, sessionId: string, seniorId: string): Promise<QueueFor> {
  const [row] = await rawRows<{
    confirmed: string | number;
    last: string | number | null;
    mine_id: string | null;
    mine_status: RegistrationStatus | null;
    mine_created: unknown;
  }>(
    m,
    `SELECT COUNT(CASE WHEN r.status = 'confirmed' THEN 1 END) AS confirmed, MAX(r.queue_number) AS last,
       MAX(CASE WHEN r.senior_id = ? THEN r.id END) AS mine_id,
       MAX(CASE WHEN r.senior_id = ? THEN r.status END) AS mine_status,
       MAX(CASE WHEN r.senior_id = ? THEN r.created_at END) AS mine_created
     FROM registrations r WHERE r.session_id = ?`,
    [seniorId, seniorId, seniorId, sessionId],
  );
  return {
    confirmed: Number(row.confirmed),
    last: Number(row.last ?? 0),
    mine: row.mine_id ? { id: row.mine_id, status: row.mine_status!, createdAt: instantOf(row.mine_created) } : null,
  };
}

/**
 * A senior's place at a session, in the caller's transaction (which holds the session's lock):
 * a seat while seats are free, else the back of the waiting list. Signing up again after a
 * cancellation goes to the back of the queue. An active sign-up is a conflict, or with
 * `skipIfActive` (a regular place meeting a seat already booked) answers null. Plain SQL: the
 * queue and the senior's own registration are read in one statement, and written in one.
 */
export async function signUp(
  m: EntityManager,
  now: Date,
  session: Session,
  senior: Pick<Senior, 'id' | 'devices'>,
  opts: { devices?: Device[]; topic?: Topic | null; regularId?: string | null; skipIfActive?: boolean } = {},
): Promise<Registration | null> {
  const { confirmed, last, mine } = await queueFor(m, session.id, senior.id);
  if (mine && mine.status !== 'cancelled') {
    if (opts.skipIfActive) return null;
    throw new ConflictError('already_registered', 'This senior is already registered for this session', [
      { field: 'body.seniorId', issue: `already ${mine.status}` },
    ]);
  }
  const registration: Registration = {
    id: mine?.id ?? newId(),
    sessionId: session.id,
    seniorId: senior.id,
    status: confirmed < session.seats ? 'confirmed' : 'waitlisted',
    devices: opts.devices ?? senior.devices,
    topic: opts.topic ?? null,
    queuedAt: now,
    queueNumber: last + 1,
    cancelledAt: null,
    regularId: opts.regularId ?? null,
    createdAt: mine?.createdAt ?? now,
    updatedAt: now,
  };
  const at = instantParam(m, now);
  const devices = JSON.stringify(registration.devices);
  if (mine)
    await rawRows(
      m,
      `UPDATE registrations SET queue_number = ?, status = ?, devices = ?, topic = ?, queued_at = ?, cancelled_at = NULL,
         regular_id = ?, updated_at = ? WHERE id = ?`,
      [
        registration.queueNumber,
        registration.status,
        devices,
        registration.topic,
        at,
        registration.regularId,
        at,
        mine.id,
      ],
    );
  else
    await rawRows(
      m,
      `INSERT INTO registrations (id, session_id, senior_id, status, devices, topic, queued_at, queue_number, cancelled_at,
         regular_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
      [
        registration.id,
        session.id,
        senior.id,
        registration.status,
        devices,
        registration.topic,
        at,
        registration.queueNumber,
        registration.regularId,
        at,
        at,
      ],
    );
  return registration;
}

import { type EntityManager } from 'typeorm';
import { Registration, type Senior, type Session } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError } from '../domain/errors';
import type { RegistrationStatus, Topic } from '../domain/vocabulary';
import type { Device } from '../db/entities';
import { queueState } from './waitlist';

/**
 * A senior's place at a session, in the caller's transaction (which holds the session's lock):
 * a seat while seats are free, else the back of the waiting list. Signing up again after a
 * cancellation goes to the back of the queue. An active sign-up is a conflict, or with
 * `skipIfActive` (a regular place meeting a seat already booked) answers null.
 */
export async function signUp(
  m: EntityManager,
  now: Date,
  session: Session,
  senior: Senior,
  opts: { devices?: Device[]; topic?: Topic | null; regularId?: string | null; skipIfActive?: boolean } = {},
): Promise<Registration | null> {
  let registration = await m.findOneBy(Registration, { sessionId: session.id, seniorId: senior.id });
  if (registration && registration.status !== 'cancelled') {
    if (opts.skipIfActive) return null;
    throw new ConflictError('already_registered', 'This senior is already registered for this session', [
      { field: 'body.seniorId', issue: `already ${registration.status}` },
    ]);
  }
  const { confirmed, last } = await queueState(m, session.id);
  const seatFree = confirmed < session.seats;
  const fields = {
    queueNumber: last + 1,
    status: (seatFree ? 'confirmed' : 'waitlisted') as RegistrationStatus,
    devices: opts.devices ?? senior.devices,
    topic: opts.topic ?? null,
    queuedAt: now,
    cancelledAt: null,
    regularId: opts.regularId ?? null,
    updatedAt: now,
  };
  if (registration) {
    Object.assign(registration, fields);
    await m.save(registration);
  } else {
    registration = m.create(Registration, {
      id: newId(),
      sessionId: session.id,
      seniorId: senior.id,
      createdAt: now,
      ...fields,
    });
    await m.insert(Registration, registration);
  }
  return registration;
}

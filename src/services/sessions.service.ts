import type { EntityManager } from 'typeorm';
import { Assignment, Session, SessionReport, Venue } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, UnprocessableError } from '../domain/errors';
import { instantToLocal, localToInstant } from '../domain/time';
import type { CreateSession, UpdateSession } from '../contract/planning';
import type { SessionStatus } from '../domain/vocabulary';
import { audit, changedFields } from './audit';
import type { Notifier } from './notices';
import { cancelSession, closuresOf, restoreSession } from './reconcile';
import { type AssignmentConflict, recheck } from './recheck';
import { blockedDay } from '../domain/calendar';
import {
  cafeAssociation,
  emptyPage,
  assertSeatsFit,
  assertTimeExists,
  getOr404,
  type ListScope,
  lockMunicipality,
  municipalityZone,
  nextVersion,
  type Page,
  requireRef,
  type ServiceDeps,
} from './support';
import { countConfirmed, lockSession, promoteWaitlist } from './waitlist';

export interface SessionFilter extends ListScope {
  municipalityId?: string;
  venueId?: string;
  seriesId?: string;
  status?: SessionStatus;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** Concrete sessions: one-offs, moves, cancellations and lists. */
export class SessionService {
  constructor(private readonly deps: ServiceDeps & { notifier: Notifier }) {}

  createOneOff(input: CreateSession): Promise<Session> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const venue = await requireRef(m, Venue, { id: input.venueId, active: true }, 'body.venueId', 'venue');
      // Under the lock: a contract made at the same moment changes whose the café is.
      await lockMunicipality(m, venue.municipalityId);
      const zone = input.timeZone ?? (await municipalityZone(m, venue.municipalityId));
      assertTimeExists([input.date], input.startTime, zone);
      assertSeatsFit(input.seats, venue);
      const startsAt = localToInstant(input.date, input.startTime, zone);
      assertFuture(startsAt, now, 'body.date');
      const session = m.create(Session, {
        id: newId(),
        version: 1,
        municipalityId: venue.municipalityId,
        venueId: venue.id,
        associationId: await cafeAssociation(m, venue.municipalityId, input.associationId, {
          from: input.date,
          to: input.date,
        }),
        seriesId: null,
        occurrenceDate: null,
        localDate: instantToLocal(startsAt, zone).date,
        startsAt,
        endsAt: new Date(startsAt.getTime() + input.durationMinutes * 60_000),
        timeZone: zone,
        seats: input.seats,
        minGuides: input.minGuides,
        maxGuides: input.maxGuides,
        theme: input.theme ?? null,
        status: 'scheduled',
        cancelSource: null,
        cancelReason: null,
        cancelledAt: null,
        detached: false,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Session, session);
      await audit(m, now, {
        action: 'session.create',
        entityType: 'session',
        entityId: session.id,
        municipalityId: session.municipalityId,
      });
      return session;
    });
  }

  /** Moves or resizes one session. A moved session stands apart from its series from then on. */
  /** A change, with what it breaks: the guides on it (or on their other cafés that week) who can no longer come. */
  update(id: string, input: UpdateSession): Promise<Session & { conflicts: AssignmentConflict[] }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockForChange(m, id);
      await assertNotReported(m, id);
      nextVersion(session, input.version);
      if (session.endsAt <= now)
        throw new ConflictError('session_over', 'This session is over and can no longer be changed');
      const venue = input.venueId
        ? await requireRef(
            m,
            Venue,
            { id: input.venueId, municipalityId: session.municipalityId, active: true },
            'body.venueId',
            'venue in this municipality',
          )
        : await m.findOneByOrFail(Venue, { id: session.venueId });
      if (input.seats !== undefined || input.venueId) assertSeatsFit(input.seats ?? session.seats, venue);

      const zone = input.timeZone ?? session.timeZone;
      const local = instantToLocal(session.startsAt, session.timeZone);
      const duration = input.durationMinutes ?? (session.endsAt.getTime() - session.startsAt.getTime()) / 60_000;
      if (input.date || input.startTime || input.timeZone)
        assertTimeExists([input.date ?? local.date], input.startTime ?? local.time, zone);
      const startsAt = localToInstant(input.date ?? local.date, input.startTime ?? local.time, zone);
      const moved =
        startsAt.getTime() !== session.startsAt.getTime() || (input.venueId && input.venueId !== session.venueId);
      if (moved) assertFuture(startsAt, now, 'body.date');
      // Moving decides anew whether the café is closed: into a closure is refused; out of the
      // closure that cancelled it, it runs again.
      const newDate = instantToLocal(startsAt, zone).date;
      const closed = moved
        ? blockedDay(newDate, venue.id, await closuresOf(m, session.municipalityId, newDate, newDate), false)
        : undefined;
      if (closed)
        throw new UnprocessableError('venue_closed', `The venue is closed then (${closed.name})`, [
          { field: input.date ? 'body.date' : 'body.venueId', issue: `closed then: ${closed.name}` },
        ]);
      const reopen = moved && session.status === 'cancelled' && session.cancelSource === 'closure';
      if (input.seats !== undefined && input.seats < (await countConfirmed(m, id))) {
        throw new ConflictError('seats_taken', 'More seniors have a seat than that: cancel registrations first', [
          { field: 'body.seats', issue: 'below the seats already taken' },
        ]);
      }
      const minGuides = input.minGuides ?? session.minGuides;
      const maxGuides = input.maxGuides ?? session.maxGuides;
      if (input.maxGuides !== undefined && maxGuides < (await m.countBy(Assignment, { sessionId: id }))) {
        throw new ConflictError('guides_over_max', 'More guides are on this café than that: take one off first', [
          { field: 'body.maxGuides', issue: 'below the guides already on it' },
        ]);
      }
      const before = { municipalityId: session.municipalityId, localDate: session.localDate };
      if (minGuides > maxGuides) {
        throw new UnprocessableError('invalid_session', 'maxGuides must not be less than minGuides', [
          { field: 'body.maxGuides', issue: 'must not be less than minGuides' },
        ]);
      }
      Object.assign(session, {
        venueId: input.venueId ?? session.venueId,
        timeZone: zone,
        startsAt,
        endsAt: new Date(startsAt.getTime() + duration * 60_000),
        localDate: instantToLocal(startsAt, zone).date,
        seats: input.seats ?? session.seats,
        minGuides,
        maxGuides,
        theme: input.theme === undefined ? session.theme : input.theme,
        associationId:
          input.associationId === undefined
            ? session.associationId
            : await cafeAssociation(m, session.municipalityId, input.associationId, {
                from: session.localDate,
                to: session.localDate,
              }),
        detached: true,
        updatedAt: now,
      });
      if (reopen) restoreSession(session, now);
      await m.save(session);
      await audit(m, now, {
        action: 'session.update',
        entityType: 'session',
        entityId: id,
        municipalityId: session.municipalityId,
        fields: changedFields(input),
      });
      await promoteWaitlist(m, session, now);
      // Only a new time, length or place can keep a guide away (on this café or, in the week it
      // left, on their others). Checked before the guides are told, so a guide taken off is told
      // only that, not first asked to answer for the new time.
      const timeOrPlace = moved || input.durationMinutes !== undefined;
      const conflicts = timeOrPlace
        ? await recheck(m, now, { sessionIds: [id], alsoWeekOf: before }, this.deps.releasePlace)
        : [];
      await this.deps.notifier.sync(m, now, session.municipalityId);
      return Object.assign(session, { conflicts });
    });
  }

  cancel(id: string, reason: string): Promise<Session> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockForChange(m, id);
      if (session.status === 'cancelled') return session; // asking twice is harmless
      await assertNotReported(m, id);
      if (session.endsAt <= now)
        throw new ConflictError('session_over', 'This session is over and can no longer be cancelled');
      cancelSession(session, 'coordinator', reason, now);
      session.version += 1;
      await audit(m, now, {
        action: 'session.cancel',
        entityType: 'session',
        entityId: id,
        municipalityId: session.municipalityId,
      });
      await m.save(session);
      await this.deps.notifier.sync(m, now, session.municipalityId);
      return session;
    });
  }

  /** Undo a cancellation. The waiting list gets any seats that are free. */
  restore(id: string): Promise<Session> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const session = await lockForChange(m, id);
      if (session.status === 'scheduled') return session;
      if (session.endsAt <= now)
        throw new ConflictError('session_over', 'This session is over and can no longer be restored');
      // Restored by hand, it is the coordinator's from now on: a later calendar change will not cancel it again.
      restoreSession(session, now);
      session.detached = true;
      session.version += 1;
      await m.save(session);
      await audit(m, now, {
        action: 'session.restore',
        entityType: 'session',
        entityId: id,
        municipalityId: session.municipalityId,
      });
      await promoteWaitlist(m, session, now);
      // While it was cancelled its guides could be planned elsewhere, or up to their hours.
      await recheck(m, now, { sessionIds: [id] }, this.deps.releasePlace);
      await this.deps.notifier.sync(m, now, session.municipalityId);
      return session;
    });
  }

  get(id: string): Promise<Session> {
    return getOr404(this.deps.store.manager, Session, 'session', id);
  }

  async list(filter: SessionFilter): Promise<Page<Session>> {
    if (filter.municipalityIds && !filter.municipalityIds.length) return emptyPage(filter.limit, filter.offset);
    const qb = this.deps.store.manager.createQueryBuilder(Session, 's');
    if (filter.municipalityIds) qb.andWhere('s.municipalityId IN (:...mids)', { mids: filter.municipalityIds });
    if (filter.municipalityId) qb.andWhere('s.municipalityId = :mid', { mid: filter.municipalityId });
    if (filter.venueId) qb.andWhere('s.venueId = :vid', { vid: filter.venueId });
    if (filter.seriesId) qb.andWhere('s.seriesId = :sid', { sid: filter.seriesId });
    if (filter.status) qb.andWhere('s.status = :status', { status: filter.status });
    if (filter.from) qb.andWhere('s.localDate >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('s.localDate <= :to', { to: filter.to });
    qb.orderBy('s.localDate', 'ASC')
      .addOrderBy('s.startsAt', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .limit(filter.limit)
      .offset(filter.offset);
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit: filter.limit, offset: filter.offset };
  }
}

function assertFuture(startsAt: Date, now: Date, field: string): void {
  if (startsAt <= now)
    throw new UnprocessableError('in_the_past', 'A session cannot start in the past', [
      { field, issue: 'is in the past' },
    ]);
}

/**
 * A change that may tell guides takes the municipality's lock first, like planning and series
 * changes do, so a decline or a substitute taking a place never works on a session half-changed.
 */
async function lockForChange(m: EntityManager, id: string): Promise<Session> {
  const found = await getOr404(m, Session, 'session', id);
  await lockMunicipality(m, found.municipalityId);
  return lockSession(m, id);
}

/** A café with an attendance report happened: it can no longer be moved or cancelled (correct the report instead). */
async function assertNotReported(m: EntityManager, sessionId: string): Promise<void> {
  if (await m.existsBy(SessionReport, { sessionId })) {
    throw new ConflictError(
      'session_reported',
      'This café has been reported as held; correct its attendance report instead',
    );
  }
}

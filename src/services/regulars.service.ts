import { type EntityManager, In, IsNull, MoreThan, MoreThanOrEqual } from 'typeorm';
import { Registration, Regular, Senior, Session, SessionSeries, Venue } from '../db/entities';
import { newId } from '../db/columns';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { addDays } from '../domain/time';
import type { Topic } from '../domain/vocabulary';
import { audit } from './audit';
import { signUp } from './signup';
import { requireRef, type ServiceDeps } from './support';
import { cancelIfOpen, lockSession, promoteWaitlist } from './waitlist';

export interface RegularInput {
  seniorId: string;
  seriesId: string;
  fromDate: string;
  toDate?: string | null;
  topic?: Topic | null;
}

export interface RegularOutcome {
  regular: Regular;
  /** Sessions where the senior got a seat, went on the waiting list, or was signed up already. */
  seated: number;
  waitlisted: number;
  already: number;
}

/** A senior's coming cafés, for their page at the desk. */
export interface ComingSession {
  registrationId: string;
  sessionId: string;
  localDate: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string;
  status: 'confirmed' | 'waitlisted';
  regular: boolean;
}

/**
 * Regulars: a senior's standing place at a café. One request signs them up for every future
 * session of the series from a date (seated where seats allow, on the waiting list elsewhere),
 * and sessions the series makes later follow; ending it cancels the seats from a date.
 */
export class RegularService {
  constructor(private readonly deps: ServiceDeps) {}

  add(input: RegularInput): Promise<RegularOutcome> {
    const now = this.deps.clock.now();
    if (input.toDate && input.toDate < input.fromDate) {
      throw new UnprocessableError('invalid_regular', 'A regular place ends before it starts', [
        { field: 'body.toDate', issue: 'must not be before fromDate' },
      ]);
    }
    return this.deps.store.transaction(async (m) => {
      const series = await requireRef(
        m,
        SessionSeries,
        { id: input.seriesId, archivedAt: IsNull() },
        'body.seriesId',
        'running café',
      );
      const senior = await requireRef(
        m,
        Senior,
        { id: input.seniorId, municipalityId: series.municipalityId },
        'body.seniorId',
        'senior in this municipality',
      );
      if (senior.erasedAt) {
        throw new ConflictError('senior_erased', "This senior's data was erased; register them anew", [
          { field: 'body.seniorId', issue: 'erased' },
        ]);
      }
      const open = await m.findOneBy(Regular, { seniorId: senior.id, seriesId: series.id, toDate: IsNull() });
      if (open) {
        throw new ConflictError('already_regular', 'This senior is already a regular of this café', [
          { field: 'body.seriesId', issue: 'already a regular' },
        ]);
      }
      const regular = m.create(Regular, {
        id: newId(),
        seniorId: senior.id,
        seriesId: series.id,
        fromDate: input.fromDate,
        toDate: input.toDate ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(Regular, regular);
      const counts = await this.seatInSessions(m, now, regular, senior, input.topic ?? null);
      await audit(m, now, {
        action: 'regular.create',
        entityType: 'senior',
        entityId: senior.id,
        municipalityId: series.municipalityId,
      });
      return { regular, ...counts };
    });
  }

  /** Ends a regular place from a date: the seats from then on are cancelled, and the waiting lists move. */
  end(id: string, fromDate: string): Promise<{ regular: Regular; cancelled: number }> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const regular = await m.findOneBy(Regular, { id });
      if (!regular) throw new NotFoundError('regular', id);
      const series = await m.findOneByOrFail(SessionSeries, { id: regular.seriesId });
      const lastDay = addDays(fromDate, -1);
      regular.toDate = regular.toDate && regular.toDate < lastDay ? regular.toDate : lastDay;
      regular.updatedAt = now;
      await m.save(regular);
      const seats = await m.find(Registration, { where: { regularId: id, status: In(['confirmed', 'waitlisted']) } });
      const sessions = seats.length
        ? await m.find(Session, {
            where: {
              id: In(seats.map((r) => r.sessionId)),
              localDate: MoreThanOrEqual(fromDate),
              startsAt: MoreThan(now),
            },
          })
        : [];
      let cancelled = 0;
      for (const session of sessions) {
        const locked = await lockSession(m, session.id);
        const r = seats.find((x) => x.sessionId === session.id)!;
        if (!(await cancelIfOpen(m, r.id, now, { regularId: id }))) continue;
        await promoteWaitlist(m, locked, now);
        cancelled++;
      }
      await audit(m, now, {
        action: 'regular.end',
        entityType: 'senior',
        entityId: regular.seniorId,
        municipalityId: series.municipalityId,
      });
      return { regular, cancelled };
    });
  }

  listForSenior(seniorId: string): Promise<Regular[]> {
    return this.deps.store.manager.find(Regular, { where: { seniorId }, order: { fromDate: 'ASC', id: 'ASC' } });
  }

  /** The senior's seats and waiting places in cafés to come, soonest first. */
  async coming(seniorId: string): Promise<ComingSession[]> {
    const m = this.deps.store.manager;
    const regs = await m.find(Registration, { where: { seniorId, status: In(['confirmed', 'waitlisted']) } });
    if (!regs.length) return [];
    const sessions = await m.find(Session, {
      where: { id: In(regs.map((r) => r.sessionId)), status: 'scheduled', endsAt: MoreThan(this.deps.clock.now()) },
      order: { startsAt: 'ASC' },
    });
    const venues = new Map(
      (await m.find(Venue, { where: { id: In([...new Set(sessions.map((s) => s.venueId))]) } })).map((v) => [
        v.id,
        v.name,
      ]),
    );
    return sessions.map((s) => {
      const r = regs.find((x) => x.sessionId === s.id)!;
      return {
        registrationId: r.id,
        sessionId: s.id,
        localDate: s.localDate,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        timeZone: s.timeZone,
        venue: venues.get(s.venueId) ?? '',
        status: r.status as 'confirmed' | 'waitlisted',
        regular: r.regularId !== null,
      };
    });
  }

  /** Signs the regular up for the series' sessions to come within its dates. */
  private async seatInSessions(
    m: EntityManager,
    now: Date,
    regular: Regular,
    senior: Senior,
    topic: Topic | null,
  ): Promise<Omit<RegularOutcome, 'regular'>> {
    const counts = { seated: 0, waitlisted: 0, already: 0 };
    const sessions = await m.find(Session, {
      where: {
        seriesId: regular.seriesId,
        status: 'scheduled',
        localDate: MoreThanOrEqual(regular.fromDate),
        startsAt: MoreThan(now),
      },
      order: { startsAt: 'ASC' },
    });
    for (const session of sessions) {
      if (regular.toDate && session.localDate > regular.toDate) continue;
      // As it is under the lock: its seats, or its cancellation, may have changed since it was read.
      const locked = await lockSession(m, session.id);
      if (locked.status !== 'scheduled') continue;
      const r = await signUp(m, now, locked, senior, { topic, regularId: regular.id, skipIfActive: true });
      if (!r) counts.already++;
      else if (r.status === 'confirmed') counts.seated++;
      else counts.waitlisted++;
    }
    return counts;
  }
}

/**
 * Sessions a series has just made: each regular whose dates cover one gets a place there too.
 * In the caller's transaction (the series change).
 */
export async function seatRegulars(m: EntityManager, now: Date, sessions: Session[]): Promise<void> {
  if (!sessions.length) return;
  const regulars = await m.find(Regular, { where: { seriesId: sessions[0].seriesId! } });
  if (!regulars.length) return;
  const seniors = new Map(
    (await m.find(Senior, { where: { id: In(regulars.map((r) => r.seniorId)) } })).map((s) => [s.id, s]),
  );
  for (const session of [...sessions].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    for (const regular of regulars) {
      const senior = seniors.get(regular.seniorId);
      if (!senior || senior.erasedAt || session.localDate < regular.fromDate) continue;
      if (regular.toDate && session.localDate > regular.toDate) continue;
      await lockSession(m, session.id);
      await signUp(m, now, session, senior, { topic: null, regularId: regular.id, skipIfActive: true });
    }
  }
}

import { type EntityManager, In, MoreThan } from 'typeorm';
import { recheck } from './recheck';
import { Assignment, Guide, GuideAvailability, GuideUnavailableDate, Session, User, Venue } from '../db/entities';
import { newId } from '../db/columns';
import { UnprocessableError } from '../domain/errors';
import { addDays, weekdayNumber } from '../domain/time';
import type { WeekdayName } from '../domain/time';
import { availabilityChanged, guideAway } from '../mail/templates/coordinator-messages';
import { audit } from './audit';
import { OutboxService } from './outbox.service';
import { getOr404, lockMunicipality, type ServiceDeps } from './support';
import type { Vacancies } from './vacancies';

/** The longest absence at once: a term's worth, as the roster keeps at most a year of dates. */
export const MAX_ABSENCE_DAYS = 120;

export interface Absence {
  from: string;
  to: string;
  reason?: string | null;
}

/** A session an absence or a contract's end takes a guide off. */
export interface Affected {
  sessionId: string;
  date: string;
  startsAt: Date;
  venue: string;
  /** published: the guide had been told, substitutes are asked; draft: simply taken off the plan. */
  status: 'published' | 'draft';
}

export interface AvailabilityPeriod {
  validFrom: string | null;
  validTo: string | null;
  windows: { weekday: WeekdayName; start: string; end: string }[];
}

/**
 * A guide who cannot come: ill, an exam, travel, a contract that ends. Their dates are marked,
 * and every café they were on in that time is given up as a decline would give it up: the guide
 * is told, the best free guides are asked, the coordinators are told. Drafts are simply dropped.
 */
export class AbsenceService {
  constructor(private readonly deps: ServiceDeps & { vacancies: Vacancies }) {}

  /** With `rehearse`, nothing is stored: the answer says which cafés the absence would take them off. */
  add(
    guideId: string,
    input: Absence,
    opts: { rehearse?: boolean; byGuide?: boolean } = {},
  ): Promise<{ dates: string[]; affected: Affected[] }> {
    const now = this.deps.clock.now();
    const days = datesBetween(input.from, input.to);
    if (!days) {
      throw new UnprocessableError('invalid_absence', `An absence is one day to ${MAX_ABSENCE_DAYS} days long`, [
        {
          field: 'body.to',
          issue: input.to < input.from ? 'must not be before from' : `at most ${MAX_ABSENCE_DAYS} days`,
        },
      ]);
    }
    return this.deps.store.write(!!opts.rehearse, async (m) => {
      const guide = await getOr404(m, Guide, 'guide', guideId);
      await lockMunicipality(m, guide.municipalityId);
      const known = new Set(
        (await m.find(GuideUnavailableDate, { where: { guideId, date: In(days) } })).map((d) => d.date),
      );
      const fresh = days.filter((d) => !known.has(d));
      if (fresh.length)
        await m.insert(
          GuideUnavailableDate,
          fresh.map((date) => ({ guideId, date, reason: input.reason?.trim() || null })),
        );
      const affected = await this.release(
        m,
        now,
        guide,
        (s) => s.localDate >= input.from && s.localDate <= input.to,
        !!opts.byGuide,
      );
      await audit(m, now, {
        action: 'guide.absence',
        entityType: 'guide',
        entityId: guideId,
        municipalityId: guide.municipalityId,
        fields: [input.from, input.to],
      });
      if (opts.byGuide)
        await this.tellCoordinators(
          m,
          now,
          guide,
          guideAway({ guide: guide.name, ...input, affected: affected.length }),
          `away:${guideId}:${input.from}:${input.to}`,
        );
      return { dates: days, affected };
    });
  }

  /** A date taken back: the guide can work that day after all (the cafés given up stay given up). */
  async remove(guideId: string, date: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.deps.store.transaction(async (m) => {
      const guide = await getOr404(m, Guide, 'guide', guideId);
      await m.delete(GuideUnavailableDate, { guideId, date });
      await recheck(m, now, { guideId }, this.deps.releasePlace);
      await audit(m, now, {
        action: 'guide.absence_removed',
        entityType: 'guide',
        entityId: guideId,
        municipalityId: guide.municipalityId,
        fields: [date],
      });
    });
  }

  /**
   * A guide's weekly windows for a period (a term's timetable): the windows of exactly this
   * period are replaced; other periods stay. An empty list removes the period.
   */
  setAvailability(guideId: string, period: AvailabilityPeriod, opts: { byGuide?: boolean } = {}): Promise<void> {
    const now = this.deps.clock.now();
    if (period.validFrom && period.validTo && period.validTo < period.validFrom) {
      throw new UnprocessableError('invalid_period', 'The period ends before it starts', [
        { field: 'body.validTo', issue: 'must not be before validFrom' },
      ]);
    }
    return this.deps.store.transaction(async (m) => {
      const guide = await getOr404(m, Guide, 'guide', guideId);
      const qb = m.createQueryBuilder().delete().from(GuideAvailability).where('guide_id = :guideId', { guideId });
      qb.andWhere(period.validFrom ? 'valid_from = :from' : 'valid_from IS NULL', { from: period.validFrom });
      qb.andWhere(period.validTo ? 'valid_to = :to' : 'valid_to IS NULL', { to: period.validTo });
      await qb.execute();
      if (period.windows.length)
        await m.insert(
          GuideAvailability,
          period.windows.map((w) => ({
            id: newId(),
            guideId,
            weekday: weekdayNumber(w.weekday),
            startTime: w.start,
            endTime: w.end,
            validFrom: period.validFrom,
            validTo: period.validTo,
          })),
        );
      guide.version += 1;
      guide.updatedAt = now;
      await m.update(Guide, { id: guideId }, { version: guide.version, updatedAt: now });
      // New times may keep the guide from cafés they are on: the week page shows it.
      await recheck(m, now, { guideId }, this.deps.releasePlace);
      await audit(m, now, {
        action: 'guide.availability',
        entityType: 'guide',
        entityId: guideId,
        municipalityId: guide.municipalityId,
        fields: [period.validFrom ?? 'open', period.validTo ?? 'open'],
      });
      if (opts.byGuide)
        await this.tellCoordinators(
          m,
          now,
          guide,
          availabilityChanged({ guide: guide.name, from: period.validFrom, to: period.validTo }),
          `availability:${guideId}:${now.toISOString()}`,
        );
    });
  }

  /**
   * A contract that ends, or a guide made inactive: the cafés after the last day (all future ones
   * for an inactive guide) are given up. In the caller's transaction.
   */
  releaseAfter(m: EntityManager, now: Date, guide: Guide, lastDay: string | null): Promise<Affected[]> {
    return this.release(m, now, guide, (s) => lastDay === null || s.localDate > lastDay, false);
  }

  private async release(
    m: EntityManager,
    now: Date,
    guide: Guide,
    within: (s: Session) => boolean,
    byGuide: boolean,
  ): Promise<Affected[]> {
    const rows = await m.find(Assignment, { where: { guideId: guide.id } });
    const future = rows.length
      ? await m.find(Session, {
          where: { id: In(rows.map((a) => a.sessionId)), status: 'scheduled', startsAt: MoreThan(now) },
        })
      : [];
    const sessions = new Map(future.filter(within).map((s) => [s.id, s]));
    const hit = rows.filter((a) => sessions.has(a.sessionId));
    const venues = new Map(
      (hit.length
        ? await m.find(Venue, { where: { id: In([...new Set([...sessions.values()].map((s) => s.venueId))]) } })
        : []
      ).map((v) => [v.id, v.name]),
    );
    const affected: Affected[] = [];
    for (const a of hit.sort(
      (x, y) => sessions.get(x.sessionId)!.startsAt.getTime() - sessions.get(y.sessionId)!.startsAt.getTime(),
    )) {
      const session = sessions.get(a.sessionId)!;
      if (a.status === 'published') await this.deps.vacancies.release(m, now, a, session, { byGuide });
      else await m.delete(Assignment, { id: a.id });
      affected.push({
        sessionId: session.id,
        date: session.localDate,
        startsAt: session.startsAt,
        venue: venues.get(session.venueId) ?? '',
        status: a.status === 'published' ? 'published' : 'draft',
      });
    }
    return affected;
  }

  private async tellCoordinators(
    m: EntityManager,
    now: Date,
    guide: Guide,
    mail: { subject: string; text: string; html: string },
    key: string,
  ): Promise<void> {
    const coordinators = await m.find(User, {
      where: { organisationId: guide.municipalityId, role: 'coordinator', active: true },
      select: { id: true, email: true },
    });
    for (const u of coordinators) {
      await OutboxService.enqueue(m, now, {
        idempotencyKey: `${key}:${u.id}`,
        kind: 'guide_notice',
        municipalityId: guide.municipalityId,
        to: u.email,
        fromName: 'Bryggan',
        ...mail,
      });
    }
  }
}

/** The days from one date to another, inclusive; null when backwards or too long. */
function datesBetween(from: string, to: string): string[] | null {
  if (to < from) return null;
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > MAX_ABSENCE_DAYS) return null;
  }
  return days;
}

import { type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import {
  Attendance,
  AuditEntry,
  Guide,
  QueueEntry,
  Registration,
  Regular,
  Senior,
  Session,
  SessionSeries,
  Venue,
} from '../db/entities';
import { addDays, instantToLocal } from '../domain/time';
import { cancelIfOpen, lockSession, promoteWaitlist } from './waitlist';
import { audit } from './audit';
import { getOr404, type ServiceDeps } from './support';
import { instantParam } from './raw';

/**
 * Seniors' rights (GDPR): everything we hold about one, as JSON; erasure on request; and the
 * retention rule. Erasure blanks what identifies a person and keeps the anonymous row, so
 * visit counts, age bands and platforms in reports stay the same.
 */
export class PrivacyService {
  constructor(private readonly deps: ServiceDeps & { retentionMonths: number }) {}

  exportSenior(id: string) {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      const senior = await getOr404(m, Senior, 'senior', id);
      const registrations = await m.find(Registration, {
        where: { seniorId: id },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      // Whether they came, as a registered senior or a walk-in: held about them as much as a sign-up.
      const attendance = await m.find(Attendance, {
        where: { seniorId: id },
        order: { localDate: 'ASC', id: 'ASC' },
        select: {
          id: true,
          sessionId: true,
          localDate: true,
          kind: true,
          present: true,
          venueId: true,
          ageBand: true,
          gender: true,
          newlyArrived: true,
          helpedByGuideId: true,
        },
      });
      // The café's queue: when they were checked in, what they came for, who helped them with what.
      const queue = await m.find(QueueEntry, {
        where: { seniorId: id },
        order: { createdAt: 'ASC', id: 'ASC' },
        select: {
          id: true,
          sessionId: true,
          position: true,
          kind: true,
          platform: true,
          topic: true,
          status: true,
          guideId: true,
          startedAt: true,
          doneAt: true,
          doneTopic: true,
          createdAt: true,
        },
      });
      // Who helped them, by the guide's first name: what the senior knows the guide as, and no more.
      const helperIds = [
        ...new Set(
          [...attendance.map((a) => a.helpedByGuideId), ...queue.map((e) => e.guideId)].filter((g) => g !== null),
        ),
      ];
      const helpers = new Map(
        (helperIds.length
          ? await m.find(Guide, { where: { id: In(helperIds) }, select: { id: true, name: true } })
          : []
        ).map((g) => [g.id, g.name.trim().split(/\s+/)[0]]),
      );
      const helpedBy = (guideId: string | null) => (guideId ? (helpers.get(guideId) ?? null) : null);
      const regulars = await m.find(Regular, { where: { seniorId: id }, order: { fromDate: 'ASC', id: 'ASC' } });
      const sessionIds = [...new Set([...registrations, ...attendance, ...queue].map((r) => r.sessionId))];
      const sessions = sessionIds.length ? await m.find(Session, { where: { id: In(sessionIds) } }) : [];
      const venues = sessions.length
        ? await m.find(Venue, {
            where: { id: In([...new Set(sessions.map((s) => s.venueId))]) },
            select: { id: true, name: true },
          })
        : [];
      const auditTrail = await m.find(AuditEntry, {
        where: { entityType: 'senior', entityId: id },
        order: { at: 'ASC', id: 'ASC' },
      });
      await audit(m, now, {
        action: 'senior.export',
        entityType: 'senior',
        entityId: id,
        municipalityId: senior.municipalityId,
      });
      return {
        exportedAt: now,
        senior,
        registrations,
        attendance: attendance.map((a) => ({ ...a, helpedBy: helpedBy(a.helpedByGuideId) })),
        queueEntries: queue.map((e) => ({ ...e, helpedBy: helpedBy(e.guideId) })),
        regulars,
        sessions,
        venues,
        auditTrail,
      };
    });
  }

  async erase(id: string): Promise<Senior> {
    const now = this.deps.clock.now();
    const erased = await this.deps.store.transaction(async (m) => {
      const senior = await getOr404(m, Senior, 'senior', id);
      if (!senior.erasedAt) {
        await giveUpPlaces(m, id, now);
        anonymise(senior, now);
        senior.version += 1;
        await m.save(senior);
        await audit(m, now, {
          action: 'senior.erase',
          entityType: 'senior',
          entityId: id,
          municipalityId: senior.municipalityId,
        });
      }
      return senior;
    });
    await this.deps.store.forgetOldVersions();
    return erased;
  }

  /**
   * The retention rule, run daily: seniors whose last visit (a registration's session, or a
   * visit recorded as a walk-in; or, never having come, their sign-up) lies more than the
   * retention period back are anonymised.
   */
  async anonymiseInactive(): Promise<number> {
    const now = this.deps.clock.now();
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.deps.retentionMonths);
    const count = await this.deps.store.transaction(async (m) => {
      const stale = await m
        .createQueryBuilder(Senior, 's')
        .select('s.id', 'id')
        .leftJoin(Registration, 'r', "r.senior_id = s.id AND r.status <> 'cancelled'")
        .leftJoin(Session, 'ses', 'ses.id = r.session_id')
        .where('s.erased_at IS NULL')
        // A walk-in who never signs up is seen in the attendance instead.
        .andWhere(
          'NOT EXISTS (SELECT 1 FROM attendances a WHERE a.senior_id = s.id AND a.present = :yes AND a.local_date >= :cutoffDate)',
          {
            yes: true,
            cutoffDate: cutoff.toISOString().slice(0, 10),
          },
        )
        .groupBy('s.id')
        .addGroupBy('s.created_at')
        .having('COALESCE(MAX(ses.starts_at), s.created_at) < :cutoff', { cutoff: instantParam(m, cutoff) })
        .getRawMany<{ id: string }>();
      for (let i = 0; i < stale.length; i += 500) {
        const ids = stale.slice(i, i + 500).map((r) => r.id);
        const seniors = await m.find(Senior, { where: { id: In(ids), erasedAt: IsNull() } });
        for (const senior of seniors) {
          anonymise(senior, now);
          senior.version += 1;
          await audit(m, now, {
            action: 'senior.retention_erase',
            entityType: 'senior',
            entityId: senior.id,
            municipalityId: senior.municipalityId,
          });
        }
        await m.save(seniors);
      }
      return stale.length;
    });
    if (count) await this.deps.store.forgetOldVersions();
    return count;
  }
}

/**
 * An erased senior comes no more: their seats in cafés yet to start are cancelled and go to the
 * waiting lists, and their standing sign-ups end today. Past sign-ups stay, for the counts.
 */
async function giveUpPlaces(m: EntityManager, seniorId: string, now: Date): Promise<void> {
  const open = await m.find(Registration, { where: { seniorId, status: In(['confirmed', 'waitlisted']) } });
  // In the order sign-ups lock sessions, so the two never wait on each other in a circle.
  const coming = open.length
    ? await m.find(Session, {
        where: { id: In(open.map((r) => r.sessionId)), startsAt: MoreThan(now) },
        order: { startsAt: 'ASC', id: 'ASC' },
      })
    : [];
  for (const session of coming) {
    const locked = await lockSession(m, session.id);
    const seat = open.find((r) => r.sessionId === session.id)!;
    if (await cancelIfOpen(m, seat.id, now)) await promoteWaitlist(m, locked, now);
  }
  for (const regular of await m.find(Regular, { where: { seniorId } })) {
    const series = await m.findOneByOrFail(SessionSeries, { id: regular.seriesId });
    const yesterday = addDays(instantToLocal(now, series.timeZone).date, -1);
    if (regular.toDate && regular.toDate <= yesterday) continue;
    // A standing sign-up that had not begun ends before its first day.
    await m.update(Regular, { id: regular.id }, { toDate: yesterday, updatedAt: now });
  }
}

/** What is left of an erased senior: an anonymous row that still counts in the reports. */
function anonymise(senior: Senior, now: Date): void {
  Object.assign(senior, {
    displayName: 'Raderad',
    searchName: 'raderad',
    phone: null,
    email: null,
    devices: [],
    topics: [],
    preferredLanguage: 'sv',
    erasedAt: now,
    updatedAt: now,
  });
}

import { Assignment, Closure, Organisation, Session, SessionSeries, Venue } from '../db/entities';
import { newId } from '../db/columns';
import { Between, type EntityManager, IsNull, LessThanOrEqual, MoreThan, MoreThanOrEqual, Not } from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { MAX_SERIES_YEARS, occurrenceDates } from '../domain/recurrence';
import { addYears, instantToLocal, weekdayNumber } from '../domain/time';
import type { ClosureInput, CreateSeries, UpdateSeries } from '../contract/planning';
import { audit, changedFields } from './audit';
import type { Notifier } from './notices';
import { type AssignmentConflict, recheck } from './recheck';
import { blockedDay } from '../domain/calendar';
import {
  addChanges,
  cancelSession,
  closuresOf,
  noChanges,
  noteChange,
  reconcileSeries,
  registrationCounts,
  restoreSession,
  type SessionChanges,
} from './reconcile';
import {
  cafeAssociation,
  assertSeatsFit,
  assertTimeExists,
  dropUndefined,
  emptyPage,
  getOr404,
  type ListScope,
  lockMunicipality,
  municipalityZone,
  type Page,
  requireRef,
  scopeWhere,
  type ServiceDeps,
  nextVersion,
} from './support';
import { instantParam } from './raw';

/**
 * Recurring cafés and the calendar around them. Every change here re-derives the concrete
 * sessions in the same transaction, and answers with what it changed.
 */
export class SeriesService {
  constructor(private readonly deps: ServiceDeps & { notifier: Notifier }) {}

  /** With `rehearse`, nothing is stored: the answer is what the change would do (a preview). */
  create(input: CreateSeries, rehearse = false): Promise<{ series: SessionSeries; changes: SessionChanges }> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      const venue = await requireRef(m, Venue, { id: input.venueId, active: true }, 'body.venueId', 'venue');
      await lockMunicipality(m, venue.municipalityId);
      const timeZone = input.timeZone ?? (await municipalityZone(m, venue.municipalityId));
      assertSeatsFit(input.seats, venue);
      assertTimeExists(
        occurrenceDates({
          ...input,
          weekday: weekdayNumber(input.weekday),
          anchorDate: input.anchorDate ?? input.firstDate,
        }),
        input.startTime,
        timeZone,
      );
      const associationId = await cafeAssociation(m, venue.municipalityId, input.associationId, {
        from: input.firstDate,
        to: input.lastDate,
      });
      const series = m.create(SessionSeries, {
        ...input,
        associationId,
        timeZone,
        id: newId(),
        version: 1,
        municipalityId: venue.municipalityId,
        weekday: weekdayNumber(input.weekday),
        anchorDate: input.anchorDate ?? input.firstDate,
        theme: input.theme ?? null,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await m.insert(SessionSeries, series);
      await audit(m, now, {
        action: 'series.create',
        entityType: 'series',
        entityId: series.id,
        municipalityId: series.municipalityId,
      });
      return { series, changes: await reconcileSeries(m, series, now) };
    });
  }

  update(
    id: string,
    input: UpdateSeries,
    rehearse = false,
  ): Promise<{ series: SessionSeries; changes: SessionChanges; conflicts: AssignmentConflict[] }> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      const found = await getOr404(m, SessionSeries, 'series', id);
      await lockMunicipality(m, found.municipalityId);
      // Read again under the lock: another edit of this series may just have committed.
      const series = await getOr404(m, SessionSeries, 'series', id);
      if (series.archivedAt) throw new ConflictError('series_archived', 'This café has ended; it cannot change');
      const { weekday, version, ...rest } = input;
      nextVersion(series, version);
      Object.assign(series, dropUndefined(rest));
      if (weekday) series.weekday = weekdayNumber(weekday);
      if (input.theme === null) series.theme = null;
      if (input.associationId !== undefined) {
        series.associationId = await cafeAssociation(m, series.municipalityId, input.associationId, {
          from: series.firstDate,
          to: series.lastDate,
        });
        // Its cafés from today on are the new association's, those moved by hand too.
        await m.update(
          Session,
          { seriesId: series.id, localDate: MoreThanOrEqual(instantToLocal(now, series.timeZone).date) },
          { associationId: series.associationId },
        );
      }
      const venue = input.venueId
        ? await requireRef(
            m,
            Venue,
            { id: input.venueId, municipalityId: series.municipalityId, active: true },
            'body.venueId',
            'venue in this municipality',
          )
        : await m.findOneByOrFail(Venue, { id: series.venueId });
      if (input.seats !== undefined || input.venueId) assertSeatsFit(series.seats, venue);
      if (
        input.startTime ||
        input.weekday ||
        input.firstDate ||
        input.lastDate ||
        input.timeZone ||
        input.intervalWeeks
      )
        assertTimeExists(occurrenceDates(series), series.startTime, series.timeZone);
      const problems = [
        series.firstDate > series.lastDate && { field: 'body.lastDate', issue: 'must not be before firstDate' },
        series.lastDate > addYears(series.firstDate, MAX_SERIES_YEARS) && {
          field: 'body.lastDate',
          issue: 'a series spans at most ten years',
        },
        series.minGuides > series.maxGuides && { field: 'body.maxGuides', issue: 'must not be less than minGuides' },
      ].filter((p): p is { field: string; issue: string } => !!p);
      if (problems.length) throw new UnprocessableError('invalid_series', 'The series would not be valid', problems);
      if (input.maxGuides !== undefined && input.maxGuides < (await mostGuidesAhead(m, id, now)))
        throw new ConflictError(
          'guides_over_max',
          'More guides are on one of its cafés than that: take one off first',
          [{ field: 'body.maxGuides', issue: 'below the guides on a café to come' }],
        );
      series.updatedAt = now;
      await m.save(series);
      await audit(m, now, {
        action: 'series.update',
        entityType: 'series',
        entityId: id,
        municipalityId: series.municipalityId,
        fields: changedFields(input),
      });
      const changes = await reconcileSeries(m, series, now);
      // The guides its moved cafés keep away (in a preview too: seen before it is saved). Only a
      // new time, length, day or place can; the cafés from now on. Checked before the guides are
      // told, so one taken off is told only that.
      const timeOrPlace = [
        'startTime',
        'durationMinutes',
        'weekday',
        'intervalWeeks',
        'anchorDate',
        'venueId',
        'timeZone',
      ].some((k) => input[k as keyof UpdateSeries] !== undefined);
      const sessionIds = timeOrPlace
        ? (
            await m.find(Session, {
              where: { seriesId: id, status: 'scheduled', startsAt: MoreThan(now) },
              select: { id: true },
            })
          ).map((s) => s.id)
        : [];
      const conflicts = await recheck(m, now, { sessionIds }, this.deps.releasePlace);
      await this.deps.notifier.sync(m, now, series.municipalityId);
      return { series, changes, conflicts };
    });
  }

  /**
   * Ends a café: it is no longer listed or planned. Its past sessions stay as history; its
   * future ones go as if the rule had stopped (cancelled, with the reason, where someone signed
   * up or a guide was told; removed otherwise).
   */
  archive(id: string, version?: number, rehearse = false): Promise<{ series: SessionSeries; changes: SessionChanges }> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      const found = await getOr404(m, SessionSeries, 'series', id);
      await lockMunicipality(m, found.municipalityId);
      const series = await getOr404(m, SessionSeries, 'series', id);
      if (series.archivedAt) return { series, changes: noChanges() };
      nextVersion(series, version);
      series.archivedAt = now;
      series.updatedAt = now;
      await m.save(series);
      await audit(m, now, {
        action: 'series.archive',
        entityType: 'series',
        entityId: id,
        municipalityId: series.municipalityId,
      });
      const changes = await reconcileSeries(m, series, now);
      await this.deps.notifier.sync(m, now, series.municipalityId);
      return { series, changes };
    });
  }

  async get(id: string): Promise<SessionSeries> {
    return getOr404(this.deps.store.manager, SessionSeries, 'series', id);
  }

  /** Running cafés; ended ones with `archived: true`. */
  async list(
    filter: {
      municipalityId?: string;
      venueId?: string;
      archived?: boolean;
      limit: number;
      offset: number;
    } & ListScope,
  ): Promise<Page<SessionSeries>> {
    const { limit, offset, municipalityIds, archived, ...where } = filter;
    const scope = scopeWhere({ municipalityIds });
    if (!scope) return emptyPage(limit, offset);
    const [items, total] = await this.deps.store.manager.findAndCount(SessionSeries, {
      where: { ...dropUndefined(where), ...scope, archivedAt: archived ? Not(IsNull()) : IsNull() },
      order: { firstDate: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  /** A closure cancels what it covers: the series' sessions by their rule, one-off and moved sessions directly. */
  addClosure(input: ClosureInput, rehearse = false): Promise<{ closure: Closure; changes: SessionChanges }> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      await requireRef(
        m,
        Organisation,
        { id: input.municipalityId, kind: 'municipality' },
        'body.municipalityId',
        'municipality',
      );
      if (input.venueId)
        await requireRef(
          m,
          Venue,
          { id: input.venueId, municipalityId: input.municipalityId },
          'body.venueId',
          'venue in this municipality',
        );
      await lockMunicipality(m, input.municipalityId);
      const closure = m.create(Closure, { ...input, id: newId(), venueId: input.venueId ?? null, createdAt: now });
      await m.insert(Closure, closure);
      await audit(m, now, {
        action: 'closure.create',
        entityType: 'closure',
        entityId: closure.id,
        municipalityId: closure.municipalityId,
      });
      const changes = await this.reconcileMunicipality(m, closure, now);
      const handMade = (await this.handMadeSessionsIn(m, closure)).filter(
        (s) => s.status === 'scheduled' && s.startsAt > now,
      );
      const seated = await registrationCounts(
        m,
        handMade.map((s) => s.id),
      );
      for (const s of handMade) {
        cancelSession(s, 'closure', closure.name, now);
        s.version += 1;
        await m.save(s);
        noteChange(changes, s, 'cancelled', seated.get(s.id) ?? 0);
      }
      changes.sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      await this.deps.notifier.sync(m, now, closure.municipalityId);
      return { closure, changes };
    });
  }

  /** Removing a closure brings back what it cancelled, unless another closure still covers it. */
  removeClosure(id: string, rehearse = false): Promise<SessionChanges> {
    const now = this.deps.clock.now();
    return this.deps.store.write(rehearse, async (m) => {
      const closure = await getOr404(m, Closure, 'closure', id);
      await lockMunicipality(m, closure.municipalityId);
      await m.delete(Closure, { id });
      await audit(m, now, {
        action: 'closure.delete',
        entityType: 'closure',
        entityId: id,
        municipalityId: closure.municipalityId,
      });
      const changes = await this.reconcileMunicipality(m, closure, now);
      const remaining = await closuresOf(m, closure.municipalityId, closure.startsOn, closure.endsOn);
      for (const s of await this.handMadeSessionsIn(m, closure)) {
        const stillClosed = blockedDay(s.localDate, s.venueId, remaining, false);
        if (s.status !== 'cancelled' || s.cancelSource !== 'closure' || s.startsAt <= now || stillClosed) continue;
        restoreSession(s, now);
        s.version += 1;
        await m.save(s);
        noteChange(changes, s, 'restored');
      }
      changes.sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
      // The cafés back on: while they were closed their guides could be planned elsewhere.
      if (changes.restored) {
        const back = await m.find(Session, {
          where: {
            municipalityId: closure.municipalityId,
            localDate: Between(closure.startsOn, closure.endsOn),
            status: 'scheduled',
            startsAt: MoreThan(now),
          },
          select: { id: true },
        });
        await recheck(m, now, { sessionIds: back.map((s) => s.id) }, this.deps.releasePlace);
      }
      await this.deps.notifier.sync(m, now, closure.municipalityId);
      return changes;
    });
  }

  async listClosures(
    filter: { municipalityId?: string; limit: number; offset: number } & ListScope,
  ): Promise<Page<Closure>> {
    const { limit, offset, municipalityIds, ...where } = filter;
    const scope = scopeWhere({ municipalityIds });
    if (!scope) return emptyPage(limit, offset);
    const [items, total] = await this.deps.store.manager.findAndCount(Closure, {
      where: { ...dropUndefined(where), ...scope },
      order: { startsOn: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  async getClosure(id: string): Promise<Closure> {
    const closure = await this.deps.store.manager.findOneBy(Closure, { id });
    if (!closure) throw new NotFoundError('closure', id);
    return closure;
  }

  /** Counts only: the skipped dates of every series would drown the answer. */
  private async reconcileMunicipality(m: EntityManager, closure: Closure, now: Date): Promise<SessionChanges> {
    const total = noChanges();
    // Only the series whose dates the closure touches.
    const touched = await m.find(SessionSeries, {
      where: {
        municipalityId: closure.municipalityId,
        firstDate: LessThanOrEqual(closure.endsOn),
        lastDate: MoreThanOrEqual(closure.startsOn),
      },
    });
    for (const series of touched) {
      const c = await reconcileSeries(m, series, now);
      // A closure's answer lists sessions; the skipped dates of every series would drown it.
      addChanges(total, { ...c, skipped: [] });
    }
    return total;
  }

  /** One-off and moved sessions in a closure's dates: the rule of a series does not speak for them. */
  private async handMadeSessionsIn(m: EntityManager, closure: Closure): Promise<Session[]> {
    const qb = m
      .createQueryBuilder(Session, 's')
      .where('s.municipalityId = :mid', { mid: closure.municipalityId })
      .andWhere('s.localDate BETWEEN :from AND :to', { from: closure.startsOn, to: closure.endsOn })
      .andWhere('(s.seriesId IS NULL OR s.detached = :detached)', { detached: true });
    if (closure.venueId) qb.andWhere('s.venueId = :vid', { vid: closure.venueId });
    return qb.getMany();
  }
}

/** The most guides on any of a series' cafés to come that follow it (not moved by hand). */
async function mostGuidesAhead(m: EntityManager, seriesId: string, now: Date): Promise<number> {
  const rows = await m
    .createQueryBuilder(Assignment, 'a')
    .innerJoin(Session, 's', 's.id = a.session_id')
    .select('a.session_id', 'sessionId')
    .addSelect('COUNT(*)', 'n')
    .where("s.series_id = :seriesId AND s.status = 'scheduled' AND s.starts_at > :now", {
      seriesId,
      now: instantParam(m, now),
    })
    .andWhere('s.detached = :no', { no: false })
    .groupBy('a.session_id')
    .getRawMany<{ sessionId: string; n: string | number }>();
  return Math.max(0, ...rows.map((r) => Number(r.n)));
}

import { DateTime } from 'luxon';
import type { LinkSigner } from '../lib/tokens';
import { renewAnswerLinks } from './answer-links';
import { type AssignmentConflict, recheck } from './recheck';
import { Between, type EntityManager, IsNull } from 'typeorm';
import { Assignment, GuideLink, GuideShift, OutboxMessage, Session } from '../db/entities';
import {
  Guide,
  GuideAvailability,
  GuideLanguage,
  GuidePlatform,
  GuideUnavailableDate,
  Organisation,
} from '../db/entities';
import { newId } from '../db/columns';
import { isoWeekOf, isoWeekRange, weekdayNumber, weekdayOf } from '../domain/time';
import type { CreateGuide, GuideFilter, UpdateGuide } from '../contract/people';
import type { AbsenceService } from './absences.service';
import { audit, changedFields } from './audit';
import {
  dropUndefined,
  emptyPage,
  getOr404,
  lockMunicipality,
  type ListScope,
  type Page,
  requireRef,
  type ServiceDeps,
  nextVersion,
  getForUpdate,
} from './support';

const CHILDREN = { platforms: true, languages: true, availability: true, unavailableDates: true } as const;

export interface GuideMonthHours {
  guideId: string;
  plannedMinutes: number;
  /** The most planned in one week (counting this month's days): set against the guide's weekly maximum. */
  peakWeekMinutes: number;
  workedMinutes: number;
}

/** The guide roster: who can help with what, and when. */
export class GuideService {
  constructor(private readonly deps: ServiceDeps & { signer: LinkSigner; absences: AbsenceService }) {}

  create(input: CreateGuide): Promise<Guide> {
    return this.deps.store.transaction((m) => this.createIn(m, this.deps.clock.now(), input));
  }

  /** A new guide, in the caller's transaction (one request, or a whole import). */
  async createIn(m: EntityManager, now: Date, input: CreateGuide, opts: { audit?: boolean } = {}): Promise<Guide> {
    await requireRef(
      m,
      Organisation,
      { id: input.associationId, kind: 'association' },
      'body.associationId',
      'association',
    );
    await requireRef(
      m,
      Organisation,
      { id: input.municipalityId, kind: 'municipality' },
      'body.municipalityId',
      'municipality',
    );
    const { platforms, languages, availability, unavailableDates, maxHoursPerWeek, ...fields } = input;
    const id = newId();
    await m.insert(Guide, {
      ...fields,
      id,
      phone: fields.phone ?? null,
      school: fields.school ?? null,
      programme: fields.programme ?? null,
      endDate: fields.endDate ?? null,
      maxMinutesPerWeek: Math.round(maxHoursPerWeek * 60),
      createdAt: now,
      updatedAt: now,
    });
    await this.replaceChildren(m, id, { platforms, languages, availability, unavailableDates });
    if (opts.audit !== false)
      await audit(m, now, {
        action: 'guide.create',
        entityType: 'guide',
        entityId: id,
        municipalityId: input.municipalityId,
      });
    return this.load(m, id);
  }

  update(id: string, input: UpdateGuide): Promise<Guide & { conflicts: AssignmentConflict[] }> {
    return this.deps.store.transaction((m) => this.updateIn(m, id, input));
  }

  /** A change to a guide, in the caller's transaction. */
  async updateIn(
    m: EntityManager,
    id: string,
    input: UpdateGuide,
  ): Promise<Guide & { conflicts: AssignmentConflict[] }> {
    // The municipality first, as every change to its plan takes it: a guide's new times are then
    // checked against assignments no one is making at the same moment.
    await lockMunicipality(m, (await getOr404(m, Guide, 'guide', id)).municipalityId);
    const guide = await getForUpdate(m, Guide, 'guide', id);
    const { platforms, languages, availability, unavailableDates, maxHoursPerWeek, version, ...fields } = input;
    nextVersion(guide, version);
    const newAddress = fields.email !== undefined && fields.email.toLowerCase() !== guide.email.toLowerCase();
    const before = { active: guide.active, endDate: guide.endDate };
    Object.assign(guide, dropUndefined(fields));
    for (const k of ['phone', 'school', 'programme', 'endDate'] as const) if (fields[k] === null) guide[k] = null;
    if (maxHoursPerWeek !== undefined) guide.maxMinutesPerWeek = Math.round(maxHoursPerWeek * 60);
    guide.updatedAt = this.deps.clock.now();
    if (newAddress) guide.addressChangedAt = guide.updatedAt;
    await m.save(Guide, stripChildren(guide));
    await audit(m, guide.updatedAt, {
      action: 'guide.update',
      entityType: 'guide',
      entityId: id,
      municipalityId: guide.municipalityId,
      fields: changedFields(input),
    });
    // The page links went to the old address (perhaps a mistyped one): they stop working, and the next mail brings a new one.
    if (newAddress) await m.update(GuideLink, { guideId: id, revokedAt: IsNull() }, { revokedAt: guide.updatedAt });
    // Messages still waiting (a server refused them, or none is set up yet) go to the corrected
    // address, with answer links made anew: the ones made before now no longer work.
    if (newAddress) {
      const waiting = await m.find(OutboxMessage, {
        where: { guideId: id, status: 'queued' },
        select: { id: true, text: true, html: true },
      });
      for (const msg of waiting)
        await m.update(
          OutboxMessage,
          { id: msg.id, status: 'queued' },
          {
            toAddress: guide.email,
            text: renewAnswerLinks(this.deps.signer, msg.text, guide.updatedAt),
            html: renewAnswerLinks(this.deps.signer, msg.html, guide.updatedAt),
          },
        );
    }
    await this.replaceChildren(m, id, { platforms, languages, availability, unavailableDates });
    // New times, days off or hours may keep the guide from cafés they are on: the week page shows it.
    const conflicts =
      availability !== undefined || unavailableDates !== undefined || maxHoursPerWeek !== undefined
        ? await recheck(m, guide.updatedAt, { guideId: id }, this.deps.releasePlace)
        : [];
    // A guide who stops, or whose contract ends, leaves the cafés after it as a decline would.
    if (before.active && !guide.active) await this.deps.absences.releaseAfter(m, guide.updatedAt, guide, null);
    else if (guide.endDate && guide.endDate !== before.endDate)
      await this.deps.absences.releaseAfter(m, guide.updatedAt, guide, guide.endDate);
    return Object.assign(await this.load(m, id), { conflicts });
  }

  get(id: string): Promise<Guide> {
    return this.load(this.deps.store.manager, id);
  }

  /**
   * Each guide's hours in a calendar month: on the schedule (published or draft, not cancelled;
   * published only for what a guide sees) and worked (as reported after the café). Guides with
   * neither are left out.
   */
  async monthHours(
    municipalityId: string,
    month: string,
    associationIds?: string[],
    publishedOnly = false,
  ): Promise<GuideMonthHours[]> {
    const m = this.deps.store.manager;
    const from = `${month}-01`;
    const to = DateTime.fromISO(from).endOf('month').toISODate()!;
    // Whole weeks around the month, so the busiest week counts all its days, also across a month's end.
    const weeks = { from: isoWeekRange(isoWeekOf(from)).monday, to: isoWeekRange(isoWeekOf(to)).sunday };
    const sessions = await m.find(Session, {
      where: { municipalityId, status: 'scheduled', localDate: Between(weeks.from, weeks.to) },
      select: { id: true, localDate: true, startsAt: true, endsAt: true },
    });
    const inMonth = new Set(sessions.filter((x) => x.localDate >= from && x.localDate <= to).map((x) => x.id));
    const minutes = new Map(
      sessions.map((x) => [x.id, Math.round((x.endsAt.getTime() - x.startsAt.getTime()) / 60_000)]),
    );
    const weekOf = new Map(sessions.map((x) => [x.id, isoWeekOf(x.localDate)]));
    const planned = sessions.length
      ? await m
          .createQueryBuilder(Assignment, 'a')
          .innerJoin(Guide, 'g', 'g.id = a.guide_id')
          .select(['a.guideId', 'a.sessionId'])
          .where('a.session_id IN (:...ids)', { ids: [...minutes.keys()] })
          .andWhere(associationIds ? 'g.association_id IN (:...aids)' : '1 = 1', {
            aids: associationIds?.length ? associationIds : [''],
          })
          .andWhere(publishedOnly ? "a.status = 'published'" : '1 = 1')
          .getMany()
      : [];
    const worked = m
      .createQueryBuilder(GuideShift, 'w')
      .innerJoin(Guide, 'g', 'g.id = w.guide_id')
      .select('w.guide_id', 'guideId')
      .addSelect('SUM(w.minutes)', 'minutes')
      .where("w.municipality_id = :municipalityId AND w.status = 'worked' AND w.local_date BETWEEN :from AND :to", {
        municipalityId,
        from,
        to,
      })
      .groupBy('w.guide_id');
    if (associationIds)
      worked.andWhere('g.association_id IN (:...aids)', { aids: associationIds.length ? associationIds : [''] });
    const hours = new Map<string, GuideMonthHours>();
    const entry = (guideId: string) =>
      hours.get(guideId) ??
      hours.set(guideId, { guideId, plannedMinutes: 0, peakWeekMinutes: 0, workedMinutes: 0 }).get(guideId)!;
    const weekly = new Map<string, number>();
    for (const a of planned) {
      const e = entry(a.guideId);
      if (inMonth.has(a.sessionId)) e.plannedMinutes += minutes.get(a.sessionId)!;
      const key = `${a.guideId} ${weekOf.get(a.sessionId)}`;
      weekly.set(key, (weekly.get(key) ?? 0) + minutes.get(a.sessionId)!);
      e.peakWeekMinutes = Math.max(e.peakWeekMinutes, weekly.get(key)!);
    }
    for (const r of await worked.getRawMany<{ guideId: string; minutes: string | number }>())
      entry(r.guideId).workedMinutes = Number(r.minutes);
    return [...hours.values()].sort((a, b) => a.guideId.localeCompare(b.guideId));
  }

  async list(filter: GuideFilter & ListScope): Promise<Page<Guide>> {
    const m = this.deps.store.manager;
    if (
      (filter.municipalityIds && !filter.municipalityIds.length) ||
      (filter.associationIds && !filter.associationIds.length)
    )
      return emptyPage(filter.limit, filter.offset);
    const qb = m.createQueryBuilder(Guide, 'g').select('g.id');
    if (filter.municipalityIds) qb.andWhere('g.municipalityId IN (:...mids)', { mids: filter.municipalityIds });
    if (filter.associationIds) qb.andWhere('g.associationId IN (:...aids)', { aids: filter.associationIds });
    if (filter.municipalityId) qb.andWhere('g.municipalityId = :mid', { mid: filter.municipalityId });
    if (filter.associationId) qb.andWhere('g.associationId = :aid', { aid: filter.associationId });
    if (filter.active !== undefined) qb.andWhere('g.active = :active', { active: filter.active });
    if (filter.platform) {
      qb.andWhere('EXISTS (SELECT 1 FROM guide_platforms gp WHERE gp.guide_id = g.id AND gp.platform = :platform)', {
        platform: filter.platform,
      });
    }
    if (filter.language) {
      qb.andWhere('EXISTS (SELECT 1 FROM guide_languages gl WHERE gl.guide_id = g.id AND gl.language = :language)', {
        language: filter.language,
      });
    }
    if (filter.topic) {
      // Topics are a short JSON list of known words: a quoted match is exact.
      qb.andWhere('g.topics LIKE :topic', { topic: `%"${filter.topic}"%` });
    }
    if (filter.venueId) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM assignments a JOIN sessions s ON s.id = a.session_id WHERE a.guide_id = g.id AND s.venue_id = :venueId)',
        { venueId: filter.venueId },
      );
    }
    const weekday = filter.date ? weekdayOf(filter.date) : filter.weekday ? weekdayNumber(filter.weekday) : undefined;
    if (weekday) {
      // One window that covers the whole asked time; with no time asked, any window that day.
      qb.andWhere(
        'EXISTS (SELECT 1 FROM guide_availability ga WHERE ga.guide_id = g.id AND ga.weekday = :weekday AND ga.start_time <= :from AND ga.end_time >= :to' +
          // On a date, the window's period must hold then, and no later-starting period may hold instead.
          (filter.date
            ? ' AND (ga.valid_from IS NULL OR ga.valid_from <= :date) AND (ga.valid_to IS NULL OR ga.valid_to >= :date)' +
              ' AND NOT EXISTS (SELECT 1 FROM guide_availability q WHERE q.guide_id = g.id AND q.valid_from IS NOT NULL' +
              ' AND q.valid_from <= :date AND (q.valid_to IS NULL OR q.valid_to >= :date)' +
              ' AND (ga.valid_from IS NULL OR q.valid_from > ga.valid_from))'
            : '') +
          ')',
        { weekday, from: filter.from ?? '23:59', to: filter.to ?? '00:00', date: filter.date },
      );
    }
    if (filter.date) {
      qb.andWhere(
        'NOT EXISTS (SELECT 1 FROM guide_unavailable_dates gu WHERE gu.guide_id = g.id AND gu.date = :date)',
        { date: filter.date },
      );
      // On a date: its own window must hold then, and the contract must not have ended.
      qb.andWhere('(g.end_date IS NULL OR g.end_date >= :date)', { date: filter.date });
    }
    qb.orderBy('g.name', 'ASC').addOrderBy('g.id', 'ASC').limit(filter.limit).offset(filter.offset);
    const [rows, total] = await qb.getManyAndCount();
    const items = rows.length
      ? await m.find(Guide, {
          where: rows.map((r) => ({ id: r.id })),
          relations: CHILDREN,
          order: { name: 'ASC', id: 'ASC' },
        })
      : [];
    items.forEach(sortChildren);
    return { items, total, limit: filter.limit, offset: filter.offset };
  }

  private async load(m: EntityManager, id: string): Promise<Guide> {
    await getOr404(m, Guide, 'guide', id);
    const guide = (await m.findOne(Guide, { where: { id }, relations: CHILDREN }))!;
    sortChildren(guide);
    return guide;
  }

  /** Lists given in an update replace the old ones whole; lists left out stay as they were. */
  private async replaceChildren(
    m: EntityManager,
    guideId: string,
    lists: Pick<UpdateGuide, 'platforms' | 'languages' | 'availability' | 'unavailableDates'>,
  ) {
    if (lists.platforms) {
      await m.delete(GuidePlatform, { guideId });
      await m.insert(
        GuidePlatform,
        lists.platforms.map((p) => ({ guideId, ...p })),
      );
    }
    if (lists.languages) {
      await m.delete(GuideLanguage, { guideId });
      if (lists.languages.length)
        await m.insert(
          GuideLanguage,
          lists.languages.map((l) => ({ guideId, ...l })),
        );
    }
    if (lists.availability) {
      await m.delete(GuideAvailability, { guideId });
      const rows = lists.availability.map((w) => ({
        id: newId(),
        guideId,
        weekday: weekdayNumber(w.weekday),
        startTime: w.start,
        endTime: w.end,
        validFrom: w.validFrom ?? null,
        validTo: w.validTo ?? null,
      }));
      if (rows.length) await m.insert(GuideAvailability, rows);
    }
    if (lists.unavailableDates) {
      await m.delete(GuideUnavailableDate, { guideId });
      const rows = lists.unavailableDates.map((d) => ({ guideId, date: d.date, reason: d.reason ?? null }));
      if (rows.length) await m.insert(GuideUnavailableDate, rows);
    }
  }
}

function stripChildren(guide: Guide): Guide {
  const { platforms: _p, languages: _l, availability: _a, unavailableDates: _u, ...own } = guide;
  return own as Guide;
}

function sortChildren(g: Guide): void {
  g.platforms.sort((a, b) => a.platform.localeCompare(b.platform));
  g.languages.sort((a, b) => a.language.localeCompare(b.language));
  g.availability.sort(
    (a, b) =>
      (a.validFrom ?? '').localeCompare(b.validFrom ?? '') ||
      a.weekday - b.weekday ||
      a.startTime.localeCompare(b.startTime),
  );
  g.unavailableDates.sort((a, b) => a.date.localeCompare(b.date));
}

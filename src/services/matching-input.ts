import { Between, type EntityManager, In, IsNull, Not } from 'typeorm';
import { Assignment, Attendance, Guide, Registration, Senior, Session, Venue, VenueTravel } from '../db/entities';
import { effectiveWindows } from '../domain/availability';
import { type EngineGuide, type EngineSession, Problem, State } from '../domain/matching';
import { instantToLocal, isoWeekOf, isoWeekRange, minutesOfDay } from '../domain/time';
import type { Platform } from '../domain/vocabulary';
import { asStoredInstant } from './support';

/** A guide counts as experienced after this many sessions worked. */
export const EXPERIENCED_AFTER = 3;

/**
 * What the engine needs to know, read from the database: sessions with their local times and
 * the platforms and languages their seniors bring; guides with windows, dates, hours and history.
 * Counts and ids only: the engine never sees a name.
 */
export async function readSessions(m: EntityManager, sessions: Session[]): Promise<EngineSession[]> {
  const ids = sessions.map((s) => s.id);
  const venueIds = [...new Set(sessions.map((s) => s.venueId))];
  const venues = venueIds.length
    ? await m.find(Venue, {
        where: { id: In(venueIds) },
        select: { id: true, name: true, address: true, expectedWalkIns: true },
      })
    : [];
  // Name and address: what the engine orders sessions at the same hour by, instead of the venue's id.
  const venueKey = new Map(venues.map((v) => [v.id, `${v.name}\n${v.address}`]));
  const walkIns = new Map(venues.filter((v) => v.expectedWalkIns > 0).map((v) => [v.id, v.expectedWalkIns]));
  const mix = walkIns.size ? await platformMix(m, sessions[0].municipalityId) : [];
  const regs = ids.length ? await m.find(Registration, { where: { sessionId: In(ids), status: 'confirmed' } }) : [];
  const seniors = regs.length
    ? await m.find(Senior, {
        where: { id: In([...new Set(regs.map((r) => r.seniorId))]) },
        select: { id: true, preferredLanguage: true },
      })
    : [];
  const language = new Map(seniors.map((s) => [s.id, s.preferredLanguage]));
  const helped = await helpersBefore(m, [...new Set(regs.map((r) => r.seniorId))]);
  return sessions.map((s) => {
    const start = instantToLocal(s.startsAt, s.timeZone);
    const end = instantToLocal(s.endsAt, s.timeZone);
    const demand: Partial<Record<Platform, number>> = {};
    const languages: Record<string, number> = {};
    const mine = regs.filter((r) => r.sessionId === s.id);
    const helpedBy: Record<string, number> = {};
    for (const r of mine) {
      for (const guideId of helpedBeforeDate(helped.get(r.seniorId), start.date))
        helpedBy[guideId] = (helpedBy[guideId] ?? 0) + 1;
      for (const platform of new Set(r.devices.map((d) => d.platform))) demand[platform] = (demand[platform] ?? 0) + 1;
      const lang = language.get(r.seniorId);
      if (lang && lang !== 'sv') languages[lang] = (languages[lang] ?? 0) + 1;
    }
    // Walk-ins add demand in the proportions the municipality's seniors bring their devices.
    const extra = walkIns.get(s.venueId) ?? 0;
    for (const [platform, share] of mix)
      demand[platform] = Math.round(((demand[platform] ?? 0) + extra * share) * 10) / 10;
    return {
      id: s.id,
      venueId: s.venueId,
      venueKey: venueKey.get(s.venueId),
      start: s.startsAt.getTime(),
      end: s.endsAt.getTime(),
      date: start.date,
      week: isoWeekOf(start.date),
      weekday: start.weekday,
      startMinute: minutesOfDay(start.time),
      endMinute: end.date === start.date ? minutesOfDay(end.time) : 24 * 60,
      minGuides: s.minGuides,
      maxGuides: s.maxGuides,
      demand,
      languages,
      seniors: mine.length + extra,
      helpedBy,
    };
  });
}

export async function readGuides(
  m: EntityManager,
  municipalityId: string,
  before: Date,
  period: { from: string; to: string },
): Promise<EngineGuide[]> {
  const guides = await m.find(Guide, {
    where: { municipalityId, active: true },
    relations: { platforms: true, languages: true, availability: true, unavailableDates: true },
    order: { id: 'ASC' },
  });
  if (!guides.length) return [];
  // Sessions worked (published, already begun) per guide and venue: experience and continuity.
  const worked = await m
    .createQueryBuilder(Assignment, 'a')
    .innerJoin(Session, 's', 's.id = a.session_id')
    .select('a.guide_id', 'guideId')
    .addSelect('s.venue_id', 'venueId')
    .addSelect('COUNT(*)', 'n')
    .where({ guideId: In(guides.map((g) => g.id)), status: 'published' })
    .andWhere('s.starts_at < :before', {
      before: asStoredInstant(m, before),
    })
    .groupBy('a.guide_id')
    .addGroupBy('s.venue_id')
    .getRawMany<{ guideId: string; venueId: string; n: string | number }>();
  return guides.map((g) => {
    const history: Record<string, number> = {};
    for (const w of worked) if (w.guideId === g.id) history[w.venueId] = Number(w.n);
    const total = Object.values(history).reduce((a, b) => a + b, 0);
    return {
      id: g.id,
      platforms: g.platforms.map((p) => p.platform),
      languages: g.languages.map((l) => l.language),
      maxMinutesPerWeek: g.maxMinutesPerWeek,
      availability: effectiveWindows(
        g.availability.map((a) => ({
          weekday: a.weekday,
          start: a.startTime,
          end: a.endTime,
          validFrom: a.validFrom,
          validTo: a.validTo,
        })),
        g.endDate,
      ).map((w) => ({
        weekday: w.weekday,
        startMinute: minutesOfDay(w.start),
        endMinute: minutesOfDay(w.end),
        from: w.from,
        to: w.to,
      })),
      unavailableDates: g.unavailableDates.map((u) => u.date).filter((d) => d >= period.from && d <= period.to),
      experienced: total >= EXPERIENCED_AFTER,
      venueHistory: history,
    };
  });
}

export async function readTravel(
  m: EntityManager,
  venueIds: string[],
): Promise<Record<string, Record<string, number>>> {
  const rows = venueIds.length ? await m.find(VenueTravel, { where: { fromVenueId: In(venueIds) } }) : [];
  const travel: Record<string, Record<string, number>> = {};
  for (const r of rows) (travel[r.fromVenueId] ??= {})[r.toVenueId] = r.minutes;
  return travel;
}

/** The scheduled sessions of whole weeks, for planning: weekly hour limits are checked per week. */
export function sessionsOfWeeks(
  m: EntityManager,
  municipalityId: string,
  monday: string,
  sunday: string,
): Promise<Session[]> {
  return m.find(Session, {
    where: { municipalityId, status: 'scheduled', localDate: Between(monday, sunday) },
    order: { startsAt: 'ASC', id: 'ASC' },
  });
}

/** The share of each platform among the devices the municipality's seniors bring (the national mix if none yet). */
async function platformMix(m: EntityManager, municipalityId: string): Promise<[Platform, number][]> {
  const seniors = await m.find(Senior, { where: { municipalityId }, select: { id: true, devices: true } });
  const counts = new Map<Platform, number>();
  for (const s of seniors) for (const d of s.devices) counts.set(d.platform, (counts.get(d.platform) ?? 0) + 1);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (!total)
    return [
      ['ios', 0.45],
      ['android', 0.35],
      ['windows', 0.1],
      ['macos', 0.05],
      ['ipados', 0.03],
      ['chromeos', 0.02],
    ];
  return [...counts].map(([p, n]) => [p, n / total]);
}

/**
 * The engine's state for the week of a session, with every assignment of the week in it (less
 * one guide on this session, if given): what the hard rules are checked against.
 */
export async function weekState(
  m: EntityManager,
  session: Pick<Session, 'municipalityId' | 'localDate'> & { id?: string },
  now: Date,
  without?: string,
) {
  const week = isoWeekRange(isoWeekOf(session.localDate));
  const sessions = await sessionsOfWeeks(m, session.municipalityId, week.monday, week.sunday);
  const assignments = await m.find(Assignment, { where: { sessionId: In(sessions.map((x) => x.id)) } });
  const p = new Problem({
    sessions: await readSessions(m, sessions),
    guides: await readGuides(m, session.municipalityId, now, { from: week.monday, to: week.sunday }),
    travel: await readTravel(m, [...new Set(sessions.map((x) => x.venueId))]),
    fixed: [],
  });
  const st = new State(p);
  for (const a of assignments) {
    if (a.sessionId === session.id && a.guideId === without) continue;
    const gi = p.guideIndex.get(a.guideId);
    const si = p.sessionIndex.get(a.sessionId);
    if (gi !== undefined && si !== undefined) st.add(gi, si);
  }
  return { st, assignments, sessions };
}

/** For each senior, who helped them at cafés (from the after-café form), most recent first, with the date. */
export async function helpersBefore(
  m: EntityManager,
  seniorIds: string[],
): Promise<Map<string, { guideId: string; date: string }[]>> {
  const out = new Map<string, { guideId: string; date: string }[]>();
  if (!seniorIds.length) return out;
  const rows = await m.find(Attendance, {
    where: { seniorId: In(seniorIds), helpedByGuideId: Not(IsNull()), present: true },
    select: { seniorId: true, helpedByGuideId: true, localDate: true },
    order: { localDate: 'DESC' },
  });
  for (const r of rows)
    out.set(r.seniorId!, [...(out.get(r.seniorId!) ?? []), { guideId: r.helpedByGuideId!, date: r.localDate }]);
  return out;
}

/** The guides who helped a senior before a date, most recent first, each once. */
export const helpedBeforeDate = (helped: { guideId: string; date: string }[] | undefined, date: string) => [
  ...new Set((helped ?? []).filter((h) => h.date < date).map((h) => h.guideId)),
];

import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { type Assignment, Attendance, type Session } from '../db/entities';
import { effectiveWindows } from '../domain/availability';
import { type EngineGuide, type EngineSession, Problem, State } from '../domain/matching';
import { addDays, instantToLocal, isoWeekOf, isoWeekRange, minutesOfDay } from '../domain/time';
import type { Platform } from '../domain/vocabulary';
import { pace } from './bulk';
import { groupBy, jsonOf, rawRows, SESSION_COLUMNS, type SessionRow, sessionOf, instantParam } from './raw';
/** A guide counts as experienced after this many sessions worked. */
export const EXPERIENCED_AFTER = 3;

/** Ids in lists of at most this many: far within sqlite's 32,766 and PostgreSQL's 65,535 parameters. */
export const IN_CHUNK = 5_000;

/** Rows of a query over a list of ids, read in chunks (`?` in `IN (?)` takes one chunk at a time). */
async function rowsIn<T>(m: EntityManager, ids: readonly string[], sql: string, params: (ids: string[]) => unknown[]) {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK)
    out.push(...(await paced<T>(m, sql, params(ids.slice(i, i + IN_CHUNK)))));
  return out;
}

/** rawRows, after giving way if the work before has run long (a term's reads go in slices). */
async function paced<T>(m: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  await pace(m);
  return rawRows<T>(m, sql, params);
}

/** isoWeekOf, worked out once per date (luxon parses each date otherwise; a term has some hundred dates). */
export function weeksOfDates(): (date: string) => string {
  const memo = new Map<string, string>();
  return (date) => {
    let week = memo.get(date);
    if (week === undefined) memo.set(date, (week = isoWeekOf(date)));
    return week;
  };
}

/** What readSessions reads for a set of sessions: their venues, confirmed sign-ups and the seniors' helpers. */
interface SessionFacts {
  venueKey: Map<string, string>;
  walkIns: Map<string, number>;
  mix: [Platform, number][];
  regs: Map<string, { seniorId: string; devices: { platform: Platform }[]; language: string | null }[]>;
  helped: Map<string, { guideId: string; date: string }[]>;
}

async function sessionFacts(m: EntityManager, sessions: readonly SessionTimes[]): Promise<SessionFacts> {
  const ids = sessions.map((s) => s.id);
  const venueIds = [...new Set(sessions.map((s) => s.venueId))];
  const venues = await rowsIn<{ id: string; name: string; address: string; expected_walk_ins: number | string }>(
    m,
    venueIds,
    'SELECT v.id, v.name, v.address, v.expected_walk_ins FROM venues v WHERE v.id IN (?)',
    (chunk) => [chunk],
  );
  // Name and address: what the engine orders sessions at the same hour by, instead of the venue's id.
  const venueKey = new Map(venues.map((v) => [v.id, `${v.name}\n${v.address}`]));
  const walkIns = new Map(
    venues.filter((v) => Number(v.expected_walk_ins) > 0).map((v) => [v.id, Number(v.expected_walk_ins)]),
  );
  const mix = walkIns.size ? await platformMix(m, sessions[0].municipalityId) : [];
  // In a set order (by café, then as they signed up), so the input reads the same every time.
  const rows = await rowsIn<{ session_id: string; senior_id: string; devices: unknown; language: string | null }>(
    m,
    ids,
    `SELECT r.session_id, r.senior_id, r.devices, sn.preferred_language AS language
     FROM registrations r LEFT JOIN seniors sn ON sn.id = r.senior_id
     WHERE r.session_id IN (?) AND r.status = 'confirmed' ORDER BY r.session_id, r.created_at, r.id`,
    (chunk) => [chunk],
  );
  const regs = groupBy(
    rows.map((r) => ({
      sessionId: r.session_id,
      seniorId: r.senior_id,
      devices: jsonOf<{ platform: Platform }[]>(r.devices),
      language: r.language,
    })),
    (r) => r.sessionId,
  );
  await pace(m);
  const helped = await helpersBefore(m, [...new Set(rows.map((r) => r.senior_id))]);
  return { venueKey, walkIns, mix, regs, helped };
}

/** What readSessions needs of a session. */
type SessionTimes = Pick<
  Session,
  'id' | 'municipalityId' | 'venueId' | 'startsAt' | 'endsAt' | 'timeZone' | 'minGuides' | 'maxGuides'
>;

/** The engine's sessions from what was read; walk-ins count where one of these sessions' venues has them. */
function engineSessions(
  facts: SessionFacts,
  sessions: readonly SessionTimes[],
  batch: readonly SessionTimes[] = sessions,
): EngineSession[] {
  // The municipality's device mix is spread over a batch with walk-ins somewhere in it, as it always was.
  const mix = batch.some((s) => facts.walkIns.has(s.venueId)) ? facts.mix : [];
  const weekOf = weeksOfDates();
  return sessions.map((s) => {
    const start = instantToLocal(s.startsAt, s.timeZone);
    const end = instantToLocal(s.endsAt, s.timeZone);
    const demand: Partial<Record<Platform, number>> = {};
    const languages: Record<string, number> = {};
    const mine = facts.regs.get(s.id) ?? [];
    const helpedBy: Record<string, number> = {};
    for (const r of mine) {
      for (const guideId of helpedBeforeDate(facts.helped.get(r.seniorId), start.date))
        helpedBy[guideId] = (helpedBy[guideId] ?? 0) + 1;
      for (const platform of new Set(r.devices.map((d) => d.platform))) demand[platform] = (demand[platform] ?? 0) + 1;
      if (r.language && r.language !== 'sv') languages[r.language] = (languages[r.language] ?? 0) + 1;
    }
    // Walk-ins add demand in the proportions the municipality's seniors bring their devices.
    const extra = facts.walkIns.get(s.venueId) ?? 0;
    for (const [platform, share] of mix)
      demand[platform] = Math.round(((demand[platform] ?? 0) + extra * share) * 10) / 10;
    return {
      id: s.id,
      venueId: s.venueId,
      venueKey: facts.venueKey.get(s.venueId),
      start: s.startsAt.getTime(),
      end: s.endsAt.getTime(),
      date: start.date,
      week: weekOf(start.date),
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

/**
 * What the engine needs to know, read from the database: sessions with their local times and
 * the platforms and languages their seniors bring; guides with windows, dates, hours and history.
 * Counts and ids only: the engine never sees a name. A few set-based statements whatever the
 * number of sessions or guides, and no entities: a county's term is read in a blink.
 */
export async function readSessions(m: EntityManager, sessions: SessionTimes[]): Promise<EngineSession[]> {
  if (!sessions.length) return [];
  const facts = await sessionFacts(m, sessions);
  const out: EngineSession[] = [];
  for (let i = 0; i < sessions.length; i += 400) {
    await pace(m);
    out.push(...engineSessions(facts, sessions.slice(i, i + 400), sessions));
  }
  return out;
}

export async function readGuides(
  m: EntityManager,
  municipalityId: string,
  before: Date,
  period: { from: string; to: string },
): Promise<EngineGuide[]> {
  // One statement per kind of row, each in a set order: joined in one statement they multiply
  // (platforms × languages × windows × days off per guide), and a county's took seconds.
  const of = `JOIN guides g ON g.id = x.guide_id WHERE g.municipality_id = ? AND g.active = TRUE`;
  const guides = await paced<{ id: string; max_minutes_per_week: number | string; end_date: string | null }>(
    m,
    `SELECT g.id, g.max_minutes_per_week, CAST(g.end_date AS VARCHAR(10)) AS end_date
     FROM guides g WHERE g.municipality_id = ? AND g.active = TRUE ORDER BY g.id`,
    [municipalityId],
  );
  if (!guides.length) return [];
  const [platforms, languages, windows, dates, worked] = [
    await paced<{ guide_id: string; value: Platform }>(
      m,
      `SELECT x.guide_id, x.platform AS value FROM guide_platforms x ${of} ORDER BY x.guide_id, x.platform`,
      [municipalityId],
    ),
    await paced<{ guide_id: string; value: string }>(
      m,
      `SELECT x.guide_id, x.language AS value FROM guide_languages x ${of} ORDER BY x.guide_id, x.language`,
      [municipalityId],
    ),
    await paced<{
      guide_id: string;
      weekday: number | string;
      start_time: string;
      end_time: string;
      valid_from: string | null;
      valid_to: string | null;
    }>(
      m,
      `SELECT x.guide_id, x.weekday, x.start_time, x.end_time,
         CAST(x.valid_from AS VARCHAR(10)) AS valid_from, CAST(x.valid_to AS VARCHAR(10)) AS valid_to
       FROM guide_availability x ${of} ORDER BY x.guide_id, x.weekday, x.start_time, x.end_time, x.id`,
      [municipalityId],
    ),
    await paced<{ guide_id: string; value: string }>(
      m,
      `SELECT x.guide_id, CAST(x.date AS VARCHAR(10)) AS value FROM guide_unavailable_dates x ${of}
       ORDER BY x.guide_id, x.date`,
      [municipalityId],
    ),
    // Sessions worked (published, already begun) per guide and venue: experience and continuity.
    await paced<{ guide_id: string; venue_id: string; n: string | number }>(
      m,
      `SELECT x.guide_id, s.venue_id, COUNT(*) AS n FROM assignments x JOIN sessions s ON s.id = x.session_id
       ${of} AND x.status = 'published' AND s.starts_at < ?
       GROUP BY x.guide_id, s.venue_id ORDER BY x.guide_id, s.venue_id`,
      [municipalityId, instantParam(m, before)],
    ),
  ];
  const by = <T extends { guide_id: string }>(rows: T[]) => groupBy(rows, (r) => r.guide_id);
  const [platformsOf, languagesOf, windowsOf, datesOf, workedOf] = [
    by(platforms),
    by(languages),
    by(windows),
    by(dates),
    by(worked),
  ];
  const out: EngineGuide[] = [];
  // A county's guides are a thousand and more: others may go in between slices of them.
  for (let i = 0; i < guides.length; i += 200) {
    await pace(m);
    out.push(...guides.slice(i, i + 200).map((g) => engineGuide(g)));
  }
  return out;

  function engineGuide(g: (typeof guides)[number]): EngineGuide {
    const history: Record<string, number> = {};
    for (const w of workedOf.get(g.id) ?? []) history[w.venue_id] = Number(w.n);
    const total = Object.values(history).reduce((a, b) => a + b, 0);
    return {
      id: g.id,
      platforms: (platformsOf.get(g.id) ?? []).map((p) => p.value),
      languages: (languagesOf.get(g.id) ?? []).map((l) => l.value),
      maxMinutesPerWeek: Number(g.max_minutes_per_week),
      availability: effectiveWindows(
        (windowsOf.get(g.id) ?? []).map((a) => ({
          weekday: Number(a.weekday),
          start: a.start_time,
          end: a.end_time,
          validFrom: a.valid_from,
          validTo: a.valid_to,
        })),
        g.end_date,
      ).map((w) => ({
        weekday: w.weekday,
        startMinute: minutesOfDay(w.start),
        endMinute: minutesOfDay(w.end),
        from: w.from,
        to: w.to,
      })),
      unavailableDates: (datesOf.get(g.id) ?? []).map((u) => u.value).filter((d) => d >= period.from && d <= period.to),
      experienced: total >= EXPERIENCED_AFTER,
      venueHistory: history,
    };
  }
}

export async function readTravel(
  m: EntityManager,
  venueIds: string[],
): Promise<Record<string, Record<string, number>>> {
  const rows = await rowsIn<{ from_venue_id: string; to_venue_id: string; minutes: number | string }>(
    m,
    venueIds,
    'SELECT t.from_venue_id, t.to_venue_id, t.minutes FROM venue_travel t WHERE t.from_venue_id IN (?)',
    (chunk) => [chunk],
  );
  const travel: Record<string, Record<string, number>> = {};
  for (const r of rows) (travel[r.from_venue_id] ??= {})[r.to_venue_id] = Number(r.minutes);
  return travel;
}

/** The scheduled sessions of whole weeks, for planning: weekly hour limits are checked per week. */
export async function sessionsOfWeeks(
  m: EntityManager,
  municipalityId: string,
  monday: string,
  sunday: string,
): Promise<Session[]> {
  // A week to a statement: a county's term is read in slices, with others let in between.
  const out: Session[] = [];
  for (let from = monday; from <= sunday; from = addDays(from, 7)) {
    const to = addDays(from, 6) < sunday ? addDays(from, 6) : sunday;
    const rows = await paced<SessionRow>(
      m,
      `SELECT ${SESSION_COLUMNS} FROM sessions s
       WHERE s.municipality_id = ? AND s.status = 'scheduled' AND s.local_date >= ? AND s.local_date <= ?
       ORDER BY s.starts_at, s.id`,
      [municipalityId, from, to],
    );
    for (let i = 0; i < rows.length; i += 100) {
      if (i) await pace(m);
      for (const r of rows.slice(i, i + 100)) out.push(sessionOf(r));
    }
  }
  // By start, then id (in code-unit order, as the database orders these ids), across the slices too.
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The share of each platform among the devices the municipality's seniors bring (the national mix if none yet). */
async function platformMix(m: EntityManager, municipalityId: string): Promise<[Platform, number][]> {
  const seniors = await paced<{ devices: unknown }>(m, 'SELECT s.devices FROM seniors s WHERE s.municipality_id = ?', [
    municipalityId,
  ]);
  const counts = new Map<Platform, number>();
  for (const s of seniors)
    for (const d of jsonOf<{ platform: Platform }[]>(s.devices))
      counts.set(d.platform, (counts.get(d.platform) ?? 0) + 1);
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

/** An assignment as the hard rules are checked against it. */
export interface WeekAssignment {
  id: string;
  sessionId: string;
  guideId: string;
  status: Assignment['status'];
  conflict: Assignment['conflict'];
}

export interface WeekState {
  st: State;
  assignments: WeekAssignment[];
  sessions: Session[];
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
): Promise<WeekState> {
  const week = isoWeekOf(session.localDate);
  const skip = session.id && without ? { sessionId: session.id, guideId: without } : undefined;
  return (await weekStates(m, session.municipalityId, [week], now, skip)).get(week)!;
}

/**
 * The engine's state of each of these ISO weeks of a municipality, as weekState gives it, read
 * once for them all: a few statements whatever the number of weeks, then one state per week.
 */
export async function weekStates(
  m: EntityManager,
  municipalityId: string,
  weeks: readonly string[],
  now: Date,
  skip?: { sessionId: string; guideId: string },
): Promise<Map<string, WeekState>> {
  const parts = await weekParts(m, municipalityId, weeks, now, { skip });
  return new Map([...parts].map(([week, [whole]]) => [week, whole]));
}

/** Guides in one part of a week's check (`weekChecks`): some milliseconds of work for each. */
const GUIDES_PER_PART = 50;

/**
 * The states to check assignments against the hard rules in these weeks: only the guides with an
 * assignment in the week, since each rule but a full café is the guide's own, in parts of at most
 * GUIDES_PER_PART guides each, with others let in between (a county's week has hundreds). A part
 * holds its guides' assignments only. `replace`: the assignments of these sessions as they will be
 * (a plan about to be stored), in place of those stored.
 */
export function weekChecks(
  m: EntityManager,
  municipalityId: string,
  weeks: readonly string[],
  now: Date,
  replace?: ReadonlyMap<string, WeekAssignment[]>,
  partSize = GUIDES_PER_PART,
): Promise<Map<string, WeekState[]>> {
  return weekParts(m, municipalityId, weeks, now, { replace, partSize });
}

async function weekParts(
  m: EntityManager,
  municipalityId: string,
  weeks: readonly string[],
  now: Date,
  {
    skip,
    replace,
    partSize,
  }: {
    skip?: { sessionId: string; guideId: string };
    replace?: ReadonlyMap<string, WeekAssignment[]>;
    /** Parts of the assigned guides of this size; without it, one part with every guide. */
    partSize?: number;
  },
): Promise<Map<string, WeekState[]>> {
  const out = new Map<string, WeekState[]>();
  if (!weeks.length) return out;
  const wanted = new Set(weeks);
  const sorted = [...wanted].sort();
  const from = isoWeekRange(sorted[0]).monday;
  const to = isoWeekRange(sorted[sorted.length - 1]).sunday;
  const weekOf = weeksOfDates();
  const sessions = (await sessionsOfWeeks(m, municipalityId, from, to)).filter((s) => wanted.has(weekOf(s.localDate)));
  const assignmentRows = await rowsIn<{
    id: string;
    session_id: string;
    guide_id: string;
    status: Assignment['status'];
    conflict: unknown;
  }>(
    m,
    sessions.map((s) => s.id),
    `SELECT a.id, a.session_id, a.guide_id, a.status, a.conflict FROM assignments a WHERE a.session_id IN (?)
     ORDER BY a.session_id, a.guide_id`,
    (chunk) => [chunk],
  );
  const assignments = groupBy(
    assignmentRows.map((a) => ({
      id: a.id,
      sessionId: a.session_id,
      guideId: a.guide_id,
      status: a.status,
      conflict: a.conflict === null || a.conflict === undefined ? null : jsonOf<Assignment['conflict']>(a.conflict),
    })),
    (a) => a.sessionId,
  );
  const facts = sessions.length ? await sessionFacts(m, sessions) : null;
  await pace(m);
  const guides = await readGuides(m, municipalityId, now, { from, to });
  const travel = await readTravel(m, [...new Set(sessions.map((x) => x.venueId))]);
  const byWeek = groupBy(sessions, (s) => weekOf(s.localDate));
  for (const week of weeks) {
    if (out.has(week)) continue;
    const { monday, sunday } = isoWeekRange(week);
    const mine = byWeek.get(week) ?? [];
    const list = mine.flatMap((s) => replace?.get(s.id) ?? assignments.get(s.id) ?? []);
    const engineWeek = facts ? engineSessions(facts, mine) : [];
    let groups: (typeof guides)[];
    if (partSize === undefined) groups = [guides];
    else {
      const assigned = new Set(list.map((a) => a.guideId));
      const those = guides.filter((g) => assigned.has(g.id));
      groups = [];
      for (let i = 0; i < those.length; i += partSize) groups.push(those.slice(i, i + partSize));
      if (!groups.length) groups.push([]);
    }
    const parts: WeekState[] = [];
    for (const group of groups) {
      // A part's state is some milliseconds of work for a county: others may go in between.
      await pace(m);
      const ids = partSize === undefined ? null : new Set(group.map((g) => g.id));
      const p = new Problem({
        sessions: engineWeek,
        guides: group.map((g) => ({
          ...g,
          unavailableDates: g.unavailableDates.filter((d) => d >= monday && d <= sunday),
        })),
        travel,
        fixed: [],
      });
      const st = new State(p);
      const own = ids ? list.filter((a) => ids.has(a.guideId)) : list;
      for (const a of own) {
        if (skip && a.sessionId === skip.sessionId && a.guideId === skip.guideId) continue;
        const gi = p.guideIndex.get(a.guideId);
        const si = p.sessionIndex.get(a.sessionId);
        if (gi !== undefined && si !== undefined) st.add(gi, si);
      }
      parts.push({ st, assignments: own, sessions: mine });
    }
    out.set(week, parts);
  }
  return out;
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

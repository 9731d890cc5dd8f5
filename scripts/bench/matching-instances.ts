/**
 * Seeded, realistic instances for the matching engine (src/domain/matching): the same seed and
 * size always give the same `EngineInput`. Used by scripts/bench/matching.bench.ts and meant for
 * tests too (`generateInstance('term', 7)`).
 *
 * Sizes:
 * - `tiny`: three venues over two weeks (6 sessions), eight guides: small enough for an exact solver in
 *   milliseconds, used to check that the MILP and the engine score the same function.
 * - `week`: one municipality's week: a library (a weekday afternoon, and a Saturday morning every
 *   other week) and three meeting points (one weekday afternoon each): 4–5 sessions, 12 guides.
 * - `term`: the same municipality over 22 weeks (≈100 sessions), 15 guides.
 * - `region`: 20 venues × 2 sessions a week × 20 weeks = 800 sessions, 300 guides.
 * - `county`: the region four times over, on the same map: 80 venues (3,200 sessions), 1,200 guides,
 *   any of whom may work at any venue (the dense case: every guide is within 40 minutes of every venue).
 * - `county-sparse`: the same count of venues, sessions and guides in a county some 100 km across:
 *   venues in eight towns, each guide living in or near one of them and working only at venues
 *   within 25 km of home (`EngineGuide.venues`), with travel 5–130 minutes between venues.
 *
 * The region and county sizes scale with `InstanceOptions.venues` and `guides` (the benchmark's
 * scaling series: time against eligible pairs).
 *
 * Realism: sessions of 2 h on weekday afternoons (starts 13:00–16:00) and some Saturday mornings,
 * in Europe/Stockholm (the term crosses the switch to summer time, so UTC instants and local
 * facts are worked out per date); 5–10 seniors each, bringing ≈45 % iOS, 35 % Android,
 * 10 % Windows, 5 % macOS, 3 % iPadOS, 2 % ChromeOS (one in seven brings a second device); about
 * 20 % of seniors prefer Arabic, Dari, Tigrinya, Somali or Ukrainian; guides know 2–4 platforms
 * weighted to the same mix, speak Swedish plus 0–2 more languages, are available on 2–4 weekday
 * afternoons (windows such as 14:00–18:00) and some Saturdays, want 4–8 h a week, a quarter are
 * new, a few have dates off, some have worked at a venue before; travel 5–40 minutes.
 */
import { Rng } from '../../src/domain/random';
import { addDays, isoWeekOf, localToInstant, minutesOfDay, weekdayOf } from '../../src/domain/time';
import type {
  AvailabilityWindow,
  EngineGuide,
  EngineInput,
  EngineSession,
  Pair,
} from '../../src/domain/matching/types';
import type { Platform } from '../../src/domain/vocabulary';

export const MATCHING_SIZES = ['tiny', 'week', 'term', 'region', 'county', 'county-sparse'] as const;
export type MatchingSize = (typeof MATCHING_SIZES)[number];

export const ZONE = 'Europe/Stockholm';
const SESSION_MINUTES = 120;

/** The seniors' platform mix; guides' platforms are drawn with the same weights. */
export const PLATFORM_MIX: readonly (readonly [Platform, number])[] = [
  ['ios', 45],
  ['android', 35],
  ['windows', 10],
  ['macos', 5],
  ['ipados', 3],
  ['chromeos', 2],
];

/** Languages other than Swedish that seniors prefer, and how common each is among them. */
export const LANGUAGE_MIX: readonly (readonly [string, number])[] = [
  ['ar', 35],
  ['uk', 20],
  ['so', 15],
  ['ti', 15],
  ['prs', 15],
];

/** One recurring slot of a venue: a weekday, a local start time, every `everyWeeks` weeks. */
interface Slot {
  weekday: number;
  start: string;
  everyWeeks: number;
  /** First week (0-based) the slot runs in, for alternate-week slots. */
  offset: number;
}

interface VenueSpec {
  id: string;
  kind: 'library' | 'meeting_point';
  slots: Slot[];
  maxGuides: number;
}

interface SizeSpec {
  venues: (rng: Rng, count?: number) => VenueSpec[];
  weeks: number;
  guides: number;
  /** The Monday of the first week. */
  firstMonday: string;
  /** Guides work near home only: the county's map. */
  sparse?: boolean;
}

/** A municipality: one library with a weekday afternoon and alternate Saturday mornings, three meeting points. */
function municipality(rng: Rng): VenueSpec[] {
  const afternoons = ['13:00', '13:30', '14:00', '14:30', '15:00', '16:00'];
  const days = rng.shuffle([1, 2, 3, 4, 5]);
  return [
    {
      id: 'v-library',
      kind: 'library',
      maxGuides: 4,
      slots: [
        { weekday: days[0], start: rng.pick(afternoons), everyWeeks: 1, offset: 0 },
        { weekday: 6, start: rng.pick(['10:00', '11:00']), everyWeeks: 2, offset: 0 },
      ],
    },
    ...[1, 2, 3].map((n): VenueSpec => ({
      id: `v-meeting-${n}`,
      kind: 'meeting_point',
      maxGuides: 3,
      slots: [{ weekday: days[n], start: rng.pick(afternoons), everyWeeks: 1, offset: 0 }],
    })),
  ];
}

/** A region: 20 venues with two weekly sessions each; a fifth of them have one on Saturday morning. */
function region(rng: Rng, count = 20): VenueSpec[] {
  const afternoons = ['13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00'];
  return Array.from({ length: count }, (_v, n): VenueSpec => {
    const library = n % 4 === 0;
    const [d1, d2] = rng.shuffle([1, 2, 3, 4, 5]);
    const saturday = rng.chance(0.2);
    return {
      id: `v-${library ? 'library' : 'meeting'}-${n + 1}`,
      kind: library ? 'library' : 'meeting_point',
      maxGuides: library ? 4 : 3,
      slots: [
        { weekday: d1, start: rng.pick(afternoons), everyWeeks: 1, offset: 0 },
        saturday
          ? { weekday: 6, start: rng.pick(['10:00', '11:00']), everyWeeks: 1, offset: 0 }
          : { weekday: d2, start: rng.pick(afternoons), everyWeeks: 1, offset: 0 },
      ],
    };
  });
}

function tiny(rng: Rng): VenueSpec[] {
  // Three venues on two or three weekdays, so that some sessions clash (overlap or travel).
  const afternoons = ['13:00', '14:00', '14:30', '15:00'];
  return ['v-library', 'v-meeting-1', 'v-meeting-2'].map((id, n): VenueSpec => ({
    id,
    kind: n ? 'meeting_point' : 'library',
    maxGuides: n ? 3 : 4,
    slots: [{ weekday: rng.int(2, 4), start: rng.pick(afternoons), everyWeeks: 1, offset: 0 }],
  }));
}

const SIZES: Record<MatchingSize, SizeSpec> = {
  tiny: { venues: tiny, weeks: 2, guides: 8, firstMonday: '2027-01-11' },
  week: { venues: municipality, weeks: 1, guides: 12, firstMonday: '2027-01-11' },
  term: { venues: municipality, weeks: 22, guides: 15, firstMonday: '2027-01-11' },
  region: { venues: region, weeks: 20, guides: 300, firstMonday: '2027-01-11' },
  county: { venues: (rng, count) => region(rng, count ?? 80), weeks: 20, guides: 1200, firstMonday: '2027-01-11' },
  'county-sparse': {
    venues: (rng, count) => region(rng, count ?? 80),
    weeks: 20,
    guides: 1200,
    firstMonday: '2027-01-11',
    sparse: true,
  },
};

export interface InstanceOptions {
  /** Pin this many random assignments of a feasible greedy plan as `fixed` (default 0). */
  fixed?: number;
  /** Region and county sizes: this many venues (two sessions a week each) instead of the size's own. */
  venues?: number;
  /** This many guides instead of the size's own. */
  guides?: number;
}

export interface Instance {
  size: MatchingSize;
  seed: number;
  input: EngineInput;
  /** Facts for the report. */
  stats: { venues: number; weeks: number; sessions: number; guides: number; seniors: number; eligiblePairs: number };
}

/** The instance of a size and seed: always the same for the same arguments. */
export function generateInstance(size: MatchingSize, seed: number, options: InstanceOptions = {}): Instance {
  const spec = SIZES[size];
  const rng = new Rng(hashSeed(size, seed));
  const venues = spec.venues(rng, options.venues);
  const sessions = makeSessions(rng, venues, spec);
  const guides = Array.from({ length: options.guides ?? spec.guides }, (_g, j) =>
    makeGuide(rng, j, venues, sessions, spec),
  );
  // The county's map is drawn from a generator of its own, so the rest stays as the dense case draws it.
  const travel = spec.sparse
    ? nearHome(new Rng(hashSeed(`${size}-map`, seed)), venues, guides)
    : makeTravel(rng, venues);
  const input: EngineInput = { sessions, guides, travel, defaultTravelMinutes: 30, fixed: [], seed };
  if (options.fixed) input.fixed = pickFixed(rng, input, options.fixed);
  let eligiblePairs = 0;
  for (const s of sessions)
    for (const g of guides)
      if (windowCovers(g, s) && !g.unavailableDates.includes(s.date) && (!g.venues || g.venues.includes(s.venueId)))
        eligiblePairs++;
  return {
    size,
    seed,
    input,
    stats: {
      venues: venues.length,
      weeks: spec.weeks,
      sessions: sessions.length,
      guides: guides.length,
      seniors: sessions.reduce((n, s) => n + s.seniors, 0),
      eligiblePairs,
    },
  };
}

function hashSeed(size: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (const c of size) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

function makeSessions(rng: Rng, venues: VenueSpec[], spec: SizeSpec): EngineSession[] {
  const out: EngineSession[] = [];
  for (let week = 0; week < spec.weeks; week++) {
    const monday = addDays(spec.firstMonday, week * 7);
    for (const venue of venues) {
      for (const slot of venue.slots) {
        if ((week - slot.offset) % slot.everyWeeks !== 0) continue;
        const date = addDays(monday, slot.weekday - 1);
        const startMinute = minutesOfDay(slot.start);
        const start = localToInstant(date, slot.start, ZONE).getTime();
        const seniorCount = rng.int(5, 10);
        const demand: Partial<Record<Platform, number>> = {};
        const languages: Record<string, number> = {};
        for (let i = 0; i < seniorCount; i++) {
          const first = rng.weighted(PLATFORM_MIX);
          demand[first] = (demand[first] ?? 0) + 1;
          if (rng.chance(1 / 7)) {
            const second = rng.weighted(PLATFORM_MIX.filter(([p]) => p !== first));
            demand[second] = (demand[second] ?? 0) + 1;
          }
          if (rng.chance(0.2)) {
            const lang = rng.weighted(LANGUAGE_MIX);
            languages[lang] = (languages[lang] ?? 0) + 1;
          }
        }
        out.push({
          id: `s-${date}-${venue.id}`,
          venueId: venue.id,
          start,
          end: start + SESSION_MINUTES * 60_000,
          date,
          week: isoWeekOf(date),
          weekday: weekdayOf(date),
          startMinute,
          endMinute: startMinute + SESSION_MINUTES,
          minGuides: 2,
          maxGuides: venue.maxGuides,
          demand,
          languages,
          seniors: seniorCount,
        });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

/** `count` distinct items drawn with weights, without replacement. */
function weightedDistinct<T>(rng: Rng, options: readonly (readonly [T, number])[], count: number): T[] {
  const left = [...options];
  const out: T[] = [];
  while (out.length < count && left.length) {
    const pick = rng.weighted(left);
    out.push(pick);
    left.splice(
      left.findIndex(([v]) => v === pick),
      1,
    );
  }
  return out;
}

function makeGuide(rng: Rng, j: number, venues: VenueSpec[], sessions: EngineSession[], spec: SizeSpec): EngineGuide {
  const platforms = weightedDistinct(rng, PLATFORM_MIX, rng.int(2, 4));
  const languages = ['sv'];
  const extra = rng.weighted([
    [0, 45],
    [1, 40],
    [2, 15],
  ] as const);
  if (extra >= 1) languages.push(rng.chance(0.5) ? 'en' : rng.weighted(LANGUAGE_MIX));
  if (extra >= 2) {
    const more = weightedDistinct(
      rng,
      [['en', 40], ...LANGUAGE_MIX].filter(([l]) => !languages.includes(l as string)) as [string, number][],
      1,
    );
    languages.push(...more);
  }

  // Afternoons on 2–4 weekdays, after school or lectures; some Saturdays.
  const availability: AvailabilityWindow[] = [];
  const days = rng.shuffle([1, 2, 3, 4, 5]).slice(0, rng.int(2, 4)).sort();
  for (const weekday of days) {
    const from = rng.weighted([
      [12 * 60, 15],
      [13 * 60, 30],
      [14 * 60, 35],
      [15 * 60, 20],
    ] as const);
    const to = Math.min(
      20 * 60,
      from +
        rng.weighted([
          [180, 25],
          [240, 45],
          [300, 30],
        ] as const),
    );
    availability.push({ weekday, startMinute: from, endMinute: to });
  }
  if (rng.chance(0.3)) availability.push({ weekday: 6, startMinute: 9 * 60, endMinute: rng.pick([13, 14, 15]) * 60 });

  // A few dates off: exams, trips; more likely in some weeks than others.
  const dates = [...new Set(sessions.map((s) => s.date))];
  const unavailableDates: string[] = [];
  const off = spec.weeks === 1 ? (rng.chance(0.15) ? 1 : 0) : rng.int(0, Math.min(5, Math.ceil(spec.weeks / 5)));
  for (let i = 0; i < off; i++) {
    const d = rng.pick(dates);
    if (!unavailableDates.includes(d)) unavailableDates.push(d);
    // Sometimes a whole week away.
    if (spec.weeks > 1 && rng.chance(0.2)) for (let k = 1; k < 5; k++) unavailableDates.push(addDays(d, k));
  }

  const experienced = !rng.chance(0.25);
  const venueHistory: Record<string, number> = {};
  if (experienced) {
    const worked = rng.int(0, Math.min(3, venues.length));
    for (const v of rng.shuffle(venues).slice(0, worked)) venueHistory[v.id] = rng.int(1, 12);
  }
  return {
    id: `g-${String(j + 1).padStart(3, '0')}`,
    platforms,
    languages,
    maxMinutesPerWeek: rng.int(4, 8) * 60,
    availability,
    unavailableDates: [...new Set(unavailableDates)].sort(),
    experienced,
    venueHistory,
  };
}

/** Venues on a map some 30 km across: travel 5–40 minutes between any two. */
function makeTravel(rng: Rng, venues: VenueSpec[]): EngineInput['travel'] {
  const at = venues.map(() => [rng.float() * 30, rng.float() * 30] as const);
  const travel: EngineInput['travel'] = {};
  venues.forEach((a, i) => {
    travel[a.id] = {};
    venues.forEach((b, k) => {
      if (i === k) return;
      const km = Math.hypot(at[i][0] - at[k][0], at[i][1] - at[k][1]);
      travel[a.id][b.id] = Math.max(5, Math.min(40, Math.round(5 + km * 1.2)));
    });
  });
  return travel;
}

/** Kilometres to minutes on the road: 5 minutes to get going, then about 50 km/h. */
const minutesFor = (km: number, most: number) => Math.max(5, Math.min(most, Math.round(5 + km * 1.2)));

/**
 * A county some 100 km across: eight towns, each venue in or near one (within about 6 km), each
 * guide living in or near a town (weighted by its venues) and working only at venues within
 * `HOME_RADIUS_KM` of home (the nearest one at least). Sets `venues` on each guide; returns the
 * travel between venues (5–130 minutes).
 */
const COUNTY_KM = 100;
const HOME_RADIUS_KM = 25;
function nearHome(rng: Rng, venues: VenueSpec[], guides: EngineGuide[]): EngineInput['travel'] {
  const towns = Array.from({ length: 8 }, () => [rng.float() * COUNTY_KM, rng.float() * COUNTY_KM] as const);
  const near = ([x, y]: readonly [number, number], km: number) =>
    [x + (rng.float() * 2 - 1) * km, y + (rng.float() * 2 - 1) * km] as const;
  const townOf = venues.map(() => rng.int(0, towns.length - 1));
  const at = venues.map((_v, i) => near(towns[townOf[i]], 6));
  const venuesIn = towns.map((_t, k) => townOf.filter((t) => t === k).length + 0.5);
  const km = (a: readonly [number, number], b: readonly [number, number]) => Math.hypot(a[0] - b[0], a[1] - b[1]);
  for (const g of guides) {
    const home = near(towns[rng.weighted(towns.map((_t, k) => [k, venuesIn[k]] as const))], 8);
    const byDistance = venues.map((v, i) => ({ id: v.id, km: km(home, at[i]) })).sort((a, b) => a.km - b.km);
    g.venues = byDistance.filter((v, i) => i === 0 || v.km <= HOME_RADIUS_KM).map((v) => v.id);
  }
  const travel: EngineInput['travel'] = {};
  venues.forEach((a, i) => {
    travel[a.id] = {};
    venues.forEach((b, k) => {
      if (i !== k) travel[a.id][b.id] = minutesFor(km(at[i], at[k]), 130);
    });
  });
  return travel;
}

function windowCovers(g: EngineGuide, s: EngineSession): boolean {
  return g.availability.some(
    (w) => w.weekday === s.weekday && w.startMinute <= s.startMinute && w.endMinute >= s.endMinute,
  );
}

/**
 * Fixed pairs that keep every hard rule: a greedy plan (sessions in order, each taking eligible
 * guides who are free then and under their weekly hours), of which `count` pairs are pinned,
 * two per session so that no pinned guide is alone.
 */
function pickFixed(rng: Rng, input: EngineInput, count: number): Pair[] {
  const busy = new Map<string, EngineSession[]>();
  const weekly = new Map<string, number>();
  const travel = (a: string, b: string) =>
    a === b ? 0 : (input.travel[a]?.[b] ?? input.travel[b]?.[a] ?? input.defaultTravelMinutes ?? 30);
  const clash = (x: EngineSession, y: EngineSession) =>
    !(
      x.end + travel(x.venueId, y.venueId) * 60_000 <= y.start ||
      y.end + travel(y.venueId, x.venueId) * 60_000 <= x.start
    );
  const out: Pair[] = [];
  for (const s of rng.shuffle(input.sessions)) {
    if (out.length >= count) break;
    const chosen: string[] = [];
    for (const g of rng.shuffle(input.guides)) {
      if (chosen.length === 2) break;
      if (!windowCovers(g, s) || g.unavailableDates.includes(s.date)) continue;
      if (g.venues && !g.venues.includes(s.venueId)) continue;
      const key = `${g.id}|${s.week}`;
      if ((weekly.get(key) ?? 0) + (s.end - s.start) / 60_000 > g.maxMinutesPerWeek) continue;
      if ((busy.get(g.id) ?? []).some((o) => clash(o, s))) continue;
      chosen.push(g.id);
    }
    if (chosen.length < 2) continue;
    for (const gid of chosen) {
      busy.set(gid, [...(busy.get(gid) ?? []), s]);
      const key = `${gid}|${s.week}`;
      weekly.set(key, (weekly.get(key) ?? 0) + (s.end - s.start) / 60_000);
      out.push({ sessionId: s.id, guideId: gid });
    }
  }
  return out.slice(0, count - (count % 2));
}

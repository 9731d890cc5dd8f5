import { DEFAULT_WEIGHTS, type EngineInput, SENIORS_PER_GUIDE, type Weights } from './types';
import type { AvailabilityWindow, EngineGuide, EngineSession } from './types';
import type { Platform } from '../vocabulary';

const MINUTE = 60_000;

/**
 * The fixed facts of one planning problem, indexed for speed: who may ever work which session
 * (availability windows and dates), session lengths and targets, travel, fair shares.
 */
export class Problem {
  readonly sessions: EngineSession[];
  readonly guides: EngineGuide[];
  readonly weights: Weights;
  readonly sessionIndex = new Map<string, number>();
  readonly guideIndex = new Map<string, number>();
  /** Guides whose windows and dates allow the session, per session. */
  readonly eligible: number[][];
  private readonly eligibleFlag: Uint8Array;
  readonly minutes: Float64Array;
  /** Guides the session should have: one per three seniors, within its min and max. */
  readonly target: Int32Array;
  readonly weekOf: Int32Array;
  readonly weekCount: number;
  /** Each guide's fair share of the period's minutes, in proportion to what they can give. */
  readonly fairMinutes: Float64Array;
  readonly fixed: Set<number>[];
  readonly previous: Set<string>;
  readonly knows: Set<Platform>[];
  readonly speaks: Set<string>[];
  private readonly travel: EngineInput['travel'];
  private readonly defaultTravel: number;

  // The same facts as flat numbers, for the hot loops (State.localScore, canJoin, compatible).
  readonly start: Float64Array;
  readonly end: Float64Array;
  private readonly venueOf: Int32Array;
  /** Travel minutes between venues by index, row-major. */
  private readonly travelMatrix: Float64Array;
  /** Per session, in the order of its `demand` keys: platform index and seniors (sums keep that order). */
  readonly demandPlatform: Int32Array[];
  readonly demandSeniors: Float64Array[];
  /** Per session, in the order of its `languages` keys: language index and seniors. */
  readonly languageIndex: Int32Array[];
  readonly languageSeniors: Float64Array[];
  /** knowsFlag[g * platformCount + k]: guide g knows platform k; speaksFlag likewise for languages. */
  readonly knowsFlag: Uint8Array;
  readonly speaksFlag: Uint8Array;
  readonly platformCount: number;
  readonly languageCount: number;
  readonly experienced: Uint8Array;
  /** hasBeenAt[g * venueCount + v]: guide g has worked at venue v before this period. */
  private readonly hasBeenAt: Uint8Array;
  private readonly venueCount: number;
  /** Per session: seniors each guide (by index) has helped before; null when none. */
  private readonly helpedIndex: (Map<number, number> | null)[];
  /** Pairs of the previous plan, as s * G + g. */
  private readonly previousPairs: Set<number>;

  constructor(input: EngineInput) {
    this.sessions = input.sessions;
    this.guides = input.guides;
    this.weights = { ...DEFAULT_WEIGHTS, ...input.weights };
    this.travel = input.travel;
    this.defaultTravel = input.defaultTravelMinutes ?? 30;
    const S = this.sessions.length;
    const G = this.guides.length;
    this.sessions.forEach((s, i) => this.sessionIndex.set(s.id, i));
    this.guides.forEach((g, i) => this.guideIndex.set(g.id, i));
    this.knows = this.guides.map((g) => new Set(g.platforms));
    this.speaks = this.guides.map((g) => new Set(g.languages));

    const weeks = new Map<string, number>();
    this.weekOf = new Int32Array(S);
    this.minutes = new Float64Array(S);
    this.target = new Int32Array(S);
    this.sessions.forEach((s, i) => {
      if (!weeks.has(s.week)) weeks.set(s.week, weeks.size);
      this.weekOf[i] = weeks.get(s.week)!;
      this.minutes[i] = (s.end - s.start) / MINUTE;
      this.target[i] = Math.min(s.maxGuides, Math.max(s.minGuides, Math.ceil(s.seniors / SENIORS_PER_GUIDE)));
    });
    this.weekCount = weeks.size;

    this.eligibleFlag = new Uint8Array(S * G);
    // Sessions at the same local date and times have the same guides free (windows, days off), so
    // those are worked out once per date and times (a county's 3,200 sessions have some 700), then
    // narrowed to the guides who work at each session's venue.
    const venuesOf = this.guides.map((g) => g.venues && new Set(g.venues));
    const free = new Map<string, number[]>();
    this.eligible = this.sessions.map((s, i) => {
      const key = `${s.date} ${s.weekday} ${s.startMinute} ${s.endMinute}`;
      let guides = free.get(key);
      if (!guides) {
        guides = [];
        for (let j = 0; j < G; j++)
          if (this.windowCovers(this.guides[j], s) && !this.guides[j].unavailableDates.includes(s.date)) guides.push(j);
        free.set(key, guides);
      }
      const list = guides.filter((j) => {
        const venues = venuesOf[j];
        return !venues || venues.has(s.venueId);
      });
      for (const j of list) this.eligibleFlag[i * G + j] = 1;
      return list;
    });

    // Fair share: the period's wanted minutes split by what each guide can give (their
    // eligible minutes, capped by their weekly maximum over the weeks of the period).
    const wanted = this.sessions.reduce((sum, _s, i) => sum + this.target[i] * this.minutes[i], 0);
    const capacity = new Float64Array(G);
    const perWeek = new Float64Array(G * this.weekCount);
    this.eligible.forEach((list, i) =>
      list.forEach((j) => (perWeek[j * this.weekCount + this.weekOf[i]] += this.minutes[i])),
    );
    for (let j = 0; j < G; j++) {
      for (let w = 0; w < this.weekCount; w++)
        capacity[j] += Math.min(perWeek[j * this.weekCount + w], this.guides[j].maxMinutesPerWeek);
    }
    const totalCapacity = capacity.reduce((a, b) => a + b, 0) || 1;
    this.fairMinutes = capacity.map((c) => (Math.min(wanted, totalCapacity) * c) / totalCapacity);

    this.fixed = this.sessions.map(() => new Set<number>());
    for (const p of input.fixed) {
      const s = this.sessionIndex.get(p.sessionId);
      const g = this.guideIndex.get(p.guideId);
      if (s !== undefined && g !== undefined) this.fixed[s].add(g);
    }
    this.previous = new Set((input.previous ?? []).map((p) => `${p.sessionId}|${p.guideId}`));

    this.start = Float64Array.from(this.sessions, (s) => s.start);
    this.end = Float64Array.from(this.sessions, (s) => s.end);
    const venueIds = new Map<string, number>();
    this.venueOf = Int32Array.from(this.sessions, (s) => {
      if (!venueIds.has(s.venueId)) venueIds.set(s.venueId, venueIds.size);
      return venueIds.get(s.venueId)!;
    });
    const V = (this.venueCount = venueIds.size);
    const venueList = [...venueIds.keys()];
    this.travelMatrix = new Float64Array(V * V);
    for (let a = 0; a < V; a++)
      for (let b = 0; b < V; b++) this.travelMatrix[a * V + b] = this.travelMinutes(venueList[a], venueList[b]);

    const platformIds = new Map<string, number>();
    const languageIds = new Map<string, number>();
    const idOf = (ids: Map<string, number>, key: string) => {
      if (!ids.has(key)) ids.set(key, ids.size);
      return ids.get(key)!;
    };
    this.demandPlatform = this.sessions.map((s) => Int32Array.from(Object.keys(s.demand), (k) => idOf(platformIds, k)));
    this.demandSeniors = this.sessions.map((s) =>
      Float64Array.from(Object.keys(s.demand), (k) => s.demand[k as Platform]!),
    );
    this.languageIndex = this.sessions.map((s) =>
      Int32Array.from(Object.keys(s.languages), (k) => idOf(languageIds, k)),
    );
    this.languageSeniors = this.sessions.map((s) => Float64Array.from(Object.keys(s.languages), (k) => s.languages[k]));
    const P = (this.platformCount = platformIds.size);
    const L = (this.languageCount = languageIds.size);
    this.knowsFlag = new Uint8Array(G * P);
    this.speaksFlag = new Uint8Array(G * L);
    this.experienced = new Uint8Array(G);
    this.hasBeenAt = new Uint8Array(G * V);
    // From each guide's own few platforms, languages and venues (a week's check builds this for
    // every part of a county's guides: walking every venue for every guide made garbage).
    this.guides.forEach((g, j) => {
      for (const k of this.knows[j]) {
        const i = platformIds.get(k);
        if (i !== undefined) this.knowsFlag[j * P + i] = 1;
      }
      for (const k of this.speaks[j]) {
        const i = languageIds.get(k);
        if (i !== undefined) this.speaksFlag[j * L + i] = 1;
      }
      this.experienced[j] = g.experienced ? 1 : 0;
      for (const v in g.venueHistory) {
        const i = venueIds.get(v);
        if (i !== undefined && g.venueHistory[v] > 0) this.hasBeenAt[j * V + i] = 1;
      }
    });
    this.helpedIndex = this.sessions.map((s) => {
      const entries = Object.entries(s.helpedBy ?? {}).filter(([id]) => this.guideIndex.has(id));
      return entries.length ? new Map(entries.map(([id, n]) => [this.guideIndex.get(id)!, n])) : null;
    });
    this.previousPairs = new Set<number>();
    for (const pair of input.previous ?? []) {
      const s = this.sessionIndex.get(pair.sessionId);
      const g = this.guideIndex.get(pair.guideId);
      if (s !== undefined && g !== undefined) this.previousPairs.add(s * G + g);
    }
  }

  isEligible(s: number, g: number): boolean {
    return this.eligibleFlag[s * this.guides.length + g] === 1;
  }

  /** How many of session s's seniors guide g has helped before. */
  helped(s: number, g: number): number {
    return this.helpedIndex[s]?.get(g) ?? 0;
  }

  wasPrevious(s: number, g: number): boolean {
    return this.previousPairs.has(s * this.guides.length + g);
  }

  /** Whether guide g has worked at session s's venue before this period. */
  hasBeenHere(s: number, g: number): boolean {
    return this.hasBeenAt[g * this.venueCount + this.venueOf[s]] === 1;
  }

  travelMinutes(fromVenue: string, toVenue: string): number {
    if (fromVenue === toVenue) return 0;
    return this.travel[fromVenue]?.[toVenue] ?? this.travel[toVenue]?.[fromVenue] ?? this.defaultTravel;
  }

  /** Whether one guide can do both sessions: no overlap, and time to travel between them. */
  compatible(a: number, b: number): boolean {
    const V = this.venueCount;
    const va = this.venueOf[a];
    const vb = this.venueOf[b];
    return (
      this.end[a] + this.travelMatrix[va * V + vb] * MINUTE <= this.start[b] ||
      this.end[b] + this.travelMatrix[vb * V + va] * MINUTE <= this.start[a]
    );
  }

  /** Whether the guide works at the session's venue at all (EngineGuide.venues). */
  worksAt(g: number, s: number): boolean {
    const venues = this.guides[g].venues;
    return !venues || venues.includes(this.sessions[s].venueId);
  }

  windowCovers(g: EngineGuide, s: EngineSession): boolean {
    return g.availability.some((w) => w.weekday === s.weekday && covers(w, s));
  }
}

/** Whether a window on the session's weekday covers its times and date. */
const covers = (w: AvailabilityWindow, s: EngineSession) =>
  w.startMinute <= s.startMinute &&
  w.endMinute >= s.endMinute &&
  (!w.from || w.from <= s.date) &&
  (!w.to || s.date <= w.to);

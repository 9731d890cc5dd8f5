import { DEFAULT_WEIGHTS, type EngineInput, SENIORS_PER_GUIDE, type Weights } from './types';
import type { EngineGuide, EngineSession } from './types';
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
    this.eligible = this.sessions.map((s, i) => {
      const list: number[] = [];
      this.guides.forEach((g, j) => {
        if (this.windowCovers(g, s) && !g.unavailableDates.includes(s.date)) {
          list.push(j);
          this.eligibleFlag[i * G + j] = 1;
        }
      });
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
  }

  isEligible(s: number, g: number): boolean {
    return this.eligibleFlag[s * this.guides.length + g] === 1;
  }

  /** How many of session s's seniors guide g has helped before. */
  helped(s: number, g: number): number {
    return this.sessions[s].helpedBy?.[this.guides[g].id] ?? 0;
  }

  wasPrevious(s: number, g: number): boolean {
    return this.previous.has(`${this.sessions[s].id}|${this.guides[g].id}`);
  }

  travelMinutes(fromVenue: string, toVenue: string): number {
    if (fromVenue === toVenue) return 0;
    return this.travel[fromVenue]?.[toVenue] ?? this.travel[toVenue]?.[fromVenue] ?? this.defaultTravel;
  }

  /** Whether one guide can do both sessions: no overlap, and time to travel between them. */
  compatible(a: number, b: number): boolean {
    const x = this.sessions[a];
    const y = this.sessions[b];
    return (
      x.end + this.travelMinutes(x.venueId, y.venueId) * MINUTE <= y.start ||
      y.end + this.travelMinutes(y.venueId, x.venueId) * MINUTE <= x.start
    );
  }

  windowCovers(g: EngineGuide, s: EngineSession): boolean {
    return g.availability.some(
      (w) =>
        w.weekday === s.weekday &&
        w.startMinute <= s.startMinute &&
        w.endMinute >= s.endMinute &&
        (!w.from || w.from <= s.date) &&
        (!w.to || s.date <= w.to),
    );
  }
}

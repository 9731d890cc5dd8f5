import type { Platform } from '../vocabulary';
import type { Reason } from './reasons';

/**
 * The matching engine's input and output: plain data, no ids of the database's choosing beyond
 * strings, no names (the engine never needs to know who a person is).
 */
export interface EngineSession {
  id: string;
  venueId: string;
  /**
   * The venue's name and address: the engine orders sessions by start, then this, so the plan
   * does not hang on the ids the database gave (the venueId stands in where it is left out).
   */
  venueKey?: string;
  /** UTC epoch milliseconds. */
  start: number;
  end: number;
  /** Local facts, worked out by the caller in the session's zone. */
  date: string;
  week: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
  minGuides: number;
  maxGuides: number;
  /** Seniors per platform they bring: registered, plus the venue's expected walk-ins. */
  demand: Partial<Record<Platform, number>>;
  /** Seniors per preferred language other than Swedish. */
  languages: Record<string, number>;
  /** Seniors expected in all (registered + walk-ins). */
  seniors: number;
  /** Per guide id: how many of the seniors signed up the guide has helped before (continuity). */
  helpedBy?: Record<string, number>;
}

export interface AvailabilityWindow {
  weekday: number;
  startMinute: number;
  endMinute: number;
  /** The local dates the window holds from and to, inclusive; open where left out. */
  from?: string;
  to?: string;
}

export interface EngineGuide {
  id: string;
  platforms: Platform[];
  languages: string[];
  maxMinutesPerWeek: number;
  availability: AvailabilityWindow[];
  unavailableDates: string[];
  /** Past the first sessions a new guide works beside an experienced one. */
  experienced: boolean;
  /** Sessions worked at each venue before this period, for continuity. */
  venueHistory: Record<string, number>;
  /**
   * The only venues the guide works at (those near home, say), by venue id; any venue where left
   * out. The service leaves it out; the benchmark's county instances use it.
   */
  venues?: string[];
}

export interface Pair {
  sessionId: string;
  guideId: string;
}

export interface Weights {
  /** Per session brought up to its minimum: dominates everything else. */
  filled: number;
  /** Per senior whose platform an assigned guide knows. */
  coverage: number;
  /** Per guide up to the session's target (one per three seniors, within min and max). */
  staffing: number;
  /** Per session where a new guide has no experienced guide beside them (a penalty). */
  experience: number;
  /** Per senior whose language an assigned guide speaks. */
  language: number;
  /** Per hour a guide's paid hours are away from their fair share (a penalty). */
  fairness: number;
  /** Per assignment at a venue the guide has worked at before, and per senior signed up whom the guide has helped before. */
  continuity: number;
  /** Per assignment kept from the previous plan when re-planning. */
  stability: number;
}

export const DEFAULT_WEIGHTS: Weights = {
  filled: 1000,
  coverage: 20,
  staffing: 12,
  experience: 30,
  language: 8,
  fairness: 2,
  continuity: 3,
  stability: 15,
};

/** Seniors one guide can help in a sitting; more seniors call for more guides, up to the maximum. */
export const SENIORS_PER_GUIDE = 3;

export interface EngineInput {
  sessions: EngineSession[];
  guides: EngineGuide[];
  /** Travel minutes between venues; a missing pair counts as `defaultTravelMinutes`. */
  travel: Record<string, Record<string, number>>;
  defaultTravelMinutes?: number;
  /** Assignments that stay as they are: pinned by a coordinator, or in a published week. */
  fixed: Pair[];
  /** The plan before this run, for stability when re-planning. */
  previous?: Pair[];
  weights?: Partial<Weights>;
  seed?: number;
  /** The search's budget: this many local-search steps, over which it cools. Same seed, same budget: same plan. */
  maxIterations?: number;
  /**
   * A stop, never a schedule: a search still going after this many milliseconds ends there with
   * the best plan so far, and says so in `stoppedEarly`.
   */
  timeLimitMs?: number;
  /** A monotonic clock in milliseconds, for the time limit. */
  now?: () => number;
}

export type ScoreBreakdown = Record<keyof Weights, number> & { total: number };

export interface AssignmentResult extends Pair {
  fixed: boolean;
  /** Why this guide: codes with parameters (src/domain/matching/reasons.ts). */
  reasons: Reason[];
}

export interface Candidate {
  guideId: string;
  blockedBy: Reason[];
}

export interface Shortfall {
  sessionId: string;
  assigned: number;
  needed: number;
  reasons: Reason[];
  /** The nearest candidates and what keeps each of them out. */
  candidates: Candidate[];
}

export interface Uncovered {
  sessionId: string;
  platform: Platform;
  seniors: number;
  reason: Reason;
}

export interface EngineResult {
  assignments: AssignmentResult[];
  shortfalls: Shortfall[];
  uncovered: Uncovered[];
  score: ScoreBreakdown;
  iterations: number;
  elapsedMs: number;
  /** The time limit ended the search before its iterations were done: planning again may do better. */
  stoppedEarly: boolean;
}

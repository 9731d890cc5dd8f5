import { Rng } from '../random';
import { explain } from './explain';
import { canonical } from './order';
import { Problem } from './problem';
import { State } from './state';
import type { EngineInput, EngineResult } from './types';

/**
 * Assigns guides to sessions. The method: a greedy construction (scarcest sessions first, each
 * taking the guides that add most to the score), then simulated annealing over small moves
 * (add a pair, add, remove, replace, swap between sessions, clear). Every move keeps the hard
 * rules: eligible guides only, no overlaps (travel included), weekly hours, min/max per session,
 * never a guide alone, fixed assignments untouched. Anytime: the best plan seen is returned when
 * the iteration budget or the time limit runs out.
 *
 * Deterministic for a seed and an iteration budget, on any machine and under any load: the input is
 * put in an order of its own first (src/domain/matching/order.ts: by start, venue and content, not
 * by database ids), and the temperature follows the iterations only. The time limit can only stop
 * the search early, and the result says so (`stoppedEarly`).
 *
 * Why this and not an exact solver: the soft rules make a MILP with coverage and fairness terms
 * that solves small instances exactly but grows too slow for a region's term; the benchmark
 * (scripts/bench/matching.bench.ts) compares this engine with HiGHS on the same instances.
 */
export function plan(input: EngineInput): EngineResult {
  const now = input.now ?? (() => performance.now());
  const started = now();
  const ordered = canonical(input);
  const p = new Problem(ordered);
  const rng = new Rng(input.seed ?? 1);
  const state = new State(p);

  const timeLimit = input.timeLimitMs ?? 3_000;
  const deadline = new Deadline(now, started, timeLimit);
  placeFixed(state);
  placePrevious(state, ordered.previous ?? []);
  const ranked = new Ranked(state);
  const constructed = construct(state, ranked, deadline);
  const searched = anneal(state, rng, ranked, {
    maxIterations: constructed ? (input.maxIterations ?? defaultBudget(p.sessions.length)) : 0,
    started,
    timeLimit,
    now,
  });
  const { best, iterations } = searched;
  const stoppedEarly = !constructed || searched.stoppedEarly;
  const final = new State(p);
  best.forEach((members, s) => members.forEach((g) => final.add(g, s)));
  const explained = explain(final);
  // Answered in the caller's order of sessions, as asked.
  const asked = new Map(input.sessions.map((s, i) => [s.id, i]));
  const inOrder = <T extends { sessionId: string }>(list: T[]) =>
    list.sort((a, b) => asked.get(a.sessionId)! - asked.get(b.sessionId)!);
  return {
    ...explained,
    assignments: inOrder(explained.assignments),
    shortfalls: inOrder(explained.shortfalls),
    uncovered: inOrder(explained.uncovered),
    iterations,
    elapsedMs: now() - started,
    stoppedEarly,
  };
}

/**
 * The iterations a plan gets unless the caller says otherwise: a municipality's term (100 sessions)
 * comes within 0.02 % of the optimum in about 0.1 s, a region's term (800 sessions) within 0.45 %
 * of the best bound in 1–1.4 s on a busy 2-core machine (scripts/bench/matching.bench.ts and
 * docs/planning.md). So the default 3 s time limit stays a safety stop, not the usual end.
 */
export const defaultBudget = (sessions: number) => 400 * sessions + 20_000;

function placeFixed(st: State): void {
  st.p.fixed.forEach((guides, s) => guides.forEach((g) => st.add(g, s)));
}

/**
 * Re-planning starts from the plan before: every old assignment that still keeps the hard rules
 * stays where it was, so a guide who drops out changes their own sessions and little else.
 */
function placePrevious(st: State, previous: readonly { sessionId: string; guideId: string }[]): void {
  const p = st.p;
  for (const pair of previous) {
    const s = p.sessionIndex.get(pair.sessionId);
    const g = p.guideIndex.get(pair.guideId);
    if (s === undefined || g === undefined || st.members[s].length >= p.sessions[s].maxGuides) continue;
    if (st.canJoin(g, s)) st.add(g, s);
  }
}

const fixedIn = (st: State, s: number, g: number) => st.p.fixed[s].has(g);

/**
 * The time limit inside a phase that has no iterations of its own (the greedy start): the clock is
 * read once every 4,096 steps of work, so a small plan never reads it there, and a large one
 * notices within a millisecond or so.
 */
export class Deadline {
  private work = 0;
  constructor(
    private readonly now: () => number,
    private readonly started: number,
    private readonly limit: number,
  ) {}

  /** Counts one step of work; true once the limit has passed. */
  tick(): boolean {
    return (++this.work & 4095) === 0 && this.now() - this.started >= this.limit;
  }
}

/**
 * Scarcest sessions first: each takes the best guides it can get, up to its target. Returns false
 * if the time limit stopped it: the plan so far keeps every hard rule (a session it was filling
 * when time ran out keeps no guide alone), and the search is skipped.
 */
function construct(st: State, ranked: Ranked, deadline: Deadline): boolean {
  const p = st.p;
  const order = p.sessions
    .map((_s, i) => i)
    .sort((a, b) => p.eligible[a].length - p.eligible[b].length || p.sessions[a].start - p.sessions[b].start);
  let done = true;
  for (const s of order) {
    while (done && st.members[s].length < p.target[s]) {
      const g = bestAddition(st, s, ranked, deadline);
      if (g === TIME_UP) done = false;
      if (g < 0) break;
      st.add(g, s);
    }
    // Never a guide alone: a session that found only one (unpinned) guide gives them back.
    if (st.members[s].length === 1 && !fixedIn(st, s, st.members[s][0])) st.remove(st.members[s][0], s);
    if (!done) break;
  }
  return done;
}

/** Score change if these guides join session s. */
function addGain(st: State, s: number, guides: number[]): number {
  if (guides.length === 1) return st.joinGain(guides[0], s);
  let d = st.localScore(s, [...st.members[s], ...guides]) - st.sessionScore[s];
  for (const g of guides)
    d += st.fairness(g, st.guideMinutes[g] + st.p.minutes[s]) - st.fairness(g, st.guideMinutes[g]);
  return d;
}

function minutesGain(st: State, g: number, change: number): number {
  return st.fairness(g, st.guideMinutes[g] + change) - st.fairness(g, st.guideMinutes[g]);
}

interface AnnealOptions {
  maxIterations: number;
  started: number;
  timeLimit: number;
  now: () => number;
}

/**
 * The starting temperature, in score points. Low on purpose: the moves that matter gain or lose
 * tens of points, and a hot start spends the whole budget undoing the greedy plan (measured in
 * scripts/bench/matching.bench.ts: a start at 20 lost 0.2 % on a region's term).
 */
const START_TEMPERATURE = 1;

function anneal(
  st: State,
  rng: Rng,
  ranked: Ranked,
  o: AnnealOptions,
): { best: number[][]; iterations: number; stoppedEarly: boolean } {
  const p = st.p;
  const S = p.sessions.length;
  let current = st.total();
  let bestScore = current;
  const best = st.snapshot();
  if (S === 0) return { best, iterations: 0, stoppedEarly: false };
  let i = 0;
  let stoppedEarly = false;
  for (; i < o.maxIterations; i++) {
    // The clock may stop the search, never steer it: cooling by the time spent made one seed give
    // four different plans of a region under four different loads.
    if ((i & 1023) === 0 && o.now() - o.started >= o.timeLimit) {
      stoppedEarly = true;
      break;
    }
    const temperature = START_TEMPERATURE * (1 - i / o.maxIterations) + 0.02;
    const delta = tryMove(st, rng, temperature, ranked);
    if (delta === null) continue;
    current += delta;
    if (current > bestScore + 1e-9) {
      bestScore = current;
      st.refresh(best);
    }
  }
  return { best, iterations: i, stoppedEarly };
}

const accept = (delta: number, temperature: number, rng: Rng) =>
  delta >= 0 || rng.float() < Math.exp(delta / temperature);

/** One random move; applied if accepted. Returns the score change, or null if nothing changed. */
function tryMove(st: State, rng: Rng, temperature: number, ranked: Ranked): number | null {
  const p = st.p;
  const s = rng.int(0, p.sessions.length - 1);
  const members = st.members[s];
  const free = p.fixed[s].size ? members.filter((g) => !fixedIn(st, s, g)) : members.slice();
  const max = p.sessions[s].maxGuides;
  const eligible = p.eligible[s];
  if (!eligible.length) return null;
  const kind = rng.int(0, 6);

  if (kind <= 1 && members.length < max) {
    // Add one guide, or a pair to an empty session (never one alone).
    const g = rng.pick(eligible);
    if (!st.canJoin(g, s)) return null;
    if (members.length === 0) {
      if (max < 2) return null;
      const h = rng.pick(eligible);
      if (h === g || !st.canJoin(h, s)) return null;
      const d = addGain(st, s, [g, h]);
      if (!accept(d, temperature, rng)) return null;
      st.add(g, s);
      st.add(h, s);
      return d;
    }
    const d = addGain(st, s, [g]);
    if (!accept(d, temperature, rng)) return null;
    st.add(g, s);
    return d;
  }

  if (kind === 2 && free.length) {
    // Remove one guide; from a pair of two free guides, remove both.
    const g = rng.pick(free);
    const leaving =
      members.length - 1 >= 2 || members.length - 1 < 1 ? [g] : free.length === 2 && members.length === 2 ? free : null;
    if (!leaving) return null;
    const rest = members.filter((m) => !leaving.includes(m));
    let d = st.localScore(s, rest) - st.sessionScore[s];
    for (const m of leaving) d += minutesGain(st, m, -p.minutes[s]);
    if (!accept(d, temperature, rng)) return null;
    for (const m of leaving) st.remove(m, s);
    return d;
  }

  if (kind === 3 && free.length) {
    // Replace one guide with another who is free then.
    const g = rng.pick(free);
    const h = rng.pick(eligible);
    if (h === g || !st.canJoin(h, s)) return null;
    const d =
      st.localScore(
        s,
        members.map((m) => (m === g ? h : m)),
      ) -
      st.sessionScore[s] +
      minutesGain(st, g, -p.minutes[s]) +
      minutesGain(st, h, p.minutes[s]);
    if (!accept(d, temperature, rng)) return null;
    st.remove(g, s);
    st.add(h, s);
    return d;
  }

  if (kind === 4 && free.length) {
    // Swap two guides between two sessions.
    const g = rng.pick(free);
    const t = rng.int(0, p.sessions.length - 1);
    if (t === s) return null;
    const freeT = st.members[t].filter((m) => !fixedIn(st, t, m));
    if (!freeT.length) return null;
    const h = rng.pick(freeT);
    if (h === g || st.members[t].includes(g) || members.includes(h)) return null;
    if (!st.canJoin(g, t, s) || !st.canJoin(h, s, t)) return null;
    // Both moves at once: check again with the other already moved.
    st.remove(g, s);
    st.remove(h, t);
    const ok = st.canJoin(g, t) && st.canJoin(h, s);
    st.add(g, s);
    st.add(h, t);
    if (!ok) return null;
    const d =
      st.localScore(
        s,
        members.map((m) => (m === g ? h : m)),
      ) -
      st.sessionScore[s] +
      st.localScore(
        t,
        st.members[t].map((m) => (m === h ? g : m)),
      ) -
      st.sessionScore[t] +
      minutesGain(st, g, p.minutes[t] - p.minutes[s]) +
      minutesGain(st, h, p.minutes[s] - p.minutes[t]);
    if (!accept(d, temperature, rng)) return null;
    st.remove(g, s);
    st.remove(h, t);
    st.add(h, s);
    st.add(g, t);
    return d;
  }

  if (kind >= 5 && free.length) return relocate(st, rng, temperature, s, free, ranked);
  return null;
}

/**
 * Move a guide to another session, or a whole pair to an empty one, then fill that session up
 * to its minimum from whoever is free: how hours spent on a session that cannot be filled go
 * to one that can. (A swap cannot do that, nor an add at a weekly limit; and the step from
 * "two of three" to "three of three" is the one that pays, so it is taken in the same move.)
 */
function relocate(st: State, rng: Rng, temperature: number, s: number, free: number[], ranked: Ranked): number | null {
  const p = st.p;
  const t = rng.int(0, p.sessions.length - 1);
  if (t === s || st.members[t].length >= p.sessions[t].maxGuides) return null;
  const g = rng.pick(free);
  if (st.members[t].includes(g)) return null;

  const before = st.sessionScore[s] + st.sessionScore[t];
  let fairness = 0;
  const undo: (() => void)[] = [];
  const move = (guide: number, from: number | null, to: number | null) => {
    const was = st.fairness(guide, st.guideMinutes[guide]);
    if (from !== null) st.remove(guide, from);
    if (to !== null) st.add(guide, to);
    fairness += st.fairness(guide, st.guideMinutes[guide]) - was;
    undo.push(() => {
      if (to !== null) st.remove(guide, to);
      if (from !== null) st.add(guide, from);
    });
  };
  const rollback = () => {
    while (undo.length) undo.pop()!();
    return null;
  };

  move(g, s, null);
  // Never one left alone: a last free guide at s goes too.
  const left = st.members[s];
  if (left.length === 1 && !fixedIn(st, s, left[0])) move(left[0], s, null);
  if (!st.canJoin(g, t)) return rollback();
  move(g, null, t);
  while (st.members[t].length < p.sessions[t].minGuides) {
    const h = bestAddition(st, t, ranked);
    if (h < 0) break;
    move(h, null, t);
  }
  if (st.members[t].length === 1 && !fixedIn(st, t, st.members[t][0])) return rollback();
  const d = st.sessionScore[s] + st.sessionScore[t] - before + fairness;
  if (accept(d, temperature, rng)) return d;
  return rollback();
}

/** bestAddition's answer when the deadline passed during its scan. */
export const TIME_UP = -2;

/**
 * The free guide who adds most to session s (the lowest index among equals), or -1; TIME_UP if
 * the deadline passed. The same guide as scoring every candidate in full, at a fraction of the
 * work where guides are many: candidates come in the order of a fixed upper bound on what each can
 * add (Ranked), and the scan ends at the first whose bound is below the best gain found; each
 * candidate's gain is first estimated from what it adds to this session's team (platforms and
 * languages nobody there knows yet, experience, continuity, fairness), and only those who may beat
 * the best so far are checked against the hard rules and scored in full.
 */
export function bestAddition(st: State, s: number, ranked: Ranked, deadline?: Deadline): number {
  const p = st.p;
  const w = p.weights;
  const members = st.members[s];
  const n = members.length;
  const min = p.sessions[s].minGuides;
  const common =
    (n + 1 >= min ? w.filled : 0) -
    (n >= min ? w.filled : 0) +
    (Math.min(n + 1, p.target[s]) - Math.min(n, p.target[s])) * w.staffing;
  // What the team lacks: the value of each platform and language nobody on it knows yet.
  const P = p.platformCount;
  const L = p.languageCount;
  const platforms = p.demandPlatform[s];
  const langs = p.languageIndex[s];
  const lacking = ranked.lacking(platforms.length + langs.length);
  for (let k = 0; k < platforms.length; k++) {
    let known = false;
    for (let i = 0; i < n && !known; i++) known = p.knowsFlag[members[i] * P + platforms[k]] === 1;
    lacking[k] = known ? 0 : p.demandSeniors[s][k] * w.coverage;
  }
  for (let k = 0; k < langs.length; k++) {
    let known = false;
    for (let i = 0; i < n && !known; i++) known = p.speaksFlag[members[i] * L + langs[k]] === 1;
    lacking[platforms.length + k] = known ? 0 : p.languageSeniors[s][k] * w.language;
  }
  let hasNew = false;
  let hasExperienced = false;
  for (let i = 0; i < n; i++) {
    if (p.experienced[members[i]] === 1) hasExperienced = true;
    else hasNew = true;
  }
  const experienceNow = hasNew && !hasExperienced ? -w.experience : 0;
  const minutes = p.minutes[s];

  const order = ranked.order(s);
  const bound = ranked.bound(s);
  const anyGuide = ranked.anyGuide[s] + Math.max(0, common);
  const slack = (x: number) => x - 1e-9 * (1 + Math.abs(x));
  let best = -1;
  let bestGain = -Infinity;
  for (let i = 0; i < order.length; i++) {
    if (anyGuide + bound[i] < slack(bestGain)) break;
    if (deadline?.tick()) return TIME_UP;
    const g = order[i];
    let estimate = common;
    for (let k = 0; k < platforms.length; k++) if (p.knowsFlag[g * P + platforms[k]] === 1) estimate += lacking[k];
    for (let k = 0; k < langs.length; k++)
      if (p.speaksFlag[g * L + langs[k]] === 1) estimate += lacking[platforms.length + k];
    const experienced = p.experienced[g] === 1;
    estimate += ((hasNew || !experienced) && !(hasExperienced || experienced) ? -w.experience : 0) - experienceNow;
    estimate += ((p.hasBeenHere(s, g) ? 1 : 0) + p.helped(s, g)) * w.continuity;
    if (p.wasPrevious(s, g)) estimate += w.stability;
    const m = st.guideMinutes[g];
    estimate += st.fairness(g, m + minutes) - st.fairness(g, m);
    if (estimate < slack(bestGain) || !st.canJoin(g, s)) continue;
    const gain = st.joinGain(g, s);
    if (gain > bestGain || (gain === bestGain && g < best)) [bestGain, best] = [gain, g];
  }
  return best;
}

/**
 * Each session's eligible guides, ordered by an upper bound on what they can add to it whoever is
 * there already: every platform and language of its seniors they know, experience, continuity,
 * stability (ties by guide index). `anyGuide` holds what any guide might add besides
 * (fairness, and the experience term either way). A session's list is made the first time it is
 * asked for, inside the greedy start, so the time limit covers that work too.
 */
export class Ranked {
  readonly anyGuide: Float64Array;
  private readonly orders: Int32Array[] = [];
  private readonly bounds: Float64Array[] = [];
  private scratch = new Float64Array(16);

  constructor(private readonly st: State) {
    const w = st.p.weights;
    this.anyGuide = Float64Array.from(st.p.minutes, (m) => (Math.abs(w.fairness) * m) / 60 + Math.abs(w.experience));
  }

  /** Session s's eligible guides, by bound, then by index. */
  order(s: number): Int32Array {
    if (!this.orders[s]) this.build(s);
    return this.orders[s];
  }

  /** The bound of each guide of `order(s)`, in the same places. */
  bound(s: number): Float64Array {
    if (!this.bounds[s]) this.build(s);
    return this.bounds[s];
  }

  /** A scratch list of at least `size` numbers (bestAddition's values of what a team lacks). */
  lacking(size: number): Float64Array {
    if (this.scratch.length < size) this.scratch = new Float64Array(size);
    return this.scratch;
  }

  private build(s: number): void {
    const p = this.st.p;
    const w = p.weights;
    const pos = (x: number) => Math.max(0, x);
    const P = p.platformCount;
    const L = p.languageCount;
    const eligible = p.eligible[s];
    const platforms = p.demandPlatform[s];
    const demand = p.demandSeniors[s];
    const langs = p.languageIndex[s];
    const seniors = p.languageSeniors[s];
    // Guides share a few profiles, so bounds take few values: group by value (guides stay in
    // index order within a group), then order the groups.
    const groups = new Map<number, number[]>();
    for (let i = 0; i < eligible.length; i++) {
      const g = eligible[i];
      let b = 0;
      for (let k = 0; k < platforms.length; k++)
        if (p.knowsFlag[g * P + platforms[k]] === 1) b += pos(w.coverage * demand[k]);
      for (let k = 0; k < langs.length; k++)
        if (p.speaksFlag[g * L + langs[k]] === 1) b += pos(w.language * seniors[k]);
      b += pos(w.continuity * ((p.hasBeenHere(s, g) ? 1 : 0) + p.helped(s, g)));
      if (p.wasPrevious(s, g)) b += pos(w.stability);
      const group = groups.get(b);
      if (group) group.push(g);
      else groups.set(b, [g]);
    }
    const order = new Int32Array(eligible.length);
    const bound = new Float64Array(eligible.length);
    let at = 0;
    for (const value of [...groups.keys()].sort((a, b) => b - a))
      for (const g of groups.get(value)!) {
        order[at] = g;
        bound[at++] = value;
      }
    this.orders[s] = order;
    this.bounds[s] = bound;
  }
}

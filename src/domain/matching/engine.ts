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

  placeFixed(state);
  placePrevious(state, ordered.previous ?? []);
  construct(state);
  const { best, iterations, stoppedEarly } = anneal(state, rng, {
    maxIterations: input.maxIterations ?? defaultBudget(p.sessions.length),
    started,
    timeLimit: input.timeLimitMs ?? 3_000,
    now,
  });
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

/** Scarcest sessions first: each takes the best guides it can get, up to its target. */
function construct(st: State): void {
  const p = st.p;
  const order = p.sessions
    .map((_s, i) => i)
    .sort((a, b) => p.eligible[a].length - p.eligible[b].length || p.sessions[a].start - p.sessions[b].start);
  for (const s of order) {
    while (st.members[s].length < p.target[s]) {
      const g = bestAddition(st, s);
      if (g < 0) break;
      st.add(g, s);
    }
    // Never a guide alone: a session that found only one (unpinned) guide gives them back.
    if (st.members[s].length === 1 && !fixedIn(st, s, st.members[s][0])) st.remove(st.members[s][0], s);
  }
}

/** Score change if these guides join session s. */
function addGain(st: State, s: number, guides: number[]): number {
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
  o: AnnealOptions,
): { best: number[][]; iterations: number; stoppedEarly: boolean } {
  const p = st.p;
  const S = p.sessions.length;
  let current = st.total();
  let bestScore = current;
  let best = st.snapshot();
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
    const delta = tryMove(st, rng, temperature);
    if (delta === null) continue;
    current += delta;
    if (current > bestScore + 1e-9) {
      bestScore = current;
      best = st.snapshot();
    }
  }
  return { best, iterations: i, stoppedEarly };
}

const accept = (delta: number, temperature: number, rng: Rng) =>
  delta >= 0 || rng.float() < Math.exp(delta / temperature);

/** One random move; applied if accepted. Returns the score change, or null if nothing changed. */
function tryMove(st: State, rng: Rng, temperature: number): number | null {
  const p = st.p;
  const s = rng.int(0, p.sessions.length - 1);
  const members = st.members[s];
  const free = members.filter((g) => !fixedIn(st, s, g));
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

  if (kind >= 5 && free.length) return relocate(st, rng, temperature, s, free);
  return null;
}

/**
 * Move a guide to another session, or a whole pair to an empty one, then fill that session up
 * to its minimum from whoever is free: how hours spent on a session that cannot be filled go
 * to one that can. (A swap cannot do that, nor an add at a weekly limit; and the step from
 * "two of three" to "three of three" is the one that pays, so it is taken in the same move.)
 */
function relocate(st: State, rng: Rng, temperature: number, s: number, free: number[]): number | null {
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
    const h = bestAddition(st, t);
    if (h < 0) break;
    move(h, null, t);
  }
  if (st.members[t].length === 1 && !fixedIn(st, t, st.members[t][0])) return rollback();
  const d = st.sessionScore[s] + st.sessionScore[t] - before + fairness;
  if (accept(d, temperature, rng)) return d;
  return rollback();
}

/** The free guide who adds most to session s, or -1. */
function bestAddition(st: State, s: number): number {
  let best = -1;
  let bestGain = -Infinity;
  for (const g of st.p.eligible[s]) {
    if (!st.canJoin(g, s)) continue;
    const gain = addGain(st, s, [g]);
    if (gain > bestGain) [bestGain, best] = [gain, g];
  }
  return best;
}

import { generateInstance } from '../../scripts/bench/matching-instances';
import { checkHardRules } from '../../scripts/bench/matching-check';
import { bestAddition, Deadline, plan, Ranked, TIME_UP } from '../../src/domain/matching/engine';
import { canonical } from '../../src/domain/matching/order';
import { Problem, State } from '../../src/domain/matching';
import type { EngineInput } from '../../src/domain/matching';
import { Rng } from '../../src/domain/random';

/**
 * The greedy start's data structures (src/domain/matching/engine.ts): the ranked candidate lists,
 * the scan that stops at the first candidate whose bound is below the best gain, and the deadline
 * inside the greedy start. No timings here: clocks are made up.
 */

/** The guide the greedy start took before Ranked: every eligible guide scored in full, first best by index. */
function exhaustive(st: State, s: number): number {
  let best = -1;
  let bestGain = -Infinity;
  for (const g of st.p.eligible[s]) {
    if (!st.canJoin(g, s)) continue;
    const gain = st.joinGain(g, s);
    if (gain > bestGain) [bestGain, best] = [gain, g];
  }
  return best;
}

const setUp = (input: EngineInput) => {
  const st = new State(new Problem(canonical(input)));
  return { st, ranked: new Ranked(st) };
};

const sizes = [
  ['term', 3, {}],
  ['county', 1, { venues: 3, guides: 45 }],
  ['county-sparse', 2, { venues: 6, guides: 90 }],
] as const;

describe(Ranked.name, () => {
  it.each(sizes)('lists each session’s eligible guides once, by bound, then by index (%s)', (size, seed, options) => {
    const { st, ranked } = setUp(generateInstance(size, seed, options).input);
    st.p.eligible.forEach((eligible, s) => {
      expect([...ranked.order(s)].sort((a, b) => a - b)).toEqual(eligible);
      for (let i = 1; i < eligible.length; i++) {
        const [a, b] = [ranked.bound(s)[i - 1], ranked.bound(s)[i]];
        expect(a > b || (a === b && ranked.order(s)[i - 1] < ranked.order(s)[i])).toBe(true);
      }
    });
  });

  it('bounds what a guide adds to any team, whoever is on it', () => {
    const { st, ranked } = setUp(generateInstance('county', 4, { venues: 3, guides: 45 }).input);
    const p = st.p;
    const rng = new Rng(9);
    let checked = 0;
    for (let round = 0; round < 400; round++) {
      const s = rng.int(0, p.sessions.length - 1);
      // A random team of up to two others, then every guide who could join it.
      const team = rng.shuffle(p.eligible[s]).slice(0, rng.int(0, 2));
      for (const g of team) if (st.canJoin(g, s)) st.add(g, s);
      const n = st.members[s].length;
      const common =
        (n + 1 >= p.sessions[s].minGuides && n < p.sessions[s].minGuides ? p.weights.filled : 0) +
        (n < p.target[s] ? p.weights.staffing : 0);
      ranked.order(s).forEach((g, i) => {
        if (!st.canJoin(g, s)) return;
        expect(st.joinGain(g, s)).toBeLessThanOrEqual(common + ranked.anyGuide[s] + ranked.bound(s)[i] + 1e-9);
        checked++;
      });
      for (const g of [...st.members[s]]) st.remove(g, s);
    }
    expect(checked).toBeGreaterThan(1000);
  });
});

describe(bestAddition.name, () => {
  it.each(sizes)(
    'takes the same guide as scoring every candidate, all through a greedy start (%s)',
    (size, seed, options) => {
      const { st, ranked } = setUp(generateInstance(size, seed, options).input);
      const p = st.p;
      let picks = 0;
      for (let s = 0; s < p.sessions.length; s++) {
        while (st.members[s].length < p.sessions[s].maxGuides) {
          const g = bestAddition(st, s, ranked);
          expect(g).toBe(exhaustive(st, s));
          if (g < 0) break;
          st.add(g, s);
          picks++;
        }
      }
      expect(picks).toBeGreaterThan(p.sessions.length);
    },
  );

  it('takes the same guide as scoring every candidate in a plan half undone at random', () => {
    const { st, ranked } = setUp(generateInstance('county-sparse', 5, { venues: 6, guides: 90 }).input);
    const p = st.p;
    for (let s = 0; s < p.sessions.length; s++) {
      const g = bestAddition(st, s, ranked);
      if (g >= 0) st.add(g, s);
    }
    const rng = new Rng(3);
    for (let round = 0; round < 300; round++) {
      const s = rng.int(0, p.sessions.length - 1);
      if (st.members[s].length && rng.chance(0.5)) st.remove(rng.pick(st.members[s]), s);
      const t = rng.int(0, p.sessions.length - 1);
      const g = bestAddition(st, t, ranked);
      expect(g).toBe(exhaustive(st, t));
      if (g >= 0 && st.members[t].length < p.sessions[t].maxGuides) st.add(g, t);
    }
  });

  it('answers TIME_UP when the deadline passes during its scan', () => {
    const { st, ranked } = setUp(generateInstance('county', 1, { venues: 3, guides: 45 }).input);
    const s = st.p.eligible.findIndex((list) => list.length > 10);
    // A deadline whose clock has always run out: the 4,096th step of work (the scan's first) reads it.
    const deadline = new Deadline(() => 1_000, 0, 1);
    for (let i = 0; i < 4_095; i++) expect(deadline.tick()).toBe(false);
    expect(bestAddition(st, s, ranked, deadline)).toBe(TIME_UP);
  });
});

describe(Deadline.name, () => {
  it('reads the clock once every 4,096 steps, and says when the limit has passed', () => {
    let reads = 0;
    let t = 0;
    const deadline = new Deadline(
      () => {
        reads++;
        return t;
      },
      0,
      100,
    );
    for (let i = 0; i < 4_096 * 3; i++) expect(deadline.tick()).toBe(false);
    expect(reads).toBe(3);
    t = 100;
    for (let i = 0; i < 4_095; i++) expect(deadline.tick()).toBe(false);
    expect(deadline.tick()).toBe(true);
  });
});

describe('the greedy start under a time limit', () => {
  it('stops inside the greedy start of a large term, with a plan that keeps every hard rule', () => {
    const inst = generateInstance('county', 1, { venues: 10, guides: 150 });
    expect(inst.stats.eligiblePairs).toBeGreaterThan(15_000);
    const whole = plan({ ...inst.input, maxIterations: 0, now: () => 0 });
    expect(whole.stoppedEarly).toBe(false);
    // A clock on which every reading after the first is a second later: the limit has passed at the
    // greedy start's first look at the clock, long before the search.
    let t = -1_000;
    const cut = plan({ ...inst.input, timeLimitMs: 500, now: () => (t += 1_000) });
    expect(cut.stoppedEarly).toBe(true);
    expect(cut.iterations).toBe(0);
    expect(cut.assignments.length).toBeGreaterThan(0);
    expect(cut.assignments.length).toBeLessThan(whole.assignments.length);
    expect(checkHardRules(inst.input, cut.assignments)).toEqual([]);
    // The sessions it did not reach are short, and say so.
    expect(cut.shortfalls.length).toBeGreaterThan(whole.shortfalls.length);
  });

  it('keeps guides to the venues they work at (EngineGuide.venues)', () => {
    const inst = generateInstance('county-sparse', 1, { venues: 8, guides: 120 });
    const out = plan({ ...inst.input, maxIterations: 20_000 });
    const venueOf = new Map(inst.input.sessions.map((s) => [s.id, s.venueId]));
    const guides = new Map(inst.input.guides.map((g) => [g.id, g]));
    expect(out.assignments.length).toBeGreaterThan(100);
    for (const a of out.assignments) expect(guides.get(a.guideId)!.venues).toContain(venueOf.get(a.sessionId));
    expect(checkHardRules(inst.input, out.assignments)).toEqual([]);
  });
});

import { generateInstance, type MatchingSize } from '../../scripts/bench/matching-instances';
import { lagrangeBound } from '../../scripts/bench/matching-lagrange';
import { getHighs, lpBound, sessionBound, solveMilp } from '../../scripts/bench/matching-milp';
import { plan } from '../../src/domain/matching/engine';

/**
 * The Lagrangian bound of the county bench (scripts/bench/matching-lagrange.ts) against the exact
 * optimum that HiGHS finds on small instances: never below it, never above the per-session bound
 * (which it equals with every multiplier zero), and closing most of the distance between the two.
 * With each session over its LP polytope at the best multipliers (`relaxed`) it is at least the LP
 * relaxation's optimum, which is what lets the county bench check the goal against the LP bound
 * where no LP solver here finishes.
 */
const CASES: [MatchingSize, number, { guides?: number; fixed?: number }][] = [
  ['tiny', 1, {}],
  ['tiny', 2, {}],
  ['tiny', 3, {}],
  ['tiny', 4, {}],
  ['tiny', 5, {}],
  ['tiny', 6, { fixed: 3 }],
  ['tiny', 7, { fixed: 2 }],
  // Scarce guides: the weekly hours and overlaps bind, which the per-session bound ignores.
  ['tiny', 8, { guides: 4 }],
  ['tiny', 9, { guides: 5 }],
  ['tiny', 10, { guides: 3, fixed: 1 }],
  ['week', 1, {}],
  ['week', 2, { guides: 6 }],
];

describe('lagrangeBound', () => {
  it('is at least the exact optimum and at most the per-session bound, closes most of the distance between them, and bounds the LP relaxation with LP brackets', async () => {
    let perSessionSlack = 0;
    let lagrangeSlack = 0;
    let relaxedSlack = 0;
    let lpSlack = 0;
    for (const [size, seed, options] of CASES) {
      const input = generateInstance(size, seed, options).input;
      const exact = await solveMilp(input, { timeLimit: 30 });
      expect([size, seed, exact.status]).toEqual([size, seed, 'Optimal']);
      const optimum = exact.objective!;
      const perSession = sessionBound(input).total;
      const engine = plan({ ...input, maxIterations: 2_000 }).score.total;
      const lg = lagrangeBound(input, { target: engine, maxIterations: 300, highs: await getHighs() });
      // With every multiplier zero it is the per-session bound.
      expect(lg.atZero).toBeCloseTo(perSession, 6);
      expect(lg.bound).toBeLessThanOrEqual(perSession + 1e-6);
      expect(lg.bound).toBeGreaterThanOrEqual(optimum - 1e-6);
      // Every step is a bound, not only the best.
      expect(Math.min(...lg.trace)).toBeGreaterThanOrEqual(optimum - 1e-6);
      expect(Math.min(...lg.trace)).toBeCloseTo(lg.bound, 9);
      // Its sessions over their LP polytopes instead: at least the LP relaxation's optimum, at least
      // the Lagrangian bound (whole teams are points of each LP), and near the LP bound.
      const lp = (await lpBound(input, { solver: 'simplex' })).bound!;
      expect(lg.relaxed!.bound).toBeGreaterThanOrEqual(lp - 1e-6 * Math.abs(lp));
      expect(lg.relaxed!.bound).toBeGreaterThanOrEqual(lg.bound - 1e-6);
      relaxedSlack += lg.relaxed!.bound - lp;
      lpSlack += lp - optimum;
      perSessionSlack += perSession - optimum;
      lagrangeSlack += lg.bound - optimum;
    }
    expect(perSessionSlack).toBeGreaterThan(50);
    expect(lagrangeSlack).toBeLessThan(0.2 * perSessionSlack);
    expect(relaxedSlack).toBeLessThan(0.5 * lpSlack);
  }, 120_000);
});

import { generateInstance } from './matching-instances';
import { solveMilp } from './matching-milp';
import { plan } from '../../src/domain/matching/engine';
async function main() {
  const inst = generateInstance('region', 1);
  const base = 400 * 800 + 20000;
  for (const [mult, tl] of [[1, 3000], [3, 3000], [5, 5000], [10, 10000], [Infinity, 3000]] as const) {
    const t0 = performance.now();
    const r = plan({ ...inst.input, maxIterations: mult * base, timeLimitMs: tl });
    console.log('engine x' + mult, tl, r.score.total.toFixed(1), (performance.now() - t0).toFixed(0), 'ms', r.iterations, 'short', r.shortfalls.length, JSON.stringify(r.score));
  }
  if (process.argv[2] === 'milp') {
    const r = plan(inst.input);
    const m = await solveMilp(inst.input, { timeLimit: Number(process.argv[3] ?? 60), start: r.assignments });
    console.log('milp warm', m.status, m.objective, m.bound, m.buildMs, m.solveMs, 'engine', r.score.total, 'ratio vs bound', r.score.total / m.bound);
  }
}
main();

import { generateInstance } from './matching-instances';
import { solveMilp, buildMilp } from './matching-milp';
import { checkHardRules } from './matching-check';
import { plan } from '../../src/domain/matching/engine';
import { Problem } from '../../src/domain/matching/problem';
import { State } from '../../src/domain/matching/state';
import type { EngineInput, Pair } from '../../src/domain/matching/types';

function score(input: EngineInput, pairs: Pair[]): number {
  const p = new Problem(input); const st = new State(p);
  for (const x of pairs) st.add(p.guideIndex.get(x.guideId)!, p.sessionIndex.get(x.sessionId)!);
  return st.breakdown().total;
}
async function main() {
  const sizes = (process.argv[2] ?? 'tiny').split(',');
  for (const size of sizes) for (let seed = 1; seed <= Number(process.argv[3] ?? 5); seed++) {
    const inst = generateInstance(size as any, seed, { fixed: size === 'tiny' ? (seed % 3) * 2 : 0 });
    const t0 = performance.now();
    const eng = plan(inst.input);
    const te = performance.now() - t0;
    const m = await solveMilp(inst.input, { timeLimit: Number(process.argv[4] ?? 30) });
    const recomputed = m.objective === null ? NaN : score(inst.input, m.pairs);
    console.log(size, seed, inst.stats.sessions, 'pairs', inst.stats.eligiblePairs, 'fixed', inst.input.fixed.length,
      '| engine', eng.score.total.toFixed(3), te.toFixed(0) + 'ms', eng.iterations,
      '| milp', m.status, m.objective?.toFixed(3), 'bound', m.bound.toFixed(3), 'recomp', recomputed.toFixed(3),
      'build', m.buildMs.toFixed(0), 'solve', m.solveMs.toFixed(0), JSON.stringify(m.model),
      '| viol', checkHardRules(inst.input, eng.assignments).length, checkHardRules(inst.input, m.pairs).length,
      'ratio', (eng.score.total / (m.objective ?? NaN)).toFixed(5));
  }
}
main();

import { generateInstance } from './matching-instances';
import { plan } from '../../src/domain/matching/engine';
import { Problem } from '../../src/domain/matching/problem';
const size = (process.argv[2] ?? 'region') as any;
const inst = generateInstance(size, 1);
const p = new Problem(inst.input);
let cov = 0, lang = 0, staff = 0, cont = 0;
p.sessions.forEach((s, i) => {
  for (const pl in s.demand) if (p.eligible[i].some(g => p.knows[g].has(pl as any))) cov += s.demand[pl as keyof typeof s.demand]! * 20;
  for (const l in s.languages) if (p.eligible[i].some(g => p.speaks[g].has(l))) lang += s.languages[l] * 8;
  staff += Math.min(p.target[i], p.eligible[i].length) * 12;
  cont += Math.min(s.maxGuides, p.eligible[i].filter(g => (p.guides[g].venueHistory[s.venueId] ?? 0) > 0).length) * 3;
});
console.log({ cov, lang, staff, cont, sum: p.sessions.length * 1000 + cov + lang + staff + cont });
for (const it of [0, 1000, 20000, 100000, 340000]) {
  const r = plan({ ...inst.input, maxIterations: it });
  console.log(it, r.score.total.toFixed(1), JSON.stringify(r.score), r.elapsedMs.toFixed(0));
}

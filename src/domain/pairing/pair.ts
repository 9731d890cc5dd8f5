import { reason, type Reason } from '../matching/reasons';
import { PLATFORMS } from '../vocabulary';
import {
  allowedGuides,
  bonus,
  knowsTopic,
  nextSeniorCost,
  otherLanguage,
  type PairingGuide,
  type PairingSenior,
  speaks,
  timesHelped,
} from './objective';

/** One senior's guide at the café, and why. */
export interface SeniorPair {
  seniorId: string;
  /** null only when no guide is on duty. */
  guideId: string | null;
  reasons: Reason[];
}

/**
 * Pairs each seated senior of a café with one of its guides: the pairing of least cost (see
 * PAIRING_WEIGHTS in ./objective for the objective and the hard rule), with each pair's reasons.
 *
 * Method: a min-cost flow, exact. Seniors → guides (arc cost −bonus, only the guides the hard rule
 * allows) → sink, where guide g's k-th senior costs nextSeniorCost(g, k), which grows with k: the
 * load term Σ w·load² is convex, so it is the same as k parallel arcs of rising cost (slots), and
 * a min-cost flow fills each guide's cheap slots first. The seniors are added one at a time
 * (successive shortest paths, as in the Hungarian method): each is placed along a cheapest path
 * in the residual network, which may move seniors already placed from one guide to another. A
 * flow of least cost for the seniors so far stays of least cost after adding one more along a
 * cheapest path (the network has no cycle of negative cost before, so none after), so the last
 * flow is an optimal pairing of all of them. Costs are whole points, compared exactly; the
 * cheapest paths come from Bellman–Ford with a queue (arcs cost less than zero). A café of 30
 * seniors and 5 guides takes well under a millisecond (scripts/bench/pairing.bench.ts).
 *
 * Deterministic: guides and seniors are first put in an order of their own, by what they say
 * (platforms, languages, topics, experience; for a senior also whom they had before, by those
 * guides' places), their ids only last, between two that say the same; the search then goes in
 * that order and takes the first of equal choices. The answer is one pair per senior, ordered by
 * senior id, so the same guides and seniors in any order give the same array.
 */
export function pairSeniors(guides: PairingGuide[], seniors: PairingSenior[]): SeniorPair[] {
  const gs = canonicalGuides(guides);
  const ss = canonicalSeniors(seniors, gs);
  const out: SeniorPair[] = [];
  if (!gs.length) {
    for (const s of ss) out.push({ seniorId: s.id, guideId: null, reasons: [] });
    return out.sort(bySeniorId);
  }
  const assigned = solve(gs, ss);
  const load = gs.map((_, g) => assigned.filter((x) => x === g).length);
  const known = new Set(gs.flatMap((g) => g.platforms));
  ss.forEach((s, i) => {
    const g = gs[assigned[i]];
    out.push({ seniorId: s.id, guideId: g.id, reasons: pairReasons(g, s, load[assigned[i]], known) });
  });
  return out.sort(bySeniorId);
}

const bySeniorId = (a: SeniorPair, b: SeniorPair) => compareText(a.seniorId, b.seniorId);

/** For each senior (by index), the index of its guide: an optimal pairing. */
function solve(gs: readonly PairingGuide[], ss: readonly PairingSenior[]): number[] {
  const n = ss.length;
  const m = gs.length;
  const gain = ss.map((s) => gs.map((g) => bonus(g, s)));
  const allowed = ss.map((s) => {
    const ok = new Set(allowedGuides(gs, s));
    return gs.flatMap((g, j) => (ok.has(g) ? [j] : []));
  });
  const assigned = new Array<number>(n).fill(-1);
  const load = new Array<number>(m).fill(0);
  // Residual network: senior s → guide g (g allowed, g ≠ guide of s) costs −gain; guide g → its
  // senior s costs +gain (taking s off g); guide g → sink costs nextSeniorCost(g, load + 1).
  const distS = new Array<number>(n);
  const distG = new Array<number>(m);
  // The senior each guide was reached from; a senior other than the new one is only reached from its own guide.
  const viaG = new Array<number>(m);
  const queued = new Uint8Array(n + m);
  const queue: number[] = []; // seniors as i, guides as n + j
  for (let s0 = 0; s0 < n; s0++) {
    distS.fill(Infinity);
    distG.fill(Infinity);
    distS[s0] = 0;
    queue.length = 0;
    queue.push(s0);
    queued.fill(0);
    queued[s0] = 1;
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      queued[v] = 0;
      if (v < n) {
        for (const g of allowed[v]) {
          if (g === assigned[v]) continue;
          const d = distS[v] - gain[v][g];
          if (d < distG[g]) {
            distG[g] = d;
            viaG[g] = v;
            if (!queued[n + g]) {
              queued[n + g] = 1;
              queue.push(n + g);
            }
          }
        }
      } else {
        const g = v - n;
        for (let s = 0; s < s0; s++) {
          if (assigned[s] !== g) continue;
          const d = distG[g] + gain[s][g];
          if (d < distS[s]) {
            distS[s] = d;
            if (!queued[s]) {
              queued[s] = 1;
              queue.push(s);
            }
          }
        }
      }
    }
    let best = -1;
    let bestCost = Infinity;
    for (let g = 0; g < m; g++) {
      const c = distG[g] + nextSeniorCost(gs[g], load[g] + 1);
      if (c < bestCost) {
        bestCost = c;
        best = g;
      }
    }
    // Walk the path back: each senior on it moves to the guide after it; only `best` gains one.
    load[best]++;
    for (let g = best; ;) {
      const s = viaG[g];
      const from = assigned[s];
      assigned[s] = g;
      if (s === s0) break;
      g = from;
    }
  }
  return assigned;
}

/**
 * Why senior s sits with guide g: the platforms g knows of those s brings (and those nobody on
 * duty knows, from `known`), times helped before, a shared language, the topic, and g's load
 * (`seniors`, this one included). The queue's suggestion says the same.
 */
export function pairReasons(g: PairingGuide, s: PairingSenior, seniors: number, known: ReadonlySet<string>): Reason[] {
  const rs: Reason[] = [];
  const brings = PLATFORMS.filter((p) => s.platforms.includes(p));
  for (const platform of brings)
    if (g.platforms.includes(platform)) rs.push(reason('pair_knows_platform', { platform }));
  for (const platform of brings) if (!known.has(platform)) rs.push(reason('pair_nobody_knows_platform', { platform }));
  const times = timesHelped(g, s);
  if (times) rs.push(reason('pair_helped_before', { times }));
  const language = otherLanguage(s);
  if (language && speaks(g, language)) rs.push(reason('pair_language', { language }));
  if (s.topic && knowsTopic(g, s)) rs.push(reason('pair_topic', { topic: s.topic }));
  rs.push(reason('pair_even_load', { seniors }));
  return rs;
}

// ------------------------------------------------------------------------------ canonical order

/** Code-unit order, the same on every machine and locale. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortedText = (xs: readonly string[]) => [...xs].sort(compareText);

function canonicalGuides(guides: readonly PairingGuide[]): PairingGuide[] {
  const key = (g: PairingGuide) =>
    JSON.stringify([
      sortedText(g.platforms),
      sortedText(g.languages.map((l) => l.toLowerCase())),
      sortedText(g.topics),
      g.experienced,
    ]);
  return sortByKeyThenId(guides, key);
}

function canonicalSeniors(seniors: readonly PairingSenior[], gs: readonly PairingGuide[]): PairingSenior[] {
  const place = new Map(gs.map((g, i) => [g.id, i]));
  const key = (s: PairingSenior) =>
    JSON.stringify([
      sortedText(s.platforms),
      s.topic ?? '',
      otherLanguage(s) ?? '',
      // Whom the senior had before, by those guides' places (-1: a guide not on duty).
      s.helpedBefore.map((id) => place.get(id) ?? -1),
    ]);
  return sortByKeyThenId(seniors, key);
}

function sortByKeyThenId<T extends { id: string }>(items: readonly T[], key: (x: T) => string): T[] {
  const keys = new Map(items.map((x) => [x, key(x)]));
  return [...items].sort((a, b) => compareText(keys.get(a)!, keys.get(b)!) || compareText(a.id, b.id));
}

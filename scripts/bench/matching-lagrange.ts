/**
 * A proven upper bound on the engine's objective at any size: the Lagrangian relaxation of the
 * benchmark's exact model (`buildMatrix` in matching-milp.ts), with multipliers on the rows that
 * link sessions through a guide, improved by subgradient steps.
 *
 * The model's rows fall in two kinds:
 * - a session's own rows (n_s, f_s, z_s, u_s, c_sp, l_sl, v_s, e_s and the fixed pairs' x = 1), which
 *   involve only that session's pairs and variables;
 * - a guide's coupling rows, which link the sessions of one guide:
 *     (W) weekly hours    Σ_{s in week w} minutes_s·x_gs ≤ maxMinutesPerWeek_g
 *     (K) cliques         Σ_{s in K} x_gs ≤ 1     (the same greedy clique cover, restricted to g's sessions)
 *     (M) the fair share  m_g = Σ_s minutes_s·x_gs, with −(fairness/60)·d_g and d_g ≥ |m_g − fair_g|.
 * The per-session bound (`sessionBound`) is this relaxation with every multiplier zero.
 *
 * The bound. Let φ = fairness/60. Give each W and K row a multiplier y_r ≥ 0 and each guide's (M) row
 * a multiplier ν_g with −φ ≤ ν_g ≤ φ, and write a_gs = ν_g·minutes_s − Σ_{r ∋ (g,s)} y_r·coef_r,gs
 * for the pair's price. For any y, ν let
 *
 *   L(y, ν) = constant + Σ_r y_r·rhs_r + Σ_s max_{T ∈ Teams_s} [value_s(T) + Σ_{g ∈ T} a_gs]
 *             + Σ_{g with pairs} max_{m ∈ M_g} [−φ·|m − fair_g| − ν_g·m]
 *
 * where Teams_s are the teams the session's own rows allow (n_s = 0 or 2 ≤ n_s ≤ max, or with fixed
 * pairs: all of them and at most max(max, #fixed); no pair whose session alone is longer than the
 * guide's weekly hours, which (W) forbids by itself), value_s(T) is the engine's score of the session
 * with team T (filled, coverage, staffing, experience, languages, continuity and stability: at an
 * integer x the model's continuous n, u, c, l, v, e take exactly these values at their best), M_g is
 * the nonnegative multiples of the greatest common divisor of the session lengths (every plan's
 * minutes are a sum of session lengths; the continuous half-line when the lengths are not whole
 * minutes), and `constant` is the model's (filled points of sessions with minGuides 0 and the
 * fairness of guides with no pairs).
 *
 * Claim: L(y, ν) ≥ the score of every plan the model allows, hence ≥ the MILP's optimum, for every
 * y ≥ 0 and ν ∈ [−φ, φ]. Proof (weak duality). Take any feasible integer point (x, m, d, …) of the
 * model. Its score is Σ_s value_s(T_s) + Σ_g −φ·|m_g − fair_g| + constant, where T_s is its team at s
 * (d_g = |m_g − fair_g| at the best d; any larger d scores less). Add
 *   Σ_r y_r·(rhs_r − Σ coef·x) ≥ 0      (each W and K row holds and y_r ≥ 0)
 *   Σ_g ν_g·(Σ_s minutes_s·x_gs − m_g) = 0   (the (M) rows hold with equality),
 * so score ≤ constant + Σ_r y_r·rhs_r + Σ_s [value_s(T_s) + Σ_{g ∈ T_s} a_gs] + Σ_g [−φ|m_g − fair_g| − ν_g·m_g].
 * Each T_s is one of Teams_s (it satisfies its session's rows; a pair too long for its guide's week
 * would break a W row), and m_g ∈ M_g, so each bracket is at most its maximum: score ≤ L(y, ν). ∎
 * The soft terms are therefore taken exactly as the model linearises them, at integer x: the
 * session's team is chosen over integers (so no fractional guide covers two platforms at once),
 * while the coupling rows are relaxed. That is why the best L may be below the LP relaxation's
 * optimum (Geoffrion: the Lagrangian dual equals the LP over the convex hull of each session's
 * integer teams, which lies inside the session's LP polytope); it can never be below the optimum.
 * With ν_g outside [−φ, φ] the guide's bracket is unbounded (m → ∞) or no better, so ν is kept inside.
 *
 * Each session's bracket is solved exactly: guides are grouped by what they bring there (the
 * platforms and languages that session asks for, experienced or new); within a group only the
 * `room` with the highest w = (continuity and stability points) + a_gs can be in a best team; a guide
 * at least `room` others beat in every respect (a superset of what they bring and w at least theirs)
 * is dropped, since one of those is always free to take their place without lowering the value; the
 * rest go through a knapsack over (team size, platforms and languages covered, experience state).
 * A guide's bracket: for −φ ≤ ν ≤ φ the function is concave with its peak at fair_g, so the best m
 * is one of the two multiples around fair_g.
 *
 * An upper bound on the LP relaxation (`relaxed`, with `highs`): the same L at the best multipliers,
 * with each session's bracket over its LP polytope (its own rows with x in [0, 1], solved by HiGHS)
 * and each guide's over m ≥ 0 (m continuous: the peak at fair_g, −ν_g·fair_g). The proof above holds
 * word for word for every point of the LP relaxation, so this value is at least the LP bound: a gap
 * to it is at least the gap to the LP bound, which at a county's size no LP solver here finds.
 *
 * The multipliers: projected subgradient steps with Polyak's step length θ·(L − target)/‖g‖², where
 * target is a plan's score (the engine's), θ halved after `patience` steps without a better bound.
 * Every iterate is a bound; the result is the least found. Rows are scaled to about one session
 * (weekly hours and the fair share in units of the most common session length).
 */
import type { Highs } from 'highs';
import { Problem } from '../../src/domain/matching/problem';
import type { EngineInput } from '../../src/domain/matching/types';
import { conflictCliques, lpText, MatrixBuilder, matrixOf, pairPoints, sessionRows } from './matching-milp';

export interface LagrangeOptions {
  /** A plan's score (a lower bound on the optimum, e.g. the engine's) for Polyak's step. Default: 1 % below the first bound. */
  target?: number;
  /** Subgradient steps (default 400). */
  maxIterations?: number;
  /** Stop after this many milliseconds (default none). */
  timeLimitMs?: number;
  /** Halve θ after this many steps without a better bound (default 20). */
  patience?: number;
  /** First θ (default 1). */
  theta?: number;
  /** Stop when θ falls below this (default 1e-3). */
  minTheta?: number;
  problem?: Problem;
  /**
   * With HiGHS: also the bound on the LP relaxation (`relaxed`), the Lagrangian at the best
   * multipliers with each session's bracket over its LP polytope (see below).
   */
  highs?: Highs;
  /** Called with a line of progress every `logEvery` steps. */
  log?: (line: string) => void;
  logEvery?: number;
}

export interface LagrangeBound {
  /** The least L(y, ν) found: an upper bound on every plan's score. */
  bound: number;
  /** L(0, 0): the per-session bound (equal to `sessionBound`'s total). */
  atZero: number;
  iterations: number;
  bestIteration: number;
  /** Building the index and rows, and the steps (wall time), and the process's CPU over both. */
  buildMs: number;
  solveMs: number;
  cpuMs: number;
  model: { pairs: number; weeklyRows: number; cliqueRows: number; entries: number; guides: number };
  /** The bound after each step (for the log and the docs). */
  trace: number[];
  /**
   * With `highs`: L at the best multipliers with every session's bracket taken over the session's
   * rows of the LP relaxation (x in [0, 1]), not over whole teams: an upper bound on the LP
   * relaxation's optimum (the LP bound), found without solving that LP. `ms` is its wall time.
   */
  relaxed?: { bound: number; ms: number };
}

const popcount = (x: number) => {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
};

/** The Lagrangian bound of an input (see the comment at the top of this file). */
export function lagrangeBound(input: EngineInput, options: LagrangeOptions = {}): LagrangeBound {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const p = options.problem ?? new Problem(input);
  const w = p.weights;
  const S = p.sessions.length;
  const G = p.guides.length;
  const phi = w.fairness / 60;

  // The pairs, by session: eligible plus fixed, as in buildMatrix.
  const pairStart = new Int32Array(S + 1);
  const pairG: number[] = [];
  const pairS: number[] = [];
  const fixedList: number[] = [];
  for (let s = 0; s < S; s++) {
    const set = new Set(p.eligible[s]);
    for (const g of p.fixed[s]) set.add(g);
    for (const g of [...set].sort((a, b) => a - b)) {
      pairG.push(g);
      pairS.push(s);
      fixedList.push(p.fixed[s].has(g) ? 1 : 0);
    }
    pairStart[s + 1] = pairG.length;
  }
  const K = pairG.length;
  const gOf = Int32Array.from(pairG);
  const sOf = Int32Array.from(pairS);
  const fixed = Uint8Array.from(fixedList);

  // The most common session length: the unit of the weekly and fair-share rows.
  const lengthCount = new Map<number, number>();
  for (let s = 0; s < S; s++) lengthCount.set(p.minutes[s], (lengthCount.get(p.minutes[s]) ?? 0) + 1);
  let unit = 60;
  let most = 0;
  for (const [len, c] of lengthCount) if (c > most && len > 0) [unit, most] = [len, c];

  // Per pair: its continuity and stability points, what it brings (key), whether (W) forbids it alone.
  const base = new Float64Array(K);
  const key = new Int32Array(K);
  const barred = new Uint8Array(K);
  // Per session: the platforms and languages asked for, and the value of covering each subset.
  const covBits = new Int32Array(S);
  const covLang: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    const session = p.sessions[s];
    const platforms = (Object.keys(session.demand) as (keyof typeof session.demand)[]).filter(
      (pl) => session.demand[pl]! > 0,
    );
    const langs = Object.keys(session.languages).filter((l) => session.languages[l] > 0);
    const P = platforms.length;
    const bits = P + langs.length;
    covBits[s] = bits;
    const table = new Float64Array(1 << bits);
    for (let m = 0; m < table.length; m++) {
      let v = 0;
      platforms.forEach((pl, i) => m & (1 << i) && (v += session.demand[pl]! * w.coverage));
      langs.forEach((l, i) => m & (1 << (P + i)) && (v += session.languages[l] * w.language));
      table[m] = v;
    }
    covLang.push(table);
    for (let k = pairStart[s]; k < pairStart[s + 1]; k++) {
      const g = gOf[k];
      let cov = 0;
      platforms.forEach((pl, i) => p.knows[g].has(pl) && (cov |= 1 << i));
      langs.forEach((l, i) => p.speaks[g].has(l) && (cov |= 1 << (P + i)));
      key[k] = (cov << 1) | (p.guides[g].experienced ? 1 : 0);
      base[k] = pairPoints(p, s, g);
      if (!fixed[k] && p.minutes[s] > p.guides[g].maxMinutesPerWeek + 1e-9) barred[k] = 1;
    }
  }

  // The coupling rows (W and K), as buildMatrix writes them, in CSR: entries are pair indices.
  const guideStart = new Int32Array(G + 1);
  for (let k = 0; k < K; k++) guideStart[gOf[k] + 1]++;
  for (let g = 0; g < G; g++) guideStart[g + 1] += guideStart[g];
  const byGuide = new Int32Array(K);
  {
    const fill = guideStart.slice(0, G);
    for (let k = 0; k < K; k++) byGuide[fill[gOf[k]]++] = k;
  }
  const rowStart: number[] = [0];
  const rowPair: number[] = [];
  const rowCoef: number[] = [];
  const rowRhs: number[] = [];
  let weeklyRows = 0;
  let cliqueRows = 0;
  const cliques = conflictCliques(p);
  const cliqueOf: number[][] = p.sessions.map(() => []);
  cliques.forEach((c, i) => c.forEach((s) => cliqueOf[s].push(i)));
  const pairAt = new Int32Array(S).fill(-1);
  const cliqueSeen = new Int32Array(cliques.length).fill(-1);
  for (let g = 0; g < G; g++) {
    const from = guideStart[g];
    const to = guideStart[g + 1];
    if (from === to) continue;
    const byWeek = new Map<number, number[]>();
    for (let i = from; i < to; i++) {
      const k = byGuide[i];
      const week = p.weekOf[sOf[k]];
      const list = byWeek.get(week);
      if (list) list.push(k);
      else byWeek.set(week, [k]);
    }
    for (const list of byWeek.values()) {
      const sum = list.reduce((a, k) => a + p.minutes[sOf[k]], 0);
      if (sum > p.guides[g].maxMinutesPerWeek + 1e-9) {
        for (const k of list) {
          rowPair.push(k);
          rowCoef.push(p.minutes[sOf[k]] / unit);
        }
        rowRhs.push(p.guides[g].maxMinutesPerWeek / unit);
        rowStart.push(rowPair.length);
        weeklyRows++;
      }
    }
    for (let i = from; i < to; i++) pairAt[sOf[byGuide[i]]] = byGuide[i];
    const seen = new Set<string>();
    for (let i = from; i < to; i++) {
      for (const c of cliqueOf[sOf[byGuide[i]]]) {
        if (cliqueSeen[c] === g) continue;
        cliqueSeen[c] = g;
        const members = cliques[c].filter((s) => pairAt[s] >= 0);
        if (members.length < 2) continue;
        const id = members.join(',');
        if (seen.has(id)) continue;
        seen.add(id);
        for (const s of members) {
          rowPair.push(pairAt[s]);
          rowCoef.push(1);
        }
        rowRhs.push(1);
        rowStart.push(rowPair.length);
        cliqueRows++;
      }
    }
    for (let i = from; i < to; i++) pairAt[sOf[byGuide[i]]] = -1;
  }
  const R = rowRhs.length;
  const rStart = Int32Array.from(rowStart);
  const rPair = Int32Array.from(rowPair);
  const rCoef = Float64Array.from(rowCoef);
  const rRhs = Float64Array.from(rowRhs);
  rowPair.length = rowCoef.length = 0;

  // The fair share: guides with pairs; M_g's step (0: continuous).
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const whole = Array.from(p.minutes).every((m) => Number.isInteger(m));
  const step = whole ? Array.from(p.minutes).reduce((d, m) => gcd(d, m), 0) : 0;
  let constant = 0;
  const hasPairs = new Uint8Array(G);
  for (let g = 0; g < G; g++) hasPairs[g] = guideStart[g + 1] > guideStart[g] ? 1 : 0;
  for (let g = 0; g < G; g++) if (!hasPairs[g]) constant -= phi * p.fairMinutes[g];
  const nuMax = phi * unit; // ν scaled to a session: ν_g·minutes = nu[g]·minutes/unit

  /** The guide's bracket at scaled multiplier nu: its value and the best m. */
  const guideBest = (g: number, nu: number): [number, number] => {
    const fair = p.fairMinutes[g];
    const perMinute = nu / unit;
    if (!step) return [-perMinute * fair, fair];
    const low = step * Math.floor(fair / step);
    const vLow = -phi * (fair - low) - perMinute * low;
    const high = low + step;
    const vHigh = -phi * (high - fair) - perMinute * high;
    return vLow >= vHigh ? [vLow, low] : [vHigh, high];
  };

  // Scratch for the sessions' knapsacks.
  let maxBits = 0;
  for (let s = 0; s < S; s++) maxBits = Math.max(maxBits, covBits[s]);
  // M: the most guides any session can add (its max), at least 1 so that strides stay positive.
  const M = Math.max(
    1,
    p.sessions.reduce((m, s) => Math.max(m, s.maxGuides), 0),
  );
  const keySpace = 1 << (maxBits + 1);
  const slotCount = new Int32Array(keySpace);
  const slotW = new Float64Array(keySpace * M);
  const slotK = new Int32Array(keySpace * M);
  const touched = new Int32Array(keySpace);
  const stateSize = (M + 1) * (1 << maxBits) * 3;
  const dp = new Float64Array(stateSize);
  const team = new Int32Array(stateSize * M);
  const candKey: number[] = [];
  const candW: number[] = [];
  const candK: number[] = [];
  const order: number[] = [];
  const keptKey = new Int32Array(keySpace * M);
  const keptW = new Float64Array(keySpace * M);
  const keptK = new Int32Array(keySpace * M);

  const a = new Float64Array(K);
  const x = new Uint8Array(K);

  /** Session s's bracket at prices a; marks its best team in x. */
  const solveSession = (s: number): number => {
    const session = p.sessions[s];
    const from = pairStart[s];
    const to = pairStart[s + 1];
    const bits = covBits[s];
    const table = covLang[s];
    let fixedCount = 0;
    let cov0 = 0;
    let e0 = 0;
    let forcedValue = 0;
    for (let k = from; k < to; k++) {
      if (!fixed[k]) continue;
      fixedCount++;
      x[k] = 1;
      cov0 |= key[k] >> 1;
      e0 = key[k] & 1 ? 2 : e0 === 2 ? 2 : 1;
      forcedValue += base[k] + a[k];
    }
    const room = Math.max(0, session.maxGuides - fixedCount);
    // Top `room` of each group.
    let nTouched = 0;
    if (room > 0) {
      for (let k = from; k < to; k++) {
        if (fixed[k] || barred[k]) continue;
        const kk = key[k];
        const v = base[k] + a[k];
        let c = slotCount[kk];
        if (c === 0) touched[nTouched++] = kk;
        const at = kk * M;
        if (c === room) {
          if (v <= slotW[at + room - 1]) continue;
          c--;
        } else slotCount[kk] = c + 1;
        let i = c;
        while (i > 0 && slotW[at + i - 1] < v) {
          slotW[at + i] = slotW[at + i - 1];
          slotK[at + i] = slotK[at + i - 1];
          i--;
        }
        slotW[at + i] = v;
        slotK[at + i] = k;
      }
    }
    candKey.length = candW.length = candK.length = order.length = 0;
    for (let t = 0; t < nTouched; t++) {
      const kk = touched[t];
      const at = kk * M;
      for (let i = 0; i < slotCount[kk]; i++) {
        order.push(candKey.length);
        candKey.push(kk);
        candW.push(slotW[at + i]);
        candK.push(slotK[at + i]);
      }
      slotCount[kk] = 0;
    }
    // Drop guides whom `room` kept ones beat in every respect.
    order.sort((i, j) => popcount(candKey[j]) - popcount(candKey[i]) || candW[j] - candW[i]);
    let kept = 0;
    for (const i of order) {
      const bk = candKey[i];
      const bw = candW[i];
      let beaten = 0;
      for (let j = 0; j < kept && beaten < room; j++) if ((keptKey[j] & bk) === bk && keptW[j] >= bw) beaten++;
      if (beaten < room) {
        keptKey[kept] = bk;
        keptW[kept] = bw;
        keptK[kept] = candK[i];
        kept++;
      }
    }
    // Knapsack over (guides added, covered, experience state 0 none / 1 new only / 2 experienced).
    const covSpace = 1 << bits;
    const levelSize = covSpace * 3;
    const used = (room + 1) * levelSize;
    dp.fill(-Infinity, 0, used);
    dp[cov0 * 3 + e0] = forcedValue;
    for (let c = 0; c < kept; c++) {
      const ck = keptKey[c] >> 1;
      const exp = keptKey[c] & 1;
      const cw = keptW[c];
      for (let cnt = Math.min(room - 1, c); cnt >= 0; cnt--) {
        const lvl = cnt * levelSize;
        for (let st = 0; st < levelSize; st++) {
          const v = dp[lvl + st];
          if (v === -Infinity) continue;
          const cov = (st / 3) | 0;
          const e = st - cov * 3;
          const ne = exp ? 2 : e === 2 ? 2 : 1;
          const to2 = lvl + levelSize + (cov | ck) * 3 + ne;
          const nv = v + cw;
          if (nv > dp[to2]) {
            dp[to2] = nv;
            const src = (lvl + st) * M;
            const dst = to2 * M;
            for (let i = 0; i < cnt; i++) team[dst + i] = team[src + i];
            team[dst + cnt] = keptK[c];
          }
        }
      }
    }
    let best = -Infinity;
    let bestState = -1;
    let bestCnt = 0;
    for (let cnt = 0; cnt <= room; cnt++) {
      const n = fixedCount + cnt;
      if (fixedCount === 0 && n === 1) continue;
      if (fixedCount === 0 && session.maxGuides < 2 && n > 0) continue;
      const fixedPart = (n >= session.minGuides ? w.filled : 0) + Math.min(n, Math.max(0, p.target[s])) * w.staffing;
      const lvl = cnt * levelSize;
      for (let st = 0; st < levelSize; st++) {
        const v = dp[lvl + st];
        if (v === -Infinity) continue;
        const cov = (st / 3) | 0;
        const e = st - cov * 3;
        const total = v + fixedPart + table[cov] - (e === 1 ? w.experience : 0);
        if (total > best) {
          best = total;
          bestState = lvl + st;
          bestCnt = cnt;
        }
      }
    }
    for (let i = 0; i < bestCnt; i++) x[team[bestState * M + i]] = 1;
    return best;
  };

  // The multipliers: y per row (W, K), nu per guide (scaled, in [−nuMax, nuMax]).
  const y = new Float64Array(R);
  const nu = new Float64Array(G);
  const gy = new Float64Array(R);
  const gnu = new Float64Array(G);
  const guideMinutes = new Float64Array(G);

  /** The pairs' prices a at the multipliers; returns constant + Σ y·rhs. */
  const prices = (): number => {
    for (let k = 0; k < K; k++) a[k] = (nu[gOf[k]] * p.minutes[sOf[k]]) / unit;
    let value = constant;
    for (let r = 0; r < R; r++) {
      const yr = y[r];
      if (yr === 0) continue;
      value += yr * rRhs[r];
      for (let t = rStart[r]; t < rStart[r + 1]; t++) a[rPair[t]] -= yr * rCoef[t];
    }
    return value;
  };

  const evaluate = (): number => {
    let value = prices();
    x.fill(0);
    for (let s = 0; s < S; s++) value += solveSession(s);
    guideMinutes.fill(0);
    for (let k = 0; k < K; k++) if (x[k]) guideMinutes[gOf[k]] += p.minutes[sOf[k]];
    for (let g = 0; g < G; g++) {
      if (!hasPairs[g]) continue;
      const [v, m] = guideBest(g, nu[g]);
      value += v;
      gnu[g] = (guideMinutes[g] - m) / unit; // ∂L/∂nu
    }
    for (let r = 0; r < R; r++) {
      let act = 0;
      for (let t = rStart[r]; t < rStart[r + 1]; t++) if (x[rPair[t]]) act += rCoef[t];
      gy[r] = rRhs[r] - act; // ∂L/∂y
    }
    return value;
  };

  const buildMs = performance.now() - t0;
  const t1 = performance.now();
  const maxIterations = options.maxIterations ?? 400;
  const patience = options.patience ?? 20;
  const minTheta = options.minTheta ?? 1e-3;
  let theta = options.theta ?? 1;
  const atZero = evaluate();
  const target = options.target ?? atZero * 0.99;
  let bound = atZero;
  let bestIteration = 0;
  let since = 0;
  const trace = [atZero];
  // The multipliers of the least value (zero at first), for the LP brackets.
  const bestY = options.highs ? new Float64Array(R) : null;
  const bestNu = options.highs ? new Float64Array(G) : null;
  let it = 0;
  let value = atZero;
  while (it < maxIterations && theta >= minTheta) {
    if (options.timeLimitMs !== undefined && performance.now() - t0 > options.timeLimitMs) break;
    // The projected subgradient's squared norm (components that can move).
    let norm = 0;
    for (let r = 0; r < R; r++) if (y[r] > 0 || gy[r] < 0) norm += gy[r] * gy[r];
    for (let g = 0; g < G; g++) {
      if (!hasPairs[g]) continue;
      const d = gnu[g];
      if ((d > 0 && nu[g] > -nuMax) || (d < 0 && nu[g] < nuMax)) norm += d * d;
    }
    if (norm === 0) break; // no multiplier can move: nothing left to step along
    const t = (theta * Math.max(value - target, 1e-9)) / norm;
    // Minimise L: step against the gradient, then project.
    for (let r = 0; r < R; r++) {
      const v = y[r] - t * gy[r];
      y[r] = v > 0 ? v : 0;
    }
    for (let g = 0; g < G; g++) {
      if (!hasPairs[g]) continue;
      const v = nu[g] - t * gnu[g];
      nu[g] = v > nuMax ? nuMax : v < -nuMax ? -nuMax : v;
    }
    value = evaluate();
    it++;
    trace.push(value);
    // The least value is the bound; only a visible gain resets the patience.
    const gained = value < bound - 1e-9;
    if (value < bound) {
      bound = value;
      bestIteration = it;
      bestY?.set(y);
      bestNu?.set(nu);
    }
    if (gained) since = 0;
    else if (++since >= patience) {
      theta /= 2;
      since = 0;
    }
    if (options.log && options.logEvery && it % options.logEvery === 0)
      options.log(
        `lagrange ${it}: L ${value.toFixed(1)}, best ${bound.toFixed(1)} (step ${bestIteration}), θ ${theta.toPrecision(2)}, ${((performance.now() - t1) / 1000).toFixed(1)} s`,
      );
  }
  const solveMs = performance.now() - t1;

  /**
   * Session s's bracket over its LP polytope at prices a: its own rows of the model (sessionRows,
   * the same that buildMatrix writes), the pairs in [0, 1] with the prices in their objective. A
   * pair's x is at most the guide's weekly minutes over the session's: the guide's weekly row (W)
   * implies it at every point of the LP, so the bracket still covers every point of the LP.
   */
  const sessionLp = (highs: Highs, s: number): number => {
    const from = pairStart[s];
    const n = pairStart[s + 1] - from;
    const filledFree = p.sessions[s].minGuides <= 0 ? w.filled : 0;
    if (!n) return filledFree;
    const b = new MatrixBuilder(n);
    for (let j = 0; j < n; j++) {
      const k = from + j;
      const coef = base[k] + a[k];
      if (coef) b.obj(j, coef);
      if (fixed[k]) {
        b.add(j, 1);
        b.end('=', 1);
      }
      const most = p.guides[gOf[k]].maxMinutesPerWeek / p.minutes[s];
      b.bound(j, fixed[k] || !(most < 1 - 1e-9) ? 1 : most);
    }
    sessionRows(
      p,
      s,
      Array.from({ length: n }, (_x, j) => j),
      (j) => gOf[from + j],
      b,
    );
    const m = highs.createModel({ format: 'lp', data: lpText(matrixOf(b), { binaries: false }) });
    try {
      m.options.set({ output_flag: false, solver: 'simplex', presolve: 'on', random_seed: 1 });
      m.run();
      const status = m.getModelStatus() as number;
      if (status !== 7) throw new Error(`session ${s}'s LP bracket: HiGHS status ${status}`);
      return m.getObjectiveValue() + filledFree;
    } finally {
      m.dispose();
    }
  };

  // The Lagrangian's own CPU, without the LP brackets' (HiGHS's) below.
  const cpu = process.cpuUsage(cpu0);
  let relaxed: LagrangeBound['relaxed'];
  if (options.highs) {
    // L over the LP: a guide's minutes m_g are continuous there, so the guide's bracket is at
    // m_g = fair_g (ν within [−φ, φ]); each session's is its LP (sessionLp). Weak duality as in
    // the claim above, over every point of the LP relaxation: the result is ≥ the LP bound.
    const t2 = performance.now();
    y.set(bestY!);
    nu.set(bestNu!);
    let value = prices();
    for (let s = 0; s < S; s++) value += sessionLp(options.highs, s);
    for (let g = 0; g < G; g++) if (hasPairs[g]) value -= (nu[g] / unit) * p.fairMinutes[g];
    relaxed = { bound: value, ms: performance.now() - t2 };
  }

  return {
    relaxed,
    bound,
    atZero,
    iterations: it,
    bestIteration,
    buildMs,
    solveMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    model: { pairs: K, weeklyRows, cliqueRows, entries: rPair.length, guides: G },
    trace,
  };
}

/**
 * The exact reference for the matching engine: the engine's objective and hard rules as a
 * mixed-integer linear programme, written in CPLEX LP format and solved by HiGHS (the `highs`
 * package, WebAssembly, single-threaded).
 *
 * The objective is the one `State.breakdown()` computes (src/domain/matching/state.ts), term by
 * term, with the facts of `Problem` (targets, fair shares, eligibility, compatibility):
 *
 *   max  Σ_s filled·f_s + Σ_s,p coverage·demand_sp·c_sp + Σ_s staffing·u_s − Σ_s experience·e_s
 *        + Σ_s,l language·seniors_sl·l_sl − Σ_g (fairness/60)·d_g + Σ_(g,s) (continuity·h_gs + stability·prev_gs)·x_gs
 *
 *   x_gs ∈ {0,1} for every eligible or fixed pair; x_gs = 1 for a fixed pair
 *   n_s = Σ_g x_gs                                                         (guides in the session)
 *   f_s ∈ {0,1}:       minGuides_s·f_s ≤ n_s                               (filled)
 *   z_s ∈ {0,1}:       2·z_s ≤ n_s ≤ maxGuides_s·z_s                       (never one alone, at most max;
 *                      a session with a fixed pair: n_s ≤ max(maxGuides, #fixed) only)
 *   0 ≤ u_s ≤ target_s, u_s ≤ n_s                                          (staffing up to the target)
 *   0 ≤ c_sp ≤ 1,   c_sp ≤ Σ_{g knows p} x_gs                               (platform covered)
 *   0 ≤ l_sl ≤ 1,   l_sl ≤ Σ_{g speaks l} x_gs                              (language spoken)
 *   0 ≤ v_s ≤ 1,    v_s ≤ Σ_{g experienced} x_gs                            (an experienced guide is there)
 *   0 ≤ e_s ≤ 1,    e_s ≥ x_ns − v_s for each new guide n                   (new guide without an experienced one)
 *   m_g = Σ_s minutes_s·x_gs,  d_g ≥ m_g − fair_g,  d_g ≥ fair_g − m_g      (hours from the fair share)
 *   Σ_{s in week w} minutes_s·x_gs ≤ maxMinutesPerWeek_g                   (weekly hours)
 *   Σ_{s in K} x_gs ≤ 1 for every clique K of mutually incompatible sessions (overlap, travel included)
 *
 * n, m, c, l, u, v, e and d are continuous: at any integer x their best values are the 0/1 (or integer)
 * values the engine's score would give, so the optimum is the same and the solver branches on
 * x, f and z only. Incompatible pairs are grouped into cliques (per date, one greedy edge-clique
 * cover of the conflict graph shared by all guides) rather than one row per pair.
 */
import loadHighs from 'highs';
import type { Highs } from 'highs';
import { Problem } from '../../src/domain/matching/problem';
import type { EngineInput, Pair } from '../../src/domain/matching/types';

let highsPromise: Promise<Highs> | undefined;
/** The WebAssembly runtime, loaded once per process. */
export const getHighs = (): Promise<Highs> => (highsPromise ??= loadHighs());

export interface MilpModel {
  /** The model in CPLEX LP format. */
  lp: string;
  /** Column `x<k>` is pairs[k]. */
  pairs: { s: number; g: number }[];
  /** Objective terms that do not depend on any variable (sessions with minGuides 0, idle guides' fairness). */
  constant: number;
  columns: number;
  rows: number;
  binaries: number;
  buildMs: number;
}

/** '<=', '>=', '=' as row senses 0, 1, 2. */
const SENSES = ['<=', '>=', '='] as const;
type Sense = (typeof SENSES)[number];

/**
 * The model as sparse arrays, row by row: the one source of the LP text (`buildMilp`) and of the
 * MPS file a native solver reads (`writeMps` in matching-clp.ts), which at a county's size is too
 * large for one string. Every column's lower bound is 0; the objective is maximised.
 */
export interface MilpMatrix {
  /** Column k < pairs.length is x_k, the pair pairs[k]. */
  pairs: { s: number; g: number }[];
  /** Objective terms that do not depend on any variable. */
  constant: number;
  colName: string[];
  /** Upper bound, Infinity when none (a binary's is 1 by its integrality). */
  colUpper: number[];
  /** 1 for a binary column. */
  colInteger: number[];
  /** Row i's terms are index/value[rowStart[i] .. rowStart[i + 1]). */
  rowStart: number[];
  index: number[];
  value: number[];
  /** 0 '<=', 1 '>=', 2 '='. */
  rowSense: number[];
  rowRhs: number[];
  /** The objective's terms, the bounded columns and the binaries, in the order the LP text names them. */
  objCol: number[];
  objCoef: number[];
  boundOrder: number[];
  binaryOrder: number[];
  buildMs: number;
}

/**
 * Where a model's columns, rows and objective go as they are made: `buildMatrix`'s whole model, and
 * one session's own rows alone (the Lagrangian bound's LP brackets, matching-lagrange.ts). Columns
 * x0 … x(pairs − 1) are the pairs; others are made by name on first use.
 */
export class MatrixBuilder {
  readonly colName: string[];
  readonly colUpper: number[];
  readonly colInteger: number[];
  private readonly colIndex = new Map<string, number>();
  readonly rowStart: number[] = [0];
  readonly index: number[] = [];
  readonly value: number[] = [];
  readonly rowSense: number[] = [];
  readonly rowRhs: number[] = [];
  readonly objCol: number[] = [];
  readonly objCoef: number[] = [];
  readonly boundOrder: number[] = [];
  readonly binaryOrder: number[] = [];

  constructor(pairs: number) {
    this.colName = Array.from({ length: pairs }, (_x, k) => `x${k}`);
    this.colUpper = new Array<number>(pairs).fill(Infinity);
    this.colInteger = new Array<number>(pairs).fill(0);
  }

  /** The column of a name other than x<k>, made on first use. */
  col(name: string): number {
    let j = this.colIndex.get(name);
    if (j === undefined) {
      j = this.colName.length;
      this.colIndex.set(name, j);
      this.colName.push(name);
      this.colUpper.push(Infinity);
      this.colInteger.push(0);
    }
    return j;
  }

  obj(j: number, coef: number): void {
    this.objCol.push(j);
    this.objCoef.push(coef);
  }

  bound(j: number, upper: number): void {
    this.colUpper[j] = upper;
    this.boundOrder.push(j);
  }

  binary(j: number): void {
    this.colInteger[j] = 1;
    this.binaryOrder.push(j);
  }

  /** A row's term; the row ends with `end`. */
  add(j: number, coef: number): void {
    this.index.push(j);
    this.value.push(coef);
  }

  end(sense: Sense, rhs: number): void {
    this.rowSense.push(SENSES.indexOf(sense));
    this.rowRhs.push(rhs);
    this.rowStart.push(this.index.length);
  }
}

/** A pair's continuity and stability points: its objective coefficient. */
export function pairPoints(p: Problem, s: number, g: number): number {
  const w = p.weights;
  return (
    ((p.guides[g].venueHistory[p.sessions[s].venueId] ?? 0) > 0 ? w.continuity : 0) +
    p.helped(s, g) * w.continuity +
    (p.wasPrevious(s, g) ? w.stability : 0)
  );
}

/**
 * Session s's own rows: every row of the model that involves only its pairs (columns `ks`, whose
 * guides `guideOf` gives) and its own columns (n, f, z, u, c, l, v, e). The fixed pairs' rows
 * (x = 1) and the pairs' objective are the caller's.
 */
export function sessionRows(
  p: Problem,
  s: number,
  ks: number[],
  guideOf: (k: number) => number,
  b: MatrixBuilder,
): void {
  const w = p.weights;
  const session = p.sessions[s];
  const fixedCount = p.fixed[s].size;
  if (!ks.length) return;

  // n_s = the number of guides, the one row that sums the session's pairs.
  const n = b.col(`n${s}`);
  b.add(n, 1);
  for (const k of ks) b.add(k, -1);
  b.end('=', 0);
  b.bound(n, ks.length);

  // Filled.
  if (session.minGuides > 0 && ks.length >= session.minGuides) {
    const f = b.col(`f${s}`);
    b.obj(f, w.filled);
    b.binary(f);
    b.add(f, session.minGuides);
    b.add(n, -1);
    b.end('<=', 0);
  }

  // Never one alone, never more than the maximum.
  if (fixedCount > 0) {
    b.add(n, 1);
    b.end('<=', Math.max(session.maxGuides, fixedCount));
  } else if (session.maxGuides < 2) {
    b.add(n, 1);
    b.end('<=', 0);
  } else {
    const z = b.col(`z${s}`);
    b.binary(z);
    b.add(n, 1);
    b.add(z, -2);
    b.end('>=', 0);
    b.add(n, 1);
    b.add(z, -session.maxGuides);
    b.end('<=', 0);
  }

  // Staffing up to the target.
  const target = p.target[s];
  if (target > 0) {
    const u = b.col(`u${s}`);
    b.obj(u, w.staffing);
    b.bound(u, target);
    b.add(u, 1);
    b.add(n, -1);
    b.end('<=', 0);
  }

  // Platforms covered and languages spoken: a column in [0, 1] worth `weight` per senior, at most
  // the guides there who hold it.
  const covered = (name: string, seniors: number, weight: number, holders: number[]) => {
    if (!seniors || !holders.length) return;
    const c = b.col(name);
    b.obj(c, weight * seniors);
    b.bound(c, 1);
    b.add(c, 1);
    for (const k of holders) b.add(k, -1);
    b.end('<=', 0);
  };
  for (const platform in session.demand)
    covered(
      `c${s}_${platform}`,
      session.demand[platform as keyof typeof session.demand]!,
      w.coverage,
      ks.filter((k) => p.knows[guideOf(k)].has(platform as never)),
    );
  for (const lang in session.languages)
    covered(
      `l${s}_${lang}`,
      session.languages[lang],
      w.language,
      ks.filter((k) => p.speaks[guideOf(k)].has(lang)),
    );

  // A new guide without an experienced one beside them.
  // (v_s: an experienced guide is there; e_s ≥ x_ns − v_s for each new guide n.)
  const fresh = ks.filter((k) => !p.guides[guideOf(k)].experienced);
  if (fresh.length && w.experience) {
    const seasoned = ks.filter((k) => p.guides[guideOf(k)].experienced);
    const e = b.col(`e${s}`);
    b.obj(e, -w.experience);
    b.bound(e, 1);
    if (seasoned.length) {
      const v = b.col(`v${s}`);
      b.bound(v, 1);
      b.add(v, 1);
      for (const k of seasoned) b.add(k, -1);
      b.end('<=', 0);
      for (const k of fresh) {
        b.add(e, 1);
        b.add(k, -1);
        b.add(v, 1);
        b.end('>=', 0);
      }
    } else {
      for (const k of fresh) {
        b.add(e, 1);
        b.add(k, -1);
        b.end('>=', 0);
      }
    }
  }
}

/** The model of an input as sparse arrays; `problem` may be passed in when the caller already built one. */
export function buildMatrix(input: EngineInput, problem: Problem = new Problem(input)): MilpMatrix {
  const t0 = performance.now();
  const p = problem;
  const w = p.weights;
  const S = p.sessions.length;
  const G = p.guides.length;

  // The pairs: eligible, plus fixed ones (which the engine places whatever their eligibility).
  const pairs: { s: number; g: number }[] = [];
  const sessionPairs: number[][] = p.sessions.map(() => []);
  const guidePairs: number[][] = p.guides.map(() => []);
  const fixedPair: boolean[] = [];
  for (let s = 0; s < S; s++) {
    const set = new Set(p.eligible[s]);
    for (const g of p.fixed[s]) set.add(g);
    for (const g of [...set].sort((a, b) => a - b)) {
      const k = pairs.length;
      pairs.push({ s, g });
      sessionPairs[s].push(k);
      guidePairs[g].push(k);
      fixedPair.push(p.fixed[s].has(g));
    }
  }

  const b = new MatrixBuilder(pairs.length);
  let constant = 0;
  for (let k = 0; k < pairs.length; k++) {
    const coef = pairPoints(p, pairs[k].s, pairs[k].g);
    if (coef) b.obj(k, coef);
    b.binary(k);
    if (fixedPair[k]) {
      b.add(k, 1);
      b.end('=', 1);
    }
  }

  for (let s = 0; s < S; s++) {
    if (p.sessions[s].minGuides <= 0) constant += w.filled;
    sessionRows(p, s, sessionPairs[s], (k) => pairs[k].g, b);
  }

  // Per guide: weekly hours, incompatible sessions, fairness.
  const cliques = conflictCliques(p);
  const cliqueOf: number[][] = p.sessions.map(() => []);
  cliques.forEach((c, i) => c.forEach((s) => cliqueOf[s].push(i)));
  for (let g = 0; g < G; g++) {
    const ks = guidePairs[g];
    const fair = p.fairMinutes[g];
    if (!ks.length) {
      constant += (-w.fairness * fair) / 60;
      continue;
    }
    const byWeek = new Map<number, number[]>();
    for (const k of ks) {
      const week = p.weekOf[pairs[k].s];
      const list = byWeek.get(week);
      if (list) list.push(k);
      else byWeek.set(week, [k]);
    }
    for (const list of byWeek.values()) {
      const most = list.reduce((sum, k) => sum + p.minutes[pairs[k].s], 0);
      if (most > p.guides[g].maxMinutesPerWeek + 1e-9) {
        for (const k of list) b.add(k, p.minutes[pairs[k].s]);
        b.end('<=', p.guides[g].maxMinutesPerWeek);
      }
    }

    const bySession = new Map(ks.map((k) => [pairs[k].s, k]));
    const seen = new Set<string>();
    for (const k of ks) {
      for (const c of cliqueOf[pairs[k].s]) {
        const members = cliques[c].filter((s) => bySession.has(s));
        if (members.length < 2) continue;
        const key = members.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        for (const s of members) b.add(bySession.get(s)!, 1);
        b.end('<=', 1);
      }
    }

    if (w.fairness) {
      // m_g = the guide's minutes; d_g ≥ |m_g − fair_g|.
      const d = b.col(`d${g}`);
      const m = b.col(`m${g}`);
      b.obj(d, -w.fairness / 60);
      b.add(m, 1);
      for (const k of ks) b.add(k, -p.minutes[pairs[k].s]);
      b.end('=', 0);
      b.add(d, 1);
      b.add(m, -1);
      b.end('>=', -fair);
      b.add(d, 1);
      b.add(m, 1);
      b.end('>=', fair);
    }
  }

  return { ...matrixOf(b), pairs, constant, buildMs: performance.now() - t0 };
}

/** A builder's arrays as a matrix (without the pairs, constant and time, which are the caller's). */
export function matrixOf(b: MatrixBuilder): Omit<MilpMatrix, 'pairs' | 'constant' | 'buildMs'> {
  const { colName, colUpper, colInteger, rowStart, index, value, rowSense, rowRhs, objCol, objCoef } = b;
  return {
    colName,
    colUpper,
    colInteger,
    rowStart,
    index,
    value,
    rowSense,
    rowRhs,
    objCol,
    objCoef,
    boundOrder: b.boundOrder,
    binaryOrder: b.binaryOrder,
  };
}

/** Writes the model in CPLEX LP format; `problem` may be passed in when the caller already built one. */
export function buildMilp(input: EngineInput, problem: Problem = new Problem(input)): MilpModel {
  const t0 = performance.now();
  const mx = buildMatrix(input, problem);
  const lp = lpText(mx);
  return {
    lp,
    pairs: mx.pairs,
    constant: mx.constant,
    columns: mx.colName.length,
    rows: mx.rowSense.length,
    binaries: mx.binaryOrder.length,
    buildMs: performance.now() - t0,
  };
}

/** A matrix in CPLEX LP format (maximised; `binaries: false` writes the LP relaxation). */
export function lpText(
  mx: Omit<MilpMatrix, 'pairs' | 'constant' | 'buildMs'>,
  { binaries = true }: { binaries?: boolean } = {},
): string {
  const name = mx.colName;
  const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(15).replace(/\.?0+$/, ''));
  const term = (coef: number, j: number) =>
    coef === 1
      ? ` + ${name[j]}`
      : coef === -1
        ? ` - ${name[j]}`
        : coef >= 0
          ? ` + ${num(coef)} ${name[j]}`
          : ` - ${num(-coef)} ${name[j]}`;

  // No spread into push(): a call's arguments live on the stack, which a county's rows overflow.
  const lines: string[] = ['Maximize', ' obj:'];
  const obj = mx.objCol.map((j, i) => term(mx.objCoef[i], j));
  for (let i = 0; i < obj.length; i += 16) lines.push(' ' + obj.slice(i, i + 16).join(''));
  if (!obj.length) lines.push(' 0 x0');
  lines.push('Subject To');
  const rows = mx.rowSense.length;
  for (let r = 0; r < rows; r++) {
    // One row, broken into lines of at most 16 terms (LP readers dislike very long lines).
    let out = ` r${r}:`;
    const from = mx.rowStart[r];
    const to = mx.rowStart[r + 1];
    for (let i = from; i < to; i += 16) {
      out += i > from ? '\n ' : ' ';
      for (let t = i; t < Math.min(to, i + 16); t++) out += term(mx.value[t], mx.index[t]);
    }
    lines.push(`${out} ${SENSES[mx.rowSense[r]]} ${num(mx.rowRhs[r])}`);
  }
  lines.push('Bounds');
  // A binary's bound [0, 1] is its integrality's; the relaxation states it.
  const bounded = binaries
    ? mx.boundOrder
    : [...mx.boundOrder, ...mx.binaryOrder.filter((j) => mx.colUpper[j] === Infinity)];
  for (const j of bounded) lines.push(` 0 <= ${name[j]} <= ${mx.colUpper[j] === Infinity ? 1 : mx.colUpper[j]}`);
  if (binaries && mx.binaryOrder.length) {
    lines.push('Binary');
    for (let i = 0; i < mx.binaryOrder.length; i += 20)
      lines.push(
        ' ' +
          mx.binaryOrder
            .slice(i, i + 20)
            .map((j) => name[j])
            .join(' '),
      );
  }
  lines.push('End', '');
  return lines.join('\n');
}

/**
 * Groups of sessions no guide can do two of (overlap, or too little time to travel between):
 * a greedy edge-clique cover of the conflict graph, so that every incompatible pair lies in at
 * least one group. Computed once for all guides; a guide's rows are the groups restricted to
 * the sessions they may work.
 */
export function conflictCliques(p: Problem): number[][] {
  const S = p.sessions.length;
  const order = p.sessions.map((_s, i) => i).sort((a, b) => p.sessions[a].start - p.sessions[b].start);
  let maxTravel = 0;
  const venues = [...new Set(p.sessions.map((s) => s.venueId))];
  for (const a of venues) for (const b of venues) maxTravel = Math.max(maxTravel, p.travelMinutes(a, b));
  const adj: Set<number>[] = Array.from({ length: S }, () => new Set<number>());
  for (let i = 0; i < order.length; i++) {
    const a = order[i];
    for (let j = i + 1; j < order.length; j++) {
      const b = order[j];
      // Sorted by start: from here on every session starts after a's end plus any travel.
      if (p.sessions[b].start >= p.sessions[a].end + maxTravel * 60_000) break;
      if (!p.compatible(a, b)) {
        adj[a].add(b);
        adj[b].add(a);
      }
    }
  }
  const covered = new Set<string>();
  const edgeKey = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`);
  const cliques: number[][] = [];
  for (const a of order) {
    for (const b of adj[a]) {
      if (covered.has(edgeKey(a, b))) continue;
      const clique = [a, b];
      // Grow with common neighbours, those with the most uncovered edges into the pair first.
      const uncoveredInto = (c: number) => (covered.has(edgeKey(c, a)) ? 0 : 1) + (covered.has(edgeKey(c, b)) ? 0 : 1);
      const candidates = [...adj[a]].filter((c) => c !== b && adj[b].has(c));
      candidates.sort((x, y) => uncoveredInto(y) - uncoveredInto(x) || x - y);
      for (const c of candidates) if (clique.every((m) => adj[c].has(m))) clique.push(c);
      for (let i = 0; i < clique.length; i++)
        for (let j = i + 1; j < clique.length; j++) covered.add(edgeKey(clique[i], clique[j]));
      cliques.push(clique.sort((x, y) => x - y));
    }
  }
  return cliques;
}

export interface MilpResult {
  /** HiGHS's model status, e.g. "Optimal", "Time limit reached". */
  status: string;
  optimal: boolean;
  /** The best plan's objective (the engine's score), or null if none was found. */
  objective: number | null;
  /** The best proven upper bound on the objective (= objective when optimal). */
  bound: number;
  /** Relative gap HiGHS reports between its plan and its bound. */
  gap: number;
  pairs: Pair[];
  buildMs: number;
  solveMs: number;
  model: Pick<MilpModel, 'columns' | 'rows' | 'binaries'> & { lpBytes: number };
}

export interface SolveOptions {
  /** Seconds. */
  timeLimit?: number;
  /** Stop once HiGHS's own relative gap is below this (default 1e-6: practically exact). */
  relGap?: number;
  /** A plan to start from (e.g. the engine's), as a MIP start. */
  start?: Pair[];
}

const STATUS_NAMES: Record<number, string> = {
  0: 'Not set',
  1: 'Load error',
  2: 'Model error',
  3: 'Presolve error',
  4: 'Solve error',
  5: 'Postsolve error',
  6: 'Empty',
  7: 'Optimal',
  8: 'Infeasible',
  9: 'Infeasible or unbounded',
  10: 'Unbounded',
  11: 'Objective bound',
  12: 'Objective target',
  13: 'Time limit reached',
  14: 'Iteration limit reached',
  15: 'Unknown',
  16: 'Solution limit',
  17: 'Interrupted',
};

/** Builds and solves the exact model of an input. */
export async function solveMilp(input: EngineInput, options: SolveOptions = {}): Promise<MilpResult> {
  const highs = await getHighs();
  const p = new Problem(input);
  const model = buildMilp(input, p);
  const t0 = performance.now();
  const m = highs.createModel({ format: 'lp', data: model.lp });
  try {
    m.options.set({
      output_flag: false,
      time_limit: options.timeLimit ?? 60,
      mip_rel_gap: options.relGap ?? 1e-6,
      mip_abs_gap: 1e-6,
      random_seed: 1,
    });
    const numCols = m.getDimensions().numCols;
    // Column order is HiGHS's (first appearance in the file): map the x columns by name.
    const xCol = new Int32Array(model.pairs.length).fill(-1);
    for (let i = 0; i < numCols; i++) {
      const name = m.getColName(i);
      if (name.charCodeAt(0) === 120 /* x */) xCol[Number(name.slice(1))] = i;
    }
    if (options.start) {
      const index = new Map(model.pairs.map((pr, k) => [`${pr.s}|${pr.g}`, k]));
      const indices: number[] = [];
      for (const pair of options.start) {
        const k = index.get(`${p.sessionIndex.get(pair.sessionId)}|${p.guideIndex.get(pair.guideId)}`);
        if (k !== undefined && xCol[k] >= 0) indices.push(xCol[k]);
      }
      m.setSolution({ indices, values: indices.map(() => 1) });
    }
    m.run();
    const statusCode = m.getModelStatus() as number;
    const status = STATUS_NAMES[statusCode] ?? `status ${statusCode}`;
    const hasSolution = Number(m.info.get('primal_solution_status')) === 2;
    const pairs: Pair[] = [];
    let objective: number | null = null;
    if (hasSolution) {
      const values = m.getSolution().colValue;
      model.pairs.forEach((pr, k) => {
        if (xCol[k] >= 0 && values[xCol[k]] > 0.5)
          pairs.push({ sessionId: p.sessions[pr.s].id, guideId: p.guides[pr.g].id });
      });
      objective = m.getObjectiveValue() + model.constant;
    }
    const optimal = statusCode === 7;
    let bound = Number(m.info.get('mip_dual_bound')) + model.constant;
    if (optimal && objective !== null && !(Math.abs(bound) < Infinity)) bound = objective;
    const gap =
      objective !== null && Math.abs(bound) < Infinity ? (bound - objective) / Math.max(1, Math.abs(bound)) : Infinity;
    return {
      status,
      optimal,
      objective,
      bound,
      gap,
      pairs,
      buildMs: model.buildMs,
      solveMs: performance.now() - t0,
      model: { columns: numCols, rows: model.rows, binaries: model.binaries, lpBytes: model.lp.length },
    };
  } finally {
    m.dispose();
  }
}

/**
 * An upper bound on the engine's objective that is cheap at any size: every session staffed on
 * its own with its best team of eligible guides (fixed ones included), as if no guide had other
 * sessions or weekly hours, and each guide's fairness as small as session lengths allow (the
 * nearest multiple of their common divisor to the fair share). Exact per session: the teams
 * are enumerated over guide profiles (the platforms and languages that matter there, experienced,
 * worked at the venue, kept from the previous plan), after dropping any profile that at least
 * `max` other guides match or beat in every respect (one of them is always free to take its place).
 * Where guides are plentiful and rarely clash (a region), this is close to the optimum; where they
 * are scarce it is loose.
 */
export function sessionBound(
  input: EngineInput,
  problem: Problem = new Problem(input),
): { total: number; perSession: Float64Array } {
  const p = problem;
  const w = p.weights;
  const perSession = new Float64Array(p.sessions.length);
  let total = 0;
  for (let s = 0; s < p.sessions.length; s++) {
    const session = p.sessions[s];
    const platforms = (Object.keys(session.demand) as (keyof typeof session.demand)[]).filter(
      (pl) => session.demand[pl]! > 0,
    );
    const langs = Object.keys(session.languages).filter((l) => session.languages[l] > 0);
    const covValue = new Float64Array(1 << platforms.length);
    for (let m = 0; m < covValue.length; m++)
      platforms.forEach((pl, i) => m & (1 << i) && (covValue[m] += session.demand[pl]! * w.coverage));
    const langValue = new Float64Array(1 << langs.length);
    for (let m = 0; m < langValue.length; m++)
      langs.forEach((l, i) => m & (1 << i) && (langValue[m] += session.languages[l] * w.language));

    interface Profile {
      pm: number;
      lm: number;
      exp: number;
      hist: number;
      prev: number;
      count: number;
    }
    const profileOf = (g: number): Profile => ({
      pm: platforms.reduce((m, pl, i) => (p.knows[g].has(pl) ? m | (1 << i) : m), 0),
      lm: langs.reduce((m, l, i) => (p.speaks[g].has(l) ? m | (1 << i) : m), 0),
      exp: p.guides[g].experienced ? 1 : 0,
      hist: ((p.guides[g].venueHistory[session.venueId] ?? 0) > 0 ? 1 : 0) + p.helped(s, g),
      prev: p.wasPrevious(s, g) ? 1 : 0,
      count: 1,
    });
    const forced = [...p.fixed[s]].map(profileOf);
    const room = Math.max(0, session.maxGuides - forced.length);
    const byKey = new Map<string, Profile>();
    for (const g of p.eligible[s]) {
      if (p.fixed[s].has(g)) continue;
      const pr = profileOf(g);
      const key = `${pr.pm},${pr.lm},${pr.exp},${pr.hist},${pr.prev}`;
      const seen = byKey.get(key);
      if (seen) seen.count = Math.min(room, seen.count + 1);
      else byKey.set(key, { ...pr, count: Math.min(room, 1) });
    }
    const bits = (x: number) => {
      let c = 0;
      for (; x; x &= x - 1) c++;
      return c;
    };
    const size = (a: Profile) => bits(a.pm) + bits(a.lm) + a.exp + a.hist + a.prev;
    const covers = (a: Profile, b: Profile) =>
      (a.pm & b.pm) === b.pm && (a.lm & b.lm) === b.lm && a.exp >= b.exp && a.hist >= b.hist && a.prev >= b.prev;
    const kept: Profile[] = [];
    for (const b of [...byKey.values()].filter((x) => x.count > 0).sort((x, y) => size(y) - size(x))) {
      const dominators = kept.reduce((n, a) => n + (covers(a, b) ? a.count : 0), 0);
      if (dominators < room) kept.push(b);
    }

    const base = forced.reduce(
      (acc, a) => ({
        pm: acc.pm | a.pm,
        lm: acc.lm | a.lm,
        anyNew: acc.anyNew || !a.exp,
        anyExp: acc.anyExp || !!a.exp,
        extra: acc.extra + a.hist * w.continuity + a.prev * w.stability,
      }),
      { pm: 0, lm: 0, anyNew: false, anyExp: false, extra: 0 },
    );
    const value = (n: number, pm: number, lm: number, anyNew: boolean, anyExp: boolean, extra: number) =>
      (n >= session.minGuides ? w.filled : 0) +
      covValue[pm] +
      Math.min(n, p.target[s]) * w.staffing +
      (anyNew && !anyExp ? -w.experience : 0) +
      langValue[lm] +
      extra;
    let best = -Infinity;
    const visit = (i: number, n: number, pm: number, lm: number, anyNew: boolean, anyExp: boolean, extra: number) => {
      if (n !== 1 || forced.length > 0) best = Math.max(best, value(n, pm, lm, anyNew, anyExp, extra));
      if (n >= forced.length + room) return;
      for (let j = i; j < kept.length; j++) {
        const a = kept[j];
        // Take one of profile j; the next pick may be j again while copies are left.
        const used = usedOf[j];
        if (used >= a.count) continue;
        usedOf[j]++;
        visit(
          j,
          n + 1,
          pm | a.pm,
          lm | a.lm,
          anyNew || !a.exp,
          anyExp || !!a.exp,
          extra + a.hist * w.continuity + a.prev * w.stability,
        );
        usedOf[j]--;
      }
    };
    const usedOf = new Int32Array(kept.length);
    visit(0, forced.length, base.pm, base.lm, base.anyNew, base.anyExp, base.extra);
    perSession[s] = best;
    total += best;
  }
  // Fairness: a guide's minutes are a sum of session lengths, so at best the multiple of their
  // greatest common divisor nearest to the fair share (0 for a guide who can work nothing).
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const step = p.sessions.reduce((d, _s, i) => gcd(d, Math.round(p.minutes[i])), 0);
  const works = new Uint8Array(p.guides.length);
  p.eligible.forEach((list, s) => {
    list.forEach((g) => (works[g] = 1));
    p.fixed[s].forEach((g) => (works[g] = 1));
  });
  p.guides.forEach((_g, g) => {
    const fair = p.fairMinutes[g];
    const off = !works[g] || !step ? fair : Math.min(fair % step, step - (fair % step));
    total -= (w.fairness * off) / 60;
  });
  return { total, perSession };
}

export interface LpBound {
  /** HiGHS's model status of the relaxation, e.g. "Optimal", "Time limit reached". */
  status: string;
  /** The relaxation's optimum: an upper bound on the engine's objective; null unless solved to optimality. */
  bound: number | null;
  buildMs: number;
  solveMs: number;
  model: Pick<MilpModel, 'columns' | 'rows' | 'binaries'> & { lpBytes: number };
}

/**
 * The bound from the model's LP relaxation (integrality dropped: `solve_relaxation`), by HiGHS's
 * interior-point method and crossover: the way to a bound at sizes where branch and bound does not
 * finish its root LP (natively, interior point took 23 s on the region's term, where dual simplex
 * had not finished after 150 s). The optimum of the relaxation is an upper bound on every plan's
 * score. Before 2026-12-05 this ran HiGHS's MIP solver (the model's binaries were kept), so its
 * "bound" was the best plan found within HiGHS's default MIP gap (1e-4), not the relaxation's.
 * At county size see `clpBound` (matching-clp.ts): native CLP, from an MPS file.
 */
export async function lpBound(
  input: EngineInput,
  options: {
    timeLimit?: number;
    solver?: 'ipm' | 'simplex' | 'pdlp' | 'hipo';
    presolve?: 'on' | 'off';
    crossover?: 'on' | 'off';
  } = {},
): Promise<LpBound> {
  const highs = await getHighs();
  const p = new Problem(input);
  const model = buildMilp(input, p);
  const t0 = performance.now();
  const m = highs.createModel({ format: 'lp', data: model.lp });
  try {
    m.options.set({
      output_flag: false,
      // The model declares its binaries: without this HiGHS runs branch and bound, and the
      // "bound" would be a plan's score within HiGHS's default MIP gap, not the relaxation's.
      // (The option is missing from highs-js's types.)
      ...({ solve_relaxation: true } as object),
      solver: options.solver ?? 'ipm',
      presolve: options.presolve ?? 'choose',
      // Without crossover HiGHS reports an interior point's status as unknown (its dual is not
      // checked), so no bound; with it the optimum is proven.
      run_crossover: options.crossover ?? 'on',
      time_limit: options.timeLimit ?? 600,
      random_seed: 1,
    });
    m.run();
    const statusCode = m.getModelStatus() as number;
    return {
      status: STATUS_NAMES[statusCode] ?? `status ${statusCode}`,
      bound: statusCode === 7 ? m.getObjectiveValue() + model.constant : null,
      buildMs: model.buildMs,
      solveMs: performance.now() - t0,
      model: {
        columns: m.getDimensions().numCols,
        rows: model.rows,
        binaries: model.binaries,
        lpBytes: model.lp.length,
      },
    };
  } finally {
    m.dispose();
  }
}

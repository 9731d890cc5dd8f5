/**
 * The LP relaxation's bound at any size, from a native solver: the benchmark's model
 * (`buildMatrix` in matching-milp.ts, the same one HiGHS solves) with integrality dropped, written
 * as a free-format MPS file streamed to disk in chunks (a county's model is longer than the longest
 * string V8 allows), and solved by COIN-OR CLP's interior point (`clp … -barrier`, crossover off)
 * in a child process, within a time limit.
 *
 * CLP comes from the operating system (`apt-get install coinor-clp` on Debian and Ubuntu), not npm:
 * when it is not installed, `clpAvailable()` says so and the benches fall back to highs-js.
 * The file minimises the negated score (no OBJSENSE section, which older readers skip), so the
 * bound is −(CLP's objective) + the model's constant.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Problem } from '../../src/domain/matching/problem';
import type { EngineInput } from '../../src/domain/matching/types';
import { buildMatrix, type MilpMatrix } from './matching-milp';

const CLP = process.env.BENCH_CLP ?? 'clp';

/** CLP's version line (e.g. "Coin LP version 1.17.6, build Nov 27 2022"), or null when it cannot be run. */
export function clpAvailable(): string | null {
  const r = spawnSync(CLP, ['-quit'], { encoding: 'utf8', timeout: 10_000 });
  if (r.error || r.status !== 0) return null;
  return /Coin LP version [^\n]*/.exec(r.stdout)?.[0]?.trim() ?? 'clp';
}

/** MPS numbers: the shortest text that reads back as the same double. */
const num = (v: number) => (Object.is(v, -0) ? '0' : String(v));

/**
 * Writes the LP relaxation of a model (every binary in [0, 1]) as free MPS, minimising −score.
 * Rows are R<i>, columns C<j> (column j < pairs.length is x_j). Streams in chunks of about 1 MiB.
 */
export async function writeMps(
  mx: MilpMatrix,
  path: string,
): Promise<{ bytes: number; rows: number; columns: number; nonzeros: number }> {
  const out = createWriteStream(path);
  let buf = '';
  const flush = async () => {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  };
  const rows = mx.rowSense.length;
  const columns = mx.colName.length;
  const nonzeros = mx.index.length;

  // FREE: CLP's reader otherwise guesses the format line by line and misreads short bound lines.
  buf += 'NAME bryggan_matching_lp FREE\nROWS\n N obj\n';
  const senseCode = ['L', 'G', 'E'];
  for (let r = 0; r < rows; r++) {
    buf += ` ${senseCode[mx.rowSense[r]]} R${r}\n`;
    if (buf.length > 1 << 20) await flush();
  }

  // Column-wise: transpose the row-wise arrays.
  const colStart = new Int32Array(columns + 1);
  for (let t = 0; t < nonzeros; t++) colStart[mx.index[t] + 1]++;
  for (let j = 0; j < columns; j++) colStart[j + 1] += colStart[j];
  const fill = colStart.slice(0, columns);
  const rowOf = new Int32Array(nonzeros);
  const valOf = new Float64Array(nonzeros);
  for (let r = 0; r < rows; r++)
    for (let t = mx.rowStart[r]; t < mx.rowStart[r + 1]; t++) {
      const at = fill[mx.index[t]]++;
      rowOf[at] = r;
      valOf[at] = mx.value[t];
    }
  const objective = new Float64Array(columns);
  mx.objCol.forEach((j, i) => (objective[j] += mx.objCoef[i]));

  buf += 'COLUMNS\n';
  for (let j = 0; j < columns; j++) {
    // Minimise −score; a column with no term at all still has to be named.
    if (objective[j] || colStart[j] === colStart[j + 1]) buf += ` C${j} obj ${num(-objective[j])}\n`;
    for (let t = colStart[j]; t < colStart[j + 1]; t++) buf += ` C${j} R${rowOf[t]} ${num(valOf[t])}\n`;
    if (buf.length > 1 << 20) await flush();
  }
  buf += 'RHS\n';
  for (let r = 0; r < rows; r++) if (mx.rowRhs[r]) buf += ` RHS R${r} ${num(mx.rowRhs[r])}\n`;
  buf += 'BOUNDS\n';
  for (let j = 0; j < columns; j++) {
    const upper = mx.colInteger[j] ? Math.min(1, mx.colUpper[j]) : mx.colUpper[j];
    if (upper < Infinity) buf += ` UP BND C${j} ${num(upper)}\n`;
    if (buf.length > 1 << 20) await flush();
  }
  buf += 'ENDATA\n';
  await flush();
  out.end();
  await once(out, 'close');
  return { bytes: statSync(path).size, rows, columns, nonzeros };
}

export interface ClpBound {
  /** CLP's final status, e.g. "Optimal", "Stopped on time", "Primal infeasible". */
  status: string;
  /** The relaxation's optimum (an upper bound on every plan's score); null unless CLP found it optimal. */
  bound: number | null;
  /** Building the model, writing the file, and CLP's run (wall time). */
  buildMs: number;
  writeMs: number;
  solveMs: number;
  /** CLP's CPU time (user + system of the child process). */
  solveCpuMs: number;
  /** Barrier iterations (or simplex iterations), as CLP reports them. */
  iterations: number | null;
  model: { rows: number; columns: number; nonzeros: number; mpsBytes: number };
  /** CLP's last lines, for the log. */
  tail: string;
}

export interface ClpOptions {
  /** Seconds (CLP's -sec). Default 1,800. */
  timeLimit?: number;
  /** 'barrier' (interior point, crossover off: the default), 'barrier-crossover', 'dualsimplex'. */
  method?: 'barrier' | 'barrier-crossover' | 'dualsimplex';
  /** CLP's presolve (default on); after a presolved barrier CLP cleans up with a short simplex. */
  presolve?: boolean;
  /** Append CLP's output to this file as it comes (its barrier prints one line per iteration). */
  logTo?: string;
  /** Write CLP's solution here (`-solu`: one line per nonzero column: index, C<j>, value, reduced cost). */
  solutionTo?: string;
  /** Keep the MPS file at this path instead of a temporary one. */
  keepAt?: string;
}

/** The LP relaxation's bound of an input's model by CLP. Throws when CLP cannot be run. */
export async function clpBound(input: EngineInput, options: ClpOptions = {}): Promise<ClpBound> {
  const mx = buildMatrix(input, new Problem(input));
  const dir = options.keepAt ? null : mkdtempSync(join(tmpdir(), 'bryggan-clp-'));
  const path = options.keepAt ?? join(dir!, 'model.mps');
  try {
    const t0 = performance.now();
    const written = await writeMps(mx, path);
    const writeMs = performance.now() - t0;
    const method = options.method ?? 'barrier';
    const args = [
      path,
      '-sec',
      String(options.timeLimit ?? 1_800),
      ...(options.presolve === false ? ['-presolve', 'off'] : []),
      ...(method === 'dualsimplex'
        ? ['-dualsimplex']
        : ['-crossover', method === 'barrier' ? 'off' : 'on', '-barrier']),
      ...(options.solutionTo ? ['-solu', options.solutionTo] : []),
    ];
    // Line-buffered where coreutils' stdbuf is there, so that a log shows each barrier iteration as it comes.
    const command = existsSync('/usr/bin/stdbuf') ? ['/usr/bin/stdbuf', '-oL', CLP] : [CLP];
    // `times` after CLP prints the shell's children's CPU: CLP's user and system time.
    const t1 = performance.now();
    const log = options.logTo ? createWriteStream(options.logTo, { flags: 'a' }) : null;
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', '"$0" "$@" 2>&1; echo "clp-exit $?"; times', ...command, ...args]);
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        log?.write(chunk);
      });
      child.on('error', reject);
      child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    log?.end();
    const solveMs = performance.now() - t1;
    const times = stdout.trim().split('\n').slice(-1)[0];
    const seconds = [...times.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    const solveCpuMs = seconds.length >= 2 ? (seconds[0] + seconds[1]) * 1000 : NaN;
    // "Optimal objective -123.4 - 56 iterations time 7.8" (simplex, or barrier with crossover), or
    // after a barrier without crossover "Optimal objective -123.4 - 56 iterations ..." too; anything
    // else ("Stopped on time", "Primal infeasible") is no bound.
    const final =
      /^(Optimal|Stopped on [a-z]+|Primal infeasible|Dual infeasible|Problem proven infeasible|Stopped|Primal and dual infeasible)[^\n]*?objective ([-+0-9.eE]+)(?: - (\d+) iterations)?/m.exec(
        stdout,
      );
    const status = final ? final[1] : /clp-exit (\d+)/.exec(stdout)?.[1] === '0' ? 'Unknown' : 'Failed';
    const objective = final ? Number(final[2]) : NaN;
    return {
      status,
      bound: status === 'Optimal' && Number.isFinite(objective) ? -objective + mx.constant : null,
      buildMs: mx.buildMs,
      writeMs,
      solveMs,
      solveCpuMs,
      iterations: final?.[3] ? Number(final[3]) : null,
      model: { rows: written.rows, columns: written.columns, nonzeros: written.nonzeros, mpsBytes: written.bytes },
      tail: stdout.trim().split('\n').slice(-8).join('\n'),
    };
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

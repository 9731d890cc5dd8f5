import { performance } from 'node:perf_hooks';

/**
 * The small shared toolkit of the benchmarks: what a bench module hands back to the runner,
 * and how to time and summarise. No timing ever goes into the jest suite; it lives here.
 */

/** One line of a bench's table. `time` cases are in milliseconds, `rate` cases in items per second. */
export interface BenchRow {
  case: string;
  kind?: 'time' | 'rate';
  /** The measured figure: ms for `time`, items/s for `rate`. */
  value: number;
  /** The same figure for the baseline measured in the same run; absent when there is none. */
  baseline?: number;
  /** Unit name for `rate` rows, e.g. "sessions/s". */
  unit?: string;
}

export interface BenchResult {
  /** Short heading, printed as `### title`. */
  title: string;
  /** What the baseline is, one sentence; printed under the heading. */
  baseline: string;
  rows: BenchRow[];
  /** Extra facts worth reading beside the table (sizes, counts, checks). */
  notes: string[];
  /** Further tables of figures that are not times (e.g. solution quality), printed after the main one. */
  tables?: BenchTable[];
}

/** A free-form Markdown table: a header and rows of already formatted cells. */
export interface BenchTable {
  /** Printed in bold above the table. */
  title?: string;
  header: string[];
  /** Per column: right-aligned (numbers) or left-aligned (default). */
  align?: ('left' | 'right')[];
  rows: string[][];
}

export interface BenchContext {
  /** Progress output (stderr), kept out of the tables. */
  log(message: string): void;
}

export interface Bench {
  /** Selects the bench on the command line: `npm run bench -- planning`. */
  name: string;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export const now = (): number => performance.now();

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0‥100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) throw new RangeError('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Time one call of an async or sync function, in ms. */
export async function timeOnce(fn: () => unknown): Promise<number> {
  const t0 = now();
  await fn();
  return now() - t0;
}

/**
 * Median over `rounds` rounds of the mean time of `reps` calls, after `warmup` untimed calls.
 * Good for fast synchronous functions, where one call is too short to time on its own.
 */
export function timeSync(
  fn: () => unknown,
  opts: { warmup: number; reps: number; rounds: number },
): { perCall: number; rounds: number[] } {
  for (let i = 0; i < opts.warmup; i++) sink(fn());
  const rounds: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const t0 = now();
    for (let i = 0; i < opts.reps; i++) sink(fn());
    rounds.push((now() - t0) / opts.reps);
  }
  return { perCall: median(rounds), rounds };
}

/** Median of `runs` timed calls after `warmup` untimed ones; each call may set itself up first. */
export async function timeAsync(
  fn: () => unknown,
  opts: { warmup: number; runs: number },
): Promise<{ median: number; samples: number[] }> {
  for (let i = 0; i < opts.warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < opts.runs; i++) samples.push(await timeOnce(fn));
  return { median: median(samples), samples };
}

/** Keeps results alive so the optimiser cannot drop the work that made them. */
let sunk = 0;
export function sink(value: unknown): void {
  if (Array.isArray(value)) sunk += value.length;
  else if (typeof value === 'number') sunk += value;
  else if (value) sunk++;
}
export const sunkValue = () => sunk;

export function formatMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatRate(perSecond: number, unit = '/s'): string {
  return `${Math.round(perSecond).toLocaleString('en-US')} ${unit}`;
}

/** How many times slower than the baseline (higher is slower), whatever the kind of row. */
export function ratioOf(row: BenchRow): number | undefined {
  if (row.baseline === undefined || !(row.value > 0) || !(row.baseline > 0)) return undefined;
  return row.kind === 'rate' ? row.baseline / row.value : row.value / row.baseline;
}

export function formatRatio(ratio: number | undefined): string {
  if (ratio === undefined) return '–';
  if (ratio >= 100) return `${Math.round(ratio)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

export function formatValue(row: BenchRow, value: number | undefined): string {
  if (value === undefined) return '–';
  return row.kind === 'rate' ? formatRate(value, row.unit) : formatMs(value);
}

/** The bench's result as a Markdown section: heading, baseline sentence, table, notes. */
export function toMarkdown(result: BenchResult): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `### ${result.title}`,
    '',
    `Baseline: ${result.baseline}`,
    '',
    ...(result.rows.length
      ? [
          '| case | time | baseline | ratio |',
          '|---|---:|---:|---:|',
          ...result.rows.map(
            (r) =>
              `| ${esc(r.case)} | ${formatValue(r, r.value)} | ${formatValue(r, r.baseline)} | ${formatRatio(ratioOf(r))} |`,
          ),
        ]
      : []),
  ];
  for (const table of result.tables ?? []) {
    lines.push('');
    if (table.title) lines.push(`**${table.title}**`, '');
    lines.push(
      `| ${table.header.map(esc).join(' | ')} |`,
      `|${table.header.map((_h, i) => (table.align?.[i] === 'right' ? '---:' : '---')).join('|')}|`,
      ...table.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    );
  }
  if (result.notes.length) lines.push('', ...result.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

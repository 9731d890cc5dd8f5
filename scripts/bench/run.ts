/**
 * Runs the benchmarks: `npm run bench` (all of them) or `npm run bench -- planning` (those whose
 * name contains an argument). Each bench measures its own baseline in the same run and reports
 * ratios against it, so the figures compare across machines. Progress goes to stderr; at the
 * end one Markdown table per bench goes to stdout, ready to paste into the README
 * (`npm run bench > bench.md` keeps just that).
 *
 * To add a bench: write `scripts/bench/<name>.bench.ts` exporting `bench: Bench` (see lib.ts)
 * and add a loader line to `benches` below.
 */
import 'reflect-metadata';
import { cpus, platform, release, totalmem } from 'node:os';
import type { Bench, BenchResult } from './lib';
import { toMarkdown } from './lib';

// The benches run on sqlite files. Entity column types are chosen from DATABASE_URL when the
// entity modules load (src/db/columns.ts), so it must be gone before any bench module is loaded.
delete process.env.DATABASE_URL;

/** Loaded lazily, in this order; only the selected ones are loaded at all. */
const benches: { name: string; load: () => Promise<Bench> }[] = [
  { name: 'planning', load: async () => (await import('./planning.bench')).bench },
  { name: 'matching', load: async () => (await import('./matching.bench')).bench },
  { name: 'county', load: async () => (await import('./county.bench')).bench },
  { name: 'pairing', load: async () => (await import('./pairing.bench')).bench },
  { name: 'mail', load: async () => (await import('./mail.bench')).bench },
  { name: 'reports', load: async () => (await import('./reports.bench')).bench },
  { name: 'imports', load: async () => (await import('./imports.bench')).bench },
  { name: 'load', load: async () => (await import('./load.bench')).bench },
  { name: 'web', load: async () => (await import('./web.bench')).bench },
  { name: 'logins', load: async () => (await import('./logins.bench')).bench },
  { name: 'stall', load: async () => (await import('./stall.bench')).bench },
];

function machine(): string {
  const cpu = cpus();
  const model = cpu[0]?.model?.trim() || 'unknown CPU';
  return `${model}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}`;
}

async function main(): Promise<void> {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = benches.filter((b) => !filters.length || filters.some((f) => b.name.includes(f)));
  if (!selected.length) {
    console.error(`No bench matches ${filters.join(', ')}. Known: ${benches.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }

  const env = [`Node ${process.version}`, machine()];
  const log = (message: string) => process.stderr.write(`  ${message}\n`);
  console.error(`Bryggan benchmarks — ${env.join(' — ')}`);

  const started = Date.now();
  const results: BenchResult[] = [];
  for (const entry of selected) {
    console.error(`\n▶ ${entry.name}`);
    const t0 = Date.now();
    const bench = await entry.load();
    const result = await bench.run({ log });
    results.push(result);
    console.error(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const total = ((Date.now() - started) / 1000).toFixed(0);
  const out = [
    '',
    '<!-- results of `npm run bench`; paste into the README -->',
    '## Benchmarks',
    '',
    `\`npm run bench\` on ${env.join(', ')} (${new Date().toISOString().slice(0, 10)}, ${total} s). ` +
      'Medians of several runs after warm-up; ratio = time ÷ baseline measured in the same run (higher is slower).',
    '',
    ...results.map((r) => `${toMarkdown(r)}\n`),
  ];
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  if (err instanceof Error && err.cause) console.error('cause:', err.cause);
  process.exit(1);
});

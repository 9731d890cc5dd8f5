/**
 * Issue 15: "importing 5,000 seniors (preview and import), as a ratio against inserting the same
 * rows with one prepared statement loop."
 *
 * A CSV of 5,000 seniors as an old Excel writes it (Windows-1252, semicolons, phone numbers in
 * mixed shapes) goes through the service's preview and import into a sqlite file built by the
 * migrations, each on a fresh municipality. Baseline, in the same run and file: the same rows,
 * already read, inserted by one prepared better-sqlite3 statement in a loop inside a transaction.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildContainer, settingsFromConfig } from '../../src/container';
import { openDatabase } from '../../src/db/data-source';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { type Bench, type BenchContext, type BenchResult, formatMs, timeAsync } from './lib';

const SENIORS = 5000;
const DEVICES = ['iPhone', 'iPhone, iPad', 'Android', 'Android surfplatta', 'Windows', 'Mac', 'iPad'];
const TOPICS = ['BankID', 'bank och Swish', '1177', 'e-post', 'videosamtal', ''];
const AGES = ['75+', '65-74', 'under 65', ''];

export const bench: Bench = { name: 'imports', run };

/** Row i's phone, in one of the shapes people write. */
const phone = (i: number) => {
  const n = String(1_000_000 + i).slice(1);
  const shapes = [`070-${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}0`, `+46 70 ${n}0`, `0046 70${n}0`, `070${n}0`];
  return shapes[i % shapes.length];
};

function csv(): Buffer {
  const lines = ['Namn;Telefon;Enheter;Vill ha hjälp med;Ålder;Samtycke datum;Samtycke hur'];
  for (let i = 0; i < SENIORS; i++)
    lines.push(
      [
        `Senior ${i} Åström`,
        phone(i),
        DEVICES[i % DEVICES.length],
        TOPICS[i % TOPICS.length],
        AGES[i % AGES.length],
        '2026-10-01',
        i % 2 ? 'muntligt' : 'papper',
      ].join(';'),
    );
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-imports-'));
  const dataSource = await openDatabase({ sqlitePath: join(dir, 'bench.sqlite') });
  const { services } = buildContainer({
    dataSource,
    clock: new FixedClock(new Date('2026-11-24T09:00:00Z')),
    logger: createLogger('silent'),
    settings: settingsFromConfig(loadConfig({})),
  });
  const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  try {
    const file = csv();
    const fresh = async () =>
      (await services.organisations.create('municipality', { name: `Bänkkommun ${randomUUID()}` })).id;

    const previewTimes = await timeAsync(
      async () => {
        const p = await services.imports.preview(await fresh(), 'seniors', file, 'csv');
        if (p.problems.length || p.created !== SENIORS) throw new Error(`preview: ${JSON.stringify(p).slice(0, 300)}`);
      },
      { warmup: 1, runs: 5 },
    );
    ctx.log(`preview of ${SENIORS} rows: ${formatMs(previewTimes.median)}`);

    const importTimes = await timeAsync(
      async () => {
        const r = await services.imports.commit(await fresh(), 'seniors', file, 'csv');
        if (r.created !== SENIORS) throw new Error(`import: ${JSON.stringify(r).slice(0, 300)}`);
      },
      { warmup: 1, runs: 5 },
    );
    ctx.log(`import of ${SENIORS} rows: ${formatMs(importTimes.median)}`);

    // The baseline: the same rows, read already, one prepared INSERT in a loop in one transaction.
    const insert = db.prepare(
      `INSERT INTO seniors (id, version, municipality_id, display_name, search_name, phone, email, preferred_language, devices, topics,
        consent_given_at, consent_method, age_band, gender, newly_arrived, erased_at, created_at, updated_at)
       VALUES (?, 1, ?, ?, ?, ?, NULL, 'sv', ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)`,
    );
    const rows = Array.from({ length: SENIORS }, (_, i) => ({
      name: `Senior ${i} Åström`,
      phone: phone(i),
      devices: JSON.stringify([{ platform: 'ios', kind: 'phone' }]),
      topics: JSON.stringify(['bankid']),
    }));
    const baseline = await timeAsync(
      async () => {
        const municipality = await fresh();
        const stamp = '2026-11-24 09:00:00.000';
        db.transaction(() => {
          for (const r of rows)
            insert.run(
              randomUUID(),
              municipality,
              r.name,
              r.name.toLowerCase(),
              r.phone,
              r.devices,
              r.topics,
              '2026-10-01 11:00:00.000',
              'oral',
              '75_plus',
              stamp,
              stamp,
            );
        })();
      },
      { warmup: 1, runs: 5 },
    );
    ctx.log(`prepared-statement loop: ${formatMs(baseline.median)}`);

    // Importing the same file again creates nobody: every row matches by phone.
    const municipality = await fresh();
    await services.imports.commit(municipality, 'seniors', file, 'csv');
    const again = await timeAsync(() => services.imports.commit(municipality, 'seniors', file, 'csv'), {
      warmup: 0,
      runs: 3,
    });
    return {
      title: `Imports: ${SENIORS.toLocaleString('en')} seniors from an old Excel's CSV, on sqlite`,
      baseline:
        'the same rows, already read, inserted by one prepared better-sqlite3 statement in a loop in one transaction.',
      rows: [
        {
          case: `preview: read, check and match ${SENIORS.toLocaleString('en')} rows (nothing written)`,
          value: previewTimes.median,
          baseline: baseline.median,
        },
        {
          case: `import: the same, and write every row in one transaction`,
          value: importTimes.median,
          baseline: baseline.median,
        },
        { case: 'the same file again (every row matched, nothing written)', value: again.median },
      ],
      notes: [
        `File: ${(file.length / 1024).toFixed(0)} KiB of Windows-1252 with semicolons; phone numbers in four shapes (070-…, +46 70 …, 0046 70…, 070…) made one; devices, topics, age bands and consent read from Swedish words.`,
        'Each preview and import runs on a fresh municipality, medians of 5 after one warm-up.',
      ],
    };
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 6: "a national year (290 municipalities × 4 venues × 80 sessions × 8 visits ≈ 740,000
 * attendance rows) reported per municipality and month … interactive on sqlite."
 *
 * The rows are written straight into a sqlite file built by the migrations (how they got there
 * is not what is measured): every session reported, eight visits each, two guides' shifts, some
 * anonymous walk-ins, seniors who come back. Then the service's own report is timed for random
 * municipality-months, for all 290 municipalities' March, and for one municipality's whole year.
 * Baseline, in the same run: one raw SQL count of the same municipality-month's attendance rows
 * through the same index, the least any report must do.
 */
import type { Database } from 'better-sqlite3';
import { publicReport } from '../../src/reports/output';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildContainer, settingsFromConfig } from '../../src/container';
import { openDatabase } from '../../src/db/data-source';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { mulberry32 } from '../../src/domain/random';
import { type Bench, type BenchContext, type BenchResult, formatMs, now, timeAsync } from './lib';

const MUNICIPALITIES = 290;
const VENUES = 4;
const SESSIONS_PER_VENUE = 80;
const VISITS = 8;
const SENIORS_PER_MUNICIPALITY = 120;
const YEAR = 2027;

export const bench: Bench = { name: 'reports', run };

async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-reports-'));
  const file = join(dir, 'bench.sqlite');
  const dataSource = await openDatabase({ sqlitePath: file });
  const { services } = buildContainer({
    dataSource,
    clock: new FixedClock(new Date('2028-01-05T09:00:00Z')),
    logger: createLogger('silent'),
    settings: settingsFromConfig(loadConfig({})),
  });
  const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  try {
    const t0 = now();
    const { contracts, rows } = fill(db);
    ctx.log(
      `wrote ${rows.attendances.toLocaleString('en')} attendance rows (${rows.sessions.toLocaleString('en')} sessions) in ${formatMs(now() - t0)}; file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`,
    );
    db.exec('ANALYZE');

    const rng = mulberry32(7);
    const pick = () => {
      const i = Math.floor(rng() * contracts.length);
      const month = `${YEAR}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}`;
      return { ...contracts[i], month };
    };
    const samples = Array.from({ length: 40 }, pick);
    let k = 0;
    const report = await timeAsync(
      () => services.reports.figures(samples[k++ % samples.length].contractId, samples[k % samples.length].month),
      { warmup: 5, runs: 40 },
    );
    const count = db.prepare(
      'SELECT COUNT(*) AS n, SUM(count) AS visits FROM attendances WHERE municipality_id = ? AND local_date BETWEEN ? AND ?',
    );
    let j = 0;
    const raw = await timeAsync(
      () => {
        const s = samples[j++ % samples.length];
        return count.get(s.municipalityId, `${s.month}-01`, `${s.month}-31`);
      },
      { warmup: 5, runs: 40 },
    );
    const march = now();
    for (const c of contracts) await services.reports.figures(c.contractId, `${YEAR}-03`);
    const allMarch = now() - march;
    const year = await timeAsync(() => services.reports.figures(contracts[0].contractId, String(YEAR)), {
      warmup: 1,
      runs: 5,
    });
    const check = await services.reports.figures(contracts[0].contractId, `${YEAR}-03`);
    // What leaves the association: the same figures with small cells suppressed (two LPs per small cell).
    let p = 0;
    const published = await timeAsync(
      async () =>
        publicReport(
          await services.reports.figures(samples[p % samples.length].contractId, samples[p++ % samples.length].month),
        ),
      { warmup: 3, runs: 20 },
    );
    return {
      title: `Reports: a national year (${rows.attendances.toLocaleString('en')} attendance rows) on sqlite`,
      baseline: "one raw SQL count of the same municipality-month's attendance rows through the same index.",
      rows: [
        {
          case: 'one municipality, one month (all figures, per venue and total)',
          value: report.median,
          baseline: raw.median,
        },
        {
          case: 'the same, as it goes to the municipality (small cells suppressed and audited)',
          value: published.median,
          baseline: report.median,
        },
        { case: `all ${MUNICIPALITIES} municipalities' March, one after the other`, value: allMarch },
        { case: 'one municipality, the whole year', value: year.median },
      ],
      notes: [
        `${MUNICIPALITIES} municipalities × ${VENUES} venues × ${SESSIONS_PER_VENUE} sessions × ${VISITS} visits; ${rows.shifts.toLocaleString('en')} guide shifts; ${SENIORS_PER_MUNICIPALITY} seniors per municipality who come back, and anonymous walk-ins.`,
        `Sample check, municipality 1 in March: ${check.total.sessions.held} sessions held, ${check.total.visits} visits, ${check.total.uniqueVisitors} unique visitors, ${check.total.repeatVisitors} repeat visitors, ${(check.total.guideMinutes / 60).toFixed(1)} guide hours.`,
      ],
    };
  } finally {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes the national year with prepared statements in one transaction. */
function fill(db: Database) {
  const rng = mulberry32(2027);
  const stamp = '2027-01-01 00:00:00.000';
  const ins = {
    org: db.prepare(
      'INSERT INTO organisations (id, kind, name, contact_email, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)',
    ),
    contract: db.prepare(
      "INSERT INTO contracts (id, municipality_id, association_id, reference, starts_on, ends_on, reporting_period, created_at, updated_at) VALUES (?, ?, ?, NULL, '2027-01-01', '2027-12-31', 'month', ?, ?)",
    ),
    venue: db.prepare(
      "INSERT INTO venues (id, municipality_id, name, address, kind, seats, equipment, accessibility_note, expected_walk_ins, active, created_at, updated_at) VALUES (?, ?, ?, 'Storgatan 1', 'library', 10, '[]', NULL, 0, 1, ?, ?)",
    ),
    guide: db.prepare(
      "INSERT INTO guides (id, association_id, municipality_id, name, email, phone, school, programme, swedish_level, start_date, max_minutes_per_week, active, created_at, updated_at) VALUES (?, ?, ?, ?, 'g@example.org', NULL, NULL, NULL, 'B1', '2026-08-01', 360, 1, ?, ?)",
    ),
    session: db.prepare(
      "INSERT INTO sessions (id, municipality_id, venue_id, series_id, occurrence_date, local_date, starts_at, ends_at, time_zone, seats, min_guides, max_guides, theme, status, cancel_source, cancel_reason, cancelled_at, detached, created_at, updated_at) VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, 'Europe/Stockholm', 10, 2, 3, NULL, 'scheduled', NULL, NULL, NULL, 0, ?, ?)",
    ),
    report: db.prepare(
      'INSERT INTO session_reports (id, session_id, municipality_id, venue_id, local_date, revision, day_report, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, NULL, ?, ?)',
    ),
    attendance: db.prepare(
      'INSERT INTO attendances (id, report_id, session_id, municipality_id, venue_id, local_date, senior_id, kind, present, count, age_band, gender, newly_arrived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    shift: db.prepare(
      "INSERT INTO guide_shifts (id, report_id, session_id, municipality_id, venue_id, local_date, guide_id, association_id, status, substitute, started_at, ended_at, minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'worked', 0, ?, ?, 120)",
    ),
    help: db.prepare(
      "INSERT INTO report_help (report_id, dimension, key, municipality_id, venue_id, local_date, count) VALUES (?, 'topic', ?, ?, ?, ?, ?)",
    ),
  };
  const bands = ['under_65', '65_74', '75_plus'];
  const genders = ['woman', 'man', null];
  const topics = ['bankid', 'banking_swish', 'e_health', 'email'];
  const contracts: { contractId: string; municipalityId: string }[] = [];
  const rows = { sessions: 0, attendances: 0, shifts: 0 };
  db.transaction(() => {
    for (let mu = 0; mu < MUNICIPALITIES; mu++) {
      const municipalityId = randomUUID();
      const associationId = randomUUID();
      ins.org.run(municipalityId, 'municipality', `Kommun ${mu}`, stamp, stamp);
      ins.org.run(associationId, 'association', `Förening ${mu}`, stamp, stamp);
      const contractId = randomUUID();
      ins.contract.run(contractId, municipalityId, associationId, stamp, stamp);
      contracts.push({ contractId, municipalityId });
      const guides = Array.from({ length: 10 }, (_, i) => {
        const id = randomUUID();
        ins.guide.run(id, associationId, municipalityId, `Guide ${mu}-${i}`, stamp, stamp);
        return id;
      });
      const seniors = Array.from({ length: SENIORS_PER_MUNICIPALITY }, () => ({
        id: randomUUID(),
        band: bands[Math.floor(rng() * 3)],
        gender: genders[Math.floor(rng() * 3)],
        newly: rng() < 0.2 ? 1 : 0,
      }));
      for (let v = 0; v < VENUES; v++) {
        const venueId = randomUUID();
        ins.venue.run(venueId, municipalityId, `Plats ${v}`, stamp, stamp);
        for (let s = 0; s < SESSIONS_PER_VENUE; s++) {
          const day = new Date(Date.UTC(YEAR, 0, 4 + Math.floor((s * 360) / SESSIONS_PER_VENUE) + v));
          const date = day.toISOString().slice(0, 10);
          const startsAt = `${date} 13:00:00.000`;
          const endsAt = `${date} 15:00:00.000`;
          const sessionId = randomUUID();
          const reportId = randomUUID();
          ins.session.run(sessionId, municipalityId, venueId, date, startsAt, endsAt, stamp, stamp);
          ins.report.run(reportId, sessionId, municipalityId, venueId, date, stamp, stamp);
          rows.sessions++;
          const seen = new Set<string>();
          for (let a = 0; a < VISITS; a++) {
            if (a === VISITS - 1 && rng() < 0.5) {
              ins.attendance.run(
                randomUUID(),
                reportId,
                sessionId,
                municipalityId,
                venueId,
                date,
                null,
                'walk_in',
                1,
                1,
                bands[Math.floor(rng() * 3)],
                null,
                0,
              );
            } else {
              let p = seniors[Math.floor(rng() * seniors.length)];
              while (seen.has(p.id)) p = seniors[Math.floor(rng() * seniors.length)];
              seen.add(p.id);
              ins.attendance.run(
                randomUUID(),
                reportId,
                sessionId,
                municipalityId,
                venueId,
                date,
                p.id,
                a < 5 ? 'registered' : 'walk_in',
                1,
                1,
                p.band,
                p.gender,
                p.newly,
              );
            }
            rows.attendances++;
          }
          for (const g of [guides[(s + v) % 10], guides[(s + v + 3) % 10]]) {
            ins.shift.run(
              randomUUID(),
              reportId,
              sessionId,
              municipalityId,
              venueId,
              date,
              g,
              associationId,
              startsAt,
              endsAt,
            );
            rows.shifts++;
          }
          ins.help.run(reportId, topics[s % 4], municipalityId, venueId, date, 1 + Math.floor(rng() * 4));
        }
      }
    }
  })();
  return { contracts, rows };
}

/**
 * Issue: "Expanding a weekly series over ten years and listing a year of sessions for 300
 * venues stay fast". Three cases, each against a baseline measured in the same run:
 *
 * 1. expandRule over ten years of Tuesdays (luxon zones, holiday checks) against a plain
 *    Date loop that adds 7 days as often.
 * 2. services.series.create of a ten-year weekly series (one transaction, ≈520 sessions) on a
 *    real sqlite file built by the migrations, against the same rows written to the same
 *    tables with raw better-sqlite3 prepared statements in one transaction.
 * 3. A municipality's year of sessions at 300 venues (≈15,600 sessions) paged over real HTTP,
 *    and one venue's year, against the same pages read with raw better-sqlite3.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContainer, settingsFromConfig } from '../../src/container';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { expandRule, type RecurrenceRule } from '../../src/domain/recurrence';
import type { CreateSeries } from '../../src/contract/planning';
import type { CreateVenue } from '../../src/contract/venues';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { appServer } from '../../src/http/server';
import {
  type Bench,
  type BenchContext,
  type BenchResult,
  type BenchRow,
  formatMs,
  median,
  now,
  percentile,
  sink,
  timeOnce,
  timeSync,
} from './lib';

const NOW = '2026-11-24T09:00:00Z';
const TEN_YEARS = { firstDate: '2027-01-05', lastDate: '2036-12-30' }; // Tuesdays
const YEAR = { from: '2027-01-01', to: '2027-12-31' };
const VENUES = 300;
const PAGE = 500;

export const bench: Bench = { name: 'planning', run };

async function run(ctx: BenchContext): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  await expansion(ctx, rows, notes);
  await createSeries(ctx, rows, notes);
  await listing(ctx, rows, notes);
  return {
    title: 'Planning: ten-year series and a year of 300 venues',
    baseline:
      'a plain `Date` loop adding 7 days (expansion); raw better-sqlite3 prepared statements on the same database (writes and reads).',
    rows,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// A world on a real sqlite file, built by the migrations; the app as it runs in production.

type World = Awaited<ReturnType<typeof openWorld>>;

async function openWorld(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `bryggan-bench-${label}-`));
  const file = join(dir, 'bench.sqlite');
  const dataSource = await openDatabase({ sqlitePath: file });
  const clock = new FixedClock(new Date(NOW));
  const { services, app } = buildContainer({
    dataSource,
    clock,
    logger: createLogger('silent'),
    settings: settingsFromConfig(loadConfig({})),
  });
  // The very connection TypeORM uses, for the raw baselines.
  const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
  const municipality = await services.organisations.create('municipality', {
    name: `Benchköping ${label}`,
    contactEmail: null,
  });
  // The API wants a bearer token: a coordinator of this municipality, as in real use.
  const coordinator = await services.auth.createUser({
    email: `bench-${label}@example.org`,
    password: 'bench password 123',
    role: 'coordinator',
    organisationId: municipality.id,
  });
  const headers = { Authorization: `Bearer ${(await services.auth.createApiToken(coordinator.id, 'bench')).token}` };
  let venues = 0;
  return {
    dir,
    file,
    dataSource,
    services,
    app,
    headers,
    db,
    municipality,
    venue: () => services.venues.create(venueInput(municipality.id, ++venues)),
    async close() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const venueInput = (municipalityId: string, n: number): CreateVenue => ({
  municipalityId,
  name: `Träffpunkt ${n}`,
  address: `Storgatan ${n}, Benchköping`,
  kind: 'library',
  seats: 10,
  equipment: ['wifi'],
  accessibilityNote: null,
  expectedWalkIns: 0,
  active: true,
});

const seriesInput = (venueId: string, o: Partial<CreateSeries>): CreateSeries => ({
  venueId,
  weekday: 'tue',
  startTime: '14:00',
  durationMinutes: 120,
  timeZone: 'Europe/Stockholm',
  intervalWeeks: 1,
  firstDate: TEN_YEARS.firstDate,
  lastDate: TEN_YEARS.lastDate,
  seats: 8,
  minGuides: 2,
  maxGuides: 3,
  skipHolidays: true,
  ...o,
});

const count = (n: number) => n.toLocaleString('en-US');

/** TypeORM's sqlite form of an instant: UTC `YYYY-MM-DD HH:mm:ss.SSS`. */
const sqliteInstant = (d: Date) => d.toISOString().replace('T', ' ').slice(0, 23);

// ---------------------------------------------------------------------------------------------
// 1. Expansion

async function expansion(ctx: BenchContext, rows: BenchRow[], notes: string[]): Promise<void> {
  const rule: RecurrenceRule = {
    weekday: 2,
    startTime: '14:00',
    durationMinutes: 120,
    timeZone: 'Europe/Stockholm',
    intervalWeeks: 1,
    anchorDate: TEN_YEARS.firstDate,
    ...TEN_YEARS,
  };
  const options = { venueId: randomUUID(), closures: [], skipHolidays: true };

  // The first call also builds the holiday tables of the ten years (cached for the process).
  let first: ReturnType<typeof expandRule> = [];
  const cold = await timeOnce(() => (first = expandRule(rule, options)));
  const n = first.length;
  const blocked = first.filter((o) => o.blocked).length;

  const naive = () => {
    const out: Date[] = [];
    const d = new Date(Date.UTC(2027, 0, 5, 13, 0));
    for (let i = 0; i < n; i++) {
      out.push(new Date(d));
      d.setUTCDate(d.getUTCDate() + 7);
    }
    return out;
  };

  ctx.log(`expansion: ${n} occurrences (${blocked} on holidays), cold first call ${formatMs(cold)}`);
  const measured = timeSync(() => expandRule(rule, options), { warmup: 20, reps: 15, rounds: 7 });
  const base = timeSync(naive, { warmup: 2000, reps: 2000, rounds: 7 });
  ctx.log(`expansion: expandRule ${formatMs(measured.perCall)}, naive ${formatMs(base.perCall)}`);

  rows.push({
    case: `expandRule, weekly for ten years (${n} dates, holiday checks), per expansion`,
    value: measured.perCall,
    baseline: base.perCall,
  });
  notes.push(
    `Expansion: ${n} occurrences over ${TEN_YEARS.firstDate}…${TEN_YEARS.lastDate}, ${blocked} on holidays; ` +
      `median of 7 rounds × 15 calls; the very first call (building the holiday tables) took ${formatMs(cold)}.`,
  );
}

// ---------------------------------------------------------------------------------------------
// 2. Creating a ten-year series end to end

async function createSeries(ctx: BenchContext, rows: BenchRow[], notes: string[]): Promise<void> {
  const world = await openWorld('series');
  try {
    const WARMUP = 2;
    const RUNS = 7;
    const times: number[] = [];
    let created = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const venue = await world.venue(); // setup, not measured
      const t = await timeOnce(async () => {
        const r = await world.services.series.create(seriesInput(venue.id, {}));
        created = r.changes.created;
      });
      if (i >= WARMUP) times.push(t);
    }
    const measured = median(times);

    // Baseline: the same rows (one series, `created` sessions) into the same tables of the same
    // database, over TypeORM's own connection, with prepared statements in one transaction.
    const { db } = world;
    const insertSeries = db.prepare(
      `INSERT INTO session_series (id, municipality_id, venue_id, weekday, start_time, duration_minutes, time_zone, interval_weeks,
         anchor_date, first_date, last_date, seats, min_guides, max_guides, theme, skip_holidays, created_at, updated_at)
       VALUES (?, ?, ?, 2, '14:00', 120, 'Europe/Stockholm', 1, ?, ?, ?, 8, 2, 3, NULL, 1, ?, ?)`,
    );
    const insertSession = db.prepare(
      `INSERT INTO sessions (id, municipality_id, venue_id, series_id, occurrence_date, local_date, starts_at, ends_at, time_zone,
         seats, min_guides, max_guides, theme, status, cancel_source, cancel_reason, cancelled_at, detached, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'Europe/Stockholm', 8, 2, 3, NULL, 'scheduled', NULL, NULL, NULL, 0, ?, ?)`,
    );
    const rawCreate = db.transaction((venueId: string) => {
      const stamp = sqliteInstant(new Date(NOW));
      const seriesId = randomUUID();
      insertSeries.run(
        seriesId,
        world.municipality.id,
        venueId,
        TEN_YEARS.firstDate,
        TEN_YEARS.firstDate,
        TEN_YEARS.lastDate,
        stamp,
        stamp,
      );
      const d = new Date(Date.UTC(2027, 0, 5, 13, 0));
      for (let i = 0; i < created; i++) {
        const date = d.toISOString().slice(0, 10);
        insertSession.run(
          randomUUID(),
          world.municipality.id,
          venueId,
          seriesId,
          date,
          date,
          sqliteInstant(d),
          sqliteInstant(new Date(d.getTime() + 2 * 3600_000)),
          stamp,
          stamp,
        );
        d.setUTCDate(d.getUTCDate() + 7);
      }
    });
    const baseTimes: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const venue = await world.venue();
      const t = await timeOnce(() => rawCreate(venue.id));
      if (i >= WARMUP) baseTimes.push(t);
    }
    const baseline = median(baseTimes);
    ctx.log(`series.create: ${created} sessions in ${formatMs(measured)} (raw ${formatMs(baseline)})`);

    rows.push({
      case: `services.series.create, weekly for ten years (${created} sessions, one transaction)`,
      value: measured,
      baseline,
    });
    notes.push(
      `Series: sqlite file (WAL) built by the migrations; median of ${RUNS} creations after ${WARMUP} warm-up, each on a fresh venue; ` +
        `runs ${times.map((t) => t.toFixed(0)).join(', ')} ms.`,
    );
  } finally {
    await world.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. Listing a year of sessions for 300 venues

async function listing(ctx: BenchContext, rows: BenchRow[], notes: string[]): Promise<void> {
  const world = await openWorld('list');
  let server: Server | undefined;
  try {
    // Setup, not measured: 300 venues with a weekly series each, through the services.
    const t0 = now();
    const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
    const times = ['10:00', '13:00', '14:00', '17:30'];
    let venueId = '';
    for (let i = 0; i < VENUES; i++) {
      const venue = await world.venue();
      venueId ||= venue.id;
      await world.services.series.create(
        seriesInput(venue.id, {
          weekday: weekdays[i % weekdays.length],
          startTime: times[i % times.length],
          firstDate: YEAR.from,
          lastDate: YEAR.to,
          skipHolidays: false,
        }),
      );
    }
    const { db } = world;
    const stored = (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    const setup = now() - t0;
    ctx.log(`listing: set up ${VENUES} venues, ${stored} sessions in ${formatMs(setup)}`);

    server = await listen(world);
    // The raw loops below keep the event loop busy for seconds; a longer keep-alive than the
    // default 5 s stops the server from closing a pooled connection just as fetch reuses it.
    server.keepAliveTimeout = 60_000;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/sessions`;
    const mid = world.municipality.id;

    // --- HTTP, paging through the municipality's year.
    const httpYear = async () => {
      const pages: number[] = [];
      let offset = 0;
      let total = Infinity;
      let read = 0;
      while (offset < total) {
        const url = `${base}?municipalityId=${mid}&from=${YEAR.from}&to=${YEAR.to}&limit=${PAGE}&offset=${offset}`;
        const t = now();
        const res = await fetch(url, { headers: world.headers });
        const body = (await res.json()) as { items: unknown[]; total: number };
        pages.push(now() - t);
        if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(body)}`);
        total = body.total;
        read += body.items.length;
        if (!body.items.length) break;
        offset += body.items.length;
      }
      return { pages, read };
    };

    // --- The service without HTTP, to split the cost between the HTTP layer and the query.
    const serviceYear = async () => {
      let offset = 0;
      let total = Infinity;
      let read = 0;
      while (offset < total) {
        const page = await world.services.sessions.list({ municipalityId: mid, ...YEAR, limit: PAGE, offset });
        total = page.total;
        read += page.items.length;
        if (!page.items.length) break;
        offset += page.items.length;
      }
      return read;
    };

    // --- Baseline: the same pages with raw prepared statements on the same connection.
    const rawPage = db.prepare(
      'SELECT * FROM sessions WHERE municipality_id = ? AND local_date BETWEEN ? AND ? ORDER BY local_date, starts_at, id LIMIT ? OFFSET ?',
    );
    const rawYear = () => {
      const pages: number[] = [];
      let read = 0;
      for (let offset = 0; ; offset += PAGE) {
        const t = now();
        const got = rawPage.all(mid, YEAR.from, YEAR.to, PAGE, offset);
        pages.push(now() - t);
        read += got.length;
        if (got.length < PAGE) break;
      }
      return { pages, read };
    };

    const RUNS = 5;
    const collect = async <T extends { pages: number[]; read: number }>(fn: () => Promise<T> | T, runs: number) => {
      await fn(); // warm-up
      const totals: number[] = [];
      const pages: number[] = [];
      let read = 0;
      for (let i = 0; i < runs; i++) {
        const t = now();
        const r = await fn();
        totals.push(now() - t);
        pages.push(...r.pages);
        read = r.read;
      }
      return { total: median(totals), totals, pages, read };
    };

    const http = await collect(httpYear, RUNS);
    ctx.log(`listing: HTTP ${http.read} sessions, ${http.pages.length / RUNS} pages, median ${formatMs(http.total)}`);

    // --- One venue's year: a single page. Measured right after the other HTTP requests, while
    // the connection is warm, and before the raw loops, which hold the event loop for seconds.
    const venueUrl = `${base}?venueId=${venueId}&from=${YEAR.from}&to=${YEAR.to}&limit=${PAGE}`;
    let venueCount = 0;
    const venueHttp = async () => {
      const res = await fetch(venueUrl, { headers: world.headers });
      const body = (await res.json()) as { items: unknown[] };
      if (!res.ok) throw new Error(`GET ${venueUrl} answered ${res.status}`);
      venueCount = body.items.length;
    };
    const venueTimes: number[] = [];
    for (let i = 0; i < 20; i++) await venueHttp();
    for (let i = 0; i < 60; i++) venueTimes.push(await timeOnce(venueHttp));
    const rawVenue = db.prepare(
      'SELECT * FROM sessions WHERE venue_id = ? AND local_date BETWEEN ? AND ? ORDER BY local_date, starts_at, id LIMIT ? OFFSET 0',
    );
    const venueRawTimes: number[] = [];
    for (let i = 0; i < 200; i++) sink(rawVenue.all(venueId, YEAR.from, YEAR.to, PAGE));
    for (let i = 0; i < 60; i++)
      venueRawTimes.push(await timeOnce(() => sink(rawVenue.all(venueId, YEAR.from, YEAR.to, PAGE))));
    ctx.log(
      `listing: one venue ${venueCount} sessions, HTTP ${formatMs(median(venueTimes))}, raw ${formatMs(median(venueRawTimes))}`,
    );

    const raw = await collect(rawYear, RUNS);
    ctx.log(`listing: raw ${raw.read} sessions, median ${formatMs(raw.total)}`);
    const service = await collect(async () => ({ pages: [], read: await serviceYear() }), 3);
    ctx.log(`listing: service ${service.read} sessions, median ${formatMs(service.total)}`);
    if (http.read !== stored || raw.read !== stored || service.read !== stored) {
      throw new Error(`read ${http.read} (HTTP), ${service.read} (service), ${raw.read} (raw) of ${stored} sessions`);
    }

    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${rawPage.source}`).all(mid, YEAR.from, YEAR.to, PAGE, 0) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('; ');

    const pages = http.pages.length / RUNS;
    const label = `${VENUES} venues' year`;
    rows.push(
      {
        case: `${label} over HTTP, all ${pages} pages of ${PAGE} (${count(stored)} sessions), total`,
        value: http.total,
        baseline: raw.total,
      },
      {
        case: `${label} over HTTP, per page p50`,
        value: percentile(http.pages, 50),
        baseline: percentile(raw.pages, 50),
      },
      {
        case: `${label} over HTTP, per page p95`,
        value: percentile(http.pages, 95),
        baseline: percentile(raw.pages, 95),
      },
      {
        case: `${label} over HTTP, throughput`,
        kind: 'rate',
        unit: 'sessions/s',
        value: stored / (http.total / 1000),
        baseline: stored / (raw.total / 1000),
      },
      { case: `${label} via services.sessions.list (no HTTP), total`, value: service.total, baseline: raw.total },
      {
        case: `one venue's year over HTTP (1 page, ${venueCount} sessions)`,
        value: median(venueTimes),
        baseline: median(venueRawTimes),
      },
    );
    notes.push(
      `Listing: ${VENUES} venues × a weekly series over ${YEAR.from}…${YEAR.to} = ${count(stored)} sessions, made through services.series.create ` +
        `(setup ${formatMs(setup)}, not measured; database ${(statSync(world.file).size / 2 ** 20).toFixed(1)} MiB + WAL); ` +
        `HTTP via global fetch to the express app on 127.0.0.1; medians of ${RUNS} passes after one warm-up (service: 3); ` +
        `page percentiles over all ${http.pages.length} measured pages; one venue: median of 60 requests. ` +
        `HTTP pass totals ${http.totals.map((t) => t.toFixed(0)).join(', ')} ms.`,
      `Listing query plan (raw page query): ${plan}.`,
    );
  } finally {
    if (server) {
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeAllConnections(); // fetch keeps its connections alive
      await closing;
    }
    await world.close();
  }
}

function listen(world: World): Promise<Server> {
  return new Promise((resolve, reject) => {
    const { server, serve } = appServer();
    serve(world.app);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

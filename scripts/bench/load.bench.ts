/**
 * Issue 20: the hot paths against hand-written baselines, side by side in one run.
 *
 * Everything runs as real processes on loopback: the built service (`dist/src/main.js`) on the
 * demo municipality (`dist/scripts/seed-demo.js`, its whole term planned and published over
 * HTTP), and beside it the baseline (`dist/scripts/bench/load-baseline.js`): hand-written
 * handlers on bare express over the same database (prepared better-sqlite3 statements, or `pg`
 * named prepared statements), doing the same authentication work. The bench first checks that
 * both answer the same JSON for every route (deep equality; a registration after normalising its
 * generated id and times), then loads each side with autocannon at 100 connections for a fixed
 * time and reads the server process's own CPU time (utime + stime from /proc/<pid>/stat) before
 * and after: CPU per request, requests per second, p99, and their ratios against the goal
 * (CPU ≤ 1.5×, p99 ≤ 2×). Cold start: spawn to the first 200 on /health, against bare express.
 * PostgreSQL is measured when BENCH_POSTGRES_URL names a server where the bench may create (and
 * then drop) a database.
 */
import autocannon, { type Request as AutocannonRequest, type Result } from 'autocannon';
import Database from 'better-sqlite3';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'pg';
import { isoWeekOf } from '../../src/domain/time';
import { LinkSigner } from '../../src/lib/tokens';
import { DEMO_PASSWORD } from '../demo-data';
import { type Bench, type BenchContext, type BenchResult, type BenchTable, median, percentile } from './lib';
import { http, LISTENS, ROOT, start } from './service';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 8);
const WARMUP_SECONDS = Math.min(2, SECONDS);
const CONNECTIONS = 100;
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
/** `cold`: only the cold start, on the demo seeded and planned, without loading any route (and no PostgreSQL). */
const ONLY_COLD = process.env.BENCH_LOAD_ONLY === 'cold';
/** BENCH_LOAD_ROUTES=report,week: only the routes whose name holds one of these words (all when unset). */
const ONLY_ROUTES = (process.env.BENCH_LOAD_ROUTES ?? '').split(',').filter(Boolean);
const GOAL = { cpu: 1.5, p99: 2, cold: 2 };
/** Fewer answers than this in a run and its p99 says nothing (the slow ones never finished). */
const MIN_ANSWERS = 100;
/** Both processes sign guides' links and answer links alike, and both answer links point here. */
const ENV = {
  AUTH_SECRET: 'bench-load-secret-0123456789abcdefghijklmnop',
  PUBLIC_URL: 'http://bench.invalid',
  TZ: 'UTC',
};

export const bench: Bench = { name: 'load', run };

/** A server process's CPU time so far (user + system), in ms, from the kernel's own count. */
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

interface Side {
  name: 'service' | 'baseline';
  url: string;
  pid: number;
  stop: () => void;
}

/** One request the bench sends, or a sequence a connection repeats (sign up, then cancel). */
interface Case {
  name: string;
  /** Headers for every request. */
  headers: Record<string, string>;
  /** The requests, for a side's base URL. */
  requests: (base: string) => AutocannonRequest[];
  /** Answers checked for equality before the load: each is one request and its normaliser. */
  check: (service: string, baseline: string) => Promise<void>;
  /** Puts back what a load left (a sign-up cut off before its cancel), through this side. */
  after?: (base: string) => Promise<void>;
}

interface Measured {
  cpuPerRequest: number;
  rps: number;
  /** Of the requests sent after the warm-up, on open connections. */
  p99: number;
  /** Of the whole run, the connections' opening in it (see `measure`). */
  p99Open: number;
  /** From the run's start until every connection had answered once (and WARMUP_SECONDS had gone). */
  openedMs: number;
  requests: number;
  errors: number;
}

/** Waits until a process has finished what a load left in flight (its CPU time stands still). */
async function settle(pid: number): Promise<void> {
  let last = cpuMs(pid);
  for (let i = 0; i < 150; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = cpuMs(pid);
    if (now - last < 5) return;
    last = now;
  }
}

/** autocannon at CONNECTIONS connections on a side with a case's requests; its events and `stop` too. */
function load(side: Side, c: Case, options: { duration: number; timeout?: number }) {
  return autocannon({
    url: side.url,
    connections: CONNECTIONS,
    ...options,
    headers: { 'content-type': 'application/json', ...c.headers },
    requests: c.requests(side.url),
  }) as Promise<Result> & Pick<EventEmitter, 'on'> & { stop(): void };
}

/**
 * A first run of WARMUP_SECONDS + 1 s, not measured: the code warms up, and what the route sets off
 * (the jobs the service starts after its first request, a checkpoint) is finished before the
 * measured run begins.
 */
async function warmUp(side: Side, c: Case, others: Side[]): Promise<void> {
  for (const o of others) await settle(o.pid);
  await load(side, c, { duration: WARMUP_SECONDS + 1 });
  await settle(side.pid);
  await c.after?.(side.url);
}

/** At most this long for all the connections of a run to open (see `measure`). */
const OPENING_LIMIT_SECONDS = 60;

/**
 * autocannon at 100 connections, measured for `seconds` from the moment every connection has had
 * its first answer (and at least WARMUP_SECONDS after the start). A burst of new connections to a
 * server that is busy is accepted one per turn of its event loop (libuv accepts one connection at a
 * time since libuv/libuv#3696), and a turn serves every open connection first: so the first
 * requests of the last connections wait for seconds, on the baseline as on the service, and a run
 * that opens its connections inside the measured time has that wait as its p99 (`p99Open`, the whole
 * run's). Measured: the requests sent after that moment (p99, requests per second), and the
 * server's CPU time from then until it is idle after the run, divided by the answers that came
 * after it and the requests still in flight at the end.
 */
async function measure(side: Side, c: Case, seconds: number, others: Side[]): Promise<Measured> {
  for (const o of others) await settle(o.pid);
  const started = performance.now();
  const opened = new Set<unknown>();
  /** When the measured time began: every connection answered once, WARMUP_SECONDS gone. */
  let warm = Infinity;
  let before = NaN;
  let stop: NodeJS.Timeout | undefined;
  let answeredAfter = 0;
  let refused = 0;
  const latencies: number[] = [];
  const run = load(side, c, {
    duration: OPENING_LIMIT_SECONDS + seconds,
    // No request times out within the run: a first request may wait long for its connection.
    timeout: OPENING_LIMIT_SECONDS + seconds + 10,
  });
  run.on('response', (client: unknown, status: number, _bytes: number, ms: number) => {
    const now = performance.now();
    if (warm === Infinity) {
      opened.add(client);
      if (opened.size < CONNECTIONS || now - started < WARMUP_SECONDS * 1000) return;
      warm = now;
      before = cpuMs(side.pid);
      stop = setTimeout(() => run.stop(), seconds * 1000);
      return;
    }
    answeredAfter++;
    if (now - ms < warm) return;
    if (status >= 200 && status < 300) latencies.push(ms);
    else refused++;
  });
  const r = await run;
  clearTimeout(stop);
  if (warm === Infinity)
    throw new Error(
      `${side.name}: ${opened.size} of ${CONNECTIONS} connections answered in ${OPENING_LIMIT_SECONDS} s`,
    );
  // The requests still in flight when the run ends are served too: the CPU time is read once the
  // process is idle again.
  await settle(side.pid);
  const after = cpuMs(side.pid);
  await c.after?.(side.url);
  const served = answeredAfter + (r.requests.sent - r.requests.total - r.errors);
  return {
    cpuPerRequest: served ? (after - before) / served : NaN,
    rps: latencies.length / seconds,
    p99: latencies.length ? Math.round(percentile(latencies, 99)) : NaN,
    p99Open: r.latency.p99,
    openedMs: Math.round(warm - started),
    requests: latencies.length,
    errors: refused + r.errors,
  };
}

/** A JSON answer, whatever its status: the check compares those too. */
async function answer(url: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  const text = await res.text();
  return { status: res.status, text, body: text ? (JSON.parse(text) as unknown) : null };
}

/** Fails loudly, with the first difference, when the two answers differ. */
export function assertSame(what: string, service: unknown, baseline: unknown): void {
  if (isDeepStrictEqual(service, baseline)) return;
  const path = firstDifference(service, baseline);
  throw new Error(
    `${what}: the baseline's answer differs from the service's at ${path.where}:\n  service:  ${JSON.stringify(path.a)?.slice(0, 400)}\n  baseline: ${JSON.stringify(path.b)?.slice(0, 400)}`,
  );
}

export function firstDifference(a: unknown, b: unknown, where = '$'): { where: string; a: unknown; b: unknown } {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)]))
      if (!isDeepStrictEqual(ra[key], rb[key])) return firstDifference(ra[key], rb[key], `${where}.${key}`);
  }
  return { where, a, b };
}

/**
 * Answer links carry the instant they were made and its signature, so two answers made a moment
 * apart differ there: each is checked against the secret and kept as what it answers.
 */
export function normaliseLinks(value: unknown, signer: LinkSigner): unknown {
  if (typeof value === 'string')
    return value.replace(/\/svar\/([A-Za-z0-9%._~-]+)/g, (_w, encoded: string) => {
      const token = decodeURIComponent(encoded);
      const purpose = token.split('.')[2] ?? '';
      const signed = signer.verify(token, purpose);
      return signed
        ? `/svar/<${signed.linkId.split('~')[0]} ${purpose} until ${signed.expiresAt.toISOString()}>`
        : '/svar/<forged>';
    });
  if (Array.isArray(value)) return value.map((v) => normaliseLinks(v, signer));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseLinks(v, signer)]));
  return value;
}

/** A write's answer without what each write makes anew: its times (and, for a first sign-up, its id). */
export function normaliseWrite(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const { updatedAt: _u, createdAt: _c, ...rest } = value as Record<string, unknown>;
  return rest;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawn to the first 200 on /health, in ms. */
async function coldStart(args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...ENV, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode} before /health`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.status === 200) return performance.now() - t0;
      } catch {
        // not listening yet
      }
      if (performance.now() - t0 > 60_000) throw new Error(`${args.join(' ')}: no 200 on /health in 60 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

const BARE_EXPRESS =
  "require('express')().get('/health',(q,r)=>r.json({status:'ok'})).listen(Number(process.env.PORT),'127.0.0.1')";

type Row = Record<string, string | number | boolean | Date | null>;

/** Reads the demo's database directly: the busiest week and what a sign-up may use. */
interface Reader {
  all(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

function sqliteReader(path: string): Reader {
  const conn = new Database(path, { readonly: true });
  return {
    all: (sql) => Promise.resolve(conn.prepare(sql).all() as Row[]),
    close: () => Promise.resolve(void conn.close()),
  };
}

async function pgReader(url: string): Promise<Reader> {
  // Dates as their 'YYYY-MM-DD' text, as the service reads them.
  const c = new Client({ connectionString: url });
  c.setTypeParser(1082, (v: string) => v);
  await c.connect();
  return {
    all: async (sql) => (await c.query<Row>(sql.replace(/datetime\('now'\)/g, 'now()'))).rows,
    close: () => c.end(),
  };
}

/** The demo seeded, its term planned and published; the ids and tokens the cases need. */
async function prepare(ctx: BenchContext, env: Record<string, string>, reader: () => Promise<Reader>) {
  const seeded = await start(['dist/scripts/seed-demo.js'], { ...ENV, ...env }, /$^/);
  const municipality = seeded.out.match(/: ([0-9a-f-]{36})/)![1];
  const service = await start(
    ['dist/src/main.js'],
    { ...ENV, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    LISTENS,
  );
  try {
    const base = service.url;
    const { token } = await http<{ token: string }>(`${base}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ email: 'samordnare.demo@example.org', password: DEMO_PASSWORD }),
    });
    let db = await reader();
    const [term] = await db.all(
      `SELECT MIN(local_date) AS "from", MAX(local_date) AS "to" FROM sessions WHERE municipality_id = '${municipality}'`,
    );
    await db.close();
    const period = { from: String(term.from), to: String(term.to) };
    ctx.log(`planning and publishing the demo's term, ${period.from} to ${period.to}`);
    const plan = await http<{ assignments: { guideId: string; sessionId: string }[] }>(
      `${base}/api/v1/municipalities/${municipality}/plans`,
      { method: 'POST', token, body: JSON.stringify({ ...period, timeLimitMs: 2000 }) },
    );
    await http(`${base}/api/v1/municipalities/${municipality}/plans/publish`, {
      method: 'POST',
      token,
      body: JSON.stringify(period),
    });
    db = await reader();
    // The busiest week: the most seniors signed up (with a seat or waiting), the earliest of equals.
    const perDate = await db.all(
      `SELECT s.local_date AS d, COUNT(*) AS n FROM registrations r JOIN sessions s ON s.id = r.session_id
       WHERE s.municipality_id = '${municipality}' AND r.status IN ('confirmed', 'waitlisted') GROUP BY s.local_date`,
    );
    const weeks = new Map<string, number>();
    for (const r of perDate) {
      const w = isoWeekOf(String(r.d));
      weeks.set(w, (weeks.get(w) ?? 0) + Number(r.n));
    }
    const [week, signedUp] = [...weeks].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    // Sign-up slots: a café ahead with free seats and no waiting list, a senior not on it, and a
    // platform a guide on it knows (so no platform is left uncovered), one slot per connection.
    const sessions = await db.all(
      `SELECT s.id, s.seats,
         (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'confirmed') AS seated,
         (SELECT COUNT(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waiting,
         (SELECT MIN(p.platform) FROM assignments a JOIN guide_platforms p ON p.guide_id = a.guide_id
           WHERE a.session_id = s.id) AS platform
       FROM sessions s WHERE s.municipality_id = '${municipality}' AND s.status = 'scheduled'
         AND s.starts_at > datetime('now') ORDER BY s.starts_at DESC`,
    );
    const seniors = (
      await db.all(`SELECT id FROM seniors WHERE municipality_id = '${municipality}' AND erased_at IS NULL ORDER BY id`)
    ).map((r) => String(r.id));
    const taken = new Set(
      (await db.all('SELECT session_id, senior_id FROM registrations')).map(
        (r) => `${String(r.session_id)} ${String(r.senior_id)}`,
      ),
    );
    const slots: { sessionId: string; seniorId: string; platform: string }[] = [];
    for (const s of sessions) {
      if (Number(s.waiting) > 0 || !s.platform) continue;
      let free = Number(s.seats) - Number(s.seated);
      for (const seniorId of seniors) {
        if (free <= 0 || slots.length >= 2 * CONNECTIONS + 2) break;
        if (taken.has(`${String(s.id)} ${seniorId}`)) continue;
        slots.push({ sessionId: String(s.id), seniorId, platform: String(s.platform) });
        free--;
      }
    }
    // The contract's busiest month: the most cafés.
    const [contract] = await db.all(
      `SELECT id FROM contracts WHERE municipality_id = '${municipality}' ORDER BY starts_on, id`,
    );
    const months = new Map<string, number>();
    for (const r of await db.all(`SELECT local_date FROM sessions WHERE municipality_id = '${municipality}'`)) {
      const month = String(r.local_date).slice(0, 7);
      months.set(month, (months.get(month) ?? 0) + 1);
    }
    const [month, cafes] = [...months].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    await db.close();
    // The guide's page of the guide with the most cafés in the plan (the lowest id of equals): the
    // busiest page, the same guide for the same plan (the plan's first row depends on its order).
    const perGuide = new Map<string, number>();
    for (const a of plan.assignments) perGuide.set(a.guideId, (perGuide.get(a.guideId) ?? 0) + 1);
    const [guideId] = [...perGuide].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    const link = await http<{ token: string }>(`${base}/api/v1/guides/${guideId}/links`, {
      method: 'POST',
      token,
      body: '{}',
    });
    return {
      municipality,
      token,
      week,
      signedUp,
      guideToken: link.token,
      slots,
      reader,
      report: { contractId: String(contract.id), month, cafes },
    };
  } finally {
    service.child.kill('SIGTERM');
    await new Promise((r) => (service.child.exitCode !== null ? r(null) : service.child.once('exit', r)));
  }
}

type Prepared = Awaited<ReturnType<typeof prepare>>;

const DEVICE_KIND: Record<string, string> = {
  ios: 'phone',
  android: 'phone',
  windows: 'computer',
  macos: 'computer',
  ipados: 'tablet',
  chromeos: 'computer',
  linux: 'computer',
};

function cases(p: Prepared): Case[] {
  const auth = { authorization: `Bearer ${p.token}` };
  const signer = new LinkSigner(ENV.AUTH_SECRET);
  const same =
    (path: string, normalise: (v: unknown) => unknown = (v) => v) =>
    async (s: string, b: string) => {
      const [x, y] = [await answer(`${s}${path}`, { headers: auth }), await answer(`${b}${path}`, { headers: auth })];
      if (x.status !== 200) throw new Error(`${path}: the service answered ${x.status} ${x.text.slice(0, 300)}`);
      assertSame(path, { status: x.status, body: normalise(x.body) }, { status: y.status, body: normalise(y.body) });
    };
  const week = `/api/v1/municipalities/${p.municipality}/weeks/${p.week}`;
  const guide = `/api/v1/guide/me?token=${encodeURIComponent(p.guideToken)}`;
  const report = `/api/v1/contracts/${p.report.contractId}/reports/${p.report.month}`;
  // Connection i signs up and cancels its own slot, again and again: every sign-up gets a seat.
  const body = (slot: Prepared['slots'][number]) =>
    JSON.stringify({
      seniorId: slot.seniorId,
      devices: [{ platform: slot.platform, kind: DEVICE_KIND[slot.platform] ?? 'phone' }],
    });
  // A connection takes a free slot for its sign-up and gives it back when its cancel is answered,
  // so no two connections ever hold the same slot (there are more slots than connections).
  const signUpAndCancel = (slots: Prepared['slots']): AutocannonRequest[] => {
    const free = [...slots];
    type Slot = Prepared['slots'][number];
    type Context = { slot?: Slot; registration?: string };
    return [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const slot = free.shift()!;
          (context as Context).slot = slot;
          return { ...req, path: `/api/v1/sessions/${slot.sessionId}/registrations`, body: body(slot) };
        },
        onResponse: (status, resBody, context) => {
          (context as Context).registration = status === 201 ? (JSON.parse(resBody) as { id: string }).id : undefined;
        },
      },
      {
        method: 'POST',
        setupRequest: (req, context) => ({
          ...req,
          path: `/api/v1/registrations/${String((context as Context).registration ?? '00000000-0000-4000-8000-000000000000')}/cancel`,
        }),
        onResponse: (_status, _body, context) => {
          free.push((context as Context).slot!);
        },
      },
    ];
  };
  // Sign-ups whose cancel the end of a run cut off are cancelled before the next run.
  const cancelLeftovers = async (base: string) => {
    await new Promise((r) => setTimeout(r, 500));
    const db = await p.reader();
    const open = await db.all(`SELECT id, session_id, senior_id FROM registrations WHERE status <> 'cancelled'`);
    await db.close();
    const slotKeys = new Set(p.slots.map((x) => `${x.sessionId} ${x.seniorId}`));
    for (const r of open.filter((x) => slotKeys.has(`${String(x.session_id)} ${String(x.senior_id)}`)))
      await answer(`${base}/api/v1/registrations/${String(r.id)}/cancel`, { method: 'POST', headers: auth });
  };
  const writeOnce = async (base: string, slot: Prepared['slots'][number]) => {
    const made = await answer(`${base}/api/v1/sessions/${slot.sessionId}/registrations`, {
      method: 'POST',
      headers: auth,
      body: body(slot),
    });
    const id = (made.body as { id?: string }).id;
    const cancelled = await answer(`${base}/api/v1/registrations/${id}/cancel`, { method: 'POST', headers: auth });
    return { made, cancelled };
  };
  return [
    {
      name: 'authenticated trivial route (`GET /auth/me`)',
      headers: auth,
      requests: () => [{ method: 'GET', path: '/api/v1/auth/me' }],
      check: same('/api/v1/auth/me'),
    },
    {
      name: `week view, the busiest week (${p.week}, ${p.signedUp} sign-ups), as the coordinator`,
      headers: auth,
      requests: () => [{ method: 'GET', path: week }],
      check: same(week),
    },
    {
      name: "a guide's page (their link)",
      headers: {},
      requests: () => [{ method: 'GET', path: guide }],
      check: same(guide, (v) => normaliseLinks(v, signer)),
    },
    {
      name: `a month's contract report (${p.report.month}, ${p.report.cafes} cafés), as the coordinator`,
      headers: auth,
      requests: () => [{ method: 'GET', path: report }],
      check: same(report),
    },
    {
      name: 'registration: sign up (a seat), then cancel; per request',
      headers: auth,
      requests: () => signUpAndCancel(p.slots.slice(2)),
      after: cancelLeftovers,
      // Each side writes first on one slot (a new row) and again on the other's (a cancelled row made anew).
      check: async (s, b) => {
        const [one, two] = p.slots;
        const pairs = [
          [await writeOnce(s, one), await writeOnce(b, one)],
          [await writeOnce(s, two), await writeOnce(b, two)].reverse(),
        ];
        for (const [x, y] of pairs) {
          if (x.made.status !== 201 || x.cancelled.status !== 200)
            throw new Error(`registration: the service answered ${x.made.status} ${x.made.text.slice(0, 300)}`);
          for (const key of ['made', 'cancelled'] as const)
            assertSame(
              `registration (${key})`,
              { status: x[key].status, body: normaliseWrite({ ...(x[key].body as object), id: '<id>' }) },
              { status: y[key].status, body: normaliseWrite({ ...(y[key].body as object), id: '<id>' }) },
            );
        }
      },
    },
  ];
}

type Figures = { service: Measured; baseline: Measured };

async function startBoth(env: Record<string, string>, baselineDb: string): Promise<Side[]> {
  const service = await start(
    ['dist/src/main.js'],
    { ...ENV, ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    LISTENS,
  );
  const baseline = await start(
    ['dist/scripts/bench/load-baseline.js'],
    { ...ENV, ...env, BASELINE_DB: baselineDb, PORT: '0' },
    LISTENS,
  );
  return [
    { name: 'service', url: service.url, pid: service.child.pid!, stop: () => service.child.kill('SIGTERM') },
    { name: 'baseline', url: baseline.url, pid: baseline.child.pid!, stop: () => baseline.child.kill('SIGTERM') },
  ];
}

async function runDatabase(
  ctx: BenchContext,
  label: string,
  env: Record<string, string>,
  baselineDb: string,
  reader: () => Promise<Reader>,
): Promise<{ label: string; figures: [Case, Figures][]; prepared: Prepared }> {
  ctx.log(`${label}: seeding the demo`);
  const prepared = await prepare(ctx, env, reader);
  if (prepared.slots.length < CONNECTIONS + 2)
    throw new Error(`${label}: only ${prepared.slots.length - 2} sign-up slots for ${CONNECTIONS} connections`);
  const sides = await startBoth(env, baselineDb);
  const [service, baseline] = sides;
  const out: [Case, Figures][] = [];
  try {
    for (const c of cases(prepared).filter((x) => !ONLY_ROUTES.length || ONLY_ROUTES.some((w) => x.name.includes(w)))) {
      await c.check(service.url, baseline.url);
      ctx.log(`${label}: ${c.name}: the answers are the same; loading each side for ${SECONDS} s`);
      const figures = {} as Figures;
      for (const side of sides) {
        await warmUp(side, c, sides);
        figures[side.name] = await measure(side, c, SECONDS, sides);
        const f = figures[side.name];
        ctx.log(
          `  ${side.name}: ${f.cpuPerRequest.toFixed(2)} ms CPU/request, ${Math.round(f.rps)} requests/s, p99 ${f.p99} ms (${f.p99Open} ms with the connections' opening, which took ${(f.openedMs / 1000).toFixed(1)} s), ${f.errors} errors`,
        );
      }
      out.push([c, figures]);
    }
  } finally {
    for (const s of sides) s.stop();
    await new Promise((r) => setTimeout(r, 500));
  }
  return { label, figures: out, prepared };
}

const mark = (ratio: number, goal: number) => (ratio <= goal ? '✓' : '✗');
const ratioText = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : '–');

async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-load-'));
  const results: Awaited<ReturnType<typeof runDatabase>>[] = [];
  let cold: { service: number; bare: number; runs: number[][] } | undefined;
  try {
    const path = join(dir, 'demo.sqlite');
    if (ONLY_COLD) {
      ctx.log('sqlite: seeding the demo (BENCH_LOAD_ONLY=cold: no route is loaded)');
      await prepare(ctx, { SQLITE_PATH: path }, () => Promise.resolve(sqliteReader(path)));
    } else
      results.push(
        await runDatabase(ctx, 'sqlite', { SQLITE_PATH: path }, path, () => Promise.resolve(sqliteReader(path))),
      );

    ctx.log(`cold start: spawn to the first 200 on /health, ${COLD_RUNS} runs each, alternating`);
    const service: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      service.push(await coldStart(['dist/src/main.js'], { SQLITE_PATH: path, LOG_LEVEL: 'warn' }));
      bare.push(await coldStart(['-e', BARE_EXPRESS], {}));
    }
    cold = { service: median(service), bare: median(bare), runs: [service, bare] };

    const server = ONLY_COLD ? undefined : process.env.BENCH_POSTGRES_URL;
    if (server) {
      const name = `bryggan_bench_${randomBytes(4).toString('hex')}`;
      const admin = async (sql: string) => {
        const c = new Client({ connectionString: server });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      const url = new URL(server);
      url.pathname = `/${name}`;
      try {
        results.push(
          await runDatabase(ctx, 'PostgreSQL', { DATABASE_URL: url.toString() }, url.toString(), () =>
            pgReader(url.toString()),
          ),
        );
      } finally {
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    } else if (!ONLY_COLD) {
      ctx.log('BENCH_POSTGRES_URL is not set: PostgreSQL skipped');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const rows: string[][] = [];
  for (const { label, figures } of results)
    for (const [c, { service: s, baseline: b }] of figures) {
      const cpu = s.cpuPerRequest / b.cpuPerRequest;
      // A side that answered too few requests in time has no p99 worth the name: no mark.
      const p99 = Math.min(s.requests, b.requests) >= MIN_ANSWERS ? s.p99 / Math.max(b.p99, 1) : NaN;
      rows.push([
        c.name,
        label,
        `${s.cpuPerRequest.toFixed(2)} / ${b.cpuPerRequest.toFixed(2)}`,
        `${ratioText(cpu)} ${mark(cpu, GOAL.cpu)}`,
        `${Math.round(s.rps).toLocaleString('en')} / ${Math.round(b.rps).toLocaleString('en')}`,
        `${s.p99} / ${b.p99}`,
        Number.isFinite(p99) ? `${ratioText(p99)} ${mark(p99, GOAL.p99)}` : `– (under ${MIN_ANSWERS} answers)`,
        String(s.errors + b.errors),
      ]);
    }
  if (cold) {
    const r = cold.service / cold.bare;
    rows.push([
      'cold start: spawn to the first 200 on `/health` (ms, median)',
      'sqlite',
      `${Math.round(cold.service)} / ${Math.round(cold.bare)} (bare express)`,
      `${ratioText(r)} ${mark(r, GOAL.cold)}`,
      '–',
      '–',
      '–',
      '–',
    ]);
  }
  const table: BenchTable = {
    header: [
      'route',
      'database',
      'CPU ms/request, service / baseline',
      `CPU ratio (goal ≤ ${GOAL.cpu}×)`,
      'requests/s, service / baseline',
      'p99 ms, service / baseline',
      `p99 ratio (goal ≤ ${GOAL.p99}×)`,
      'errors',
    ],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
    rows,
  };
  const slots = results[0]?.prepared.slots.length ?? 0;
  return {
    title: `Load against hand-written baselines: ${CONNECTIONS} connections, ${SECONDS} s per side and route (autocannon, loopback)`,
    baseline:
      "hand-written handlers on bare express (scripts/bench/load-baseline.ts) over the same database, prepared better-sqlite3 statements or `pg` named prepared statements, with the same authentication work; their JSON is checked equal to the service's before each load.",
    rows: [],
    notes: [
      ...(ONLY_COLD ? [] : loadNotes(slots)),
      ...(cold
        ? [
            `Cold start runs (ms): service ${cold.runs[0].map(Math.round).join(', ')}; bare express ${cold.runs[1].map(Math.round).join(', ')}.`,
          ]
        : []),
    ],
    tables: [table],
  };
}

const loadNotes = (slots: number) => [
  "The demo municipality (12 guides, 40 seniors, a term of cafés), its whole term planned and published; the week view is the coordinator's (with seniors' names, pairs, and an audit row per senior shown), the guide's page a guide's signed link.",
  `Each side and route: a first run of ${WARMUP_SECONDS + 1} s to warm up, then the measured one, which measures for ${SECONDS} s from the moment each of its ${CONNECTIONS} connections has had its first answer (and ${WARMUP_SECONDS} s have gone); every figure is of the requests sent after that moment. CPU per request: the server process's utime + stime (/proc/<pid>/stat) from that moment until the process is idle again, divided by the answers that came after it and the requests still in flight at the end. On PostgreSQL this is the Node process only; the database server's own CPU is not counted on either side.`,
  `p99 is over the answers that came within the run to requests sent in the measured time: at saturation the slowest requests are still waiting when it ends, so p99 is a lower bound on both sides; with fewer than ${MIN_ANSWERS} answers it is not compared. A busy Node server accepts one new connection per turn of its event loop (libuv/libuv#3696), and a turn serves every open connection first: the first requests of the last of 100 connections opened at once waited seconds, on either side, and set the p99 of a run that opened them in its measured time. The log shows that p99 too ("with the connections' opening"), and how long the opening took.`,
  `Registration: each connection signs its own senior up for a café ahead with a free seat (${Math.max(0, slots - 2)} slots) and cancels, again and again, so every sign-up gets a seat and does the same work; the figures are per request (sign-up and cancel alike). The senior brings a platform a guide on the café knows: who else could come for an uncovered platform is the engine's question, which the baseline does not answer.`,
  "The contract report is the month with the most cafés; the demo's cafés are all ahead, so nothing is reported yet: the report counts cafés planned and to come, and its queries over visits, help and guides' hours find no rows.",
  'Equality: deep equality of the parsed JSON and the status; answer links are compared by what they answer (their signature is checked; each carries the instant it was made), registrations without their id and times.',
  'autocannon runs in the bench process on the same 2 cores as the servers, so every figure shares the machine with the load generator and with whatever else runs; run it a few times.',
];

/**
 * Issue 7: "the week view and a guide's assignments at 100 concurrent connections, p99 latency
 * and throughput on sqlite and on PostgreSQL with two instances, beside a bare express endpoint
 * measured in the same run as the ceiling."
 *
 * Everything runs as real processes on loopback: the built service (`dist/src/main.js`) on the
 * demo municipality (`dist/scripts/seed-demo.js`), its first week planned and published over
 * HTTP, and autocannon in this process for a bounded time per case. PostgreSQL is measured when
 * BENCH_POSTGRES_URL names a server where the bench may create (and then drop) a database.
 */
import autocannon, { Result } from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { Client } from 'pg';
import { DEMO_PASSWORD } from '../demo-data';
import { Bench, BenchContext, BenchResult, BenchTable } from './lib';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 8);
const CONNECTIONS = 100;
/** The repository: the bench runs from dist/scripts/bench. */
const ROOT = join(__dirname, __dirname.includes(`${sep}dist${sep}`) ? '../../..' : '../..');

export const bench: Bench = { name: 'load', run };

interface Proc {
  url: string;
  child: ChildProcess;
}

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc & { out: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${out.slice(-1500)}`)), 120_000);
    const read = (c: Buffer) => {
      out += c.toString();
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1] ?? '', child, out });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => (clearTimeout(timer), code ? reject(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-1500)}`)) : resolve({ url: '', child, out })));
  });
}

const LISTENS = /listens on (http:\/\/127\.0\.0\.1:\d+)/;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function http(url: string, init: RequestInit & { token?: string } = {}): Promise<any> {
  const res = await fetch(url, { ...init, headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) } });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** autocannon against one or more instances at once, the connections shared out; merged figures. */
async function load(urls: string[], headers: Record<string, string> = {}): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const results: Result[] = await Promise.all(urls.map((url) => autocannon({ url, connections: CONNECTIONS / urls.length, duration: SECONDS, headers })));
  return {
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
  };
}

/** Seed the demo, start `instances` service processes, plan and publish the first week; the URLs to load. */
async function backend(env: Record<string, string>, instances: number) {
  // Resolves when the seeding process exits (its output never matches).
  const seeded = await start(['dist/scripts/seed-demo.js'], env, /$^/);
  const municipality = seeded.out.match(/: ([0-9a-f-]{36})/)![1];
  const week = seeded.out.match(/weeks\/(\d{4}-W\d{2})/)![1];
  const procs = await Promise.all(Array.from({ length: instances }, () => start(['dist/src/main.js'], { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, LISTENS)));
  const base = procs[0].url;
  const { token } = await http(`${base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'samordnare.demo@example.org', password: DEMO_PASSWORD }) });
  const [y, w] = week.split('-W').map(Number);
  const monday = new Date(Date.UTC(y, 0, 4 + (w - 1) * 7 - ((new Date(Date.UTC(y, 0, 4)).getUTCDay() + 6) % 7)));
  const sunday = new Date(monday.getTime() + 6 * 86_400_000);
  const period = { from: monday.toISOString().slice(0, 10), to: sunday.toISOString().slice(0, 10) };
  const plan = await http(`${base}/api/v1/municipalities/${municipality}/plans`, { method: 'POST', token, body: JSON.stringify({ ...period, timeLimitMs: 1000 }) });
  await http(`${base}/api/v1/municipalities/${municipality}/plans/publish`, { method: 'POST', token, body: JSON.stringify(period) });
  const guideId = plan.assignments[0].guideId;
  const link = await http(`${base}/api/v1/guides/${guideId}/links`, { method: 'POST', token, body: '{}' });
  return {
    week: procs.map((p) => `${p.url}/api/v1/municipalities/${municipality}/weeks/${week}`),
    guide: procs.map((p) => `${p.url}/api/v1/guide/me?token=${encodeURIComponent(link.token)}`),
    headers: { Authorization: `Bearer ${token}` },
    stop: () => procs.forEach((p) => p.child.kill('SIGTERM')),
  };
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const rows: string[][] = [];
  const add = (what: string, setup: string, r: Awaited<ReturnType<typeof load>>, ceiling?: number) =>
    rows.push([what, setup, Math.round(r.rps).toLocaleString('en'), `${r.p50} ms`, `${r.p99} ms`, ceiling ? `${((r.rps / ceiling) * 100).toFixed(0)} %` : '–', String(r.errors)]);

  ctx.log(`ceiling: bare express, ${CONNECTIONS} connections, ${SECONDS} s`);
  const bare = await start(['-e', "require('express')().get('/ping',(q,r)=>r.json({ok:true})).listen(0,'127.0.0.1',function(){console.log('listens on http://127.0.0.1:'+this.address().port)})"], {}, LISTENS);
  const ceiling = await load([`${bare.url}/ping`]);
  bare.child.kill();
  add('bare express `GET /ping` (the ceiling)', '1 process', ceiling);

  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-load-'));
  try {
    ctx.log('sqlite: demo municipality, one instance');
    const lite = await backend({ SQLITE_PATH: join(dir, 'demo.sqlite') }, 1);
    try {
      add("a municipality's week view", 'sqlite, 1 instance', await load(lite.week, lite.headers), ceiling.rps);
      add("a guide's own page (their assignments)", 'sqlite, 1 instance', await load(lite.guide), ceiling.rps);
    } finally {
      lite.stop();
    }
    const server = process.env.BENCH_POSTGRES_URL;
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
        ctx.log('PostgreSQL: demo municipality, two instances');
        const pg = await backend({ DATABASE_URL: url.toString() }, 2);
        try {
          add("a municipality's week view", 'PostgreSQL, 2 instances', await load(pg.week, pg.headers), ceiling.rps);
          add("a guide's own page (their assignments)", 'PostgreSQL, 2 instances', await load(pg.guide), ceiling.rps);
        } finally {
          pg.stop();
          await new Promise((r) => setTimeout(r, 500));
        }
      } finally {
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    } else {
      ctx.log('BENCH_POSTGRES_URL is not set: PostgreSQL skipped');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table: BenchTable = {
    header: ['request', 'setup', 'requests/s', 'p50', 'p99', 'of the ceiling', 'errors'],
    align: ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    rows,
  };
  return {
    title: `Load: ${CONNECTIONS} concurrent connections, ${SECONDS} s each (autocannon, loopback)`,
    baseline: 'a bare express endpoint in its own process, measured in the same run: the most this machine serves over HTTP.',
    rows: [],
    notes: [
      'The demo municipality (12 guides, 40 seniors, a term of sessions), its first week planned and published; the week view is a coordinator\'s, the guide page a guide\'s signed link.',
      'autocannon runs on the same 2 cores as the service, so every figure, the ceiling included, shares the machine with the load generator.',
    ],
    tables: [table],
  };
}

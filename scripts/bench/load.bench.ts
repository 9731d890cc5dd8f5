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
import autocannon, { type Result } from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type Bench, type BenchContext, type BenchResult, type BenchTable } from './lib';
import { backend, LISTENS, start } from './service';

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 8);
const CONNECTIONS = 100;

export const bench: Bench = { name: 'load', run };

/** autocannon against one or more instances at once, the connections shared out; merged figures. */
async function load(
  urls: string[],
  headers: Record<string, string> = {},
): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const results: Result[] = await Promise.all(
    urls.map((url) => autocannon({ url, connections: CONNECTIONS / urls.length, duration: SECONDS, headers })),
  );
  return {
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0),
  };
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const rows: string[][] = [];
  const add = (what: string, setup: string, r: Awaited<ReturnType<typeof load>>, ceiling?: number) =>
    rows.push([
      what,
      setup,
      Math.round(r.rps).toLocaleString('en'),
      `${r.p50} ms`,
      `${r.p99} ms`,
      ceiling ? `${((r.rps / ceiling) * 100).toFixed(0)} %` : '–',
      String(r.errors),
    ]);

  ctx.log(`ceiling: bare express, ${CONNECTIONS} connections, ${SECONDS} s`);
  const bare = await start(
    [
      '-e',
      "require('express')().get('/ping',(q,r)=>r.json({ok:true})).listen(0,'127.0.0.1',function(){console.log('listens on http://127.0.0.1:'+this.address().port)})",
    ],
    {},
    LISTENS,
  );
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
    baseline:
      'a bare express endpoint in its own process, measured in the same run: the most this machine serves over HTTP.',
    rows: [],
    notes: [
      "The demo municipality (12 guides, 40 seniors, a term of sessions), its first week planned and published; the week view is a coordinator's, the guide page a guide's signed link.",
      'autocannon runs on the same 2 cores as the service, so every figure, the ceiling included, shares the machine with the load generator.',
    ],
    tables: [table],
  };
}

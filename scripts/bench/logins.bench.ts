/**
 * Issue 16: "19 parallel failed logins raised the process from 106 to 615 MB. Bound the number
 * of hashes computed at once (a queue), so 200 parallel logins keep the process under 300 MB and
 * other requests fast; measure it in a benchmark."
 *
 * The built service (`dist/src/main.js`) at the production password cost (scrypt, 128 MiB a
 * hash), on a fresh sqlite file with one admin. 200 failed logins at once, each from its own
 * forwarded address (a spread-out attack, so the per-address limit does not cut it short), while
 * /health is asked one call after another. Measured with the queue (PASSWORD_HASHES_AT_ONCE=1,
 * the default) and, in the same run, with four at once (what libuv's thread pool allows anyway).
 */
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bench, type BenchContext, type BenchResult, median, percentile } from './lib';
import { LISTENS, ROOT, start } from './service';

const LOGINS = 200;

export const bench: Bench = { name: 'logins', run };

/** Resident memory of a process, in MB (Linux). */
function memory(pid: number): { rss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024 };
}

/** /health timed one call after another, 20 ms apart (other people's requests, not a flood of our own). */
async function healthTimes(url: string, until: () => boolean, least = 20): Promise<number[]> {
  const times: number[] = [];
  while (!until() || times.length < least) {
    const t0 = performance.now();
    await (await fetch(`${url}/health`)).arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return times;
}

async function storm(ctx: BenchContext, atOnce: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-logins-'));
  const proc = await start(
    [join(ROOT, 'dist/src/main.js')],
    {
      SQLITE_PATH: join(dir, 'b.sqlite'),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      TRUST_PROXY: '1',
      PASSWORD_HASHES_AT_ONCE: String(atOnce),
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'a long and unusual bench password',
    },
    LISTENS,
  );
  try {
    const pid = proc.child.pid!;
    const idle = await healthTimes(proc.url, () => true, 50);
    const before = memory(pid);
    ctx.log(`${atOnce} at once: ${LOGINS} failed logins…`);
    let done = 0;
    // The most memory the process holds during the storm, sampled every 10 ms.
    let most = before.rss;
    const sampler = setInterval(() => (most = Math.max(most, memory(pid).rss)), 10);
    const t0 = performance.now();
    const logins = Array.from({ length: LOGINS }, (_, i) =>
      fetch(`${proc.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.1.${i >> 8}.${i & 255}` },
        body: JSON.stringify({
          email: i % 2 ? 'admin@example.org' : `nobody${i}@example.org`,
          password: 'wrong guess 123',
        }),
      }).then(async (r) => {
        await r.arrayBuffer();
        done++;
        return r.status;
      }),
    );
    const busy = await healthTimes(proc.url, () => done === LOGINS);
    const statuses = await Promise.all(logins);
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    return {
      atOnce,
      idleMedian: median(idle),
      busyMedian: median(busy),
      busyP95: percentile(busy, 95),
      before,
      most,
      seconds,
      refused: statuses.filter((s) => s === 401).length,
      limited: statuses.filter((s) => s === 429).length,
    };
  } finally {
    proc.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  const queued = await storm(ctx, 1);
  const four = await storm(ctx, 4);
  const mb = (n: number) => `${Math.round(n)} MB`;
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const row = (r: typeof queued, what: string) => [
    what,
    mb(r.before.rss),
    mb(r.most),
    ms(r.idleMedian),
    ms(r.busyMedian),
    ms(r.busyP95),
    `${(r.busyMedian / r.idleMedian).toFixed(2)}×`,
    `${r.seconds.toFixed(1)} s`,
    `${r.refused} / ${r.limited}`,
  ];
  return {
    title: `Logins: ${LOGINS} failed logins at once, at the production password cost (scrypt, 128 MiB)`,
    baseline: '/health asked one call after another (20 ms apart) on the same idle process, just before the storm.',
    rows: [],
    notes: [
      'Each login from its own forwarded address (TRUST_PROXY=1): a spread-out attack the per-address limit does not stop; half name the admin, half no account (hashed all the same, so timing does not tell).',
    ],
    tables: [
      {
        header: [
          'hashes at once',
          'memory before',
          'most memory during',
          '/health idle (median)',
          '/health during (median)',
          '/health during (p95)',
          'ratio',
          'all answered in',
          '401 / 429',
        ],
        align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        rows: [row(queued, '1 (the default: the rest queue)'), row(four, '4 (no queue: libuv’s thread pool)')],
      },
    ],
  };
}

/**
 * The built service as real processes on loopback, for the benches that measure it from the
 * outside (load, web): start a process and wait for its line, seed the demo, plan and publish
 * its first week.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join, sep } from 'node:path';
import { addDays, isoWeekRange } from '../../src/domain/time';
import { DEMO_PASSWORD } from '../demo-data';

/** The repository: the bench runs from dist/scripts/bench. */
export const ROOT = join(__dirname, __dirname.includes(`${sep}dist${sep}`) ? '../../..' : '../..');

interface Proc {
  url: string;
  child: ChildProcess;
}

/**
 * Starts a node process of the service (or a script). BENCH_NODE_FLAGS adds flags to the
 * service's own node, for a look inside a run: `--cpu-prof --cpu-prof-dir=/tmp/prof`, which
 * NODE_OPTIONS does not take.
 */
export function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Proc & { out: string }> {
  const flags = args[0] === 'dist/src/main.js' ? (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
  const child = spawn(process.execPath, [...flags, ...args], {
    env: { ...process.env, TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
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
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on(
      'exit',
      (code) => (
        clearTimeout(timer),
        code
          ? reject(new Error(`${args.join(' ')} exited ${code}: ${out.slice(-1500)}`))
          : resolve({ url: '', child, out })
      ),
    );
  });
}

/** The Monday and Sunday of an ISO week, `offset` weeks on. */
export function weekPeriod(week: string, offset = 0): { from: string; to: string } {
  const monday = addDays(isoWeekRange(week).monday, offset * 7);
  return { from: monday, to: addDays(monday, 6) };
}

export const LISTENS = /listens on (http:\/\/127\.0\.0\.1:\d+)/;

/** A JSON request to the service; the caller names the answer's shape it uses. */
export async function http<T = unknown>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Seed the demo, start `instances` service processes, plan and publish the first week; the URLs to load. */
export async function backend(env: Record<string, string>, instances: number) {
  // Resolves when the seeding process exits (its output never matches).
  const seeded = await start(['dist/scripts/seed-demo.js'], env, /$^/);
  const municipality = seeded.out.match(/: ([0-9a-f-]{36})/)![1];
  const week = seeded.out.match(/weeks\/(\d{4}-W\d{2})/)![1];
  const procs = await Promise.all(
    Array.from({ length: instances }, () =>
      start(['dist/src/main.js'], { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, LISTENS),
    ),
  );
  const base = procs[0].url;
  const { token } = await http<{ token: string }>(`${base}/api/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email: 'samordnare.demo@example.org', password: DEMO_PASSWORD }),
  });
  const period = weekPeriod(week);
  const plan = await http<{ assignments: { guideId: string }[] }>(
    `${base}/api/v1/municipalities/${municipality}/plans`,
    {
      method: 'POST',
      token,
      body: JSON.stringify({ ...period, timeLimitMs: 1000 }),
    },
  );
  await http(`${base}/api/v1/municipalities/${municipality}/plans/publish`, {
    method: 'POST',
    token,
    body: JSON.stringify(period),
  });
  const guideId = plan.assignments[0].guideId;
  const link = await http<{ token: string }>(`${base}/api/v1/guides/${guideId}/links`, {
    method: 'POST',
    token,
    body: '{}',
  });
  return {
    base,
    municipality,
    token,
    /** The ISO week planned and published, and a guide's own link token. */
    isoWeek: week,
    guideToken: link.token,
    week: procs.map((p) => `${p.url}/api/v1/municipalities/${municipality}/weeks/${week}`),
    guide: procs.map((p) => `${p.url}/api/v1/guide/me?token=${encodeURIComponent(link.token)}`),
    headers: { Authorization: `Bearer ${token}` },
    stop: () => procs.forEach((p) => p.child.kill('SIGTERM')),
  };
}

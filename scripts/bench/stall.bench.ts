/**
 * Issue 20, "Planning never stalls the service": the p99 of a trivial route while a county-sized
 * plan is worked out, against the same route with no plan running, and, as the baseline, the same
 * with the engine on the request's own thread (PLANNER_THREADS=0, which only this bench sets).
 *
 * The county (3,200 sessions, 1,200 guides; scripts/bench/matching-instances.ts, or the region
 * scaled up where that size is not there) is written to a sqlite file through the services:
 * weekly series for the sessions, guides with their platforms, languages, times and dates off,
 * and walk-ins at each venue for the seniors' demand. The built service (`dist/src/main.js`) runs
 * as its own process. From this process, autocannon loads GET /health while probes send GET /health
 * and, with a coordinator's token, GET /api/v1/auth/me every 20 ms whatever the answers before, at
 * most 4 of each waiting at once (a stall counts in full for those waiting; STALL_SIZE=region for the
 * region's term); first with no plan running, then while
 * one plan of the whole term is worked out (POST /municipalities/:id/plans), until it is answered.
 * Meanwhile, in both, a writer changes another municipality's venue every STALL_WRITE_MS (100; 0
 * for none): writes that have nothing to do with the plan, as a busy service has (other
 * municipalities' work, audit rows), which the plan must not take for a change of its period.
 */
import autocannon, { type Instance, type Result } from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildContainer, settingsFromConfig } from '../../src/container';
import { openDatabase } from '../../src/db/data-source';
import type { EngineInput } from '../../src/domain/matching';
import { WEEKDAYS } from '../../src/domain/time';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { type Bench, type BenchContext, type BenchResult, type BenchRow, formatMs, now, percentile } from './lib';
import { generateInstance, MATCHING_SIZES, type MatchingSize } from './matching-instances';
import { LISTENS, start } from './service';

const CONNECTIONS = 4;
const IDLE_SECONDS = 5;
const PASSWORD = 'stall bench password 1';
/** A write elsewhere (another municipality's venue) every this many ms while measured; 0 for none. */
const WRITE_MS = Number(process.env.STALL_WRITE_MS ?? 100);

export const bench: Bench = { name: 'stall', run };

const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The county's term in a fresh sqlite file; the coordinator's e-mail and the plan's period. */
async function seed(ctx: BenchContext, file: string, input: EngineInput) {
  const dataSource = await openDatabase({ sqlitePath: file });
  const { services, planner } = buildContainer({
    dataSource,
    clock: new FixedClock(new Date('2026-11-24T09:00:00Z')),
    logger: createLogger('silent'),
    settings: settingsFromConfig(loadConfig({})),
  });
  try {
    const municipality = await services.organisations.create('municipality', { name: 'Länet', contactEmail: null });
    const association = await services.organisations.create('association', { name: 'Guiderna', contactEmail: null });
    const email = 'samordnare.stall@example.org';
    await services.auth.createUser({ email, password: PASSWORD, role: 'coordinator', organisationId: municipality.id });
    const venueIds = new Map<string, string>();
    for (const s of input.sessions) {
      if (venueIds.has(s.venueId)) continue;
      const venue = await services.venues.create({
        municipalityId: municipality.id,
        name: `Träffpunkt ${venueIds.size + 1}`,
        address: `Storgatan ${venueIds.size + 1}`,
        kind: 'library',
        seats: 12,
        equipment: ['wifi'],
        accessibilityNote: null,
        expectedWalkIns: 6,
        active: true,
      });
      venueIds.set(s.venueId, venue.id);
    }
    // The generator's sessions are weekly per venue, weekday and hour: one series each.
    const slots = new Map<string, EngineInput['sessions']>();
    for (const s of input.sessions) {
      const key = `${s.venueId}|${s.weekday}|${s.startMinute}|${s.endMinute}`;
      slots.set(key, [...(slots.get(key) ?? []), s]);
    }
    for (const list of slots.values()) {
      const s = list[0];
      await services.series.create({
        venueId: venueIds.get(s.venueId)!,
        weekday: WEEKDAYS[s.weekday - 1],
        startTime: hhmm(s.startMinute),
        durationMinutes: s.endMinute - s.startMinute,
        timeZone: 'Europe/Stockholm',
        intervalWeeks: 1,
        firstDate: list[0].date,
        lastDate: list[list.length - 1].date,
        seats: 10,
        minGuides: s.minGuides,
        maxGuides: s.maxGuides,
        skipHolidays: false,
      });
    }
    for (const [j, g] of input.guides.entries()) {
      await services.guides.create({
        associationId: association.id,
        municipalityId: municipality.id,
        name: `Guide ${j + 1}`,
        email: `guide${j + 1}@example.org`,
        swedishLevel: 'B1',
        languages: g.languages.filter((l) => l !== 'sv').map((language) => ({ language, level: 'B2' as const })),
        platforms: g.platforms.map((platform) => ({ platform, level: 'good' as const })),
        startDate: '2026-08-20',
        topics: [],
        maxHoursPerWeek: Math.max(0.5, Math.round(g.maxMinutesPerWeek / 30) / 2),
        availability: g.availability.map((w) => ({
          weekday: WEEKDAYS[w.weekday - 1],
          start: hhmm(w.startMinute),
          end: hhmm(w.endMinute),
        })),
        unavailableDates: g.unavailableDates.map((date) => ({ date })),
        active: true,
      });
    }
    // Another municipality, whose coordinator changes a venue while the plan is worked out.
    const elsewhere = await services.organisations.create('municipality', {
      name: 'Grannkommunen',
      contactEmail: null,
    });
    const otherEmail = 'samordnare.granne@example.org';
    await services.auth.createUser({
      email: otherEmail,
      password: PASSWORD,
      role: 'coordinator',
      organisationId: elsewhere.id,
    });
    const otherVenue = await services.venues.create({
      municipalityId: elsewhere.id,
      name: 'Grannens bibliotek',
      address: 'Lillgatan 1',
      kind: 'library',
      seats: 12,
      equipment: ['wifi'],
      accessibilityNote: null,
      expectedWalkIns: 2,
      active: true,
    });
    const dates = input.sessions.map((s) => s.date).sort();
    ctx.log(`stall: seeded ${venueIds.size} venues, ${slots.size} series, ${input.guides.length} guides`);
    return {
      municipalityId: municipality.id,
      email,
      from: dates[0],
      to: dates[dates.length - 1],
      other: { email: otherEmail, venueId: otherVenue.id },
    };
  } finally {
    await planner.close();
    await dataSource.destroy();
  }
}

interface Measured {
  /** autocannon on GET /health: closed-loop load, so a stall shows as a few slow requests only. */
  load: Result;
  /** Open-loop probes every PROBE_MS (each sent on time, answered or not): what a stall costs each caller. */
  health: number[];
  me: number[];
}

const PROBE_MS = 20;
/** The 99th percentile, NaN when no probe was answered (all reset). */
const p99 = (xs: number[]) => (xs.length ? percentile(xs, 99) : NaN);
/**
 * Probes of one kind waiting for their answer at most: a tick with this many waiting sends none
 * (counted as held back). Those waiting still measure the stall in full; without a bound a long
 * stall left thousands of connections open, and the server reset them.
 */
const PROBES_WAITING = 4;
/** Probes that got no answer (counted, and said in the notes), and ticks that sent none. */
const failed = { count: 0, heldBack: 0 };

/** Requests sent every PROBE_MS, answered or not, but at most PROBES_WAITING waiting at once; their latencies (ms). */
async function probe(url: string, headers: Record<string, string>, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  let waiting = 0;
  const timer = setInterval(() => {
    if (waiting >= PROBES_WAITING) return void (failed.heldBack += 1);
    const t0 = now();
    waiting++;
    pending.push(
      fetch(url, { headers })
        .then((res) => res.arrayBuffer())
        .then(() => void latencies.push(now() - t0))
        // A connection the server closed as the probe was sent: counted, as a request never answered.
        .catch(() => void (failed.count += 1))
        .finally(() => void waiting--),
    );
  }, PROBE_MS);
  await until.catch(() => undefined);
  clearInterval(timer);
  await Promise.allSettled(pending);
  return latencies;
}

/** Writes made by the writer elsewhere, and those refused (each says why in the log); each one's time (ms). */
const writes = { done: 0, refused: 0, ms: [] as number[] };

/**
 * Another municipality's coordinator changes their venue's note every WRITE_MS (one at a time)
 * until `until` settles: a write, with its audit row, that has nothing to do with the plan.
 */
async function writeElsewhere(
  ctx: BenchContext,
  url: string,
  other: { token: string; venueId: string },
  until: Promise<unknown>,
) {
  if (!WRITE_MS) return;
  let over = false;
  void until.finally(() => (over = true)).catch(() => undefined);
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${other.token}` };
  const venue = `${url}/api/v1/venues/${other.venueId}`;
  let version = ((await (await fetch(venue, { headers })).json()) as { version: number }).version;
  while (!over) {
    const t0 = now();
    const res = await fetch(venue, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ accessibilityNote: `Ändrad ${writes.done}`, version }),
    });
    const body = (await res.json()) as { version?: number };
    writes.ms.push(now() - t0);
    if (res.ok && body.version !== undefined) {
      version = body.version;
      writes.done++;
    } else {
      writes.refused++;
      ctx.log(`stall: a write elsewhere was refused: ${res.status} ${JSON.stringify(body)}`);
      version = ((await (await fetch(venue, { headers })).json()) as { version: number }).version;
    }
    await new Promise((resolve) => setTimeout(resolve, WRITE_MS));
  }
}

/** autocannon and the probes, for `seconds` or until `until` settles. */
async function load(url: string, token: string, seconds: number, until?: Promise<unknown>): Promise<Measured> {
  let instance!: Instance;
  const loaded = new Promise<Result>((resolve, reject) => {
    instance = autocannon({ url: `${url}/health`, connections: CONNECTIONS, duration: seconds }, (err, result) =>
      err ? reject(err as Error) : resolve(result),
    );
  });
  const end = until ?? new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  void end.finally(() => instance.stop());
  const [health, me, result] = await Promise.all([
    probe(`${url}/health`, {}, end),
    probe(`${url}/api/v1/auth/me`, { Authorization: `Bearer ${token}` }, end),
    loaded,
  ]);
  return { load: result, health, me };
}

async function measure(ctx: BenchContext, file: string, world: Awaited<ReturnType<typeof seed>>, threads?: string) {
  const proc = await start(
    ['dist/src/main.js'],
    {
      SQLITE_PATH: file,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...(threads === undefined ? {} : { PLANNER_THREADS: threads }),
    },
    LISTENS,
  );
  const label = threads === undefined ? 'the pool' : `PLANNER_THREADS=${threads}`;
  try {
    const login = await fetch(`${proc.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: world.email, password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const otherLogin = await fetch(`${proc.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: world.other.email, password: PASSWORD }),
    });
    const other = { token: ((await otherLogin.json()) as { token: string }).token, venueId: world.other.venueId };
    const idleOver = new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const [idle] = await Promise.all([
      load(proc.url, token, IDLE_SECONDS),
      writeElsewhere(ctx, proc.url, other, idleOver),
    ]);
    const writesBefore = writes.done;
    writes.ms = [];
    const t0 = now();
    const planned = fetch(`${proc.url}/api/v1/municipalities/${world.municipalityId}/plans`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ from: world.from, to: world.to, timeLimitMs: 30_000 }),
    }).then(async (res) => {
      if (res.status !== 201) throw new Error(`plan: ${res.status} ${await res.text()}`);
      // Its bytes now, parsed once the probes are done: parsing a county's answer here (some
      // 40 ms) would hold up this process's event loop, and the probes' answers with it.
      return { ms: now() - t0, text: await res.text() };
    });
    const [during] = await Promise.all([
      load(proc.url, token, 3_600, planned),
      writeElsewhere(ctx, proc.url, other, planned),
    ]);
    const answered = await planned;
    const body = JSON.parse(answered.text) as { assignments: unknown[]; elapsedMs: number };
    const plan = {
      ms: answered.ms,
      assignments: body.assignments.length,
      engineMs: body.elapsedMs,
      writes: writes.done - writesBefore,
      writeMs: writes.ms,
    };
    ctx.log(
      `stall: ${label}: plan answered in ${formatMs(plan.ms)} (engine ${formatMs(plan.engineMs)}, ${plan.assignments} assignments, ${plan.writes} writes elsewhere meanwhile, the slowest ${formatMs(Math.max(0, ...plan.writeMs))}); ` +
        `/health probes p99 ${formatMs(p99(during.health))} during (${during.health.length} answered), ${formatMs(p99(idle.health))} idle; probes unanswered so far ${failed.count}`,
    );
    return { idle, during, plan };
  } finally {
    proc.child.kill('SIGTERM');
  }
}

async function run(ctx: BenchContext): Promise<BenchResult> {
  // STALL_SIZE=region measures the region's term (800 sessions, 300 guides), the realistic size.
  const region = process.env.STALL_SIZE === 'region';
  const size = (
    region || !(MATCHING_SIZES as readonly string[]).includes('county') ? 'region' : 'county'
  ) as MatchingSize;
  // Where the county size is not there yet: the region's generator with the county's counts.
  const options = size === 'county' || region ? {} : ({ venues: 80, guides: 1200 } as Record<string, number>);
  const instance = generateInstance(size, 1, options);
  const { input } = instance;
  ctx.log(`stall: ${size}: ${input.sessions.length} sessions, ${input.guides.length} guides`);
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-stall-'));
  try {
    const file = join(dir, 'stall.sqlite');
    const world = await seed(ctx, file, input);
    const pool = await measure(ctx, file, world);
    const inline = await measure(ctx, file, world, '0');
    const what = region ? 'the region' : 'the county';
    const max = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
    const rows: BenchRow[] = [
      {
        case: 'GET /health, no plan running: p99 (ms)',
        value: p99(pool.idle.health),
        baseline: p99(inline.idle.health),
      },
      {
        case: `GET /health while ${what} is planned: p99 (ms)`,
        value: p99(pool.during.health),
        baseline: p99(inline.during.health),
      },
      {
        case: `GET /health while ${what} is planned: slowest (ms)`,
        value: max(pool.during.health),
        baseline: max(inline.during.health),
      },
      {
        case: 'GET /api/v1/auth/me, no plan running: p99 (ms)',
        value: p99(pool.idle.me),
        baseline: p99(inline.idle.me),
      },
      {
        case: `GET /api/v1/auth/me while ${what} is planned: p99 (ms)`,
        value: p99(pool.during.me),
        baseline: p99(inline.during.me),
      },
      {
        case: 'autocannon on GET /health while planned: p99 (ms)',
        value: pool.during.load.latency.p99,
        baseline: inline.during.load.latency.p99,
      },
      {
        case: 'a write elsewhere while planned: slowest (ms)',
        value: max(pool.plan.writeMs),
        baseline: max(inline.plan.writeMs),
      },
      { case: 'the plan: POST to its answer (ms)', value: pool.plan.ms, baseline: inline.plan.ms },
      { case: 'the plan: the engine alone (ms)', value: pool.plan.engineMs, baseline: inline.plan.engineMs },
    ];
    return {
      title: `Planning never stalls the service: a trivial route while ${what} is planned (${input.sessions.length} sessions, ${input.guides.length} guides)`,
      baseline: 'the same service with the engine on the request’s own thread (PLANNER_THREADS=0, as before the pool).',
      rows,
      notes: [
        `Probes: one GET /health and one GET /api/v1/auth/me (a coordinator's token) sent every ${PROBE_MS} ms whatever the answers before, with at most ${PROBES_WAITING} of each kind waiting (a stall counts in full for those waiting; ticks held back: ${failed.heldBack}), beside autocannon at ${CONNECTIONS} connections on /health (closed loop: a stall holds up only ${CONNECTIONS} requests, so its p99 hides it). "No plan running": ${IDLE_SECONDS} s; "while planned": from the plan's request to its answer (${pool.during.health.length} and ${inline.during.health.length} probes).`,
        `The plan covers the whole term (${world.from} to ${world.to}), timeLimitMs 30,000; it answered ${pool.plan.assignments} and ${inline.plan.assignments} assignments. The engine's input goes to its worker, and its answer comes back, as JSON text written and parsed in slices. Reading the term again, working out the plan's rows, checking its weeks and writing them are one transaction on a second sqlite connection, on the main thread (sqlite answers synchronously) in slices with requests answered in between; they read what was committed before it. Only its commit (a county's 8,080 rows) is one piece. The service's other writes wait for that transaction: the slowest write above. Its answer is sent in slices.`,
        `Probes without an answer (a connection reset): ${failed.count}.`,
        WRITE_MS
          ? `Meanwhile another municipality's coordinator changed a venue every ${WRITE_MS} ms (STALL_WRITE_MS), one write at a time: ${pool.plan.writes} and ${inline.plan.writes} writes while planned, ${writes.refused} refused.`
          : 'No writes elsewhere (STALL_WRITE_MS=0).',
        'The service, autocannon, the probes and the planner thread share the machine with whatever else runs; the goal is a p99 under 50 ms while planning.',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

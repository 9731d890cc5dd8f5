import { readdirSync, readFileSync } from 'node:fs';
import { generateInstance } from '../../scripts/bench/matching-instances';
import { PlannerBusyError, PlannerFailedError } from '../../src/domain/errors';
import { type EngineInput, plan } from '../../src/domain/matching';
import { packInput, packResult, unpackInput, unpackResult } from '../../src/lib/packed';
import { InlinePlanner, PlannerPool, type PlannerSettings } from '../../src/lib/planner';

/**
 * The planner's pool with real worker threads (TypeScript compiled in the worker, as under
 * ts-node): the engine unchanged, the event loop free while it plans, a bounded queue, and a
 * worker that dies answered and replaced.
 */
describe(PlannerPool.name, () => {
  const pools: PlannerPool[] = [];
  const pool = (o: Partial<PlannerSettings> = {}) => {
    const p = new PlannerPool({ threads: 1, queue: 0, memoryMb: 512, ...o });
    pools.push(p);
    return p;
  };
  afterAll(() => Promise.all(pools.map((p) => p.close())));

  const small = (): EngineInput => generateInstance('week', 1).input;
  /** About a second of search: long enough for the rest of the test to happen meanwhile. */
  const large = (): EngineInput => ({ ...generateInstance('region', 1).input, timeLimitMs: 20_000 });

  /** Polls until the condition holds: it can only hold if the event loop is free meanwhile. */
  async function until(what: string, condition: () => boolean, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`Still waiting for: ${what}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  it('plans in a worker thread exactly what the engine plans on the calling thread', async () => {
    const input = { ...generateInstance('term', 3).input, maxIterations: 20_000, timeLimitMs: 60_000 };
    const here = plan(input);
    const there = await pool().run(input);
    expect(there.assignments.length).toBeGreaterThan(50);
    expect({ ...there, elapsedMs: 0 }).toStrictEqual({ ...here, elapsedMs: 0 });
  });

  // A thread's nice value: field 19 of /proc/<pid>/task/<tid>/stat (after the name in brackets).
  const niceIn = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  // Linux only (elsewhere nice(2) is the whole process's), and not where this runs near nice's ceiling of 19.
  const niceable = process.platform === 'linux' && niceIn(readFileSync('/proc/self/stat', 'utf8')) <= 12;
  (niceable ? it : it.skip)(
    'plans at a lower CPU priority than the thread that answers requests (nice, on Linux)',
    async () => {
      // Each thread's nice value; threads that end meanwhile left out.
      const nices = () =>
        readdirSync('/proc/self/task').flatMap((tid) => {
          try {
            return [{ tid: Number(tid), nice: niceIn(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')) }];
          } catch {
            return [];
          }
        });
      const main = nices().find((t) => t.tid === process.pid)!.nice;
      expect(nices().map((t) => t.nice)).not.toContain(main + 7);
      await pool({ niceIncrement: 7 }).run(small());
      expect(nices().map((t) => t.nice)).toContain(main + 7);
    },
  );

  it('brings a long answer back as JSON slices, parsed one at a time with others let in between', async () => {
    const here = plan({ ...generateInstance('region', 1).input, maxIterations: 2_000, timeLimitMs: 60_000 });
    expect(here.assignments.length).toBeGreaterThan(1_000);
    const packed = await packResult(here);
    expect(packed.packed.assignments).toHaveLength(Math.ceil(here.assignments.length / 500));
    expect(packed.packed.assignments.every((slice) => typeof slice === 'string')).toBe(true);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const back = await unpackResult(packed);
    clearInterval(ticking);
    expect(back).toStrictEqual(here);
    // Timers ran while it was parsed: it gave way between its slices.
    expect(turns).toBeGreaterThan(0);
  });

  it('sends a long input as JSON slices, written one at a time with others let in between', async () => {
    const { now: _now, ...input } = generateInstance('region', 1).input;
    expect(input.sessions.length).toBeGreaterThan(500);
    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const packed = await packInput(input);
    clearInterval(ticking);
    expect(packed.packed.sessions).toHaveLength(Math.ceil(input.sessions.length / 500));
    expect(packed).not.toHaveProperty('sessions');
    expect(turns).toBeGreaterThan(0);
    expect(await unpackInput(packed)).toStrictEqual({ ...input, previous: input.previous ?? [] });
  });

  it('leaves the event loop free while it plans; the engine on the main thread (the bench’s baseline) does not', async () => {
    const p = pool();
    await p.run(small()); // the worker is up
    // The main thread goes on (it polls, a macrotask at a time) while the worker has the plan in hand.
    const pending = p.run(large());
    await until('the worker at work', () => p.working > 0);
    expect(p.running).toBe(1);
    await pending;
    expect(p.running).toBe(0);
    // On the main thread no macrotask runs from the call to the answer: the event loop was held.
    const inline = new InlinePlanner();
    let turned = false;
    setImmediate(() => (turned = true));
    await inline.run(large());
    expect(turned).toBe(false);
  });

  it('counts the stuck time from when a worker takes the plan up, not from when it was queued', async () => {
    // A plan that waits in the queue far longer than its own limit plus the stuck time is not ended.
    const p = pool({ threads: 1, queue: 1, stuckAfterMs: 1_000 });
    await p.run(small());
    const first = p.run({ ...large(), timeLimitMs: 4_000, maxIterations: Number.MAX_SAFE_INTEGER });
    await until('the first plan in the worker', () => p.working > 0);
    const queued = p.run({ ...small(), timeLimitMs: 100 });
    expect(p.running).toBe(2);
    await expect(first).resolves.toHaveProperty('assignments');
    await expect(queued).resolves.toHaveProperty('assignments');
  });

  it('answers planner_busy beyond its threads and its queue, and plans the others', async () => {
    const p = pool({ threads: 1, queue: 1 });
    await p.run(small());
    const runs = await Promise.allSettled([1, 2, 3, 4].map(() => p.run({ ...large(), timeLimitMs: 1_000 })));
    expect(runs.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    for (const r of runs) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(PlannerBusyError);
    expect(p.running).toBe(0);
    // Room again once they are done.
    await expect(p.run(small())).resolves.toHaveProperty('assignments');
  });

  it('answers planner_failed when its worker dies mid-plan, and plans the next one on a new worker', async () => {
    const p = pool();
    await p.run(small());
    const [worker] = p.threads;
    const dying = p.run(large());
    await until('the plan in the worker', () => p.working > 0);
    await worker.terminate();
    await expect(dying).rejects.toBeInstanceOf(PlannerFailedError);
    const next = await p.run(small());
    expect(next.assignments.length).toBeGreaterThan(0);
    expect(p.threads).not.toContain(worker);
  });

  it('ends its threads when closed', async () => {
    const p = pool();
    await p.run(small());
    expect(p.threads.length).toBe(1);
    await p.close();
    expect(p.threads.length).toBe(0);
  });
});

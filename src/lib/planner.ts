import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type * as piscina from 'piscina';
import { PlannerBusyError, PlannerFailedError } from '../domain/errors';
import { type EngineInput, type EngineResult, plan } from '../domain/matching';
import { packInput, type PackedInput, type PackedResult, unpackResult } from './packed';

/** Runs the matching engine; `running`: the plans being worked out or waiting now. */
export interface Planner {
  run(input: EngineInput): Promise<EngineResult>;
  readonly running: number;
  close(): Promise<void>;
}

export interface PlannerSettings {
  /** Worker threads that plan at once; 0 runs the engine on the main thread (for the bench's baseline only). */
  threads: number;
  /** Plans that may wait for a thread; one more answers 503 planner_busy. */
  queue: number;
  /** Each worker's heap limit: a plan that needs more ends that worker (503 planner_failed), not the service. */
  memoryMb: number;
  /**
   * A plan still going this long after its own time limit, counted from when a worker took it up
   * (not from when it was asked for: waiting in the queue does not count), is stuck and its worker
   * is ended. The engine checks its limit itself, so this only catches what should never happen.
   */
  stuckAfterMs?: number;
  /**
   * How much lower the workers' CPU priority is than the service's (nice(2); 0 for the same): a
   * plan is background work, and the thread that answers requests goes first whenever both want
   * the same core. Linux only by default: elsewhere nice(2) lowers the whole process.
   */
  niceIncrement?: number;
}

/** One CPU stays with the event loop, which keeps answering every other request while plans run. */
export const defaultPlannerThreads = () => Math.max(1, availableParallelism() - 1);

/** The planner's settings, the defaults where left out (PLANNER_* in src/config.ts). */
export const plannerSettings = (o: Partial<PlannerSettings> = {}): PlannerSettings => ({
  threads: defaultPlannerThreads(),
  queue: 4,
  memoryMb: 1024,
  ...o,
});

const STUCK_AFTER_MS = 60_000;
/** The workers' nice value above the service's: below it on a busy machine, still all of an idle core. */
const NICE_INCREMENT = process.platform === 'linux' ? 10 : 0;

/** What the pool hands a worker: the engine's input and a port on which the worker says it has begun. */
export interface PlannerTask {
  input: PackedInput;
  started: MessagePort;
}

/**
 * The matching engine off the event loop: a fixed number of worker threads, a bounded queue and a
 * heap limit per worker, so a few large plans at once can neither stall the service nor exhaust
 * its memory. A worker that dies (out of memory, stuck) answers 503 and is replaced.
 */
export class PlannerPool implements Planner {
  private made: piscina.Piscina<PlannerTask, PackedResult> | undefined;
  private inFlight = 0;
  private inWorker = 0;
  private readonly stuckAfterMs: number;
  /** Plans running and waiting at most: one more is refused at once. */
  private readonly capacity: number;

  constructor(private readonly settings: PlannerSettings) {
    this.capacity = settings.threads + settings.queue;
    this.stuckAfterMs = settings.stuckAfterMs ?? STUCK_AFTER_MS;
  }

  /** The pool, made at the first plan: loading piscina is a tenth of the service's start. */
  private get pool(): piscina.Piscina<PlannerTask, PackedResult> {
    if (!this.made) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Piscina } = require('piscina') as typeof piscina;
      // Built JS runs the compiled worker; under ts-node or jest (TypeScript) the worker compiles its own.
      const ext = extname(__filename);
      this.made = new Piscina<PlannerTask, PackedResult>({
        filename: join(__dirname, `planner.worker${ext}`),
        minThreads: 0,
        maxThreads: this.settings.threads,
        // The bound is kept above, by count: piscina's own maxQueue does not count tasks with an abort signal.
        maxQueue: this.settings.queue + this.settings.threads,
        idleTimeout: 60_000,
        // piscina sets it in each worker through @napi-rs/nice (a dependency of ours for that).
        niceIncrement: this.settings.niceIncrement ?? NICE_INCREMENT,
        resourceLimits: { maxOldGenerationSizeMb: this.settings.memoryMb },
        execArgv: ext === '.ts' ? ['--require', 'ts-node/register/transpile-only'] : undefined,
      });
    }
    return this.made;
  }

  get running(): number {
    return this.inFlight;
  }

  /** The plans a worker has taken up and is working on now (the others of `running` wait in the queue). */
  get working(): number {
    return this.inWorker;
  }

  /** The worker threads alive now (tests end one to see that the pool recovers). */
  get threads() {
    return this.made?.threads ?? [];
  }

  async run(input: EngineInput): Promise<EngineResult> {
    // A function cannot cross to another thread; the worker's engine has its own clock.
    if (this.inFlight >= this.capacity) throw new PlannerBusyError();
    const { now: _now, ...data } = input;
    // The stuck timer starts when a worker says it has begun, not now: a plan may wait in the queue.
    const abort = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    let begun = false;
    port1.once('message', () => {
      begun = true;
      this.inWorker++;
      timer = setTimeout(() => abort.abort(), (input.timeLimitMs ?? 3_000) + this.stuckAfterMs);
    });
    this.inFlight++;
    let packed: PackedResult;
    try {
      const task = { input: await packInput(data), started: port2 };
      packed = await this.pool.run(task, { signal: abort.signal, transferList: [port2] });
    } catch (err) {
      throw refusal(err) ?? err;
    } finally {
      clearTimeout(timer);
      port1.close();
      if (begun) this.inWorker--;
      this.inFlight--;
    }
    // The worker is free again while its answer is parsed here: the next plan may have it.
    return unpackResult(packed);
  }

  async close(): Promise<void> {
    await this.made?.close({ force: true });
  }
}

/** The pool's own failures as the API's; an error the engine threw stays what it is (a 500). */
function refusal(err: unknown): PlannerBusyError | PlannerFailedError | null {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  // piscina 5 says 'Task queue is at limit' or 'No task queue available and all Workers are busy'.
  if (typeof e?.message === 'string' && /^(Task queue is at limit|No task queue available)/.test(e.message))
    return new PlannerBusyError();
  if (e?.name === 'AbortError' || (typeof e?.code === 'string' && e.code.startsWith('ERR_WORKER_')))
    return Object.assign(new PlannerFailedError(), { cause: err });
  if (typeof e?.message === 'string' && /worker (exited|terminated|stopped)|Terminating worker thread/i.test(e.message))
    return Object.assign(new PlannerFailedError(), { cause: err });
  return null;
}

/** The engine on the calling thread, as before the pool: only the bench runs this, to measure the stall. */
export class InlinePlanner implements Planner {
  running = 0;
  async run(input: EngineInput): Promise<EngineResult> {
    this.running++;
    try {
      return await Promise.resolve(plan(input));
    } finally {
      this.running--;
    }
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const createPlanner = (settings: PlannerSettings): Planner =>
  settings.threads > 0 ? new PlannerPool(settings) : new InlinePlanner();

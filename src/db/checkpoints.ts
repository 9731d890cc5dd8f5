import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';

/** A checkpoint comes this long after the commit that asked for it, one for all the commits meanwhile. */
const DELAY_MS = 200;
/** Checkpoints that failed or found the lock taken, in a row, before the connections checkpoint by themselves again. */
const MAX_FAILURES = 20;

type Answer = { busy: number; log: number; checkpointed: number } | { error: string };

/**
 * sqlite's checkpoints (copying the `-wal` file's pages back into the database file, and syncing
 * it) in a thread of their own, on a connection of their own: by default sqlite runs one inside
 * the commit that takes the `-wal` file past 1,000 pages, on the thread that answers requests (a
 * county's plan: 13 MB, 40–80 ms in one piece here; an ordinary write: now and then some 30 ms).
 * The service's connections then set `wal_autocheckpoint = 0`, and `soon()` after a commit asks
 * the thread for a PASSIVE checkpoint, which waits for no reader and no writer, at most every
 * DELAY_MS. Should the thread end, or fail MAX_FAILURES times in a row, the connections
 * checkpoint by themselves again (`fallBack`).
 */
export class Checkpoints {
  private readonly worker: Worker;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private held = 0;
  private failures = 0;
  private waiting: (() => void)[] = [];
  /** Ended (closed, or failed): the connections checkpoint by themselves. */
  stopped = false;
  /** The last checkpoint that ran: frames in the `-wal` file, and how many of them are in the database file. */
  last: { log: number; checkpointed: number } | null = null;

  constructor(
    file: string,
    private readonly fallBack: () => void,
  ) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { file: resolve(file), driver: require.resolve('better-sqlite3') },
    });
    this.worker.on('message', (answer: Answer) => this.answered(answer));
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
    // A thread that checkpoints keeps no process alive (at exit sqlite checkpoints by itself). After
    // the listeners: a 'message' listener added later would hold the process again.
    this.worker.unref();
  }

  /** After a commit: a checkpoint within DELAY_MS. */
  soon(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, DELAY_MS);
    this.timer.unref();
  }

  /** The checkpoint asked for, now rather than after its delay, and done. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.run();
    }
    return this.settled();
  }

  /** Resolves when no checkpoint of this thread is running or asked for. */
  settled(): Promise<void> {
    if (!this.running || this.stopped) return Promise.resolve();
    return new Promise((done) => this.waiting.push(done));
  }

  /** Runs `work` with no checkpoint of this thread running or starting meanwhile (an erasure's own checkpoint). */
  async without<T>(work: () => Promise<T>): Promise<T> {
    this.held++;
    try {
      await this.settled();
      return await work();
    } finally {
      this.held--;
      if (!this.held && this.again) this.run();
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.worker.terminate();
  }

  private run(): void {
    if (this.stopped) return;
    if (this.running || this.held) {
      this.again = true;
      return;
    }
    this.running = true;
    this.again = false;
    this.worker.postMessage('checkpoint');
  }

  private answered(answer: Answer): void {
    this.running = false;
    if ('error' in answer || answer.busy) this.failures++;
    else this.failures = 0;
    if (!('error' in answer)) this.last = { log: answer.log, checkpointed: answer.checkpointed };
    if (this.failures >= MAX_FAILURES) return this.fail();
    if (this.again && !this.held) this.run();
    else for (const done of this.waiting.splice(0)) done();
  }

  private fail(): void {
    if (!this.stopped) {
      this.stopped = true;
      clearTimeout(this.timer);
      this.fallBack();
      void this.worker.terminate();
    }
    this.running = false;
    for (const done of this.waiting.splice(0)) done();
  }
}

/** The thread: plain JavaScript, so it runs the same built, bundled and under the tests. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.code || err) });
  }
});
`;

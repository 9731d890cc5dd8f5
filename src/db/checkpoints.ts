import { Worker } from 'node:worker_threads';

/**
 * sqlite's checkpoints (copying the `-wal` file's pages back into the database file, and syncing
 * it) in a thread of their own, on a connection of their own: by default sqlite runs one inside
 * the commit that takes the `-wal` file past 1,000 pages, on the thread that answers requests (a
 * county's plan: 13 MB, 40–80 ms in one piece here; an ordinary write: now and then some 30 ms).
 * The service's connections then set `wal_autocheckpoint = 0`, and `soon()` after a commit asks
 * the thread for a PASSIVE checkpoint, which waits for no reader and no writer. Should the thread
 * fail, the connections checkpoint by themselves again (`fallBack`).
 */
export class Checkpoints {
  private readonly worker: Worker;
  private running = false;
  private again = false;
  private waiting: (() => void)[] = [];
  private failed = false;
  /** The last checkpoint's answer: frames in the `-wal` file, and how many of them are in the database file. */
  last: { log: number; checkpointed: number } | null = null;

  constructor(
    file: string,
    private readonly fallBack: () => void,
  ) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3') },
    });
    // A thread that checkpoints keeps no process alive: at exit sqlite checkpoints by itself.
    this.worker.unref();
    this.worker.on('message', (answer: { log: number; checkpointed: number } | null) => {
      if (answer) this.last = answer;
      this.running = false;
      if (this.again) this.run();
      else for (const done of this.waiting.splice(0)) done();
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** After a commit: a checkpoint, now or right after the one running. */
  soon(): void {
    if (this.failed) return;
    if (this.running) this.again = true;
    else this.run();
  }

  /** Resolves when no checkpoint is running or asked for (the tests). */
  settled(): Promise<void> {
    if (!this.running || this.failed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    this.failed = true;
    await this.worker.terminate();
  }

  private run(): void {
    this.running = true;
    this.again = false;
    this.worker.postMessage('checkpoint');
  }

  private fail(): void {
    if (!this.failed) this.fallBack();
    this.failed = true;
    this.running = false;
    for (const done of this.waiting.splice(0)) done();
  }
}

/** The thread: plain JavaScript, so it runs the same built, bundled and under the tests. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', () => {
  let answer = null;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    answer = { log: row.log, checkpointed: row.checkpointed };
  } catch {
    // Busy or refused: the next commit asks again.
  }
  parentPort.postMessage(answer);
});
`;

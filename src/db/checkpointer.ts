import { Worker } from 'node:worker_threads';

/** What `PRAGMA wal_checkpoint` answers: busy 1 when it could not finish, the log's frames and those copied. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

/** A checkpoint after a commit waits this long at least after the one before: many commits, one checkpoint. */
const CHECKPOINT_EVERY_MS = 1000;
/**
 * ... or only until this many commits have been made since the one before: under heavy writes
 * (the load bench's sign-ups: 2,400 commits, 13,000 pages a second) a second's log would reach
 * the backstop before the thread's checkpoint.
 */
const CHECKPOINT_EVERY_COMMITS = 500;
/**
 * A checkpoint that found the log longer than this (pages; sqlite's own checkpoint size) is followed
 * by one that no write of this instance runs beside (`hold`), so the log starts again from its beginning.
 */
const RESTART_PAGES = 1000;
/** Checkpoints after commits that fail in a row before the thread is given up. */
const FAILURES_TO_GIVE_UP = 3;

/**
 * The worker's code, plain JavaScript (the same under ts-node and built): its own connection to
 * the file, and one checkpoint at a time, in the order asked. `{ id, mode }` asks for one and is
 * answered `{ id, result }` or `{ id, error }`.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', ({ id, mode }) => {
  try {
    const [result] = db.pragma('wal_checkpoint(' + (mode === 'TRUNCATE' ? 'TRUNCATE' : 'PASSIVE') + ')');
    parentPort.postMessage({ id, result });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message) });
  }
});
`;

/**
 * sqlite's checkpoint (copying the write-ahead log back into the database file) off the event
 * loop. Left to sqlite, the commit that fills the log past 1,000 pages checkpoints it on the
 * thread that answers requests: after a county's plan, some 35 ms with every request waiting. With
 * this, the service's connections checkpoint by themselves only past 10,000 pages (the store's
 * backstop): each commit says so here (`committed`), and a worker thread with its own connection
 * checkpoints a second after the one before, or sooner under heavy writes (`committed`).
 *
 * Those checkpoints run beside the writes, so under steady writes they never find the log wholly
 * copied, and sqlite starts it again from its beginning only then: the log would grow to the
 * backstop, and the commit that passes it would copy and flush 40 MB with every request waiting
 * (70 ms under the bench's sign-ups). So when a checkpoint found the log longer than 1,000 pages, a
 * second one follows at once that `hold` keeps every write of this instance from (the store's
 * queue): it copies only what was committed during the first, and the next commit starts the log
 * again. If the worker ends by itself, `onLost` gives the checkpoints back to sqlite.
 */
export class Checkpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(r: CheckpointResult): void; reject(e: Error): void }>();
  private nextId = 0;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  /** Commits since the last checkpoint began. */
  private commits = 0;
  /** Set while a checkpoint after commits (and the one held after it) runs: the next waits for it. */
  private running = false;
  /** Checkpoints after commits that failed in a row (not those a reader kept from finishing). */
  private failures = 0;
  private closing = false;
  private ended = false;
  /** Why the thread is being ended, when this side ends it. */
  private reason: string | undefined;

  /**
   * @param hold runs a checkpoint with no write of this instance beside it (after those queued
   *   before, and before those queued after).
   */
  constructor(
    file: string,
    onLost: (why: string) => void,
    private readonly hold: <T>(work: () => Promise<T>) => Promise<T> = (work) => work(),
  ) {
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: { file, driver: require.resolve('better-sqlite3') },
    });
    // Only a checkpoint asked for and not yet answered keeps the process alive (`checkpoint`).
    this.worker.unref();
    this.worker.on('message', ({ id, result, error }: { id: number; result?: CheckpointResult; error?: string }) => {
      const call = this.waiting.get(id);
      this.waiting.delete(id);
      if (!this.waiting.size) this.worker.unref();
      if (error === undefined) call?.resolve(result!);
      else call?.reject(new Error(error));
    });
    const lost = (why: string) => {
      if (this.ended) return;
      this.ended = true;
      clearTimeout(this.timer);
      for (const call of this.waiting.values()) call.reject(new Error(why));
      this.waiting.clear();
      if (!this.closing) onLost(this.reason ?? why);
    };
    this.worker.on('error', (err) => lost(err.message));
    this.worker.on('exit', (code) => lost(`the checkpoint thread ended (${code})`));
  }

  /**
   * A commit was made: a checkpoint follows a second after the one before, or once 500 commits
   * have been made since it began, whichever is first, and never beside another.
   */
  committed(): void {
    if (this.ended) return;
    this.commits++;
    this.schedule();
  }

  private schedule(): void {
    if (this.running || !this.commits || this.closing) return;
    const wait = this.commits >= CHECKPOINT_EVERY_COMMITS ? 0 : this.last + CHECKPOINT_EVERY_MS - Date.now();
    if (wait <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.afterCommits();
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      this.timer.unref();
    }
  }

  private async afterCommits(): Promise<void> {
    this.running = true;
    this.commits = 0;
    this.last = Date.now();
    try {
      const first = await this.checkpoint('PASSIVE');
      // Even when it says it copied all, that is all the log held when it began: the commits made
      // beside it keep the log from starting again (the held one is quick when nothing is left).
      if (first.log > RESTART_PAGES) await this.hold(() => this.checkpoint('PASSIVE'));
      this.failures = 0;
    } catch (err) {
      // One a reader kept from finishing is done again after the next commit. One that fails
      // (a full disk, an I/O error) may too; three in a row, and sqlite checkpoints by itself again.
      if (++this.failures >= FAILURES_TO_GIVE_UP && !this.ended) {
        this.reason = `${FAILURES_TO_GIVE_UP} checkpoints in a row failed: ${(err as Error).message}`;
        void this.worker.terminate();
      }
    } finally {
      this.running = false;
    }
    if (!this.ended) this.schedule();
  }

  /** One checkpoint on the worker's connection, after those asked before. */
  checkpoint(mode: CheckpointMode): Promise<CheckpointResult> {
    if (this.ended) return Promise.reject(new Error('the checkpoint thread has ended'));
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, mode });
    });
  }

  /** A last checkpoint of what was committed, then the thread ends. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.closing = true;
    clearTimeout(this.timer);
    await this.checkpoint('PASSIVE').catch(() => undefined);
    await this.worker.terminate();
  }
}

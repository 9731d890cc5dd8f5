import { randomBytes, randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager, LessThan, QueryFailedError } from 'typeorm';
import { ConflictError, StorageUnavailableError } from '../domain/errors';
import { StorageProbe } from './entities/job';

/**
 * The services' door to the database: one transaction per use case, so bad input or a
 * crash leaves nothing half-done. A unique index that catches a race (two clicks on
 * "register") becomes a ConflictError, not a 500.
 */
const noop = () => undefined;
/** How long `Store.stage`, in its turn, waits for a transaction still open (the hold's own) to end. */
const STAGE_WAIT_MS = 30_000;

export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a write failed for want of storage; cleared by the next probe write that succeeds. */
  private unwritable = false;
  /** This instance's row in `storage_probes`. */
  private readonly instance = randomUUID();
  /** sqlite: rows this connection changed in its temporary tables (`stage`), which no mark counts. */
  private stagedChanges = 0;
  /** sqlite: holds of the instance's writes under way (`holdingWrites`): the queue is theirs meanwhile. */
  private holding = 0;

  constructor(readonly dataSource: DataSource) {}

  /** False from a write that failed for want of storage until a write succeeds again. */
  get writable(): boolean {
    return !this.unwritable;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.guarded(() => this.run(work));
    // A transaction may commit without writing a page: only a real write says storage is back.
    if (!this.writable) await this.probe().catch(noop);
    return result;
  }

  /** A transaction's failures as the services know them (503 for want of storage, 409 for a race). */
  private async guarded<T>(transaction: () => Promise<T>): Promise<T> {
    try {
      return await transaction();
    } catch (err) {
      if (isStorageFailure(err)) throw this.refused(err);
      if (isUniqueViolation(err))
        throw new ConflictError('conflict', 'This would duplicate a record that already exists');
      // Someone else's change in the same moment (a sign-up for a session being removed): try again.
      if (isForeignKeyViolation(err))
        throw new ConflictError('conflict', 'Something this depends on changed at the same moment; try again');
      throw err;
    }
  }

  /**
   * Writes this instance's probe row and commits: proof that the database stores writes now.
   * Throws StorageUnavailableError when it does not; clears the unwritable state when it does.
   */
  async probe(): Promise<void> {
    const write = async (m: EntityManager) => {
      const room = randomBytes(32 * 1024).toString('hex');
      await m.save(StorageProbe, { instance: this.instance, writtenAt: new Date(), room });
      await m.update(StorageProbe, { instance: this.instance }, { room: null });
      // Every start is a new instance: rows of instances gone a week are let go (a live one writes its row again).
      await m.delete(StorageProbe, { writtenAt: LessThan(new Date(Date.now() - 7 * 86_400_000)) });
    };
    try {
      await this.run(write);
    } catch (err) {
      throw isStorageFailure(err) ? this.refused(err) : err;
    }
    this.unwritable = false;
  }

  /** One transaction, on the database in use. */
  private run<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.isPostgres ? this.dataSource.transaction(work) : this.queued(work);
  }

  /** A write the storage refused: remembered until a probe write succeeds, answered as 503. */
  private refused(err: unknown): StorageUnavailableError {
    this.unwritable = true;
    return new StorageUnavailableError(err);
  }

  /**
   * After an erasure: the old pages leave the write-ahead log too. sqlite keeps a page's earlier
   * versions in the `-wal` file until a checkpoint; this one copies them back and empties it.
   * (PostgreSQL's own files are the server's: VACUUM there is an operator's job.)
   */
  async forgetOldVersions(): Promise<boolean> {
    if (this.isPostgres) return true;
    const run = this.enqueue(() =>
      this.dataSource.query<{ busy: number; log: number; checkpointed: number }[]>('PRAGMA wal_checkpoint(TRUNCATE)'),
    );
    // Called after a commit: the change is stored whatever this says. False: a reader held old
    // pages (a backup running), so they stay in the -wal file until the next checkpoint.
    const [result] = await run.catch(() => [{ busy: 1, log: -1, checkpointed: 0 }]);
    return result.busy === 0;
  }

  /**
   * sqlite: TypeORM shares one connection, so two interleaved transactions would nest (the
   * second becomes a savepoint of the first). sqlite has one writer anyway: queue them.
   */
  private queued<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => this.sqliteTransaction(work));
  }

  /** sqlite: `next` after every write queued before it. */
  private enqueue<T>(next: () => Promise<T>): Promise<T> {
    const run = this.queue.then(next);
    this.queue = run.then(noop, noop);
    return run;
  }

  /** sqlite: one transaction, the connection left with none open whatever happened. */
  private async sqliteTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.settleSqlite();
    }
  }

  /**
   * After every sqlite transaction, the connection must hold none. TypeORM 1.1.1's query runner
   * keeps its own count of open transactions and lowers it only after its ROLLBACK succeeds. On
   * SQLITE_FULL (and some I/O errors) sqlite has already rolled back by itself, so TypeORM's
   * ROLLBACK fails with "no transaction is active" and its count stays at 1: every later
   * transaction then runs as a SAVEPOINT, and after the next refused write a ROLLBACK TO leaves
   * one open for good. Writes are then answered as stored but only this connection sees them,
   * and a restart loses them. So: ask sqlite whether a transaction is open, roll it back if so,
   * and reset TypeORM's count. (Reported upstream with a reproduction; see docs/running.md.)
   */
  private settleSqlite(): void {
    const driver = this.dataSource.driver as unknown as SqliteDriverInternals;
    const db = driver.databaseConnection;
    const runner = driver.queryRunner;
    if (!db.inTransaction && (!runner || (!runner.isTransactionActive && runner.transactionDepth === 0))) return;
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // Ended meanwhile, or the connection is gone: the request's own error is the one to answer.
    } finally {
      if (runner) {
        runner.isTransactionActive = false;
        runner.transactionDepth = 0;
      }
    }
  }

  /**
   * sqlite: a mark of everything written to the database so far. Any write after it, by this
   * process (committed or rolled back) or by another (committed), gives another mark, so work
   * read after a mark still holds if the mark is the same later. Null on PostgreSQL, and while
   * a transaction is open here (a read then may see writes that are rolled back after).
   */
  writeMark(): string | null {
    if (this.isPostgres) return null;
    const db = (this.dataSource.driver as unknown as SqliteDriverInternals).databaseConnection;
    if (db.inTransaction) return null;
    return this.currentMark();
  }

  /**
   * sqlite: runs `work` with this instance's other transactions held back (they queue behind it,
   * as behind a transaction) while requests that only read go on; `work` gets the one transaction
   * it may open meanwhile. So a mark taken in `work` stays the same unless this process writes
   * outside a transaction or another process writes. On PostgreSQL, `work` with a transaction as usual.
   */
  holdingWrites<T>(
    work: (transaction: <U>(inside: (m: EntityManager) => Promise<U>) => Promise<U>) => Promise<T>,
  ): Promise<T> {
    if (this.isPostgres) return work((inside) => this.transaction(inside));
    return this.enqueue(async () => {
      this.holding++;
      try {
        return await work((inside) => this.guarded(() => this.sqliteTransaction(inside)));
      } finally {
        this.holding--;
      }
    });
  }

  /** True when nothing was written since `writeMark()` gave `mark` (false on PostgreSQL). Call it inside a transaction before its first write. */
  unwrittenSince(mark: string | null): boolean {
    return mark !== null && !this.isPostgres && this.currentMark() === mark;
  }

  private currentMark(): string {
    const db = (this.dataSource.driver as unknown as SqliteDriverInternals).databaseConnection;
    const changes = db.prepare('SELECT total_changes() AS n').get() as { n: number };
    // Rows staged in this connection's temporary tables are nobody else's: they move no mark.
    return `${changes.n - this.stagedChanges} ${String(db.pragma('data_version', { simple: true }))}`;
  }

  /**
   * sqlite: runs a statement on a temporary table of this connection (`temp.…`, which no other
   * request reads), outside any transaction: it takes its turn among the instance's writes, as a
   * transaction does (in a hold of the writes, `holdingWrites`, at once, after the hold's own
   * transaction if one is open), so it never runs inside another request's transaction, which
   * may yet roll back, and a stream of writes cannot keep it waiting. Rows staged so are copied into the database later in one
   * statement, by a transaction that then holds every request for that statement only, not for
   * the work of binding thousands of rows. They move no mark (`writeMark`). Not on PostgreSQL,
   * where a transaction's statements do not hold the service's one thread.
   */
  async stage(sql: string, params: readonly unknown[] = []): Promise<void> {
    if (this.isPostgres) throw new Error('Store.stage is for sqlite');
    // Only tables of its own kind: a temporary `venues` would hide the database's for this connection.
    if (!/^(INSERT INTO|DELETE FROM|CREATE TEMP TABLE|DROP TABLE IF EXISTS) temp\.staged_\w+(\s|$)/.test(sql))
      throw new Error('Store.stage writes temporary tables only (temp.staged_…)');
    const db = (this.dataSource.driver as unknown as SqliteDriverInternals).databaseConnection;
    const run = async () => {
      // Only the hold's own transaction (or a misuse: a call inside the caller's own) can be open now.
      const until = Date.now() + STAGE_WAIT_MS;
      while (db.inTransaction) {
        if (Date.now() > until) throw new Error('Store.stage: a transaction stayed open; call it outside one');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const values = params.map((v) => (typeof v === 'boolean' ? Number(v) : v));
      try {
        this.stagedChanges += db.prepare(sql).run(...values).changes;
      } catch (err) {
        // As a transaction's: the temporary database full or gone is the storage's failure (503).
        throw isStorageFailure(err) ? this.refused(err) : err;
      }
    };
    return this.holding ? run() : this.enqueue(run);
  }

  /** A use case's transaction, or with `rehearse` the same work rolled back (a preview). */
  write<T>(rehearse: boolean, work: (m: EntityManager) => Promise<T>): Promise<T> {
    return rehearse ? this.rehearse(work) : this.transaction(work);
  }

  /**
   * Runs a use case's transaction and rolls it back: the answer says what it would do, and
   * nothing is stored. A preview made this way can never differ from the change itself.
   */
  async rehearse<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    try {
      await this.transaction(async (m) => {
        result = { value: await work(m) };
        throw new Rehearsal('rolled back on purpose');
      });
    } catch (err) {
      if (!(err instanceof Rehearsal)) throw err;
    }
    return result!.value;
  }
}

/** What TypeORM's better-sqlite3 driver keeps and does not type: the connection and its one query runner. */
interface SqliteDriverInternals {
  databaseConnection: {
    inTransaction: boolean;
    exec(sql: string): unknown;
    prepare(sql: string): { get(): unknown; run(...params: unknown[]): { changes: number } };
    pragma(sql: string, options: { simple: true }): unknown;
  };
  queryRunner?: { isTransactionActive: boolean; transactionDepth: number };
}

/** Thrown inside a rehearsal's transaction to roll it back. */
class Rehearsal extends Error {}

function driverCode(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const e = err as QueryFailedError & { code?: string; driverError?: { code?: string } };
  return e.driverError?.code ?? e.code;
}

export function isUniqueViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const code = driverCode(err);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** sqlite's result codes, and PostgreSQL's SQLSTATE classes, that mean "not stored for want of storage". */
const SQLITE_STORAGE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|NOMEM|BUSY|LOCKED|CORRUPT|NOTADB)/;
const PG_STORAGE = /^(08|53|58|57P0|25006)/;
const NET_STORAGE = new Set([
  ...['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'],
  ...['EACCES', 'EPERM', 'EROFS', 'ENOSPC'],
]);

/** A write refused by the storage (disk full, read-only, I/O error, connection lost), not by the data. */
export function isStorageFailure(err: unknown): boolean {
  const code = driverCode(err) ?? (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // node-postgres ends a lost connection's queries with plain Errors.
    return (
      err instanceof Error &&
      /Connection terminated|connection timeout|Client has encountered a connection error/i.test(err.message)
    );
  }
  return SQLITE_STORAGE.test(code) || PG_STORAGE.test(code) || NET_STORAGE.has(code);
}

import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, LessThan, QueryFailedError } from 'typeorm';
import { ConflictError, StorageUnavailableError } from '../domain/errors';
import { Checkpointer, type CheckpointResult } from './checkpointer';
import { StorageProbe } from './entities/job';

/**
 * The services' door to the database: one transaction per use case, so bad input or a
 * crash leaves nothing half-done. A unique index that catches a race (two clicks on
 * "register") becomes a ConflictError, not a 500.
 */
const noop = () => undefined;
/** sqlite connections opened apart from the service's own (`Store.transactionApart`): their transactions may give way. */
const apartConnections = new WeakSet<DataSource>();
/**
 * The connection apart keeps at most this much in its page cache (KiB): past it, a long
 * transaction's changed pages go to the write-ahead log between its statements, not all at its
 * commit (a county's plan: 6 MB, 50 ms, at once with better-sqlite3's 16 MB cache).
 */
const APART_CACHE_KIB = 1024;
/** sqlite's own checkpoint when the log passes this many pages (its default), given back if the thread apart ends. */
const AUTOCHECKPOINT_PAGES = 1000;
/**
 * While the thread apart checkpoints, a commit still checkpoints by itself past this many pages
 * (40 MB of 4 KB pages): a backstop, should that thread fall behind. Under steady writes its
 * checkpoints, which run beside them, never find the log wholly copied, so sqlite would never
 * start the log again from its beginning (the week view's audit rows grew it to 770 MB in 14 s);
 * the thread's second checkpoint, which the writes wait for (`Checkpointer`), does that now.
 */
const BACKSTOP_PAGES = 10_000;

/**
 * True when others may go in between this manager's statements: always on PostgreSQL; on sqlite
 * outside a transaction, or in a transaction on a connection apart (`Store.transactionApart`),
 * whose writes nobody else reads until it commits. Inside a transaction of the service's own
 * connection, a request let in would read on it what is not committed.
 */
export function mayGiveWay(m: EntityManager): boolean {
  return (
    m.connection.options.type === 'postgres' ||
    !m.queryRunner?.isTransactionActive ||
    apartConnections.has(m.connection)
  );
}

export class Store {
  private queue: Promise<unknown> = Promise.resolve();
  /** Set when a write failed for want of storage; cleared by the next probe write that succeeds. */
  private unwritable = false;
  /** This instance's row in `storage_probes`. */
  private readonly instance = randomUUID();
  /** sqlite: the connection apart (`transactionApart`), opened at its first use. */
  private apart?: Promise<DataSource>;
  /** sqlite: checkpoints on a thread of their own (`checkpointApart`), while it runs. */
  private checkpointer?: Checkpointer;
  /** sqlite: its start (`checkpointApart`), once asked for. */
  private checkpointing?: Promise<boolean>;
  /** sqlite: the log's size in pages at which a commit checkpoints by itself (0: never, the thread does). */
  private autocheckpointPages = AUTOCHECKPOINT_PAGES;
  /** Set by `close`: nothing new is started after it. */
  private closed = false;

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
    const run = this.enqueue(async () => {
      // With checkpoints on their own thread, this one goes there too: one at a time. If that
      // thread fails it (it ended, or its connection did), it is done here.
      const there = await this.checkpointer?.checkpoint('TRUNCATE').catch(noop);
      if (there) return there;
      const [result] = await this.dataSource.query<CheckpointResult[]>('PRAGMA wal_checkpoint(TRUNCATE)');
      return result;
    });
    // Called after a commit: the change is stored whatever this says. False: a reader held old
    // pages (a backup running), so they stay in the -wal file until the next checkpoint.
    const result = await run.catch(() => ({ busy: 1 }));
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
  private async sqliteTransaction<T>(
    work: (m: EntityManager) => Promise<T>,
    on: DataSource = this.dataSource,
  ): Promise<T> {
    try {
      return await on.transaction(work);
    } finally {
      settleSqlite(on);
      this.checkpointer?.committed();
    }
  }

  /**
   * A long transaction (a county's plan) that does not hold the service while it runs. On sqlite
   * it runs on a second connection to the same file, opened at its first use, and its statements
   * may give way to other requests (`mayGiveWay`, `pace`): they read on the service's own
   * connection what was committed before it (WAL), and this instance's other transactions wait
   * their turn behind it, as behind any. It takes sqlite's write lock at its start, so what it
   * reads stays what is stored until it commits: another process's write waits for it (up to the
   * busy timeout), and cannot make its first write fail late. On PostgreSQL (and a sqlite
   * database not in WAL mode, or in memory, which a second connection would not share) it is an
   * ordinary transaction.
   */
  async transactionApart<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.transaction(work);
    const result = await this.guarded(() =>
      this.enqueue(async () => {
        const on = await this.apartConnection();
        if (on === this.dataSource) return this.sqliteTransaction(work);
        return this.sqliteTransaction(async (m) => {
          // A write that changes nothing takes the write lock now, as BEGIN IMMEDIATE would.
          await m.query('UPDATE storage_probes SET room = room WHERE 0');
          return work(m);
        }, on);
      }),
    );
    if (!this.writable) await this.probe().catch(noop);
    return result;
  }

  /** The second connection, or the service's own one where a second would not read what it committed. */
  private async apartConnection(): Promise<DataSource> {
    // Without WAL, a writer's lock would keep the service's own connection from reading meanwhile.
    if (!(await this.walFile())) return this.dataSource;
    this.apart ??= (async () => {
      const apart = new DataSource({ ...this.dataSource.options, migrations: [], migrationsRun: false });
      await apart.initialize();
      await apart.query(`PRAGMA cache_size = -${APART_CACHE_KIB}`);
      await apart.query(`PRAGMA wal_autocheckpoint = ${this.autocheckpointPages}`);
      apartConnections.add(apart);
      return apart;
    })();
    // A failed opening is tried again at the next use.
    return this.apart.catch((err: unknown) => {
      this.apart = undefined;
      throw err;
    });
  }

  /**
   * sqlite in WAL mode: from now on the write-ahead log is copied back into the database file on
   * a thread of its own (`Checkpointer`), not by the commit that fills it, on the thread that
   * answers requests. The service does this at its start; `onLost` hears if that thread ends by
   * itself (sqlite then checkpoints as before). False where there is nothing to do (PostgreSQL,
   * in memory, not WAL).
   */
  checkpointApart(onLost: (why: string) => void = noop): Promise<boolean> {
    return (this.checkpointing ??= this.startCheckpointer(onLost));
  }

  private async startCheckpointer(onLost: (why: string) => void): Promise<boolean> {
    const file = await this.walFile();
    if (!file || this.closed) return false;
    const checkpointer = new Checkpointer(
      file,
      (why) => {
        if (this.checkpointer === checkpointer) this.checkpointer = undefined;
        void this.autocheckpoint(AUTOCHECKPOINT_PAGES)
          .catch(noop)
          .then(() => onLost(why));
      },
      (work) => this.enqueue(work),
    );
    this.checkpointer = checkpointer;
    await this.autocheckpoint(BACKSTOP_PAGES);
    // Lost already (it could not open the file): sqlite keeps checkpointing by itself.
    if (this.checkpointer !== checkpointer) await this.autocheckpoint(AUTOCHECKPOINT_PAGES);
    return this.checkpointer === checkpointer;
  }

  /** The sqlite file, when it is a file in WAL mode (a second connection, or thread, can share it); else undefined. */
  private async walFile(): Promise<string | undefined> {
    const options = this.dataSource.options;
    if (options.type !== 'better-sqlite3' || options.database === ':memory:') return undefined;
    const [mode] = await this.dataSource.query<{ journal_mode: string }[]>('PRAGMA journal_mode');
    return mode?.journal_mode === 'wal' ? String(options.database) : undefined;
  }

  /** When a commit checkpoints by itself, on the service's connection and the one apart. */
  private async autocheckpoint(pages: number): Promise<void> {
    this.autocheckpointPages = pages;
    const apart = await this.apart?.catch(noop);
    for (const on of apart && apart !== this.dataSource ? [this.dataSource, apart] : [this.dataSource])
      if (on.isInitialized) await on.query(`PRAGMA wal_autocheckpoint = ${pages}`);
  }

  /**
   * Closes the connection apart, if one was opened, after the writes queued before, then the
   * checkpoints' thread after a last checkpoint (at shutdown, before the DataSource's own).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.enqueue(async () => {
      const apart = await this.apart?.catch(noop);
      this.apart = undefined;
      if (apart && apart !== this.dataSource && apart.isInitialized) await apart.destroy();
    }).catch(noop);
    await this.checkpointing?.catch(noop);
    const checkpointer = this.checkpointer;
    this.checkpointer = undefined;
    await checkpointer?.close();
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
function settleSqlite(on: DataSource): void {
  const driver = on.driver as unknown as SqliteDriverInternals;
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

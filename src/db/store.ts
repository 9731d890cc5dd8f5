import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { ConflictError } from '../domain/errors';

/**
 * The services' door to the database: one transaction per use case, so bad input or a
 * crash leaves nothing half-done. A unique index that catches a race (two clicks on
 * "register") becomes a ConflictError, not a 500.
 */
const noop = () => undefined;

export class Store {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    try {
      if (this.isPostgres) return await this.dataSource.transaction(work);
      // sqlite: TypeORM shares one connection, so two interleaved transactions would nest
      // (the second becomes a savepoint of the first). sqlite has one writer anyway: queue them.
      const run = this.queue.then(() => this.dataSource.transaction(work));
      this.queue = run.then(noop, noop);
      return await run;
    } catch (err) {
      if (isUniqueViolation(err))
        throw new ConflictError('conflict', 'This would duplicate a record that already exists');
      // Someone else's change in the same moment (a sign-up for a session being removed): try again.
      if (isForeignKeyViolation(err))
        throw new ConflictError('conflict', 'Something this depends on changed at the same moment; try again');
      throw err;
    }
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

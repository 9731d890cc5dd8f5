import type { DataSource, Logger } from 'typeorm';

export interface StatementCount {
  /** The statements run since counting began (transaction statements too: BEGIN, COMMIT …), in order. */
  readonly statements: readonly string[];
  /** Stops counting: the data source's own logger is back. */
  stop(): void;
}

/**
 * Counts the SQL statements a data source runs, from now until `stop()`: for tests and benchmarks
 * that hold a route to its number of statements. Off, nothing is installed and nothing is paid:
 * TypeORM's query runners ask `dataSource.logger` at every statement, and it is the data source's
 * own logger until this puts a counting one in its place.
 */
export function countStatements(dataSource: DataSource): StatementCount {
  const own = dataSource.logger;
  const statements: string[] = [];
  const counting: Logger = {
    logQuery: (query, parameters, runner) => {
      statements.push(query);
      own.logQuery(query, parameters, runner);
    },
    logQueryError: (error, query, parameters, runner) => {
      own.logQueryError(error, query, parameters, runner);
    },
    logQuerySlow: (time, query, parameters, runner) => {
      own.logQuerySlow(time, query, parameters, runner);
    },
    logSchemaBuild: (message, runner) => {
      own.logSchemaBuild(message, runner);
    },
    logMigration: (message, runner) => {
      own.logMigration(message, runner);
    },
    log: (level, message, runner) => {
      own.log(level, message, runner);
    },
  };
  const source = dataSource as { logger: Logger };
  source.logger = counting;
  return {
    statements,
    stop: () => {
      if (source.logger === counting) source.logger = own;
    },
  };
}

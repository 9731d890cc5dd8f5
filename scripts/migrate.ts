/**
 * `npm run migrate`: apply pending migrations and exit. For production with MIGRATIONS_RUN=false,
 * where one step migrates before several instances start.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/data-source';

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDatabase({ sqlitePath: config.SQLITE_PATH, databaseUrl: config.DATABASE_URL }, false);
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'The database is up to date.');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

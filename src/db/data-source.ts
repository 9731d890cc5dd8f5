import { DataSource, type DataSourceOptions } from 'typeorm';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { entities } from './entities';
import { migrations } from './migrations';
import { SnakeNamingStrategy } from './naming';

export interface DatabaseSettings {
  sqlitePath: string;
  databaseUrl?: string;
}

/** sqlite file by default; PostgreSQL when a URL is given. The schema comes from migrations only. */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  const common = {
    entities,
    migrations,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
  } as const;
  if (settings.databaseUrl) {
    return { ...common, type: 'postgres', url: settings.databaseUrl };
  }
  if (settings.sqlitePath !== ':memory:') mkdirSync(dirname(settings.sqlitePath), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: settings.sqlitePath,
    // WAL lets readers go on while one writer writes; foreign keys are off by default in sqlite.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      // Deleted and overwritten data is zeroed in the file, not left in free space (an erased senior's name).
      db.pragma('secure_delete = ON');
    },
  };
}

export async function openDatabase(settings: DatabaseSettings, runMigrations = true): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(settings));
  await ds.initialize();
  if (runMigrations) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

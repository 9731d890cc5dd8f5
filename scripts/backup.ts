/**
 * `npm run backup -- [file]`: a consistent copy of the live sqlite database, taken while the
 * service runs (SQLite's online backup), checked, then moved into place. Without a file name:
 * backups/bryggan-<UTC time>.sqlite in the installation. PostgreSQL is backed up with pg_dump.
 */
import { join, resolve } from 'node:path';
import { INSTALLATION_DIR, loadConfig } from '../src/config';
import { backupSqlite } from '../src/db/backup';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL) {
    console.error('DATABASE_URL is set: back PostgreSQL up with pg_dump (see docs/running.md).');
    process.exit(2);
  }
  const stamp = new Date().toISOString().slice(0, 16).replace(/:/g, '');
  const target = resolve(process.argv[2] ?? join(INSTALLATION_DIR, 'backups', `bryggan-${stamp}.sqlite`));
  const { bytes } = await backupSqlite(config.SQLITE_PATH, target);
  console.log(`Backed up ${config.SQLITE_PATH} to ${target} (${Math.round(bytes / 1024)} KiB, integrity checked).`);
}

main().catch((err: unknown) => {
  console.error(`The backup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

import Database from 'better-sqlite3';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A copy of a live sqlite database through SQLite's online backup API: consistent while the
 * service keeps writing (WAL: the service's writes go on while the copy reads a snapshot),
 * written beside the target and renamed into place only once it has passed an integrity check.
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number; bytes: number }> {
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step, under one read lock: a copy made in small steps starts over whenever
    // the service writes in between, and under steady writes would never finish.
    const { totalPages } = await db.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial);
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
      // One file, not a file and its write-ahead log: a backup is copied and moved on its own.
      copy.pragma('journal_mode = DELETE');
      const bytes =
        (copy.pragma('page_count', { simple: true }) as number) *
        (copy.pragma('page_size', { simple: true }) as number);
      copy.close();
      renameSync(partial, target);
      return { pages: totalPages, bytes };
    } catch (err) {
      copy.close();
      rmSync(partial, { force: true });
      throw err;
    }
  } finally {
    db.close();
  }
}

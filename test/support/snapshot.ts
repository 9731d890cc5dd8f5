import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export type Snapshot = Record<string, { rows: number; digest: string }>;

/**
 * Per table: its row count and a digest of its rows (so an UPDATE that slips through shows too),
 * to prove a refused request wrote nothing. The bookkeeping a refused request may touch is left
 * out: a token's last-used time (it says the token was shown, not that anything asked for
 * happened), and a refused login's count and audit entries (recording it is the point).
 */
export async function snapshot(dataSource: DataSource): Promise<Snapshot> {
  // Read before the snapshot is taken: a write after this changes the next mark, whatever the
  // snapshot then saw.
  const mark = await writeMark(dataSource);
  const last = latest.get(dataSource);
  if (last?.mark === mark) return last.snapshot;
  const taken = await takeSnapshot(dataSource);
  // Handed out again and again: nobody may change it.
  for (const table of Object.values(taken)) Object.freeze(table);
  latest.set(dataSource, { mark, snapshot: Object.freeze(taken) });
  return taken;
}

/** The last snapshot taken of each database, and its database's write mark just before. */
const latest = new WeakMap<DataSource, { mark: string; snapshot: Snapshot }>();

/**
 * A mark that changes with every write to the database, cheap beside a snapshot (the sweeps of bad
 * input take two for each of thousands of requests): where it has not changed since the last
 * snapshot, that one still holds. It may change without a change to the rows (a rolled-back
 * write, the bookkeeping left out), and then a snapshot is taken as before.
 * - PostgreSQL: each table's rows' places and the transactions that wrote them (`ctid`, `xmin`),
 *   as a digest: an INSERT or UPDATE leaves a row version of its own, a DELETE takes one away,
 *   whether or not the writing transaction is newer than the rows already there.
 * - sqlite: the rows that statements on the service's one connection changed since it opened
 *   (`total_changes()`, rolled back or not), and `data_version`, which changes when another
 *   connection (the store's connection apart) commits.
 */
async function writeMark(dataSource: DataSource): Promise<string> {
  if (dataSource.options.type === 'postgres') {
    const rows: { x: string | null }[] = await dataSource.query(
      tablesOf(dataSource)
        .map(({ name }) => `SELECT md5(string_agg(ctid::text || xmin::text, ',' ORDER BY ctid)) AS x FROM "${name}"`)
        .join(' UNION ALL '),
    );
    return rows.map((r) => r.x ?? '').join(' ');
  }
  const [changes] = await dataSource.query<{ c: number }[]>('SELECT total_changes() AS c');
  const [version] = await dataSource.query<{ data_version: number }[]>('PRAGMA data_version');
  return `${changes.c}:${version.data_version}`;
}

/** The tables a snapshot covers, with the bookkeeping rows it leaves out. */
function tablesOf(dataSource: DataSource): { name: string; where: string }[] {
  return dataSource.entityMetadatas
    .map(({ tableName: name }) => ({
      name,
      where: name === 'audit_log' ? ` WHERE action NOT LIKE 'login.%'` : '',
    }))
    .filter(({ name }) => name !== 'login_delays');
}

async function takeSnapshot(dataSource: DataSource): Promise<Snapshot> {
  const tables = tablesOf(dataSource);
  const out: Snapshot = {};
  if (dataSource.options.type === 'postgres') {
    // The same, worked out by the server in one statement: a refused request is checked with two
    // round trips, not two for each table (the sweep of bad input sends thousands).
    const rows: { name: string; rows: number; digest: string | null }[] = await dataSource.query(
      tables
        .map(
          ({ name, where }) =>
            `SELECT '${name}' AS name, count(*)::int AS rows,
              md5(string_agg((to_jsonb(x) - 'last_used_at')::text, E'\\n' ORDER BY (to_jsonb(x) - 'last_used_at')::text)) AS digest
             FROM "${name}" x${where}`,
        )
        .join(' UNION ALL '),
    );
    for (const r of rows) out[r.name] = { rows: r.rows, digest: r.digest ?? '' };
    return out;
  }
  for (const { name, where } of tables) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM "${name}"${where}`);
    const digest = createHash('sha1')
      .update(
        rows
          .map(({ last_used_at: _ignored, ...r }) => JSON.stringify(r))
          .sort()
          .join('\n'),
      )
      .digest('hex');
    out[name] = { rows: rows.length, digest };
  }
  return out;
}

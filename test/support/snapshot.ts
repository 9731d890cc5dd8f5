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
  const tables = dataSource.entityMetadatas
    .map(({ tableName: name }) => ({
      name,
      where: name === 'audit_log' ? ` WHERE action NOT LIKE 'login.%'` : '',
    }))
    .filter(({ name }) => name !== 'login_delays');
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

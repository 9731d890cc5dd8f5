import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export type Snapshot = Record<string, { rows: number; digest: string }>;

/**
 * Per table: its row count and a digest of its rows (so an UPDATE that slips through shows too),
 * to prove a refused request wrote nothing. A token's last-used time is the one bookkeeping a
 * refused request may touch: it says the token was shown, not that anything asked for happened.
 */
export async function snapshot(dataSource: DataSource): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const { tableName: name } of dataSource.entityMetadatas) {
    const rows: Record<string, unknown>[] = await dataSource.query(`SELECT * FROM "${name}"`);
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

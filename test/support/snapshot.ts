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
  const out: Snapshot = {};
  for (const { tableName: name } of dataSource.entityMetadatas) {
    if (name === 'login_delays') continue;
    const where = name === 'audit_log' ? ` WHERE action NOT LIKE 'login.%'` : '';
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

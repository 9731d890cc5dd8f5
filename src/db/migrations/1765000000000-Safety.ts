import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './columns';

/**
 * Data safety: a row per running instance that it writes to prove the database takes writes
 * (at start, and in /health after a write failed); `room` holds 64 KB for the moment of the probe,
 * so a disk with room for a few bytes only is not taken for a working one. A guide's worked time
 * outside the café's time and its margin needs a coordinator's approval, kept with the shift.
 */
export class Safety1765000000000 implements MigrationInterface {
  name = 'Safety1765000000000';

  async up(q: QueryRunner): Promise<void> {
    const { str, at, ref } = columnsFor(q);
    await q.addColumn('guide_shifts', new TableColumn(ref('approved_by', true)));
    await q.createTable(
      new Table({
        name: 'storage_probes',
        columns: [
          { ...str('instance', 40), isPrimary: true },
          at('written_at'),
          { name: 'room', type: 'text', isNullable: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('storage_probes');
    await q.dropColumn('guide_shifts', 'approved_by');
  }
}

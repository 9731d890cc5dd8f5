import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * What a municipality wants when a change keeps a guide from a published café: 'ask' (the
 * coordinator chooses, with ranked substitutes ready; the default) or 'release' (the guide is
 * taken off and substitutes are asked at once, as after a decline).
 */
export class ConflictPolicy1765900000000 implements MigrationInterface {
  name = 'ConflictPolicy1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(
      'organisations',
      new TableColumn({ name: 'conflict_policy', type: 'varchar', length: '10', default: "'ask'" }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('organisations', 'conflict_policy');
  }
}

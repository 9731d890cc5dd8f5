import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * A café (a series, and each of its sessions) is run by one contractor association, so a
 * contract's report counts that association's cafés only. Empty where the municipality has one
 * association under contract: the café is then that association's.
 */
export class CafeAssociation1765300000000 implements MigrationInterface {
  name = 'CafeAssociation1765300000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['session_series', 'sessions'])
      await q.addColumn(
        table,
        new TableColumn({ name: 'association_id', type: 'varchar', length: '36', isNullable: true }),
      );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'session_series']) await q.dropColumn(table, 'association_id');
  }
}

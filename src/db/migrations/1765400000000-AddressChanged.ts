import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';
import { columnsFor } from './columns';

/**
 * When a guide's e-mail address was last corrected: the answer links mailed before (each carries
 * the second it was made) stop working, since they may have gone to someone else's mailbox.
 */
export class AddressChanged1765400000000 implements MigrationInterface {
  name = 'AddressChanged1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('guides', new TableColumn(columnsFor(q).at('address_changed_at', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('guides', 'address_changed_at');
  }
}

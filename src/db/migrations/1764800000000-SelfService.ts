import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './columns';

/**
 * What running Bryggan from the browser needs: a municipality's time zone, a contract's hourly
 * rate, cafés that can be archived, and one-time links to set a password (invitations, resets).
 */
export class SelfService1764800000000 implements MigrationInterface {
  name = 'SelfService1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, ref, str, at, fk, index } = columnsFor(q);
    await q.addColumn(
      'organisations',
      new TableColumn({ name: 'time_zone', type: 'varchar', length: '64', default: "'Europe/Stockholm'" }),
    );
    await q.addColumn('contracts', new TableColumn({ name: 'hourly_rate_ore', type: 'integer', isNullable: true }));
    await q.addColumn('session_series', new TableColumn(at('archived_at', true)));
    await q.createTable(
      new Table({
        name: 'password_links',
        columns: [
          id(),
          ref('user_id'),
          str('purpose', 10),
          str('token_hash', 64),
          at('expires_at'),
          at('used_at', true),
          at('created_at'),
        ],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        indices: [index(['token_hash'], true), index(['user_id'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('password_links');
    await q.dropColumn('session_series', 'archived_at');
    await q.dropColumn('contracts', 'hourly_rate_ore');
    await q.dropColumn('organisations', 'time_zone');
  }
}

import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/**
 * Logins that slow a guesser down without locking anyone out: a count of failed logins per
 * account, per address and per known device, with the time until the next try is allowed; and
 * the devices each account has logged in from, whose right password is never held back by
 * others' failures. Keys are HMACs and device tokens SHA-256: neither can be read back.
 */
export class Logins1765100000000 implements MigrationInterface {
  name = 'Logins1765100000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, ref, str, int, at, fk, index } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'login_delays',
        columns: [
          { ...str('key', 64), isPrimary: true },
          str('kind', 10),
          int('failures'),
          at('last_failure_at'),
          at('wait_until', true),
        ],
        indices: [index(['last_failure_at'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'login_devices',
        columns: [id(), ref('user_id'), str('token_hash', 64), at('created_at'), at('last_used_at')],
        foreignKeys: [fk('user_id', 'users', 'CASCADE')],
        indices: [index(['token_hash'], true), index(['user_id'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('login_devices');
    await q.dropTable('login_delays');
  }
}

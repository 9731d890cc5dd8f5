import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/** The e-mail outbox. */
export class Outbox1764300000000 implements MigrationInterface {
  name = 'Outbox1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, str, int, at, text, index } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'outbox_messages',
        columns: [
          id(),
          str('idempotency_key', 200),
          str('kind', 40),
          str('municipality_id', 36, true),
          str('to_address', 254),
          str('from_name', 200),
          str('subject', 300),
          text('text'),
          text('html'),
          text('attachments'),
          str('status', 12),
          int('attempts'),
          at('next_attempt_at'),
          at('lease_until', true),
          str('last_error', 500, true),
          at('created_at'),
          at('sent_at', true),
        ],
        indices: [index(['idempotency_key'], true), index(['status', 'next_attempt_at'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('outbox_messages');
  }
}

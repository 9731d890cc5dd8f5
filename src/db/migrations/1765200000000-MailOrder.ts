import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * Mail about an assignment arrives in order: a message names the calendar events it is about,
 * with their revision (`about`, e.g. `["<uid>#2"]`), so a newer message about the same events
 * withdraws a queued older one (status `superseded`); and messages to one address are sent
 * oldest first (the index serves that check). A message to a guide names the guide, so that a
 * corrected address reaches the messages still waiting, and a message sent again.
 */
export class MailOrder1765200000000 implements MigrationInterface {
  name = 'MailOrder1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('outbox_messages', new TableColumn({ name: 'about', type: 'text', default: "'[]'" }));
    await q.createIndex('outbox_messages', new TableIndex({ columnNames: ['to_address', 'status'] }));
    await q.addColumn(
      'outbox_messages',
      new TableColumn({ name: 'guide_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await q.createIndex('outbox_messages', new TableIndex({ columnNames: ['guide_id', 'status'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    const table = await q.getTable('outbox_messages');
    for (const columns of ['guide_id,status', 'to_address,status']) {
      const index = table?.indices.find((i) => i.columnNames.join() === columns);
      if (index) await q.dropIndex('outbox_messages', index);
    }
    await q.dropColumn('outbox_messages', 'guide_id');
    await q.dropColumn('outbox_messages', 'about');
  }
}

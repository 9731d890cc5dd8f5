import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './columns';

/** What each guide was told and answered, and the places they gave up for others to take. */
export class Notices1764400000000 implements MigrationInterface {
  name = 'Notices1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, str, at, ref, fk, index } = columnsFor(q);
    await q.addColumns('assignments', [
      new TableColumn({ name: 'notified', type: 'text', isNullable: true }),
      new TableColumn(at('notified_at', true)),
      new TableColumn({ name: 'sequence', type: 'integer', default: 0 }),
      new TableColumn({ name: 'response', type: 'varchar', length: '10', default: "'pending'" }),
      new TableColumn(at('responded_at', true)),
    ]);
    await q.addColumn('outbox_messages', new TableColumn(str('reply_to', 254, true)));
    await q.createTable(
      new Table({
        name: 'vacancies',
        columns: [
          id(),
          ref('municipality_id'),
          ref('session_id'),
          ref('declined_assignment_id'),
          ref('declined_guide_id'),
          str('status', 10),
          ref('filled_by_guide_id', true),
          at('created_at'),
          at('filled_at', true),
        ],
        foreignKeys: [fk('session_id', 'sessions', 'CASCADE'), fk('declined_guide_id', 'guides')],
        indices: [
          index(['session_id']),
          index(['municipality_id', 'created_at']),
          index(['declined_assignment_id'], true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'substitute_offers',
        columns: [id(), ref('vacancy_id'), ref('guide_id'), at('created_at')],
        foreignKeys: [fk('vacancy_id', 'vacancies', 'CASCADE'), fk('guide_id', 'guides')],
        indices: [index(['vacancy_id', 'guide_id'], true), index(['guide_id'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('substitute_offers');
    await q.dropTable('vacancies');
    await q.dropColumn('outbox_messages', 'reply_to');
    for (const c of ['responded_at', 'response', 'sequence', 'notified_at', 'notified'])
      await q.dropColumn('assignments', c);
  }
}

import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columnsFor } from './columns';

/** The matching engine's plans and the assignments of guides to sessions. */
export class Assignments1764200000000 implements MigrationInterface {
  name = 'Assignments1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, str, at, int, text, fk } = columnsFor(q);

    await q.createTable(
      new Table({
        name: 'plans',
        columns: [
          id(),
          str('municipality_id', 36),
          { name: 'starts_on', type: 'date' },
          { name: 'ends_on', type: 'date' },
          str('status', 12),
          int('seed'),
          text('score'),
          text('shortfalls'),
          text('uncovered'),
          int('iterations'),
          int('elapsed_ms'),
          at('created_at'),
          at('published_at', true),
        ],
        foreignKeys: [fk('municipality_id', 'organisations')],
        indices: [new TableIndex({ columnNames: ['municipality_id', 'created_at'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assignments',
        columns: [
          id(),
          str('session_id', 36),
          str('guide_id', 36),
          str('status', 12),
          { name: 'pinned', type: 'boolean' },
          str('source', 10),
          text('reasons'),
          str('plan_id', 36, true),
          at('created_at'),
          at('updated_at'),
          at('published_at', true),
        ],
        foreignKeys: [fk('session_id', 'sessions', 'CASCADE'), fk('guide_id', 'guides'), fk('plan_id', 'plans')],
        indices: [
          new TableIndex({ columnNames: ['session_id', 'guide_id'], isUnique: true }),
          new TableIndex({ columnNames: ['guide_id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('assignments');
    await q.dropTable('plans');
  }
}

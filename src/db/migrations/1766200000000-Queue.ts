import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/**
 * The live queue at a café: each visitor checked in or walked in, who helps them and with
 * what; and each café's queue version, which every change raises.
 */
export class Queue1766200000000 implements MigrationInterface {
  name = 'Queue1766200000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, ref, str, int, at, stamps, fk, index } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'queue_entries',
        columns: [
          id(),
          ref('session_id'),
          int('position'),
          str('kind', 12),
          ref('senior_id', true),
          str('platform', 20, true),
          str('topic', 30, true),
          str('first_name', 40, true),
          str('status', 10),
          ref('guide_id', true),
          at('started_at', true),
          at('done_at', true),
          str('done_topic', 30, true),
          ...stamps(),
        ],
        foreignKeys: [
          fk('session_id', 'sessions', 'CASCADE'),
          fk('senior_id', 'seniors', 'CASCADE'),
          fk('guide_id', 'guides'),
        ],
        indices: [index(['session_id', 'position'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_queues',
        columns: [{ ...ref('session_id'), isPrimary: true }, int('version')],
        foreignKeys: [fk('session_id', 'sessions', 'CASCADE')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('session_queues');
    await q.dropTable('queue_entries');
  }
}

import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/**
 * What the guides helped with on each platform, as counts per session (platform × topic), so the
 * contract's report can give topics by platform. Sessions reported before have no rows here: the
 * report counts them as not broken down.
 */
export class TopicsByPlatform1766400000000 implements MigrationInterface {
  name = 'TopicsByPlatform1766400000000';

  async up(q: QueryRunner): Promise<void> {
    const { ref, str, int, date, fk, index } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'report_help_cells',
        columns: [
          { ...ref('report_id'), isPrimary: true },
          { ...str('platform', 10), isPrimary: true },
          { ...str('topic', 30), isPrimary: true },
          ref('municipality_id'),
          ref('venue_id'),
          date('local_date'),
          int('count'),
        ],
        foreignKeys: [fk('report_id', 'session_reports', 'CASCADE')],
        indices: [index(['municipality_id', 'local_date'])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('report_help_cells');
  }
}

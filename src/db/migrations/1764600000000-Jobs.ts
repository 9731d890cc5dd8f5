import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/** Which tick of each scheduled job ran, so several instances run it once. */
export class Jobs1764600000000 implements MigrationInterface {
  name = 'Jobs1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const { str, at } = columnsFor(q);
    await q.createTable(
      new Table({
        name: 'job_runs',
        columns: [
          { ...str('name', 60), isPrimary: true },
          at('last_tick', true),
          str('holder', 80, true),
          at('lease_until', true),
          at('finished_at', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('job_runs');
  }
}

import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

/**
 * Whether the time limit ended a plan's search before its iterations were done (the plan is the
 * best found by then, and planning again may do better). Plans made before were not stopped so
 * far as anyone can tell now: false.
 */
export class PlanStoppedEarly1766100000000 implements MigrationInterface {
  name = 'PlanStoppedEarly1766100000000';

  async up(q: QueryRunner): Promise<void> {
    // The default as each dialect spells false (sqlite keeps booleans as 0 and 1).
    const no = q.connection.driver.options.type === 'postgres' ? 'false' : '0';
    await q.addColumn('plans', new TableColumn({ name: 'stopped_early', type: 'boolean', default: no }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('plans', 'stopped_early');
  }
}

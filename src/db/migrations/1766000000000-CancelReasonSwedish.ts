import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A café a change to its series took away was cancelled with the reason "Serien ändrades / The
 * series changed", English and all, which guides read in their mail and coordinators on the week
 * page. It now says "Caféets dag eller tid har ändrats."; the cafés cancelled so far say it too.
 */
const OLD = 'Serien ändrades / The series changed';
const NEW = 'Caféets dag eller tid har ändrats.';

export class CancelReasonSwedish1766000000000 implements MigrationInterface {
  name = 'CancelReasonSwedish1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await swap(q, OLD, NEW);
  }

  async down(q: QueryRunner): Promise<void> {
    await swap(q, NEW, OLD);
  }
}

async function swap(q: QueryRunner, from: string, to: string): Promise<void> {
  const [a, b] = q.connection.driver.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  await q.query(
    `UPDATE sessions SET cancel_reason = ${a} WHERE cancel_reason = ${b} AND cancel_source = 'series_changed'`,
    [to, from],
  );
}

import { type MigrationInterface, type QueryRunner, TableColumn } from 'typeorm';

const TABLES = ['venues', 'session_series', 'sessions', 'guides', 'seniors'];

/** A version on the rows people edit, so a change made on an old copy answers 409 instead of overwriting. */
export class Versions1764700000000 implements MigrationInterface {
  name = 'Versions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.addColumn(t, new TableColumn({ name: 'version', type: 'integer', default: 1 }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.dropColumn(t, 'version');
  }
}

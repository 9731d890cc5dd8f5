import { type MigrationInterface, type QueryRunner, Table, TableColumn } from 'typeorm';
import { columnsFor } from './columns';

/**
 * The roster kept in the browser: what a guide can help with and when their contract ends,
 * weekly availability valid for a period (timetables change each term), how a senior's consent
 * was given, and regulars: a senior's standing place in every session of a café.
 */
export class Roster1764900000000 implements MigrationInterface {
  name = 'Roster1764900000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, ref, date, at, fk, index } = columnsFor(q);
    await q.addColumn('guides', new TableColumn({ name: 'topics', type: 'text', default: "'[]'" }));
    await q.addColumn('guides', new TableColumn(date('end_date', true)));
    await q.addColumn('guide_availability', new TableColumn(date('valid_from', true)));
    await q.addColumn('guide_availability', new TableColumn(date('valid_to', true)));
    await q.addColumn(
      'seniors',
      new TableColumn({ name: 'consent_method', type: 'varchar', length: '10', isNullable: true }),
    );
    await q.createTable(
      new Table({
        name: 'regulars',
        columns: [
          id(),
          ref('senior_id'),
          ref('series_id'),
          date('from_date'),
          date('to_date', true),
          at('created_at'),
          at('updated_at'),
        ],
        foreignKeys: [fk('senior_id', 'seniors', 'CASCADE'), fk('series_id', 'session_series', 'CASCADE')],
        indices: [index(['series_id']), index(['senior_id'])],
      }),
    );
    await q.addColumn('registrations', new TableColumn(ref('regular_id', true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('registrations', 'regular_id');
    await q.dropTable('regulars');
    await q.dropColumn('seniors', 'consent_method');
    await q.dropColumn('guide_availability', 'valid_to');
    await q.dropColumn('guide_availability', 'valid_from');
    await q.dropColumn('guides', 'end_date');
    await q.dropColumn('guides', 'topics');
  }
}

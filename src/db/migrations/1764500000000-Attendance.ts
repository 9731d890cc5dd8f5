import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { columnsFor } from './columns';

/** Attendance after each café, and the rows the reports are counted from. */
export class Attendance1764500000000 implements MigrationInterface {
  name = 'Attendance1764500000000';

  async up(q: QueryRunner): Promise<void> {
    const { id, ref, str, int, at, date, bool, stamps, fk, index } = columnsFor(q);
    const place = () => [ref('municipality_id'), ref('venue_id'), date('local_date')];
    await q.createTable(
      new Table({
        name: 'session_reports',
        columns: [id(), ref('session_id'), ...place(), int('revision'), str('day_report', 2000, true), ...stamps()],
        foreignKeys: [fk('session_id', 'sessions')],
        indices: [index(['session_id'], true), index(['municipality_id', 'local_date'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'attendances',
        columns: [
          id(),
          ref('report_id'),
          ref('session_id'),
          ...place(),
          ref('senior_id', true),
          str('kind', 12),
          bool('present'),
          int('count'),
          str('age_band', 10, true),
          str('gender', 10, true),
          bool('newly_arrived', true),
        ],
        foreignKeys: [fk('report_id', 'session_reports', 'CASCADE')],
        indices: [index(['municipality_id', 'local_date']), index(['report_id']), index(['senior_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'report_help',
        columns: [
          { ...ref('report_id'), isPrimary: true },
          { ...str('dimension', 10), isPrimary: true },
          { ...str('key', 30), isPrimary: true },
          ...place(),
          int('count'),
        ],
        foreignKeys: [fk('report_id', 'session_reports', 'CASCADE')],
        indices: [index(['municipality_id', 'local_date'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'guide_shifts',
        columns: [
          id(),
          ref('report_id'),
          ref('session_id'),
          ...place(),
          ref('guide_id'),
          ref('association_id'),
          str('status', 10),
          bool('substitute'),
          at('started_at', true),
          at('ended_at', true),
          int('minutes'),
        ],
        foreignKeys: [fk('report_id', 'session_reports', 'CASCADE'), fk('guide_id', 'guides')],
        indices: [
          index(['report_id', 'guide_id'], true),
          index(['municipality_id', 'local_date']),
          index(['guide_id', 'local_date']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['guide_shifts', 'report_help', 'attendances', 'session_reports']) await q.dropTable(t);
  }
}

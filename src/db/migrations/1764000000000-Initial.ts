import { type MigrationInterface, type QueryRunner, Table, type TableColumnOptions, type TableIndex } from 'typeorm';
import { columnsFor } from './columns';

/**
 * The planning model. Written by hand with TypeORM's portable Table API so the same
 * migration runs on sqlite and PostgreSQL; only the instant type differs.
 */
export class Initial1764000000000 implements MigrationInterface {
  name = 'Initial1764000000000';

  async up(q: QueryRunner): Promise<void> {
    const c = columnsFor(q);
    const { id, ref, str, int, date, at, bool, text, fk, index } = c;
    const stamps = c.stamps();

    await q.createTable(
      new Table({
        name: 'organisations',
        columns: [id(), str('kind', 20), str('name', 200), str('contact_email', 254, true), ...stamps],
      }),
    );
    await q.createTable(
      new Table({
        name: 'contracts',
        columns: [
          id(),
          ref('municipality_id'),
          ref('association_id'),
          str('reference', 100, true),
          date('starts_on'),
          date('ends_on'),
          str('reporting_period', 10),
          ...stamps,
        ],
        foreignKeys: [fk('municipality_id', 'organisations'), fk('association_id', 'organisations')],
        indices: [index(['municipality_id']), index(['association_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'venues',
        columns: [
          id(),
          ref('municipality_id'),
          str('name', 200),
          str('address', 300),
          str('kind', 20),
          int('seats'),
          text('equipment'),
          str('accessibility_note', 500, true),
          int('expected_walk_ins'),
          bool('active'),
          ...stamps,
        ],
        foreignKeys: [fk('municipality_id', 'organisations')],
        indices: [index(['municipality_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'venue_travel',
        columns: [
          { ...ref('from_venue_id'), isPrimary: true },
          { ...ref('to_venue_id'), isPrimary: true },
          int('minutes'),
        ],
        foreignKeys: [fk('from_venue_id', 'venues', 'CASCADE'), fk('to_venue_id', 'venues', 'CASCADE')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'closures',
        columns: [
          id(),
          ref('municipality_id'),
          ref('venue_id', true),
          str('name', 200),
          date('starts_on'),
          date('ends_on'),
          at('created_at'),
        ],
        foreignKeys: [fk('municipality_id', 'organisations'), fk('venue_id', 'venues')],
        indices: [index(['municipality_id', 'starts_on'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'session_series',
        columns: [
          id(),
          ref('municipality_id'),
          ref('venue_id'),
          int('weekday'),
          str('start_time', 5),
          int('duration_minutes'),
          str('time_zone', 64),
          int('interval_weeks'),
          date('anchor_date'),
          date('first_date'),
          date('last_date'),
          int('seats'),
          int('min_guides'),
          int('max_guides'),
          str('theme', 100, true),
          bool('skip_holidays'),
          ...stamps,
        ],
        foreignKeys: [fk('municipality_id', 'organisations'), fk('venue_id', 'venues')],
        indices: [index(['municipality_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id(),
          ref('municipality_id'),
          ref('venue_id'),
          ref('series_id', true),
          date('occurrence_date', true),
          date('local_date'),
          at('starts_at'),
          at('ends_at'),
          str('time_zone', 64),
          int('seats'),
          int('min_guides'),
          int('max_guides'),
          str('theme', 100, true),
          str('status', 20),
          str('cancel_source', 20, true),
          str('cancel_reason', 500, true),
          at('cancelled_at', true),
          bool('detached'),
          ...stamps,
        ],
        foreignKeys: [
          fk('municipality_id', 'organisations'),
          fk('venue_id', 'venues'),
          fk('series_id', 'session_series'),
        ],
        // The list's order (local date, start, id) is in the indexes, so a page needs no sort.
        indices: [
          index(['municipality_id', 'local_date', 'starts_at', 'id']),
          index(['venue_id', 'local_date', 'starts_at', 'id']),
          index(['series_id', 'occurrence_date'], true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'guides',
        columns: [
          id(),
          ref('association_id'),
          ref('municipality_id'),
          str('name', 200),
          str('email', 254),
          str('phone', 40, true),
          str('school', 200, true),
          str('programme', 200, true),
          str('swedish_level', 10),
          date('start_date'),
          int('max_minutes_per_week'),
          bool('active'),
          ...stamps,
        ],
        foreignKeys: [fk('association_id', 'organisations'), fk('municipality_id', 'organisations')],
        indices: [index(['municipality_id']), index(['association_id'])],
      }),
    );
    const guideChild = (name: string, columns: TableColumnOptions[], indices: TableIndex[] = []) =>
      q.createTable(
        new Table({
          name,
          columns,
          foreignKeys: [fk('guide_id', 'guides', 'CASCADE')],
          indices,
        }),
      );
    await guideChild(
      'guide_platforms',
      [{ ...ref('guide_id'), isPrimary: true }, { ...str('platform', 20), isPrimary: true }, str('level', 10)],
      [index(['platform'])],
    );
    await guideChild(
      'guide_languages',
      [{ ...ref('guide_id'), isPrimary: true }, { ...str('language', 10), isPrimary: true }, str('level', 10)],
      [index(['language'])],
    );
    await guideChild(
      'guide_availability',
      [id(), ref('guide_id'), int('weekday'), str('start_time', 5), str('end_time', 5)],
      [index(['guide_id'])],
    );
    await guideChild('guide_unavailable_dates', [
      { ...ref('guide_id'), isPrimary: true },
      { ...date('date'), isPrimary: true },
      str('reason', 200, true),
    ]);
    await q.createTable(
      new Table({
        name: 'seniors',
        columns: [
          id(),
          ref('municipality_id'),
          str('display_name', 60),
          str('search_name', 60),
          str('phone', 40, true),
          str('email', 254, true),
          str('preferred_language', 10),
          text('devices'),
          text('topics'),
          at('consent_given_at'),
          str('age_band', 10, true),
          str('gender', 10, true),
          bool('newly_arrived', true),
          ...stamps,
        ],
        foreignKeys: [fk('municipality_id', 'organisations')],
        indices: [index(['municipality_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'registrations',
        columns: [
          id(),
          ref('session_id'),
          ref('senior_id'),
          str('status', 12),
          text('devices'),
          str('topic', 30, true),
          at('queued_at'),
          int('queue_number'),
          at('cancelled_at', true),
          ...stamps,
        ],
        foreignKeys: [fk('session_id', 'sessions'), fk('senior_id', 'seniors')],
        indices: [
          index(['session_id', 'senior_id'], true),
          index(['session_id', 'queue_number'], true),
          index(['senior_id']),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'registrations',
      'seniors',
      'guide_unavailable_dates',
      'guide_availability',
      'guide_languages',
      'guide_platforms',
      'guides',
      'sessions',
      'session_series',
      'closures',
      'venue_travel',
      'venues',
      'contracts',
      'organisations',
    ]) {
      await q.dropTable(table);
    }
  }
}

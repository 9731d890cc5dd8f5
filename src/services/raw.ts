import { createHash } from 'node:crypto';
import { type EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import type { Session } from '../db/entities';

/**
 * Plain SQL for the hot reads (the week, a guide's page, a sign-up), on sqlite and PostgreSQL
 * alike: TypeORM's query building and hydration cost more than the query itself there. Write
 * `?` for each parameter; an array expands to a list (`IN (?)`) and must not be empty. Rows
 * come back as the driver gives them: read them with the helpers below.
 *
 * A statement of a fixed shape (no list) is translated once, and on PostgreSQL it is a named,
 * prepared statement (as a hand-written `pg` handler would have it): each connection parses and
 * plans it once, which halves the work of the round trip. Statements run as TypeORM's would,
 * on the transaction's connection when `m` has one, logged to the data source's logger.
 */
export function rawRows<T>(m: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const pg = m.connection.options.type === 'postgres';
  if (!params.some(Array.isArray)) {
    const shape = fixedShape(sql, pg);
    if (shape.placeholders !== params.length)
      throw new Error(`rawRows: ${shape.placeholders} placeholders for ${params.length} parameters`);
    const values = pg ? [...params] : params.map(sqliteValue);
    return pg
      ? runOnPostgres<T>(m, shape.text, values, shape.name)
      : runOnSqlite<T>(m, shape.text, values, shape.kept === true);
  }
  const values: unknown[] = [];
  const bind = (v: unknown) => {
    values.push(pg ? v : sqliteValue(v));
    return pg ? `$${values.length}` : '?';
  };
  let next = 0;
  const text = sql.replace(/\?/g, () => {
    const p = params[next++];
    return Array.isArray(p) ? p.map(bind).join(', ') : bind(p);
  });
  if (next !== params.length) throw new Error(`rawRows: ${next} placeholders for ${params.length} parameters`);
  return pg ? runOnPostgres<T>(m, text, values) : runOnSqlite<T>(m, text, values, false);
}

/** better-sqlite3 binds no booleans: TypeORM stores them as 1 and 0 there. */
const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);

interface Shape {
  text: string;
  placeholders: number;
  /** The prepared statement's name on PostgreSQL; none for a statement not worth keeping. */
  name?: string;
  /** On sqlite: its prepared statement is kept, one per connection. */
  kept?: boolean;
}

/** Statements of a fixed shape as written, per dialect: at most this many are kept (and prepared). */
const MAX_SHAPES = 1000;
/** Statements longer than this are translated each time, and not prepared. */
const MAX_LENGTH_KEPT = 8000;
/** On sqlite, statements longer than this are prepared each time (a few rows at once, an audit of many). */
const MAX_LENGTH_PREPARED_SQLITE = 2000;
const shapes = { sqlite: new Map<string, Shape>(), postgres: new Map<string, Shape>() };

function fixedShape(sql: string, pg: boolean): Shape {
  const known = pg ? shapes.postgres : shapes.sqlite;
  let shape = known.get(sql);
  if (shape) return shape;
  let n = 0;
  const text = pg ? sql.replace(/\?/g, () => `$${++n}`) : sql;
  if (!pg) for (let i = sql.indexOf('?'); i !== -1; i = sql.indexOf('?', i + 1)) n++;
  shape = { text, placeholders: n };
  // Long statements (many rows at once) are neither kept nor prepared: each comes rarely, of its own length.
  if (known.size >= MAX_SHAPES || text.length > MAX_LENGTH_KEPT) return shape;
  if (pg) shape.name = `bryggan_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
  // sqlite keeps a statement prepared on each connection: not the long ones of many rows at once.
  shape.kept = text.length <= MAX_LENGTH_PREPARED_SQLITE;
  known.set(sql, shape);
  return shape;
}

interface PgResult {
  rows: unknown[];
}
interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/**
 * A statement on PostgreSQL through the pool TypeORM keeps (or the connection of `m`'s
 * transaction), as TypeORM's own `query` runs it, with its log and its QueryFailedError.
 */
async function runOnPostgres<T>(m: EntityManager, text: string, values: unknown[], name?: string): Promise<T[]> {
  const runner = m.queryRunner;
  const logger = m.connection.logger;
  if (runner?.isReleased) throw new QueryRunnerAlreadyReleasedError();
  logger.logQuery(text, values, runner);
  try {
    const on: PgQueryable = runner
      ? ((await runner.connect()) as PgQueryable)
      : (m.connection.driver as unknown as { master: PgQueryable }).master;
    return (await on.query(name ? { name, text, values } : { text, values })).rows as T[];
  } catch (err) {
    logger.logQueryError(err as Error, text, values, runner);
    throw new QueryFailedError(text, values, err as Error);
  }
}

interface SqliteStatement {
  reader: boolean;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(text: string): SqliteStatement;
}

/** Each sqlite connection's prepared statements of a fixed shape (`fixedShape`), by their text. */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/**
 * A statement on sqlite, on the data source's one connection (where TypeORM runs it, in a
 * transaction or not), with TypeORM's log and its QueryFailedError, but without the rest of its
 * way there: its query runner's events, result object and statement cache of 100 (first in, first
 * out: a service's hot reads are more than that). A statement of a fixed shape is prepared once per
 * connection; sqlite answers at once, so the answer is there before the next request is read.
 */
function runOnSqlite<T>(m: EntityManager, text: string, values: unknown[], keep: boolean): Promise<T[]> {
  const runner = m.queryRunner;
  const logger = m.connection.logger;
  if (runner?.isReleased) return Promise.reject(new QueryRunnerAlreadyReleasedError());
  logger.logQuery(text, values, runner);
  try {
    const connection = (m.connection.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    let statements = prepared.get(connection);
    if (!statements) prepared.set(connection, (statements = new Map<string, SqliteStatement>()));
    let statement = statements.get(text);
    if (!statement) {
      statement = connection.prepare(text);
      if (keep) statements.set(text, statement);
    }
    return Promise.resolve((statement.reader ? statement.all(...values) : (statement.run(...values), [])) as T[]);
  } catch (err) {
    logger.logQueryError(err as Error, text, values, runner);
    return Promise.reject(new QueryFailedError(text, values, err as Error));
  }
}

/** `rawNamed`'s statements, translated to `?` once: the text and the parameters' names in order. */
const namedShapes = new Map<string, { text: string; names: string[] }>();

/** As `rawRows`, with named parameters (`:name`, a list as `:...name`), as in TypeORM's query builder. */
export function rawNamed<T>(m: EntityManager, sql: string, params: Record<string, unknown>): Promise<T[]> {
  let shape = namedShapes.get(sql);
  if (!shape) {
    const names: string[] = [];
    const text = sql.replace(/(?<!:):(?:\.\.\.)?([A-Za-z_]\w*)/g, (_all, name: string) => {
      names.push(name);
      return '?';
    });
    shape = { text, names };
    if (namedShapes.size < MAX_SHAPES && sql.length <= MAX_LENGTH_KEPT) namedShapes.set(sql, shape);
  }
  const values = shape.names.map((name) => {
    if (!(name in params)) throw new Error(`rawNamed: no parameter ${name}`);
    return params[name];
  });
  return rawRows<T>(m, shape.text, values);
}

export const isPostgres = (m: EntityManager): boolean => m.connection.options.type === 'postgres';

/**
 * An instant as a parameter of plain SQL, stored as TypeORM stores it: a Date on PostgreSQL
 * (timestamptz), UTC text `2026-11-24 09:00:00.000` on sqlite (what TypeORM's
 * `preparePersistentValue` gives for an instant column, without asking the metadata each time).
 */
export function instantParam(m: EntityManager, instant: Date): Date | string {
  return isPostgres(m) ? instant : instant.toISOString().replace('T', ' ').replace('Z', '');
}

/** `FOR UPDATE` (of `alias`'s rows) on PostgreSQL; nothing on sqlite, which has one writer. */
export const forUpdate = (m: EntityManager, alias?: string): string =>
  isPostgres(m) ? ` FOR UPDATE${alias ? ` OF ${alias}` : ''}` : '';

/** sqlite's UTC text of an instant to the second or millisecond: read by hand, not by Date's parser. */
const SQLITE_INSTANT = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d{3})?Z?$/;
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;
const twoDigits = (s: string, i: number) => digit(s, i) * 10 + digit(s, i + 1);

/**
 * An instant: a Date from PostgreSQL, UTC text (`2026-11-24 09:00:00.000`) from sqlite. Pages
 * read hundreds a request: that text is taken apart by hand (about a quarter of the time of
 * `new Date(text)`), anything else goes to Date's parser as UTC.
 */
export function instantOf(v: unknown): Date {
  if (v instanceof Date) return v;
  let text = String(v);
  if (SQLITE_INSTANT.test(text)) {
    const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
    const month = twoDigits(text, 5);
    const day = twoDigits(text, 8);
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    const second = twoDigits(text, 17);
    // In range, as stored; anything else (a month 13, a year 0099) is Date's parser's to answer, as before.
    if (
      year >= 100 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= 31 &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59
    ) {
      const ms = text[19] === '.' ? digit(text, 20) * 100 + twoDigits(text, 21) : 0;
      return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
    }
  }
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(text)) text = text.replace(' ', 'T');
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text)) text += 'Z';
  return new Date(text);
}

export const instantOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : instantOf(v));

/** Rows by a key, each list in the rows' order. */
export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

/** A boolean: true/false from PostgreSQL, 1/0 from sqlite. */
export const boolOf = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't' || v === 'true';

/** A `simple-json` column, as TypeORM reads it. */
export const jsonOf = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The session's columns under alias `s`, dates as text on both databases; read with `sessionOf`. */
export const SESSION_COLUMNS = [
  's.id',
  's.version',
  's.municipality_id',
  's.venue_id',
  's.association_id',
  's.series_id',
  'CAST(s.occurrence_date AS VARCHAR(10)) AS occurrence_date',
  'CAST(s.local_date AS VARCHAR(10)) AS local_date',
  's.starts_at',
  's.ends_at',
  's.time_zone',
  's.seats',
  's.min_guides',
  's.max_guides',
  's.theme',
  's.status',
  's.cancel_source',
  's.cancel_reason',
  's.cancelled_at',
  's.detached',
  's.created_at',
  's.updated_at',
].join(', ');

export interface SessionRow {
  id: string;
  version: number | string;
  municipality_id: string;
  venue_id: string;
  association_id: string | null;
  series_id: string | null;
  occurrence_date: string | null;
  local_date: string;
  starts_at: unknown;
  ends_at: unknown;
  time_zone: string;
  seats: number | string;
  min_guides: number | string;
  max_guides: number | string;
  theme: string | null;
  status: Session['status'];
  cancel_source: Session['cancelSource'];
  cancel_reason: string | null;
  cancelled_at: unknown;
  detached: unknown;
  created_at: unknown;
  updated_at: unknown;
}

/** A session as TypeORM would have read it, from the `SESSION_COLUMNS` of a row. */
export function sessionOf(r: SessionRow): Session {
  return {
    id: r.id,
    version: Number(r.version),
    municipalityId: r.municipality_id,
    venueId: r.venue_id,
    associationId: r.association_id,
    seriesId: r.series_id,
    occurrenceDate: r.occurrence_date,
    localDate: r.local_date,
    startsAt: instantOf(r.starts_at),
    endsAt: instantOf(r.ends_at),
    timeZone: r.time_zone,
    seats: Number(r.seats),
    minGuides: Number(r.min_guides),
    maxGuides: Number(r.max_guides),
    theme: r.theme,
    status: r.status,
    cancelSource: r.cancel_source,
    cancelReason: r.cancel_reason,
    cancelledAt: instantOrNull(r.cancelled_at),
    detached: boolOf(r.detached),
    createdAt: instantOf(r.created_at),
    updatedAt: instantOf(r.updated_at),
  };
}

import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Assignment } from '../db/entities';
import type { Reason } from '../domain/matching';
import { mayGiveWay } from '../db/store';
import { boolOf, instantOf, instantOrNull, jsonOf, rawRows } from './raw';

/**
 * Many rows at once, for the plan of a whole term (a county's has thousands): plain SQL with
 * many rows to a statement, as TypeORM would store them, without its query building per row.
 */

/** Parameters in one statement at most: within sqlite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;
/** Rows in one statement at most, whatever the parameters: sqlite's statement stays short. */
const MAX_ROWS = 500;
/** Rows whose values are converted between two checks of the time (`pace`). */
const PACED_ROWS = 100;

/** Lets other requests in between the long steps of a piece of work, where that is safe (`mayGiveWay`). */
export function giveWay(m: EntityManager): Promise<void> {
  if (!mayGiveWay(m)) return Promise.resolve();
  return new Promise((resolve) => setImmediate(resolve));
}

/** Work that runs this long without a break gives way (with `pace`) at its next step. */
const SLICE_MS = 5;
let turnStart = 0;
let armed = false;

/**
 * Gives way (as `giveWay`) when the work so far in this turn of the event loop has run for
 * SLICE_MS: a long read of a whole term goes in slices, a short one (a café's week) straight on.
 */
export async function pace(m: EntityManager): Promise<void> {
  if (!armed) {
    // The turn is timed from the first step that asks: a turn that never asks is not timed.
    armed = true;
    turnStart = performance.now();
    setImmediate(() => void (armed = false));
  }
  if (performance.now() - turnStart >= SLICE_MS) await giveWay(m);
}

/**
 * Inserts rows of an entity, each column's value stored as TypeORM stores it, many rows to a
 * statement, letting others in between the steps where that is safe (`pace`).
 */
export async function insertMany<E extends ObjectLiteral>(
  m: EntityManager,
  target: EntityTarget<E>,
  rows: readonly E[],
): Promise<void> {
  if (!rows.length) return;
  const meta = m.connection.getMetadata(target);
  const seen = new Set<string>();
  // A column kept beside its relation (sessionId + session) shows twice: once is its value.
  const columns = meta.columns.filter((c) => !seen.has(c.databaseName) && !!seen.add(c.databaseName));
  const driver = m.connection.driver;
  const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const head = `INSERT INTO ${meta.tableName} (${columns.map((c) => c.databaseName).join(', ')}) VALUES `;
  const one = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    // TypeORM's conversion of each value is some microseconds: a statement's rows go in slices too.
    for (let j = 0; j < chunk.length; j += PACED_ROWS) {
      await pace(m);
      for (const row of chunk.slice(j, j + PACED_ROWS))
        for (const c of columns) params.push(driver.preparePersistentValue(c.getEntityValue(row), c));
    }
    await pace(m);
    await rawRows(m, head + chunk.map(() => one).join(', '), params);
  }
}

/** An assignment's row as stored (plain SQL, `ASSIGNMENT_COLUMNS` of `assignments a`). */
export interface AssignmentRow {
  id: string;
  session_id: string;
  guide_id: string;
  status: Assignment['status'];
  pinned: unknown;
  source: Assignment['source'];
  reasons: unknown;
  plan_id: string | null;
  created_at: unknown;
  updated_at: unknown;
  published_at: unknown;
  notified: unknown;
  notified_at: unknown;
  sequence: number | string;
  response: Assignment['response'];
  responded_at: unknown;
  conflict: unknown;
}

const nullableJson = <T>(v: unknown): T | null => (v === null || v === undefined ? null : jsonOf<T>(v));

/** The columns of an AssignmentRow, of `assignments a`. */
export const ASSIGNMENT_COLUMNS = `a.id, a.session_id, a.guide_id, a.status, a.pinned, a.source, a.reasons, a.plan_id,
  a.created_at, a.updated_at, a.published_at, a.notified, a.notified_at, a.sequence, a.response, a.responded_at, a.conflict`;

/** A stored row as TypeORM would read it (without its hydration). */
export function assignmentOf(r: AssignmentRow): Assignment {
  return {
    id: r.id,
    sessionId: r.session_id,
    guideId: r.guide_id,
    status: r.status,
    pinned: boolOf(r.pinned),
    source: r.source,
    reasons: jsonOf<Reason[]>(r.reasons),
    planId: r.plan_id,
    createdAt: instantOf(r.created_at),
    updatedAt: instantOf(r.updated_at),
    publishedAt: instantOrNull(r.published_at),
    notified: nullableJson<Assignment['notified']>(r.notified),
    notifiedAt: instantOrNull(r.notified_at),
    sequence: Number(r.sequence),
    response: r.response,
    respondedAt: instantOrNull(r.responded_at),
    conflict: nullableJson<Reason[]>(r.conflict),
  };
}

/** The assignments of these sessions, by session and guide, as TypeORM would read them (without its hydration). */
export async function assignmentsOf(m: EntityManager, sessionIds: readonly string[]): Promise<Assignment[]> {
  const out: Assignment[] = [];
  for (let i = 0; i < sessionIds.length; i += 5_000) {
    const rows = await rawRows<AssignmentRow>(
      m,
      `SELECT ${ASSIGNMENT_COLUMNS} FROM assignments a WHERE a.session_id IN (?)`,
      [sessionIds.slice(i, i + 5_000)],
    );
    for (const r of rows) out.push(assignmentOf(r));
  }
  // Ids in code-unit order, the same on every database.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => compare(a.sessionId, b.sessionId) || compare(a.guideId, b.guideId));
}

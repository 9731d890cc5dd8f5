import {
  type EntityManager,
  type EntityTarget,
  type FindOperator,
  type FindOptionsWhere,
  In,
  type ObjectLiteral,
} from 'typeorm';
import { ConflictError, NotFoundError, UnprocessableError } from '../domain/errors';
import { localTimeExists } from '../domain/time';
import { Assignment, Contract, Organisation, Session } from '../db/entities';
import type { Clock } from '../lib/clock';
import type { Store } from '../db/store';

/** Takes a guide off a published café and asks substitutes, as after a decline. */
export type ReleasePlace = (m: EntityManager, now: Date, a: Assignment, session: Session) => Promise<void>;

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  /** Takes a guide off a published café and asks substitutes (for a municipality's conflictPolicy 'release'). */
  releasePlace?: ReleasePlace;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** Published assignments, each with its session mapped as `a.session` (alias `s`), to narrow further with andWhere. */
export function publishedWithSessions(m: EntityManager) {
  return m
    .createQueryBuilder(Assignment, 'a')
    .innerJoinAndMapOne('a.session', Session, 's', 's.id = a.session_id')
    .where("a.status = 'published'");
}

/** The entity with this id, or a NotFoundError naming the resource. */
export async function getOr404<E extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<E>,
  resource: string,
  id: string,
): Promise<E> {
  const found = await m.findOneBy(entity, { id } as unknown as FindOptionsWhere<E>);
  if (!found) throw new NotFoundError(resource, id);
  return found;
}

/** Like getOr404, and the row stays locked until the transaction ends (PostgreSQL; sqlite has one writer): for read-check-write. */
export async function getForUpdate<E extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<E>,
  resource: string,
  id: string,
): Promise<E> {
  const qb = m.createQueryBuilder(entity, 'x').where('x.id = :id', { id });
  if (m.connection.options.type === 'postgres') qb.setLock('pessimistic_write');
  const found = await qb.getOne();
  if (!found) throw new NotFoundError(resource, id);
  return found;
}

/**
 * A reference inside a request body must point at something real: an unknown id there is a
 * 422 naming the field, not a 404 (the resource addressed by the URL does exist).
 */
export async function requireRef<E extends ObjectLiteral>(
  m: EntityManager,
  entity: EntityTarget<E>,
  where: FindOptionsWhere<E>,
  field: string,
  what: string,
): Promise<E> {
  const found = await m.findOneBy(entity, where);
  if (!found) {
    throw new UnprocessableError('unknown_reference', `${field} does not name a known ${what}`, [
      { field, issue: `no ${what} with this id` },
    ]);
  }
  return found;
}

/** Assign only the keys present, so `undefined` in a partial update never clears a field. */
export function assignDefined<T extends object>(target: T, changes: Partial<T>): void {
  for (const [k, v] of Object.entries(changes)) if (v !== undefined) (target as Record<string, unknown>)[k] = v;
}

export function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Optimistic versioning: an edit names the version it was made on; if the row has moved on
 * since, it is refused with 409 and nothing is written. The version then rises by one.
 */
export function nextVersion(row: { version: number }, expected: number | undefined): void {
  if (expected !== undefined && expected !== row.version) {
    throw new ConflictError(
      'version_conflict',
      'Someone changed this after you loaded it; load it again and redo your change',
      [{ field: 'body.version', issue: `current version is ${row.version}` }],
    );
  }
  row.version += 1;
}

export const emptyPage = <T>(limit: number, offset: number): Page<T> => ({ items: [], total: 0, limit, offset });

/** Visible organisations for a list: undefined = no limit, [] = nothing to show. */
export interface ListScope {
  municipalityIds?: string[];
  associationIds?: string[];
}

/** Where-clause pieces for a scope; null when the scope leaves nothing to show. */
export function scopeWhere(scope: ListScope): Record<string, FindOperator<string>> | null {
  const where: Record<string, FindOperator<string>> = {};
  if (scope.municipalityIds) {
    if (!scope.municipalityIds.length) return null;
    where.municipalityId = In(scope.municipalityIds) as FindOperator<string>;
  }
  if (scope.associationIds) {
    if (!scope.associationIds.length) return null;
    where.associationId = In(scope.associationIds) as FindOperator<string>;
  }
  return where;
}

/**
 * Calendar writes of one municipality (series, closures) take turns: on PostgreSQL the
 * municipality's row is locked until the transaction ends, so a closure and a new series
 * cannot each miss the other. sqlite has a single writer and needs no lock.
 */
export async function lockMunicipality(m: EntityManager, municipalityId: string): Promise<void> {
  if (m.connection.options.type !== 'postgres') return;
  await m
    .createQueryBuilder(Organisation, 'o')
    .setLock('pessimistic_write')
    .where('o.id = :id', { id: municipalityId })
    .getOne();
}

/** A municipality's time zone: its cafés' own, unless one names another. */
export async function municipalityZone(m: EntityManager, municipalityId: string): Promise<string> {
  return (await m.findOneByOrFail(Organisation, { id: municipalityId })).timeZone;
}

/** A café seats no more than its venue has: more is a typo (80 for 8) that the waiting list would hide. */
export function assertSeatsFit(seats: number, venue: { seats: number }, field = 'body.seats'): void {
  if (seats <= venue.seats) return;
  throw new UnprocessableError(
    'more_seats_than_venue',
    'The café would seat more seniors than its venue has room for',
    [{ field, issue: `must not be more than the venue's ${venue.seats} seats` }],
  );
}

/** A café's start exists on each of its dates: not in the hour skipped when the clocks go forward. */
export function assertTimeExists(dates: readonly string[], time: string, zone: string, field = 'body.startTime'): void {
  const missing = dates.find((d) => !localTimeExists(d, time, zone));
  if (!missing) return;
  throw new UnprocessableError('time_does_not_exist', 'The start time does not exist on a date of the café', [
    { field, issue: `${time} does not exist on ${missing} in ${zone}: the clocks go forward then` },
  ]);
}

/** The associations with a contract in a municipality, any time, or overlapping some dates. */
export async function contractedAssociations(
  m: EntityManager,
  municipalityId: string,
  dates?: { from: string; to: string },
): Promise<string[]> {
  const qb = m
    .createQueryBuilder(Contract, 'c')
    .select('DISTINCT c.association_id', 'id')
    .where('c.municipality_id = :municipalityId', { municipalityId });
  if (dates) qb.andWhere('c.starts_on <= :to AND c.ends_on >= :from', dates);
  return (await qb.getRawMany<{ id: string }>()).map((r) => r.id).sort();
}

/**
 * The association that runs a café on these dates: the one given, which must have a contract in
 * the municipality; else the one whose contracts cover the dates, where only one does; null
 * where none does (the café is then the association's whose contract covers its date, if one
 * comes). Where several do, the coordinator must say which (422 association_required).
 */
export async function cafeAssociation(
  m: EntityManager,
  municipalityId: string,
  given: string | null | undefined,
  dates: { from: string; to: string },
  field = 'body.associationId',
): Promise<string | null> {
  if (given) {
    if (!(await contractedAssociations(m, municipalityId)).includes(given))
      throw new UnprocessableError('association_not_contracted', `${field} has no contract in this municipality`, [
        { field, issue: 'this association has no contract with the municipality' },
      ]);
    return given;
  }
  const covering = await contractedAssociations(m, municipalityId, dates);
  if (covering.length > 1)
    throw new UnprocessableError(
      'association_required',
      'Several associations have a contract then: say which one runs the café',
      [{ field, issue: 'required when more than one association has a contract with the municipality then' }],
    );
  return covering[0] ?? null;
}

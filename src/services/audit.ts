import { type EntityManager, In, IsNull } from 'typeorm';
import { dropUndefined, emptyPage, type ListScope, type Page, type ServiceDeps } from './support';
import { AuditEntry } from '../db/entities';
import { newId } from '../db/columns';
import { type Actor, currentActor } from '../lib/context';
import { instantParam, rawRows } from './raw';

export interface AuditEvent {
  action: string;
  entityType: string;
  entityId: string;
  municipalityId: string | null;
  /** Names of the fields involved; never their values. */
  fields?: string[];
  /** Who did it, when not the request's actor (a login, before there is one). */
  actor?: Actor;
}

/** Writes an audit entry in the caller's transaction, so the log and the change land together. */
export async function audit(m: EntityManager, at: Date, event: AuditEvent): Promise<void> {
  const actor = event.actor ?? currentActor();
  await insertAuditRows(m, [
    {
      id: newId(),
      at,
      actorType: actor.type,
      actorId: actor.id,
      municipalityId: event.municipalityId,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      fields: event.fields ?? [],
    },
  ]);
}

/** Rows of the audit log per statement: 9 parameters each, well under sqlite's and PostgreSQL's limits. */
const AUDIT_ROWS_PER_INSERT = 500;

/**
 * Audit rows in plain SQL (the write path's hottest insert; TypeORM's insert building cost more
 * than the insert), as many per statement as fit, in the caller's transaction.
 */
async function insertAuditRows(m: EntityManager, rows: readonly AuditEntry[]): Promise<void> {
  for (let i = 0; i < rows.length; i += AUDIT_ROWS_PER_INSERT) {
    const batch = rows.slice(i, i + AUDIT_ROWS_PER_INSERT);
    await rawRows(
      m,
      `INSERT INTO audit_log (id, at, actor_type, actor_id, municipality_id, action, entity_type, entity_id, fields)
       VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((r) => [
        r.id,
        instantParam(m, r.at),
        r.actorType,
        r.actorId,
        r.municipalityId,
        r.action,
        r.entityType,
        r.entityId,
        JSON.stringify(r.fields),
      ]),
    );
  }
}

/**
 * Where seniors' names were shown: `senior.read.<view>`. Every read that shows seniors' names
 * writes an entry per senior shown, so `GET /audit?entityType=senior&entityId=…` answers who has
 * seen a senior, where and when, also in lists.
 */
export type SeniorView =
  | 'search'
  | 'week'
  | 'registrations'
  | 'registration'
  | 'attendance'
  | 'guide_search'
  | 'export'
  | 'sessions'
  | 'queue'
  | 'guide_page';

/** Logs that these seniors were shown in `view` to the current actor. Rows go in batches (sqlite's parameter limit). */
export async function auditShown(
  deps: Pick<ServiceDeps, 'store' | 'clock'>,
  view: SeniorView,
  seniors: readonly { id: string; municipalityId: string }[],
): Promise<void> {
  if (!seniors.length) return;
  const actor = currentActor();
  const at = deps.clock.now();
  const rows = [...new Map(seniors.map((s) => [s.id, s])).values()].map((s) => ({
    id: newId(),
    at,
    actorType: actor.type,
    actorId: actor.id,
    municipalityId: s.municipalityId,
    action: `senior.read.${view}`,
    entityType: 'senior',
    entityId: s.id,
    fields: [],
  }));
  await deps.store.transaction((m) => insertAuditRows(m, rows));
}

/**
 * Logs that these seniors were shown in `view` at a café to the current actor (or `actor`), once
 * per person per café: a page that polls (the queue asks every 1,5 seconds) writes a row for a
 * senior the first time it shows them, not on every read. The row's fields name the café's field
 * `session` and its id (`session:<id>`): how a later read knows it was written. The check and the
 * write are one transaction (the caller's `m`, if given).
 */
export async function auditShownOnce(
  deps: Pick<ServiceDeps, 'store' | 'clock'>,
  view: SeniorView,
  shown: readonly { sessionId: string; seniorId: string; municipalityId: string }[],
  actor: Actor = currentActor(),
  m?: EntityManager,
): Promise<void> {
  if (!shown.length) return;
  if (!m) return deps.store.transaction((tx) => auditShownOnce(deps, view, shown, actor, tx));
  const action = `senior.read.${view}`;
  const place = (sessionId: string) => `session:${sessionId}`;
  const wanted = new Map(shown.map((s) => [`${s.seniorId} ${place(s.sessionId)}`, s]));
  const seniorIds = [...new Set(shown.map((s) => s.seniorId))];
  for (let i = 0; i < seniorIds.length; i += 500) {
    const seen = await m.find(AuditEntry, {
      where: {
        entityType: 'senior',
        entityId: In(seniorIds.slice(i, i + 500)),
        action,
        actorType: actor.type,
        actorId: actor.id ?? IsNull(),
      },
      select: { entityId: true, fields: true },
    });
    for (const r of seen) for (const f of r.fields) wanted.delete(`${r.entityId} ${f}`);
  }
  if (!wanted.size) return;
  const at = deps.clock.now();
  const rows = [...wanted.values()].map((s) => ({
    id: newId(),
    at,
    actorType: actor.type,
    actorId: actor.id,
    municipalityId: s.municipalityId,
    action,
    entityType: 'senior',
    entityId: s.seniorId,
    fields: [place(s.sessionId)],
  }));
  await insertAuditRows(m, rows);
}

/** An entry on its own (a read of personal data, a failed login), in a transaction of its own. */
export function auditAlone(deps: Pick<ServiceDeps, 'store' | 'clock'>, event: AuditEvent): Promise<void> {
  return deps.store.transaction((m) => audit(m, deps.clock.now(), event));
}

/** The keys of a change that were given: what the audit log names. */
export const changedFields = (input: object) =>
  Object.entries(input)
    .filter(([k, v]) => v !== undefined && k !== 'version')
    .map(([k]) => k)
    .sort();

/** Reading the audit log, within what the caller may see. */
export class AuditLogService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(
    filter: { entityType?: string; entityId?: string; limit: number; offset: number } & ListScope,
  ): Promise<Page<AuditEntry>> {
    const { limit, offset, municipalityIds, entityType, entityId } = filter;
    if (municipalityIds && !municipalityIds.length) return emptyPage(limit, offset);
    const [items, total] = await this.deps.store.manager.findAndCount(AuditEntry, {
      where: {
        ...(municipalityIds ? { municipalityId: In(municipalityIds) } : {}),
        ...dropUndefined({ entityType, entityId }),
      },
      order: { at: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }
}

import { type EntityManager, In } from 'typeorm';
import { dropUndefined, emptyPage, type ListScope, type Page, type ServiceDeps } from './support';
import { AuditEntry } from '../db/entities';
import { newId } from '../db/columns';
import { type Actor, currentActor } from '../lib/context';

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
  await m.insert(AuditEntry, {
    id: newId(),
    at,
    actorType: actor.type,
    actorId: actor.id,
    municipalityId: event.municipalityId,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    fields: event.fields ?? [],
  });
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

import { Brackets, type EntityManager, In } from 'typeorm';
import { Organisation, Senior } from '../db/entities';
import { ConflictError, UnprocessableError } from '../domain/errors';
import { newId } from '../db/columns';
import type { CreateSenior, UpdateSenior } from '../contract/people';
import { audit, auditShown, changedFields, type SeniorView } from './audit';
import {
  emptyPage,
  getOr404,
  type ListScope,
  type Page,
  requireRef,
  type ServiceDeps,
  nextVersion,
  getForUpdate,
} from './support';

/** Seniors registered by a coordinator: the least data that does the job. */
export class SeniorService {
  constructor(private readonly deps: ServiceDeps) {}

  create(input: CreateSenior): Promise<Senior> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
      await requireRef(
        m,
        Organisation,
        { id: input.municipalityId, kind: 'municipality' },
        'body.municipalityId',
        'municipality',
      );
      const senior = await insertSenior(m, now, input);
      await audit(m, now, {
        action: 'senior.create',
        entityType: 'senior',
        entityId: senior.id,
        municipalityId: senior.municipalityId,
      });
      return senior;
    });
  }

  update(id: string, { version, ...input }: UpdateSenior): Promise<Senior> {
    return this.deps.store.transaction(async (m) => {
      const senior = await getForUpdate(m, Senior, 'senior', id);
      assertNotErased(senior);
      nextVersion(senior, version);
      assertConsentGiven(input.consentGivenAt, this.deps.clock.now(), 'body.consentGivenAt');
      for (const [k, v] of Object.entries(input)) {
        if (v === undefined) continue;
        (senior as unknown as Record<string, unknown>)[k] = k === 'consentGivenAt' ? new Date(v as string) : v;
      }
      senior.searchName = searchable(senior.displayName);
      senior.updatedAt = this.deps.clock.now();
      await audit(m, senior.updatedAt, {
        action: 'senior.update',
        entityType: 'senior',
        entityId: id,
        municipalityId: senior.municipalityId,
        fields: changedFields(input),
      });
      return m.save(senior);
    });
  }

  /** Display names only (an erased senior's is "Raderad"), for a form that shows who came; the read is logged. */
  async displayNames(ids: string[], view: SeniorView): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const rows = await this.deps.store.manager.find(Senior, {
      where: { id: In(ids) },
      select: { id: true, displayName: true, municipalityId: true },
    });
    await auditShown(this.deps, view, rows);
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  /** Reading one senior's personal data is logged. */
  get(id: string): Promise<Senior> {
    return this.deps.store.transaction(async (m) => {
      const senior = await getOr404(m, Senior, 'senior', id);
      await audit(m, this.deps.clock.now(), {
        action: 'senior.read',
        entityType: 'senior',
        entityId: id,
        municipalityId: senior.municipalityId,
      });
      return senior;
    });
  }

  /** Search by the start of a display name or by phone digits, for the registration desk. */
  /** `nameOnly`: search names, never phone numbers (for guides, who pick a walk-in by name). */
  async list(
    filter: { municipalityId?: string; q?: string; nameOnly?: boolean; limit: number; offset: number } & ListScope,
  ): Promise<Page<Senior>> {
    if (filter.municipalityIds && !filter.municipalityIds.length) return emptyPage(filter.limit, filter.offset);
    const qb = this.deps.store.manager.createQueryBuilder(Senior, 's');
    if (filter.municipalityIds) qb.andWhere('s.municipalityId IN (:...mids)', { mids: filter.municipalityIds });
    qb.andWhere('s.erasedAt IS NULL');
    if (filter.municipalityId) qb.andWhere('s.municipalityId = :mid', { mid: filter.municipalityId });
    if (filter.q) {
      const digits = filter.q.replace(/\D/g, '');
      qb.andWhere(
        new Brackets((w) => {
          w.where("s.searchName LIKE :name ESCAPE '\\'", { name: `${escapeLike(searchable(filter.q!))}%` });
          if (digits.length >= 3 && !filter.nameOnly) {
            w.orWhere("REPLACE(REPLACE(REPLACE(s.phone, ' ', ''), '-', ''), '+46', '0') LIKE :phone", {
              phone: `%${digits.replace(/^46/, '0')}%`,
            });
          }
        }),
      );
    }
    qb.orderBy('s.displayName', 'ASC').addOrderBy('s.id', 'ASC').limit(filter.limit).offset(filter.offset);
    const [items, total] = await qb.getManyAndCount();
    await auditShown(this.deps, filter.nameOnly ? 'guide_search' : 'search', items);
    return { items, total, limit: filter.limit, offset: filter.offset };
  }
}

/** An erased senior stays erased: their row is only an anonymous count now. */
export function assertNotErased(senior: Senior): void {
  if (senior.erasedAt) {
    throw new ConflictError('senior_erased', "This senior's data was erased; register them anew if they come back", [
      { field: 'params.id', issue: 'erased' },
    ]);
  }
}

/** How names are searched: lower case by Swedish rules, the same on every database. */
export const searchable = (name: string) => name.normalize('NFC').toLocaleLowerCase('sv');

/** A user's text inside LIKE: `%` and `_` are letters here, not wildcards. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A new senior row, in the caller's transaction (sign-up, or a walk-in recorded after a café). */
/** Consent is given before it is recorded: a date ahead of now (beyond a few minutes of clock skew) is a typo. */
export function assertConsentGiven(consentGivenAt: string | undefined, now: Date, field: string): void {
  if (consentGivenAt === undefined || new Date(consentGivenAt).getTime() <= now.getTime() + 5 * 60_000) return;
  throw new UnprocessableError('consent_in_future', 'Consent cannot be recorded before it is given', [
    { field, issue: 'must not be in the future' },
  ]);
}

/** `field`: where the senior's consent is in the request, for a refusal. */
export async function insertSenior(
  m: EntityManager,
  now: Date,
  input: CreateSenior,
  field = 'body.consentGivenAt',
): Promise<Senior> {
  assertConsentGiven(input.consentGivenAt, now, field);
  const senior = m.create(Senior, {
    ...input,
    id: newId(),
    version: 1,
    searchName: searchable(input.displayName),
    phone: input.phone ?? null,
    email: input.email ?? null,
    consentGivenAt: new Date(input.consentGivenAt),
    consentMethod: input.consentMethod ?? null,
    ageBand: input.ageBand ?? null,
    gender: input.gender ?? null,
    newlyArrived: input.newlyArrived ?? null,
    erasedAt: null,
    createdAt: now,
    updatedAt: now,
  });
  await m.insert(Senior, senior);
  return senior;
}

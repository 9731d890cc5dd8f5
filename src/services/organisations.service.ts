import { Contract, Organisation } from '../db/entities';
import { newId } from '../db/columns';
import { NotFoundError, UnprocessableError } from '../domain/errors';
import { DEFAULT_TIME_ZONE, type OrganisationKind } from '../domain/vocabulary';
import type { ContractInput, OrganisationInput, UpdateContract } from '../contract/organisations';
import { type EntityManager, In } from 'typeorm';
import { audit, changedFields } from './audit';
import type { PrincipalCache } from './principals';
import {
  assignDefined,
  emptyPage,
  lockMunicipality,
  type ListScope,
  type Page,
  requireRef,
  scopeWhere,
  type ServiceDeps,
} from './support';

/** Municipalities, contractor associations and the contracts between them. */
export class OrganisationService {
  /** `principals`: a contract opens one party's things to the other, so every principal is read again after a change. */
  constructor(private readonly deps: ServiceDeps & { principals: PrincipalCache }) {}

  create(kind: OrganisationKind, input: OrganisationInput): Promise<Organisation> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction((m) =>
      m.save(
        m.create(Organisation, {
          id: newId(),
          kind,
          name: input.name,
          contactEmail: input.contactEmail ?? null,
          timeZone: input.timeZone ?? DEFAULT_TIME_ZONE,
          conflictPolicy: input.conflictPolicy ?? 'ask',
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
  }

  async get(kind: OrganisationKind, id: string): Promise<Organisation> {
    const org = await this.deps.store.manager.findOneBy(Organisation, { id, kind });
    if (!org) throw new NotFoundError(kind, id);
    return org;
  }

  /** `ids`: the organisations the caller may see; undefined for all. */
  async list(kind: OrganisationKind, limit: number, offset: number, ids?: string[]): Promise<Page<Organisation>> {
    if (ids && !ids.length) return emptyPage(limit, offset);
    const [items, total] = await this.deps.store.manager.findAndCount(Organisation, {
      where: { kind, ...(ids ? { id: In(ids) } : {}) },
      order: { name: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  update(kind: OrganisationKind, id: string, input: Partial<OrganisationInput>): Promise<Organisation> {
    return this.deps.store.transaction(async (m) => {
      const org = await m.findOneBy(Organisation, { id, kind });
      if (!org) throw new NotFoundError(kind, id);
      assignDefined(org, input);
      org.updatedAt = this.deps.clock.now();
      return m.save(org);
    });
  }

  async createContract(input: ContractInput): Promise<Contract> {
    const now = this.deps.clock.now();
    try {
      return await this.deps.store.transaction(async (m) => {
        await requireRef(
          m,
          Organisation,
          { id: input.municipalityId, kind: 'municipality' },
          'body.municipalityId',
          'municipality',
        );
        await requireRef(
          m,
          Organisation,
          { id: input.associationId, kind: 'association' },
          'body.associationId',
          'association',
        );
        await lockMunicipality(m, input.municipalityId);
        await nameCafesBefore(m, input);
        const { hourlyRate, ...fields } = input;
        const contract = await m.save(
          m.create(Contract, {
            ...fields,
            id: newId(),
            reference: input.reference ?? null,
            hourlyRateOre: toOre(hourlyRate),
            createdAt: now,
            updatedAt: now,
          }),
        );
        // A contract opens one party's things to the other: who made it matters.
        await audit(m, now, {
          action: 'contract.create',
          entityType: 'contract',
          entityId: contract.id,
          municipalityId: contract.municipalityId,
        });
        return m.findOneOrFail(Contract, { where: { id: contract.id }, relations: { association: true } });
      });
    } finally {
      // Also when the change rolls back: on sqlite a principal read meanwhile may have seen it uncommitted.
      this.deps.principals.forgetAll();
    }
  }

  /** A contract's period changes what its association's staff may see from the day it applies. */
  async updateContract(id: string, input: UpdateContract): Promise<Contract> {
    const now = this.deps.clock.now();
    try {
      return await this.deps.store.transaction(async (m) => {
        const contract = await m.findOneBy(Contract, { id });
        if (!contract) throw new NotFoundError('contract', id);
        const { hourlyRate, ...fields } = input;
        assignDefined(contract, fields);
        if (input.reference === null) contract.reference = null;
        if (hourlyRate !== undefined) contract.hourlyRateOre = toOre(hourlyRate);
        if (contract.startsOn > contract.endsOn) {
          throw new UnprocessableError('invalid_contract', 'The contract would end before it starts', [
            { field: input.endsOn ? 'body.endsOn' : 'body.startsOn', issue: 'must not be before startsOn' },
          ]);
        }
        contract.updatedAt = now;
        await m.save(contract);
        await audit(m, now, {
          action: 'contract.update',
          entityType: 'contract',
          entityId: id,
          municipalityId: contract.municipalityId,
          fields: changedFields(input),
        });
        return m.findOneOrFail(Contract, { where: { id: contract.id }, relations: { association: true } });
      });
    } finally {
      // Also when the change rolls back: on sqlite a principal read meanwhile may have seen it uncommitted.
      this.deps.principals.forgetAll();
    }
  }

  async getContract(id: string): Promise<Contract> {
    const c = await this.deps.store.manager.findOne(Contract, { where: { id }, relations: { association: true } });
    if (!c) throw new NotFoundError('contract', id);
    return c;
  }

  /** Contracts within a scope (which already holds any filter by municipality or association). */
  async listContracts(filter: { limit: number; offset: number } & ListScope): Promise<Page<Contract>> {
    const { limit, offset, municipalityIds, associationIds } = filter;
    const scope = scopeWhere({ municipalityIds, associationIds });
    if (!scope) return emptyPage(limit, offset);
    const [items, total] = await this.deps.store.manager.findAndCount(Contract, {
      where: scope,
      relations: { association: true },
      order: { startsOn: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }
}

/** Kronor to öre, the unit stored: whole numbers add up exactly. */
const toOre = (kronor: number | null | undefined) => (kronor == null ? null : Math.round(kronor * 100));

/**
 * A café that names no association is the one's whose contract covers its date. Before a new
 * contract could make that ambiguous, the cafés on its dates that one association's contracts
 * cover now are named as that association's (series by the dates they run).
 */
async function nameCafesBefore(m: EntityManager, c: { municipalityId: string; startsOn: string; endsOn: string }) {
  const covering = (from: string, to: string) =>
    `FROM contracts c WHERE c.municipality_id = :municipalityId AND c.starts_on <= ${to} AND c.ends_on >= ${from}`;
  for (const [table, from, to] of [
    ['sessions', 'local_date', 'local_date'],
    ['session_series', 'first_date', 'last_date'],
  ] as const) {
    const cover = covering(`${table}.${from}`, `${table}.${to}`);
    await m.query(
      ...m.connection.driver.escapeQueryWithParameters(
        `UPDATE ${table} SET association_id = (SELECT MIN(c.association_id) ${cover})
         WHERE municipality_id = :municipalityId AND association_id IS NULL AND ${from} <= :endsOn AND ${to} >= :startsOn
         AND (SELECT COUNT(DISTINCT c.association_id) ${cover}) = 1`,
        { municipalityId: c.municipalityId, startsOn: c.startsOn, endsOn: c.endsOn },
      ),
    );
  }
}

import { Contract, Organisation } from '../db/entities';
import { newId } from '../db/columns';
import { NotFoundError } from '../domain/errors';
import type { OrganisationKind } from '../domain/vocabulary';
import type { ContractInput, OrganisationInput } from '../contract/organisations';
import { In } from 'typeorm';
import { audit } from './audit';
import {
  assignDefined,
  emptyPage,
  type ListScope,
  type Page,
  requireRef,
  scopeWhere,
  type ServiceDeps,
} from './support';

/** Municipalities, contractor associations and the contracts between them. */
export class OrganisationService {
  constructor(private readonly deps: ServiceDeps) {}

  create(kind: OrganisationKind, input: OrganisationInput): Promise<Organisation> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction((m) =>
      m.save(
        m.create(Organisation, {
          id: newId(),
          kind,
          name: input.name,
          contactEmail: input.contactEmail ?? null,
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

  createContract(input: ContractInput): Promise<Contract> {
    const now = this.deps.clock.now();
    return this.deps.store.transaction(async (m) => {
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
      const contract = await m.save(
        m.create(Contract, {
          ...input,
          id: newId(),
          reference: input.reference ?? null,
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
      return contract;
    });
  }

  async getContract(id: string): Promise<Contract> {
    const c = await this.deps.store.manager.findOneBy(Contract, { id });
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
      order: { startsOn: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }
}

import { within } from '../../domain/access';
import type { Services } from '../../services';
import { ADMINS, allow, EVERYONE, pathId } from '../access';
import { toContract, toOrganisation, toPage } from '../mappers';
import { route } from '../route';
import { IdParams, page, Paging } from '../../contract/common';
import {
  Contract,
  ContractBody,
  ContractQuery,
  Organisation,
  OrganisationBody,
  UpdateContractBody,
  UpdateOrganisationBody,
} from '../../contract/organisations';

const kinds = [
  {
    kind: 'municipality',
    path: '/municipalities',
    tag: 'Municipalities',
    one: 'a municipality',
    visible: 'municipalityIds',
  },
  {
    kind: 'association',
    path: '/associations',
    tag: 'Associations',
    one: 'a contractor association',
    visible: 'associationIds',
  },
] as const;

export const organisationRoutes = ({ organisations }: Services) => [
  ...kinds.flatMap(({ kind, path, tag, one, visible }) => [
    route({
      method: 'post',
      path,
      tag,
      summary: `Create ${one}`,
      access: allow(ADMINS),
      body: OrganisationBody,
      response: Organisation,
      status: 201,
      handler: async ({ body }) => toOrganisation(await organisations.create(kind, body)),
    }),
    route({
      method: 'get',
      path,
      tag,
      summary: `List ${kind === 'municipality' ? 'municipalities' : 'associations'} you may see`,
      access: allow(EVERYONE),
      query: Paging,
      response: page(Organisation),
      handler: async ({ query }, { principal }) =>
        toPage(
          await organisations.list(kind, query.limit, query.offset, principal[visible] ?? undefined),
          toOrganisation,
        ),
    }),
    route({
      method: 'get',
      path: `${path}/:id`,
      tag,
      summary: `Get ${one}`,
      access: allow(EVERYONE, pathId(kind)),
      params: IdParams,
      response: Organisation,
      handler: async ({ params }) => toOrganisation(await organisations.get(kind, params.id)),
    }),
    route({
      method: 'patch',
      path: `${path}/:id`,
      tag,
      summary: `Change ${one}`,
      access: allow(ADMINS, pathId(kind)),
      params: IdParams,
      body: UpdateOrganisationBody,
      response: Organisation,
      handler: async ({ params, body }) => toOrganisation(await organisations.update(kind, params.id, body)),
    }),
  ]),
  route({
    method: 'post',
    path: '/contracts',
    tag: 'Contracts',
    summary: 'Create a contract between a municipality and an association',
    access: allow(ADMINS),
    body: ContractBody,
    response: Contract,
    status: 201,
    handler: async ({ body }) => toContract(await organisations.createContract(body)),
  }),
  route({
    method: 'get',
    path: '/contracts',
    tag: 'Contracts',
    summary: 'List contracts',
    access: allow(EVERYONE),
    query: ContractQuery,
    response: page(Contract),
    // Staff see their association's contracts, everyone else their municipality's; a filter narrows that, never widens it.
    handler: async ({ query }, { principal: p }) =>
      toPage(
        await organisations.listContracts({
          limit: query.limit,
          offset: query.offset,
          municipalityIds: within(p.role === 'association_staff' ? null : p.municipalityIds, query.municipalityId),
          associationIds: within(p.role === 'association_staff' ? p.associationIds : null, query.associationId),
        }),
        toContract,
      ),
  }),
  route({
    method: 'patch',
    path: '/contracts/:id',
    tag: 'Contracts',
    summary: "Change a contract's period, reporting period, reference or hourly rate",
    access: allow(ADMINS, pathId('contract')),
    params: IdParams,
    body: UpdateContractBody,
    response: Contract,
    handler: async ({ params, body }) => toContract(await organisations.updateContract(params.id, body)),
  }),
  route({
    method: 'get',
    path: '/contracts/:id',
    tag: 'Contracts',
    summary: 'Get a contract',
    access: allow(EVERYONE, pathId('contract')),
    params: IdParams,
    response: Contract,
    handler: async ({ params }) => toContract(await organisations.getContract(params.id)),
  }),
];

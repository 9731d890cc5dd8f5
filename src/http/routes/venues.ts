import type { Services } from '../../services';
import { allow, bodyRef, EVERYONE, listScope, pathId, PLANNERS } from '../access';
import { toConflicts, toPage, toVenue } from '../mappers';
import { route } from '../route';
import { IdParams, page } from '../../contract/common';
import { CreateVenueBody, TravelBody, UpdateVenueBody, Venue, VenueQuery } from '../../contract/venues';
import { VenueTravelChanged } from '../../contract/planning';

const tag = 'Venues';

export const venueRoutes = ({ venues }: Services) => [
  route({
    method: 'post',
    path: '/venues',
    tag,
    summary: 'Create a venue',
    access: allow(PLANNERS, bodyRef('municipalityId', 'municipality')),
    body: CreateVenueBody,
    response: Venue,
    status: 201,
    handler: async ({ body }) => toVenue(await venues.create(body)),
  }),
  route({
    method: 'get',
    path: '/venues',
    tag,
    summary: 'List venues',
    access: allow(EVERYONE),
    query: VenueQuery,
    response: page(Venue),
    handler: async ({ query }, { principal }) =>
      toPage(
        await venues.list({ ...query, municipalityIds: listScope(principal, query.municipalityId).municipalityIds }),
        toVenue,
      ),
  }),
  route({
    method: 'get',
    path: '/venues/:id',
    tag,
    summary: 'Get a venue',
    access: allow(EVERYONE, pathId('venue')),
    params: IdParams,
    response: Venue,
    handler: async ({ params }) => toVenue(await venues.get(params.id)),
  }),
  route({
    method: 'patch',
    path: '/venues/:id',
    tag,
    summary: 'Change a venue',
    access: allow(PLANNERS, pathId('venue')),
    params: IdParams,
    body: UpdateVenueBody,
    response: Venue,
    handler: async ({ params, body }) => toVenue(await venues.update(params.id, body)),
  }),
  route({
    method: 'put',
    path: '/venues/:id/travel',
    tag,
    summary: 'Set the travel minutes to another venue (both ways)',
    access: allow(PLANNERS, pathId('venue'), bodyRef('toVenueId', 'venue')),
    params: IdParams,
    body: TravelBody,
    response: VenueTravelChanged,
    handler: async ({ params, body }) => {
      const changed = await venues.setTravel(params.id, body);
      return { ...toVenue(changed), conflicts: toConflicts(changed.conflicts) };
    },
  }),
];

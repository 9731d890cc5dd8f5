import type { Services } from '../../services';
import { toPage, toVenue } from '../mappers';
import { route } from '../route';
import { IdParams, page } from '../schemas/common';
import { CreateVenueBody, TravelBody, UpdateVenueBody, Venue, VenueQuery } from '../schemas/venues';

const tag = 'Venues';

export const venueRoutes = ({ venues }: Services) => [
  route({ method: 'post', path: '/venues', tag, summary: 'Create a venue', body: CreateVenueBody, response: Venue, status: 201,
    handler: async ({ body }) => toVenue(await venues.create(body)) }),
  route({ method: 'get', path: '/venues', tag, summary: 'List venues', query: VenueQuery, response: page(Venue),
    handler: async ({ query }) => toPage(await venues.list(query), toVenue) }),
  route({ method: 'get', path: '/venues/:id', tag, summary: 'Get a venue', params: IdParams, response: Venue,
    handler: async ({ params }) => toVenue(await venues.get(params.id)) }),
  route({ method: 'patch', path: '/venues/:id', tag, summary: 'Change a venue', params: IdParams, body: UpdateVenueBody, response: Venue,
    handler: async ({ params, body }) => toVenue(await venues.update(params.id, body)) }),
  route({ method: 'put', path: '/venues/:id/travel', tag, summary: 'Set the travel minutes to another venue (both ways)', params: IdParams,
    body: TravelBody, response: Venue,
    handler: async ({ params, body }) => toVenue(await venues.setTravel(params.id, body)) }),
];

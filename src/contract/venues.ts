import { z } from 'zod';
import { EQUIPMENT, VENUE_KINDS } from '../domain/vocabulary';
import { BooleanFlag, Id, Instant, Paging, hasChange, patchShape, Version } from './common';

const fields = {
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(300),
  kind: z.enum(VENUE_KINDS),
  seats: z.number().int().min(1).max(500),
  equipment: z.array(z.enum(EQUIPMENT)).max(EQUIPMENT.length).default([]),
  accessibilityNote: z.string().trim().max(500).nullish(),
  expectedWalkIns: z
    .number()
    .int()
    .min(0)
    .max(50)
    .default(0)
    .describe('Seniors who usually drop in without signing up; the planner staffs for them too'),
  active: z.boolean().default(true),
};

export const CreateVenueBody = z.object({ municipalityId: Id, ...fields });
export type CreateVenue = z.output<typeof CreateVenueBody>;
export const UpdateVenueBody = z
  .object({ ...patchShape(fields), version: Version })
  .refine(hasChange, 'give at least one field to change');
export type UpdateVenue = z.output<typeof UpdateVenueBody>;

export const VenueQuery = Paging.extend({ municipalityId: Id.optional(), active: BooleanFlag.optional() });

export const TravelBody = z.object({
  toVenueId: Id,
  minutes: z.number().int().min(0).max(600),
});
export type TravelInput = z.output<typeof TravelBody>;

export const Venue = z.object({
  id: Id,
  version: z.number().int(),
  municipalityId: Id,
  name: z.string(),
  address: z.string(),
  kind: z.enum(VENUE_KINDS),
  seats: z.number().int(),
  equipment: z.array(z.enum(EQUIPMENT)),
  accessibilityNote: z.string().nullable(),
  expectedWalkIns: z.number().int(),
  active: z.boolean(),
  travel: z.array(z.object({ toVenueId: Id, minutes: z.number().int() })),
  createdAt: Instant,
  updatedAt: Instant,
});

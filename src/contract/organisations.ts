import { z } from 'zod';
import { CONFLICT_POLICIES, REPORTING_PERIODS } from '../domain/vocabulary';
import { Email, hasChange, Id, Instant, LocalDate, Paging, patchShape, TimeZone } from './common';

const organisationFields = {
  name: z.string().trim().min(1).max(200),
  contactEmail: Email.nullish().describe('A role address for reports, e.g. it-cafe@kommun.se'),
  timeZone: TimeZone.describe("A municipality's zone, its cafés' default"),
  conflictPolicy: z
    .enum(CONFLICT_POLICIES)
    .default('ask')
    .describe(
      "A municipality's choice when a change keeps a guide from a published café: 'ask' the coordinator (ranked substitutes ready) or 'release' the place at once and ask substitutes, as after a decline",
    ),
};
export const OrganisationBody = z.object(organisationFields);
export const UpdateOrganisationBody = z
  .object(patchShape(organisationFields))
  .refine(hasChange, 'give at least one field to change');
/** What the API passes (every field checked, the zone defaulted); other callers may leave out the zone. */
export type OrganisationInput = z.input<typeof OrganisationBody>;

export const Organisation = z.object({
  id: Id,
  kind: z.enum(['municipality', 'association']),
  name: z.string(),
  contactEmail: z.string().nullable(),
  timeZone: z.string(),
  conflictPolicy: z.enum(CONFLICT_POLICIES),
  createdAt: Instant,
  updatedAt: Instant,
});

/** Kronor per guide hour, the invoice's basis, to the öre. */
const HourlyRate = z
  .number()
  .min(0)
  .max(10_000)
  .refine(
    (n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6,
    'at most two decimals',
  )
  .describe('SEK per guide hour, if the contract has an hourly basis');

export const ContractBody = z
  .object({
    municipalityId: Id,
    associationId: Id,
    reference: z.string().trim().max(100).nullish(),
    startsOn: LocalDate,
    endsOn: LocalDate,
    reportingPeriod: z.enum(REPORTING_PERIODS).default('month'),
    hourlyRate: HourlyRate.nullish(),
  })
  .refine((c) => c.startsOn <= c.endsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type ContractInput = z.output<typeof ContractBody>;

export const UpdateContractBody = z
  .object({
    reference: z.string().trim().max(100).nullish(),
    startsOn: LocalDate.optional(),
    endsOn: LocalDate.optional(),
    reportingPeriod: z.enum(REPORTING_PERIODS).optional(),
    hourlyRate: HourlyRate.nullish(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'give at least one field to change')
  .refine((c) => !c.startsOn || !c.endsOn || c.startsOn <= c.endsOn, {
    path: ['endsOn'],
    message: 'must not be before startsOn',
  });
export type UpdateContract = z.output<typeof UpdateContractBody>;

export const ContractQuery = Paging.extend({ municipalityId: Id.optional(), associationId: Id.optional() });

export const Contract = z.object({
  id: Id,
  municipalityId: Id,
  associationId: Id,
  associationName: z.string().describe('The association, by name (for a choice on a page)'),
  reference: z.string().nullable(),
  startsOn: LocalDate,
  endsOn: LocalDate,
  reportingPeriod: z.enum(REPORTING_PERIODS),
  hourlyRate: z.number().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

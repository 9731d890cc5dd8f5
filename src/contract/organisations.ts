import { z } from 'zod';
import { REPORTING_PERIODS } from '../domain/vocabulary';
import { Email, Id, Instant, LocalDate, Paging } from './common';

export const OrganisationBody = z.object({
  name: z.string().trim().min(1).max(200),
  contactEmail: Email.nullish().describe('A role address for reports, e.g. it-cafe@kommun.se'),
});
export type OrganisationInput = z.output<typeof OrganisationBody>;

export const Organisation = z.object({
  id: Id,
  kind: z.enum(['municipality', 'association']),
  name: z.string(),
  contactEmail: z.string().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ContractBody = z
  .object({
    municipalityId: Id,
    associationId: Id,
    reference: z.string().trim().max(100).nullish(),
    startsOn: LocalDate,
    endsOn: LocalDate,
    reportingPeriod: z.enum(REPORTING_PERIODS).default('month'),
  })
  .refine((c) => c.startsOn <= c.endsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type ContractInput = z.output<typeof ContractBody>;

export const ContractQuery = Paging.extend({ municipalityId: Id.optional(), associationId: Id.optional() });

export const Contract = z.object({
  id: Id,
  municipalityId: Id,
  associationId: Id,
  reference: z.string().nullable(),
  startsOn: LocalDate,
  endsOn: LocalDate,
  reportingPeriod: z.enum(REPORTING_PERIODS),
  createdAt: Instant,
  updatedAt: Instant,
});

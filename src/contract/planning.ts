import { z } from 'zod';
import { MAX_SERIES_YEARS } from '../domain/recurrence';
import { addYears } from '../domain/time';
import { CANCEL_SOURCES, SESSION_STATUSES } from '../domain/vocabulary';
import { Venue } from './venues';
import { Guide } from './people';
import {
  BooleanFlag,
  hasChange,
  Id,
  Instant,
  LocalDate,
  LocalTime,
  Paging,
  Reason,
  patchShape,
  CafeTimeZone,
  Version,
  Weekday,
} from './common';

const guideCounts = {
  minGuides: z.number().int().min(2).max(10).default(2).describe('Guides always work at least in pairs'),
  maxGuides: z.number().int().min(2).max(10).default(3),
};
const guidesInOrder = (b: { minGuides?: number; maxGuides?: number }) =>
  b.minGuides === undefined || b.maxGuides === undefined || b.minGuides <= b.maxGuides;

const seriesFields = {
  venueId: Id,
  associationId: Id.nullish().describe(
    'The contractor association that runs the café; required when more than one has a contract with the municipality',
  ),
  weekday: Weekday,
  startTime: LocalTime.describe('Local wall-clock time, e.g. 14:00'),
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(12 * 60),
  timeZone: CafeTimeZone,
  intervalWeeks: z.number().int().min(1).max(8).default(1).describe('1 = every week, 2 = every other week'),
  anchorDate: LocalDate.optional().describe('A date in a week the café runs; defaults to firstDate'),
  firstDate: LocalDate,
  lastDate: LocalDate,
  seats: z.number().int().min(1).max(500),
  ...guideCounts,
  theme: z.string().trim().min(1).max(100).nullish().describe('e.g. BankID'),
  skipHolidays: z.boolean().default(true).describe('Skip Swedish public holidays and the eves around them'),
};

const lastAfterFirst = (b: { firstDate?: string; lastDate?: string }) =>
  !b.firstDate || !b.lastDate || b.firstDate <= b.lastDate;
const atMostTenYears = (b: { firstDate?: string; lastDate?: string }) =>
  !b.firstDate || !b.lastDate || b.lastDate <= addYears(b.firstDate, MAX_SERIES_YEARS);

export const CreateSeriesBody = z
  .object(seriesFields)
  .refine(lastAfterFirst, { path: ['lastDate'], message: 'must not be before firstDate' })
  .refine(atMostTenYears, { path: ['lastDate'], message: 'a series spans at most ten years' })
  .refine(guidesInOrder, { path: ['maxGuides'], message: 'must not be less than minGuides' });
export type CreateSeries = z.output<typeof CreateSeriesBody>;

export const UpdateSeriesBody = z
  .object({ ...patchShape(seriesFields), version: Version })
  .refine(hasChange, 'give at least one field to change')
  .refine(lastAfterFirst, { path: ['lastDate'], message: 'must not be before firstDate' })
  .refine(atMostTenYears, { path: ['lastDate'], message: 'a series spans at most ten years' })
  .refine(guidesInOrder, { path: ['maxGuides'], message: 'must not be less than minGuides' });
export type UpdateSeries = z.output<typeof UpdateSeriesBody>;

export const SeriesQuery = Paging.extend({
  municipalityId: Id.optional(),
  venueId: Id.optional(),
  archived: BooleanFlag.optional().describe('true: the ended cafés instead of the running ones'),
});

export const ArchiveSeriesBody = z.object({ version: Version });

const SkippedDate = z.object({ date: LocalDate, reason: z.enum(['holiday', 'closure']), name: z.string() });

export const Series = z.object({
  id: Id,
  version: z.number().int(),
  municipalityId: Id,
  venueId: Id,
  associationId: Id.nullable().describe('The association that runs the café; null: the only one under contract'),
  weekday: Weekday,
  startTime: LocalTime,
  durationMinutes: z.number().int(),
  timeZone: z.string(),
  intervalWeeks: z.number().int(),
  anchorDate: LocalDate,
  firstDate: LocalDate,
  lastDate: LocalDate,
  seats: z.number().int(),
  minGuides: z.number().int(),
  maxGuides: z.number().int(),
  theme: z.string().nullable(),
  skipHolidays: z.boolean(),
  archivedAt: Instant.nullable().describe('When the café ended; ended cafés are listed with archived=true'),
  createdAt: Instant,
  updatedAt: Instant,
});

/** What a change to the calendar did to the concrete sessions. */
export const SessionChanges = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  cancelled: z.number().int().describe('Sessions with registrations that no longer fit: kept, cancelled with a reason'),
  restored: z.number().int(),
  removed: z.number().int().describe('Future sessions nobody had signed up for that no longer fit'),
  skipped: z.array(SkippedDate).describe('Dates the rule yields on which no café runs'),
  sessions: z
    .array(
      z.object({
        date: LocalDate,
        startsAt: Instant,
        venueId: Id,
        change: z.enum(['created', 'updated', 'cancelled', 'restored', 'removed']),
        registrations: z.number().int().describe('Seniors signed up for a cancelled session, who must be told'),
      }),
    )
    .describe('Each session touched, in time order'),
});

/** What a change would do, nothing stored (a preview). */
export const ChangesPreview = z.object({ changes: SessionChanges });

export const SeriesWithChanges = Series.extend({ changes: SessionChanges });

export const SessionQuery = Paging.extend({
  municipalityId: Id.optional(),
  venueId: Id.optional(),
  seriesId: Id.optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  from: LocalDate.optional().describe('First local date, inclusive'),
  to: LocalDate.optional().describe('Last local date, inclusive'),
}).refine((q) => !q.from || !q.to || q.from <= q.to, { path: ['to'], message: 'must not be before from' });

const sessionFields = {
  venueId: Id,
  associationId: Id.nullish().describe(
    'The contractor association that runs the café; required when more than one has a contract with the municipality',
  ),
  date: LocalDate.describe('Local date'),
  startTime: LocalTime,
  durationMinutes: z
    .number()
    .int()
    .min(15)
    .max(12 * 60),
  timeZone: CafeTimeZone,
  seats: z.number().int().min(1).max(500),
  ...guideCounts,
  theme: z.string().trim().min(1).max(100).nullish(),
};

export const CreateSessionBody = z
  .object(sessionFields)
  .refine(guidesInOrder, { path: ['maxGuides'], message: 'must not be less than minGuides' });
export type CreateSession = z.output<typeof CreateSessionBody>;

/** Move (date, time, venue) or change one session; it then stands apart from its series. */
export const UpdateSessionBody = z
  .object({ ...patchShape(sessionFields), version: Version })
  .refine(hasChange, 'give at least one field to change')
  .refine(guidesInOrder, { path: ['maxGuides'], message: 'must not be less than minGuides' });
export type UpdateSession = z.output<typeof UpdateSessionBody>;

export const CancelBody = z.object({ reason: z.string().trim().min(1).max(500) });

export const Session = z.object({
  id: Id,
  version: z.number().int(),
  municipalityId: Id,
  venueId: Id,
  associationId: Id.nullable().describe('The association that runs the café; null: the only one under contract'),
  seriesId: Id.nullable(),
  localDate: LocalDate,
  startTime: LocalTime.describe('Local start time in timeZone'),
  endTime: LocalTime,
  startsAt: Instant,
  endsAt: Instant,
  timeZone: z.string(),
  seats: z.number().int(),
  minGuides: z.number().int(),
  maxGuides: z.number().int(),
  theme: z.string().nullable(),
  status: z.enum(SESSION_STATUSES),
  cancelSource: z.enum(CANCEL_SOURCES).nullable(),
  cancelReason: z.string().nullable(),
  detached: z.boolean().describe('Moved or changed by hand: changes to the series leave it alone'),
});

/** A guide on a session who can no longer come after a change, and why (the engine's words). */
export const AssignmentConflict = z.object({
  assignmentId: Id,
  sessionId: Id,
  guideId: Id,
  status: z.enum(['draft', 'published']),
  reasons: z.array(Reason).describe('What keeps the guide from the session now'),
  released: z
    .boolean()
    .describe("Taken off and substitutes asked, by the municipality's conflictPolicy 'release' (published only)"),
});
export const SessionWithConflicts = Session.extend({
  conflicts: z
    .array(AssignmentConflict)
    .describe('Guides the change keeps from this or their other cafés that week: kept on, for the coordinator to act'),
});

export const SeriesChanged = SeriesWithChanges.extend({ conflicts: z.array(AssignmentConflict) });
export const GuideChanged = Guide.extend({
  conflicts: z
    .array(AssignmentConflict)
    .describe("Cafés the guide's new times, days off or hours keep them from: kept on, for the coordinator to act"),
});
export const VenueTravelChanged = Venue.extend({
  conflicts: z
    .array(AssignmentConflict)
    .describe('Guides the longer travel keeps from one of two cafés they work the same day'),
});
export const SeriesChangePreview = ChangesPreview.extend({
  conflicts: z.array(AssignmentConflict).describe('Guides the change would keep from cafés they are on'),
});

export const ClosureBody = z
  .object({
    municipalityId: Id,
    venueId: Id.nullish().describe('Close one venue only; leave out to close the whole municipality'),
    name: z.string().trim().min(1).max(200).describe('e.g. Höstlov'),
    startsOn: LocalDate,
    endsOn: LocalDate,
  })
  .refine((c) => c.startsOn <= c.endsOn, { path: ['endsOn'], message: 'must not be before startsOn' });
export type ClosureInput = z.output<typeof ClosureBody>;

export const ClosureQuery = Paging.extend({ municipalityId: Id.optional() });

export const Closure = z.object({
  id: Id,
  municipalityId: Id,
  venueId: Id.nullable(),
  name: z.string(),
  startsOn: LocalDate,
  endsOn: LocalDate,
  createdAt: Instant,
});

export const ClosureWithChanges = Closure.extend({ changes: SessionChanges });

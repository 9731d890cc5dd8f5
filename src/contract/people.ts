import { z } from 'zod';
import {
  AGE_BANDS,
  CONSENT_METHODS,
  DEVICE_KINDS,
  GENDERS,
  LANGUAGE_LEVELS,
  PLATFORMS,
  REGISTRATION_STATUSES,
  SKILL_LEVELS,
  TOPICS,
} from '../domain/vocabulary';
import {
  BooleanFlag,
  Email,
  Id,
  Instant,
  LanguageCode,
  LocalDate,
  LocalTime,
  Paging,
  Phone,
  Weekday,
  hasChange,
  patchShape,
  Version,
} from './common';

/** Adds an issue at `path.i.key` for every item whose key repeats an earlier one. */
const uniqueBy = <T>(
  items: T[] | undefined,
  key: (t: T) => string,
  ctx: z.RefinementCtx,
  path: string,
  what: string,
) => {
  const seen = new Set<string>();
  items?.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [path, i], message: `${what} ${k} is listed twice` });
    seen.add(k);
  });
};

export const AvailabilityWindow = z
  .object({
    weekday: Weekday,
    start: LocalTime,
    end: LocalTime,
    validFrom: LocalDate.nullish().describe('The first day this window holds (a term timetable); open when left out'),
    validTo: LocalDate.nullish().describe('The last day it holds'),
  })
  .refine((w) => w.start < w.end, { path: ['end'], message: 'must be after start' })
  .refine((w) => !w.validFrom || !w.validTo || w.validFrom <= w.validTo, {
    path: ['validTo'],
    message: 'must not be before validFrom',
  });

const guideFields = {
  name: z.string().trim().min(1).max(200),
  email: Email,
  phone: Phone.nullish(),
  school: z.string().trim().max(200).nullish(),
  programme: z.string().trim().max(200).nullish().describe('e.g. Språkintroduktion'),
  swedishLevel: z.enum(LANGUAGE_LEVELS),
  languages: z
    .array(z.object({ language: LanguageCode, level: z.enum(LANGUAGE_LEVELS) }))
    .max(10)
    .default([]),
  platforms: z
    .array(z.object({ platform: z.enum(PLATFORMS), level: z.enum(SKILL_LEVELS) }))
    .min(1)
    .max(PLATFORMS.length),
  startDate: LocalDate.describe('First day as a guide; new guides are paired with experienced ones'),
  endDate: LocalDate.nullish().describe(
    "The contract's last day: the guide is not planned after it, and published sessions after it go to others",
  ),
  topics: z.array(z.enum(TOPICS)).max(TOPICS.length).default([]).describe('What the guide can help with'),
  maxHoursPerWeek: z.number().min(0.5).max(40).multipleOf(0.5),
  availability: z.array(AvailabilityWindow).max(21).default([]).describe('Weekly windows, local time'),
  unavailableDates: z
    .array(z.object({ date: LocalDate, reason: z.string().trim().max(200).nullish() }))
    .max(366)
    .default([]),
  active: z.boolean().default(true),
};

type GuideShape = {
  languages?: { language: string }[];
  platforms?: { platform: string }[];
  availability?: { weekday: string; start: string; end: string; validFrom?: string | null; validTo?: string | null }[];
  unavailableDates?: { date: string }[];
};
const guideRules = (g: GuideShape, ctx: z.RefinementCtx) => {
  uniqueBy(g.languages, (l) => l.language, ctx, 'languages', 'language');
  uniqueBy(g.platforms, (p) => p.platform, ctx, 'platforms', 'platform');
  uniqueBy(g.unavailableDates, (d) => d.date, ctx, 'unavailableDates', 'date');
  const windows = g.availability ?? [];
  // Windows of the same period must not overlap; periods themselves may (the later one holds).
  const samePeriod = (a: (typeof windows)[number], b: (typeof windows)[number]) =>
    (a.validFrom ?? null) === (b.validFrom ?? null) && (a.validTo ?? null) === (b.validTo ?? null);
  windows.forEach((w, i) => {
    const clash = windows.findIndex(
      (o, j) => j < i && samePeriod(o, w) && o.weekday === w.weekday && o.start < w.end && w.start < o.end,
    );
    if (clash >= 0)
      ctx.addIssue({ code: 'custom', path: ['availability', i], message: `overlaps window ${clash} on ${w.weekday}` });
  });
};

export const CreateGuideBody = z
  .object({ associationId: Id, municipalityId: Id, ...guideFields })
  .superRefine(guideRules);
export type CreateGuide = z.output<typeof CreateGuideBody>;
export const UpdateGuideBody = z
  .object({ ...patchShape(guideFields), version: Version })
  .refine(hasChange, 'give at least one field to change')
  .superRefine(guideRules);
export type UpdateGuide = z.output<typeof UpdateGuideBody>;

export const GuideQuery = Paging.extend({
  municipalityId: Id.optional(),
  associationId: Id.optional(),
  platform: z.enum(PLATFORMS).optional(),
  language: LanguageCode.optional(),
  active: BooleanFlag.optional(),
  venueId: Id.optional().describe('Has worked or is on the schedule at this venue'),
  topic: z.enum(TOPICS).optional(),
  weekday: Weekday.optional().describe('Available on this weekday …'),
  date: LocalDate.optional().describe('… or on this date (its weekday, and not marked unavailable)'),
  from: LocalTime.optional().describe('… for the whole time from …'),
  to: LocalTime.optional().describe('… to'),
})
  .refine((q) => !q.from || !q.to || q.from < q.to, { path: ['to'], message: 'must be after from' })
  .refine((q) => !q.from === !q.to, { path: ['to'], message: 'give from and to together' })
  .refine((q) => !(q.from || q.to) || q.weekday || q.date, {
    path: ['weekday'],
    message: 'give weekday or date with from/to',
  })
  .refine((q) => !(q.weekday && q.date), { path: ['date'], message: 'give weekday or date, not both' });
export type GuideFilter = z.output<typeof GuideQuery>;

export const Guide = z.object({
  id: Id,
  version: z.number().int(),
  associationId: Id,
  municipalityId: Id,
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  school: z.string().nullable(),
  programme: z.string().nullable(),
  swedishLevel: z.enum(LANGUAGE_LEVELS),
  languages: z.array(z.object({ language: z.string(), level: z.enum(LANGUAGE_LEVELS) })),
  platforms: z.array(z.object({ platform: z.enum(PLATFORMS), level: z.enum(SKILL_LEVELS) })),
  startDate: LocalDate,
  endDate: LocalDate.nullable(),
  topics: z.array(z.enum(TOPICS)),
  maxHoursPerWeek: z.number(),
  availability: z.array(
    z.object({
      weekday: Weekday,
      start: LocalTime,
      end: LocalTime,
      validFrom: LocalDate.nullable(),
      validTo: LocalDate.nullable(),
    }),
  ),
  unavailableDates: z.array(z.object({ date: LocalDate, reason: z.string().nullable() })),
  active: z.boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const Device = z.object({ platform: z.enum(PLATFORMS), kind: z.enum(DEVICE_KINDS) });

const seniorFields = {
  displayName: z.string().trim().min(1).max(60).describe('First name or initials; no full names needed'),
  phone: Phone.nullish(),
  email: Email.nullish().describe('Only if the senior has one'),
  preferredLanguage: LanguageCode.default('sv'),
  devices: z.array(Device).max(6).default([]),
  topics: z.array(z.enum(TOPICS)).max(TOPICS.length).default([]),
  consentGivenAt: Instant.describe('When the senior agreed that we keep this data'),
  consentMethod: z.enum(CONSENT_METHODS).nullish().describe('orally (on the phone, at the desk), on paper, or online'),
  ageBand: z.enum(AGE_BANDS).nullish(),
  gender: z.enum(GENDERS).nullish(),
  newlyArrived: z.boolean().nullish(),
};

export const SeniorFields = z.object(seniorFields);
export const CreateSeniorBody = z.object({ municipalityId: Id, ...seniorFields });
export type CreateSenior = z.output<typeof CreateSeniorBody>;
export const UpdateSeniorBody = z
  .object({ ...patchShape(seniorFields), version: Version })
  .refine(hasChange, 'give at least one field to change');
export type UpdateSenior = z.output<typeof UpdateSeniorBody>;

export const SeniorQuery = Paging.extend({
  municipalityId: Id.optional(),
  q: z.string().trim().min(1).max(60).optional().describe('Search display name or phone'),
});

export const Senior = z.object({
  id: Id,
  version: z.number().int(),
  municipalityId: Id,
  displayName: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredLanguage: z.string(),
  devices: z.array(Device),
  topics: z.array(z.enum(TOPICS)),
  consentGivenAt: Instant,
  consentMethod: z.enum(CONSENT_METHODS).nullable(),
  ageBand: z.enum(AGE_BANDS).nullable(),
  gender: z.enum(GENDERS).nullable(),
  newlyArrived: z.boolean().nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const RegisterBody = z.object({
  seniorId: Id,
  devices: z.array(Device).min(1).max(6).optional().describe("Defaults to the senior's devices"),
  topic: z.enum(TOPICS).nullish(),
});
export type RegisterInput = z.output<typeof RegisterBody>;

export const Registration = z.object({
  id: Id,
  sessionId: Id,
  seniorId: Id,
  displayName: z.string(),
  status: z.enum(REGISTRATION_STATUSES),
  waitlistPosition: z.number().int().nullable().describe('1 = next to get a seat'),
  devices: z.array(Device),
  topic: z.enum(TOPICS).nullable(),
  createdAt: Instant,
  updatedAt: Instant,
});

export const RegistrationQuery = z.object({ status: z.enum(REGISTRATION_STATUSES).optional() });

export const MonthQuery = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month such as 2026-12'),
});

export const GuideHours = z.object({
  month: z.string(),
  items: z.array(
    z.object({
      guideId: Id,
      plannedMinutes: z
        .number()
        .int()
        .describe('On the schedule that month (published or draft), cancelled sessions left out'),
      peakWeekMinutes: z
        .number()
        .int()
        .describe(
          "The most on the schedule in one week of the month (this month's days): the guide's maximum is per week",
        ),
      workedMinutes: z.number().int().describe('Worked, as reported after the café'),
    }),
  ),
});

export const AbsenceBody = z
  .object({
    from: LocalDate,
    to: LocalDate,
    reason: z.string().trim().max(200).nullish().describe('e.g. Sjuk, Prov, Resa'),
  })
  .refine((a) => a.from <= a.to, { path: ['to'], message: 'must not be before from' });

export const AbsenceResult = z.object({
  dates: z.array(LocalDate),
  affected: z
    .array(
      z.object({
        sessionId: Id,
        date: LocalDate,
        startsAt: Instant,
        venue: z.string(),
        status: z.enum(['published', 'draft']).describe('published: substitutes are asked; draft: simply dropped'),
      }),
    )
    .describe('The cafés the guide is taken off'),
});

export const AbsenceDateParams = z.object({ id: Id, date: LocalDate });

export const AvailabilityPeriodBody = z
  .object({
    validFrom: LocalDate.nullish().describe('The first day (a term); left out, the standing timetable'),
    validTo: LocalDate.nullish(),
    windows: z
      .array(
        z.object({ weekday: Weekday, start: LocalTime, end: LocalTime }).refine((w) => w.start < w.end, {
          path: ['end'],
          message: 'must be after start',
        }),
      )
      .max(21),
  })
  .refine((p) => !p.validFrom || !p.validTo || p.validFrom <= p.validTo, {
    path: ['validTo'],
    message: 'must not be before validFrom',
  })
  .superRefine((p, ctx) =>
    p.windows.forEach((w, i) => {
      const clash = p.windows.findIndex(
        (o, j) => j < i && o.weekday === w.weekday && o.start < w.end && w.start < o.end,
      );
      if (clash >= 0)
        ctx.addIssue({ code: 'custom', path: ['windows', i], message: `overlaps window ${clash} on ${w.weekday}` });
    }),
  );

export const RegularBody = z
  .object({
    seniorId: Id,
    seriesId: Id.describe('The recurring café'),
    fromDate: LocalDate.describe('The first day the senior comes'),
    toDate: LocalDate.nullish().describe('The last day, if known'),
    topic: z.enum(TOPICS).nullish(),
  })
  .refine((r) => !r.toDate || r.fromDate <= r.toDate, { path: ['toDate'], message: 'must not be before fromDate' });

export const Regular = z.object({
  id: Id,
  seniorId: Id,
  seriesId: Id,
  fromDate: LocalDate,
  toDate: LocalDate.nullable(),
  createdAt: Instant,
});

export const RegularOutcome = z.object({
  regular: Regular,
  seated: z.number().int().describe('Cafés where the senior got a seat'),
  waitlisted: z.number().int().describe('Cafés where the senior is on the waiting list'),
  already: z.number().int().describe('Cafés the senior was signed up for already'),
});

export const EndRegularBody = z.object({ fromDate: LocalDate.describe('The first day the senior no longer comes') });

export const ComingSession = z.object({
  registrationId: Id,
  sessionId: Id,
  localDate: LocalDate,
  startTime: LocalTime,
  endTime: LocalTime,
  venue: z.string(),
  status: z.enum(['confirmed', 'waitlisted']),
  regular: z.boolean().describe('From a regular place'),
});

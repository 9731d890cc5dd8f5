import { z } from 'zod';
import { REASON_CODES } from '../domain/matching/reasons';
import { TIME_RE, WEEKDAYS, isValidZone } from '../domain/time';
import { DEFAULT_TIME_ZONE } from '../domain/vocabulary';

export const Id = z.uuid();
export const IdParams = z.object({ id: Id });
/** A calendar date. Years far outside this service's life (0000, 9999) are typos, and break week arithmetic. */
export const LocalDate = z.iso
  .date()
  .refine((d) => d >= '1900-01-01' && d <= '2199-12-31', 'must be a date between 1900 and 2199');
export const LocalTime = z.string().regex(TIME_RE, 'must be a local time HH:mm (00:00–23:59)');
export const Instant = z.iso.datetime({ offset: true });
export const TimeZone = z
  .string()
  .refine(isValidZone, 'must be an IANA time zone such as Europe/Stockholm')
  .default(DEFAULT_TIME_ZONE);
/** A café's zone: left out, the municipality's own. */
export const CafeTimeZone = z
  .string()
  .refine(isValidZone, 'must be an IANA time zone such as Europe/Stockholm')
  .optional()
  .describe("Left out: the municipality's time zone");
/** ISO 639 code, optionally with a region: sv, ar, prs (Dari), ti, so, uk, en, fa-AF. */
export const LanguageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language code such as sv, ar, prs, ti');
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number such as 070-123 45 67 or +46 70 123 45 67');
export const Email = z.email().max(254);

export const Weekday = z.enum(WEEKDAYS).describe('Day of the week: mon … sun');

/** The version an edit was made on (from the last GET); optional, but then a concurrent edit may be overwritten. */
export const Version = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version you loaded: if the row changed since, the answer is 409 version_conflict');
export const hasChange = (b: object) => Object.keys(b).some((k) => k !== 'version');

export const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/** One of the engine's reasons: a code with its parameters (what a page words), and the English. */
export const Reason = z.object({
  code: z.enum(REASON_CODES),
  params: z
    .record(z.string(), z.unknown())
    .describe('Hours as numbers, dates YYYY-MM-DD, times HH:MM, weeks YYYY-Www, weekdays 1 (Monday) to 7'),
  text: z.string().describe('The reason in English; pages and mails say it in Swedish from the code'),
});
const ReasonCode = Reason.omit({ text: true });

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().describe('Machine-readable, e.g. validation_failed, not_found, already_registered'),
    message: z.string(),
    details: z.array(
      z.object({
        field: z.string(),
        issue: z.string(),
        reason: ReasonCode.optional().describe("For breaks_hard_rule: the engine's reason, as code and parameters"),
      }),
    ),
  }),
});

/** A query flag: `?active=true` or `?active=false`. */
export const BooleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * The fields of a create body as a PATCH body: every field optional and without its default,
 * so a field left out of an update keeps its stored value instead of being reset.
 */
export function patchShape<S extends z.ZodRawShape>(shape: S): { [K in keyof S]: z.ZodOptional<S[K]> } {
  const out: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape)) {
    const inner = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType);
    out[key] = inner.optional();
  }
  return out as { [K in keyof S]: z.ZodOptional<S[K]> };
}

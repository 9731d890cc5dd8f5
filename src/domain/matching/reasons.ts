import type { Platform, Topic } from '../vocabulary';

/**
 * The engine's reasons as data: a code with its parameters, never a sentence. People read them
 * in words made from the code (src/contract/reasons.ts: Swedish and English), so a page, a mail
 * and the API say the same thing, each in its reader's language.
 *
 * Units: hours as numbers (6.5), local dates as YYYY-MM-DD, times as HH:MM, weeks as
 * YYYY-Www, weekdays 1 (Monday) to 7.
 */
export interface ReasonParams {
  // Why a guide is on a session.
  /** Put there by a coordinator, or kept from a published week. */
  pinned: Record<string, never>;
  put_by_coordinator: Record<string, never>;
  took_given_up_place: Record<string, never>;
  knows_platform: { platform: Platform; seniors: number };
  speaks_language: { language: string; seniors: number };
  new_guide_with_experienced: Record<string, never>;
  experienced_with_new_guide: Record<string, never>;
  has_been_here: { times: number };
  /** Has helped this many of the session's seniors before. */
  helped_before: { seniors: number };
  kept_from_previous_plan: Record<string, never>;
  hours_so_far: { week: string; weekHours: number; maxHours: number; periodHours: number; fairHours: number };
  /** Of those free to come, this guide has the fewest hours this week. */
  fewest_hours: { week: string; hours: number };

  // What keeps a guide from a session.
  already_on_session: Record<string, never>;
  /** The session's day and time, and the times the guide can work that weekday (none: not that day; absent where not known). */
  not_available: { weekday: number; from: string; to: string; canWork?: { from: string; to: string }[] };
  unavailable_on: { date: string };
  over_weekly_max: { week: string; hours: number; maxHours: number };
  busy_elsewhere: { date: string; from: string; to: string; travelMinutes: number };
  session_full: Record<string, never>;
  no_second_guide: Record<string, never>;

  // Why a session is short of guides, or a platform has nobody who knows it.
  short_of_guides: { assigned: number; needed: number; weekday: number; date: string; time: string };
  /** Fewer guides can work then than the session needs (count may be 0). */
  nobody_available: { count: number };
  others_busy: { count: number };
  never_alone: Record<string, never>;
  platform_guides_busy: { platform: Platform; seniors: number; count: number };
  no_platform_guide: { platform: Platform; seniors: number };

  // Why a senior sits with a guide at the café (src/domain/pairing).
  /** The guide knows a platform the senior brings. */
  pair_knows_platform: { platform: Platform };
  /** The guide knows what the senior wants help with. */
  pair_topic: { topic: Topic };
  /** The guide speaks the senior's language (never Swedish). */
  pair_language: { language: string };
  /** The guide helped this senior before (times: how often, where known). */
  pair_helped_before: { times?: number };
  /** How many seniors this guide has at the café, this one included. */
  pair_even_load: { seniors: number };
  /** No guide on duty knows this platform the senior brings: paired for the rest only. */
  pair_nobody_knows_platform: { platform: Platform };
}

export type ReasonCode = keyof ReasonParams;
export type Reason = { [C in ReasonCode]: { code: C; params: ReasonParams[C] } }[ReasonCode];

/** A reason from its code and parameters (typed: the parameters must fit the code). */
export function reason<C extends ReasonCode>(
  code: C,
  ...params: ReasonParams[C] extends Record<string, never> ? [] : [ReasonParams[C]]
): Reason {
  return { code, params: params[0] ?? {} } as Reason;
}

/** Every code, once: the tests check that each has words, and the API documents them. */
export const REASON_CODES = [
  'pinned',
  'put_by_coordinator',
  'took_given_up_place',
  'knows_platform',
  'speaks_language',
  'new_guide_with_experienced',
  'experienced_with_new_guide',
  'has_been_here',
  'helped_before',
  'kept_from_previous_plan',
  'hours_so_far',
  'fewest_hours',
  'already_on_session',
  'not_available',
  'unavailable_on',
  'over_weekly_max',
  'busy_elsewhere',
  'session_full',
  'no_second_guide',
  'short_of_guides',
  'nobody_available',
  'others_busy',
  'never_alone',
  'platform_guides_busy',
  'no_platform_guide',
  'pair_knows_platform',
  'pair_topic',
  'pair_language',
  'pair_helped_before',
  'pair_even_load',
  'pair_nobody_knows_platform',
] as const satisfies readonly ReasonCode[];

// Every code is in the list: a code added above without a place here fails to compile.
const listed: Exclude<ReasonCode, (typeof REASON_CODES)[number]> extends never ? true : never = true;
void listed;

/** A session's reason codes for what keeps a guide from it (not why one is there). */
export const BLOCKING: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'already_on_session',
  'not_available',
  'unavailable_on',
  'over_weekly_max',
  'busy_elsewhere',
  'session_full',
  'no_second_guide',
]);

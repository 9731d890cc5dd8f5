import { DateTime } from 'luxon';
import { blockedDay, type BlockedDay, type ClosurePeriod } from './calendar';

/** A series spans at most this many years: ten years of weekly cafés is about 520 sessions. */
export const MAX_SERIES_YEARS = 10;

/**
 * A recurring café: a weekday and a local start time in a zone, every N weeks counted
 * from the week of an anchor date, between a first and a last date (inclusive).
 */
export interface RecurrenceRule {
  weekday: number; // ISO: 1 = Monday … 7 = Sunday
  startTime: string; // local HH:mm
  durationMinutes: number;
  timeZone: string;
  intervalWeeks: number;
  anchorDate: string;
  firstDate: string;
  lastDate: string;
}

export interface Occurrence {
  /** The local date the rule yields; identifies the occurrence within its series. */
  date: string;
  startsAt: Date;
  endsAt: Date;
  /** Set when a holiday or closure falls on the date. */
  blocked?: BlockedDay;
}

/**
 * Every date the rule yields, in order. Steps week by week on local dates, so a café at
 * 14:00 stays at 14:00 local time across the daylight-saving changes (its UTC instant moves).
 */
export function occurrenceDates(
  rule: Pick<RecurrenceRule, 'weekday' | 'intervalWeeks' | 'anchorDate' | 'firstDate' | 'lastDate'>,
): string[] {
  const first = DateTime.fromISO(rule.firstDate, { zone: 'UTC' });
  const last = DateTime.fromISO(rule.lastDate, { zone: 'UTC' });
  const anchorMonday = DateTime.fromISO(rule.anchorDate, { zone: 'UTC' }).startOf('week');

  // The first date on or after firstDate with the right weekday …
  let d = first.plus({ days: (rule.weekday - first.weekday + 7) % 7 });
  // … moved forward to a week that is a whole number of intervals from the anchor week.
  const weeksFromAnchor = Math.round(d.startOf('week').diff(anchorMonday, 'weeks').weeks);
  const offset = ((weeksFromAnchor % rule.intervalWeeks) + rule.intervalWeeks) % rule.intervalWeeks;
  if (offset) d = d.plus({ weeks: rule.intervalWeeks - offset });

  const dates: string[] = [];
  for (; d <= last; d = d.plus({ weeks: rule.intervalWeeks })) dates.push(d.toISODate()!);
  return dates;
}

export function expandRule(
  rule: RecurrenceRule,
  options: { venueId: string; closures?: readonly ClosurePeriod[]; skipHolidays?: boolean },
): Occurrence[] {
  const closures = options.closures ?? [];
  const skipHolidays = options.skipHolidays ?? true;
  const [hour, minute] = rule.startTime.split(':').map(Number);
  const durationMs = rule.durationMinutes * 60_000;
  return occurrenceDates(rule).map((date) => {
    const [year, month, day] = date.split('-').map(Number);
    // One zone lookup per occurrence: luxon recomputes the offset on every derived DateTime.
    const startsAt = DateTime.fromObject({ year, month, day, hour, minute }, { zone: rule.timeZone }).toJSDate();
    const occurrence: Occurrence = { date, startsAt, endsAt: new Date(startsAt.getTime() + durationMs) };
    const blocked = blockedDay(date, options.venueId, closures, skipHolidays);
    if (blocked) occurrence.blocked = blocked;
    return occurrence;
  });
}

import { DateTime, IANAZone } from 'luxon';

/**
 * Wall-clock helpers. Recurring times are kept as local `HH:mm` plus an IANA zone;
 * instants are UTC `Date`s. Everything here is pure.
 */

/** Weekday names in the API; stored as ISO numbers (1 = Monday). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];
export const weekdayNumber = (w: WeekdayName) => WEEKDAYS.indexOf(w) + 1;
export const weekdayName = (n: number): WeekdayName => WEEKDAYS[n - 1];

export const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const ISO_WEEK_RE = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function isValidDate(date: string): boolean {
  return DATE_RE.test(date) && DateTime.fromISO(date, { zone: 'UTC' }).isValid;
}

/** Minutes since midnight of a `HH:mm` string. */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** The instant at which a local date and time happen in a zone. */
/**
 * Whether a wall-clock time exists on a date in a zone: not in the hour skipped when the clocks
 * go forward (02:00–03:00 on the last Sunday of March in Sweden), which luxon moves on silently.
 */
export function localTimeExists(date: string, time: string, zone: string): boolean {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone });
  return dt.toFormat('yyyy-MM-dd HH:mm') === `${date} ${time}`;
}

export function localToInstant(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * A zone's UTC offset in minutes at an instant. Offsets only change on quarter-hour boundaries,
 * so they are cached per zone and quarter hour: luxon asks Intl for every call, which made
 * listing sessions spend a fifth of its time here.
 */
function offsetAt(ms: number, zone: string): number {
  const key = `${zone}|${Math.floor(ms / QUARTER_HOUR)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(ms);
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date, time and ISO weekday (1 = Monday) of an instant in a zone. */
export function instantToLocal(instant: Date, zone: string): { date: string; time: string; weekday: number } {
  const ms = instant.getTime();
  const local = new Date(ms + offsetAt(ms, zone) * 60_000);
  return {
    date: `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`,
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    weekday: local.getUTCDay() || 7,
  };
}

export function weekdayOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).weekday;
}

export function addYears(date: string, years: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ years }).toISODate()!;
}

const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `days` on (or back): plain UTC arithmetic, as luxon's but without its cost (pages call it per row). */
export function addDays(date: string, days: number): string {
  const at = ISO_DATE_RE.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
  // Anything but a real date (2026-02-30) is luxon's to answer, as before.
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== date)
    return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
  const out = new Date(at + days * 86_400_000).toISOString();
  return out.length === 24 ? out.slice(0, 10) : DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** An ISO week that exists: `2026-W53` does, `2027-W53` does not. */
export function isValidIsoWeek(week: string): boolean {
  return (
    ISO_WEEK_RE.test(week) &&
    DateTime.fromISO(week, { zone: 'UTC' }).isValid &&
    DateTime.fromISO(week, { zone: 'UTC' }).weekYear === Number(week.slice(0, 4))
  );
}

/** The Monday and Sunday of an ISO week such as `2026-W49`. */
export function isoWeekRange(week: string): { monday: string; sunday: string } {
  const dt = DateTime.fromISO(week, { zone: 'UTC' });
  if (!ISO_WEEK_RE.test(week) || !dt.isValid) throw new RangeError(`not an ISO week: ${week}`);
  return { monday: dt.toISODate(), sunday: dt.plus({ days: 6 }).toISODate() };
}

export function isoWeekOf(date: string): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).toFormat("kkkk-'W'WW");
}

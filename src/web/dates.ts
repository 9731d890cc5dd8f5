/**
 * Dates for the pages, with the browser's Intl and no library: local dates are `YYYY-MM-DD`
 * strings, weeks are ISO weeks (`2026-W53`), and "today" is today in Europe/Stockholm.
 * Date arithmetic runs on UTC midnights, where no clock change can move a day.
 */
export const ZONE = 'Europe/Stockholm';
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_MS = 86_400_000;

const utc = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Today's local date in Stockholm. */
export function today(now = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
}

export const addDays = (date: string, days: number) => iso(utc(date) + days * DAY_MS);
/** 1 = Monday … 7 = Sunday. */
export const weekday = (date: string) => ((new Date(utc(date)).getUTCDay() + 6) % 7) + 1;
export const mondayOf = (date: string) => addDays(date, 1 - weekday(date));

/** The ISO week a date is in: the week's Thursday decides the year. */
export function isoWeek(date: string): string {
  const thursday = addDays(date, 4 - weekday(date));
  const year = thursday.slice(0, 4);
  const week = Math.floor((utc(thursday) - utc(`${year}-01-01`)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Monday of an ISO week. */
export function weekMonday(week: string): string {
  const [year, w] = week.split('-W');
  // 4 January is always in week 1.
  return addDays(mondayOf(`${year}-01-04`), (Number(w) - 1) * 7);
}

export const shiftWeek = (week: string, by: number) => isoWeek(addDays(weekMonday(week), by * 7));
export const thisWeek = (now = new Date()) => isoWeek(today(now));

/** `2026-11` for the month a date is in, moved by some months. */
export function month(date: string, by = 0): string {
  const total = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1 + by;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

const format = (locale: string, date: string, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(new Date(utc(date)));
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Tisdag 1 december" / "Tuesday 1 December". */
export const longDay = (locale: string, date: string) =>
  cap(format(locale, date, { weekday: 'long', day: 'numeric', month: 'long' }));
/** "tis 1/12" / "Tue 1/12". */
export const shortDay = (locale: string, date: string) =>
  `${format(locale, date, { weekday: 'short' }).replace('.', '')} ${Number(date.slice(8, 10))}/${Number(date.slice(5, 7))}`;
/** "november 2026" / "November 2026". */
export const monthName = (locale: string, yearMonth: string) =>
  format(locale, `${yearMonth}-01`, { month: 'long', year: 'numeric' });

import { DateTime } from 'luxon';
import type { Lang } from '../contract/names';

export type { Lang } from '../contract/names';
export { platformName, topicName } from '../contract/names';
export { hoursText, plural } from '../contract/plural';
export const LANGS: readonly Lang[] = ['sv', 'en'];
export type Counts = Record<string, number>;

/** "3 iPhone, 2 Android" (or "BankID (2), e-post (1)" with `after`), most first; empty when there is nothing. */
export function countList(counts: Counts, name: (key: string) => string, after = false): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => (after ? `${name(k)} (${n})` : `${n} ${name(k)}`))
    .join(', ');
}

const local = (at: Date, zone: string, lang: Lang) =>
  DateTime.fromJSDate(at, { zone }).setLocale(lang === 'sv' ? 'sv-SE' : 'en-GB');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Tisdag 24 november" / "Tuesday 24 November": the local day, as people say it. */
export const dayName = (at: Date, zone: string, lang: Lang) => capital(local(at, zone, lang).toFormat('cccc d LLLL'));
/** "15:00": local wall-clock time, 24-hour in both languages. */
export const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');
/** "Tisdag 24 november 15:00–17:00". */
export const when = (start: Date, end: Date, zone: string, lang: Lang) =>
  `${dayName(start, zone, lang)} ${clock(start, zone)}–${clock(end, zone)}`;
/** "tisdag 15:00" for a subject line. */
export const shortWhen = (start: Date, zone: string, lang: Lang) =>
  `${local(start, zone, lang).toFormat('cccc d/L')} ${clock(start, zone)}`;

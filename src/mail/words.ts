import { DateTime } from 'luxon';
import type { Platform, Topic } from '../domain/vocabulary';

export type Lang = 'sv' | 'en';
export const LANGS: readonly Lang[] = ['sv', 'en'];
export type Counts = Record<string, number>;

const PLATFORM: Record<Platform, string> = { ios: 'iPhone', ipados: 'iPad', android: 'Android', windows: 'Windows', macos: 'Mac', chromeos: 'Chromebook' };

const TOPIC: Record<Topic, Record<Lang, string>> = {
  bankid: { sv: 'BankID', en: 'BankID' },
  e_health: { sv: '1177 och vård', en: 'health services (1177)' },
  banking_swish: { sv: 'bank och Swish', en: 'banking and Swish' },
  municipal_services: { sv: 'kommunens tjänster', en: 'municipal services' },
  travel_tickets: { sv: 'resor och biljetter', en: 'travel and tickets' },
  email: { sv: 'e-post', en: 'e-mail' },
  social_media: { sv: 'sociala medier', en: 'social media' },
  video_calls: { sv: 'videosamtal', en: 'video calls' },
  photos_cloud: { sv: 'bilder och molnlagring', en: 'photos and cloud storage' },
  updates_transfer: { sv: 'uppdateringar och flytt', en: 'updates and moving data' },
  web_search: { sv: 'söka på nätet', en: 'searching the web' },
  ebooks: { sv: 'e-böcker', en: 'e-books' },
  scam_safety: { sv: 'bedrägerier och säkerhet', en: 'scams and safety' },
  other: { sv: 'annat', en: 'other' },
};

export const platformName = (p: string) => PLATFORM[p as Platform] ?? p;
export const topicName = (t: string, lang: Lang) => TOPIC[t as Topic]?.[lang] ?? t;

/** "3 iPhone, 2 Android" (or "BankID (2), e-post (1)" with `after`), most first; empty when there is nothing. */
export function countList(counts: Counts, name: (key: string) => string, after = false): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => (after ? `${name(k)} (${n})` : `${n} ${name(k)}`))
    .join(', ');
}

const local = (at: Date, zone: string, lang: Lang) => DateTime.fromJSDate(at, { zone }).setLocale(lang === 'sv' ? 'sv-SE' : 'en-GB');
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Tisdag 24 november" / "Tuesday 24 November": the local day, as people say it. */
export const dayName = (at: Date, zone: string, lang: Lang) => capital(local(at, zone, lang).toFormat('cccc d LLLL'));
/** "15:00": local wall-clock time, 24-hour in both languages. */
export const clock = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm');
/** "Tisdag 24 november 15:00–17:00". */
export const when = (start: Date, end: Date, zone: string, lang: Lang) => `${dayName(start, zone, lang)} ${clock(start, zone)}–${clock(end, zone)}`;
/** "tisdag 15:00" for a subject line. */
export const shortWhen = (start: Date, zone: string, lang: Lang) => `${local(start, zone, lang).toFormat('cccc d/L')} ${clock(start, zone)}`;

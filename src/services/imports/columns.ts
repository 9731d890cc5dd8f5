import { platformName, topicName } from '../../contract/names';
import { PLATFORMS, TOPICS, type Platform, type Topic } from '../../domain/vocabulary';
import { WEEKDAYS, type WeekdayName as Weekday } from '../../domain/time';

/**
 * The words people write in their Excel lists, read as Bryggan's vocabularies: platforms,
 * device kinds, topics, languages, age bands, consent, phone numbers. Each reader answers
 * undefined for a word it does not know, so the row's problem can name the cell.
 */

/** Lower case, no spaces or punctuation around, one space inside: "  E-post " → "e-post". */
export const fold = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** A list cell: "iPhone, iPad" or "iPhone; iPad" or one per line. */
export const listOf = (cell: string) =>
  cell
    .split(/[,;\n/]+/)
    .map((x) => x.trim())
    .filter(Boolean);

const PLATFORM_WORDS: Record<string, Platform> = {
  iphone: 'ios',
  ios: 'ios',
  ipad: 'ipados',
  ipados: 'ipados',
  android: 'android',
  'android-telefon': 'android',
  'android-mobil': 'android',
  windows: 'windows',
  pc: 'windows',
  dator: 'windows',
  mac: 'macos',
  macos: 'macos',
  macbook: 'macos',
  chromebook: 'chromeos',
  chromeos: 'chromeos',
};
for (const p of PLATFORMS) PLATFORM_WORDS[fold(platformName(p))] = p;

export function platformOf(word: string): Platform | undefined {
  return PLATFORM_WORDS[fold(word).replace(/\s+(telefon|mobil|surfplatta|platta|tablet|phone|dator)$/, '')];
}

/** A senior's device: the platform, and the kind it most often is ("Android surfplatta" is a tablet). */
export function deviceOf(word: string): { platform: Platform; kind: 'phone' | 'tablet' | 'computer' } | undefined {
  const platform = platformOf(word);
  if (!platform) return undefined;
  const w = fold(word);
  const kind = /surfplatta|platta|tablet/.test(w)
    ? 'tablet'
    : platform === 'ipados'
      ? 'tablet'
      : ['windows', 'macos', 'chromeos'].includes(platform)
        ? 'computer'
        : 'phone';
  return { platform, kind };
}

const TOPIC_WORDS: Record<string, Topic> = {
  swish: 'banking_swish',
  bank: 'banking_swish',
  '1177': 'e_health',
  vård: 'e_health',
  mejl: 'email',
  'e-post': 'email',
  epost: 'email',
  bilder: 'photos_cloud',
  foton: 'photos_cloud',
  bedrägerier: 'scam_safety',
  säkerhet: 'scam_safety',
  facebook: 'social_media',
  videosamtal: 'video_calls',
  'e-böcker': 'ebooks',
  ljudböcker: 'ebooks',
  resor: 'travel_tickets',
  biljetter: 'travel_tickets',
};
for (const t of TOPICS) {
  TOPIC_WORDS[t] = t;
  TOPIC_WORDS[fold(topicName(t, 'sv'))] = t;
  TOPIC_WORDS[fold(topicName(t, 'en'))] = t;
}

export const topicOf = (word: string): Topic | undefined => TOPIC_WORDS[fold(word)];

const LANGUAGE_WORDS: Record<string, string> = {
  svenska: 'sv',
  engelska: 'en',
  arabiska: 'ar',
  dari: 'prs',
  persiska: 'fa',
  farsi: 'fa',
  tigrinja: 'ti',
  tigrinya: 'ti',
  somaliska: 'so',
  ukrainska: 'uk',
  ryska: 'ru',
  kurdiska: 'ku',
  turkiska: 'tr',
  pashto: 'ps',
  amhariska: 'am',
  polska: 'pl',
  spanska: 'es',
  franska: 'fr',
  tyska: 'de',
  finska: 'fi',
  bosniska: 'bs',
  serbiska: 'sr',
  kroatiska: 'hr',
  thai: 'th',
  english: 'en',
  swedish: 'sv',
  arabic: 'ar',
};

/** "arabiska", "ar" or "Arabic" → ar. */
export function languageOf(word: string): string | undefined {
  const w = fold(word);
  if (/^[a-z]{2,3}$/.test(w)) return w;
  return LANGUAGE_WORDS[w];
}

export function ageBandOf(word: string): 'under_65' | '65_74' | '75_plus' | undefined {
  const w = fold(word).replace(/\s/g, '').replace('–', '-');
  if (['under65', '<65', 'under_65', '-64'].includes(w)) return 'under_65';
  if (['65-74', '65_74'].includes(w)) return '65_74';
  if (['75+', '75plus', '75elleräldre', '75_plus', 'över75', '75-'].includes(w)) return '75_plus';
  return undefined;
}

export function consentMethodOf(word: string): 'oral' | 'paper' | 'digital' | undefined {
  const w = fold(word);
  if (['muntligt', 'muntlig', 'telefon', 'i telefon', 'oral', 'orally'].includes(w)) return 'oral';
  if (['papper', 'på papper', 'skriftligt', 'blankett', 'paper'].includes(w)) return 'paper';
  if (['digitalt', 'online', 'webb', 'digital'].includes(w)) return 'digital';
  return undefined;
}

/**
 * A Swedish phone number in one shape, whatever way it was written: "+46 70-123 45 67",
 * "0046701234567", "070 123 45 67", "(070) 1234567" all become "070-123 45 67". Undefined for
 * something that is not a phone number.
 */
export function phoneOf(text: string): string | undefined {
  let digits = text.replace(/[\s().-]/g, '');
  if (!/^\+?\d{6,15}$/.test(digits)) return undefined;
  if (digits.startsWith('+46')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0046')) digits = `0${digits.slice(4)}`;
  else if (digits.startsWith('46') && digits.length === 11) digits = `0${digits.slice(2)}`;
  else if (digits.startsWith('+')) return digits; // a number abroad, kept as written
  if (!digits.startsWith('0')) digits = `0${digits}`;
  // Mobile numbers (07x) as 07x-xxx xx xx; others grouped plainly after the area code.
  if (/^07\d{8}$/.test(digits))
    return `${digits.slice(0, 3)}-${digits.slice(3, 6)} ${digits.slice(6, 8)} ${digits.slice(8)}`;
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}

/** The key a phone number is matched by: its digits, from the leading 0. */
export const phoneKey = (text: string | null | undefined) => (text ? (phoneOf(text) ?? text).replace(/\D/g, '') : '');

/** "2027-01-12", "12/1/2027" or "20270112" → 2027-01-12; undefined otherwise. */
export function dateOf(text: string): string | undefined {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return `${m[1]}-${m[2]}-${m[3]}`;
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return undefined;
}

/** A language code as the lists write it: "arabiska" for ar; the code itself when unnamed here. */
export function languageName(code: string): string {
  return Object.entries(LANGUAGE_WORDS).find(([, c]) => c === code)?.[0] ?? code;
}

const AGE_WORDS = { under_65: 'under 65', '65_74': '65–74', '75_plus': '75+' } as const;
const CONSENT_WORDS = { oral: 'muntligt', paper: 'papper', digital: 'digitalt' } as const;
export const ageBandWord = (band: keyof typeof AGE_WORDS | null) => (band ? AGE_WORDS[band] : '');
export const consentWord = (method: keyof typeof CONSENT_WORDS | null) => (method ? CONSENT_WORDS[method] : '');

/** A senior's device as the lists write it: "iPhone", "iPad", "Android surfplatta", "Windows". */
export function deviceWord(d: { platform: Platform; kind: string }): string {
  const name = platformName(d.platform);
  return d.platform === 'android' && d.kind === 'tablet' ? `${name} surfplatta` : name;
}

const DAY_WORDS: Record<string, Weekday> = {};
(
  [
    ['mon', 'mån', 'måndag', 'monday'],
    ['tue', 'tis', 'tisdag', 'tuesday'],
    ['wed', 'ons', 'onsdag', 'wednesday'],
    ['thu', 'tor', 'tors', 'torsdag', 'thursday'],
    ['fri', 'fre', 'fredag', 'friday'],
    ['sat', 'lör', 'lördag', 'saturday'],
    ['sun', 'sön', 'söndag', 'sunday'],
  ] as [Weekday, ...string[]][]
).forEach(([day, ...words]) => [day, ...words].forEach((w) => (DAY_WORDS[w] = day)));
const DAY_SHORT: Record<Weekday, string> = {
  mon: 'mån',
  tue: 'tis',
  wed: 'ons',
  thu: 'tor',
  fri: 'fre',
  sat: 'lör',
  sun: 'sön',
};

/** "15", "15.30", "15:30" → "15:30"; undefined for a time that is none. */
function clockOf(text: string): string | undefined {
  const m = /^(\d{1,2})(?:[:.](\d{2}))?$/.exec(text);
  if (!m || Number(m[1]) > 24 || Number(m[2] ?? 0) > 59) return undefined;
  return `${m[1].padStart(2, '0')}:${m[2] ?? '00'}`;
}

/**
 * One weekly window as the lists write it: "tis 14-17", "torsdag 13.30–16", "mon 9:00-12:00"
 * (plural day names too: "tisdagar"); undefined for anything else.
 */
export function windowOf(text: string): { weekday: Weekday; start: string; end: string } | undefined {
  const m = /^(\p{L}+?)(?:ar)?\.?\s+(\S+?)\s*[-–—]\s*(\S+)$/u.exec(fold(text));
  const weekday = m && DAY_WORDS[m[1]];
  const start = m && clockOf(m[2]);
  const end = m && clockOf(m[3]);
  return weekday && start && end && start < end ? { weekday, start, end } : undefined;
}

/** Windows as the lists write them, in week order: "tis 14:00–17:00, tor 13:30–16:00". */
export const windowsWord = (windows: { weekday: Weekday; start: string; end: string }[]) =>
  [...windows]
    .sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.start.localeCompare(b.start))
    .map((w) => `${DAY_SHORT[w.weekday]} ${w.start}–${w.end}`)
    .join(', ');

/**
 * The engine's reasons in words: each code (src/domain/matching/reasons.ts) has a short, plain
 * sentence in Swedish and in English, with real plurals and Swedish dates. The API sends the
 * English with the code and parameters; pages and mails say the Swedish. No dependencies, so the
 * browser bundle can use it.
 */
import type { Reason, ReasonCode, ReasonParams } from '../domain/matching/reasons';
import { type Lang, platformName as platform, topicName } from './names';
import { plural } from './plural';

const DAYS_SV = ['', 'måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'];
const DAYS_EN = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS_SV = [
  'januari',
  'februari',
  'mars',
  'april',
  'maj',
  'juni',
  'juli',
  'augusti',
  'september',
  'oktober',
  'november',
  'december',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** 1 → "1 guide", 3 → "3 guider" (the one plural helper of pages and mail). */
const n = (count: number, one: string, many: string) => `${num(count, 'sv')} ${plural(count, one, many)}`;
const nEn = (count: number, one: string, many: string) => `${num(count, 'en')} ${plural(count, one, many)}`;
/** 6.5 → "6,5" in Swedish. */
const num = (x: number, lang: Lang) => (lang === 'sv' ? String(x).replace('.', ',') : String(x));
const weekNo = (week: string) => Number(week.split('-W')[1]);
function weekdayOf(date: string): number {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}
/** 2026-11-24 → "tisdag 24 november" / "Tuesday 24 November". */
function day(date: string, lang: Lang): string {
  const [, m, d] = date.split('-').map(Number);
  return lang === 'sv'
    ? `${DAYS_SV[weekdayOf(date)]} ${d} ${MONTHS_SV[m - 1]}`
    : `${DAYS_EN[weekdayOf(date)]} ${d} ${MONTHS_EN[m - 1]}`;
}
/** A language code in the reader's language ("arabiska", "Arabic"); the code if unknown. */
function language(code: string, lang: Lang): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
/** ["a", "b", "c"] → "a, b och c". */
const list = (items: string[], and: string) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

type Words = { [C in ReasonCode]: Record<Lang, (p: ReasonParams[C]) => string> };

const WORDS: Words = {
  pinned: {
    sv: () => 'Låst av en samordnare, eller redan publicerad.',
    en: () => 'Pinned by a coordinator, or in a published week.',
  },
  put_by_coordinator: { sv: () => 'En samordnare valde guiden.', en: () => 'Put here by a coordinator.' },
  took_given_up_place: {
    sv: () => 'Tog passet när en annan guide inte kunde.',
    en: () => 'Took a place another guide gave up.',
  },
  knows_platform: {
    sv: (p) => `Kan ${platform(p.platform)}: ${n(p.seniors, 'senior', 'seniorer')} har ${platform(p.platform)}.`,
    en: (p) => `Knows ${platform(p.platform)}: ${nEn(p.seniors, 'senior brings', 'seniors bring')} one.`,
  },
  speaks_language: {
    sv: (p) =>
      `Talar ${language(p.language, 'sv')}: ${n(p.seniors, 'senior', 'seniorer')} talar ${language(p.language, 'sv')}.`,
    en: (p) => `Speaks ${language(p.language, 'en')}: ${nEn(p.seniors, 'senior speaks', 'seniors speak')} it.`,
  },
  new_guide_with_experienced: {
    sv: () => 'Ny guide. Jobbar med en guide som har jobbat länge.',
    en: () => 'A new guide, working beside an experienced one.',
  },
  experienced_with_new_guide: {
    sv: () => 'Har jobbat länge. Jobbar med en ny guide.',
    en: () => 'Experienced, paired with a new guide.',
  },
  has_been_here: {
    sv: (p) => `Har varit här förut (${n(p.times, 'gång', 'gånger')}).`,
    en: (p) => `Has worked here before (${nEn(p.times, 'time', 'times')}).`,
  },
  helped_before: {
    sv: (p) =>
      p.seniors === 1
        ? 'Har hjälpt en av seniorerna förut.'
        : `Har hjälpt ${num(p.seniors, 'sv')} av seniorerna förut.`,
    en: (p) =>
      p.seniors === 1 ? 'Has helped one of the seniors before.' : `Has helped ${p.seniors} of the seniors before.`,
  },
  kept_from_previous_plan: { sv: () => 'Fanns med i förra planen.', en: () => 'Kept from the previous plan.' },
  hours_so_far: {
    sv: (p) =>
      `${n(p.weekHours, 'timme', 'timmar')} vecka ${weekNo(p.week)} (högst ${num(p.maxHours, 'sv')}). ${n(p.periodHours, 'timme', 'timmar')} i perioden (rättvist: ${num(p.fairHours, 'sv')}).`,
    en: (p) =>
      `${nEn(p.weekHours, 'hour', 'hours')} in week ${weekNo(p.week)} (at most ${p.maxHours}). ${nEn(p.periodHours, 'hour', 'hours')} in the period (fair share: ${p.fairHours}).`,
  },
  fewest_hours: {
    sv: (p) => `Har minst timmar vecka ${weekNo(p.week)} (${n(p.hours, 'timme', 'timmar')}).`,
    en: (p) => `Has the fewest hours in week ${weekNo(p.week)} (${nEn(p.hours, 'hour', 'hours')}).`,
  },
  already_on_session: { sv: () => 'Är redan på passet.', en: () => 'Is already on this session.' },
  not_available: {
    sv: (p) =>
      !p.canWork
        ? `Kan inte jobba på ${DAYS_SV[p.weekday]}ar ${p.from}–${p.to}.`
        : p.canWork.length
          ? `Kan bara jobba ${list(
              p.canWork.map((w) => `${w.from}–${w.to}`),
              'och',
            )} på ${DAYS_SV[p.weekday]}ar. Passet är ${p.from}–${p.to}.`
          : `Kan inte jobba på ${DAYS_SV[p.weekday]}ar.`,
    en: (p) =>
      !p.canWork
        ? `Cannot work on ${DAYS_EN[p.weekday]}s ${p.from}–${p.to}.`
        : p.canWork.length
          ? `Can only work ${list(
              p.canWork.map((w) => `${w.from}–${w.to}`),
              'and',
            )} on ${DAYS_EN[p.weekday]}s. The session is ${p.from}–${p.to}.`
          : `Cannot work on ${DAYS_EN[p.weekday]}s.`,
  },
  unavailable_on: {
    sv: (p) => `Har förhinder ${day(p.date, 'sv')}.`,
    en: (p) => `Cannot come on ${day(p.date, 'en')}.`,
  },
  over_weekly_max: {
    sv: (p) =>
      `Har redan ${n(p.hours, 'timme', 'timmar')} vecka ${weekNo(p.week)}. Får jobba högst ${n(p.maxHours, 'timme', 'timmar')}.`,
    en: (p) =>
      `Already has ${nEn(p.hours, 'hour', 'hours')} in week ${weekNo(p.week)}, at most ${nEn(p.maxHours, 'hour', 'hours')}.`,
  },
  busy_elsewhere: {
    sv: (p) =>
      `Har ett annat pass ${day(p.date, 'sv')} ${p.from}–${p.to}${p.travelMinutes ? ` (${n(p.travelMinutes, 'minuts', 'minuters')} resa)` : ''}.`,
    en: (p) =>
      `Has another session on ${day(p.date, 'en')} ${p.from}–${p.to}${p.travelMinutes ? ` (${nEn(p.travelMinutes, 'minute', 'minutes')} away)` : ''}.`,
  },
  session_full: { sv: () => 'Passet är fullt.', en: () => 'The session is full.' },
  no_second_guide: {
    sv: () => 'Kan komma, men ingen annan guide kan då. En guide jobbar aldrig ensam.',
    en: () => 'Free, but no second guide is free then. A guide never works alone.',
  },
  short_of_guides: {
    sv: (p) =>
      `${day(p.date, 'sv')} ${p.time}: ${p.assigned} av minst ${n(p.needed, 'guide', 'guider')}.`.replace(/^./, (c) =>
        c.toUpperCase(),
      ),
    en: (p) => `${day(p.date, 'en')} ${p.time}: ${p.assigned} of at least ${nEn(p.needed, 'guide', 'guides')}.`,
  },
  nobody_available: {
    sv: (p) => (p.count === 0 ? 'Ingen guide kan jobba då.' : `Bara ${n(p.count, 'guide', 'guider')} kan jobba då.`),
    en: (p) => (p.count === 0 ? 'No guide can work then.' : `Only ${nEn(p.count, 'guide', 'guides')} can work then.`),
  },
  others_busy: {
    sv: (p) => `${n(p.count, 'guide', 'guider')} kan jobba då. De andra har redan ett pass eller har nått sina timmar.`,
    en: (p) =>
      `${nEn(p.count, 'guide', 'guides')} can work then. The others have another session or have reached their hours.`,
  },
  never_alone: {
    sv: () => 'En guide jobbar aldrig ensam. En till behövs.',
    en: () => 'A guide never works alone: one more is needed.',
  },
  platform_guides_busy: {
    sv: (p) =>
      `${n(p.seniors, 'senior', 'seniorer')} har ${platform(p.platform)}. ${n(p.count, 'guide', 'guider')} kan ${platform(p.platform)} men har redan ett pass eller har nått sina timmar.`,
    en: (p) =>
      `${nEn(p.seniors, 'senior brings', 'seniors bring')} ${platform(p.platform)}. ${nEn(p.count, 'guide knows', 'guides know')} it but ${p.count === 1 ? 'has' : 'have'} another session or no hours left.`,
  },
  no_platform_guide: {
    sv: (p) =>
      `${n(p.seniors, 'senior', 'seniorer')} har ${platform(p.platform)}. Ingen guide som kan ${platform(p.platform)} kan jobba då.`,
    en: (p) =>
      `${nEn(p.seniors, 'senior brings', 'seniors bring')} ${platform(p.platform)}. No guide who knows it can work then.`,
  },
  pair_knows_platform: {
    sv: (p) => `Kan ${platform(p.platform)}.`,
    en: (p) => `Knows ${platform(p.platform)}.`,
  },
  pair_topic: {
    sv: (p) => `Kan hjälpa med ${topicName(p.topic, 'sv')}.`,
    en: (p) => `Can help with ${topicName(p.topic, 'en')}.`,
  },
  pair_language: {
    sv: (p) => `Talar ${language(p.language, 'sv')} med seniorn.`,
    en: (p) => `Speaks ${language(p.language, 'en')} with the senior.`,
  },
  pair_helped_before: {
    sv: (p) => `Har hjälpt seniorn förut${p.times ? ` (${n(p.times, 'gång', 'gånger')})` : ''}.`,
    en: (p) => `Has helped this senior before${p.times ? ` (${nEn(p.times, 'time', 'times')})` : ''}.`,
  },
  pair_even_load: {
    sv: (p) => `Har ${n(p.seniors, 'senior', 'seniorer')} på caféet.`,
    en: (p) => `Has ${nEn(p.seniors, 'senior', 'seniors')} at this café.`,
  },
  pair_nobody_knows_platform: {
    sv: (p) => `Ingen guide på caféet kan ${platform(p.platform)}.`,
    en: (p) => `No guide at this café knows ${platform(p.platform)}.`,
  },
};

/** A reason as it comes over the wire (the API's schema types its parameters loosely). */
export type SaidReason = Reason | { code: string; params: unknown };

/** One reason in the reader's language. */
export function reasonText(r: SaidReason, lang: Lang): string {
  const words = (WORDS as Partial<Record<string, Record<Lang, (p: unknown) => string>>>)[r.code];
  return words ? words[lang](r.params) : r.code;
}

/** Several reasons as one line. */
export const reasonsText = (rs: readonly SaidReason[], lang: Lang) => rs.map((r) => reasonText(r, lang)).join(' ');

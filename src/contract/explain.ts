/**
 * The matching engine explains itself in English (API clients read it); coordinators read it
 * in Swedish. Each of the engine's sentence shapes (src/domain/matching/explain.ts) has its
 * Swedish here; anything unknown stays as the engine wrote it.
 */
import { platformName as platform } from './names';

const DAY: Record<string, string> = {
  Mon: 'mån',
  Tue: 'tis',
  Wed: 'ons',
  Thu: 'tor',
  Fri: 'fre',
  Sat: 'lör',
  Sun: 'sön',
};
const day = (d: string) => DAY[d] ?? d;
const week = (w: string) => `vecka ${Number(w.split('-W')[1])}`;

const SV: [RegExp, (...m: string[]) => string][] = [
  [/^not available (\w+) (\S+)$/, (d, t) => `kan inte jobba ${day(d)} ${t}`],
  [/^unavailable on (\S+)$/, (date) => `har förhinder ${date}`],
  [
    /^would pass max (\S+ h) in (\S+) \(has (\S+ h)\)$/,
    (max, w, has) => `skulle gå över max ${max} ${week(w)} (har ${has})`,
  ],
  [
    /^busy (\S+) (\S+) elsewhere \((\d+) min away\)$/,
    (date, t, min) => `upptagen ${date} ${t} på annan plats (${min} min bort)`,
  ],
  [/^busy (\S+) (\S+) elsewhere$/, (date, t) => `upptagen ${date} ${t} på annan plats`],
  [/^the session is full$/, () => 'passet har redan så många guider som får plats'],
  [
    /^free, but no second guide is free then \(a guide never works alone\)$/,
    () => 'ledig, men ingen annan guide är ledig då (en guide jobbar aldrig ensam)',
  ],
  [
    /^(\d+) of at least (\d+) guides on (\w+) (\S+) (\S+)$/,
    (n, min, d, date, t) => `${n} av minst ${min} guider ${day(d)} ${date} ${t}`,
  ],
  [/^only (\d+) guide\(s\) are available then at all$/, (n) => `bara ${n} guide(r) kan jobba då över huvud taget`],
  [
    /^of the (\d+) guides available then, the others are busy elsewhere, at their weekly hours, or too far away$/,
    (n) =>
      `av de ${n} guider som kan jobba då är de andra upptagna på annan plats, vid sin veckogräns eller för långt bort`,
  ],
  [/^a guide never works alone: one more is needed$/, () => 'en guide jobbar aldrig ensam: en till behövs'],
  [
    /^the (\d+) available (\w+) guide\(s\) are busy elsewhere or at their weekly hours on (\w+) (\S+) (\S+)$/,
    (n, p, d, date, t) =>
      `de ${n} guider som kan ${platform(p)} är upptagna på annan plats eller vid sin veckogräns ${day(d)} ${date} ${t}`,
  ],
  [
    /^no guide who knows (\w+) is available on (\w+) (\S+) (\S+)$/,
    (p, d, date, t) => `ingen guide som kan ${platform(p)} kan jobba ${day(d)} ${date} ${t}`,
  ],
];

/** One of the engine's sentences, in the reader's language. */
export function explainIn(text: string, lang: 'sv' | 'en'): string {
  if (lang !== 'sv') return text;
  for (const [re, sv] of SV) {
    const m = re.exec(text);
    if (m) return sv(...m.slice(1));
  }
  return text;
}

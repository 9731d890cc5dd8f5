/**
 * Real plurals for pages and mail alike, one helper: "1 guide", "3 guider", never "guide(r)".
 * No dependencies, so the browser bundle can use it.
 */
import type { Lang } from './names';

/** The word for one, or for many. */
export const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** "1 timme", "1,5 timmar", "8 timmar" / "1 hour", "1.5 hours": hours as a guide reads them, never "h". */
export function hoursText(hours: number, lang: Lang): string {
  const n = Math.round(hours * 10) / 10;
  const figure = n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  return `${figure} ${lang === 'sv' ? plural(n, 'timme', 'timmar') : plural(n, 'hour', 'hours')}`;
}

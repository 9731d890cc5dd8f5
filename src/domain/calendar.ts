import type Holidays from 'date-holidays';

/**
 * Days on which cafés do not run: Swedish public holidays (röda dagar) and the "bank"
 * days around them (midsummer eve, Christmas eve, New Year's eve), from the maintained
 * `date-holidays` data rather than a hand-typed list; plus the closures a coordinator adds.
 */

export interface BlockedDay {
  reason: 'holiday' | 'closure';
  name: string;
}

export interface ClosurePeriod {
  name: string;
  startsOn: string;
  endsOn: string;
  /** A closure of one venue only; absent for the whole municipality. */
  venueId?: string | null;
}

// The domain is typed without Node's globals; this is the one place it loads a package lazily.
declare function require(id: 'date-holidays'): typeof Holidays;

let holidaysSE: Holidays | undefined;
/** Loaded at the first date asked about, not at start: the package and its rules take a moment. */
function holidays(): Holidays {
  if (!holidaysSE) {
    const SwedishHolidays = require('date-holidays');
    holidaysSE = new SwedishHolidays('SE', { languages: ['sv'], types: ['public', 'bank'] });
  }
  return holidaysSE;
}
const byYear = new Map<number, Map<string, string>>();

/** Swedish holidays of a year as `YYYY-MM-DD` → Swedish name. Cached: the data never changes within a run. */
export function swedishHolidays(year: number): Map<string, string> {
  let days = byYear.get(year);
  if (!days) {
    days = new Map();
    for (const h of holidays().getHolidays(year)) {
      if (h.type !== 'public' && h.type !== 'bank') continue;
      const date = h.date.slice(0, 10);
      if (!days.has(date)) days.set(date, h.name.charAt(0).toUpperCase() + h.name.slice(1));
    }
    byYear.set(year, days);
  }
  return days;
}

export function swedishHoliday(date: string): string | undefined {
  return swedishHolidays(Number(date.slice(0, 4))).get(date);
}

/**
 * Why no café runs on a date at a venue, or undefined if it may run.
 * A closure wins over a holiday: it is the coordinator's own word.
 */
export function blockedDay(
  date: string,
  venueId: string,
  closures: readonly ClosurePeriod[],
  skipHolidays: boolean,
): BlockedDay | undefined {
  for (const c of closures) {
    if (c.startsOn <= date && date <= c.endsOn && (!c.venueId || c.venueId === venueId)) {
      return { reason: 'closure', name: c.name };
    }
  }
  if (skipHolidays) {
    const name = swedishHoliday(date);
    if (name) return { reason: 'holiday', name };
  }
  return undefined;
}

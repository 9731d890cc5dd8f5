import { DateTime } from 'luxon';

/** A reporting period: `2027-03` (month), `2027-Q1` (quarter) or `2027` (year). */
export const PERIOD_RE = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$/;

export function periodRange(period: string): { from: string; to: string } {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  let start: DateTime;
  let end: DateTime;
  if (m[2]) {
    start = DateTime.utc(year, Number(m[2]), 1);
    end = start.endOf('month');
  } else if (m[3]) {
    start = DateTime.utc(year, (Number(m[3]) - 1) * 3 + 1, 1);
    end = start.plus({ months: 2 }).endOf('month');
  } else {
    start = DateTime.utc(year, 1, 1);
    end = start.endOf('year');
  }
  return { from: start.toISODate()!, to: end.toISODate()! };
}

/** The period of this kind that contains a date. */
export function periodOf(date: string, kind: 'month' | 'quarter' | 'year'): string {
  const d = DateTime.fromISO(date, { zone: 'utc' });
  if (kind === 'month') return d.toFormat('yyyy-MM');
  if (kind === 'quarter') return `${d.year}-Q${d.quarter}`;
  return String(d.year);
}

/** The period just before this one, of the same kind. */
export function previousPeriod(period: string): string {
  const { from } = periodRange(period);
  const kind = period.includes('Q') ? 'quarter' : period.length === 7 ? 'month' : 'year';
  const d = DateTime.fromISO(from, { zone: 'utc' }).minus({ days: 1 });
  return periodOf(d.toISODate()!, kind);
}

/**
 * A count of persons as it may go to the municipality: fewer than three (but some) is shown
 * as "<3", so no one can be singled out in a small venue's figures; "x" is a cell hidden so
 * that no "<3" can be worked out from the others (src/reports/suppression.ts).
 */
export type Cell = number | '<3' | 'x';
export const SMALL = 3;

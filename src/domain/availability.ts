/**
 * A guide's weekly windows, each valid for a period (a term's timetable) or open-ended. On any
 * date the period that started last among those covering it holds: a term's timetable replaces
 * the standing one for the term, and the standing one holds again after. A contract's last day
 * ends every window.
 */
export interface DatedWindow {
  weekday: number;
  start: string;
  end: string;
  validFrom: string | null;
  validTo: string | null;
}

export interface EffectiveWindow {
  weekday: number;
  start: string;
  end: string;
  /** Inclusive local dates; undefined is open. */
  from?: string;
  to?: string;
}

const shift = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

interface Period {
  from: string | null;
  to: string | null;
  windows: DatedWindow[];
}

/** The windows with the dates each one really holds for. */
export function effectiveWindows(windows: DatedWindow[], endDate: string | null = null): EffectiveWindow[] {
  const periods = new Map<string, Period>();
  for (const w of windows) {
    const key = `${w.validFrom ?? ''}|${w.validTo ?? ''}`;
    const p = periods.get(key) ?? { from: w.validFrom, to: w.validTo, windows: [] };
    p.windows.push(w);
    periods.set(key, p);
  }
  // Every date where some period starts or stops splits the calendar; within a piece the same periods hold.
  const cuts = [...new Set([...periods.values()].flatMap((p) => [p.from, p.to && shift(p.to, 1)]))]
    .filter((d): d is string => !!d)
    .sort();
  const pieces: { from?: string; to?: string }[] = [];
  let start: string | undefined;
  for (const cut of cuts) {
    pieces.push({ from: start, to: shift(cut, -1) });
    start = cut;
  }
  pieces.push({ from: start, to: undefined });

  // The period that holds on each piece; neighbouring pieces of the same period join up.
  const spans: { holds: Period; from?: string; to?: string }[] = [];
  for (const piece of pieces) {
    const covering = [...periods.values()].filter(
      (p) =>
        (!p.from || (piece.from !== undefined && p.from <= piece.from)) &&
        (!p.to || (piece.to !== undefined && p.to >= piece.to)),
    );
    if (!covering.length) continue;
    const holds = covering.reduce((a, b) => ((b.from ?? '') > (a.from ?? '') ? b : a));
    const last = spans.at(-1);
    if (last?.holds === holds && last.to && piece.from === shift(last.to, 1)) last.to = piece.to;
    else spans.push({ holds, from: piece.from, to: piece.to });
  }
  const out: EffectiveWindow[] = [];
  for (const { holds, from, to: until } of spans) {
    const to = endDate && (!until || endDate < until) ? endDate : until;
    if (from && to && to < from) continue;
    for (const w of holds.windows)
      out.push({ weekday: w.weekday, start: w.start, end: w.end, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  }
  return out;
}

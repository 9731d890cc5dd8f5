/**
 * A week of half hours to tap or drag over, for when a guide can work. One cell is in the tab
 * order at a time (arrow keys move, space or enter toggles), so the keyboard does not stop at
 * 182 buttons; a finger or the mouse paints several cells in one drag.
 */
import { useRef, useState } from 'preact/hooks';
import { WEEKDAYS as DAYS } from '../dates';
import { defineWords, weekdayName } from '../i18n';

export interface Window {
  weekday: string;
  start: string;
  end: string;
}

const FIRST = 8 * 2; // 08:00, in half hours
const LAST = 21 * 2; // 21:00
const SLOTS = LAST - FIRST;

const w = defineWords({
  mon: ['mån', 'Mon'],
  tue: ['tis', 'Tue'],
  wed: ['ons', 'Wed'],
  thu: ['tor', 'Thu'],
  fri: ['fre', 'Fri'],
  sat: ['lör', 'Sat'],
  sun: ['sön', 'Sun'],
  hint: [
    'Tryck på de tider du kan jobba. Dra med fingret för flera. Med tangentbordet: pilar och mellanslag.',
    'Tap the times you can work. Drag your finger for several. With a keyboard: arrows and space.',
  ],
});

const time = (slot: number) => `${String(Math.floor(slot / 2)).padStart(2, '0')}:${slot % 2 ? '30' : '00'}`;
const slotOf = (t: string) => Number(t.slice(0, 2)) * 2 + (t.slice(3, 5) >= '30' ? 1 : 0);

/** Windows as a set of `day:slot` cells, and back (neighbouring cells join into one window). */
export function cellsOf(windows: Window[]): Set<string> {
  const cells = new Set<string>();
  for (const win of windows)
    for (let s = Math.max(FIRST, slotOf(win.start)); s < Math.min(LAST, slotOf(win.end)); s++)
      cells.add(`${win.weekday}:${s}`);
  return cells;
}

export function windowsOf(cells: Set<string>): Window[] {
  const out: Window[] = [];
  for (const day of DAYS) {
    let start: number | null = null;
    for (let s = FIRST; s <= LAST; s++) {
      const on = s < LAST && cells.has(`${day}:${s}`);
      if (on && start === null) start = s;
      if (!on && start !== null) {
        out.push({ weekday: day, start: time(start), end: time(s) });
        start = null;
      }
    }
  }
  return out;
}

export function WeekGrid({
  cells,
  onChange,
  label,
}: {
  cells: Set<string>;
  onChange: (c: Set<string>) => void;
  label: string;
}) {
  const [focus, setFocus] = useState<{ d: number; s: number }>({ d: 0, s: 0 });
  const painting = useRef<boolean | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  // A drag paints several cells before the page draws again: each builds on the last one's set.
  const latest = useRef(cells);
  latest.current = cells;
  const set = (key: string, on: boolean) => {
    if (latest.current.has(key) === on) return;
    const next = new Set(latest.current);
    latest.current = next;
    if (on) next.add(key);
    else next.delete(key);
    onChange(next);
  };
  const move = (d: number, s: number) => {
    const nd = Math.max(0, Math.min(DAYS.length - 1, d));
    const ns = Math.max(0, Math.min(SLOTS - 1, s));
    setFocus({ d: nd, s: ns });
    ref.current?.querySelector<HTMLButtonElement>(`[data-cell="${nd}:${ns}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent, d: number, s: number) => {
    const step: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    if (step[e.key]) {
      e.preventDefault();
      move(d + step[e.key][0], s + step[e.key][1]);
    }
  };
  return (
    <div class="week-grid-wrap">
      <p class="hint">{w('hint')}</p>
      <div
        ref={ref}
        class="week-grid"
        role="grid"
        aria-label={label}
        onPointerUp={() => (painting.current = null)}
        onPointerLeave={() => (painting.current = null)}
      >
        <div role="row" class="week-grid-row">
          <span role="columnheader" class="corner" />
          {DAYS.map((d) => (
            <span role="columnheader" key={d} class="day">
              {w(d)}
            </span>
          ))}
        </div>
        {Array.from({ length: SLOTS }, (_, i) => {
          const slot = FIRST + i;
          return (
            <div role="row" key={slot} class="week-grid-row">
              <span role="rowheader" class="hour">
                {slot % 2 ? '' : time(slot)}
              </span>
              {DAYS.map((d, di) => {
                const key = `${d}:${slot}`;
                const on = cells.has(key);
                return (
                  <span role="gridcell" key={key}>
                    <button
                      type="button"
                      class={`cell${on ? ' on' : ''}`}
                      data-cell={`${di}:${i}`}
                      tabIndex={focus.d === di && focus.s === i ? 0 : -1}
                      aria-pressed={on}
                      aria-label={`${weekdayName(d)} ${time(slot)}–${time(slot + 1)}`}
                      onKeyDown={(e) => onKey(e, di, i)}
                      onClick={(e) => {
                        // A click from the keyboard (space, enter) toggles; a pointer already painted on press.
                        if (e.detail === 0) set(key, !on);
                        setFocus({ d: di, s: i });
                      }}
                      onPointerDown={(e) => {
                        (e.currentTarget as HTMLElement).releasePointerCapture?.(e.pointerId);
                        painting.current = !on;
                        set(key, !on);
                      }}
                      onPointerEnter={() => {
                        if (painting.current !== null) set(key, painting.current);
                      }}
                    />
                  </span>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

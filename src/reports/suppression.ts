import type { Highs } from 'highs';
import { type Cell, SMALL } from '../domain/reports';

/**
 * Small-cell suppression as statistics offices do it, for a table of counts of persons and the
 * linear relations between them (a total is the sum of its venues, visits are signed-up plus
 * walk-ins, the age bands add up to the visitors …).
 *
 * 1. Primary suppression: a count of 1 or 2 is shown as "<3".
 * 2. Complementary suppression: every such count is audited as an attacker would. Given every
 *    published figure, that "<3" is 1 or 2, that "x" is 0 or more, and every relation, a linear
 *    programme finds the least and the greatest value the count can have. If the attacker can
 *    narrow it to one value, one more cell is hidden ("x"): the one that keeps the most in
 *    view, and the smallest figure of those that make the count safe again. Hiding only ever
 *    widens the attacker's intervals, so a count once safe stays safe.
 *
 * Counts that are never published but follow from published ones (the visitors who are not
 * newly arrived, the ones who came once) are protected in the same way.
 */

export interface Table {
  cells: TableCell[];
  /** Linear relations between cells that always hold: Σ coefficient × cell (= or ≤) 0. */
  relations: Relation[];
}
export interface TableCell {
  value: number;
  /** Never published (a group that is only implied, like the visitors not newly arrived). */
  internal?: boolean;
  /** How much it costs to hide it, beyond its size (a total is dearer to lose than a venue's figure). */
  weight?: number;
}
export interface Relation {
  terms: [cell: number, coefficient: number][];
  op: '=' | '<=';
}

/** The shown value of every cell ("x" for internal ones, which are never shown). */
export type Shown = Cell[];

const sensitive = (v: number) => v > 0 && v < SMALL;
/** The attacker must not be able to tell 1 from 2: its interval is at least this wide. */
const WIDE_ENOUGH = 1 - 1e-6;

let highs: Promise<Highs> | undefined;
// Loaded at the first report, not at start.
const solver = () => (highs ??= import('highs').then(({ default: loadHighs }) => loadHighs()));

export async function suppress(table: Table): Promise<Shown> {
  const h = await solver();
  const shown: Shown = table.cells.map((c) => (c.internal ? 'x' : sensitive(c.value) ? '<3' : c.value));
  const byCell = relationsByCell(table);
  for (let i = 0; i < table.cells.length; i++) {
    if (!sensitive(table.cells[i].value)) continue;
    while (!safe(h, table, byCell, shown, i)) {
      const toHide = cheapestCover(h, table, shown, i);
      // Without a cover (never seen), hide the next cell in a relation with it, or any.
      if (!toHide.length) toHide.push(nextToHide(table, byCell, shown, i));
      if (toHide[0] < 0) throw new Error('suppression found nothing left to hide');
      for (const k of toHide) shown[k] = 'x';
    }
  }
  return shown;
}

function safe(h: Highs, table: Table, byCell: number[][], shown: Shown, cell: number): boolean {
  const { lo, hi } = interval(h, table, byCell, shown, cell);
  return hi - lo >= WIDE_ENOUGH;
}

/**
 * The cheapest cells to hide so that an exposed count could as well be the other of 1 and 2:
 * the smallest change to the whole table (y) that moves the count by one and keeps every
 * relation, every hidden count's bounds and every shown figure, except those it pays to hide.
 * A linear programme (as statistics offices find complementary suppressions): hiding a shown
 * figure costs 1 a unit (more for a total), showing a "<3" as "x" instead costs 1 a unit.
 * Whatever the cheapest change touches is hidden, and the attacker can then no longer rule out
 * the changed table.
 */
function cheapestCover(h: Highs, table: Table, shown: Shown, cell: number): number[] {
  const t = (k: number) => table.cells[k].value;
  for (const dir of t(cell) === 1 ? [1, -1] : [-1, 1]) {
    const cost: string[] = [];
    const rows: string[] = [];
    const bounds: string[] = [];
    table.cells.forEach((c, k) => {
      if (k === cell) return void bounds.push(` y${k} = ${dir}`);
      bounds.push(` y${k} >= ${-t(k)}`);
      if (shown[k] === '<3') {
        // Stays 1 or 2, unless it is shown as "x" instead (q).
        rows.push(` lo${k}: y${k} + q${k} >= ${1 - t(k)}`, ` hi${k}: y${k} - q${k} <= ${2 - t(k)}`);
        cost.push(`+ 1 q${k}`);
      } else if (shown[k] !== 'x') {
        // Stays as shown, unless it is hidden (a ≥ |y|).
        rows.push(` up${k}: y${k} - a${k} <= 0`, ` dn${k}: y${k} + a${k} >= 0`);
        cost.push(`+ ${1 + (c.weight ?? 0) + t(k) / 1000} a${k}`);
      }
    });
    table.relations.forEach((r, i) => {
      const slack = r.terms.reduce((sum, [k, a]) => sum + a * t(k), 0);
      const lhs = r.terms.map(([k, a]) => `${a < 0 ? '-' : '+'} ${Math.abs(a)} y${k}`).join(' ');
      rows.push(` r${i}: ${lhs} ${r.op} ${-slack}`);
    });
    const lp = `Minimize\n obj: ${cost.join(' ') || '0 y0'}\nSubject To\n${rows.join('\n')}\nBounds\n${bounds.join('\n')}\nEnd\n`;
    const r = h.solve(lp, {});
    if (r.Status !== 'Optimal') continue;
    const moved = (name: string) => (r.Columns[name]?.Primal ?? 0) > 1e-6;
    return table.cells.map((_, k) => k).filter((k) => moved(`a${k}`) || moved(`q${k}`));
  }
  return [];
}

/** The cheapest shown cell in a relation with this one, else any. */
function nextToHide(table: Table, byCell: number[][], shown: Shown, cell: number): number {
  const near = byCell[cell].flatMap((r) => table.relations[r].terms.map(([k]) => k)).filter((k) => shown[k] !== 'x');
  const all = table.cells.map((_, k) => k).filter((k) => shown[k] !== 'x');
  const pool = near.length ? near : all;
  return pool.sort((a, b) => t0(table, a) - t0(table, b))[0] ?? -1;
}
const t0 = (table: Table, k: number) => table.cells[k].value + (table.cells[k].weight ?? 0);

function relationsByCell(table: Table): number[][] {
  const out: number[][] = table.cells.map(() => []);
  table.relations.forEach((r, i) => r.terms.forEach(([k]) => out[k].push(i)));
  return out;
}

/**
 * Minimise and maximise one cell over the relations that reach it through hidden cells; the
 * published cells are constants. HiGHS solves the linear programme, written in CPLEX LP format.
 */
function interval(h: Highs, table: Table, byCell: number[][], shown: Shown, cell: number): { lo: number; hi: number } {
  if (shown[cell] !== 'x' && shown[cell] !== '<3') return { lo: table.cells[cell].value, hi: table.cells[cell].value };
  const hidden = (k: number) => shown[k] === 'x' || shown[k] === '<3';
  const vars = new Set([cell]);
  const rows = new Set<number>();
  const queue = [cell];
  while (queue.length) {
    const k = queue.pop()!;
    for (const r of byCell[k]) {
      if (rows.has(r)) continue;
      rows.add(r);
      for (const [k2] of table.relations[r].terms)
        if (hidden(k2) && !vars.has(k2)) {
          vars.add(k2);
          queue.push(k2);
        }
    }
  }
  const lines = [...rows].map((r, i) => {
    const rel = table.relations[r];
    let constant = 0;
    const terms: string[] = [];
    for (const [k, a] of rel.terms) {
      if (hidden(k)) terms.push(`${a < 0 ? '-' : '+'} ${Math.abs(a)} c${k}`);
      else constant += a * (shown[k] as number);
    }
    return ` r${i}: ${terms.join(' ')} ${rel.op} ${-constant}`;
  });
  const bounds = [...vars].map((k) => (shown[k] === '<3' ? ` 1 <= c${k} <= 2` : ` c${k} >= 0`));
  const solve = (sense: 'Minimize' | 'Maximize') => {
    const lp = `${sense}\n obj: c${cell}\nSubject To\n${lines.join('\n')}\n dummy: c${cell} >= 0\nBounds\n${bounds.join('\n')}\nEnd\n`;
    const r = h.solve(lp, {});
    if (r.Status === 'Unbounded') return sense === 'Minimize' ? -Infinity : Infinity;
    if (r.Status !== 'Optimal') throw new Error(`suppression: the audit's programme is ${r.Status}`);
    return r.ObjectiveValue;
  };
  return { lo: solve('Minimize'), hi: solve('Maximize') };
}

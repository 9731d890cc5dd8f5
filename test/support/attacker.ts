import loadHighs, { type Highs } from 'highs';
import type { PublicReport } from '../../src/reports/output';
import type { ReportFigures, ScopeFigures } from '../../src/services/reports.service';

/**
 * An attacker on a published report, written apart from the service's suppression: it knows
 * every figure shown, that "<3" is 1 or 2 and "x" is 0 or more, the shares and ratios shown, and
 * every sum the report implies. For each count of 1 or 2 persons (shown or only implied) it
 * minimises and maximises the count with a linear programme (HiGHS). A count is found out when
 * the attacker's interval is narrower than 1..2: it can tell 1 from 2.
 */
export interface Exposure {
  cell: string;
  truth: number;
  shown: unknown;
  lo: number;
  hi: number;
}

let highs: Promise<Highs> | undefined;

type Shown = number | '<3' | 'x';
type Scope = Omit<PublicReport['venues'][number], 'venueId' | 'name'>;

export async function attack(report: PublicReport, truth: ReportFigures): Promise<Exposure[]> {
  const h = await (highs ??= loadHighs());
  const scopes: [string, Scope, ScopeFigures][] = [
    ['T', report.total, truth.total],
    ...report.venues.map((v, i): [string, Scope, ScopeFigures] => [`V${i}`, v, truth.venues[i]]),
  ];
  const vars = new Map<string, { shown: Shown | null; truth: number }>();
  const rows: string[] = [];
  const v = (name: string, shown: Shown | null, value: number) => vars.set(name, { shown, truth: value });
  const sum = (names: string[]) => names.map((n) => `+ ${n}`).join(' ');
  const eq = (a: string[], b: string[]) => rows.push(`${sum(a)} ${b.map((n) => `- ${n}`).join(' ')} = 0`);
  const le = (a: string[], b: string[]) => rows.push(`${sum(a)} ${b.map((n) => `- ${n}`).join(' ')} <= 0`);
  const setKeys = (name: 'ageBands' | 'gender' | 'topics' | 'platforms' | 'topicsByPlatform') =>
    [...new Set(scopes.flatMap(([, , t]) => Object.keys(t[name])))].sort();
  /** Topics by platform as shown: platform → topic → cell, here keyed `platform:topic` as the truth is. */
  const crossShown = (p: Scope, key: string): Shown => {
    const [platform, topic] = key.split(':');
    return p.topicsByPlatform.cells[platform]?.[topic] ?? 0;
  };

  const nm = (id: string, k: string) => `${id}_${k.replace(/[^A-Za-z0-9]/g, '_')}`;
  for (const [id, p, t] of scopes) {
    const n = (k: string) => nm(id, k);
    v(n('visits'), p.visits, t.visits);
    v(n('reg'), p.registeredVisits, t.registeredVisits);
    v(n('walk'), p.walkInVisits, t.walkInVisits);
    v(n('anon'), p.anonymousVisits, t.anonymousVisits);
    v(n('unique'), p.uniqueVisitors, t.uniqueVisitors);
    v(n('repeat'), p.repeatVisitors, t.repeatVisitors);
    v(n('again'), p.helpedAgain, t.helpedAgain);
    v(n('newly'), p.newlyArrived, t.newlyArrived);
    v(n('noShows'), p.seniorNoShows, t.seniorNoShows);
    v(n('sUnique'), p.sinceContractStart.uniqueVisitors, t.sinceContractStart.uniqueVisitors);
    v(n('sRepeat'), p.sinceContractStart.repeatVisitors, t.sinceContractStart.repeatVisitors);
    // Groups not shown but implied.
    v(n('notNewly'), null, t.uniqueVisitors - t.newlyArrived);
    v(n('once'), null, t.uniqueVisitors - t.repeatVisitors);
    v(n('sOnce'), null, t.sinceContractStart.uniqueVisitors - t.sinceContractStart.repeatVisitors);
    for (const set of ['ageBands', 'gender', 'topics', 'platforms'] as const)
      for (const k of setKeys(set)) v(n(`${set}_${k}`), (p[set] as Record<string, Shown>)[k] ?? 0, t[set][k] ?? 0);
    for (const k of setKeys('topicsByPlatform')) v(n(`cross_${k}`), crossShown(p, k), t.topicsByPlatform[k] ?? 0);
    // Each platform's and each topic's cells add up to its count, but for what the cafés not broken
    // down gave it: a group never shown but implied (the count less its cells), none where every
    // café was broken down (as published).
    for (const [at, set] of [
      [0, 'platforms'],
      [1, 'topics'],
    ] as const) {
      const margins = [...new Set([...setKeys(set), ...setKeys('topicsByPlatform').map((k) => k.split(':')[at])])];
      for (const m of margins) {
        const keys = setKeys('topicsByPlatform').filter((k) => k.split(':')[at] === m);
        const rest = n(`notBrokenDown_${set}_${m}`);
        v(rest, null, (t[set][m] ?? 0) - keys.reduce((a, k) => a + (t.topicsByPlatform[k] ?? 0), 0));
        eq([...keys.map((k) => n(`cross_${k}`)), rest], [n(`${set}_${m}`)]);
        if (p.topicsByPlatform.sessionsNotBrokenDown === 0) eq([rest], []);
      }
    }
    eq([n('visits')], [n('reg'), n('walk')]);
    eq(
      [n('unique')],
      setKeys('ageBands').map((k) => n(`ageBands_${k}`)),
    );
    eq(
      [n('unique')],
      setKeys('gender').map((k) => n(`gender_${k}`)),
    );
    eq([n('unique')], [n('newly'), n('notNewly')]);
    eq([n('unique')], [n('repeat'), n('once')]);
    eq([n('sUnique')], [n('sRepeat'), n('sOnce')]);
    le([n('unique'), n('repeat')], [n('visits')]);
    le([n('anon'), n('repeat')], [n('unique')]);
    le([n('anon'), n('sRepeat')], [n('sUnique')]);
    le([n('anon')], [n('walk')]);
    le([n('anon'), n('again')], [n('unique')]);
    le([n('unique')], [n('sUnique')]);
    le([n('repeat')], [n('sRepeat')]);
    if (report.from === report.contract.startsOn) {
      eq([n('unique')], [n('sUnique')]);
      eq([n('repeat')], [n('sRepeat')]);
    }
    // A share and a ratio shown, to the rounding they are shown with.
    if (p.newlyArrivedShare !== null) {
      const s = p.newlyArrivedShare;
      rows.push(`${n('newly')} - ${s + 0.005} ${n('unique')} <= 0`, `${n('newly')} - ${s - 0.005} ${n('unique')} >= 0`);
    }
    if (p.seniorsPerGuide !== null && p.guideShifts > 0) {
      const r = p.seniorsPerGuide;
      rows.push(`${n('visits')} <= ${(r + 0.05) * p.guideShifts}`, `${n('visits')} >= ${(r - 0.05) * p.guideShifts}`);
    }
  }
  const venues = scopes.slice(1).map(([id]) => id);
  if (venues.length) {
    for (const k of [
      'visits',
      'reg',
      'walk',
      'anon',
      'noShows',
      ...setKeys('topics').map((x) => `topics_${x}`),
      ...setKeys('platforms').map((x) => `platforms_${x}`),
      ...setKeys('topicsByPlatform').map((x) => `cross_${x}`),
      ...(['platforms', 'topics'] as const).flatMap((set) =>
        [
          ...new Set([
            ...setKeys(set),
            ...setKeys('topicsByPlatform').map((k) => k.split(':')[set === 'platforms' ? 0 : 1]),
          ]),
        ].map((x) => `notBrokenDown_${set}_${x}`),
      ),
    ])
      eq(
        [nm('T', k)],
        venues.map((id) => nm(id, k)),
      );
    for (const k of [
      'unique',
      'once',
      'again',
      'newly',
      'sUnique',
      ...setKeys('ageBands').map((x) => `ageBands_${x}`),
      ...setKeys('gender').map((x) => `gender_${x}`),
    ])
      le(
        [nm('T', k)],
        venues.map((id) => nm(id, k)),
      );
    for (const k of ['unique', 'repeat', 'again', 'newly', 'sUnique', 'sRepeat'])
      for (const id of venues) le([nm(id, k)], [nm('T', k)]);
  }

  const bound = (name: string, shown: Shown | null) =>
    typeof shown === 'number' ? ` ${name} = ${shown}` : shown === '<3' ? ` 1 <= ${name} <= 2` : ` ${name} >= 0`;
  const program = (sense: 'Minimize' | 'Maximize', objective: string, names: Iterable<string>, of: number[]) =>
    `${sense}\n obj: ${objective}\nSubject To\n${of.map((i) => ` c${i}: ${rows[i]}`).join('\n')}\n` +
    `Bounds\n${[...names].map((name) => bound(name, vars.get(name)!.shown)).join('\n')}\nEnd\n`;
  const solve = (lp: string, sense: 'Minimize' | 'Maximize') => {
    const r = h.solve(lp, {});
    if (r.Status === 'Unbounded') return sense === 'Minimize' ? -Infinity : Infinity;
    if (r.Status !== 'Optimal')
      throw new Error(`the attacker's programme is ${r.Status}: the published report contradicts itself`);
    return r.ObjectiveValue;
  };
  // The whole programme once: a report that contradicts itself anywhere fails here.
  const everyRow = rows.map((_, i) => i);
  const first = [...vars.keys()][0];
  solve(program('Minimize', `0 ${first}`, vars.keys(), everyRow), 'Minimize');

  // Then each count of 1 or 2 over the rows that reach it through figures not shown as a number
  // (those shown are constants): the rest of the programme cannot move it, so its interval is
  // the same as over the whole (which is feasible), from a much smaller programme.
  const namesIn = rows.map((r) => [...new Set(r.match(/\b(?:T|V\d+)_\w+/g) ?? [])]);
  const rowsOf = new Map<string, number[]>();
  namesIn.forEach((names, i) => names.forEach((name) => rowsOf.set(name, [...(rowsOf.get(name) ?? []), i])));
  const free = (name: string) => typeof vars.get(name)?.shown !== 'number';
  const reaching = (name: string) => {
    const seen = new Set([name]);
    const reached = new Set<number>();
    const queue = [name];
    while (queue.length)
      for (const i of rowsOf.get(queue.pop()!) ?? [])
        if (!reached.has(i)) {
          reached.add(i);
          for (const other of namesIn[i])
            if (!seen.has(other)) {
              seen.add(other);
              if (free(other)) queue.push(other);
            }
        }
    return { names: seen, rows: [...reached].sort((a, b) => a - b) };
  };
  const exposed: Exposure[] = [];
  for (const [name, { shown, truth: value }] of vars) {
    if (value < 1 || value > 2) continue;
    const part = reaching(name);
    const lo = solve(program('Minimize', name, part.names, part.rows), 'Minimize');
    const hi = solve(program('Maximize', name, part.names, part.rows), 'Maximize');
    if (hi - lo < 1 - 1e-6) exposed.push({ cell: name, truth: value, shown, lo, hi });
  }
  return exposed;
}

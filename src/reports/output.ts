import { stringify } from 'csv-stringify/sync';
import type { Cell } from '../domain/reports';
import { esc } from '../mail/templates/layout';
import { platformName, topicName } from '../mail/words';
import type { ReportFigures, ScopeFigures } from '../services/reports.service';
import { suppress, type Table } from './suppression';

type Cells = Record<string, Cell>;

/**
 * The counts of seniors a scope (the total, or a venue) shows, by path: each may be hidden.
 * Guide hours and numbers of cafés are not about seniors and are always shown.
 */
const SCALARS = [
  'visits',
  'registeredVisits',
  'walkInVisits',
  'anonymousVisits',
  'uniqueVisitors',
  'repeatVisitors',
  'helpedAgain',
  'newlyArrived',
  'seniorNoShows',
  'since.uniqueVisitors',
  'since.repeatVisitors',
] as const;
type Scalar = (typeof SCALARS)[number];
const SETS = ['ageBands', 'gender', 'topics', 'platforms', 'topicsByPlatform'] as const;
/**
 * Groups that are never shown but follow from shown counts: protected like the others (so are
 * `notBrokenDown.<platforms|topics>.<key>`, what the cafés not broken down gave each platform and topic).
 */
const IMPLIED = ['notNewlyArrived', 'onceOnly', 'since.onceOnly'] as const;

function countOf(s: ScopeFigures, path: string): number {
  const [head, key] = path.split('.') as [string, string | undefined];
  if (head === 'since') {
    if (key === 'onceOnly') return s.sinceContractStart.uniqueVisitors - s.sinceContractStart.repeatVisitors;
    return s.sinceContractStart[key as 'uniqueVisitors' | 'repeatVisitors'];
  }
  if (head === 'notBrokenDown') {
    // What the cafés not broken down gave a platform or a topic: its count less its cells.
    const [, set, m] = path.split('.') as [string, 'platforms' | 'topics', string];
    const at = set === 'platforms' ? 0 : 1;
    const cells = Object.entries(s.topicsByPlatform).filter(([k]) => k.split(':')[at] === m);
    return (s[set][m] ?? 0) - cells.reduce((a, [, n]) => a + n, 0);
  }
  if (head === 'notNewlyArrived') return s.uniqueVisitors - s.newlyArrived;
  if (head === 'onceOnly') return s.uniqueVisitors - s.repeatVisitors;
  if (key !== undefined) return s[head as (typeof SETS)[number]][key] ?? 0;
  return s[head as Exclude<Scalar, `since.${string}`>];
}

/**
 * The report's counts of seniors as one table, with every relation between them that holds:
 * what an attacker with the published report could use to work a hidden figure out.
 */
function reportTable(f: ReportFigures) {
  const scopes: ScopeFigures[] = [f.total, ...f.venues];
  const keys = Object.fromEntries(
    SETS.map((set) => [set, [...new Set(scopes.flatMap((s) => Object.keys(s[set])))].sort()]),
  ) as Record<(typeof SETS)[number], string[]>;
  const paths = [...SCALARS, ...SETS.flatMap((set) => keys[set].map((k) => `${set}.${k}`))];
  // Each platform and each topic, also one met only in topics by platform.
  const cross = keys.topicsByPlatform.map((k) => ({ key: k, platform: k.split(':')[0], topic: k.split(':')[1] }));
  const margins = {
    platforms: [...new Set([...keys.platforms, ...cross.map((x) => x.platform)])],
    topics: [...new Set([...keys.topics, ...cross.map((x) => x.topic)])],
  };
  /** What the cafés not broken down gave each platform and topic: never shown, but implied by the count less its cells. */
  const notBrokenDown = (['platforms', 'topics'] as const).flatMap((set) =>
    margins[set].map((m) => `notBrokenDown.${set}.${m}`),
  );
  const internal = new Set<string>([...IMPLIED, ...notBrokenDown]);
  const table: Table = { cells: [], relations: [] };
  const index = new Map<string, number>();
  scopes.forEach((s, scope) => {
    for (const path of [...paths, ...internal]) {
      index.set(`${scope}|${path}`, table.cells.length);
      // Losing a total's figure costs more than losing a venue's.
      table.cells.push({ value: countOf(s, path), internal: internal.has(path), weight: scope ? 0 : 2 });
    }
  });
  const at = (scope: number, path: string) => index.get(`${scope}|${path}`)!;
  /** Σ left (= or ≤) Σ right, kept only if the true figures satisfy it (it is then a fact). */
  const relate = (left: number[], op: '=' | '<=', right: number[]) => {
    const terms: [number, number][] = [
      ...left.map((k): [number, number] => [k, 1]),
      ...right.map((k): [number, number] => [k, -1]),
    ];
    const sum = terms.reduce((a, [k, c]) => a + c * table.cells[k].value, 0);
    if (op === '=' ? sum === 0 : sum <= 0) table.relations.push({ terms, op });
  };
  const set = (scope: number, name: (typeof SETS)[number]) => keys[name].map((k) => at(scope, `${name}.${k}`));
  scopes.forEach((_, i) => {
    const c = (path: string) => at(i, path);
    relate([c('visits')], '=', [c('registeredVisits'), c('walkInVisits')]);
    relate([c('uniqueVisitors')], '=', set(i, 'ageBands'));
    relate([c('uniqueVisitors')], '=', set(i, 'gender'));
    relate([c('uniqueVisitors')], '=', [c('newlyArrived'), c('notNewlyArrived')]);
    relate([c('uniqueVisitors')], '=', [c('repeatVisitors'), c('onceOnly')]);
    relate([c('since.uniqueVisitors')], '=', [c('since.repeatVisitors'), c('since.onceOnly')]);
    // Everyone counted made a visit; a repeat visitor made two.
    relate([c('uniqueVisitors'), c('repeatVisitors')], '<=', [c('visits')]);
    // An anonymous walk-in is one visitor, never a repeat; and only walk-ins are anonymous.
    relate([c('anonymousVisits'), c('repeatVisitors')], '<=', [c('uniqueVisitors')]);
    relate([c('anonymousVisits'), c('since.repeatVisitors')], '<=', [c('since.uniqueVisitors')]);
    relate([c('anonymousVisits')], '<=', [c('walkInVisits')]);
    // One helped again by a guide they had is a named visitor.
    relate([c('anonymousVisits'), c('helpedAgain')], '<=', [c('uniqueVisitors')]);
    relate([c('uniqueVisitors')], '<=', [c('since.uniqueVisitors')]);
    relate([c('repeatVisitors')], '<=', [c('since.repeatVisitors')]);
    // Topics by platform and what the cafés not broken down gave add up to each platform's and
    // each topic's count. Where every café of the scope was broken down (the count of cafés not
    // broken down is published), they gave nothing.
    for (const [dim, name] of [
      ['platform', 'platforms'],
      ['topic', 'topics'],
    ] as const) {
      for (const m of margins[name]) {
        const row = cross.filter((x) => x[dim] === m).map((x) => c(`topicsByPlatform.${x.key}`));
        const rest = c(`notBrokenDown.${name}.${m}`);
        const margin = index.get(`${i}|${name}.${m}`);
        relate([...row, rest], '=', margin === undefined ? [] : [margin]);
        if (scopes[i].sessionsNotBrokenDown === 0) relate([rest], '=', []);
      }
    }
    if (f.from === f.contract.startsOn) {
      relate([c('uniqueVisitors')], '=', [c('since.uniqueVisitors')]);
      relate([c('repeatVisitors')], '=', [c('since.repeatVisitors')]);
    }
  });
  const venues = f.venues.map((_, i) => i + 1);
  if (venues.length) {
    // Visits and help add up over the venues; a person may visit several, so persons do not.
    const paths = (names: string[], sets: (typeof SETS)[number][]) => [
      ...names,
      ...sets.flatMap((n) => keys[n].map((k) => `${n}.${k}`)),
    ];
    const totalTo = (op: '=' | '<=', list: string[]) => {
      for (const path of list)
        relate(
          [at(0, path)],
          op,
          venues.map((v) => at(v, path)),
        );
    };
    totalTo('=', [
      ...paths(
        ['visits', 'registeredVisits', 'walkInVisits', 'anonymousVisits', 'seniorNoShows'],
        ['topics', 'platforms', 'topicsByPlatform'],
      ),
      ...notBrokenDown,
    ]);
    totalTo(
      '<=',
      paths(
        ['uniqueVisitors', 'onceOnly', 'helpedAgain', 'newlyArrived', 'since.uniqueVisitors'],
        ['ageBands', 'gender'],
      ),
    );
    for (const path of [
      'uniqueVisitors',
      'repeatVisitors',
      'helpedAgain',
      'newlyArrived',
      'since.uniqueVisitors',
      'since.repeatVisitors',
    ])
      for (const v of venues) relate([at(v, path)], '<=', [at(0, path)]);
  }
  return { table, at, keys };
}

/** A scope's figures as they may leave the association, with its counts of seniors as suppressed. */
function publicScope(s: ScopeFigures, shown: (path: string) => Cell, keys: Record<(typeof SETS)[number], string[]>) {
  const setOf = (name: (typeof SETS)[number], all: boolean) =>
    Object.fromEntries<Cell>(
      keys[name]
        .filter((k) => all || k in s[name] || shown(`${name}.${k}`) !== 0)
        .map((k) => [k, shown(`${name}.${k}`)]),
    );
  const visits = shown('visits');
  const newlyArrived = shown('newlyArrived');
  const uniqueVisitors = shown('uniqueVisitors');
  return {
    sessions: s.sessions,
    visits,
    registeredVisits: shown('registeredVisits'),
    walkInVisits: shown('walkInVisits'),
    anonymousVisits: shown('anonymousVisits'),
    uniqueVisitors,
    repeatVisitors: shown('repeatVisitors'),
    helpedAgain: shown('helpedAgain'),
    sinceContractStart: {
      uniqueVisitors: shown('since.uniqueVisitors'),
      repeatVisitors: shown('since.repeatVisitors'),
    },
    ageBands: setOf('ageBands', true),
    gender: setOf('gender', true),
    newlyArrived,
    // A share or a ratio is given only where the figures it comes from are shown, so it gives nothing away.
    newlyArrivedShare:
      typeof newlyArrived === 'number' && typeof uniqueVisitors === 'number' && s.uniqueVisitors > 0
        ? Math.round((s.newlyArrived / s.uniqueVisitors) * 100) / 100
        : null,
    seniorNoShows: shown('seniorNoShows'),
    topics: setOf('topics', false),
    platforms: setOf('platforms', false),
    topicsByPlatform: {
      cells: byPlatform(setOf('topicsByPlatform', false)),
      sessionsNotBrokenDown: s.sessionsNotBrokenDown,
    },
    guideShifts: s.guideShifts,
    guideHours: hours(s.guideMinutes),
    guideNoShows: s.guideNoShows,
    seniorsPerGuide: typeof visits === 'number' ? s.seniorsPerGuide : null,
  };
}

/** `platform:topic` cells as platform → topic → cell. */
function byPlatform(flat: Cells): Record<string, Cells> {
  const out: Record<string, Cells> = {};
  for (const [key, cell] of Object.entries(flat)) {
    const [platform, topic] = key.split(':');
    (out[platform] ??= {})[topic] = cell;
  }
  return out;
}

export const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/** The report as it goes to the municipality: counts only, no names of seniors, small cells hidden. */
export async function publicReport(f: ReportFigures) {
  const { table, at, keys } = reportTable(f);
  const shown = await suppress(table);
  const scope = (s: ScopeFigures, i: number) => publicScope(s, (path) => shown[at(i, path)], keys);
  return {
    period: f.period,
    from: f.from,
    to: f.to,
    contract: f.contract,
    municipality: f.municipality,
    association: f.association,
    total: {
      ...scope(f.total, 0),
      cancelReasons: f.total.cancelReasons,
      unreportedSessions: f.total.unreportedSessions,
    },
    venues: f.venues.map((v, i) => ({ venueId: v.venueId, name: v.name, ...scope(v, i + 1) })),
    guides: f.guides.map((g) => ({
      guideId: g.guideId,
      name: g.name,
      shifts: g.shifts,
      hours: hours(g.minutes),
      noShows: g.noShows,
      substituteShifts: g.substituteShifts,
    })),
  };
}
export type PublicReport = Awaited<ReturnType<typeof publicReport>>;
type PublicScope = ReturnType<typeof publicScope>;

const AGE: Record<string, string> = {
  under_65: 'under 65',
  '65_74': '65–74',
  '75_plus': '75+',
  unknown: 'okänd / unknown',
};
const GENDER: Record<string, string> = {
  woman: 'kvinna / woman',
  man: 'man / man',
  other: 'annat / other',
  unknown: 'okänt / unknown',
};
/** Swedish Excel reads `;` as the separator and `,` as the decimal point. */
/** A figure in the CSV; none to give (a share of no visitors, or one that would give a small count away) is "–", never an empty cell. */
const decimal = (v: Cell | number | null) =>
  v === null ? '–' : typeof v === 'number' ? String(v).replace('.', ',') : v;

/** The measures, in the order a municipal officer reads them: label, and the value in a scope. */
function measures(r: PublicReport): [string, (s: PublicScope) => Cell | number | null][] {
  const keys = (pick: (s: PublicScope) => Cells) =>
    [...new Set([r.total, ...r.venues].flatMap((s) => Object.keys(pick(s))))].sort();
  return [
    ['Planerade caféer / Cafés planned', (s) => s.sessions.planned],
    ['Genomförda och rapporterade caféer / Cafés held and reported', (s) => s.sessions.held],
    ['Inte rapporterade caféer / Cafés not reported yet', (s) => s.sessions.unreported],
    ['Inställda caféer / Cafés cancelled', (s) => s.sessions.cancelled],
    ['Kommande caféer / Cafés to come', (s) => s.sessions.upcoming],
    ['Besök / Visits', (s) => s.visits],
    ['Besök, anmälda / Visits, signed up', (s) => s.registeredVisits],
    ['Besök, kom utan anmälan / Visits, walk-in', (s) => s.walkInVisits],
    ['Unika besökare / Unique visitors', (s) => s.uniqueVisitors],
    ['Återkommande besökare / Repeat visitors', (s) => s.repeatVisitors],
    ['Fick hjälp av en guide de haft förut / Helped by a guide they had before', (s) => s.helpedAgain],
    [
      'Unika besökare sedan avtalets start / Unique visitors since the contract began',
      (s) => s.sinceContractStart.uniqueVisitors,
    ],
    [
      'Återkommande sedan avtalets start / Repeat visitors since the contract began',
      (s) => s.sinceContractStart.repeatVisitors,
    ],
    ...keys((s) => s.ageBands).map((k): [string, (s: PublicScope) => Cell] => [
      `Ålder / Age: ${AGE[k] ?? k}`,
      (s) => s.ageBands[k] ?? 0,
    ]),
    ...keys((s) => s.gender).map((k): [string, (s: PublicScope) => Cell] => [
      `Kön / Gender: ${GENDER[k] ?? k}`,
      (s) => s.gender[k] ?? 0,
    ]),
    ['Nyanlända / Newly arrived', (s) => s.newlyArrived],
    ['Andel nyanlända / Share newly arrived', (s) => s.newlyArrivedShare],
    ['Uteblivna seniorer / Seniors who did not come', (s) => s.seniorNoShows],
    ...keys((s) => s.platforms).map((k): [string, (s: PublicScope) => Cell] => [
      `Plattform / Platform: ${platformName(k)}`,
      (s) => s.platforms[k] ?? 0,
    ]),
    ...keys((s) => s.topics).map((k): [string, (s: PublicScope) => Cell] => [
      `Ämne / Topic: ${topicName(k, 'sv')}`,
      (s) => s.topics[k] ?? 0,
    ]),
    ...keys((s) => flatCells(s.topicsByPlatform.cells)).map((k): [string, (s: PublicScope) => Cell] => {
      const [p, topic] = k.split(':');
      return [
        `Ämnen per plattform / Topics by platform: ${platformName(p)}, ${topicName(topic, 'sv')}`,
        (s) => s.topicsByPlatform.cells[p]?.[topic] ?? 0,
      ];
    }),
    [
      'Caféer utan ämnen per plattform / Cafés not broken down by platform',
      (s) => s.topicsByPlatform.sessionsNotBrokenDown,
    ],
    ['Guidepass / Guide shifts', (s) => s.guideShifts],
    ['Guidetimmar / Guide hours', (s) => s.guideHours],
    ['Uteblivna guider / Guides who did not come', (s) => s.guideNoShows],
    ['Seniorer per guide / Seniors per guide', (s) => s.seniorsPerGuide],
  ];
}

const flatCells = (cells: Record<string, Cells>): Cells =>
  Object.fromEntries(
    Object.entries(cells).flatMap(([p, topics]) => Object.entries(topics).map(([t, v]) => [`${p}:${t}`, v])),
  );

/** CSV for Excel: UTF-8 with BOM (so å, ä, ö show), `;` between fields, decimal commas. */
export function reportCsv(r: PublicReport): string {
  const rows: (string | number)[][] = [
    [`Rapport / Report ${r.period}`, `${r.municipality.name} – ${r.association.name}`, `${r.from} – ${r.to}`],
    [],
    ['Mått / Measure', 'Totalt / Total', ...r.venues.map((v) => v.name)],
    ...measures(r).map(([label, value]) => [label, decimal(value(r.total)), ...r.venues.map((v) => decimal(value(v)))]),
    [],
    ['Guide', 'Pass / Shifts', 'Timmar / Hours', 'Uteblev / No-shows', 'Som ersättare / As substitute'],
    ...r.guides.map((g) => [g.name, g.shifts, decimal(g.hours), g.noShows, g.substituteShifts]),
    [],
    ['Inställda caféer, orsak / Cancelled cafés, reason', 'Antal / Count'],
    ...r.total.cancelReasons.map((c) => [c.reason || '–', c.sessions]),
    [],
    ['Inte rapporterade caféer / Cafés not reported yet', 'Tid / Time', 'Lokal / Venue'],
    ...r.total.unreportedSessions.map((u) => [u.localDate, u.startTime, u.venue]),
    [],
    [
      'Färre än 3 personer visas som "<3"; "x" döljer en siffra som annars skulle avslöja en sådan. / Fewer than 3 persons are shown as "<3"; "x" hides a figure that would give one away.',
    ],
  ];
  // escape_formulas: a venue or guide name starting with = + - @ is text in Excel, never a formula.
  return '\uFEFF' + stringify(rows, { delimiter: ';', record_delimiter: '\r\n', escape_formulas: true });
}

const show = (v: Cell | number | null) => (v === null ? '–' : typeof v === 'number' ? String(v).replace('.', ',') : v);

/** Horizontal bars as inline SVG: prints sharp and needs no script. A "<3" bar is drawn as 1, a hidden "x" as none. */
function bars(title: string, data: [string, Cell | number][]): string {
  if (!data.length) return '';
  const value = (v: Cell | number) => (typeof v === 'number' ? v : v === '<3' ? 1 : 0);
  const max = Math.max(1, ...data.map(([, v]) => value(v)));
  const row = 22;
  const body = data
    .map(([label, v], i) => {
      const w = Math.round((value(v) / max) * 300);
      return `<text x="0" y="${i * row + 15}" font-size="12">${esc(label)}</text><rect x="170" y="${i * row + 4}" width="${w}" height="14" fill="#1d4ed8"/><text x="${176 + w}" y="${i * row + 15}" font-size="12">${esc(show(v))}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="520" height="${data.length * row}" xmlns="http://www.w3.org/2000/svg">${body}</svg></figure>`;
}

/** The report by e-mail: the key figures as text, the printable page as HTML (the CSV goes as an attachment). */
export function reportMail(r: PublicReport): { subject: string; text: string; html: string } {
  const t = r.total;
  const text = [
    `Rapport för IT-caféerna ${r.period}: ${r.municipality.name}, ${r.association.name}.`,
    '',
    `Genomförda och rapporterade caféer: ${t.sessions.held} av ${t.sessions.planned} (${t.sessions.unreported} inte rapporterade än, ${t.sessions.cancelled} inställda).`,
    `Besök: ${show(t.visits)}. Unika besökare: ${show(t.uniqueVisitors)}. Återkommande: ${show(t.repeatVisitors)}.`,
    `Guidetimmar: ${show(t.guideHours)}.`,
    '',
    'Hela rapporten finns i mejlet och som CSV-fil för Excel. Färre än 3 personer visas som "<3".',
    '',
    '---- In English ----',
    '',
    `Report for the IT cafés ${r.period}: ${r.municipality.name}, ${r.association.name}.`,
    `Cafés held and reported: ${t.sessions.held} of ${t.sessions.planned} (${t.sessions.unreported} not reported yet, ${t.sessions.cancelled} cancelled). Visits: ${show(t.visits)}. Unique visitors: ${show(t.uniqueVisitors)}. Repeat visitors: ${show(t.repeatVisitors)}. Guide hours: ${show(t.guideHours)}.`,
    'The full report is in this e-mail and attached as a CSV file for Excel. Fewer than 3 persons are shown as "<3".',
    '',
  ].join('\n');
  return { subject: `Rapport IT-caféer ${r.period}`, text, html: reportHtml(r) };
}

/** One printable page (A4), Swedish with English beside it, a few charts and the key figures. */
/** The printable report's style sheet, inline (a saved page stays whole); allowed by its hash in the CSP. */
export const REPORT_CSS = `@page{size:A4;margin:14mm}body{font-family:Arial,Helvetica,sans-serif;color:#18181b;font-size:12px;margin:0 auto;max-width:190mm}
h1{font-size:20px;margin:0 0 2px}.sub{color:#52525b;margin:0 0 12px}.keys{display:flex;gap:8px;margin:10px 0}
.key{flex:1;border:1px solid #d4d4d8;border-radius:6px;padding:8px}.key b{display:block;font-size:22px}.key span{color:#52525b}
.charts{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0}figcaption{font-weight:bold;margin:6px 0}
table{border-collapse:collapse;width:100%;margin-top:10px}th,td{border-bottom:1px solid #e4e4e7;padding:3px 4px;text-align:right}th[scope=row]{text-align:left;font-weight:normal}
thead th{text-align:right}h1 .en{font-weight:normal;color:#52525b}thead th:first-child{text-align:left}.note{color:#52525b;margin-top:8px}
@media print{.charts{break-inside:avoid}table{font-size:10px}}
`;

export function reportHtml(r: PublicReport): string {
  const t = r.total;
  const key = [
    ['Genomförda caféer', 'Cafés held', `${t.sessions.held} av ${t.sessions.planned}`],
    ['Besök', 'Visits', show(t.visits)],
    ['Unika besökare', 'Unique visitors', show(t.uniqueVisitors)],
    ['Återkommande', 'Repeat visitors', show(t.repeatVisitors)],
    ['Guidetimmar', 'Guide hours', show(t.guideHours)],
  ];
  const table = measures(r)
    .map(
      ([label, value]) =>
        `<tr><th scope="row">${esc(label)}</th><td>${esc(show(value(t)))}</td>${r.venues.map((v) => `<td>${esc(show(value(v)))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>${esc(`Rapport ${r.period} – ${r.municipality.name}`)}</title>
<style>${REPORT_CSS}</style></head><body>
<h1>IT-caféer: rapport ${esc(r.period)} <span lang="en" class="en">/ IT cafés: report</span></h1>
<p class="sub">${esc(r.municipality.name)} · ${esc(r.association.name)}${r.contract.reference ? ` · avtal ${esc(r.contract.reference)}` : ''} · ${esc(r.from)} – ${esc(r.to)}</p>
<div class="keys">${key.map(([sv, en, v]) => `<div class="key"><b>${esc(String(v))}</b>${esc(sv)}<br><span lang="en">${esc(en)}</span></div>`).join('')}</div>
<div class="charts">
${bars(
  'Besök per lokal / Visits per venue',
  r.venues.map((v) => [v.name, v.visits]),
)}
${bars(
  'Unika besökare efter ålder / Unique visitors by age',
  Object.entries(t.ageBands).map(([k, v]) => [AGE[k] ?? k, v]),
)}
${bars(
  'Plattformar / Platforms',
  Object.entries(t.platforms).map(([k, v]) => [platformName(k), v]),
)}
${bars(
  'Ämnen / Topics',
  Object.entries(t.topics).map(([k, v]) => [topicName(k, 'sv'), v]),
)}
</div>
<table><thead><tr><th>Mått / Measure</th><th>Totalt / Total</th>${r.venues.map((v) => `<th>${esc(v.name)}</th>`).join('')}</tr></thead>
<tbody>
${table}
</tbody></table>
<p class="note">Färre än 3 personer visas som "&lt;3", så att ingen kan pekas ut; "x" döljer en siffra som annars skulle avslöja en sådan. Rapporten innehåller inga namn på seniorer. / Fewer than 3 persons are shown as "&lt;3"; "x" hides a figure that would give one away. The report names no senior.</p>
</body></html>
`;
}

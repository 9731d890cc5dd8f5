import type { z } from 'zod';
import { textProblem } from '../../contract/text';
import { type CreateGuideBody, type CreateSeniorBody } from '../../contract/people';
import {
  ageBandOf,
  consentMethodOf,
  dateOf,
  deviceOf,
  fold,
  languageOf,
  listOf,
  phoneOf,
  platformOf,
  topicOf,
  windowOf,
} from './columns';

export type ImportKind = 'guides' | 'seniors';

/** Why a cell (or the whole file) is refused; the page says each in Swedish. */
export type ProblemCode =
  | 'missing'
  | 'invalid'
  | 'unknown_word'
  | 'formula'
  | 'invalid_text'
  | 'duplicate'
  | 'missing_column'
  | 'unknown_column'
  | 'no_key'
  | 'unknown_association';

export interface Problem {
  /** The row as the spreadsheet numbers it (the header is row 1); null for the file as a whole. */
  row: number | null;
  /** The column's heading as written in the file, or the one the template uses. */
  column: string | null;
  code: ProblemCode;
  /** The word not understood, for `unknown_word`. */
  value?: string;
}

export interface ColumnSpec {
  key: string;
  /** The heading in the template, then other headings people write. */
  headings: string[];
  required?: boolean;
}

export const GUIDE_COLUMNS: ColumnSpec[] = [
  { key: 'name', headings: ['Namn', 'name', 'för- och efternamn'], required: true },
  { key: 'email', headings: ['E-post', 'epost', 'e-postadress', 'email', 'e-mail', 'mejl'], required: true },
  { key: 'phone', headings: ['Telefon', 'mobil', 'telefonnummer', 'phone'] },
  { key: 'platforms', headings: ['Plattformar', 'kan', 'enheter', 'platforms'], required: true },
  { key: 'languages', headings: ['Språk', 'languages'] },
  { key: 'topics', headings: ['Kan hjälpa med', 'ämnen', 'topics'] },
  { key: 'swedishLevel', headings: ['Svenska (nivå)', 'svenska', 'svensknivå', 'swedish'] },
  { key: 'maxHoursPerWeek', headings: ['Timmar per vecka', 'max timmar per vecka', 'max timmar', 'hours per week'] },
  { key: 'availability', headings: ['Kan jobba', 'tider', 'kan jobba när', 'availability'] },
  { key: 'startDate', headings: ['Startdatum', 'start', 'började', 'start date'] },
  { key: 'endDate', headings: ['Slutdatum', 'slutar', 'end date'] },
  { key: 'school', headings: ['Skola', 'school'] },
  { key: 'association', headings: ['Förening', 'association'] },
];

export const SENIOR_COLUMNS: ColumnSpec[] = [
  { key: 'displayName', headings: ['Namn', 'förnamn', 'name'], required: true },
  { key: 'phone', headings: ['Telefon', 'mobil', 'telefonnummer', 'phone'] },
  { key: 'email', headings: ['E-post', 'epost', 'email', 'e-mail', 'mejl'] },
  { key: 'devices', headings: ['Enheter', 'enhet', 'telefon och surfplatta', 'devices'] },
  { key: 'topics', headings: ['Vill ha hjälp med', 'ämnen', 'hjälp med', 'topics'] },
  { key: 'preferredLanguage', headings: ['Språk', 'language'] },
  { key: 'ageBand', headings: ['Ålder', 'åldersgrupp', 'age'] },
  { key: 'consentGivenAt', headings: ['Samtycke datum', 'samtycke', 'samtyckte', 'consent'], required: true },
  { key: 'consentMethod', headings: ['Samtycke hur', 'hur samtycke', 'consent method'] },
];

export const columnsOf = (kind: ImportKind) => (kind === 'guides' ? GUIDE_COLUMNS : SENIOR_COLUMNS);

/** Which spec each heading of the file is; problems for headings not known and required columns missing. */
export function mapHeadings(kind: ImportKind, headings: string[]): { keys: (string | null)[]; problems: Problem[] } {
  const specs = columnsOf(kind);
  const keys = headings.map((h) => specs.find((s) => s.headings.some((x) => fold(x) === fold(h)))?.key ?? null);
  const problems: Problem[] = [];
  headings.forEach((h, i) => {
    if (h && !keys[i]) problems.push({ row: null, column: h, code: 'unknown_column' });
  });
  for (const s of specs)
    if (s.required && !keys.includes(s.key))
      problems.push({ row: null, column: s.headings[0], code: 'missing_column' });
  return { keys, problems };
}

/** What a row becomes, or what is wrong with it; `heading` names a key's column as the file writes it. */
export interface ReadRow<B> {
  body: B | null;
  problems: Problem[];
}

type GuideBody = z.input<typeof CreateGuideBody>;
type SeniorBody = z.input<typeof CreateSeniorBody>;

/** Cells by key, with a problem for a cell that is a formula (it would run when the file is opened again). */
function cellsOf(row: string[], keys: (string | null)[], at: number, heading: (key: string) => string) {
  const cells: Record<string, string> = {};
  const problems: Problem[] = [];
  keys.forEach((k, i) => {
    if (!k) return;
    const v = (row[i] ?? '').trim();
    if (/^=/.test(v)) problems.push({ row: at, column: heading(k), code: 'formula' });
    // The same rule as for text sent to the API: no control characters, direction overrides or only invisible ones.
    else if (textProblem(k, v)) problems.push({ row: at, column: heading(k), code: 'invalid_text' });
    else cells[k] = v;
  });
  return { cells, problems };
}

/** Each word of a list cell read by `read`; a problem names the first word not understood. */
function wordsOf<T>(
  cell: string,
  read: (w: string) => T | undefined,
  at: number,
  column: string,
  problems: Problem[],
): T[] {
  const out: T[] = [];
  for (const w of listOf(cell)) {
    const v = read(w);
    if (v === undefined) {
      problems.push({ row: at, column, code: 'unknown_word', value: w });
      return out;
    }
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

export function guideRow(
  row: string[],
  keys: (string | null)[],
  at: number,
  ctx: { municipalityId: string; associations: { id: string; name: string }[]; today: string },
  heading: (key: string) => string,
): ReadRow<GuideBody> {
  const { cells, problems } = cellsOf(row, keys, at, heading);
  const association =
    cells.association && ctx.associations.length > 0
      ? ctx.associations.find((a) => fold(a.name) === fold(cells.association))
      : ctx.associations.length === 1
        ? ctx.associations[0]
        : undefined;
  if (!association) problems.push({ row: at, column: heading('association'), code: 'unknown_association' });
  const platforms = wordsOf(cells.platforms ?? '', platformOf, at, heading('platforms'), problems);
  const languages = wordsOf(
    cells.languages ?? '',
    (w) => languageOf(w.split(':')[0]),
    at,
    heading('languages'),
    problems,
  );
  const topics = wordsOf(cells.topics ?? '', topicOf, at, heading('topics'), problems);
  const windows = wordsOf(cells.availability ?? '', windowOf, at, heading('availability'), problems);
  const date = (key: string) => {
    if (!cells[key]) return undefined;
    const d = dateOf(cells[key]);
    if (!d) problems.push({ row: at, column: heading(key), code: 'invalid' });
    return d;
  };
  const phone = cells.phone ? phoneOf(cells.phone) : undefined;
  if (cells.phone && !phone) problems.push({ row: at, column: heading('phone'), code: 'invalid' });
  const hours = cells.maxHoursPerWeek ? Number(cells.maxHoursPerWeek.replace(',', '.')) : 6;
  const body: GuideBody = {
    associationId: association?.id ?? '',
    municipalityId: ctx.municipalityId,
    name: cells.name ?? '',
    email: (cells.email ?? '').toLowerCase(),
    phone: phone ?? null,
    school: cells.school || null,
    swedishLevel: (cells.swedishLevel?.toUpperCase() || 'B1') as GuideBody['swedishLevel'],
    languages: languages.map((language) => ({ language, level: 'B2' as const })),
    platforms: platforms.map((platform) => ({ platform, level: 'good' as const })),
    topics,
    startDate: date('startDate') ?? ctx.today,
    endDate: date('endDate') ?? null,
    maxHoursPerWeek: hours,
    // The standing weekly times; a term's own times are set on the guide's page.
    ...(keys.includes('availability') ? { availability: windows } : {}),
  };
  return { body, problems };
}

export function seniorRow(
  row: string[],
  keys: (string | null)[],
  at: number,
  ctx: { municipalityId: string; now: Date },
  heading: (key: string) => string,
): ReadRow<SeniorBody> {
  const { cells, problems } = cellsOf(row, keys, at, heading);
  const devices = wordsOf(cells.devices ?? '', deviceOf, at, heading('devices'), problems);
  const topics = wordsOf(cells.topics ?? '', topicOf, at, heading('topics'), problems);
  const phone = cells.phone ? phoneOf(cells.phone) : undefined;
  if (cells.phone && !phone) problems.push({ row: at, column: heading('phone'), code: 'invalid' });
  if (!cells.phone && !cells.email) problems.push({ row: at, column: heading('phone'), code: 'no_key' });
  const language = cells.preferredLanguage ? languageOf(cells.preferredLanguage) : 'sv';
  if (!language)
    problems.push({
      row: at,
      column: heading('preferredLanguage'),
      code: 'unknown_word',
      value: cells.preferredLanguage,
    });
  const ageBand = cells.ageBand ? ageBandOf(cells.ageBand) : undefined;
  if (cells.ageBand && !ageBand)
    problems.push({ row: at, column: heading('ageBand'), code: 'unknown_word', value: cells.ageBand });
  const method = cells.consentMethod ? consentMethodOf(cells.consentMethod) : undefined;
  if (cells.consentMethod && !method)
    problems.push({ row: at, column: heading('consentMethod'), code: 'unknown_word', value: cells.consentMethod });
  const consentDate = cells.consentGivenAt ? dateOf(cells.consentGivenAt) : undefined;
  if (cells.consentGivenAt && !consentDate)
    problems.push({ row: at, column: heading('consentGivenAt'), code: 'invalid' });
  const body: SeniorBody = {
    municipalityId: ctx.municipalityId,
    displayName: cells.displayName ?? '',
    phone: phone ?? null,
    email: cells.email ? cells.email.toLowerCase() : null,
    preferredLanguage: language ?? 'sv',
    devices,
    topics,
    // Noon in Stockholm on the day given: the date is what the list knows.
    consentGivenAt: consentDate ? `${consentDate}T12:00:00+01:00` : '',
    consentMethod: method ?? null,
    ageBand: ageBand ?? null,
  };
  return { body, problems };
}

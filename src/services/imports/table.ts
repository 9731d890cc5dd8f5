import { parse } from 'csv-parse/sync';

/** A file's rows as text, under its header row. */
export interface Table {
  headers: string[];
  rows: string[][];
}

export type FileKind = 'csv' | 'xlsx';

/** The file cannot be read as a table: its words for the page. */
export class UnreadableFile extends Error {
  constructor(readonly reason: 'not_a_table' | 'empty' | 'no_rows') {
    super(reason);
  }
}

/**
 * Old Excel saves CSV as Windows-1252 (Latin-1 plus a few signs) with semicolons; newer as
 * UTF-8, often with a BOM. Text that is not valid UTF-8 is read as Windows-1252.
 */
export function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** An xlsx cell as the text a person would type: dates as YYYY-MM-DD, whole numbers without decimals. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(value).replace('.', ',');
  if (typeof value === 'boolean') return value ? 'ja' : 'nej';
  return typeof value === 'string' ? value.trim() : '';
}

export async function readTable(bytes: Buffer, kind: FileKind): Promise<Table> {
  let cells: string[][];
  if (kind === 'xlsx') {
    // Loaded at the first workbook, not at start: the package takes a moment to load.
    const { readSheet } = await import('read-excel-file/node');
    try {
      cells = (await readSheet(bytes)).map((row) => row.map(cellText));
    } catch {
      throw new UnreadableFile('not_a_table');
    }
  } else {
    const text = decodeText(bytes);
    if (text.includes('\u0000')) throw new UnreadableFile('not_a_table');
    try {
      const parsed: string[][] = parse(text, {
        delimiter: delimiterOf(text),
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
      });
      cells = parsed;
    } catch {
      throw new UnreadableFile('not_a_table');
    }
  }
  const rows = cells.filter((r) => r.some((c) => c !== ''));
  if (!rows.length) throw new UnreadableFile('empty');
  const [headers, ...body] = rows;
  if (!body.length) throw new UnreadableFile('no_rows');
  return { headers: headers.map((h) => h.trim()), rows: body };
}

/** The separator the file uses: the one its heading row has most of (Swedish Excel writes `;`). */
function delimiterOf(text: string): string {
  const heading = text.split(/\r?\n/, 1)[0];
  const count = (c: string) => heading.split(c).length - 1;
  return [';', '\t', ','].reduce((best, c) => (count(c) > count(best) ? c : best), ';');
}

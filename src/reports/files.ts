import { stringify } from 'csv-stringify/sync';

/** A table as people open it in Excel: a header row, then text cells. */
export interface TableData {
  headers: string[];
  rows: string[][];
}

/**
 * CSV for Swedish Excel: UTF-8 with a BOM (so å, ä, ö show), `;` between fields. A cell that
 * starts with = + - @ is written as text, never as a formula that runs when the file opens.
 */
export function csvOf(t: TableData): string {
  return (
    '\uFEFF' + stringify([t.headers, ...t.rows], { delimiter: ';', record_delimiter: '\r\n', escape_formulas: true })
  );
}

/** The same table as an .xlsx workbook: the header in bold, every cell text (a phone number stays as written). */
export async function xlsxOf(t: TableData): Promise<Buffer> {
  // Loaded at the first workbook, not at start: the package takes a moment to load.
  const { default: writeExcelFile } = await import('write-excel-file/node');
  const data = [
    t.headers.map((h) => ({ value: h, fontWeight: 'bold' as const })),
    ...t.rows.map((r) => r.map((v) => ({ value: v, type: String }))),
  ];
  return writeExcelFile(data, { columns: t.headers.map(() => ({ width: 24 })) }).toBuffer();
}

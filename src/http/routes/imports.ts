import { z } from 'zod';
import { Id, IdParams } from '../../contract/common';
import type { Role } from '../../domain/access';
import { csvOf, type TableData, xlsxOf } from '../../reports/files';
import { NotFoundError } from '../../domain/errors';
import type { Services } from '../../services';
import { template } from '../../services/imports/export';
import { type ImportKind, MAX_IMPORT_ROWS } from '../../services/imports.service';
import { allow, EVERYONE, listScope, pathId, PLANNERS, ROSTER } from '../access';
import { route, XLSX } from '../route';

/** What an upload may be: CSV (as browsers and old Excel label it) or an Excel workbook. */
const FILE_TYPES = ['text/csv', 'text/plain', 'application/vnd.ms-excel', 'application/octet-stream', XLSX] as const;
/** Big enough for the largest list (5,000 rows), small enough to read at once. */
export const MAX_IMPORT_BYTES = '5mb';
const XLSX_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');
/** An .xlsx file is a zip: its first bytes say so, whatever the browser called it. */
const fileKind = (bytes: Buffer) => (bytes.subarray(0, 4).equals(XLSX_MAGIC) ? 'xlsx' : 'csv');

const Problem = z.object({
  row: z.number().int().nullable().describe('As the spreadsheet numbers it (the heading is row 1); null: the file'),
  column: z.string().nullable(),
  code: z.enum([
    'missing',
    'invalid',
    'unknown_word',
    'formula',
    'invalid_text',
    'duplicate',
    'missing_column',
    'unknown_column',
    'no_key',
    'unknown_association',
  ]),
  value: z.string().optional().describe('The word not understood, or the row a duplicate repeats'),
});
const Outcome = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int().describe('Rows that change nothing (already there as they are, or repeated)'),
  problems: z.array(Problem),
});
const ProgressQuery = z.object({
  progress: Id.optional().describe('An id the page chose, to ask how far it has come'),
});
const FORMATS = ['csv', 'xlsx'] as const;
const TYPE = { csv: 'text/csv; charset=utf-8', xlsx: XLSX } as const;
/**
 * A table as a file of the format asked for. A workbook is bytes: the route's text schema only
 * documents it, and express sends a Buffer as it is.
 */
const fileOf = async (format: (typeof FORMATS)[number], table: TableData): Promise<string> =>
  format === 'csv' ? csvOf(table) : ((await xlsxOf(table)) as unknown as string);

const WHO: Record<ImportKind, readonly Role[]> = { guides: ROSTER, seniors: PLANNERS };
const WORD: Record<ImportKind, string> = { guides: 'guides', seniors: 'seniors' };
const FILE: Record<ImportKind, string> = { guides: 'guider', seniors: 'seniorer' };

/**
 * Lists in and out: guides and seniors from a CSV or Excel file (a preview that names every
 * problem, then the import in one transaction), the roster as CSV and xlsx, and templates.
 */
export const importRoutes = ({ imports }: Services) => [
  ...(['guides', 'seniors'] as const).flatMap((kind) => [
    route({
      method: 'post',
      path: `/municipalities/:id/imports/${kind}/preview`,
      tag: 'Imports',
      summary: `Read a CSV or Excel file of ${WORD[kind]}: what it would create, update and skip, and every problem by row and column (nothing is stored)`,
      access: allow(WHO[kind], pathId('municipality')),
      params: IdParams,
      upload: { types: FILE_TYPES, limit: MAX_IMPORT_BYTES },
      response: Outcome,
      handler: ({ params, body }) => imports.preview(params.id, kind, body as Buffer, fileKind(body as Buffer)),
    }),
    route({
      method: 'post',
      path: `/municipalities/:id/imports/${kind}`,
      tag: 'Imports',
      summary: `Import ${WORD[kind]} from a CSV or Excel file, all rows in one transaction; refused (422) while the file has problems. At most ${MAX_IMPORT_ROWS} rows`,
      access: allow(WHO[kind], pathId('municipality')),
      params: IdParams,
      query: ProgressQuery,
      upload: { types: FILE_TYPES, limit: MAX_IMPORT_BYTES },
      response: Outcome,
      handler: ({ params, query, body }) =>
        imports.commit(params.id, kind, body as Buffer, fileKind(body as Buffer), query.progress),
    }),
    ...FORMATS.map((format) =>
      route({
        method: 'get',
        path: `/municipalities/:id/exports/${kind}.${format}`,
        tag: 'Imports',
        summary: `The ${WORD[kind]} as ${format === 'csv' ? 'CSV (for Swedish Excel)' : 'an Excel workbook'}, in the import's own columns`,
        access: allow(WHO[kind], pathId('municipality')),
        params: IdParams,
        response: z.string(),
        produces: TYPE[format],
        filename: () => `bryggan-${FILE[kind]}.${format}`,
        handler: async ({ params }, { principal }) =>
          fileOf(format, await imports.exportTable(kind, params.id, listScope(principal, params.id).associationIds)),
      }),
    ),
  ]),
  route({
    method: 'get',
    path: '/imports/progress/:progress',
    tag: 'Imports',
    summary: 'How far an import has come: rows written of rows to write (404 once done, or unknown)',
    access: allow(EVERYONE),
    params: z.object({ progress: Id }),
    response: z.object({ done: z.number().int(), total: z.number().int() }),
    handler: ({ params }) => {
      const p = imports.progress(params.progress);
      return p ? Promise.resolve(p) : Promise.reject(new NotFoundError('import', params.progress));
    },
  }),
  ...(['guides', 'seniors'] as const).flatMap((kind) =>
    FORMATS.map((format) =>
      route({
        method: 'get',
        path: `/imports/templates/${kind}.${format}`,
        tag: 'Imports',
        summary: `A file to fill in with ${WORD[kind]}: the columns an import reads, with one made-up example row`,
        access: allow(EVERYONE),
        response: z.string(),
        produces: TYPE[format],
        filename: () => `bryggan-mall-${FILE[kind]}.${format}`,
        handler: () => fileOf(format, template(kind)),
      }),
    ),
  ),
];

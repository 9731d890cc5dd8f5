/**
 * Lists in from a file: choose a CSV or Excel file, read what it would do (every problem by row
 * and column, nothing stored), then import it all in one go, its progress shown while it runs.
 * And the lists out again, and the templates.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, saveBlob } from '../api';
import type { Ctx } from '../ctx';
import { defineWords, plural } from '../i18n';
import { type Message, MessageLine, Table } from '../ui';

type Kind = 'guides' | 'seniors';
interface Problem {
  row: number | null;
  column: string | null;
  code: string;
  value?: string;
}
interface Outcome {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  problems: Problem[];
}

export const importWords = defineWords({
  title: ['Importera från en fil', 'Import from a file'],
  lead: [
    'Har du listan i Excel? Spara den som Excel-fil eller CSV och läs in den här. Inget sparas förrän du trycker på Importera.',
    'Is your list in Excel? Save it as an Excel file or CSV and read it in here. Nothing is saved until you press Import.',
  ],
  what: ['Vad vill du importera?', 'What do you want to import?'],
  guides: ['Guider', 'Guides'],
  seniors: ['Seniorer', 'Seniors'],
  template: ['Mall att fylla i', 'Template to fill in'],
  templateCsv: ['Mall (CSV)', 'Template (CSV)'],
  templateXlsx: ['Mall (Excel)', 'Template (Excel)'],
  file: ['Fil (CSV eller Excel, högst 5 MB)', 'File (CSV or Excel, at most 5 MB)'],
  read: ['Läs filen', 'Read the file'],
  reading: ['Läser filen …', 'Reading the file …'],
  chooseFile: ['Välj en fil först.', 'Choose a file first.'],
  summary: [
    '{rows} rader: {created} nya, {updated} ändras, {skipped} som redan finns.',
    '{rows} rows: {created} new, {updated} changed, {skipped} already there.',
  ],
  problems1: [
    'Filen har 1 fel. Rätta det i filen och välj filen igen.',
    'The file has 1 problem. Fix it in the file and choose the file again.',
  ],
  problemsN: [
    'Filen har {n} fel. Rätta dem i filen och välj filen igen.',
    'The file has {n} problems. Fix them in the file and choose the file again.',
  ],
  problemsTitle: ['Fel i filen', 'Problems in the file'],
  row: ['Rad', 'Row'],
  column: ['Kolumn', 'Column'],
  problem: ['Vad är fel', 'What is wrong'],
  wholeFile: ['hela filen', 'the whole file'],
  missing: ['Fältet är tomt. Det behövs.', 'The field is empty. It is needed.'],
  invalid: ['Går inte att läsa.', 'Cannot be read.'],
  invalidValue: ['Går inte att läsa: ”{v}”.', 'Cannot be read: “{v}”.'],
  unknown_word: ['Okänt ord: ”{v}”.', 'Unknown word: “{v}”.'],
  formula: ['En formel. Skriv värdet i stället.', 'A formula. Write the value instead.'],
  invalid_text: [
    'Har tecken som inte syns eller som vänder texten. Skriv värdet igen.',
    'Has characters that cannot be seen or that turn the text around. Write the value again.',
  ],
  duplicate: ['Samma som rad {v}.', 'The same as row {v}.'],
  missing_column: ['Kolumnen saknas. Använd mallen.', 'The column is missing. Use the template.'],
  unknown_column: ['Okänd kolumn. Ta bort den eller byt namn.', 'Unknown column. Remove it or rename it.'],
  no_key: ['Skriv ett telefonnummer eller en mejladress.', 'Write a phone number or an e-mail address.'],
  unknown_association: ['Okänd förening.', 'Unknown association.'],
  importN: ['Importera {n} rader', 'Import {n} rows'],
  import1: ['Importera 1 rad', 'Import 1 row'],
  nothingNew: [
    'Allt i filen finns redan. Inget att importera.',
    'Everything in the file is already there. Nothing to import.',
  ],
  notNow: ['Avbryt', 'Cancel'],
  fileName: ['Fil: {n}', 'File: {n}'],
  importing: ['Importerar …', 'Importing …'],
  progress: ['{done} av {total} rader', '{done} of {total} rows'],
  done: [
    'Klart. {created} nya och {updated} ändrade. {skipped} fanns redan.',
    'Done. {created} new and {updated} changed. {skipped} were already there.',
  ],
  tooBig: ['Filen är för stor. Den får vara högst 5 MB.', 'The file is too big. It may be at most 5 MB.'],
  tooManyRows: ['Filen har för många rader. Högst 5 000 rader.', 'The file has too many rows. At most 5,000 rows.'],
  unreadable: [
    'Filen går inte att läsa som en tabell. Spara den som Excel-fil (.xlsx) eller CSV och försök igen.',
    'The file cannot be read as a table. Save it as an Excel file (.xlsx) or CSV and try again.',
  ],
  failed: ['Det gick inte. Försök igen om en stund.', 'It did not work. Try again in a while.'],
  empty: ['Filen är tom. Välj en annan fil.', 'The file is empty. Choose another file.'],
  noRows: ['Filen har inga rader under rubrikerna.', 'The file has no rows under the headings.'],
  exportTitle: ['Ladda ner listan', 'Download the list'],
  exportGuidesXlsx: ['Guiderna (Excel)', 'The guides (Excel)'],
  exportGuidesCsv: ['Guiderna (CSV)', 'The guides (CSV)'],
  exportSeniorsXlsx: ['Seniorerna (Excel)', 'The seniors (Excel)'],
  exportSeniorsCsv: ['Seniorerna (CSV)', 'The seniors (CSV)'],
  exportHint: [
    'Filen har samma kolumner som mallen. Du kan ändra i den och importera den igen.',
    'The file has the same columns as the template. You can change it and import it again.',
  ],
});
const w = importWords;

/** What a problem means, in the reader's words. */
function problemText(p: Problem): string {
  if (p.code === 'invalid') return p.value ? w('invalidValue', { v: p.value }) : w('invalid');
  if (p.code === 'unknown_word' || p.code === 'duplicate') return w(p.code, { v: p.value ?? '' });
  if (
    p.code in
    { missing: 1, formula: 1, invalid_text: 1, missing_column: 1, unknown_column: 1, no_key: 1, unknown_association: 1 }
  )
    return w(p.code as 'missing');
  return w('invalid');
}

/** Why a file was refused as a whole. */
function refusal(err: unknown): string {
  if (!(err instanceof ApiError)) return w('failed');
  if (err.status === 413) return w('tooBig');
  if (err.code === 'too_many_rows') return w('tooManyRows');
  if (err.code === 'unreadable_file' || err.status === 415) return w('unreadable');
  if (err.status === 400) return w('empty');
  return w('failed');
}

/** A random id for asking how far the import has come (the page chooses it, the server knows it). */
function progressId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function ImportPanel({ ctx, onImported }: { ctx: Ctx; onImported: () => void }) {
  const m = ctx.municipalityId;
  const [kind, setKind] = useState<Kind>('guides');
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<'reading' | 'importing' | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const input = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const poll = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(poll.current ?? undefined), []);

  const choose = (k: Kind) => {
    setKind(k);
    setOutcome(null);
    setMessage(null);
  };
  const read = async (f = file) => {
    setMessage(null);
    setOutcome(null);
    if (!f) {
      setMessage({ kind: 'error', text: w('chooseFile') });
      return;
    }
    setBusy('reading');
    try {
      const read = await api.upload<Outcome>(`municipalities/${m}/imports/${kind}/preview`, f);
      setOutcome(read);
      // A file with problems is fixed and chosen again: the field is emptied so choosing it fires anew.
      if (read.problems.length && input.current) input.current.value = '';
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      setMessage({ kind: 'error', text: refusal(err) });
    } finally {
      setBusy(null);
    }
  };
  const run = async () => {
    if (!file) return;
    const id = progressId();
    setBusy('importing');
    setMessage(null);
    // An import that takes longer than a second shows how far it has come.
    const ask = (delay: number) => {
      poll.current = setTimeout(() => {
        api.get<{ done: number; total: number }>(`imports/progress/${id}`).then(
          (p) => {
            setProgress(p);
            ask(500);
          },
          () => undefined,
        );
      }, delay);
    };
    ask(1000);
    try {
      const done = await api.upload<Outcome>(`municipalities/${m}/imports/${kind}?progress=${id}`, file);
      setOutcome(null);
      setFile(null);
      if (input.current) input.current.value = '';
      setMessage({
        kind: 'ok',
        text: w('done', { created: done.created, updated: done.updated, skipped: done.skipped }),
      });
      onImported();
    } catch (err) {
      setMessage({ kind: 'error', text: refusal(err) });
    } finally {
      clearTimeout(poll.current ?? undefined);
      setProgress(null);
      setBusy(null);
    }
  };
  const download = async (path: string, name: string) => {
    try {
      saveBlob(await api.blob(path), name);
    } catch (err) {
      setMessage({ kind: 'error', text: refusal(err) });
    }
  };
  const kinds: Kind[] = ctx.planner ? ['guides', 'seniors'] : ['guides'];
  const toWrite = outcome ? outcome.created + outcome.updated : 0;
  const file1 = kind === 'guides' ? 'guider' : 'seniorer';
  return (
    <section class="stack" aria-labelledby="import-title">
      <h2 id="import-title">{w('title')}</h2>
      <p class="lead">{w('lead')}</p>
      <form
        class="card stack"
        onSubmit={(e) => {
          e.preventDefault();
          void read();
        }}
      >
        {kinds.length > 1 && (
          <fieldset>
            <legend>{w('what')}</legend>
            <div class="checks">
              {kinds.map((k) => (
                <label key={k} class="check">
                  <input type="radio" name="import-kind" checked={kind === k} onChange={() => choose(k)} /> {w(k)}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        <p class="row">
          <span>{w('template')}:</span>
          <button
            type="button"
            class="small"
            onClick={() => void download(`imports/templates/${kind}.xlsx`, `mall-${file1}.xlsx`)}
          >
            {w('templateXlsx')}
          </button>
          <button
            type="button"
            class="small"
            onClick={() => void download(`imports/templates/${kind}.csv`, `mall-${file1}.csv`)}
          >
            {w('templateCsv')}
          </button>
        </p>
        <label for="import-file">{w('file')}</label>
        <input
          ref={input}
          id="import-file"
          type="file"
          accept=".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0] ?? null;
            setFile(f);
            if (f) void read(f);
          }}
        />
        <div class="row">
          <button type="submit" disabled={busy !== null}>
            {busy === 'reading' ? w('reading') : w('read')}
          </button>
        </div>
      </form>
      <MessageLine message={message} />
      {busy === 'importing' && (
        <div class="card stack" role="status">
          <p>{w('importing')}</p>
          {progress && (
            <>
              <progress max={progress.total} value={progress.done} aria-label={w('importing')} />
              <p>{w('progress', { done: progress.done, total: progress.total })}</p>
            </>
          )}
        </div>
      )}
      {outcome && busy === null && (
        <div ref={resultRef} tabIndex={-1} class="stack" aria-labelledby="import-summary">
          <p id="import-summary">
            {file && (
              <>
                {w('fileName', { n: file.name })}
                <br />
              </>
            )}
            <b>
              {w('summary', {
                rows: outcome.rows,
                created: outcome.created,
                updated: outcome.updated,
                skipped: outcome.skipped,
              })}
            </b>
          </p>
          {outcome.problems.length > 0 ? (
            <>
              <p class="notice error" role="alert">
                {plural(outcome.problems.length, w('problems1'), w('problemsN', { n: outcome.problems.length }))}
              </p>
              <Table
                caption={w('problemsTitle')}
                columns={[w('row'), w('column'), w('problem')]}
                rows={outcome.problems.map((p, i) => ({
                  key: String(i),
                  cells: [p.row === null ? w('wholeFile') : String(p.row), p.column ?? '', problemText(p)],
                }))}
              />
            </>
          ) : outcome.rows === 0 ? (
            <p>{w('noRows')}</p>
          ) : toWrite === 0 ? (
            <p>{w('nothingNew')}</p>
          ) : (
            <div class="row">
              <button type="button" class="primary" onClick={() => void run()}>
                {plural(toWrite, w('import1'), w('importN', { n: toWrite }))}
              </button>
              <button
                type="button"
                onClick={() => {
                  setOutcome(null);
                  input.current?.focus();
                }}
              >
                {w('notNow')}
              </button>
            </div>
          )}
        </div>
      )}
      <section class="card stack" aria-labelledby="export-title">
        <h2 id="export-title">{w('exportTitle')}</h2>
        <p class="hint">{w('exportHint')}</p>
        <div class="row">
          <button type="button" onClick={() => void download(`municipalities/${m}/exports/guides.xlsx`, 'guider.xlsx')}>
            {w('exportGuidesXlsx')}
          </button>
          <button type="button" onClick={() => void download(`municipalities/${m}/exports/guides.csv`, 'guider.csv')}>
            {w('exportGuidesCsv')}
          </button>
          {ctx.planner && (
            <>
              <button
                type="button"
                onClick={() => void download(`municipalities/${m}/exports/seniors.xlsx`, 'seniorer.xlsx')}
              >
                {w('exportSeniorsXlsx')}
              </button>
              <button
                type="button"
                onClick={() => void download(`municipalities/${m}/exports/seniors.csv`, 'seniorer.csv')}
              >
                {w('exportSeniorsCsv')}
              </button>
            </>
          )}
        </div>
      </section>
    </section>
  );
}

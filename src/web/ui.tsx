/** Small shared pieces: loading and error states, a data hook, a message line. */
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { errorText as byCode, type FieldLabels } from './errors';
import { explainText, t } from './i18n';

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Loads once per change of `key`, and again on reload(); an older answer never overwrites a newer one. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: unknown; loading: boolean }>({
    key,
    data: null,
    error: null,
    loading: true,
  });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ key, data, error: null, loading: false }),
      (error) => live && setState({ key, data: null, error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key, n]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  // Data of another key (last week's, say) is never shown as this one's; a reload keeps it until the new answer comes.
  if (state.key !== key) return { data: null, error: null, loading: true, reload };
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/**
 * What went wrong, in words a person can act on and never in the API's English: a hard rule with
 * the engine's reasons; everything else by its code and fields (errors.ts), a form's fields by
 * their `labels`.
 */
export function errorText(error: unknown, labels: FieldLabels = {}): string {
  if (error instanceof ApiError && error.code === 'breaks_hard_rule')
    return `${t('errHardRule')} ${error.details.flatMap((d) => (d.reason ? [explainText(d.reason)] : [])).join(' ')}`;
  return byCode(error, labels);
}

export function Status({ loaded, children }: { loaded: Loaded<unknown>; children: () => ComponentChildren }) {
  if (loaded.error) {
    return (
      <div class="notice error" role="alert">
        <p>{errorText(loaded.error)}</p>
        <button type="button" onClick={loaded.reload}>
          {t('retry')}
        </button>
      </div>
    );
  }
  if (!loaded.data) return <p aria-live="polite">{t('loading')}</p>;
  return <>{children()}</>;
}

export type Message = { kind: 'ok' | 'error'; text: string } | null;

export function MessageLine({ message }: { message: Message }) {
  return (
    <div aria-live="polite" role="status">
      {message && <p class={`notice ${message.kind}`}>{message.text}</p>}
    </div>
  );
}

export interface Row {
  key: string;
  /** The first cell names the row (a row header); the others follow the columns. */
  cells: ComponentChildren[];
  className?: string;
}

/**
 * A table that reads as a table on a desktop and as one card per row on a phone (each value
 * labelled with its column); a wide one scrolls in its own box, reachable by keyboard.
 */
export function Table({
  caption,
  columns,
  rows,
  hideCaption,
}: {
  caption: string;
  columns: ComponentChildren[];
  rows: Row[];
  hideCaption?: boolean;
}) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="cards">
        <caption class={hideCaption ? 'visually-hidden' : undefined}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} class={r.className}>
              {r.cells.map((cell, i) => {
                const label = typeof columns[i] === 'string' ? columns[i] : undefined;
                return i === 0 ? (
                  <th key={i} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={i} data-label={label}>
                    {cell}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A text field of a submitted form ('' when it is missing or a file). */
export function textField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

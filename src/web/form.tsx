/**
 * Forms the same way everywhere: a label on every field, the API's refusal shown in the
 * reader's language next to the field it names (from the error's field path), the first such
 * field focused, what was typed kept, and a 409 that offers to load the latest.
 */
import type { ComponentChildren, InputHTMLAttributes, RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { fieldOf, issueText } from './errors';
import { defineWords, errorWords, t, waitTime } from './i18n';

const w = defineWords({
  checkFields: ['Kontrollera fälten som är markerade.', 'Check the fields that are marked.'],
  conflict: [
    'Någon annan ändrade det här medan du skrev. Det du skrev finns kvar.',
    'Someone else changed this while you were writing. What you wrote is still here.',
  ],
  forbidden: ['Du får inte göra det här. Fråga administratören.', 'You may not do this. Ask the administrator.'],
  gone: ['Det finns inte längre. Ladda om sidan.', 'It no longer exists. Reload the page.'],
  tooMany: [
    'Du har försökt många gånger. Vänta {time} och försök igen.',
    'You have tried many times. Wait {time} and try again.',
  ],
  reload: ['Hämta det senaste', 'Load the latest'],
  couldNotSave: ['Vi kunde inte spara. Försök igen om en stund.', 'We could not save. Try again in a while.'],
});

/** What the fields, the message and the button read of a form, whatever its values. */
export interface FormView {
  id: string;
  errors: Record<string, string>;
  /** A line for the whole form (a refusal not about one field), and whether it is a version conflict. */
  message: { text: string; conflict: boolean } | null;
  busy: boolean;
}

export interface Form<T> extends FormView {
  values: T;
  set: <K extends keyof T>(key: K, value: T[K]) => void;
  submit: (e?: Event) => void;
  reset: (values: T) => void;
}

export function useForm<T extends object>(opts: {
  id: string;
  initial: T;
  save: (values: T) => Promise<unknown>;
  done?: (result: unknown) => void;
  /** Words for a field's refusal, instead of the general ones. */
  words?: Partial<Record<string, string>>;
  /** Words for a refusal code about the whole form (`venue_in_use`, say). */
  codes?: Partial<Record<string, string>>;
  /** Words when the form could not be sent at all (a server error, no network). */
  failed?: string;
}): Form<T> {
  const [values, setValues] = useState<T>(opts.initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<Form<T>['message']>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const form: Form<T> = {
    id: opts.id,
    values,
    errors,
    message,
    busy,
    set: (key, value) => {
      setValues((v) => ({ ...v, [key]: value }));
      setErrors(({ [key as string]: _gone, ...rest }) => rest);
    },
    reset: (v) => {
      setValues(v);
      setErrors({});
      setMessage(null);
    },
    submit: (e) => {
      e?.preventDefault();
      if (busyRef.current) return;
      busyRef.current = true;
      setBusy(true);
      setMessage(null);
      opts
        .save(values)
        .then(
          (result) => {
            setErrors({});
            opts.done?.(result);
          },
          (err: unknown) => {
            const found: Record<string, string> = {};
            if (err instanceof ApiError) {
              for (const d of err.details) {
                const name = fieldOf(d.field);
                const key = name.split('.')[0];
                if (key && !found[key]) found[key] = opts.words?.[key] ?? issueText(d.issue);
              }
            }
            setErrors(found);
            const first = Object.keys(found)[0];
            const api = err instanceof ApiError ? err : null;
            const conflict = api?.code === 'version_conflict';
            const own = api && opts.codes?.[api.code];
            const text = conflict
              ? w('conflict')
              : own
                ? own
                : first
                  ? w('checkFields')
                  : api?.status === 403
                    ? w('forbidden')
                    : api?.status === 404
                      ? w('gone')
                      : api?.status === 429
                        ? w('tooMany', { time: waitTime(api.retryAfter) })
                        : // Another refusal in its own words; a server error or no network in the form's.
                          ((api && api.status < 500 ? errorWords(api.code) : undefined) ??
                          opts.failed ??
                          w('couldNotSave'));
            setMessage({ text, conflict });
            // The first field at fault gets the focus; otherwise the message does.
            requestAnimationFrame(() =>
              document.getElementById(first ? `${opts.id}-${first}` : `${opts.id}-message`)?.focus(),
            );
          },
        )
        .finally(() => {
          busyRef.current = false;
          setBusy(false);
        });
    },
  };
  return form;
}

/** The form's own line: why it was refused, and for a conflict a button that loads the latest. */
export function FormMessage({ form, onReload }: { form: FormView; onReload?: () => void }) {
  return (
    <div id={`${form.id}-message`} tabIndex={-1} aria-live="polite">
      {form.message && (
        <div class="notice error" role="alert">
          <p>{form.message.text}</p>
          {form.message.conflict && onReload && (
            <button type="button" onClick={onReload}>
              {w('reload')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'form' | 'value' | 'label' | 'name'>;

/** A labelled field: the error under it, tied to it for screen readers. */
function Labelled({
  form,
  name,
  label,
  hint,
  children,
}: {
  form: FormView;
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  children: (props: Record<string, unknown>) => ComponentChildren;
}) {
  const id = `${form.id}-${name}`;
  const error = form.errors[name];
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {children({ id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export type Keys<T> = Extract<keyof T, string>;

export function TextField<T extends object>({
  form,
  name,
  label,
  hint,
  ...rest
}: { form: Form<T>; name: Keys<T>; label: ComponentChildren; hint?: ComponentChildren } & InputProps) {
  return (
    <Labelled form={form} name={name} label={label} hint={hint}>
      {(props) => (
        <input
          {...rest}
          {...props}
          value={(form.values[name] as string | null | undefined) ?? ''}
          onInput={(e) => form.set(name, e.currentTarget.value as T[typeof name])}
        />
      )}
    </Labelled>
  );
}

/** A number field kept as text while typed, so "1," never jumps; `numberOf` reads it. */
/**
 * Keeps `field` at what `from` gives for the form's values until the person types over it: a
 * café's seats follow its venue's when another venue is chosen.
 */
export function useDefaultFrom<T extends object>(form: Form<T>, field: Keys<T>, from: (v: T) => string | undefined) {
  const next = from(form.values);
  const last = useRef(next);
  useEffect(() => {
    if (next === last.current) return;
    if (next !== undefined && form.values[field] === last.current) form.set(field, next as T[typeof field]);
    last.current = next;
  }, [next]);
}

export function NumberField<T extends object>(p: {
  form: Form<T>;
  name: Keys<T>;
  label: ComponentChildren;
  hint?: ComponentChildren;
  min?: number;
  max?: number;
  step?: string;
}) {
  return <TextField {...p} inputMode={p.step ? 'decimal' : 'numeric'} type="text" autoComplete="off" />;
}

/**
 * A typed number (decimal comma or point); empty is undefined. Text that is not a number is sent
 * as it is, so the API refuses it by its field (NaN would travel as null and clear the field).
 */
export const numberOf = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed.replace(/\s/g, '').replace(',', '.'));
  return Number.isNaN(n) ? trimmed : n;
};

/** The fields of a change that differ from what was loaded: a PATCH sends only these. */
export function changedOnly<T extends object>(before: T, after: T): Partial<T> {
  return Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof T] !== v)) as Partial<T>;
}

export function SelectField<T extends object>({
  form,
  name,
  label,
  hint,
  options,
}: {
  form: Form<T>;
  name: Keys<T>;
  label: ComponentChildren;
  hint?: ComponentChildren;
  options: { value: string; label: string }[];
}) {
  return (
    <Labelled form={form} name={name} label={label} hint={hint}>
      {(props) => (
        <select
          {...props}
          value={(form.values[name] as string | undefined) ?? ''}
          onChange={(e) => form.set(name, e.currentTarget.value as T[typeof name])}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Labelled>
  );
}

export function TextArea<T extends object>({
  form,
  name,
  label,
  hint,
}: {
  form: Form<T>;
  name: Keys<T>;
  label: ComponentChildren;
  hint?: ComponentChildren;
}) {
  return (
    <Labelled form={form} name={name} label={label} hint={hint}>
      {(props) => (
        <textarea
          {...props}
          rows={3}
          value={(form.values[name] as string | null | undefined) ?? ''}
          onInput={(e) => form.set(name, e.currentTarget.value as T[typeof name])}
        />
      )}
    </Labelled>
  );
}

/** Several choices of one list (equipment, say): a fieldset with a legend, its error under it. */
export function CheckGroup<T extends object>({
  form,
  name,
  legend,
  options,
}: {
  form: Form<T>;
  name: Keys<T>;
  legend: ComponentChildren;
  options: { value: string; label: string }[];
}) {
  const chosen = (form.values[name] as string[] | undefined) ?? [];
  const error = form.errors[name];
  const id = `${form.id}-${name}`;
  return (
    <fieldset id={id} tabIndex={-1} aria-describedby={error ? `${id}-error` : undefined} class={error ? 'invalid' : ''}>
      <legend>{legend}</legend>
      <div class="checks">
        {options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) =>
                form.set(
                  name,
                  (e.currentTarget.checked
                    ? [...chosen, o.value]
                    : chosen.filter((c) => c !== o.value)) as T[typeof name],
                )
              }
            />{' '}
            {o.label}
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The save button: busy while saving, so a double tap sends one request. */
export function SaveButton({ form, children }: { form: FormView; children?: ComponentChildren }) {
  return (
    <button type="submit" class="primary" disabled={form.busy}>
      {children ?? t('save')}
    </button>
  );
}

/**
 * Focus for a form that opens in a page: its first field gets the focus when it opens, and when
 * it closes the focus goes back to what opened it (found again by its id, since the page may
 * have drawn it anew), or else to the page's heading.
 */
export function useFormFocus<E extends HTMLElement>(enabled = true): RefObject<E> {
  const ref = useRef<E>(null);
  useEffect(() => {
    if (!enabled) return;
    const active = document.activeElement;
    // Someone already in one of its fields (a quick click, or typing as it opened) keeps their place.
    const inside = !!active && !!ref.current?.contains(active);
    const opener = inside ? undefined : active?.id;
    if (!inside) ref.current?.querySelector<HTMLElement>('input:not([hidden]), select, textarea, button')?.focus();
    return () =>
      requestAnimationFrame(() =>
        ((opener && document.getElementById(opener)) || document.querySelector<HTMLElement>('main h1'))?.focus(),
      );
  }, []);
  return ref;
}

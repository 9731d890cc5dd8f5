/**
 * What any text sent to the API may hold, checked in one place for every string of every body,
 * query and path (src/http/route.ts) before the route's own schema: no NUL or other control
 * characters (PostgreSQL cannot store NUL, and none belongs in a name); no bidirectional
 * overrides or isolates, which make a name read differently from what it is; and not only
 * invisible characters where a visible value is expected. Tab and line breaks only in the
 * fields written as several lines.
 */

/** Fields written as several lines: a line break or a tab is text there. */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['dayReport', 'accessibilityNote']);

// C0 controls but tab, LF and CR; DEL; C1 controls. Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LINE_BREAK = /[\t\n\r\u2028\u2029]/u;
// Embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). Marks (LRM, RLM) stay.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
// Letters, digits, marks, punctuation and symbols: what can be seen. Spaces, format characters
// (zero-width space and joiners) and Hangul fillers cannot.
const VISIBLE = /[\p{L}\p{N}\p{M}\p{P}\p{S}]/u;
const HANGUL_FILLERS = /[\u115F\u1160\u3164\uFFA0]/gu;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/** Secrets are compared as given and never shown or stored as text: any character may be in them. */
const SECRETS: ReadonlySet<string> = new Set(['password', 'currentPassword', 'newPassword', 'token']);

/** Why this value of the field `key` is refused, or null when it is fine. */
export function textProblem(key: string, value: string): string | null {
  // Printable ASCII (ids, dates, codes: most of what is sent) holds nothing refused, and a
  // character of it that is not a space is visible; a blank one is the field's schema's to judge.
  if (PRINTABLE_ASCII.test(value)) return null;
  if (SECRETS.has(key)) return null;
  const control = CONTROL.exec(value);
  if (control) return `must not contain control characters (${codePoint(control[0])})`;
  // A stray line break at either end (pasted from a spreadsheet) is trimmed by the field, not refused.
  if (!MULTILINE_FIELDS.has(key) && LINE_BREAK.test(value.trim())) return 'must be one line (no line breaks or tabs)';
  const bidi = BIDI_CONTROL.exec(value);
  if (bidi) return `must not contain direction overrides (${codePoint(bidi[0])})`;
  // Blank (spaces only) is the field's own schema's to judge: trimmed, and refused where required.
  if (value.trim() !== '' && !VISIBLE.test(value.replace(HANGUL_FILLERS, ''))) return 'must contain visible characters';
  return null;
}

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

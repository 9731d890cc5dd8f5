/**
 * What went wrong, in the reader's language and never in the API's English: each error code has
 * its words (ERRORS in i18n.ts); a field's issue has a sentence of its own where we know it
 * ("Sluttiden måste vara efter starttiden."), else the form's label for the field, else a plain
 * general sentence. No browser needed, so the unit tests check it in Node.
 */
import { dayInText, defineWords, errorWords, t, waitTime } from './i18n';

const w = defineWords({
  checkField: ['Kontrollera det här fältet.', 'Check this field.'],
  checkNamed: ['Kontrollera fältet ”{f}”.', 'Check the field “{f}”.'],
  required: ['Fyll i det här fältet.', 'Fill in this field.'],
  chooseOne: ['Välj ett alternativ i listan.', 'Choose one from the list.'],
  closed: [
    'Lokalen är stängd den dagen ({name}). Välj en annan dag eller lokal.',
    'The venue is closed that day ({name}). Choose another day or venue.',
  ],
  emailTaken: ['Det finns redan ett konto med den e-postadressen.', 'There is already an account with this e-mail.'],
  email: ['Skriv en e-postadress, till exempel namn@kommun.se.', 'Write an e-mail address, e.g. name@kommun.se.'],
  pwShort: ['Lösenordet behöver minst 12 tecken.', 'The password needs at least 12 characters.'],
  pwRepeated: ['Använd fler olika tecken.', 'Use more different characters.'],
  pwCommon: [
    'Lösenordet är för lätt att gissa. Välj ett annat, till exempel tre eller fyra ord.',
    'The password is too easy to guess. Choose another, for example three or four words.',
  ],
  pwWrong: ['Det är inte ditt nuvarande lösenord.', 'That is not your current password.'],
  endTime: ['Sluttiden måste vara efter starttiden.', 'The end time must be after the start time.'],
  endDate: ['Slutdatumet kan inte vara före startdatumet.', 'The end date cannot be before the start date.'],
  number: ['Skriv ett tal.', 'Write a number.'],
  tooSmall: ['Talet är för litet.', 'The number is too small.'],
  tooBig: ['Talet är för stort.', 'The number is too big.'],
  zone: ['Skriv en tidszon, till exempel Europe/Stockholm.', 'Write a time zone, e.g. Europe/Stockholm.'],
  notText: [
    'Här finns ett tecken som inte är text. Skriv texten igen.',
    'There is a character here that is not text. Type the text again.',
  ],
  oneLine: ['Skriv allt på en rad.', 'Write it all on one line.'],
  venueSeats: ['Lokalen har bara {n} platser.', 'The venue has only {n} seats.'],
  noSuchTime: [
    'Den tiden finns inte den {d}: då ställs klockan fram en timme. Välj en annan tid.',
    'That time does not exist on {d}: the clocks go forward an hour. Choose another time.',
  ],
  future: ['Datumet kan inte vara senare än i dag.', 'The date cannot be later than today.'],
  invisible: ['Skriv med vanliga bokstäver.', 'Write with ordinary letters.'],
  serverDown: [
    'Bryggan svarar inte just nu. Försök igen om en stund.',
    'Bryggan is not answering just now. Try again in a while.',
  ],
});

/**
 * A sentence that says on its own what is wrong with a field and how to fix it, for the issues
 * the API gives that we know; null for the others, which need the field next to them.
 */
export function issueSentence(issue: string): string | null {
  if (issue === 'too_short' || /at least 12/.test(issue)) return w('pwShort');
  if (issue === 'repeated') return w('pwRepeated');
  if (issue === 'common') return w('pwCommon');
  if (issue === 'already in use') return w('emailTaken');
  if (/control characters|direction overrides/.test(issue)) return w('notText');
  if (/one line/.test(issue)) return w('oneLine');
  const seats = /venue's (\d+) seats/.exec(issue);
  if (seats) return w('venueSeats', { n: seats[1] });
  const gap = /does not exist on (\d{4}-\d\d-\d\d)/.exec(issue);
  if (gap) return w('noSuchTime', { d: dayInText(gap[1]) });
  if (issue === 'must not be in the future') return w('future');
  if (issue === 'not the current password') return w('pwWrong');
  const closed = /^closed then: (.+)$/.exec(issue);
  if (closed) return w('closed', { name: closed[1] });
  if (/must be after (start|from)/.test(issue)) return w('endTime');
  if (/must not be before/.test(issue)) return w('endDate');
  if (/email/i.test(issue)) return w('email');
  if (/time zone/.test(issue)) return w('zone');
  return null;
}

/** What a refusal's issue means, next to its field in a form. */
export function issueText(issue: string): string {
  const own = issueSentence(issue);
  if (own) return own;
  if (/visible characters/.test(issue)) return w('invisible');
  if (/^no .* with this id|^no such|^required when|has no contract/.test(issue)) return w('chooseOne');
  if (/expected number/.test(issue)) return w('number');
  if (/Too small/.test(issue)) return /string/.test(issue) ? w('required') : w('tooSmall');
  if (/Too big/.test(issue)) return w('tooBig');
  if (/expected string, received undefined|Required/.test(issue)) return w('required');
  return w('checkField');
}

/** `body.travel.0.minutes` → `travel.0.minutes`: a form's own names are the body's keys. */
export const fieldOf = (path: string) => path.replace(/^(body|query|params)\.?/, '') || '';

/**
 * A form's labels by field path, for the sentence that names a field: `guides.*.end` stands
 * for `guides.0.end`, `guides.1.end` …; a label for `guides` covers every field under it.
 */
export type FieldLabels = Partial<Record<string, string>>;

function labelOf(path: string, labels: FieldLabels): string | undefined {
  const parts = path.split('.').map((p) => (/^\d+$/.test(p) ? '*' : p));
  for (let n = parts.length; n > 0; n--) {
    const exact = path.split('.').slice(0, n).join('.');
    const any = parts.slice(0, n).join('.');
    const label = labels[exact] ?? labels[any];
    if (label) return label;
  }
  return undefined;
}

/** What an API refusal carries (ApiError in api.ts), read by its shape so this file needs no browser. */
interface Refusal {
  status: number;
  code: string;
  details: { field: string; issue: string }[];
  retryAfter?: number;
}
const isRefusal = (e: unknown): e is Refusal =>
  e instanceof Error &&
  typeof (e as Partial<Refusal>).code === 'string' &&
  typeof (e as Partial<Refusal>).status === 'number' &&
  Array.isArray((e as Partial<Refusal>).details);

/** The codes whose details are fields a person filled in: their sentences say what to fix. */
const FIELD_CODES = new Set(['validation_failed', 'invalid_text']);

/**
 * What went wrong, in words a person can act on, for any error: a refusal by its code (and, for
 * a form's fields, by what we know of each field), a server that does not answer, or no network.
 * Never the API's `message`, never a field path.
 */
export function errorText(error: unknown, labels: FieldLabels = {}): string {
  if (!isRefusal(error)) return t('failed');
  // A field we know on its own: a link's key is the link, an end before its start is said so.
  const sentences = new Set<string>();
  for (const d of error.details) {
    const path = fieldOf(d.field);
    if (/(^|\.)token$/.test(path)) sentences.add(errorWords('invalid_link')!);
    else if (error.code !== 'breaks_hard_rule') {
      const own = issueSentence(d.issue);
      if (own) sentences.add(own);
    }
  }
  if (sentences.size) return [...sentences].join(' ');
  if (FIELD_CODES.has(error.code)) {
    const named = [...new Set(error.details.flatMap((d) => labelOf(fieldOf(d.field), labels) ?? []))];
    if (named.length) return named.map((f) => w('checkNamed', { f })).join(' ');
  }
  const words = errorWords(error.code, { time: waitTime(error.retryAfter) });
  if (words) return words;
  if (error.status === 429) return errorWords('too_many_attempts', { time: waitTime(error.retryAfter) })!;
  if (error.status >= 500) return w('serverDown');
  return t('failed');
}

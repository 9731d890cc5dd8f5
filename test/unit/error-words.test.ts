import { readdirSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { errorText } from '../../src/web/errors';
import { ERRORS, lang, setLang } from '../../src/web/i18n';

/**
 * Every error code the API can answer has words on the pages, in Swedish and English, and the
 * pages never show the API's English message or a field path. The codes are found in the source
 * text, so a new code thrown anywhere without words fails here.
 */

const SRC = join(__dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

/** Each code a throw, an error class or the error middleware can answer with, by where it is found. */
function thrownCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const note = (code: string, file: string) => found.has(code) || found.set(code, file.slice(SRC.length + 1));
  for (const file of files(SRC)) {
    const text = readFileSync(file, 'utf8');
    const all = (re: RegExp) => [...text.matchAll(re)].forEach((m) => note(m[1], file));
    // The code first: new UnprocessableError('venue_closed', …), also across lines.
    all(/new (?:Unprocessable|Conflict|Unauthenticated|Domain)Error\(\s*'([a-z0-9_]+)'/g);
    // The code third: new ValidationError(message, details, 'invalid_text').
    all(/new ValidationError\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*?,\s*'([a-z0-9_]+)'\s*\)/g);
    // A page's own refusal: new ApiError(400, 'validation_failed', …).
    all(/new ApiError\(\s*\d+,\s*'([a-z0-9_]+)'/g);
    // An error class with a code of its own (NotFoundError → not_found), or a default code.
    if (/extends \w*Error\b/.test(text)) {
      all(/super\(\s*'([a-z0-9_]+)'/g);
      all(/\bcode = '([a-z0-9_]+)'/g);
    }
    // The error middleware's answers of its own (route_not_found, internal_error …).
    if (/ErrorRequestHandler/.test(text)) all(/\bbody\(\s*'([a-z0-9_]+)'/g);
  }
  return found;
}

class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; issue: string }[] = [],
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const MESSAGE = 'The request body is not valid, said in English';
const ENGLISH_ISSUE = 'Too small: expected string to have >=1 characters';
const both = (test: () => void) => {
  const before = lang();
  try {
    for (const l of ['sv', 'en'] as const) {
      setLang(l);
      test();
    }
  } finally {
    setLang(before);
  }
};

describe('error words on the pages', () => {
  const codes = thrownCodes();

  it('finds the codes the API answers with, wherever they are thrown', () => {
    // The scan reaches each way a code is made: a throw, a class, a default, the middleware.
    expect([...codes.keys()]).toEqual(
      expect.arrayContaining([
        'venue_closed',
        'breaks_hard_rule',
        'invalid_text',
        'validation_failed',
        'not_found',
        'forbidden',
        'too_many_attempts',
        'storage_unavailable',
        'unauthenticated',
        'invalid_token',
        'route_not_found',
        'internal_error',
        'payload_too_large',
      ]),
    );
    expect(codes.size).toBeGreaterThan(60);
  });

  it('has Swedish and English words for every code thrown anywhere in src', () => {
    const missing = [...codes].filter(([code]) => !(code in ERRORS)).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('says every code in both languages, with a full sentence and no field path', () => {
    for (const [code, [sv, en]] of Object.entries(ERRORS) as [string, readonly [string, string]][]) {
      for (const text of [sv, en]) {
        expect({ code, text: text.trim() }).toEqual({ code, text: expect.stringMatching(/^[A-ZÅÄÖ].*[.!?]$/) });
        expect(text).not.toMatch(/\b(body|query|params)\.|\b[a-z]+_[a-z_]+\b/);
      }
      expect({ code, same: sv === en }).toEqual({ code, same: false });
    }
  });

  it('never shows the API message or a field path, for any code, status or detail', () => {
    const statuses = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503];
    const all = [...new Set([...Object.keys(ERRORS), ...codes.keys(), 'a_code_from_tomorrow', 'http_502'])];
    both(() => {
      for (const code of all)
        for (const status of statuses)
          for (const details of [[], [{ field: 'body.guides.0.note', issue: ENGLISH_ISSUE }]]) {
            const text = errorText(new FakeApiError(status, code, MESSAGE, details, 30));
            expect({ code, status, text }).toEqual({ code, status, text: expect.stringMatching(/\S/) });
            expect(text).not.toContain(MESSAGE);
            expect(text).not.toContain('Too small');
            expect(text).not.toMatch(/body\.|guides\.0|\bnote\b/);
          }
    });
  });

  it('says each code in the chosen language', () => {
    setLang('sv');
    expect(errorText(new FakeApiError(409, 'stale_revision', MESSAGE))).toBe(
      'Någon annan sparade rapporten före dig. Dina ändringar sparades inte. Fyll i dem igen.',
    );
    expect(errorText(new FakeApiError(401, 'invalid_link', 'This link is not valid'))).toBe(
      'Länken fungerar inte. Be din samordnare om en ny.',
    );
    setLang('en');
    expect(errorText(new FakeApiError(401, 'invalid_link', 'This link is not valid'))).toBe(
      'The link does not work. Ask your coordinator for a new one.',
    );
    setLang('sv');
  });

  it('says an end before its start, and a bad link key, in plain Swedish', () => {
    setLang('sv');
    const endBeforeStart = new FakeApiError(400, 'validation_failed', 'The request body is not valid', [
      { field: 'body.guides.0.end', issue: 'must be after start' },
    ]);
    expect(errorText(endBeforeStart)).toBe('Sluttiden måste vara efter starttiden.');
    const shortToken = new FakeApiError(400, 'validation_failed', 'The request query is not valid', [
      { field: 'query.token', issue: 'Too small: expected string to have >=20 characters' },
    ]);
    expect(errorText(shortToken)).toBe('Länken fungerar inte. Be din samordnare om en ny.');
  });

  it("names a field by the form's own label, else says it plainly", () => {
    setLang('sv');
    const bad = new FakeApiError(400, 'validation_failed', MESSAGE, [
      { field: 'body.guides.1.start', issue: ENGLISH_ISSUE },
      { field: 'body.dayReport', issue: ENGLISH_ISSUE },
    ]);
    expect(errorText(bad, { 'guides.*.start': 'Började', dayReport: 'Dagens rapport' })).toBe(
      'Kontrollera fältet ”Började”. Kontrollera fältet ”Dagens rapport”.',
    );
    expect(errorText(bad, { guides: 'Guidernas tider' })).toBe('Kontrollera fältet ”Guidernas tider”.');
    expect(errorText(bad)).toBe('Kontrollera det du har fyllt i och försök igen.');
  });

  it('gives a next step when the server or the network fails, and says how long to wait', () => {
    setLang('sv');
    expect(errorText(new TypeError('Failed to fetch'))).toBe('Det blev ett fel. Försök igen om en stund.');
    expect(errorText(new FakeApiError(502, 'http_502', 'Bad Gateway'))).toBe(
      'Bryggan svarar inte just nu. Försök igen om en stund.',
    );
    expect(errorText(new FakeApiError(429, 'too_many_attempts', MESSAGE, [], 90))).toBe(
      'Du har försökt många gånger. Vänta 2 minuter och försök igen.',
    );
  });
});

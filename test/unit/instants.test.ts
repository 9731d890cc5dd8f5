import { instantOf, instantOrNull } from '../../src/services/raw';

/** sqlite's text of an instant, read by hand (src/services/raw.ts), against Date's own parser. */
describe('instantOf', () => {
  const parsed = (text: string) => new Date(`${text.replace(' ', 'T')}${text.endsWith('Z') ? '' : 'Z'}`).getTime();

  it('reads sqlite text to the millisecond as Date reads it', () => {
    const texts: string[] = [];
    // Every hour around the nights the clocks change in Stockholm (UTC text: nothing special), and a spread over the years.
    for (const day of ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'])
      for (let h = -3; h < 6; h++) texts.push(new Date(Date.parse(`${day}T00:00:00Z`) + h * 3_600_000).toISOString());
    for (let i = 0; i < 500; i++) texts.push(new Date(Date.UTC(2000, 0, 1) + i * 86_399_123 * 7).toISOString());
    for (const iso of texts) {
      const sqlite = iso.replace('T', ' ').replace('Z', '');
      for (const text of [sqlite, sqlite.slice(0, 19), iso, `${sqlite.slice(0, 19)}Z`])
        expect([text, instantOf(text).getTime()]).toEqual([text, parsed(text)]);
    }
  });

  it('leaves what is out of range to Date, as before: no rolling over into another day or year', () => {
    for (const text of [
      '2026-13-01 00:00:00',
      '2026-00-10 10:00:00',
      '2026-05-32 10:00:00',
      '2026-05-00 10:00:00',
      '2026-05-10 25:00:00',
      '2026-05-10 10:60:00',
      '2026-05-10 10:00:60.000',
      '0099-05-10 10:00:00.000',
      '2026-05-10 24:00:00',
    ])
      expect([text, instantOf(text).getTime()]).toEqual([text, parsed(text)]);
    expect(Number.isNaN(instantOf('2026-13-01 00:00:00').getTime())).toBe(true);
    expect(instantOf('0099-05-10 10:00:00.000').getUTCFullYear()).toBe(99);
  });

  it('leaves Dates as they are and reads other text as UTC', () => {
    const d = new Date('2026-11-24T09:00:00Z');
    expect(instantOf(d)).toBe(d);
    expect(instantOf('2026-11-24 09:00').toISOString()).toBe('2026-11-24T09:00:00.000Z');
    expect(instantOf('2026-11-24T09:00:00.5').toISOString()).toBe('2026-11-24T09:00:00.500Z');
    expect(instantOf('2026-11-24T10:00:00+01:00').toISOString()).toBe('2026-11-24T09:00:00.000Z');
    expect(instantOrNull(null)).toBeNull();
  });
});

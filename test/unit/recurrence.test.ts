import { expandRule, occurrenceDates, type RecurrenceRule } from '../../src/domain/recurrence';
import { swedishHoliday } from '../../src/domain/calendar';
import { instantToLocal } from '../../src/domain/time';

const rule = (o: Partial<RecurrenceRule> = {}): RecurrenceRule => ({
  weekday: 2,
  startTime: '14:00',
  durationMinutes: 120,
  timeZone: 'Europe/Stockholm',
  intervalWeeks: 1,
  anchorDate: '2027-03-02',
  firstDate: '2027-03-02',
  lastDate: '2027-04-13',
  ...o,
});

describe('expandRule', () => {
  it('keeps 14:00 local across the spring change (UTC moves from 13:00 to 12:00)', () => {
    const occ = expandRule(
      rule({ weekday: 7, anchorDate: '2027-03-21', firstDate: '2027-03-21', lastDate: '2027-04-04' }),
      { venueId: 'v', skipHolidays: false },
    );
    // Sweden moves to summer time on Sunday 2027-03-28.
    expect(occ.map((o) => o.date)).toEqual(['2027-03-21', '2027-03-28', '2027-04-04']);
    expect(occ.map((o) => o.startsAt.toISOString())).toEqual([
      '2027-03-21T13:00:00.000Z',
      '2027-03-28T12:00:00.000Z',
      '2027-04-04T12:00:00.000Z',
    ]);
    expect(occ.every((o) => instantToLocal(o.startsAt, 'Europe/Stockholm').time === '14:00')).toBe(true);
    expect(occ.every((o) => o.endsAt.getTime() - o.startsAt.getTime() === 2 * 3600_000)).toBe(true);
  });

  it('keeps 14:00 local across the autumn change (UTC moves from 12:00 to 13:00)', () => {
    const occ = expandRule(
      rule({ weekday: 7, anchorDate: '2027-10-24', firstDate: '2027-10-24', lastDate: '2027-11-07' }),
      { venueId: 'v', skipHolidays: false },
    );
    // Back to winter time on Sunday 2027-10-31.
    expect(occ.map((o) => o.startsAt.toISOString())).toEqual([
      '2027-10-24T12:00:00.000Z',
      '2027-10-31T13:00:00.000Z',
      '2027-11-07T13:00:00.000Z',
    ]);
  });

  it('keeps the duration in real time on the night of the change', () => {
    const [occ] = expandRule(
      rule({
        weekday: 7,
        startTime: '01:30',
        durationMinutes: 120,
        anchorDate: '2027-10-31',
        firstDate: '2027-10-31',
        lastDate: '2027-10-31',
      }),
      { venueId: 'v', skipHolidays: false },
    );
    expect(occ.endsAt.getTime() - occ.startsAt.getTime()).toBe(120 * 60_000);
  });

  it('runs every other week counted from the anchor week, across New Year', () => {
    const dates = occurrenceDates({
      weekday: 3,
      intervalWeeks: 2,
      anchorDate: '2026-12-09',
      firstDate: '2026-12-01',
      lastDate: '2027-01-31',
    });
    expect(dates).toEqual(['2026-12-09', '2026-12-23', '2027-01-06', '2027-01-20']);
  });

  it('counts weeks from an anchor that lies after the first date', () => {
    const dates = occurrenceDates({
      weekday: 3,
      intervalWeeks: 2,
      anchorDate: '2027-01-20',
      firstDate: '2026-12-01',
      lastDate: '2027-01-10',
    });
    expect(dates).toEqual(['2026-12-09', '2026-12-23', '2027-01-06']);
  });

  it('skips Swedish public holidays and the eves around them', () => {
    const occ = expandRule(
      rule({ weekday: 4, anchorDate: '2026-12-03', firstDate: '2026-12-17', lastDate: '2027-01-07' }),
      { venueId: 'v' },
    );
    // Thursdays: 17 Dec, Christmas eve (24 Dec), New Year's eve (31 Dec), 7 Jan.
    expect(occ.filter((o) => o.blocked).map((o) => [o.date, o.blocked!.name])).toEqual([
      ['2026-12-24', 'Julafton'],
      ['2026-12-31', 'Nyårsafton'],
    ]);
  });

  it('marks closures, and a venue closure only for that venue', () => {
    const closures = [
      { name: 'Sportlov', startsOn: '2027-03-01', endsOn: '2027-03-07' },
      { name: 'Renovering', startsOn: '2027-03-08', endsOn: '2027-03-14', venueId: 'other' },
    ];
    const occ = expandRule(rule(), { venueId: 'v', closures });
    expect(occ.filter((o) => o.blocked).map((o) => o.date)).toEqual(['2027-03-02']);
    expect(occ[0].blocked).toEqual({ reason: 'closure', name: 'Sportlov' });
  });

  it('expands ten years of a weekly café (about 520 sessions)', () => {
    const occ = expandRule(rule({ firstDate: '2027-01-01', lastDate: '2036-12-31', anchorDate: '2027-01-01' }), {
      venueId: 'v',
    });
    expect(occ.length).toBeGreaterThanOrEqual(521);
    expect(occ.length).toBeLessThanOrEqual(522);
    expect(new Set(occ.map((o) => instantToLocal(o.startsAt, 'Europe/Stockholm').time))).toEqual(new Set(['14:00']));
  });
});

describe('swedishHoliday', () => {
  it.each([
    ['2027-01-01', 'Nyårsdagen'],
    ['2027-01-06', 'Trettondedag jul'],
    ['2027-03-26', 'Långfredagen'],
    ['2027-05-06', 'Kristi himmelsfärdsdag'],
    ['2027-06-06', 'Nationaldagen'],
    ['2027-06-25', 'Midsommarafton'],
    ['2027-12-25', 'Juldagen'],
  ])('knows %s as %s', (date, name) => {
    expect(swedishHoliday(date)).toBe(name);
  });

  it('knows an ordinary Tuesday is no holiday', () => {
    expect(swedishHoliday('2027-02-09')).toBeUndefined();
  });
});

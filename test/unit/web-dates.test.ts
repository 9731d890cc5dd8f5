import {
  addDays,
  isoWeek,
  longDay,
  month,
  monthName,
  shiftWeek,
  shortDay,
  thisWeek,
  today,
  weekMonday,
} from '../../src/web/dates';

/** The web pages' dates (no library in the browser bundle): ISO weeks over New Year, "today" in Stockholm across both clock changes. */
describe('web page dates', () => {
  it('names ISO weeks, including week 53 of 2026 and the turn of the year', () => {
    expect(isoWeek('2026-11-24')).toBe('2026-W48');
    expect(isoWeek('2026-12-28')).toBe('2026-W53');
    expect(isoWeek('2027-01-03')).toBe('2026-W53');
    expect(isoWeek('2027-01-04')).toBe('2027-W01');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
    expect(weekMonday('2026-W53')).toBe('2026-12-28');
    expect(weekMonday('2026-W01')).toBe('2025-12-29');
    expect(shiftWeek('2026-W53', 1)).toBe('2027-W01');
    expect(shiftWeek('2027-W01', -1)).toBe('2026-W53');
    expect(shiftWeek('2027-W12', 1)).toBe('2027-W13'); // over the spring clock change (28 March 2027)
  });

  it('takes today in Stockholm, on both sides of midnight and of both clock changes', () => {
    expect(today(new Date('2027-03-27T22:59:00Z'))).toBe('2027-03-27'); // 23:59 CET
    expect(today(new Date('2027-03-27T23:00:00Z'))).toBe('2027-03-28'); // 00:00 CET, the day the clocks go forward
    expect(today(new Date('2026-10-24T21:59:00Z'))).toBe('2026-10-24'); // 23:59 CEST
    expect(today(new Date('2026-10-24T22:00:00Z'))).toBe('2026-10-25'); // 00:00 CEST, the day the clocks go back
    expect(today(new Date('2026-10-25T22:59:00Z'))).toBe('2026-10-25'); // 23:59 CET
    expect(thisWeek(new Date('2027-01-03T22:59:00Z'))).toBe('2026-W53');
    expect(thisWeek(new Date('2027-01-03T23:00:00Z'))).toBe('2027-W01');
  });

  it('counts days and months without a clock change moving them', () => {
    expect(addDays('2027-03-27', 1)).toBe('2027-03-28');
    expect(addDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(month('2026-01-15', -1)).toBe('2025-12');
    expect(month('2026-12-01', 1)).toBe('2027-01');
    expect(month('2026-11-24')).toBe('2026-11');
  });

  it('writes dates as people say them, in Swedish and English', () => {
    expect(longDay('sv-SE', '2026-12-01')).toBe('Tisdag 1 december');
    expect(longDay('en-GB', '2026-12-01')).toBe('Tuesday 1 December');
    expect(shortDay('sv-SE', '2026-12-01')).toBe('tis 1/12');
    expect(monthName('sv-SE', '2026-11')).toBe('november 2026');
    expect(monthName('en-GB', '2026-11')).toBe('November 2026');
  });
});

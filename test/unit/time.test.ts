import { instantToLocal, isoWeekOf, isoWeekRange, isValidIsoWeek, localToInstant } from '../../src/domain/time';

describe('ISO weeks', () => {
  it('knows which weeks exist', () => {
    expect(isValidIsoWeek('2026-W53')).toBe(true);
    expect(isValidIsoWeek('2027-W53')).toBe(false);
    expect(isValidIsoWeek('2026-W00')).toBe(false);
    expect(isValidIsoWeek('2026-49')).toBe(false);
  });

  it('gives the Monday and Sunday of a week across New Year', () => {
    expect(isoWeekRange('2026-W53')).toEqual({ monday: '2026-12-28', sunday: '2027-01-03' });
    expect(isoWeekRange('2026-W01')).toEqual({ monday: '2025-12-29', sunday: '2026-01-04' });
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
  });
});

describe('local time and instants', () => {
  it('turns Stockholm wall-clock time into UTC and back, in winter and summer', () => {
    expect(localToInstant('2027-01-12', '14:00', 'Europe/Stockholm').toISOString()).toBe('2027-01-12T13:00:00.000Z');
    expect(localToInstant('2027-07-13', '14:00', 'Europe/Stockholm').toISOString()).toBe('2027-07-13T12:00:00.000Z');
    expect(instantToLocal(new Date('2027-03-28T12:00:00Z'), 'Europe/Stockholm')).toEqual({
      date: '2027-03-28',
      time: '14:00',
      weekday: 7,
    });
  });

  it('gives the local date, not the UTC date, late in the evening', () => {
    expect(instantToLocal(new Date('2027-06-01T22:30:00Z'), 'Europe/Stockholm').date).toBe('2027-06-02');
  });
});

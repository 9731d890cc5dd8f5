import { type DatedWindow, effectiveWindows } from '../../src/domain/availability';

const win = (
  weekday: number,
  start: string,
  end: string,
  validFrom: string | null = null,
  validTo: string | null = null,
): DatedWindow => ({
  weekday,
  start,
  end,
  validFrom,
  validTo,
});
const show = (ws: ReturnType<typeof effectiveWindows>) =>
  ws.map((w) => `${w.weekday} ${w.start}-${w.end} ${w.from ?? '…'}..${w.to ?? '…'}`);

describe(effectiveWindows.name, () => {
  it('keeps open-ended windows as they are', () => {
    expect(show(effectiveWindows([win(2, '14:00', '18:00'), win(4, '13:00', '17:00')]))).toEqual([
      '2 14:00-18:00 …..…',
      '4 13:00-17:00 …..…',
    ]);
  });

  it("lets a term's timetable replace the standing one for the term, and the standing one hold again after", () => {
    const ws = [win(2, '14:00', '18:00'), win(3, '15:00', '19:00', '2027-01-11', '2027-06-10')];
    expect(show(effectiveWindows(ws))).toEqual([
      '2 14:00-18:00 …..2027-01-10',
      '3 15:00-19:00 2027-01-11..2027-06-10',
      '2 14:00-18:00 2027-06-11..…',
    ]);
  });

  it('lets the later of two overlapping terms hold from its first day', () => {
    const ws = [
      win(1, '15:00', '18:00', '2026-08-17', '2027-01-31'),
      win(5, '13:00', '17:00', '2027-01-11', '2027-06-10'),
    ];
    expect(show(effectiveWindows(ws))).toEqual([
      '1 15:00-18:00 2026-08-17..2027-01-10',
      '5 13:00-17:00 2027-01-11..2027-06-10',
    ]);
  });

  it("ends every window on the contract's last day", () => {
    const ws = [win(2, '14:00', '18:00'), win(3, '15:00', '19:00', '2027-01-11', '2027-06-10')];
    expect(show(effectiveWindows(ws, '2027-03-31'))).toEqual([
      '2 14:00-18:00 …..2027-01-10',
      '3 15:00-19:00 2027-01-11..2027-03-31',
    ]);
    expect(effectiveWindows(ws, '2026-12-31').every((w) => !w.from || w.from <= '2026-12-31')).toBe(true);
  });

  it('gives nothing for no windows', () => {
    expect(effectiveWindows([])).toEqual([]);
  });
});

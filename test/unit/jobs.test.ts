import { DateTime } from 'luxon';
import cron from 'node-cron';
import { cronAt, RETENTION_SCHEDULE } from '../../src/jobs/schedule';

describe('the retention job', () => {
  it('runs at 03:15 Stockholm time, in winter and in summer', () => {
    const task = cron.createTask(RETENTION_SCHEDULE, () => undefined, { timezone: 'Europe/Stockholm' });
    const runs = task.getNextRuns(400).map((d) => d.toISOString());
    // 03:15 local is 02:15 UTC in winter and 01:15 UTC in summer.
    expect(runs.filter((r) => r.startsWith('2027-01-12'))).toEqual(['2027-01-12T02:15:00.000Z']);
    expect(runs.filter((r) => r.startsWith('2027-07-12'))).toEqual(['2027-07-12T01:15:00.000Z']);
    void task.destroy();
  });
});

describe('the mail jobs', () => {
  it('send the weekly schedule on Fridays at 16:00 Stockholm time, in winter and in summer', () => {
    const task = cron.createTask(cronAt('16:00', 5), () => undefined, { timezone: 'Europe/Stockholm' });
    // 60 weeks from whenever this runs: both clock changes are among them.
    const runs = task.getNextRuns(60).map((d) => DateTime.fromJSDate(d, { zone: 'Europe/Stockholm' }));
    expect(runs.every((r) => r.weekday === 5 && r.toFormat('HH:mm') === '16:00')).toBe(true);
    // 16:00 local is 15:00 UTC in winter and 14:00 UTC in summer: both occur.
    expect(new Set(runs.map((r) => r.toUTC().hour))).toEqual(new Set([14, 15]));
    void task.destroy();
  });

  it('turn a Sunday into cron weekday 0 and a daily time into every day', () => {
    expect(cronAt('07:05', 7)).toBe('5 7 * * 0');
    expect(cronAt('18:00')).toBe('0 18 * * *');
  });
});

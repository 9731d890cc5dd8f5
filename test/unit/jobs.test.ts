import cron from 'node-cron';
import { RETENTION_SCHEDULE } from '../../src/jobs/retention';

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

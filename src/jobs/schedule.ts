import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/logger';
import { runAs } from '../lib/context';
import type { JobName, JobService } from '../services/jobs.service';
import type { MailSchedule } from '../services/mail-schedule.service';
import type { OutboxService } from '../services/outbox.service';

/** Every night at 03:15: anonymise seniors past the retention period. */
export const RETENTION_SCHEDULE = '15 3 * * *';
/** A quarter past every hour, and at start: make up whatever a missed tick left undone. */
export const CATCH_UP_SCHEDULE = '15 * * * *';

/** A cron expression for a local time, every day or on one ISO weekday (7 = Sunday). */
export function cronAt(time: string, isoWeekday?: number): string {
  const [hour, minute] = time.split(':').map(Number);
  return `${minute} ${hour} * * ${isoWeekday === undefined ? '*' : isoWeekday % 7}`;
}

/**
 * The cron side of the jobs: each tick only asks JobService to run a job, which runs it once
 * per tick across every instance (a lease row) and is itself a "what is due now" call; so a
 * tick that fires on three instances, late, or again after a restart does no harm. Besides the
 * jobs, the outbox worker sends what is due every few seconds.
 */
export function scheduleJobs(deps: {
  jobs: JobService;
  outbox: OutboxService;
  schedule: MailSchedule;
  logger: Logger;
  pollSeconds: number;
}) {
  const { jobs, schedule, logger } = deps;
  const running = new Set<Promise<void>>();
  const run =
    (...names: JobName[]) =>
    () => {
      const work = runJobs(names, jobs.tickNow()).finally(() => running.delete(work));
      running.add(work);
      return work;
    };
  // The jobs of one firing share its tick, however long the first takes.
  const runJobs = async (names: JobName[], tick: Date) => {
    for (const job of names) {
      try {
        const outcome = await runAs({ type: 'system', id: null }, () => jobs.run(job, tick));
        if (outcome.ran) logger.info({ job, result: outcome.result }, 'job ran');
        else logger.debug({ job }, 'job tick already taken');
      } catch (err) {
        logger.error({ job, err: { message: (err as Error).message } }, 'job failed');
      }
    }
  };
  const at = (expression: string, name: string, fn: () => Promise<void>) =>
    cron.schedule(expression, fn, { timezone: schedule.zone, name, noOverlap: true });
  const tasks: ScheduledTask[] = [
    at(cronAt(schedule.weeklyTime, schedule.weeklyWeekday), 'weekly-schedule', run('weekly')),
    at(cronAt(schedule.digestTime), 'digest-and-reports', run('digest', 'reports')),
    at(CATCH_UP_SCHEDULE, 'catch-up', run('catch-up')),
    at(RETENTION_SCHEDULE, 'retention', run('retention')),
  ];
  if (schedule.reminderTime) tasks.push(at(cronAt(schedule.reminderTime), 'reminders', run('reminders')));
  void run('catch-up')();

  // The outbox worker: sends what is due, batch after batch, then waits for the next poll.
  let sending: Promise<void> | null = null;
  let stopped = false;
  const deliverAll = async () => {
    try {
      for (;;) {
        const { sent, failed } = await deps.outbox.deliverDue(100);
        if (sent || failed) logger.info({ job: 'outbox', sent, failed }, 'outbox delivered');
        if (sent + failed < 100 || stopped) break;
      }
    } catch (err) {
      logger.error({ job: 'outbox', err: { message: (err as Error).message } }, 'outbox delivery failed');
    }
  };
  const deliver = () => {
    if (sending || stopped) return sending;
    sending = deliverAll().finally(() => (sending = null));
    return sending;
  };
  const timer = setInterval(() => void deliver(), deps.pollSeconds * 1000);
  void deliver();
  return {
    /**
     * Stops the ticks, waits for jobs running (they release their leases) and for a batch being
     * sent, so every message that went out is marked sent.
     */
    async stop() {
      stopped = true;
      clearInterval(timer);
      // node-cron's stop() may or may not return a promise.
      await Promise.all(tasks.map((t) => Promise.resolve(t.stop())));
      await Promise.all([...running, sending ?? Promise.resolve()]);
    },
  };
}

import cron, { ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/logger';
import { runAs } from '../lib/context';
import type { MailSchedule, MailScheduleService } from '../services/mail-schedule.service';
import type { OutboxService } from '../services/outbox.service';

/** A cron expression for a local time, every day or on one ISO weekday (7 = Sunday). */
export function cronAt(time: string, isoWeekday?: number): string {
  const [hour, minute] = time.split(':').map(Number);
  return `${minute} ${hour} * * ${isoWeekday === undefined ? '*' : isoWeekday % 7}`;
}

/**
 * The mail jobs. Each tick only triggers a service method that answers "what is due now", so a
 * tick that runs twice or late does no harm. Besides the set times, the same methods run at
 * start and at a quarter past every hour: a tick missed while the service was down is made up,
 * and a reminder for a session assigned in the evening still goes out.
 */
export function scheduleMailJobs(deps: { schedule: MailSchedule; mail: MailScheduleService; outbox: OutboxService; logger: Logger; pollSeconds: number; now: () => Date }) {
  const { schedule, mail, logger } = deps;
  const run = (job: string, work: () => Promise<unknown>) => async () => {
    try {
      const result = await runAs({ type: 'system', id: null }, work);
      logger.info({ job, result }, 'mail job ran');
    } catch (err) {
      logger.error({ job, err: { message: (err as Error).message } }, 'mail job failed');
    }
  };
  const options = (name: string) => ({ timezone: schedule.zone, name, noOverlap: true });
  const tasks: ScheduledTask[] = [
    cron.schedule(cronAt(schedule.weeklyTime, schedule.weeklyWeekday), run('weekly', () => mail.weeklyDue(deps.now())), options('weekly-schedule')),
    cron.schedule(cronAt(schedule.digestTime), run('digest and reports', async () => ({ digests: await mail.digestDue(deps.now()), reports: await mail.reportsDue(deps.now()) })), options('digest')),
    cron.schedule('15 * * * *', run('catch-up', () => mail.runDue(deps.now())), options('mail-catch-up')),
  ];
  if (schedule.reminderTime) tasks.push(cron.schedule(cronAt(schedule.reminderTime), run('reminders', () => mail.remindersDue(deps.now())), options('reminders')));
  void run('catch-up at start', () => mail.runDue(deps.now()))();

  // The outbox worker: sends what is due, batch after batch, then waits for the next poll.
  let running: Promise<void> | null = null;
  let stopped = false;
  const deliver = () => {
    if (running || stopped) return running;
    running = deliverAll().finally(() => (running = null));
    return running;
  };
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
  const timer = setInterval(deliver, deps.pollSeconds * 1000);
  void deliver();
  return {
    /** Stops the ticks, and waits for a batch being sent, so every message that went out is marked sent. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(tasks.map((t) => t.stop()));
      await running;
    },
  };
}

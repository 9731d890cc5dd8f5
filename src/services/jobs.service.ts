import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EntityManager } from 'typeorm';
import { JobRun } from '../db/entities';
import { NotFoundError } from '../domain/errors';
import type { MailScheduleService } from './mail-schedule.service';
import type { PrivacyService } from './privacy.service';
import type { AuthService } from './auth.service';
import type { ServiceDeps } from './support';

/** How long a job may hold its tick before another instance may take over a later tick. */
const LEASE_MS = 15 * 60_000;

import { JOB_NAMES, type JobName } from '../domain/vocabulary';
import type { QueueService } from './queue.service';
export { JOB_NAMES, type JobName };
/** What the hourly and start-up catch-up runs: every job whose tick may have been missed. */
const CATCH_UP = ['weekly', 'reminders', 'digest', 'reports'] as const;

export interface JobOutcome {
  job: JobName;
  /** The tick: the minute the job fired for. */
  tick: Date;
  /** False when another instance (or an earlier run) already ran this tick. */
  ran: boolean;
  result?: unknown;
}

/**
 * The scheduled jobs, each a thin call of a "what is due at T" service method, run at most once
 * per tick across every instance: a lease row per job (portable SQL, the same on sqlite and
 * PostgreSQL) is moved forward by exactly one of them.
 */
export class JobService {
  /** This process, for the lease row: host and a random part. */
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly work: Record<Exclude<JobName, 'catch-up'>, (now: Date) => Promise<unknown>>;

  constructor(
    private readonly deps: ServiceDeps & {
      mail: MailScheduleService;
      privacy: PrivacyService;
      auth: AuthService;
      queue: QueueService;
    },
  ) {
    const { mail, privacy, auth, queue } = deps;
    this.work = {
      weekly: (now) => mail.weeklyDue(now),
      reminders: (now) => mail.remindersDue(now),
      digest: (now) => mail.digestDue(now),
      // The closed period's reports, and reminders of cafés still to report.
      reports: async (now) => (await mail.reportsDue(now)) + (await mail.reportRemindersDue(now)),
      // Seniors not seen for the retention period; walk-ins' first names once their café is over;
      // and counts of failed logins an hour old.
      retention: async () => {
        const anonymised = await privacy.anonymiseInactive();
        await queue.forgetFirstNames();
        await auth.forgetOldLoginFailures();
        return anonymised;
      },
    };
  }

  /** The minute now falls in, by the service's clock: the tick a cron firing now runs for. */
  tickNow(): Date {
    return new Date(Math.floor(this.deps.clock.now().getTime() / 60_000) * 60_000);
  }

  /**
   * Run a job for a tick (this minute's unless given), unless some instance already has.
   * `catch-up` runs the mail jobs one by one for the same tick, each through its own lease.
   */
  async run(job: JobName, tick = this.tickNow()): Promise<JobOutcome> {
    if (job === 'catch-up') {
      const parts: JobOutcome[] = [];
      for (const j of CATCH_UP) parts.push(await this.run(j, tick));
      return {
        job,
        tick,
        ran: parts.some((p) => p.ran),
        result: Object.fromEntries(parts.map((p) => [p.job, p.ran ? p.result : 'already run'])),
      };
    }
    if (!this.work[job]) throw new NotFoundError('job', job);
    const now = this.deps.clock.now();
    if (!(await this.acquire(job, tick, now))) return { job, tick, ran: false };
    let result: unknown;
    try {
      result = await this.work[job](now);
    } catch (err) {
      // The job's own error is what its caller hears; a lease not released runs out by itself.
      await this.release(job).catch(() => undefined);
      throw err;
    }
    await this.release(job);
    return { job, tick, ran: true, result };
  }

  /** The lease ends: in a transaction, as every write, so it takes its turn among the instance's writes (sqlite). */
  private release(job: JobName): Promise<unknown> {
    return this.deps.store.transaction((m) =>
      m.update(
        JobRun,
        { name: job, holder: this.instance },
        { holder: null, leaseUntil: null, finishedAt: this.deps.clock.now() },
      ),
    );
  }

  private acquire(job: JobName, tick: Date, now: Date): Promise<boolean> {
    return this.deps.store.transaction((m) => this.lease(m, job, tick, now));
  }

  /** This instance takes the job's lease for `tick`, unless that tick has run or another instance holds it. */
  private async lease(m: EntityManager, job: JobName, tick: Date, now: Date): Promise<boolean> {
    await m
      .createQueryBuilder()
      .insert()
      .into(JobRun)
      .values({ name: job, lastTick: null, holder: null, leaseUntil: null, finishedAt: null })
      .orIgnore()
      .execute();
    const result = await m
      .createQueryBuilder()
      .update(JobRun)
      .set({ lastTick: tick, holder: this.instance, leaseUntil: new Date(now.getTime() + LEASE_MS) })
      .where('name = :job', { job })
      .andWhere('(last_tick IS NULL OR last_tick < :tick)', { tick })
      .andWhere('(lease_until IS NULL OR lease_until < :now)', { now })
      .execute();
    return result.affected === 1;
  }
}

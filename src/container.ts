import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { type Config, publicUrl } from './config';
import { weekdayNumber, type WeekdayName } from './domain/time';
import { SmtpMailer } from './mail/mailer';
import { Store } from './db/store';
import { createPlanner, type Planner, type PlannerSettings, plannerSettings } from './lib/planner';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { type PasswordCost, PasswordHasher } from './lib/passwords';
import { LinkSigner } from './lib/tokens';
import { createServices, type ServiceSettings } from './services';
import { version } from '../package.json';

export interface ContainerSettings extends ServiceSettings {
  authSecret: string;
  /** Unset: no mail leaves; messages wait in the outbox. */
  smtpUrl?: string;
  trustProxy?: number;
  /** Lower only in tests, where a login should not take a third of a second. */
  passwordCost?: PasswordCost;
  /** Password hashes computed at once; the rest queue. */
  hashesAtOnce?: number;
  /** The planner's worker threads, queue and heap limit (PLANNER_*); left out, the defaults. */
  planner?: Partial<PlannerSettings>;
}

/** The composition root: the one place that wires concrete parts together. */
export function buildContainer(deps: {
  dataSource: DataSource;
  clock: Clock;
  logger: Logger;
  settings: ContainerSettings;
  checkResponses?: boolean;
  /** A planner to use (the tests share one among a file's apps); left out, one of its own. */
  planner?: Planner;
  /** The store to use (a test's second instance on one sqlite connection shares its writes' queue); left out, one of its own. */
  store?: Store;
}) {
  const store = deps.store ?? new Store(deps.dataSource);
  const mailer = deps.settings.smtpUrl ? new SmtpMailer(deps.settings.smtpUrl, deps.settings.mailFrom) : null;
  // Threads start at the first plan, so a process that never plans never starts one.
  const planner = deps.planner ?? createPlanner(plannerSettings(deps.settings.planner));
  const services = createServices({
    store,
    planner,
    clock: deps.clock,
    mailer,
    hasher: new PasswordHasher(deps.settings.passwordCost, deps.settings.hashesAtOnce),
    signer: new LinkSigner(deps.settings.authSecret),
    settings: deps.settings,
    // What failed after an answer was sent (a token's last use not stored): never the values.
    log: (message, err) =>
      deps.logger.warn({ err: { message: String((err as Error)?.message).slice(0, 200) } }, message),
  });
  const app = createApp({
    services,
    store,
    logger: deps.logger,
    version,
    publicUrl: deps.settings.publicUrl,
    now: () => deps.clock.now(),
    trustProxy: deps.settings.trustProxy,
    checkResponses: deps.checkResponses,
    checkDatabase: async () => {
      await deps.dataSource.query('SELECT 1');
      if (store.writable) return 'ok';
      // A write failed for want of storage: only a write that succeeds says it is back.
      return store.probe().then(
        () => 'ok' as const,
        () => 'not_writable' as const,
      );
    },
  });
  return { store, services, app, mailer, planner };
}

/** The container's settings from the checked configuration; `port`: the one bound, when PORT is 0. */
export const settingsFromConfig = (c: Config, port = c.PORT): ContainerSettings => ({
  authSecret: c.AUTH_SECRET,
  publicUrl: publicUrl(c, port),
  sessionHours: c.SESSION_HOURS,
  linkDays: c.GUIDE_LINK_DAYS,
  retentionMonths: c.RETENTION_MONTHS,
  loginMaxFailures: c.LOGIN_MAX_FAILURES,
  trustProxy: c.TRUST_PROXY,
  smtpUrl: c.SMTP_URL,
  mailFrom: c.MAIL_FROM,
  outboxLeaseMs: c.OUTBOX_LEASE_SECONDS * 1000,
  invitationHours: c.INVITATION_HOURS,
  hashesAtOnce: c.PASSWORD_HASHES_AT_ONCE,
  planner: {
    ...(c.PLANNER_THREADS === undefined ? {} : { threads: c.PLANNER_THREADS }),
    queue: c.PLANNER_QUEUE,
    memoryMb: c.PLANNER_MEMORY_MB,
  },
  workedMarginMinutes: c.WORKED_TIME_MARGIN_MINUTES,
  mailSchedule: {
    weeklyWeekday: weekdayNumber(c.WEEKLY_SCHEDULE_AT.slice(0, 3) as WeekdayName),
    weeklyTime: c.WEEKLY_SCHEDULE_AT.slice(4),
    reminderTime: c.REMINDER_TIME === 'off' ? null : c.REMINDER_TIME,
    digestTime: c.DIGEST_TIME,
    zone: c.TIME_ZONE,
  },
});

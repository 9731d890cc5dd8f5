import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { isValidZone } from './domain/time';
import { passwordProblem } from './lib/password-policy';

/**
 * The installation: the nearest folder above this file with a package.json, from src/ and
 * dist/src/ alike. The build copies package.json into dist/ (the version is read from it), so
 * dist/ itself is passed over.
 */
export function installationDir(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir))
    if (basename(dir) !== 'dist' && existsSync(join(dir, 'package.json'))) return dir;
  return process.cwd();
}

export const INSTALLATION_DIR = installationDir(__dirname);

/** The database file beside the code, not wherever the service happens to be started. */
export const DEFAULT_SQLITE_PATH = join(INSTALLATION_DIR, 'data', 'bryggan.sqlite');

/**
 * Configuration from the environment, checked once at start. Every bad key is named in
 * one error, and every key has a default that works on a laptop.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Embedded database file, used unless DATABASE_URL is set. */
  /** Left out: data/bryggan.sqlite in the installation, wherever the service is started from. */
  SQLITE_PATH: z
    .string()
    .min(1)
    .default(DEFAULT_SQLITE_PATH)
    .transform((p) => (p === ':memory:' ? p : resolve(p))),
  /** postgres://user:pass@host:5432/db switches to PostgreSQL. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  TIME_ZONE: z.string().refine(isValidZone, 'must be an IANA time zone').default('Europe/Stockholm'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs guides' links. Set a long random value in production; the default is for a laptop only. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').default('bryggan-development-secret-change-me-000'),
  /** Where links in e-mails point, e.g. https://bryggan.kommun.se. Unset: the address the service listens on. */
  PUBLIC_URL: z.url().optional(),
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  GUIDE_LINK_DAYS: z.coerce.number().int().min(1).max(366).default(90),
  /** Seniors not seen for this many months are anonymised by a daily job. */
  RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(24),
  /** How long an invitation's link works. */
  INVITATION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(72),
  /** A worked time (the basis of pay) may start this long before the café and end this long after it. */
  WORKED_TIME_MARGIN_MINUTES: z.coerce.number().int().min(0).max(600).default(60),
  /** Login failures allowed per account and per address in 15 minutes. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** With ADMIN_PASSWORD: creates this admin on start if there is no user yet. */
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Proxies in front of the service that set X-Forwarded-For (0 = none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Password hashes computed at once (128 MiB each); more logins wait their turn. */
  PASSWORD_HASHES_AT_ONCE: z.coerce.number().int().min(1).max(16).default(1),
  /** Worker threads that plan at once; left out, one fewer than the CPUs (at least one). 0 plans on the main thread: only the bench sets it, to measure the stall. */
  PLANNER_THREADS: z.coerce.number().int().min(0).max(64).optional(),
  /** Plans that may wait for a planner thread; one more is answered 503 planner_busy. */
  PLANNER_QUEUE: z.coerce.number().int().min(0).max(100).default(4),
  /** Heap limit of each planner thread, in MiB: a plan that needs more fails alone (503 planner_failed). */
  PLANNER_MEMORY_MB: z.coerce.number().int().min(64).max(16_384).default(1024),
  /** Where e-mail goes, e.g. smtp://user:pass@smtp.example.org:587. Unset: messages wait in the outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  /** The sender address; the name shown is the guide's association. */
  MAIL_FROM: z.email().default('bryggan@localhost'),
  /** When guides get the coming week's schedule: a weekday and local time. */
  WEEKLY_SCHEDULE_AT: z
    .string()
    .regex(/^(mon|tue|wed|thu|fri|sat|sun) ([01]\d|2[0-3]):[0-5]\d$/, 'must be a weekday and time, e.g. "fri 16:00"')
    .default('fri 16:00'),
  /** Local time of the reminder the day before a session, or "off". */
  REMINDER_TIME: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'must be HH:mm or off')
    .default('18:00'),
  /** Local time of the coordinators' daily digest. */
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm')
    .default('07:00'),
  /** How often the outbox worker looks for mail to send. */
  OUTBOX_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  /** Seconds a worker holds the messages it is sending; another instance takes over after that. */
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  /** For trials and tests only: the service's clock starts at this instant and runs on from there. Refused in production. */
  CLOCK_START: z.iso.datetime({ offset: true }).optional(),
  MIGRATIONS_RUN: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Config = z.output<typeof schema>;

const DEV_SECRET = 'bryggan-development-secret-change-me-000';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.CLOCK_START) {
    throw new ConfigError('Invalid configuration: CLOCK_START: not in production');
  }
  if (parsed.data.NODE_ENV === 'production' && parsed.data.AUTH_SECRET === DEV_SECRET) {
    throw new ConfigError('Invalid configuration: AUTH_SECRET: set a secret of your own in production');
  }
  const adminPassword = parsed.data.ADMIN_PASSWORD;
  const weak = adminPassword && passwordProblem(adminPassword, parsed.data.ADMIN_EMAIL ?? '');
  if (weak) {
    throw new ConfigError(
      `Invalid configuration: ADMIN_PASSWORD: ${weak === 'common' ? 'too easy to guess; use three or four words' : weak === 'repeated' ? 'one character repeated' : 'at least 12 characters'}`,
    );
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.PUBLIC_URL) {
    throw new ConfigError(
      'Invalid configuration: PUBLIC_URL: set the address people reach Bryggan at, e.g. https://bryggan.kommun.se (links in e-mails point there)',
    );
  }
  return parsed.data;
}

/**
 * Where links in e-mails point: PUBLIC_URL, or else the address the service listens on, as a
 * browser on this machine reaches it (the port as bound, so PORT=0 gives the real one).
 */
export function publicUrl(config: Pick<Config, 'PUBLIC_URL' | 'HOST'>, port: number): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  const host = ['0.0.0.0', '::', ''].includes(config.HOST)
    ? '127.0.0.1'
    : config.HOST.includes(':')
      ? `[${config.HOST}]`
      : config.HOST;
  return `http://${host}:${port}`;
}

import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { Store } from './db/store';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { PasswordCost, PasswordHasher } from './lib/passwords';
import { LinkSigner } from './lib/tokens';
import { createServices, ServiceSettings } from './services';
import { version } from '../package.json';

export interface ContainerSettings extends ServiceSettings {
  authSecret: string;
  publicUrl: string;
  trustProxy?: number;
  /** Lower only in tests, where a login should not take a third of a second. */
  passwordCost?: PasswordCost;
}

/** The composition root: the one place that wires concrete parts together. */
export function buildContainer(deps: { dataSource: DataSource; clock: Clock; logger: Logger; settings: ContainerSettings; checkResponses?: boolean }) {
  const store = new Store(deps.dataSource);
  const services = createServices({
    store,
    clock: deps.clock,
    hasher: new PasswordHasher(deps.settings.passwordCost),
    signer: new LinkSigner(deps.settings.authSecret),
    settings: deps.settings,
  });
  const app = createApp({
    services,
    store,
    logger: deps.logger,
    version,
    publicUrl: deps.settings.publicUrl,
    trustProxy: deps.settings.trustProxy,
    checkResponses: deps.checkResponses,
    checkDatabase: async () => {
      await deps.dataSource.query('SELECT 1');
    },
  });
  return { store, services, app };
}

/** The container's settings from the checked configuration. */
export const settingsFromConfig = (c: {
  AUTH_SECRET: string; PUBLIC_URL: string; SESSION_HOURS: number; GUIDE_LINK_DAYS: number; RETENTION_MONTHS: number; LOGIN_MAX_FAILURES: number; TRUST_PROXY: number;
}): ContainerSettings => ({
  authSecret: c.AUTH_SECRET,
  publicUrl: c.PUBLIC_URL.replace(/\/$/, ''),
  sessionHours: c.SESSION_HOURS,
  linkDays: c.GUIDE_LINK_DAYS,
  retentionMonths: c.RETENTION_MONTHS,
  loginMaxFailures: c.LOGIN_MAX_FAILURES,
  trustProxy: c.TRUST_PROXY,
});

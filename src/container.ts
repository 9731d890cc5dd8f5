import type { DataSource } from 'typeorm';
import { createApp } from './app';
import { Store } from './db/store';
import type { Clock } from './lib/clock';
import type { Logger } from './lib/logger';
import { createServices } from './services';

import { version } from '../package.json';

/** The composition root: the one place that wires concrete parts together. */
export function buildContainer(deps: { dataSource: DataSource; clock: Clock; logger: Logger; checkResponses?: boolean }) {
  const store = new Store(deps.dataSource);
  const services = createServices({ store, clock: deps.clock });
  const app = createApp({
    services,
    logger: deps.logger,
    version,
    checkResponses: deps.checkResponses,
    checkDatabase: async () => {
      await deps.dataSource.query('SELECT 1');
    },
  });
  return { store, services, app };
}

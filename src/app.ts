import express, { Express } from 'express';
import helmet from 'helmet';
import { buildOpenApi } from './http/openapi';
import { errorHandler, notFoundRoute } from './http/middleware/errors';
import { mount } from './http/route';
import { apiRoutes } from './http/routes';
import type { Logger } from './lib/logger';
import type { Services } from './services';

export interface AppDeps {
  services: Services;
  logger: Logger;
  /** Answers whether the database is reachable, for /health. */
  checkDatabase: () => Promise<void>;
  version: string;
  /** Check every answer against its response schema (tests). */
  checkResponses?: boolean;
}

/** The express app without listen(), so supertest can load it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', async (_req, res) => {
    try {
      await deps.checkDatabase();
      res.json({ status: 'ok', database: 'ok', version: deps.version });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable', version: deps.version });
    }
  });

  const routes = apiRoutes(deps.services);
  const openapi = buildOpenApi(routes, { title: 'Bryggan API', version: deps.version });
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/api/v1', mount(express.Router(), routes, { checkResponses: deps.checkResponses }));

  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}

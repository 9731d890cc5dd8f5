import { createHash } from 'node:crypto';
import express, { type Express } from 'express';
import { REPORT_CSS } from './reports/output';
import { buildOpenApi } from './http/openapi';
import { errorHandler, notFoundRoute } from './http/middleware/errors';
import { securityHeaders } from './http/middleware/security';
import { ANSWER_CSS, answerPages } from './http/pages/answers';
import { webPages } from './http/pages/web';
import { mount } from './http/route';
import { apiRoutes } from './http/routes';
import type { Logger } from './lib/logger';
import type { Services } from './services';
import { ownersOf } from './services/ownership';
import type { Store } from './db/store';

export interface AppDeps {
  services: Services;
  store: Store;
  logger: Logger;
  /** For /health: whether the database answers (else it throws) and stores writes. */
  checkDatabase: () => Promise<'ok' | 'not_writable'>;
  version: string;
  publicUrl: string;
  /** The clock's time (previews date their made-up sessions from it). */
  now: () => Date;
  /** How many proxies in front of us set X-Forwarded-For (for the login limiter's addresses). */
  trustProxy?: number;
  /** Check every answer against its response schema (tests). */
  checkResponses?: boolean;
}

const styleHash = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/** The express app without listen(), so supertest can load it. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', deps.trustProxy ?? 0);
  // No inline styles but the two pages' own sheets, by their hashes; no-store for anything that
  // may carry a person's data (shared library computers keep no copy).
  app.use(
    securityHeaders({
      contentSecurityPolicy: { directives: { styleSrc: ["'self'", ...[ANSWER_CSS, REPORT_CSS].map(styleHash)] } },
    }),
  );
  app.use(express.json({ limit: '100kb' }));

  app.get('/health', async (_req, res) => {
    try {
      const database = await deps.checkDatabase();
      res
        .status(database === 'ok' ? 200 : 503)
        .json({ status: database === 'ok' ? 'ok' : 'unavailable', database, version: deps.version });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable', version: deps.version });
    }
  });

  const routes = apiRoutes(deps.services, deps.publicUrl, deps.now);
  // Built at its first request, not at start: it is most of a cold start's work and rarely asked for.
  let openapi: Record<string, unknown> | undefined;
  app.get('/api/v1/openapi.json', (_req, res) => {
    openapi ??= buildOpenApi(routes, { title: 'Bryggan API', version: deps.version });
    res.json(openapi);
  });
  const gate = {
    authenticate: (token: string) => deps.services.auth.authenticate(token),
    ownersOf: (refs: Parameters<typeof ownersOf>[1]) => ownersOf(deps.store.manager, refs),
  };
  app.use('/api/v1', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use('/api/v1', mount(express.Router(), routes, gate, { checkResponses: deps.checkResponses }));

  // Guides' answer pages and calendar feeds: HTML and iCalendar, not JSON, and outside the API.
  app.use(answerPages(deps.services));
  app.use(webPages());
  app.use(notFoundRoute);
  app.use(errorHandler(deps.logger));
  return app;
}

import { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { DomainError, RateLimitedError, UnauthenticatedError } from '../../domain/errors';
import type { Logger } from '../../lib/logger';
import { readableStack } from '../../lib/stack';

export const STATUS: Record<DomainError['kind'], number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const body = (code: string, message: string, details: { field: string; issue: string }[] = []) => ({
  error: { code, message, details },
});

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).json(body('route_not_found', `No route ${req.method} ${req.path}`));
};

/**
 * The route a request matched, as written (`/api/v1/contracts/:id/reports/:period`), never its
 * values: as `mount` noted it (the API's routes sit in a router per first segment, whose base is
 * gone by the time an error reaches here), else the matched route's own path.
 */
function routeOf(req: Request, res: Response): string | undefined {
  const noted: unknown = res.locals.route;
  return typeof noted === 'string' ? noted : (req.route as { path?: string } | undefined)?.path;
}

/** The one place where errors become HTTP. Anything unknown is a 500 with no internals in the body. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    // What body-parser's errors and any other thrown value may carry; all optional.
    const e = (err ?? {}) as { type?: string; name?: string; message?: unknown; stack?: string };
    if (err instanceof RateLimitedError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    if (err instanceof UnauthenticatedError) res.setHeader('WWW-Authenticate', 'Bearer');
    if (err instanceof DomainError && err.kind === 'unavailable')
      res.setHeader('Retry-After', String((err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 30));
    if (err instanceof DomainError && err.kind === 'unavailable') {
      // The operator's clue to a full disk or a lost database: the driver's code, never the query's values.
      const cause = (err.cause ?? {}) as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
      logger.error(
        {
          code: cause.driverError?.code ?? cause.code,
          message: String(cause.message).slice(0, 200),
          method: req.method,
          route: routeOf(req, res),
        },
        'the database refused a write',
      );
    }
    if (err instanceof DomainError) {
      res.status(STATUS[err.kind]).json(body(err.code, err.message, err.details));
      return;
    }
    // body-parser's errors carry a `type` and a client status.
    if (e.type === 'entity.too.large') {
      res.status(413).json(body('payload_too_large', 'The request body is too large'));
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res
        .status(400)
        .json(body('invalid_json', 'The request body is not valid JSON', [{ field: 'body', issue: 'not valid JSON' }]));
      return;
    }
    if (err instanceof URIError) {
      res
        .status(400)
        .json(
          body('validation_failed', 'The path is not validly encoded', [
            { field: 'params', issue: 'bad percent-encoding' },
          ]),
        );
      return;
    }
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      res.status(415).json(body('unsupported_media_type', 'Send JSON in UTF-8'));
      return;
    }
    // Log what went wrong without the request's data: SQL parameters could hold personal data.
    logger.error(
      {
        err: { type: e.name, message: String(e.message).slice(0, 500), stack: readableStack(e.stack) },
        method: req.method,
        route: routeOf(req, res),
      },
      'unhandled error',
    );
    // An answer sent in slices (InSlices) that failed half-way was cut short: no other can follow.
    if (res.headersSent) return;
    res.status(500).json(body('internal_error', 'Something went wrong on our side'));
  };
}

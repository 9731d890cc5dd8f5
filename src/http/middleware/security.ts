import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers, worked out once at start. With no directive that depends on the
 * request (none of ours does), they are the same on every answer: each answer gets them in one
 * step instead of helmet's dozen middleware calls, a share of every request's CPU (issue 20).
 * helmet stays the source of the headers and of their defaults.
 */
export function securityHeaders(options: HelmetOptions): RequestHandler {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  const dynamic = (v: unknown) =>
    typeof v === 'function' ||
    (typeof v === 'object' && v !== null && Symbol.iterator in v && [...(v as Iterable<unknown>)].some(dynamic));
  if (directives.some(dynamic))
    throw new Error('A policy directive that depends on the request cannot be worked out once at start');
  const set: [string, number | string | readonly string[]][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: number | string | readonly string[]) => void set.push([name, value]),
    removeHeader: (name: string) => void removed.push(name),
    getHeader: () => undefined,
  };
  let finished = false;
  helmet(options)({} as never, recorder as never, (err?: unknown) => {
    if (err) throw err instanceof Error ? err : new Error('helmet refused its options');
    finished = true;
  });
  if (!finished) throw new Error('helmet did not set its headers at once: they cannot be worked out at start');
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}

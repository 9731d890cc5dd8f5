import express, { type RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { securityHeaders } from '../../src/http/middleware/security';

/** The headers worked out once at start are helmet's own, answer for answer. */
describe('securityHeaders', () => {
  const headersOf = async (middleware: RequestHandler) => {
    const app = express();
    app.use(middleware);
    app.get('/', (_req, res) => void res.json({ ok: true }));
    const res = await request(app).get('/').expect(200);
    const { date: _date, etag: _etag, connection: _connection, 'keep-alive': _keepAlive, ...rest } = res.headers;
    return rest;
  };

  it.each<[string, HelmetOptions]>([
    ['the defaults', {}],
    ["the service's policy", { contentSecurityPolicy: { directives: { styleSrc: ["'self'", "'sha256-abc='"] } } }],
    ['some turned off', { hsts: false, frameguard: { action: 'deny' }, referrerPolicy: { policy: 'no-referrer' } }],
  ])('sets what helmet sets, with %s', async (_name, options) => {
    const ours = await headersOf(securityHeaders(options));
    expect(ours).toEqual(await headersOf(helmet(options)));
    expect(ours['x-powered-by']).toBeUndefined();
    expect(Object.keys(ours).length).toBeGreaterThan(8);
  });

  it('refuses a policy that depends on the request, which cannot be worked out once', () => {
    expect(() =>
      securityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } }),
    ).toThrow();
    // helmet takes any iterable of values, a Set too.
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: new Set(["'self'", () => "'nonce-x'"]) as never } },
      }),
    ).toThrow();
  });
});

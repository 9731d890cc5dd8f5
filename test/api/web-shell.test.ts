import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { webAssetsDir } from '../../src/http/pages/web';
import { createTestApp, type TestApp } from '../support/app';
import { ensureWebBuilt } from '../support/browser';

/** The web pages' shell and assets, as the service serves them (the pages themselves are tested in test/browser). */
describe('The web pages, served by the service', () => {
  let t: TestApp;
  beforeAll(async () => {
    ensureWebBuilt();
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    '/',
    '/logga-in',
    '/vecka',
    '/vecka/2026-W49',
    '/termin',
    '/personal',
    '/personal/seniorer',
    '/personal/importera',
    '/personal/guide/abc',
    '/personal/senior/abc',
    '/rapporter',
    '/mejl',
    '/efter-cafeet/abc',
    '/ko/abc',
    '/min-sida',
    '/min-sida/rapport/abc',
    '/min-sida/ko/abc',
    '/lokaler',
    '/kafeer',
    '/konto',
    '/kom-igang',
    '/organisationer',
    '/anvandare',
    '/losenord',
    '/glomt-losenord',
  ])(
    'serves the app at %s: one HTML page that loads its own script and styles, under a strict content policy',
    async (path) => {
      const res = await request(t.app)
        .get(path)
        .expect(200)
        .expect('Content-Type', /text\/html/);
      expect(res.text).toContain('<script type="module" src="/assets/main.js"></script>');
      expect(res.text).toContain('<html lang="sv">');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toMatch(/style-src 'self' 'sha256-[^;]*;/);
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['cache-control']).toBe('no-cache');
    },
  );

  it('tells browsers to keep no copy of any API answer (shared library computers), refusals included', async () => {
    const seniors = await t.http().get('/api/v1/seniors').expect(200);
    expect(seniors.headers['cache-control']).toBe('no-store');
    const refused = await request(t.app).get('/api/v1/seniors').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('serves the built script and styles, and answers a missing asset or an unknown page with 404', async () => {
    await request(t.app)
      .get('/assets/main.js')
      .expect(200)
      .expect('Content-Type', /javascript/);
    await request(t.app)
      .get('/assets/main.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
    const missing = await request(t.app).get('/assets/nope.js').expect(404);
    expect(missing.body.error.code).toBe('route_not_found');
    await request(t.app).get('/no-such-page').expect(404);
    // The API's own unknown routes stay JSON 404s, not the app's page.
    expect((await request(t.app).get('/api/v1/no-such-route').expect(404)).body.error.code).toBe('route_not_found');
  });

  it("keeps the API's validation library (zod) out of every script the pages load: the pages use its schemas as types only", () => {
    const dir = webAssetsDir();
    const scripts = [
      'main.js',
      ...readdirSync(join(dir, 'chunks'))
        .filter((f) => f.endsWith('.js'))
        .map((f) => join('chunks', f)),
    ];
    expect(scripts.length).toBeGreaterThan(5);
    const carrying = scripts.filter((f) => readFileSync(join(dir, f), 'utf8').includes('ZodError'));
    expect(carrying).toEqual([]);
  });
});

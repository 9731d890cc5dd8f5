import type { AddressInfo } from 'node:net';
import express from 'express';
import { appServer } from '../../src/http/server';

/**
 * The service's HTTP server (src/http/server.ts) makes each request and answer with express's
 * prototype already, so express's own `Object.setPrototypeOf` on every request changes nothing
 * (a changed prototype made every object of a request outlive the young generation); until the
 * app is served, the starting handler answers.
 */
describe('appServer', () => {
  const servers: { close(): void }[] = [];
  afterAll(() => servers.forEach((s) => s.close()));

  async function started(whileStarting?: Parameters<typeof appServer>[0]) {
    const { server, serve } = appServer(whileStarting);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, serve, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  it('answers with the starting handler until the app is served, then with the app', async () => {
    const { serve, url } = await started((_req, res) => res.writeHead(503, { 'Retry-After': '1' }).end());
    const before = await fetch(`${url}/x`);
    expect([before.status, before.headers.get('retry-after')]).toEqual([503, '1']);

    serve(express().get('/x', (req, res) => res.status(201).json({ host: req.get('host'), app: req.app === res.app })));
    const after = await fetch(`${url}/x`);
    expect(after.status).toBe(201);
    expect(await after.json()).toEqual({ host: new URL(url).host, app: true });
  });

  it("makes requests and answers with express's prototypes, so express changes none", async () => {
    const { server, serve, url } = await started();
    const app = express();
    // The app's own request and answer methods still work through the prototypes.
    app.get('/x', (req, res) => {
      res.type('json').send(JSON.stringify({ ip: req.ip, path: req.path, query: req.query }));
    });
    serve(app);
    // Before express's handler, as the server made them.
    const made: boolean[] = [];
    server.prependListener('request', (req, res) =>
      made.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response),
    );
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/x?a=${i}`);
      expect(await res.json()).toEqual({ ip: '127.0.0.1', path: '/x', query: { a: String(i) } });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect(made).toEqual([true, true, true]);
  });

  it('serves one app once, by one server', async () => {
    const app = express();
    const first = await started();
    first.serve(app);
    expect(() => first.serve(express())).toThrow('served once');
    const second = await started();
    expect(() => second.serve(app)).toThrow('another server');
  });
});

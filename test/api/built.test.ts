import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { buildGuide, buildSeries, createWorld } from '../factories';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

const ROOT = join(__dirname, '..', '..');

/**
 * The built service as `npm start`, the systemd unit and the benches run it: dist/src/main.js
 * starts the bundle dist/src/server.js with the V8 code cache the build made for it
 * (scripts/build-server.mjs). The other tests run the TypeScript sources; this one builds first
 * when the code changed since the last build, as `npm start` does (scripts/build-if-stale.mjs).
 */
describe('The built service (dist/src/main.js)', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let service: ChildProcess;
  let base: string;
  let log = '';
  let coordinator: { email: string; municipalityId: string };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 600_000, // the hook waits as long (below)
    });
    if (build.status !== 0) throw new Error(`the build failed: ${build.stdout}${build.stderr}`.slice(-3000));
    expect(existsSync(join(ROOT, 'dist/src/server.js.cache'))).toBe(true);

    t = await createTestApp('2026-11-24T09:00:00Z');
    const world = await createWorld(t.services);
    const municipalityId = world.municipality.id;
    await t.services.series.create(buildSeries(world.venue.id, { firstDate: '2026-12-01', lastDate: '2026-12-15' }));
    for (const platform of ['ios', 'android'] as const)
      await t.services.guides.create(
        buildGuide(world.association.id, municipalityId, { platforms: [{ platform, level: 'good' }] }),
      );
    const email = `built-${Date.now()}@example.org`;
    await t.services.auth.createUser({
      email,
      password: PASSWORD,
      role: 'coordinator',
      organisationId: municipalityId,
    });
    coordinator = { email, municipalityId };

    service = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
        TZ: 'UTC',
        NODE_ENV: 'development',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        AUTH_SECRET: t.settings.authSecret,
        CLOCK_START: '2026-11-24T09:00:00Z',
        ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : { SQLITE_PATH: t.dataSource.options.database as string }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start in 60 s: ${log.slice(-2000)}`)), 60_000);
      const read = (chunk: Buffer) => {
        log += chunk.toString();
        const m = log.match(/Bryggan listens on (http:\/\/127\.0\.0\.1:\d+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      service.stdout!.on('data', read);
      service.stderr!.on('data', read);
      service.once('exit', () => reject(new Error(`it stopped: ${log.slice(-2000)}`)));
    });
  }, 660_000);
  afterAll(async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGKILL');
      await new Promise((r) => service.once('exit', r));
    }
    await t?.close();
  });

  it('starts with the code cache the build made, and answers /health with the database ready', async () => {
    expect(log).toMatch(/started from the code cache/);
    expect(log).not.toMatch(/turned down the code cache/);
    const health = await request(base).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('serves the pages with their script, and the API document', async () => {
    const page = await request(base)
      .get('/vecka')
      .expect(200)
      .expect('Content-Type', /text\/html/);
    const script = /<script type="module" src="([^"]+)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    await request(base)
      .get(script!)
      .expect(200)
      .expect('Content-Type', /javascript/);
    const api = await request(base).get('/api/v1/openapi.json').expect(200);
    expect(api.body.openapi).toMatch(/^3\./);
  });

  it('logs a coordinator in, plans in its worker thread, and attaches calendars with their time zone', async () => {
    const login = await request(base)
      .post('/api/v1/auth/login')
      .send({ email: coordinator.email, password: PASSWORD })
      .expect(200);
    const auth = `Bearer ${login.body.token}`;
    const plan = await request(base)
      .post(`/api/v1/municipalities/${coordinator.municipalityId}/plans`)
      .set('Authorization', auth)
      // Far above the milliseconds of work: the planner's thread may wait while other test files run.
      .send({ from: '2026-11-30', to: '2026-12-13', timeLimitMs: 10_000 })
      .expect(201);
    // Two cafés (1 and 8 December), two guides each: the engine ran in dist/src/lib/planner.worker.js.
    expect(plan.body.assignments).toHaveLength(4);
    // The calendar attachment's time zone comes from files beside @touch4it/ical-timezones.
    const preview = await request(base).get('/api/v1/mail/previews/weekly').set('Authorization', auth).expect(200);
    expect(JSON.stringify(preview.body.attachments)).toContain('BEGIN:VTIMEZONE');
  });

  it('stops on SIGTERM, and says so', async () => {
    const stopped = new Promise<number | null>((r) => service.once('exit', (code) => r(code)));
    service.kill('SIGTERM');
    expect(await stopped).toBe(0);
    expect(log).toMatch(/"msg":"stopped"/);
  });
});

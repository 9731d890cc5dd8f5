import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { buildContainer, type ContainerSettings, settingsFromConfig } from '../../src/container';
import type { Role } from '../../src/domain/access';
import { openDatabase } from '../../src/db/data-source';
import { FixedClock } from '../../src/lib/clock';
import { createPlanner, type Planner, plannerSettings } from '../../src/lib/planner';
import { createLogger } from '../../src/lib/logger';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * One planner for a test file's apps, as one service has one: its worker compiles the engine once
 * and stays warm. Idle, its threads do not keep jest from exiting. An app given planner settings
 * of its own gets its own pool, ended with the app.
 */
let sharedPlanner: Planner | undefined;

export const PASSWORD = 'correct horse battery staple';
/** scrypt at a test's cost: the format and the code path are the production ones, the memory is not. */
export const TEST_PASSWORD_COST = { N: 2 ** 10, r: 8, p: 1 };

/**
 * The real app on a real database built by the migrations, with a fixed clock. Each call gets
 * its own sqlite file, or, when DATABASE_URL names a PostgreSQL server, its own database there;
 * so test files run in parallel without sharing state.
 */
export async function createTestApp(now = '2026-11-24T09:00:00Z', extra: Partial<ContainerSettings> = {}) {
  const db = await freshDatabase();
  const dataSource: DataSource = await openDatabase(db.settings);
  const clock = new FixedClock(new Date(now));
  const logger = createLogger('silent');
  const settings = { ...settingsFromConfig(loadConfig({})), passwordCost: TEST_PASSWORD_COST, ...extra };
  const own = extra.planner !== undefined;
  const { app, services, store, mailer, planner } = buildContainer({
    planner: own ? undefined : (sharedPlanner ??= createPlanner(plannerSettings(settings.planner))),
    dataSource,
    clock,
    logger,
    settings,
    checkResponses: true,
  });

  /** A user of a role (of an organisation) and a bearer token for them. */
  // API tokens, which do not expire: tests move the clock by weeks. Logins are tested on their own.
  const tokenFor = async (role: Role, organisationId: string | null = null) => {
    const email = `${role}-${randomBytes(4).toString('hex')}@example.org`;
    const user = await services.auth.createUser({ email, password: PASSWORD, role, organisationId });
    return (await services.auth.createApiToken(user.id, 'tests')).token;
  };
  const adminToken = await tokenFor('admin');
  /** Real HTTP as a user; an admin unless told otherwise. */
  const http = (token = adminToken) => request.agent(app).set('Authorization', `Bearer ${token}`);

  return {
    app,
    services,
    store,
    clock,
    dataSource,
    planner,
    http,
    tokenFor,
    adminToken,
    settings,
    /** The PostgreSQL database of this app, for other processes to share; undefined on sqlite. */
    databaseUrl: db.settings.databaseUrl,
    async close() {
      mailer?.close();
      // An app's own planner's worker threads end here (the shared one's idle threads let jest exit).
      if (own) await planner.close();
      // The tokens' last uses noted by the test's requests are stored before the database closes.
      await services.auth.settled();
      await store.close();
      await dataSource.destroy();
      await db.drop();
    },
  };
}

async function freshDatabase() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'bryggan-test-'));
    return {
      settings: { sqlitePath: join(dir, 'test.sqlite') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `bryggan_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    settings: { sqlitePath: ':memory:', databaseUrl: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

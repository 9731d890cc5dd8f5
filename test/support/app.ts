import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
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
    copyFileSync(await (migrated ??= migratedFile()), join(dir, 'test.sqlite'));
    return {
      settings: { sqlitePath: join(dir, 'test.sqlite') },
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const name = `bryggan_test_${randomBytes(6).toString('hex')}`;
  const template = await (migrated ??= migratedTemplate(serverUrl));
  await onServer(serverUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    settings: { sqlitePath: ':memory:', databaseUrl: databaseOn(serverUrl, name) },
    drop: () => onServer(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** The migrated template of this test file's databases: a sqlite file, or a PostgreSQL database. */
let migrated: Promise<string> | undefined;

/**
 * A digest of what builds the schema (the migrations, the database's settings and naming, and
 * the installed packages' versions): a template built otherwise is not used.
 */
function migrationsDigest(): string {
  const digest = createHash('sha1').update(readFileSync(join(__dirname, '../../package-lock.json')));
  const db = join(__dirname, '../../src/db');
  const files = [
    ...readdirSync(join(db, 'migrations'))
      .sort()
      .map((f) => join('migrations', f)),
    'data-source.ts',
    'naming.ts',
  ];
  for (const file of files) digest.update(file).update(readFileSync(join(db, file)));
  return digest.digest('hex').slice(0, 12);
}

/**
 * On sqlite, the migrations run once into a file that each app's database is a copy of: the same
 * file the migrations build, without their tenth of a second for each of the suite's hundreds of
 * apps. It is built under another name and renamed when whole, so test processes that build it at
 * once each find a whole one.
 */
async function migratedFile(): Promise<string> {
  const file = join(tmpdir(), `bryggan-test-template-${migrationsDigest()}.sqlite`);
  if (existsSync(file)) return file;
  const building = `${file}.${randomBytes(4).toString('hex')}`;
  const dataSource = await openDatabase({ sqlitePath: building });
  await dataSource.destroy();
  // Closed, the file holds everything: sqlite copied its write-ahead log back and removed it.
  if (existsSync(`${building}-wal`)) throw new Error(`${building}-wal is still there after the close`);
  renameSync(building, file);
  return file;
}

/**
 * On PostgreSQL, the migrations run once into a template database, and each app's database is a
 * copy of it (CREATE DATABASE … TEMPLATE): the same schema, built by the same migrations, without
 * half a second of migrating for each of the suite's hundreds of apps. It is built under another
 * name and renamed when done, under a lock that the test processes running at once share: a
 * template that exists is whole.
 */
async function migratedTemplate(serverUrl: string): Promise<string> {
  const name = `bryggan_template_${migrationsDigest()}`;
  await onServer(serverUrl, async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return;
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await c.query(`CREATE DATABASE ${building}`);
      const dataSource = await openDatabase({ sqlitePath: ':memory:', databaseUrl: databaseOn(serverUrl, building) });
      await dataSource.destroy();
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/** Runs `work` on a connection to the server's own database (to create and drop others). */
async function onServer<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function databaseOn(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

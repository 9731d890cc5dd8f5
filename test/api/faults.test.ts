import Database from 'better-sqlite3';
import { Client } from 'pg';
import { Venue } from '../../src/db/entities';
import { StorageProbe } from '../../src/db/entities/job';
import { buildVenue } from '../factories';
import { startInstance } from '../support/process';
import { useWorld, type World } from '../support/world';
import type { TestApp } from '../support/app';

const onSqlite = !process.env.DATABASE_URL;

/**
 * A 2xx means it is stored: after a write the storage refused, or a commit that failed, the
 * connection holds no open transaction, and every write answered 2xx is in the database as
 * another connection sees it.
 */
describe('Faults of the storage', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let world: World;
  useWorld('2026-11-24T09:00:00Z', (app, w) => ((t = app), (world = w)));

  /** The venues' ids as a second connection to the same database sees them. */
  async function venuesSeenElsewhere(): Promise<Set<string>> {
    if (onSqlite) {
      const other = new Database(t.dataSource.options.database as string, { readonly: true });
      try {
        expect(other.pragma('integrity_check', { simple: true })).toBe('ok');
        return new Set((other.prepare('SELECT id FROM venues').all() as { id: string }[]).map((r) => r.id));
      } finally {
        other.close();
      }
    }
    const other = new Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      return new Set((await other.query<{ id: string }>('SELECT id FROM venues')).rows.map((r) => r.id));
    } finally {
      await other.end();
    }
  }

  const newVenue = (name: string) => t.http().post('/api/v1/venues').send(buildVenue(world.municipality.id, { name }));

  (onSqlite ? it : it.skip)(
    'sqlite, a full disk: the refused write is a 503, /health says not writable until a write succeeds, and no later 2xx is lost',
    async () => {
      const stored: string[] = [];
      const pages = (await t.dataSource.query('PRAGMA page_count'))[0].page_count as number;
      await t.dataSource.query(`PRAGMA max_page_count = ${pages}`);
      // Writes fill the free room in the last pages; the first that needs a new page is refused.
      let refused: { status: number; body: { error: { code: string } } } | null = null;
      for (let i = 0; i < 500 && !refused; i++) {
        const res = await newVenue(`Lokal ${i} ${'x'.repeat(100)}`);
        if (res.status === 201) stored.push(res.body.id);
        else refused = res;
      }
      expect(refused?.status).toBe(503);
      expect(refused?.body.error.code).toBe('storage_unavailable');
      expect((await t.http().get('/health').expect(503)).body).toMatchObject({ database: 'not_writable' });

      // The disk has room again. A write refused by the data (an old version) is rolled back…
      await t.dataSource.query('PRAGMA max_page_count = 1073741823');
      const venue = (await t.http().get(`/api/v1/venues/${world.venue.id}`).expect(200)).body;
      await t.http().patch(`/api/v1/venues/${world.venue.id}`).send({ seats: 11, version: venue.version }).expect(200);
      await t.http().patch(`/api/v1/venues/${world.venue.id}`).send({ seats: 12, version: venue.version }).expect(409);
      // …and /health writes to see that writes are stored again.
      expect((await t.http().get('/health').expect(200)).body).toMatchObject({ database: 'ok' });
      for (let i = 0; i < 5; i++) stored.push((await newVenue(`Efter ${i}`).expect(201)).body.id);

      const driver = t.dataSource.driver as unknown as { databaseConnection: { inTransaction: boolean } };
      expect(driver.databaseConnection.inTransaction).toBe(false);
      const seen = await venuesSeenElsewhere();
      expect(stored.filter((id) => !seen.has(id))).toEqual([]);
      expect(stored.length).toBeGreaterThan(5);
    },
  );

  it('the probe write lets go of rows of instances gone a week, and keeps its own and recent ones', async () => {
    const repo = t.dataSource.getRepository(StorageProbe);
    const days = (n: number) => new Date(Date.now() - n * 86_400_000);
    await repo.insert([
      { instance: 'gone-long-ago', writtenAt: days(8), room: null },
      { instance: 'stopped-yesterday', writtenAt: days(1), room: null },
    ]);
    await t.store.probe();
    const left = (await repo.find()).map((r) => r.instance);
    expect(left).toContain('stopped-yesterday');
    expect(left).not.toContain('gone-long-ago');
    expect(left).toHaveLength(2);
  });

  it('kill -9 in the middle of writes: the database is whole, and every write answered 2xx is there after a restart', async () => {
    const env: Record<string, string> = onSqlite
      ? { SQLITE_PATH: t.dataSource.options.database as string }
      : { DATABASE_URL: t.databaseUrl! };
    const token = await t.tokenFor('coordinator', world.municipality.id);
    const instance = await startInstance(env);
    const stored: string[] = [];
    let answered = 0;
    const writer = async (n: number) => {
      for (let i = 0; ; i++) {
        const res = await fetch(`${instance.url}/api/v1/venues`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(buildVenue(world.municipality.id, { name: `Skriv ${n}-${i}` })),
        }).catch(() => null);
        if (!res) return;
        answered++;
        if (res.status === 201) stored.push(((await res.json()) as { id: string }).id);
      }
    };
    const writers = Array.from({ length: 8 }, (_, n) => writer(n));
    while (answered < 100) await new Promise((r) => setTimeout(r, 20));
    instance.process.kill('SIGKILL');
    await Promise.all(writers);
    await instance.stopped;
    expect(stored.length).toBeGreaterThan(50);

    const again = await startInstance(env);
    try {
      expect((await (await fetch(`${again.url}/health`)).json()) as object).toMatchObject({ database: 'ok' });
      const seen = await venuesSeenElsewhere();
      expect(stored.filter((id) => !seen.has(id))).toEqual([]);
    } finally {
      again.process.kill('SIGTERM');
      await again.stopped;
    }
  });

  it('a commit that fails on a deferred constraint leaves no transaction open, and later writes are stored', async () => {
    // A constraint checked only at COMMIT: sqlite defers foreign keys on request; PostgreSQL
    // defers a constraint made DEFERRABLE (made here for the test).
    if (!onSqlite)
      await t.dataSource.query(
        'ALTER TABLE storage_probes ADD CONSTRAINT probe_once UNIQUE (written_at) DEFERRABLE INITIALLY DEFERRED',
      );
    const failing = t.store.transaction(async (m) => {
      if (onSqlite) {
        await m.query('PRAGMA defer_foreign_keys = ON');
        await m.query(
          "INSERT INTO regulars (id, senior_id, series_id, from_date, created_at, updated_at) VALUES ('r1', 'nobody', 'nothing', '2027-01-01', '2027-01-01', '2027-01-01')",
        );
      } else {
        const at = new Date('2027-01-01T00:00:00Z');
        await m.insert(StorageProbe, [
          { instance: 'a', writtenAt: at },
          { instance: 'b', writtenAt: at },
        ]);
      }
      return 'answered';
    });
    await expect(failing).rejects.toMatchObject({ code: 'conflict' });
    if (onSqlite) {
      const driver = t.dataSource.driver as unknown as { databaseConnection: { inTransaction: boolean } };
      expect(driver.databaseConnection.inTransaction).toBe(false);
    }
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await newVenue(`Efter ${i}`).expect(201)).body.id);
    const seen = await venuesSeenElsewhere();
    expect(ids.filter((id) => !seen.has(id))).toEqual([]);
    expect(await t.dataSource.getRepository(Venue).countBy({ municipalityId: world.municipality.id })).toBeGreaterThan(
      5,
    );
  });
});

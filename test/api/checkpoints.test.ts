import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Checkpoints } from '../../src/db/checkpoints';
import { buildVenue, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * sqlite's checkpoints run in a thread of their own, not in the commits on the thread that
 * answers requests; should that thread fail, the connections checkpoint by themselves again.
 */
describe(Checkpoints.name, () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp('2027-03-26T15:00:10Z');
  });
  afterEach(() => t.close());

  const autocheckpoint = async (on = t.dataSource) =>
    Number((await on.query<{ wal_autocheckpoint: number }[]>('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint);

  it('copies the -wal file back in its own thread after commits, and the service’s connections do not', async () => {
    if (t.store.isPostgres) return expect(await t.store.checkpointed()).toBeNull();
    const world = await createWorld(t.services);
    for (let i = 0; i < 20; i++) await t.services.venues.create(buildVenue(world.municipality.id));
    expect(await autocheckpoint()).toBe(0);
    const done = await t.store.checkpointed();
    // Every frame of the -wal file is in the database file (nobody was reading meanwhile).
    expect(done!.log).toBeGreaterThan(0);
    expect(done!.checkpointed).toBe(done!.log);
    // The plan's connection does not checkpoint in its commits either.
    const apart = await t.store.transactionApart((m) => Promise.resolve(m.connection));
    expect(await autocheckpoint(apart)).toBe(0);
  });

  it('lets the connections checkpoint by themselves again when its thread ends', async () => {
    if (t.store.isPostgres) return;
    const world = await createWorld(t.services);
    const apart = await t.store.transactionApart((m) => Promise.resolve(m.connection));
    expect(await autocheckpoint()).toBe(0);
    const thread = (t.store as unknown as { checkpoints: { worker: { terminate(): Promise<number> } } }).checkpoints;
    await thread.worker.terminate();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await autocheckpoint()).toBe(1000);
    expect(await autocheckpoint(apart)).toBe(1000);
    // Writes go on, and ask no thread.
    await t.services.venues.create(buildVenue(world.municipality.id));
    expect(await t.store.checkpointed()).toBeNull();
  });

  it('keeps no process alive: a script that wrote ends by itself', () => {
    if (t.store.isPostgres) return;
    const script = `
      const { Checkpoints } = require(${JSON.stringify(resolve('src/db/checkpoints.ts'))});
      const c = new Checkpoints(${JSON.stringify(t.dataSource.options.database)}, () => console.log('fell back'));
      c.soon();
      const alive = setTimeout(() => undefined, 5_000);
      c.flush().then(() => { console.log('checkpointed', c.last.log === c.last.checkpointed); clearTimeout(alive); });`;
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe('checkpointed true');
    expect(child.status).toBe(0);
  });

  it('empties the -wal file after an erasure even while its thread is checkpointing', async () => {
    if (t.store.isPostgres) return expect(await t.store.forgetOldVersions()).toBe(true);
    const world = await createWorld(t.services);
    for (let i = 0; i < 5; i++) {
      await t.services.venues.create(buildVenue(world.municipality.id));
      const running = t.store.checkpointed();
      expect(await t.store.forgetOldVersions()).toBe(true);
      expect(statSync(`${t.dataSource.options.database as string}-wal`).size).toBe(0);
      await running;
    }
  });
});

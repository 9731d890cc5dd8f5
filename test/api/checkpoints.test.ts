import { existsSync, readFileSync, statSync } from 'node:fs';
import { buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * sqlite's checkpoints (the write-ahead log copied back into the database file) run on a thread
 * of their own, not in the commit that fills the log on the thread that answers requests. Seen
 * from outside: after a commit the database file has not grown yet, and a moment later it has;
 * an erasure still empties the log; and if that thread ends, sqlite checkpoints by itself again.
 */
const onSqlite = !process.env.DATABASE_URL;

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const file = () => t.dataSource.options.database as string;
const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const autocheckpoint = async () =>
  Number(Object.values((await t.dataSource.query('PRAGMA wal_autocheckpoint'))[0] as object)[0]);

/** Whether the name is in the database file or its log (a checkpoint may have moved it from one to the other). */
const named = () =>
  [file(), `${file()}-wal`].some((path) => existsSync(path) && readFileSync(path).includes(Buffer.from('Gunnel')));

/** Some 5 MB in one commit: more than sqlite's 1,000-page log would let through without a checkpoint. */
async function writeMuch(): Promise<void> {
  await t.store.transaction(async (m) => {
    await m.query('CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, bulk TEXT NOT NULL)');
    for (let i = 0; i < 1200; i++) await m.query('INSERT INTO scratch (bulk) VALUES (?)', ['x'.repeat(4000)]);
  });
}

/**
 * `commits` commits of `bytes` each, `pauseMs` apart (0: one straight after the other); answers
 * the largest size the `-wal` file had after any of them.
 */
async function steadyWrites(commits: number, bytes: number, pauseMs: number): Promise<number> {
  await t.store.transaction((m) => m.query('CREATE TABLE scratch (id INTEGER PRIMARY KEY, bulk TEXT NOT NULL)'));
  let largest = 0;
  for (let i = 0; i < commits; i++) {
    await t.store.transaction((m) => m.query('INSERT INTO scratch (bulk) VALUES (?)', ['x'.repeat(bytes)]));
    largest = Math.max(largest, size(`${file()}-wal`));
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return largest;
}

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Still waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

(onSqlite ? it.skip : it)('has nothing to do on PostgreSQL', async () => {
  expect(await t.store.checkpointApart()).toBe(false);
});

(onSqlite ? describe : describe.skip)('checkpoints on a thread of their own (sqlite)', () => {
  it('copies a commit into the database file after it, not in it', async () => {
    expect(await t.store.checkpointApart()).toBe(true);
    expect(await autocheckpoint()).toBe(10_000);
    const before = size(file());
    await writeMuch();
    // The commit itself copied nothing back: everything it wrote is in the log.
    expect(size(file())).toBe(before);
    expect(size(`${file()}-wal`)).toBeGreaterThan(4_000_000);
    await until('the checkpoint thread copies the log back', () => size(file()) > before + 4_000_000);
  });

  it('keeps the log bounded under steady writes: past 10,000 pages a commit checkpoints by itself', async () => {
    // The thread's checkpoints run beside the writes, so they never find the log wholly copied and
    // sqlite never starts it again from its beginning: without the backstop it grows with every commit.
    expect(await t.store.checkpointApart()).toBe(true);
    const largest = await steadyWrites(2_000, 40_000, 0);
    // 2,000 commits of some 40 kB each: 80 MB went through the log, which stayed near 40 MB.
    expect(largest).toBeLessThan(55_000_000);
  });

  it('starts the log again from its beginning under steady writes, without waiting for the backstop', async () => {
    // Commits paced as requests come (one a millisecond or so), a checkpoint every 500 of them: the
    // thread's checkpoint beside them never copies all, so a second one that the writes wait for
    // copies the rest, and the next commit starts the log again. Without that second one the log
    // grows to the backstop, 40 MB.
    expect(await t.store.checkpointApart()).toBe(true);
    expect(await steadyWrites(4_000, 20_000, 1)).toBeLessThan(25_000_000);
  });

  it('sqlite checkpoints in the commit as before without it', async () => {
    expect(await autocheckpoint()).toBe(1000);
    const before = size(file());
    await writeMuch();
    expect(size(file())).toBeGreaterThan(before + 4_000_000);
  });

  it('still empties the log after an erasure, through that thread', async () => {
    expect(await t.store.checkpointApart()).toBe(true);
    const world = await createWorld(t.services);
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Gunnel' }));
    await writeMuch();
    expect(named()).toBe(true);
    await t.http().post(`/api/v1/seniors/${senior.id}/erase`).expect(200);
    expect(named()).toBe(false);
  });

  it('gives the checkpoints back to sqlite if the thread ends, and says so', async () => {
    const lost: string[] = [];
    expect(await t.store.checkpointApart((why) => lost.push(why))).toBe(true);
    // The thread ends as a crash would end it.
    const worker = (t.store as unknown as { checkpointer: { worker: { terminate(): Promise<number> } } }).checkpointer
      .worker;
    await worker.terminate();
    await until('the loss is heard', () => lost.length > 0);
    expect(await autocheckpoint()).toBe(1000);
    const before = size(file());
    await writeMuch();
    expect(size(file())).toBeGreaterThan(before + 4_000_000);
    // An erasure then empties the log on the service's own connection.
    const world = await createWorld(t.services);
    const senior = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Gunnel' }));
    expect(named()).toBe(true);
    await t.http().post(`/api/v1/seniors/${senior.id}/erase`).expect(200);
    expect(named()).toBe(false);
  });

  it('starts nothing once the store is closed', async () => {
    await t.store.close();
    expect(await t.store.checkpointApart()).toBe(false);
  });
});

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVenue } from '../factories';
import { startInstance } from '../support/process';
import { useWorld, type World } from '../support/world';
import type { TestApp } from '../support/app';

const onSqlite = !process.env.DATABASE_URL;

/** `npm run backup` on the live sqlite file, and a restore from it, as docs/running.md tells them. */
(onSqlite ? describe : describe.skip)('Backup and restore of the sqlite database', () => {
  jest.setTimeout(120_000);
  let t: TestApp;
  let world: World;
  let dir: string;
  useWorld('2026-11-24T09:00:00Z', (app, w) => ((t = app), (world = w)));
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'bryggan-backup-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the live database while it is written to, checked, and a service starts on the restored copy', async () => {
    const live = t.dataSource.options.database as string;
    const before = [];
    for (let i = 0; i < 20; i++) before.push((await t.services.venues.create(buildVenue(world.municipality.id))).id);
    // Writes go on while the backup runs, in another process.
    let writing = true;
    let during = 0;
    const writes = (async () => {
      while (writing) {
        await t.services.venues.create(buildVenue(world.municipality.id));
        during++;
        // sqlite answers without I/O: let the event loop see the backup process end.
        await new Promise((r) => setImmediate(r));
      }
    })();
    const target = join(dir, 'copy.sqlite');
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, '../../scripts/backup.ts'), target],
      { env: { ...process.env, SQLITE_PATH: live } },
    );
    const run = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (c: Buffer) => (run.stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
    run.status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    writing = false;
    await writes;
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`to ${target}`);
    expect(run.status).toBe(0);

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    const ids = new Set((copy.prepare('SELECT id FROM venues').all() as { id: string }[]).map((r) => r.id));
    copy.close();
    expect(before.filter((id) => !ids.has(id))).toEqual([]);
    expect(during).toBeGreaterThan(0);

    // Restore: the copy put where a service's database goes, and the service started on it.
    const restored = join(dir, 'restored', 'bryggan.sqlite');
    mkdirSync(join(dir, 'restored'));
    copyFileSync(target, restored);
    const instance = await startInstance({ SQLITE_PATH: restored });
    try {
      const health = await fetch(`${instance.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ database: 'ok' });
    } finally {
      instance.process.kill('SIGTERM');
      expect(await instance.stopped).toBe(0);
    }
  });
});

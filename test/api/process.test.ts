import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SQLITE_PATH, installationDir, loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { runUntilExit, startInstance } from '../support/process';
import { createTestApp, type TestApp } from '../support/app';

const onSqlite = !process.env.DATABASE_URL;
/** Root writes to read-only files anyway: a read-only start is tried as the unprivileged user "nobody". */
const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

/** The service as a real process: how it starts, refuses to start, and stops. */
describe('The service process', () => {
  jest.setTimeout(120_000);
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bryggan-process-'));
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  /** This test's own database, on whichever kind the suite runs. */
  const database = (): Record<string, string> =>
    onSqlite ? { SQLITE_PATH: t.dataSource.options.database as string } : { DATABASE_URL: t.databaseUrl! };

  it('stops on SIGTERM at once even when whoever read its log has gone (a closed pipe)', async () => {
    const instance = await startInstance(database());
    instance.process.stdout!.destroy();
    instance.process.stderr!.destroy();
    const started = Date.now();
    instance.process.kill('SIGTERM');
    const code = await Promise.race([
      instance.stopped,
      new Promise((r) => setTimeout(() => r('still running'), 10_000)),
    ]);
    if (code === 'still running') instance.process.kill('SIGKILL');
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  (onSqlite ? it : it.skip)(
    'refuses to start on a database it cannot write, in one line, before it listens or runs a job',
    async () => {
      const folder = join(dir, 'readonly');
      const file = join(folder, 'bryggan.sqlite');
      const ds = await openDatabase({ sqlitePath: file });
      await ds.destroy();
      chmodSync(dir, 0o755);
      chmodSync(file, 0o444);
      chmodSync(folder, 0o555);
      try {
        const run = await runUntilExit({ SQLITE_PATH: file, PORT: '0' }, asNobody);
        expect(run.code).toBe(1);
        expect(run.err.trim().split('\n')).toEqual([
          `The database at ${file} cannot be written (a read-only file or folder, or a full disk): give the service's user write access to it and its folder.`,
        ]);
        expect(run.out).not.toMatch(/listens|catch-up|job/);
      } finally {
        chmodSync(folder, 0o755);
        chmodSync(file, 0o644);
      }
    },
  );

  it('keeps its database in the installation by default, wherever it is started from', () => {
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      expect(loadConfig({}).SQLITE_PATH).toBe(DEFAULT_SQLITE_PATH);
      expect(DEFAULT_SQLITE_PATH).toBe(join(__dirname, '..', '..', 'data', 'bryggan.sqlite'));
      // Built, the code runs from dist/src, and the build copies package.json into dist/: still the installation.
      const install = mkdtempSync(join(tmpdir(), 'bryggan-install-'));
      mkdirSync(join(install, 'dist', 'src'), { recursive: true });
      writeFileSync(join(install, 'package.json'), '{}');
      writeFileSync(join(install, 'dist', 'package.json'), '{}');
      expect(installationDir(join(install, 'dist', 'src'))).toBe(install);
      rmSync(install, { recursive: true, force: true });
      // A path given relative is taken from where it is started, and made absolute.
      expect(loadConfig({ SQLITE_PATH: 'x/db.sqlite' }).SQLITE_PATH).toBe(join(tmpdir(), 'x', 'db.sqlite'));
    } finally {
      process.chdir(cwd);
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildContainer } from '../../src/container';
import { openDatabase } from '../../src/db/data-source';
import { FixedClock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/**
 * The real app on a real sqlite file built by the migrations, with a fixed clock.
 * Each call gets its own file, so test files run in parallel without sharing state.
 */
export async function createTestApp(now = '2026-11-24T09:00:00Z') {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-test-'));
  const dataSource: DataSource = await openDatabase({ sqlitePath: join(dir, 'test.sqlite') });
  const clock = new FixedClock(new Date(now));
  const logger = createLogger('silent');
  const { app, services, store } = buildContainer({ dataSource, clock, logger, checkResponses: true });
  return {
    app,
    services,
    store,
    clock,
    dataSource,
    async close() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `npm run create-admin -- <email>`: makes an admin of the installation. The password comes
 * from ADMIN_PASSWORD (so it stays out of the shell history and the process list).
 */
import 'reflect-metadata';
import { z } from 'zod';
import { loadConfig } from '../src/config';
import { buildContainer, settingsFromConfig } from '../src/container';
import { openDatabase } from '../src/db/data-source';
import { DomainError } from '../src/domain/errors';
import { systemClock } from '../src/lib/clock';
import { createLogger } from '../src/lib/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const email = process.argv[2] ?? config.ADMIN_EMAIL;
  const password = config.ADMIN_PASSWORD;
  if (!email || !password || !z.email().safeParse(email).success) {
    console.error('Usage: ADMIN_PASSWORD=<at least 12 characters> npm run create-admin -- <email>');
    process.exit(2);
  }
  const dataSource = await openDatabase({ sqlitePath: config.SQLITE_PATH, databaseUrl: config.DATABASE_URL });
  try {
    const { services } = buildContainer({
      dataSource,
      clock: systemClock,
      logger: createLogger('silent'),
      settings: settingsFromConfig(config),
    });
    const user = await services.auth.createUser({ email, password, role: 'admin' });
    console.log(`Admin created (user id ${user.id}). Log in with POST /api/v1/auth/login.`);
  } catch (err) {
    console.error(err instanceof DomainError ? `${err.code}: ${err.message}` : err);
    process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

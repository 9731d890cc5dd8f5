import 'reflect-metadata';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config';
import { buildContainer, settingsFromConfig } from './container';
import { openDatabase } from './db/data-source';
import { isStorageFailure } from './db/store';
import { appServer } from './http/server';
import { StorageUnavailableError } from './domain/errors';
import { scheduleJobs } from './jobs/schedule';
import { clockStartingAt, systemClock } from './lib/clock';
import { createLogger } from './lib/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  // Take the port first: a port that is taken stops the start before the database is touched.
  const { server, serve } = appServer((_req, res) => {
    res.writeHead(503, { 'Retry-After': '1' }).end();
  });
  await listen(server, config.PORT, config.HOST);
  const { port } = server.address() as AddressInfo;

  const where = config.DATABASE_URL ? 'DATABASE_URL' : config.SQLITE_PATH;
  const unwritable = `The database at ${where} cannot be written (a read-only file or folder, or a full disk): give the service's user write access to it and its folder.`;
  const dataSource = await openDatabase(
    { sqlitePath: where, databaseUrl: config.DATABASE_URL },
    config.MIGRATIONS_RUN,
  ).catch((err: unknown) => {
    throw new Error(
      isStorageFailure(err) ? unwritable : `The database at ${where} cannot be opened: ${(err as Error).message}`,
    );
  });
  logger.info({ database: config.DATABASE_URL ? 'postgres' : where }, 'database ready, migrations applied');

  const settings = settingsFromConfig(config, port);
  const clock = config.CLOCK_START ? clockStartingAt(new Date(config.CLOCK_START)) : systemClock;
  if (config.CLOCK_START) logger.warn({ clockStart: config.CLOCK_START }, 'the clock starts at CLOCK_START, not now');
  const { app, services, mailer, store, planner } = buildContainer({ dataSource, clock, logger, settings });
  // A database that answers but does not store writes stops the start here, before any job runs.
  await store.probe().catch((err: unknown) => {
    throw err instanceof StorageUnavailableError ? new Error(unwritable) : err;
  });
  if (
    config.ADMIN_EMAIL &&
    config.ADMIN_PASSWORD &&
    (await services.auth.ensureFirstAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD))
  ) {
    logger.info('first admin created from ADMIN_EMAIL');
  }
  if (!config.SMTP_URL) logger.warn('SMTP_URL is not set: e-mails wait in the outbox until it is');

  let stopping = false;
  serve(app);
  // The jobs (and the checkpoint thread) start once the first request is answered (a load balancer's
  // /health), or a second after the service is ready if none comes: their timers and first catch-up
  // (time zones, a round of queries) need not hold up that answer.
  let jobs: ReturnType<typeof scheduleJobs> | undefined;
  const startJobs = () => {
    clearTimeout(jobsStart);
    if (jobs || stopping) return;
    // sqlite: from now on the write-ahead log is copied back into the file on a thread of its own.
    store
      .checkpointApart((why) => logger.warn({ why }, 'the checkpoint thread ended: sqlite checkpoints here again'))
      .catch((err: unknown) => logger.warn({ err: { message: (err as Error).message } }, 'no checkpoint thread'));
    jobs = scheduleJobs({
      jobs: services.jobs,
      outbox: services.outbox,
      schedule: settings.mailSchedule,
      logger,
      pollSeconds: config.OUTBOX_POLL_SECONDS,
    });
  };
  const jobsStart = setTimeout(startJobs, 1000);
  server.once('request', (_req: IncomingMessage, res: ServerResponse) =>
    res.once('close', () => setImmediate(startJobs)),
  );
  // Graceful shutdown: stop the jobs and taking requests, let in-flight ones finish, then end the planner's
  // threads and close the database.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    clearTimeout(jobsStart);
    const jobsStopped = jobs?.stop();
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    server.close(() => {
      void (async () => {
        await jobsStopped;
        mailer?.close();
        // Plans in flight have been answered (their requests finished): the worker threads end.
        await planner.close();
        // The tokens' last uses noted by the last requests are stored before the database closes.
        await services.auth.settled();
        await store.close();
        await dataSource.destroy();
        logger.info('stopped');
        process.exit(0);
      })().catch((err: unknown) => {
        logger.error({ err: { message: (err as Error).message } }, 'shutdown failed');
        process.exit(1);
      });
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Said last: whoever waits for this line may stop the service at once.
  logger.info(
    { url: `http://${config.HOST}:${port}`, publicUrl: settings.publicUrl },
    `Bryggan listens on http://${config.HOST}:${port}`,
  );
}

/** Binds the port, or fails with one line that says what to do. */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(new Error(`Port ${port} on ${host} is taken: stop what runs there, or start with another PORT.`));
      else if (err.code === 'EACCES')
        reject(new Error(`Port ${port} on ${host} needs other rights: start with a PORT above 1023.`));
      else reject(err);
    });
    server.listen(port, host, resolve);
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

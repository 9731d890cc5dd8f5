/**
 * `npm run demo`: loads the demo municipality (scripts/demo-data.ts) into the configured
 * database, so a newcomer sees real data at once. Running it again changes nothing.
 * Prints ids and counts only: never a senior's or guide's name, e-mail or phone.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { buildContainer, settingsFromConfig } from '../src/container';
import { openDatabase } from '../src/db/data-source';
import { instantToLocal } from '../src/domain/time';
import { systemClock } from '../src/lib/clock';
import { createLogger } from '../src/lib/logger';
import { DEMO_MUNICIPALITY, DEMO_PASSWORD, DEMO_USERS, type DemoSummary, seedDemo } from './demo-data';

/** The API wants a bearer token: these lines log in as the demo coordinator. */
function loginLines(api: string): string[] {
  return [
    `Demo users (password ${DEMO_PASSWORD}): ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(', ')}.`,
    'With the service running (npm start), log in as the coordinator and look:',
    `  TOKEN=$(curl -s ${api}/auth/login -H 'Content-Type: application/json' ` +
      `-d '{"email":"${DEMO_USERS[1].email}","password":"${DEMO_PASSWORD}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`,
  ];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function summaryLines(summary: DemoSummary, baseUrl: string): string[] {
  const api = `${baseUrl}/api/v1`;
  const curl = (path: string) => `  curl -s -H "Authorization: Bearer $TOKEN" '${api}${path}'`;
  if (summary.alreadyLoaded) {
    return [
      `The demo is already loaded: ${DEMO_MUNICIPALITY} has id ${summary.municipalityId}. Nothing was added.`,
      ...loginLines(api),
      curl(`/municipalities/${summary.municipalityId}`),
    ];
  }
  const id = summary.municipalityId;
  const { sessions, registrations } = summary;
  return [
    `Loaded ${DEMO_MUNICIPALITY}: ${id}`,
    `  term ${summary.term.from} – ${summary.term.to}; closed for ${summary.closures.join(', ') || 'no school break'}`,
    `  ${summary.venues} venues, ${summary.series} recurring cafés, ${plural(sessions.scheduled, 'session', 'sessions')} ` +
      `(${plural(sessions.skippedForHolidays, 'date', 'dates')} skipped for holidays, ${sessions.skippedForClosures} for school breaks)`,
    `  ${summary.guides} guides, ${summary.seniors} seniors, ${registrations.confirmed} seats taken, ${registrations.waitlisted} on a waiting list`,
    '',
    ...loginLines(api),
    curl(`/municipalities/${id}/weeks/${summary.firstWeek}`),
    ...(summary.waitlistSessionId
      ? [curl(`/sessions/${summary.waitlistSessionId}/registrations?status=waitlisted`)]
      : []),
    curl(`/guides?municipalityId=${id}&platform=windows&weekday=mon&from=15:00&to=17:00`),
  ];
}

async function main(): Promise<void> {
  const config = loadConfig();
  // The demo needs the schema whatever MIGRATIONS_RUN says, so migrations always run here.
  const dataSource = await openDatabase({ sqlitePath: config.SQLITE_PATH, databaseUrl: config.DATABASE_URL });
  try {
    const { services } = buildContainer({
      dataSource,
      clock: systemClock,
      logger: createLogger(config.LOG_LEVEL),
      settings: settingsFromConfig(config),
    });
    const today = instantToLocal(systemClock.now(), config.TIME_ZONE).date;
    const summary = await seedDemo(services, { today, timeZone: config.TIME_ZONE });
    // The URL may carry a password, so only the kind of database is named.
    console.log(`Database: ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : config.SQLITE_PATH}`);
    console.log(summaryLines(summary, `localhost:${config.PORT}`).join('\n'));
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

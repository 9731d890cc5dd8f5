import cron, { ScheduledTask } from 'node-cron';
import type { Logger } from '../lib/logger';
import { runAs } from '../lib/context';
import type { PrivacyService } from '../services/privacy.service';

/** Every night at 03:15 Stockholm time: anonymise seniors past the retention period. */
export const RETENTION_SCHEDULE = '15 3 * * *';

export function scheduleRetention(privacy: PrivacyService, logger: Logger, timezone: string): ScheduledTask {
  return cron.schedule(
    RETENTION_SCHEDULE,
    async () => {
      try {
        const count = await runAs({ type: 'system', id: null }, () => privacy.anonymiseInactive());
        logger.info({ job: 'retention', anonymised: count }, 'retention rule applied');
      } catch (err) {
        logger.error({ job: 'retention', err: { message: (err as Error).message } }, 'retention rule failed');
      }
    },
    { timezone, name: 'retention', noOverlap: true },
  );
}

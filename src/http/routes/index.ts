import type { Services } from '../../services';
import type { AnyRoute } from '../route';
import { absenceRoutes } from './absences';
import { attendanceRoutes } from './attendance';
import { authRoutes } from './auth';
import { guideReportRoutes } from './guide-report';
import { importRoutes } from './imports';
import { jobRoutes } from './jobs';
import { mailRoutes } from './mail';
import { matchingRoutes } from './matching';
import { organisationRoutes } from './organisations';
import { peopleRoutes } from './people';
import { planningRoutes } from './planning';
import { queueRoutes } from './queue';
import { venueRoutes } from './venues';

/** Every API route, in the order the OpenAPI document lists them. */
export const apiRoutes = (services: Services, publicUrl: string, now: () => Date): AnyRoute[] => [
  ...authRoutes(services, publicUrl),
  ...organisationRoutes(services),
  ...venueRoutes(services),
  ...planningRoutes(services),
  ...peopleRoutes(services),
  ...absenceRoutes(services),
  ...importRoutes(services),
  ...matchingRoutes(services),
  ...mailRoutes(services, now),
  ...attendanceRoutes(services),
  ...guideReportRoutes(services),
  ...queueRoutes(services),
  ...jobRoutes(services),
];

import { Contract, Organisation } from './organisation';
import { Closure, Venue, VenueTravel } from './venue';
import { Session, SessionSeries } from './session';
import { Guide, GuideAvailability, GuideLanguage, GuidePlatform, GuideUnavailableDate } from './guide';
import { Registration, Regular, Senior } from './senior';
import { AuditEntry, AuthToken, GuideLink, LoginDelay, LoginDevice, PasswordLink, User } from './auth';
import { Assignment, Plan, SubstituteOffer, Vacancy } from './assignment';
import { OutboxMessage, OutboxSession } from './outbox';
import { Attendance, GuideShift, ReportHelp, ReportHelpCell, SessionReport } from './attendance';
import { JobRun, StorageProbe } from './job';
import { QueueEntry, SessionQueue } from './queue';

export * from './organisation';
export * from './venue';
export * from './session';
export * from './guide';
export * from './senior';
export * from './auth';
export * from './assignment';
export * from './outbox';
export * from './attendance';
export * from './job';
export * from './queue';

export const entities = [
  Organisation,
  Contract,
  Venue,
  VenueTravel,
  Closure,
  SessionSeries,
  Session,
  Guide,
  GuidePlatform,
  GuideLanguage,
  GuideAvailability,
  GuideUnavailableDate,
  Senior,
  Registration,
  Regular,
  User,
  AuthToken,
  LoginDelay,
  LoginDevice,
  GuideLink,
  PasswordLink,
  AuditEntry,
  Plan,
  Assignment,
  Vacancy,
  SubstituteOffer,
  OutboxMessage,
  OutboxSession,
  SessionReport,
  Attendance,
  ReportHelp,
  ReportHelpCell,
  GuideShift,
  JobRun,
  StorageProbe,
  QueueEntry,
  SessionQueue,
];

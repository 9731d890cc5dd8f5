import type { LinkSigner } from '../lib/tokens';
import type { Planner } from '../lib/planner';
import type { PasswordHasher } from '../lib/passwords';
import type { Mailer } from '../mail/mailer';
import { AnswerService } from './answers.service';
import { Vacancies } from './vacancies';
import { AbsenceService } from './absences.service';
import { ImportService } from './imports.service';
import { AttendanceService } from './attendance.service';
import { QueueService } from './queue.service';
import { ReportService } from './reports.service';
import { AuditLogService } from './audit';
import { JobService } from './jobs.service';
import { type MailSchedule, MailScheduleService } from './mail-schedule.service';
import { Notifier } from './notices';
import { OutboxService } from './outbox.service';
import { AuthService, type AuthSettings } from './auth.service';
import { AccountService } from './accounts.service';
import { GuideCalendarService } from './guide-calendar.service';
import { GuidePageService } from './guide-page.service';
import { GuideLinkService, guidePageUrl } from './guide-links.service';
import { GuideService } from './guides.service';
import { OrganisationService } from './organisations.service';
import { PlanningService } from './planning.service';
import { PrincipalCache } from './principals';
import { PrivacyService } from './privacy.service';
import { RegistrationService } from './registrations.service';
import { RegularService } from './regulars.service';
import { SeniorService } from './seniors.service';
import { SeriesService } from './series.service';
import { SessionService } from './sessions.service';
import type { ReleasePlace, ServiceDeps } from './support';
import { VenueService } from './venues.service';
import { WeekService } from './week.service';

export type Services = ReturnType<typeof createServices>;

export interface ServiceSettings extends AuthSettings {
  linkDays: number;
  retentionMonths: number;
  publicUrl: string;
  mailFrom: string;
  mailSchedule: MailSchedule;
  outboxLeaseMs: number;
  invitationHours: number;
  /** How far before and after a café a worked time may reach without a coordinator's approval. */
  workedMarginMinutes: number;
}

export function createServices(
  deps: ServiceDeps & {
    hasher: PasswordHasher;
    signer: LinkSigner;
    mailer: Mailer | null;
    settings: ServiceSettings;
    planner: Planner;
    /** Where bookkeeping done after a request's answer says what failed; left out, nowhere. */
    log?: (message: string, err: unknown) => void;
  },
) {
  const { store, clock, settings, signer } = deps;
  const guideLinks = new GuideLinkService({ store, clock, signer, linkDays: settings.linkDays });
  const notifier = new Notifier({
    signer,
    now: () => clock.now(),
    settings,
    pageUrl: async (m, guideId) =>
      guidePageUrl(settings.publicUrl, (await guideLinks.lasting(m, guideId, 'access')).token),
  });
  // A municipality that chose 'release' has a guide kept from a published café taken off, and
  // substitutes asked, as after a decline (vacancies are made below; the call comes later).
  const releasePlace: ReleasePlace = (m, now, a, session) => vacancies.release(m, now, a, session, { byGuide: false });
  const planning = new PlanningService({ store, clock, notifier, releasePlace, planner: deps.planner });
  const reports = new ReportService({ store, clock });
  const mailSchedule = new MailScheduleService({
    store,
    clock,
    notifier,
    schedule: settings.mailSchedule,
    reports,
    guideLinks,
    publicUrl: settings.publicUrl,
  });
  const privacy = new PrivacyService({ store, clock, retentionMonths: settings.retentionMonths });
  const vacancies = new Vacancies({ notifier, planning });
  const absences = new AbsenceService({ store, clock, vacancies, releasePlace });
  const guides = new GuideService({ store, clock, signer, absences, releasePlace });
  // Who calls, by token, for a short while: the services that change it forget it here.
  const principals = new PrincipalCache();
  const log = deps.log ?? (() => undefined);
  const auth = new AuthService({ store, clock, hasher: deps.hasher, settings, principals, log });
  const queue = new QueueService({ store, clock });
  return {
    organisations: new OrganisationService({ store, clock, principals }),
    venues: new VenueService({ store, clock, notifier }),
    series: new SeriesService({ store, clock, notifier, releasePlace }),
    sessions: new SessionService({ store, clock, notifier, releasePlace }),
    guides,
    absences,
    imports: new ImportService({ store, clock, guides }),
    guidePage: new GuidePageService({ store, clock, notifier, zone: settings.mailSchedule.zone }),
    seniors: new SeniorService({ store, clock }),
    registrations: new RegistrationService({ store, clock }),
    regulars: new RegularService({ store, clock }),
    weeks: new WeekService({ store, clock }),
    planning,
    answers: new AnswerService({ store, clock, signer, notifier, planning, vacancies }),
    mailSchedule,
    jobs: new JobService({ store, clock, mail: mailSchedule, privacy, auth, queue }),
    outbox: new OutboxService({ store, clock, signer, mailer: deps.mailer, leaseMs: settings.outboxLeaseMs }),
    attendance: new AttendanceService({ store, clock, workedMarginMinutes: settings.workedMarginMinutes }),
    queue,
    reports,
    auth,
    accounts: new AccountService({
      store,
      clock,
      principals,
      hasher: deps.hasher,
      settings: {
        publicUrl: settings.publicUrl,
        invitationHours: settings.invitationHours,
        zone: settings.mailSchedule.zone,
      },
    }),
    guideLinks,
    guideCalendar: new GuideCalendarService({ store, clock, guideLinks, notifier }),
    privacy,
    auditLog: new AuditLogService({ store, clock }),
  };
}

import type { LinkSigner } from '../lib/tokens';
import type { PasswordHasher } from '../lib/passwords';
import { AuditLogService } from './audit';
import { AuthService, AuthSettings } from './auth.service';
import { GuideLinkService } from './guide-links.service';
import { GuideService } from './guides.service';
import { OrganisationService } from './organisations.service';
import { PlanningService } from './planning.service';
import { PrivacyService } from './privacy.service';
import { RegistrationService } from './registrations.service';
import { SeniorService } from './seniors.service';
import { SeriesService } from './series.service';
import { SessionService } from './sessions.service';
import type { ServiceDeps } from './support';
import { VenueService } from './venues.service';
import { WeekService } from './week.service';

export type Services = ReturnType<typeof createServices>;

export interface ServiceSettings extends AuthSettings {
  linkDays: number;
  retentionMonths: number;
}

export function createServices(deps: ServiceDeps & { hasher: PasswordHasher; signer: LinkSigner; settings: ServiceSettings }) {
  const { store, clock, settings } = deps;
  return {
    organisations: new OrganisationService({ store, clock }),
    venues: new VenueService({ store, clock }),
    series: new SeriesService({ store, clock }),
    sessions: new SessionService({ store, clock }),
    guides: new GuideService({ store, clock }),
    seniors: new SeniorService({ store, clock }),
    registrations: new RegistrationService({ store, clock }),
    weeks: new WeekService({ store, clock }),
    planning: new PlanningService({ store, clock }),
    auth: new AuthService({ store, clock, hasher: deps.hasher, settings }),
    guideLinks: new GuideLinkService({ store, clock, signer: deps.signer, linkDays: settings.linkDays }),
    privacy: new PrivacyService({ store, clock, retentionMonths: settings.retentionMonths }),
    auditLog: new AuditLogService({ store, clock }),
  };
}

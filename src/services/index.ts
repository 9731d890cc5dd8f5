import { OrganisationService } from './organisations.service';
import { RegistrationService } from './registrations.service';
import { SeniorService } from './seniors.service';
import { SeriesService } from './series.service';
import { SessionService } from './sessions.service';
import { GuideService } from './guides.service';
import { VenueService } from './venues.service';
import { WeekService } from './week.service';
import type { ServiceDeps } from './support';

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServiceDeps) {
  return {
    organisations: new OrganisationService(deps),
    venues: new VenueService(deps),
    series: new SeriesService(deps),
    sessions: new SessionService(deps),
    guides: new GuideService(deps),
    seniors: new SeniorService(deps),
    registrations: new RegistrationService(deps),
    weeks: new WeekService(deps),
  };
}

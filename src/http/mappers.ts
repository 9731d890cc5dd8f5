import type {
  Closure,
  Contract,
  Guide,
  Organisation,
  Regular,
  Senior,
  Session,
  SessionSeries,
} from '../services/records';
import { instantToLocal, weekdayName } from '../domain/time';
import type { RegistrationView } from '../services/registrations.service';
import type { VenueWithTravel } from '../services/venues.service';
import type { WeekView } from '../services/week.service';
import type { SessionChanges } from '../services/reconcile';
import type { Page } from '../services/support';
import type { Reason } from '../domain/matching/reasons';
import { reasonText } from '../contract/reasons';
import type { AssignmentConflict } from '../services/recheck';

/** Entities → API shapes. Instants leave as ISO strings in UTC; local times come beside them. */
const iso = (d: Date) => d.toISOString();

/** The engine's reasons as the API gives them: code, parameters and the English words. */
export const said = (reasons: readonly Reason[]) => reasons.map((r) => ({ ...r, text: reasonText(r, 'en') }));
/** Conflicts after a change, with their reasons worded. */
export const toConflicts = (conflicts: AssignmentConflict[]) =>
  conflicts.map((c) => ({ ...c, reasons: said(c.reasons) }));

export const toPage = <T, U>(page: Page<T>, map: (t: T) => U) => ({ ...page, items: page.items.map(map) });

export const toOrganisation = (o: Organisation) => ({
  id: o.id,
  kind: o.kind,
  name: o.name,
  contactEmail: o.contactEmail,
  timeZone: o.timeZone,
  conflictPolicy: o.conflictPolicy,
  createdAt: iso(o.createdAt),
  updatedAt: iso(o.updatedAt),
});

export const toContract = (c: Contract) => ({
  id: c.id,
  municipalityId: c.municipalityId,
  associationId: c.associationId,
  associationName: c.association?.name ?? '',
  reference: c.reference,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  reportingPeriod: c.reportingPeriod,
  hourlyRate: c.hourlyRateOre === null ? null : c.hourlyRateOre / 100,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});

export const toVenue = (v: VenueWithTravel) => ({
  id: v.id,
  version: v.version,
  municipalityId: v.municipalityId,
  name: v.name,
  address: v.address,
  kind: v.kind,
  seats: v.seats,
  equipment: v.equipment,
  accessibilityNote: v.accessibilityNote,
  expectedWalkIns: v.expectedWalkIns,
  active: v.active,
  travel: v.travel,
  createdAt: iso(v.createdAt),
  updatedAt: iso(v.updatedAt),
});

export const toSeries = (s: SessionSeries) => ({
  id: s.id,
  version: s.version,
  municipalityId: s.municipalityId,
  venueId: s.venueId,
  associationId: s.associationId,
  weekday: weekdayName(s.weekday),
  startTime: s.startTime,
  durationMinutes: s.durationMinutes,
  timeZone: s.timeZone,
  intervalWeeks: s.intervalWeeks,
  anchorDate: s.anchorDate,
  firstDate: s.firstDate,
  lastDate: s.lastDate,
  seats: s.seats,
  minGuides: s.minGuides,
  maxGuides: s.maxGuides,
  theme: s.theme,
  skipHolidays: s.skipHolidays,
  archivedAt: s.archivedAt ? iso(s.archivedAt) : null,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const toSession = (s: Session) => ({
  id: s.id,
  version: s.version,
  municipalityId: s.municipalityId,
  venueId: s.venueId,
  associationId: s.associationId,
  seriesId: s.seriesId,
  localDate: s.localDate,
  startTime: instantToLocal(s.startsAt, s.timeZone).time,
  endTime: instantToLocal(s.endsAt, s.timeZone).time,
  startsAt: iso(s.startsAt),
  endsAt: iso(s.endsAt),
  timeZone: s.timeZone,
  seats: s.seats,
  minGuides: s.minGuides,
  maxGuides: s.maxGuides,
  theme: s.theme,
  status: s.status,
  cancelSource: s.cancelSource,
  cancelReason: s.cancelReason,
  detached: s.detached,
});

export const toChanges = (c: SessionChanges) => ({
  ...c,
  sessions: c.sessions.map((s) => ({ ...s, startsAt: iso(s.startsAt) })),
});

export const toClosure = (c: Closure) => ({
  id: c.id,
  municipalityId: c.municipalityId,
  venueId: c.venueId,
  name: c.name,
  startsOn: c.startsOn,
  endsOn: c.endsOn,
  createdAt: iso(c.createdAt),
});

export const toGuide = (g: Guide) => ({
  id: g.id,
  version: g.version,
  associationId: g.associationId,
  municipalityId: g.municipalityId,
  name: g.name,
  email: g.email,
  phone: g.phone,
  school: g.school,
  programme: g.programme,
  swedishLevel: g.swedishLevel,
  languages: g.languages.map((l) => ({ language: l.language, level: l.level })),
  platforms: g.platforms.map((p) => ({ platform: p.platform, level: p.level })),
  startDate: g.startDate,
  endDate: g.endDate,
  topics: g.topics,
  maxHoursPerWeek: g.maxMinutesPerWeek / 60,
  availability: g.availability.map((a) => ({
    weekday: weekdayName(a.weekday),
    start: a.startTime,
    end: a.endTime,
    validFrom: a.validFrom,
    validTo: a.validTo,
  })),
  unavailableDates: g.unavailableDates.map((u) => ({ date: u.date, reason: u.reason })),
  active: g.active,
  createdAt: iso(g.createdAt),
  updatedAt: iso(g.updatedAt),
});

export const toSenior = (s: Senior) => ({
  id: s.id,
  version: s.version,
  municipalityId: s.municipalityId,
  displayName: s.displayName,
  phone: s.phone,
  email: s.email,
  preferredLanguage: s.preferredLanguage,
  devices: s.devices,
  topics: s.topics,
  consentGivenAt: iso(s.consentGivenAt),
  consentMethod: s.consentMethod,
  ageBand: s.ageBand,
  gender: s.gender,
  newlyArrived: s.newlyArrived,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

export const toRegistration = (r: RegistrationView) => ({
  id: r.id,
  sessionId: r.sessionId,
  seniorId: r.seniorId,
  displayName: r.displayName,
  status: r.status,
  waitlistPosition: r.waitlistPosition,
  devices: r.devices,
  topic: r.topic,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

/** Without `withSeniors` (viewers, association staff) the week carries counts only, no names. */
export const toWeek = (w: WeekView, { withSeniors }: { withSeniors: boolean }) => ({
  ...w,
  sessions: w.sessions.map((s) => ({
    ...toSession(s.session),
    venue: s.venue,
    durationMinutes: (s.session.endsAt.getTime() - s.session.startsAt.getTime()) / 60_000,
    confirmed: s.confirmed,
    waitlisted: s.waitlisted,
    seatsLeft: Math.max(0, s.session.seats - s.confirmed),
    platformDemand: s.platformDemand,
    // For those who may not see the seniors, a language or topic that one or two bring could point at them.
    languageDemand: withSeniors ? s.languageDemand : atLeast3(s.languageDemand),
    topicDemand: withSeniors ? s.topicDemand : atLeast3(s.topicDemand),
    guides: s.guides.map(({ assignment: a, name }) => ({
      assignmentId: a.id,
      guideId: a.guideId,
      name,
      status: a.status,
      pinned: a.pinned,
      response: a.response,
      // A cancelled café keeps nobody away.
      conflict: s.session.status === 'scheduled' && a.conflict ? said(a.conflict) : null,
    })),
    openPlaces: s.openPlaces.map((o) => ({ ...o, since: o.since.toISOString() })),
    registrations: s.registrations.map(({ registration: r, displayName }) => ({
      id: r.id,
      seniorId: r.seniorId,
      displayName,
      status: r.status,
      devices: r.devices,
      topic: r.topic,
    })),
    pairs: s.pairs.map((p) => ({ seniorId: p.seniorId, guideId: p.guideId, reasons: said(p.reasons) })),
  })),
});

const atLeast3 = (counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).filter(([, n]) => n >= 3));

export const toRegular = (r: Regular) => ({
  id: r.id,
  seniorId: r.seniorId,
  seriesId: r.seriesId,
  fromDate: r.fromDate,
  toDate: r.toDate,
  createdAt: iso(r.createdAt),
});

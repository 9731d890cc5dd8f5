import type { Services } from '../../src/services';
import type { CreateVenue } from '../../src/contract/venues';
import type { CreateSeries, CreateSession } from '../../src/contract/planning';
import type { CreateGuide, CreateSenior } from '../../src/contract/people';

/**
 * Factories: buildX(overrides) gives a valid request body, createX(services, overrides) stores one
 * through the real services. Each test makes its own data.
 */
let n = 0;
const seq = () => ++n;

export const buildVenue = (municipalityId: string, o: Partial<CreateVenue> = {}): CreateVenue => ({
  municipalityId,
  name: `Stadsbiblioteket ${seq()}`,
  address: 'Näbbtorgsgatan 12, Örebro',
  kind: 'library',
  seats: 20,
  equipment: ['wifi'],
  accessibilityNote: null,
  expectedWalkIns: 0,
  active: true,
  ...o,
});

export const buildSeries = (venueId: string, o: Partial<CreateSeries> = {}): CreateSeries => ({
  venueId,
  weekday: 'tue',
  startTime: '14:00',
  durationMinutes: 120,
  timeZone: 'Europe/Stockholm',
  intervalWeeks: 1,
  firstDate: '2027-01-05',
  lastDate: '2027-06-15',
  seats: 8,
  minGuides: 2,
  maxGuides: 3,
  skipHolidays: true,
  ...o,
});

/** A one-off café on a date: 14:00–16:00 in Stockholm, six seats, two or three guides. */
export const buildOneOff = (venueId: string, date: string, o: Partial<CreateSession> = {}): CreateSession => ({
  venueId,
  date,
  startTime: '14:00',
  durationMinutes: 120,
  timeZone: 'Europe/Stockholm',
  seats: 6,
  minGuides: 2,
  maxGuides: 3,
  theme: null,
  ...o,
});

export const buildGuide = (
  associationId: string,
  municipalityId: string,
  o: Partial<CreateGuide> = {},
): CreateGuide => ({
  associationId,
  municipalityId,
  name: `Guide ${seq()}`,
  email: `guide${seq()}@example.org`,
  phone: null,
  school: 'Risbergska skolan',
  programme: 'Språkintroduktion',
  swedishLevel: 'B1',
  languages: [{ language: 'ar', level: 'native' }],
  platforms: [{ platform: 'android', level: 'good' }],
  startDate: '2026-08-20',
  topics: [],
  maxHoursPerWeek: 6,
  availability: [{ weekday: 'tue', start: '13:00', end: '18:00' }],
  unavailableDates: [],
  active: true,
  ...o,
});

export const buildSenior = (municipalityId: string, o: Partial<CreateSenior> = {}): CreateSenior => ({
  municipalityId,
  displayName: `Senior ${seq()}`,
  phone: '070-123 45 67',
  email: null,
  preferredLanguage: 'sv',
  devices: [{ platform: 'ios', kind: 'phone' }],
  topics: ['bankid'],
  consentGivenAt: '2026-09-01T10:00:00Z',
  ...o,
});

/** A municipality, an association and a venue: the smallest world a test can plan in. */
export async function createWorld(s: Services) {
  const municipality = await s.organisations.create('municipality', {
    name: `Örebro kommun ${seq()}`,
    contactEmail: null,
  });
  const association = await s.organisations.create('association', {
    name: `Enter Sweden ${seq()}`,
    contactEmail: null,
  });
  const venue = await s.venues.create(buildVenue(municipality.id));
  return { municipality, association, venue };
}

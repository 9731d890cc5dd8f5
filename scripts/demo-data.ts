import { Rng } from '../src/domain/random';
import { blockedDay, type ClosurePeriod } from '../src/domain/calendar';
import { addDays, addYears, isoWeekOf, isoWeekRange, isValidDate, localToInstant } from '../src/domain/time';
import { DEFAULT_TIME_ZONE } from '../src/domain/vocabulary';
import type { AgeBand, Gender, LanguageLevel, Platform, SkillLevel, Topic } from '../src/domain/vocabulary';
import type { Device } from '../src/db/entities';
import type { WeekdayName } from '../src/domain/time';
import { ContractBody, OrganisationBody } from '../src/contract/organisations';
import { CreateGuideBody, CreateSeniorBody, RegisterBody } from '../src/contract/people';
import { ClosureBody, CreateSeriesBody, CreateSessionBody } from '../src/contract/planning';
import { CreateVenueBody, TravelBody } from '../src/contract/venues';
import type { Services } from '../src/services';

/**
 * The demo municipality: Örebro as the public descriptions of IT-guide cafés tell it (DOMAIN.md).
 * Everything goes through the services, and every input through the same zod schemas the API
 * uses, so the demo can never hold data the API would refuse. All people are made up: names
 * are plain first names, e-mails are @example.org and phone numbers come from the series PTS
 * reserves for fiction.
 */

export const DEMO_MUNICIPALITY = 'Örebro kommun (demo)';
/** The name while loading: a run that dies half-way must not look like a loaded demo to the next run. */
const LOADING_NAME = 'Örebro kommun (demo, laddas)';
export const DEMO_ASSOCIATION = 'Enter Sweden (demo)';
const SEED = 0x0b2e_b60;
const TERM_WEEKS = 20;
/** Registrations are made for the sessions of this many first weeks of the term. */
const REGISTRATION_WEEKS = 3;

export type DemoSummary =
  | { alreadyLoaded: true; municipalityId: string }
  | {
      alreadyLoaded: false;
      municipalityId: string;
      associationId: string;
      contractId: string;
      term: { from: string; to: string };
      /** The ISO week of the first upcoming session: the week worth looking at first. */
      firstWeek: string;
      venues: number;
      series: number;
      closures: string[];
      guides: number;
      seniors: number;
      sessions: { scheduled: number; skippedForHolidays: number; skippedForClosures: number };
      themeSessionId: string;
      registrations: { confirmed: number; waitlisted: number };
      /** The session made full on purpose, so its waiting list has people on it. */
      waitlistSessionId: string | null;
      users: { email: string; role: string }[];
    };

// Randomness: src/domain/random.ts (the same seed gives the same demo).

// ---------------------------------------------------------------- venues and cafés

type VenueKey = 'library' | 'vivalla' | 'brickebacken' | 'adolfsberg';

const VENUES: {
  key: VenueKey;
  name: string;
  address: string;
  kind: 'library' | 'meeting_point';
  seats: number;
  equipment: ('computers' | 'scanner' | 'wifi' | 'printer' | 'projector' | 'charging')[];
  accessibilityNote: string;
}[] = [
  {
    key: 'library',
    name: 'Örebro stadsbibliotek',
    address: 'Näbbtorgsgatan 12, Örebro',
    kind: 'library',
    seats: 20,
    equipment: ['computers', 'wifi', 'scanner', 'printer'],
    accessibilityNote: 'Entré utan trappsteg, hiss till alla våningar',
  },
  {
    key: 'vivalla',
    name: 'Vivalla träffpunkt',
    address: 'Vivalla centrum, Örebro',
    kind: 'meeting_point',
    seats: 12,
    equipment: ['wifi', 'charging'],
    accessibilityNote: 'Entré i markplan',
  },
  {
    key: 'brickebacken',
    name: 'Brickebacken träffpunkt',
    address: 'Brickebackens centrum, Örebro',
    kind: 'meeting_point',
    seats: 10,
    equipment: ['wifi', 'charging', 'projector'],
    accessibilityNote: 'Ramp vid entrén',
  },
  {
    key: 'adolfsberg',
    name: 'Adolfsberg träffpunkt',
    address: 'Adolfsbergs centrum, Örebro',
    kind: 'meeting_point',
    seats: 10,
    equipment: ['wifi'],
    accessibilityNote: 'Hiss från parkeringen',
  },
];

/** Minutes by bus, the same both ways. */
const TRAVEL: [VenueKey, VenueKey, number][] = [
  ['library', 'vivalla', 15],
  ['library', 'brickebacken', 20],
  ['library', 'adolfsberg', 20],
  ['vivalla', 'brickebacken', 30],
  ['vivalla', 'adolfsberg', 30],
  ['brickebacken', 'adolfsberg', 15],
];

/**
 * A café every week at the library and every other week at each meeting point (DOMAIN.md).
 * `week` is the parity within the term, so the meeting points take turns rather than all
 * landing in the same weeks. Afternoons because the guides are at school until mid-afternoon.
 */
const SERIES: {
  venue: VenueKey;
  weekday: WeekdayName;
  startTime: string;
  durationMinutes: number;
  intervalWeeks: number;
  week: 0 | 1;
  seats: number;
  maxGuides: number;
}[] = [
  {
    venue: 'library',
    weekday: 'tue',
    startTime: '15:00',
    durationMinutes: 120,
    intervalWeeks: 1,
    week: 0,
    seats: 10,
    maxGuides: 3,
  },
  {
    venue: 'vivalla',
    weekday: 'mon',
    startTime: '15:00',
    durationMinutes: 120,
    intervalWeeks: 2,
    week: 0,
    seats: 8,
    maxGuides: 3,
  },
  {
    venue: 'brickebacken',
    weekday: 'thu',
    startTime: '15:00',
    durationMinutes: 120,
    intervalWeeks: 2,
    week: 1,
    seats: 8,
    maxGuides: 2,
  },
  {
    venue: 'adolfsberg',
    weekday: 'sat',
    startTime: '11:00',
    durationMinutes: 120,
    intervalWeeks: 2,
    week: 0,
    seats: 8,
    maxGuides: 2,
  },
];

/**
 * School breaks inside the term: cafés do not run then unless planned so. Dates are the
 * usual ones for Örebro (jullov to Epiphany, sportlov in ISO week 9), computed per year so
 * the demo works whenever it is loaded.
 */
export function schoolBreaks(from: string, to: string): ClosurePeriod[] {
  const breaks: ClosurePeriod[] = [];
  const first = Number(from.slice(0, 4));
  const last = Number(to.slice(0, 4));
  for (let year = first - 1; year <= last; year++) {
    const jullov = { name: 'Jullov', startsOn: `${year}-12-21`, endsOn: `${year + 1}-01-06` };
    const week9 = isoWeekRange(`${year + 1}-W09`);
    const sportlov = { name: 'Sportlov', startsOn: week9.monday, endsOn: week9.sunday };
    for (const b of [jullov, sportlov]) if (b.startsOn <= to && b.endsOn >= from) breaks.push(b);
  }
  return breaks.sort((a, b) => a.startsOn.localeCompare(b.startsOn));
}

// ---------------------------------------------------------------- guides

/** PTS reserves 070-174 06 05 … 070-174 06 99 for fiction, so no real person gets a call. */
const fictionalPhone = (n: number): string => {
  if (n < 5 || n > 99) throw new RangeError(`no fictional number ${n}`);
  return `070-174 06 ${String(n).padStart(2, '0')}`;
};

interface GuideSeed {
  name: string;
  swedishLevel: LanguageLevel;
  languages: [string, LanguageLevel][];
  platforms: [Platform, SkillLevel][];
  /** Days before today the guide started; under a month makes a new guide, to be paired with an experienced one. */
  startedDaysAgo: number;
  maxHoursPerWeek: number;
  availability: [WeekdayName, string, string][];
  /** Days from the term's first Monday, with the reason in plain Swedish. */
  unavailable?: [number, string][];
  withPhone: boolean;
}

const AFTER_SCHOOL = '14:30';
const GUIDES: GuideSeed[] = [
  {
    name: 'Amina',
    swedishLevel: 'B1',
    languages: [
      ['ar', 'native'],
      ['en', 'B1'],
    ],
    platforms: [
      ['ios', 'expert'],
      ['ipados', 'good'],
      ['android', 'good'],
    ],
    startedDaysAgo: 430,
    maxHoursPerWeek: 6,
    availability: [
      ['tue', AFTER_SCHOOL, '18:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Yonas',
    swedishLevel: 'A2',
    languages: [
      ['ti', 'native'],
      ['am', 'B2'],
      ['en', 'A2'],
    ],
    platforms: [
      ['android', 'expert'],
      ['windows', 'good'],
    ],
    startedDaysAgo: 10,
    maxHoursPerWeek: 4,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['tue', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: false,
  },
  {
    name: 'Hamid',
    swedishLevel: 'B2',
    languages: [
      ['prs', 'native'],
      ['fa', 'C1'],
      ['en', 'B1'],
    ],
    platforms: [
      ['windows', 'expert'],
      ['android', 'good'],
      ['ios', 'basic'],
    ],
    startedDaysAgo: 610,
    maxHoursPerWeek: 8,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['wed', AFTER_SCHOOL, '20:00'],
      ['sat', '10:30', '14:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Olena',
    swedishLevel: 'B1',
    languages: [
      ['uk', 'native'],
      ['ru', 'C1'],
      ['en', 'B2'],
    ],
    platforms: [
      ['macos', 'good'],
      ['ios', 'good'],
      ['ipados', 'good'],
    ],
    startedDaysAgo: 240,
    maxHoursPerWeek: 6,
    availability: [
      ['tue', AFTER_SCHOOL, '18:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Farah',
    swedishLevel: 'B1',
    languages: [
      ['so', 'native'],
      ['ar', 'B1'],
      ['en', 'B1'],
    ],
    platforms: [
      ['android', 'good'],
      ['ios', 'good'],
    ],
    startedDaysAgo: 330,
    maxHoursPerWeek: 6,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
      ['sat', '10:30', '14:00'],
    ],
    unavailable: [[17, 'Prov i skolan']],
    withPhone: false,
  },
  {
    name: 'Mustafa',
    swedishLevel: 'A2',
    languages: [
      ['ar', 'native'],
      ['en', 'A2'],
    ],
    platforms: [
      ['android', 'good'],
      ['chromeos', 'basic'],
      ['windows', 'basic'],
    ],
    startedDaysAgo: 5,
    maxHoursPerWeek: 4,
    availability: [
      ['tue', AFTER_SCHOOL, '18:00'],
      ['wed', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: false,
  },
  {
    name: 'Selam',
    swedishLevel: 'B1',
    languages: [
      ['ti', 'native'],
      ['en', 'B1'],
    ],
    platforms: [
      ['ios', 'good'],
      ['ipados', 'expert'],
    ],
    startedDaysAgo: 460,
    maxHoursPerWeek: 6,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['tue', AFTER_SCHOOL, '18:00'],
      ['sat', '10:30', '14:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Abdi',
    swedishLevel: 'B2',
    languages: [
      ['so', 'native'],
      ['en', 'B2'],
    ],
    platforms: [
      ['android', 'expert'],
      ['windows', 'good'],
      ['chromeos', 'good'],
    ],
    startedDaysAgo: 550,
    maxHoursPerWeek: 7,
    availability: [
      ['wed', AFTER_SCHOOL, '20:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Maryam',
    swedishLevel: 'B1',
    languages: [
      ['fa', 'native'],
      ['prs', 'C1'],
      ['en', 'B1'],
    ],
    platforms: [
      ['ios', 'expert'],
      ['macos', 'good'],
      ['ipados', 'good'],
    ],
    startedDaysAgo: 180,
    maxHoursPerWeek: 6,
    availability: [
      ['tue', AFTER_SCHOOL, '18:00'],
      ['wed', AFTER_SCHOOL, '20:00'],
    ],
    unavailable: [[8, 'Läkarbesök']],
    withPhone: false,
  },
  {
    name: 'Bohdan',
    swedishLevel: 'A2',
    languages: [
      ['uk', 'native'],
      ['en', 'B1'],
    ],
    platforms: [
      ['windows', 'good'],
      ['android', 'good'],
      ['chromeos', 'good'],
    ],
    startedDaysAgo: 120,
    maxHoursPerWeek: 5,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
      ['sat', '10:30', '14:00'],
    ],
    withPhone: true,
  },
  {
    name: 'Nour',
    swedishLevel: 'B2',
    languages: [
      ['ar', 'native'],
      ['en', 'B2'],
    ],
    platforms: [
      ['ios', 'good'],
      ['android', 'good'],
      ['macos', 'basic'],
    ],
    startedDaysAgo: 400,
    maxHoursPerWeek: 8,
    availability: [
      ['tue', AFTER_SCHOOL, '18:00'],
      ['thu', AFTER_SCHOOL, '18:00'],
    ],
    withPhone: false,
  },
  {
    name: 'Dawit',
    swedishLevel: 'A2',
    languages: [
      ['ti', 'native'],
      ['am', 'C1'],
      ['en', 'A2'],
    ],
    platforms: [
      ['android', 'good'],
      ['windows', 'basic'],
    ],
    startedDaysAgo: 90,
    maxHoursPerWeek: 4,
    availability: [
      ['mon', AFTER_SCHOOL, '18:00'],
      ['wed', AFTER_SCHOOL, '18:00'],
      ['sat', '10:30', '14:00'],
    ],
    withPhone: false,
  },
];

// ---------------------------------------------------------------- seniors

interface SeniorSeed {
  displayName: string;
  phone: string;
  email: string | null;
  preferredLanguage: string;
  devices: Device[];
  topics: Topic[];
  consentDaysAgo: number;
  ageBand: AgeBand;
  gender: Gender;
  newlyArrived: boolean;
  /** The meeting point nearest home: seniors mostly sign up there (or at the library). */
  home: VenueKey;
}

const SENIOR_COUNT = 40;
/** First names, by preferred language and gender; drawn without replacement so none repeats. */
const NAMES: Record<string, Record<'woman' | 'man', string[]>> = {
  sv: {
    woman: [
      'Birgitta',
      'Karin',
      'Ulla',
      'Gunnel',
      'Inger',
      'Margareta',
      'Britt',
      'Kerstin',
      'Solveig',
      'Barbro',
      'Anita',
      'Siv',
      'Astrid',
      'Ingrid',
      'Marianne',
      'Berit',
      'Agneta',
      'Elsy',
      'Gunvor',
      'Maj-Britt',
      'Jasmina',
      'Amra',
    ],
    man: [
      'Lars',
      'Bengt',
      'Göran',
      'Sven',
      'Kjell',
      'Rolf',
      'Leif',
      'Stig',
      'Åke',
      'Lennart',
      'Ove',
      'Bertil',
      'Hans',
      'Emir',
      'Dragan',
    ],
  },
  ar: { woman: ['Fatima', 'Amal', 'Leila', 'Samira'], man: ['Mahmoud', 'Ahmad', 'Khalid', 'Omar'] },
  fa: { woman: ['Zahra', 'Parisa', 'Shirin'], man: ['Reza', 'Hossein', 'Karim'] },
  ti: { woman: ['Tsega', 'Mulu', 'Letay'], man: ['Tesfay', 'Gebre', 'Haile'] },
  so: { woman: ['Hodan', 'Halima', 'Faadumo'], man: ['Abdullahi', 'Yusuf', 'Mohamed'] },
};
const SURNAME_INITIALS = 'ABEGHJKLMNOPSTW';

/** Weights for what seniors ask about; e-ID, e-health and banking come up most (DOMAIN.md). */
const TOPIC_WEIGHTS: [Topic, number][] = [
  ['bankid', 4],
  ['e_health', 3],
  ['banking_swish', 3],
  ['video_calls', 2],
  ['scam_safety', 2],
  ['email', 2],
  ['photos_cloud', 2],
  ['municipal_services', 1],
  ['travel_tickets', 1],
  ['social_media', 1],
  ['updates_transfer', 1],
  ['web_search', 1],
  ['ebooks', 1],
];

const asciiSlug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');

function devicesFor(primary: Platform, rng: Rng): Device[] {
  switch (primary) {
    case 'ios':
      if (rng.chance(0.3)) return [{ platform: 'ipados', kind: 'tablet' }];
      return rng.chance(0.25)
        ? [
            { platform: 'ios', kind: 'phone' },
            { platform: 'ipados', kind: 'tablet' },
          ]
        : [{ platform: 'ios', kind: 'phone' }];
    case 'android':
      return [{ platform: 'android', kind: rng.chance(0.8) ? 'phone' : 'tablet' }];
    default: {
      // A senior who brings a laptop often brings the phone too: BankID lives there.
      const computer: Device = { platform: primary, kind: 'computer' };
      if (!rng.chance(0.35)) return [computer];
      return [computer, { platform: rng.chance(0.5) ? 'ios' : 'android', kind: 'phone' }];
    }
  }
}

function topicsFor(rng: Rng): Topic[] {
  const topics = new Set<Topic>();
  const n = rng.int(1, 3);
  while (topics.size < n) topics.add(rng.weighted(TOPIC_WEIGHTS));
  return [...topics];
}

/**
 * The seniors, by quota rather than by dice where DOMAIN.md gives a share (60% women, 25%
 * newly arrived, the platform mix), so a small demo still shows the real proportions.
 */
export function demoSeniors(rng: Rng): SeniorSeed[] {
  const people = rng.shuffle([
    ...Array<[Gender, boolean]>(18).fill(['woman', false]),
    ...Array<[Gender, boolean]>(12).fill(['man', false]),
    ...Array<[Gender, boolean]>(6).fill(['woman', true]),
    ...Array<[Gender, boolean]>(4).fill(['man', true]),
  ]);
  const newcomerLanguages = rng.shuffle(['ar', 'ar', 'ar', 'fa', 'fa', 'ti', 'ti', 'so', 'so', 'sv']);
  const primaries = rng.shuffle<Platform>([
    ...Array<Platform>(18).fill('ios'),
    ...Array<Platform>(14).fill('android'),
    ...Array<Platform>(4).fill('windows'),
    'macos',
    'macos',
    'chromeos',
    'chromeos',
  ]);
  const pools = Object.fromEntries(
    Object.entries(NAMES).map(([lang, g]) => [lang, { woman: rng.shuffle(g.woman), man: rng.shuffle(g.man) }]),
  );
  // Swedish-speaking newcomers (e.g. from the Balkans, long ago) take the last names of the sv lists.
  const svNewcomer = { woman: ['Jasmina', 'Amra'], man: ['Emir', 'Dragan'] };
  for (const g of ['woman', 'man'] as const) pools.sv[g] = pools.sv[g].filter((n) => !svNewcomer[g].includes(n));

  const taken = new Set<string>();
  return people.slice(0, SENIOR_COUNT).map(([gender, newlyArrived], i): SeniorSeed => {
    const g = gender as 'woman' | 'man';
    const language = newlyArrived ? newcomerLanguages.pop()! : 'sv';
    const first = newlyArrived && language === 'sv' ? svNewcomer[g].shift()! : pools[language][g].pop()!;
    // Some seniors give initials or a name with an initial; a name must stay unique at the desk.
    let displayName = first;
    const style = rng.float();
    if (style >= 0.6) {
      do {
        const initial = rng.pick([...SURNAME_INITIALS]);
        displayName = style >= 0.85 ? `${first[0]}.${initial}.` : `${first} ${initial}.`;
      } while (taken.has(displayName));
    }
    taken.add(displayName);
    const ageBand: AgeBand = newlyArrived
      ? rng.weighted<AgeBand>([
          ['65_74', 6],
          ['75_plus', 3],
          ['under_65', 1],
        ])
      : rng.weighted<AgeBand>([
          ['75_plus', 8],
          ['65_74', 2],
        ]);
    const home: VenueKey = newlyArrived
      ? rng.weighted<VenueKey>([
          ['vivalla', 6],
          ['brickebacken', 3],
          ['library', 1],
        ])
      : rng.weighted<VenueKey>([
          ['library', 3],
          ['adolfsberg', 3],
          ['brickebacken', 2],
          ['vivalla', 1],
        ]);
    const withEmail = rng.chance(newlyArrived ? 0.2 : 0.3);
    return {
      displayName,
      phone: fictionalPhone(5 + i),
      email: withEmail ? `${asciiSlug(displayName)}.${i + 1}@example.org` : null,
      preferredLanguage: language,
      devices: devicesFor(primaries[i], rng),
      topics: topicsFor(rng),
      consentDaysAgo: rng.int(1, 120),
      ageBand,
      gender,
      newlyArrived,
      home,
    };
  });
}

// ---------------------------------------------------------------- loading

async function findOrganisation(
  services: Services,
  kind: 'municipality' | 'association',
  name: string,
): Promise<string | undefined> {
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await services.organisations.list(kind, limit, offset);
    const found = page.items.find((o) => o.name === name);
    if (found) return found.id;
    if (offset + limit >= page.total) return undefined;
  }
}

/** The Monday of the ISO week of a date. */
const mondayOf = (date: string) => isoWeekRange(isoWeekOf(date)).monday;

/**
 * Loads the demo municipality through the services, unless it is already there.
 * `today` is the local date the term is planned from; `timeZone` the zone of the cafés.
 */
export async function seedDemo(
  services: Services,
  options: { today: string; timeZone?: string },
): Promise<DemoSummary> {
  if (!isValidDate(options.today)) throw new RangeError(`today must be a date YYYY-MM-DD, not ${options.today}`);
  const existing = await findOrganisation(services, 'municipality', DEMO_MUNICIPALITY);
  if (existing) return { alreadyLoaded: true, municipalityId: existing };

  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const rng = new Rng(SEED);
  const termFrom = mondayOf(options.today);
  const termTo = addDays(termFrom, TERM_WEEKS * 7 - 1);

  const municipality = await services.organisations.create(
    'municipality',
    OrganisationBody.parse({ name: LOADING_NAME, contactEmail: 'it-cafe.demo@example.org' }),
  );
  const municipalityId = municipality.id;
  // One association serves several municipalities, so a retry after a failed run reuses it.
  const associationId =
    (await findOrganisation(services, 'association', DEMO_ASSOCIATION)) ??
    (
      await services.organisations.create(
        'association',
        OrganisationBody.parse({ name: DEMO_ASSOCIATION, contactEmail: 'rapport.demo@example.org' }),
      )
    ).id;
  // Procurement contracts run for years (e.g. 2018-06 to 2022-06); this one from the term's month.
  const contractFrom = `${termFrom.slice(0, 7)}-01`;
  const contract = await services.organisations.createContract(
    ContractBody.parse({
      municipalityId,
      associationId,
      reference: 'Demo-avtal IT-guider',
      startsOn: contractFrom,
      endsOn: addDays(addYears(contractFrom, 4), -1),
      reportingPeriod: 'month',
    }),
  );

  const venueIds = {} as Record<VenueKey, string>;
  for (const { key, ...venue } of VENUES) {
    venueIds[key] = (await services.venues.create(CreateVenueBody.parse({ municipalityId, ...venue }))).id;
  }
  for (const [from, to, minutes] of TRAVEL) {
    await services.venues.setTravel(venueIds[from], TravelBody.parse({ toVenueId: venueIds[to], minutes }));
  }

  // Closures before the series, so the series skip those dates instead of making and then cancelling sessions.
  const breaks = schoolBreaks(termFrom, termTo);
  for (const b of breaks) await services.series.addClosure(ClosureBody.parse({ municipalityId, ...b }));

  let skippedForHolidays = 0;
  let skippedForClosures = 0;
  for (const s of SERIES) {
    const { changes } = await services.series.create(
      CreateSeriesBody.parse({
        venueId: venueIds[s.venue],
        weekday: s.weekday,
        startTime: s.startTime,
        durationMinutes: s.durationMinutes,
        timeZone,
        intervalWeeks: s.intervalWeeks,
        anchorDate: addDays(termFrom, s.week * 7),
        firstDate: termFrom,
        lastDate: termTo,
        seats: s.seats,
        minGuides: 2,
        maxGuides: s.maxGuides,
      }),
    );
    skippedForHolidays += changes.skipped.filter((k) => k.reason === 'holiday').length;
    skippedForClosures += changes.skipped.filter((k) => k.reason === 'closure').length;
  }

  // A theme evening on the commonest question, on the Wednesday after this week (or the next free one).
  let themeDate = addDays(termFrom, 9);
  while (blockedDay(themeDate, venueIds.library, breaks, true)) themeDate = addDays(themeDate, 7);
  const themeSession = await services.sessions.createOneOff(
    CreateSessionBody.parse({
      venueId: venueIds.library,
      date: themeDate,
      startTime: '18:00',
      durationMinutes: 90,
      timeZone,
      seats: 15,
      minGuides: 2,
      maxGuides: 4,
      theme: 'BankID-kväll',
    }),
  );

  for (const [i, g] of GUIDES.entries()) {
    await services.guides.create(
      CreateGuideBody.parse({
        associationId,
        municipalityId,
        name: g.name,
        email: `${asciiSlug(g.name)}.guide@example.org`,
        phone: g.withPhone ? fictionalPhone(60 + i) : null,
        school: 'Risbergska skolan',
        programme: 'Språkintroduktion',
        swedishLevel: g.swedishLevel,
        languages: g.languages.map(([language, level]) => ({ language, level })),
        platforms: g.platforms.map(([platform, level]) => ({ platform, level })),
        startDate: addDays(options.today, -g.startedDaysAgo),
        maxHoursPerWeek: g.maxHoursPerWeek,
        availability: g.availability.map(([weekday, start, end]) => ({ weekday, start, end })),
        unavailableDates: (g.unavailable ?? []).map(([days, reason]) => ({ date: addDays(termFrom, days), reason })),
      }),
    );
  }

  const seeds = demoSeniors(rng);
  const seniors: (SeniorSeed & { id: string })[] = [];
  for (const { home, consentDaysAgo, ...senior } of seeds) {
    const consentGivenAt = localToInstant(addDays(options.today, -consentDaysAgo), '10:30', timeZone).toISOString();
    const created = await services.seniors.create(
      CreateSeniorBody.parse({ municipalityId, ...senior, consentGivenAt }),
    );
    seniors.push({ ...senior, home, consentDaysAgo, id: created.id });
  }

  // Sign-ups for the first weeks with cafés only (counted from the first one, so a demo loaded
  // at the start of the Christmas break still has some); later sessions are still open, as in a real term.
  const firstSession = (await services.sessions.list({ municipalityId, status: 'scheduled', limit: 1, offset: 0 }))
    .items[0];
  const registrationsUntil = firstSession
    ? addDays(mondayOf(firstSession.localDate), REGISTRATION_WEEKS * 7 - 1)
    : termFrom;
  const upcoming = firstSession
    ? (
        await services.sessions.list({
          municipalityId,
          status: 'scheduled',
          to: registrationsUntil,
          limit: 500,
          offset: 0,
        })
      ).items
    : [];
  const venueKeyOf = new Map(Object.entries(venueIds).map(([key, id]) => [id, key as VenueKey]));
  // One café made full on purpose, preferably at a meeting point (smaller rooms fill up first).
  const full =
    upcoming.find((s) => venueKeyOf.get(s.venueId) !== 'library' && !s.theme) ??
    upcoming.find((s) => !s.theme) ??
    upcoming[0];
  let confirmed = 0;
  let waitlisted = 0;
  for (const session of upcoming) {
    const home = venueKeyOf.get(session.venueId)!;
    const count = session.id === full?.id ? session.seats + 2 : Math.min(rng.int(5, 10), session.seats);
    const shuffled = rng.shuffle(seniors);
    // Neighbours first at a meeting point; BankID askers first at the BankID evening.
    const first = (s: SeniorSeed) =>
      session.theme ? s.topics.includes('bankid') : home === 'library' || s.home === home;
    const chosen = [...shuffled.filter(first), ...shuffled.filter((s) => !first(s))].slice(0, count);
    for (const senior of chosen) {
      const topic = session.theme ? 'bankid' : rng.pick(senior.topics);
      const r = await services.registrations.register(
        session.id,
        RegisterBody.parse({ seniorId: senior.id, devices: senior.devices, topic }),
      );
      if (r.status === 'confirmed') confirmed++;
      else waitlisted++;
    }
  }

  const users = await createDemoUsers(services, municipalityId, associationId);
  const scheduled = await services.sessions.list({ municipalityId, status: 'scheduled', limit: 1, offset: 0 });
  await services.organisations.update('municipality', municipalityId, { name: DEMO_MUNICIPALITY });
  return {
    alreadyLoaded: false,
    municipalityId,
    associationId,
    contractId: contract.id,
    term: { from: termFrom, to: termTo },
    firstWeek: isoWeekOf(firstSession?.localDate ?? options.today),
    venues: VENUES.length,
    series: SERIES.length,
    closures: breaks.map((b) => `${b.name} ${b.startsOn}–${b.endsOn}`),
    guides: GUIDES.length,
    seniors: seniors.length,
    sessions: { scheduled: scheduled.total, skippedForHolidays, skippedForClosures },
    themeSessionId: themeSession.id,
    registrations: { confirmed, waitlisted },
    waitlistSessionId: full?.id ?? null,
    users,
  };
}

/** The demo's password for every demo user. Demo data only: never in a real installation. */
export const DEMO_PASSWORD = 'bryggan-demo-2026';

/** One user per role, so a newcomer can try what each party sees. */
export const DEMO_USERS = [
  { email: 'admin.demo@example.org', role: 'admin' },
  { email: 'samordnare.demo@example.org', role: 'coordinator' },
  { email: 'forening.demo@example.org', role: 'association_staff' },
  { email: 'kommun.demo@example.org', role: 'viewer' },
] as const;

async function createDemoUsers(
  services: Services,
  municipalityId: string,
  associationId: string,
): Promise<{ email: string; role: string }[]> {
  const existing = new Set((await services.auth.listUsers()).map((u) => u.email));
  const organisationOf = {
    admin: null,
    coordinator: municipalityId,
    viewer: municipalityId,
    association_staff: associationId,
  } as const;
  for (const u of DEMO_USERS) {
    // A retry after a run that died half-way finds them already made.
    if (!existing.has(u.email))
      await services.auth.createUser({
        email: u.email,
        password: DEMO_PASSWORD,
        role: u.role,
        organisationId: organisationOf[u.role],
      });
  }
  return DEMO_USERS.map(({ email, role }) => ({ email, role }));
}

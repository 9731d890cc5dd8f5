import request from 'supertest';
import { DEMO_MUNICIPALITY, type DemoSummary, schoolBreaks, seedDemo } from '../../scripts/demo-data';
import { DEMO_PASSWORD, DEMO_USERS } from '../../scripts/demo-data';
import { summaryLines } from '../../scripts/seed-demo';
import type { Session } from '../../src/db/entities';
import { instantToLocal, weekdayOf } from '../../src/domain/time';
import { PLATFORMS } from '../../src/domain/vocabulary';
import type { Services } from '../../src/services';
import { createTestApp, type TestApp } from '../support/app';

type Loaded = Extract<DemoSummary, { alreadyLoaded: false }>;

const TODAY = '2026-11-24';
const NOW = '2026-11-24T09:00:00Z';
const ALL = { limit: 500, offset: 0 };

async function load(services: Services): Promise<Loaded> {
  const summary = await seedDemo(services, { today: TODAY });
  if (summary.alreadyLoaded) throw new Error('the demo was already in a fresh database');
  return summary;
}

const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

describe('the demo municipality (npm run demo)', () => {
  let t: TestApp;
  let demo: Loaded;
  let sessions: Session[];
  let venueName: Map<string, string>;

  // One load for the whole file: every test only reads, and loading is the slow part.
  beforeAll(async () => {
    t = await createTestApp(NOW);
    demo = await load(t.services);
    sessions = (await t.services.sessions.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    const venues = await t.services.venues.list({ municipalityId: demo.municipalityId, ...ALL });
    venueName = new Map(venues.items.map((v) => [v.id, v.name]));
  });
  afterAll(() => t.close());

  const datesAt = (name: string) =>
    sessions.filter((s) => venueName.get(s.venueId) === name && !s.theme).map((s) => s.localDate);

  it('has the municipality, its association, a monthly contract over the term and four venues with travel times', async () => {
    const municipality = await t.services.organisations.get('municipality', demo.municipalityId);
    expect(municipality.name).toBe(DEMO_MUNICIPALITY);
    expect(municipality.contactEmail).toMatch(/@example\.org$/);
    const contract = await t.services.organisations.getContract(demo.contractId);
    expect(contract).toMatchObject({
      municipalityId: demo.municipalityId,
      associationId: demo.associationId,
      reportingPeriod: 'month',
    });
    expect(contract.startsOn <= demo.term.from && demo.term.to <= contract.endsOn).toBe(true);

    const venues = await t.services.venues.list({ municipalityId: demo.municipalityId, ...ALL });
    expect(venues.total).toBe(4);
    const library = venues.items.find((v) => v.kind === 'library')!;
    expect(library).toMatchObject({ name: 'Örebro stadsbibliotek', seats: 20 });
    expect(library.equipment).toEqual(expect.arrayContaining(['computers', 'wifi', 'scanner']));
    expect(
      venues.items
        .filter((v) => v.kind === 'meeting_point')
        .map((v) => v.name)
        .sort(),
    ).toEqual(['Adolfsberg träffpunkt', 'Brickebacken träffpunkt', 'Vivalla träffpunkt']);
    // Every venue reaches the three others.
    for (const v of venues.items) expect(v.travel).toHaveLength(3);
  });

  it('plans a term from the Monday of this week: the library weekly, each meeting point every other week', async () => {
    expect(demo.term).toEqual({ from: '2026-11-23', to: '2027-04-11' });
    const series = (await t.services.series.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    expect(series.map((s) => `${venueName.get(s.venueId)}: every ${s.intervalWeeks}`).sort()).toEqual([
      'Adolfsberg träffpunkt: every 2',
      'Brickebacken träffpunkt: every 2',
      'Vivalla träffpunkt: every 2',
      'Örebro stadsbibliotek: every 1',
    ]);

    // Tuesdays, without Jullov (22 Dec – 5 Jan) and Sportlov (week 9: 2 March).
    expect(datesAt('Örebro stadsbibliotek')).toEqual([
      '2026-11-24',
      '2026-12-01',
      '2026-12-08',
      '2026-12-15',
      '2027-01-12',
      '2027-01-19',
      '2027-01-26',
      '2027-02-02',
      '2027-02-09',
      '2027-02-16',
      '2027-02-23',
      '2027-03-09',
      '2027-03-16',
      '2027-03-23',
      '2027-03-30',
      '2027-04-06',
    ]);
    for (const name of ['Vivalla träffpunkt', 'Brickebacken träffpunkt', 'Adolfsberg träffpunkt']) {
      const dates = datesAt(name);
      expect(dates.length).toBeGreaterThanOrEqual(5);
      expect(new Set(dates.map(weekdayOf)).size).toBe(1);
      for (let i = 1; i < dates.length; i++) expect(daysBetween(dates[i - 1], dates[i]) % 14).toBe(0);
    }
    // The meeting points take turns rather than all running in the same weeks, on different days.
    expect(
      new Set(
        ['Vivalla träffpunkt', 'Brickebacken träffpunkt', 'Adolfsberg träffpunkt'].map((n) => weekdayOf(datesAt(n)[0])),
      ).size,
    ).toBe(3);
    expect(
      instantToLocal(
        sessions.find((s) => venueName.get(s.venueId) === 'Adolfsberg träffpunkt')!.startsAt,
        'Europe/Stockholm',
      ),
    ).toMatchObject({ weekday: 6, time: '11:00' });
    expect(demo.sessions.scheduled).toBe(sessions.filter((s) => s.status === 'scheduled').length);
  });

  it('runs no café on a holiday or in a school break', () => {
    const dates = new Set(sessions.map((s) => s.localDate));
    for (const holiday of [
      '2026-12-24',
      '2026-12-25',
      '2026-12-26',
      '2026-12-31',
      '2027-01-01',
      '2027-01-06',
      '2027-03-26',
      '2027-03-29',
    ]) {
      expect(dates.has(holiday)).toBe(false);
    }
    expect(demo.closures).toEqual(['Jullov 2026-12-21–2027-01-06', 'Sportlov 2027-03-01–2027-03-07']);
    for (const s of sessions) {
      expect(s.localDate >= '2026-12-21' && s.localDate <= '2027-01-06').toBe(false);
      expect(s.localDate >= '2027-03-01' && s.localDate <= '2027-03-07').toBe(false);
    }
    // Easter Monday falls on a Vivalla week: skipped as a holiday, the rest as closures.
    expect(demo.sessions.skippedForHolidays).toBe(1);
    expect(demo.sessions.skippedForClosures).toBeGreaterThan(0);
  });

  it('has a BankID evening at the library', () => {
    const theme = sessions.find((s) => s.id === demo.themeSessionId)!;
    expect(theme).toMatchObject({ theme: 'BankID-kväll', localDate: '2026-12-02', status: 'scheduled' });
    expect(venueName.get(theme.venueId)).toBe('Örebro stadsbibliotek');
    expect(instantToLocal(theme.startsAt, 'Europe/Stockholm').time).toBe('18:00');
  });

  it('has 12 guides from Språkintroduktion with mixed platforms, languages and afternoon hours', async () => {
    const guides = (await t.services.guides.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    expect(guides).toHaveLength(12);
    expect(demo.guides).toBe(12);
    for (const g of guides) {
      expect(g).toMatchObject({
        programme: 'Språkintroduktion',
        school: 'Risbergska skolan',
        associationId: demo.associationId,
      });
      expect(g.email).toMatch(/@example\.org$/);
      expect(['A2', 'B1', 'B2']).toContain(g.swedishLevel);
      expect(g.platforms.length).toBeGreaterThanOrEqual(2);
      expect(g.platforms.length).toBeLessThanOrEqual(4);
      expect(g.maxMinutesPerWeek).toBeGreaterThanOrEqual(4 * 60);
      expect(g.maxMinutesPerWeek).toBeLessThanOrEqual(8 * 60);
      // School until mid-afternoon on weekdays.
      for (const w of g.availability) if (w.weekday <= 5) expect(w.startTime >= '14:30').toBe(true);
    }
    expect(new Set(guides.flatMap((g) => g.platforms.map((p) => p.platform)))).toEqual(new Set(PLATFORMS));
    const languages = new Set(guides.flatMap((g) => g.languages.map((l) => l.language)));
    for (const l of ['ar', 'prs', 'ti', 'so', 'uk', 'en', 'fa']) expect(languages.has(l)).toBe(true);
    expect(guides.filter((g) => daysBetween(g.startDate, TODAY) < 30)).toHaveLength(2);
    expect(guides.filter((g) => g.availability.some((w) => w.weekday === 6)).length).toBeGreaterThanOrEqual(3);
    expect(guides.filter((g) => g.unavailableDates.length).length).toBeGreaterThanOrEqual(1);
  });

  it('has 40 made-up seniors in the proportions the programmes report', async () => {
    const seniors = (await t.services.seniors.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    expect(seniors).toHaveLength(40);
    expect(new Set(seniors.map((s) => s.displayName)).size).toBe(40);
    for (const s of seniors) {
      // PTS's series for fiction: 070-174 06 05 … 99.
      expect(s.phone).toMatch(/^070-174 06 (0[5-9]|[1-9]\d)$/);
      if (s.email) expect(s.email).toMatch(/@example\.org$/);
      expect(s.devices.length).toBeGreaterThan(0);
      expect(s.topics.length).toBeGreaterThan(0);
      expect(s.consentGivenAt.getTime()).toBeLessThan(Date.parse(NOW));
    }
    expect(seniors.filter((s) => s.gender === 'woman')).toHaveLength(24);
    expect(seniors.filter((s) => s.newlyArrived)).toHaveLength(10);
    expect(seniors.filter((s) => s.preferredLanguage === 'sv').length).toBeGreaterThanOrEqual(30);
    expect(seniors.filter((s) => s.ageBand === '75_plus').length).toBeGreaterThan(20);
    const primary = seniors.map((s) => s.devices[0].platform);
    expect(primary.filter((p) => p === 'ios' || p === 'ipados')).toHaveLength(18);
    expect(primary.filter((p) => p === 'android')).toHaveLength(14);
    expect(seniors.some((s) => s.email) && seniors.some((s) => !s.email)).toBe(true);
  });

  it('signs seniors up for the first three weeks, with one café full and two on its waiting list', async () => {
    const firstWeeksEnd = '2026-12-13';
    let waitlists = 0;
    for (const s of sessions) {
      const regs = await t.services.registrations.listForSession(s.id);
      if (s.localDate > firstWeeksEnd) {
        expect(regs).toHaveLength(0);
        continue;
      }
      expect(regs.length).toBeGreaterThanOrEqual(5);
      expect(regs.length).toBeLessThanOrEqual(10);
      for (const r of regs) {
        expect(r.devices.length).toBeGreaterThan(0);
        expect(r.topic).not.toBeNull();
      }
      const waiting = regs.filter((r) => r.status === 'waitlisted');
      if (waiting.length) {
        waitlists++;
        expect(s.id).toBe(demo.waitlistSessionId);
        expect(waiting.map((r) => r.waitlistPosition)).toEqual([1, 2]);
        expect(regs.filter((r) => r.status === 'confirmed')).toHaveLength(s.seats);
      }
      if (s.theme) expect(regs.every((r) => r.topic === 'bankid')).toBe(true);
    }
    expect(waitlists).toBe(1);
    expect(demo.registrations.waitlisted).toBe(2);

    // And the week view shows it over HTTP, in the shape the API promises.
    const week = await t
      .http()
      .get(`/api/v1/municipalities/${demo.municipalityId}/weeks/${demo.firstWeek}`)
      .expect(200);
    expect(demo.firstWeek).toBe('2026-W48');
    expect(week.body.totals).toMatchObject({ sessions: 2, waitlisted: 2 });
  });

  it('comes with one user per role, who each see what their role may see', async () => {
    const tokenOf = async (email: string) =>
      (await request(t.app).post('/api/v1/auth/login').send({ email, password: DEMO_PASSWORD }).expect(200)).body
        .token as string;
    const as = (token: string) => request.agent(t.app).set('Authorization', `Bearer ${token}`);
    const [admin, coordinator, staff, viewer] = await Promise.all(DEMO_USERS.map((u) => tokenOf(u.email)));
    const week = `/api/v1/municipalities/${demo.municipalityId}/weeks/${demo.firstWeek}`;

    const planned = (await as(coordinator).get(week).expect(200)).body;
    expect(planned.sessions.some((s: { registrations: unknown[] }) => s.registrations.length > 0)).toBe(true);
    const viewed = (await as(viewer).get(week).expect(200)).body;
    expect(viewed.totals).toEqual(planned.totals);
    expect(viewed.sessions.every((s: { registrations: unknown[] }) => s.registrations.length === 0)).toBe(true);
    await as(viewer).get('/api/v1/seniors').expect(403);
    expect((await as(staff).get('/api/v1/guides').expect(200)).body.total).toBe(12);
    await as(staff).get('/api/v1/seniors').expect(403);
    expect((await as(admin).get('/api/v1/users').expect(200)).body.items.length).toBeGreaterThanOrEqual(4);
  });

  it('loads nothing the second time', async () => {
    const again = await seedDemo(t.services, { today: TODAY });
    expect(again).toEqual({ alreadyLoaded: true, municipalityId: demo.municipalityId });
    expect((await t.services.organisations.list('municipality', 50, 0)).total).toBe(1);
    expect((await t.services.organisations.list('association', 50, 0)).total).toBe(1);
    expect((await t.services.seniors.list({ municipalityId: demo.municipalityId, ...ALL })).total).toBe(40);
    expect((await t.services.sessions.list({ municipalityId: demo.municipalityId, ...ALL })).total).toBe(
      sessions.length,
    );
  });

  it('prints ids, counts and curl commands, and no one’s name, e-mail or phone', async () => {
    const printed = summaryLines(demo, 'localhost:3000').join('\n');
    expect(printed).toContain(demo.municipalityId);
    expect(printed).toContain(`/municipalities/${demo.municipalityId}/weeks/2026-W48`);
    expect(printed).toContain(`/sessions/${demo.waitlistSessionId}/registrations`);
    const seniors = (await t.services.seniors.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    const guides = (await t.services.guides.list({ municipalityId: demo.municipalityId, ...ALL })).items;
    const personal = [
      ...seniors.flatMap((s) => [s.displayName, s.phone, s.email]),
      ...guides.flatMap((g) => [g.name, g.email, g.phone]),
    ].filter((v): v is string => !!v);
    for (const value of personal) expect(printed).not.toContain(value);
    expect(
      summaryLines({ alreadyLoaded: true, municipalityId: demo.municipalityId }, 'localhost:3000').join('\n'),
    ).toContain('already loaded');
  });

  it('gives the same demo for the same day', async () => {
    const other = await createTestApp(NOW);
    try {
      await load(other.services);
      const people = async (s: Services) => {
        const municipalityId = (await s.organisations.list('municipality', 1, 0)).items[0].id;
        const seniors = (await s.seniors.list({ municipalityId, ...ALL })).items;
        return seniors.map(
          ({
            displayName,
            phone,
            email,
            preferredLanguage,
            devices,
            topics,
            ageBand,
            gender,
            newlyArrived,
            consentGivenAt,
          }) => ({
            displayName,
            phone,
            email,
            preferredLanguage,
            devices,
            topics,
            ageBand,
            gender,
            newlyArrived,
            consentGivenAt,
          }),
        );
      };
      expect(await people(other.services)).toEqual(await people(t.services));
    } finally {
      await other.close();
    }
  });

  it('closes for the school breaks of whatever term it plans', () => {
    expect(schoolBreaks('2027-08-16', '2028-01-02')).toEqual([
      { name: 'Jullov', startsOn: '2027-12-21', endsOn: '2028-01-06' },
    ]);
    expect(schoolBreaks('2027-01-11', '2027-05-30')).toEqual([
      { name: 'Sportlov', startsOn: '2027-03-01', endsOn: '2027-03-07' },
    ]);
    expect(schoolBreaks('2027-04-12', '2027-08-29')).toEqual([]);
  });
});

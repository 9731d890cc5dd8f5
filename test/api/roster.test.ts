import { buildGuide, buildSenior } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, type World } from '../support/world';

describe('Guides', () => {
  let t: TestApp;
  let world: World;
  useWorld(undefined, (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();
  const guide = (o: Parameters<typeof buildGuide>[2] = {}) =>
    api()
      .post('/api/v1/guides')
      .send(buildGuide(world.association.id, world.municipality.id, o))
      .expect(201);

  it('keeps what a guide can do and when', async () => {
    const res = await guide({
      name: 'Amina',
      platforms: [
        { platform: 'android', level: 'expert' },
        { platform: 'ios', level: 'basic' },
      ],
      languages: [
        { language: 'ar', level: 'native' },
        { language: 'en', level: 'B2' },
      ],
      availability: [
        { weekday: 'thu', start: '15:00', end: '18:00' },
        { weekday: 'tue', start: '15:00', end: '18:00' },
      ],
      unavailableDates: [{ date: '2026-12-08', reason: 'Prov' }],
      maxHoursPerWeek: 4.5,
    });
    const got = await api().get(`/api/v1/guides/${res.body.id}`).expect(200);
    expect(got.body).toMatchObject({
      name: 'Amina',
      maxHoursPerWeek: 4.5,
      platforms: [
        { platform: 'android', level: 'expert' },
        { platform: 'ios', level: 'basic' },
      ],
      availability: [
        { weekday: 'tue', start: '15:00', end: '18:00' },
        { weekday: 'thu', start: '15:00', end: '18:00' },
      ],
      unavailableDates: [{ date: '2026-12-08', reason: 'Prov' }],
    });
  });

  it('replaces a list given in an update and keeps the others', async () => {
    const res = await guide({ languages: [{ language: 'ti', level: 'native' }] });
    const changed = await api()
      .patch(`/api/v1/guides/${res.body.id}`)
      .send({ platforms: [{ platform: 'windows', level: 'good' }], active: false })
      .expect(200);
    expect(changed.body).toMatchObject({
      platforms: [{ platform: 'windows', level: 'good' }],
      languages: [{ language: 'ti', level: 'native' }],
      active: false,
    });
  });

  it('finds guides by platform, language and availability', async () => {
    const a = await guide({
      platforms: [{ platform: 'android', level: 'good' }],
      languages: [{ language: 'ar', level: 'native' }],
      availability: [{ weekday: 'tue', start: '14:00', end: '18:00' }],
    });
    const b = await guide({
      platforms: [
        { platform: 'ios', level: 'good' },
        { platform: 'macos', level: 'basic' },
      ],
      languages: [{ language: 'prs', level: 'native' }],
      availability: [{ weekday: 'tue', start: '16:00', end: '19:00' }],
    });
    const c = await guide({
      platforms: [{ platform: 'ios', level: 'expert' }],
      languages: [],
      availability: [{ weekday: 'wed', start: '14:00', end: '18:00' }],
      unavailableDates: [{ date: '2026-12-02', reason: null }],
    });
    const ids = async (query: object) =>
      (
        await api()
          .get('/api/v1/guides')
          .query({ municipalityId: world.municipality.id, ...query })
          .expect(200)
      ).body.items
        .map((g: { id: string }) => g.id)
        .sort();

    expect(await ids({ platform: 'ios' })).toEqual([b.body.id, c.body.id].sort());
    expect(await ids({ language: 'ar' })).toEqual([a.body.id]);
    expect(await ids({ weekday: 'tue' })).toEqual([a.body.id, b.body.id].sort());
    // Tuesday 14:30–16:30 needs one window covering it: only a's.
    expect(await ids({ weekday: 'tue', from: '14:30', to: '16:30' })).toEqual([a.body.id]);
    // Half a time range is a mistake, not "any time".
    expect(
      (await api().get('/api/v1/guides').query({ weekday: 'tue', from: '16:00' }).expect(400)).body.error.details[0]
        .field,
    ).toBe('query.to');
    // Wednesday 2 December: c is marked unavailable that day.
    expect(await ids({ date: '2026-12-02' })).toEqual([]);
    expect(await ids({ date: '2026-12-09', platform: 'ios' })).toEqual([c.body.id]);
  });

  it('pages through the roster in name order', async () => {
    for (const name of ['Yonas', 'Amina', 'Hamid', 'Olena']) await guide({ name });
    const first = await api()
      .get('/api/v1/guides')
      .query({ municipalityId: world.municipality.id, limit: 2 })
      .expect(200);
    const second = await api()
      .get('/api/v1/guides')
      .query({ municipalityId: world.municipality.id, limit: 2, offset: 2 })
      .expect(200);
    expect(first.body.total).toBe(4);
    expect([...first.body.items, ...second.body.items].map((g: { name: string }) => g.name)).toEqual([
      'Amina',
      'Hamid',
      'Olena',
      'Yonas',
    ]);
  });
});

describe("Guides' hours in a month", () => {
  let t: TestApp;
  let world: World;
  // The clock stands on 1 November 2026, before the cafés of the month; the reports are made after them.
  useWorld('2026-11-01T09:00:00Z', (app, w) => {
    t = app;
    world = w;
  });

  it('sums the planned minutes of the month’s sessions (cancelled ones left out) and the worked minutes as reported; association staff see their own guides only', async () => {
    const s = t.services;
    const other = await s.organisations.create('association', { name: 'Digital vardag', contactEmail: null });
    for (const associationId of [world.association.id, other.id]) {
      await s.organisations.createContract({
        municipalityId: world.municipality.id,
        associationId,
        reference: `KS 2026/${associationId.slice(0, 4)}`,
        startsOn: '2026-01-01',
        endsOn: '2027-12-31',
        reportingPeriod: 'month',
      });
    }
    const coordinator = t.http(await t.tokenFor('coordinator', world.municipality.id));
    // Tuesdays; the guides are free 13–18.
    const session = async (date: string, durationMinutes: number, startTime = '14:00') =>
      (
        await coordinator
          .post('/api/v1/sessions')
          // Two associations have a contract here: the café names whose it is.
          .send({
            venueId: world.venue.id,
            associationId: world.association.id,
            date,
            startTime,
            durationMinutes,
            seats: 8,
          })
          .expect(201)
      ).body.id as string;
    const nov3 = await session('2026-11-03', 120);
    const nov3late = await session('2026-11-03', 60, '16:30'); // a second café that Tuesday: Amina's busiest week
    const nov10 = await session('2026-11-10', 90);
    const nov17 = await session('2026-11-17', 120);
    const dec1 = await session('2026-12-01', 120);
    const g1 = (await s.guides.create(buildGuide(world.association.id, world.municipality.id, { name: 'Amina' }))).id;
    const g2 = (await s.guides.create(buildGuide(other.id, world.municipality.id, { name: 'Yonas' }))).id;
    const g3 = (await s.guides.create(buildGuide(world.association.id, world.municipality.id, { name: 'Hamid' }))).id;
    const assign = (sessionId: string, guideId: string) =>
      coordinator.post(`/api/v1/sessions/${sessionId}/assignments`).send({ guideId }).expect(201);
    await assign(nov3, g1);
    await assign(nov3, g2);
    await assign(nov3late, g1);
    await assign(nov10, g1);
    await assign(nov17, g1);
    await assign(nov17, g2);
    await assign(dec1, g1);
    await coordinator.post(`/api/v1/sessions/${nov17}/cancel`).send({ reason: 'Sjuk personal' }).expect(200);
    // After the cafés of 3 and 10 November: Amina left early on the 3rd, Hamid stepped in unplanned, Yonas did not come on the 10th (he was not planned then).
    t.clock.set('2026-11-20T09:00:00Z');
    await coordinator
      .post(`/api/v1/sessions/${nov3}/report`)
      .send({
        guides: [
          { guideId: g1, start: '14:00', end: '15:30' },
          { guideId: g2, start: '14:00', end: '16:00' },
          { guideId: g3, start: '14:30', end: '16:00' },
        ],
      })
      .expect(201);
    await coordinator
      .post(`/api/v1/sessions/${nov10}/report`)
      .send({ guides: [{ guideId: g1, start: '14:00', end: '15:30' }] })
      .expect(201);

    const hours = async (api: ReturnType<TestApp['http']>, month: string) =>
      (await api.get(`/api/v1/municipalities/${world.municipality.id}/guide-hours`).query({ month }).expect(200)).body;
    const byId = <T extends { guideId: string }>(items: T[]) =>
      [...items].sort((a, b) => a.guideId.localeCompare(b.guideId));
    const november = byId([
      { guideId: g1, plannedMinutes: 120 + 60 + 90, peakWeekMinutes: 120 + 60, workedMinutes: 90 + 90 },
      { guideId: g2, plannedMinutes: 120, peakWeekMinutes: 120, workedMinutes: 120 },
      { guideId: g3, plannedMinutes: 0, peakWeekMinutes: 0, workedMinutes: 90 },
    ]);
    expect(await hours(coordinator, '2026-11')).toEqual({ month: '2026-11', items: november });
    expect(await hours(coordinator, '2026-12')).toEqual({
      month: '2026-12',
      items: [{ guideId: g1, plannedMinutes: 120, peakWeekMinutes: 120, workedMinutes: 0 }],
    });
    expect(await hours(coordinator, '2026-10')).toEqual({ month: '2026-10', items: [] });
    // An admin sees the same; each association's staff see their own guides only.
    expect(await hours(t.http(), '2026-11')).toEqual({ month: '2026-11', items: november });
    const staff = (associationId: string) =>
      t.tokenFor('association_staff', associationId).then((token) => t.http(token));
    expect((await hours(await staff(world.association.id), '2026-11')).items).toEqual(
      november.filter((h) => h.guideId !== g2),
    );
    expect((await hours(await staff(other.id), '2026-11')).items).toEqual(november.filter((h) => h.guideId === g2));
    // A correction counts at once: Amina stayed to the end on the 3rd after all.
    const corrected = [
      { guideId: g1, start: '14:00', end: '16:00' },
      { guideId: g2, start: '14:00', end: '16:00' },
      { guideId: g3, start: '14:30', end: '16:00' },
    ];
    await coordinator.put(`/api/v1/sessions/${nov3}/report`).send({ guides: corrected, revision: 1 }).expect(200);
    expect((await hours(coordinator, '2026-11')).items.find((h: { guideId: string }) => h.guideId === g1)).toEqual({
      guideId: g1,
      plannedMinutes: 270,
      peakWeekMinutes: 180,
      workedMinutes: 120 + 90,
    });

    // A week across a month's end counts whole for the busiest week: Monday 30 November and Tuesday 1 December are week 49.
    const monTue = [
      { weekday: 'mon' as const, start: '13:00', end: '18:00' },
      { weekday: 'tue' as const, start: '13:00', end: '18:00' },
    ];
    const g4 = (
      await s.guides.create(
        buildGuide(world.association.id, world.municipality.id, { name: 'Olena', availability: monTue }),
      )
    ).id;
    await assign(await session('2026-11-30', 120), g4);
    await assign(dec1, g4);
    const of = async (month: string) =>
      (await hours(coordinator, month)).items.find((h: { guideId: string }) => h.guideId === g4);
    expect(await of('2026-11')).toEqual({ guideId: g4, plannedMinutes: 120, peakWeekMinutes: 240, workedMinutes: 0 });
    expect(await of('2026-12')).toEqual({ guideId: g4, plannedMinutes: 120, peakWeekMinutes: 240, workedMinutes: 0 });
  });
});

describe('Seniors', () => {
  let t: TestApp;
  let world: World;
  useWorld(undefined, (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();

  it('registers a senior with the least data that works', async () => {
    const res = await api()
      .post('/api/v1/seniors')
      .send({
        municipalityId: world.municipality.id,
        displayName: 'Birgitta',
        phone: '070-111 22 33',
        consentGivenAt: '2026-11-20T10:00:00+01:00',
        devices: [{ platform: 'ipados', kind: 'tablet' }],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      displayName: 'Birgitta',
      email: null,
      preferredLanguage: 'sv',
      consentGivenAt: '2026-11-20T09:00:00.000Z',
      topics: [],
      ageBand: null,
    });
  });

  it('finds seniors by the start of their name or by phone, however the number is written', async () => {
    const birgitta = await t.services.seniors.create(
      buildSenior(world.municipality.id, { displayName: 'Birgitta', phone: '070-111 22 33' }),
    );
    await t.services.seniors.create(
      buildSenior(world.municipality.id, { displayName: 'Bengt', phone: '073-999 88 77' }),
    );
    const find = async (q: string) =>
      (
        await api().get('/api/v1/seniors').query({ municipalityId: world.municipality.id, q }).expect(200)
      ).body.items.map((s: { displayName: string }) => s.displayName);
    expect(await find('b')).toEqual(['Bengt', 'Birgitta']);
    expect(await find('bir')).toEqual(['Birgitta']);
    expect(await find('0701112233')).toEqual(['Birgitta']);
    expect(await find('+46 70 111')).toEqual(['Birgitta']);
    expect(await find('Zed')).toEqual([]);
    await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Åsa' }));
    await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Örjan' }));
    // Swedish letters fold the same on sqlite as on PostgreSQL; % and _ are letters, not wildcards.
    expect(await find('åsa')).toEqual(['Åsa']);
    expect(await find('ÖR')).toEqual(['Örjan']);
    expect(await find('_')).toEqual([]);
    expect(await find('%')).toEqual([]);
    expect(birgitta.id).toBeDefined();
  });
});

describe('Partial updates', () => {
  let t: TestApp;
  let world: World;
  useWorld(undefined, (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();

  it('leave the fields that have defaults alone when they are not given', async () => {
    const venue = await api()
      .patch(`/api/v1/venues/${world.venue.id}`)
      .send({ active: false, equipment: ['computers', 'wifi'] })
      .expect(200);
    const renamed = await api().patch(`/api/v1/venues/${world.venue.id}`).send({ name: 'Ny lokal' }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Ny lokal', active: false, equipment: ['computers', 'wifi'] });
    expect(venue.body.id).toBe(world.venue.id);

    const senior = await t.services.seniors.create(
      buildSenior(world.municipality.id, { preferredLanguage: 'ar', topics: ['email'] }),
    );
    const changed = await api().patch(`/api/v1/seniors/${senior.id}`).send({ displayName: 'M.' }).expect(200);
    expect(changed.body).toMatchObject({ displayName: 'M.', preferredLanguage: 'ar', topics: ['email'] });
  });
});

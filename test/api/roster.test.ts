import { buildGuide, buildSenior } from '../factories';
import type { TestApp } from '../support/app';
import { useWorld, World } from '../support/world';

describe('Guides', () => {
  let t: TestApp;
  let world: World;
  useWorld(undefined, (app, w) => {
    t = app;
    world = w;
  });
  const api = () => t.http();
  const guide = (o: Parameters<typeof buildGuide>[2] = {}) => api().post('/api/v1/guides').send(buildGuide(world.association.id, world.municipality.id, o)).expect(201);

  it('keeps what a guide can do and when', async () => {
    const res = await guide({
      name: 'Amina',
      platforms: [{ platform: 'android', level: 'expert' }, { platform: 'ios', level: 'basic' }],
      languages: [{ language: 'ar', level: 'native' }, { language: 'en', level: 'B2' }],
      availability: [{ weekday: 'thu', start: '15:00', end: '18:00' }, { weekday: 'tue', start: '15:00', end: '18:00' }],
      unavailableDates: [{ date: '2026-12-08', reason: 'Prov' }],
      maxHoursPerWeek: 4.5,
    });
    const got = await api().get(`/api/v1/guides/${res.body.id}`).expect(200);
    expect(got.body).toMatchObject({
      name: 'Amina',
      maxHoursPerWeek: 4.5,
      platforms: [{ platform: 'android', level: 'expert' }, { platform: 'ios', level: 'basic' }],
      availability: [{ weekday: 'tue', start: '15:00', end: '18:00' }, { weekday: 'thu', start: '15:00', end: '18:00' }],
      unavailableDates: [{ date: '2026-12-08', reason: 'Prov' }],
    });
  });

  it('replaces a list given in an update and keeps the others', async () => {
    const res = await guide({ languages: [{ language: 'ti', level: 'native' }] });
    const changed = await api().patch(`/api/v1/guides/${res.body.id}`).send({ platforms: [{ platform: 'windows', level: 'good' }], active: false }).expect(200);
    expect(changed.body).toMatchObject({ platforms: [{ platform: 'windows', level: 'good' }], languages: [{ language: 'ti', level: 'native' }], active: false });
  });

  it('finds guides by platform, language and availability', async () => {
    const a = await guide({ platforms: [{ platform: 'android', level: 'good' }], languages: [{ language: 'ar', level: 'native' }], availability: [{ weekday: 'tue', start: '14:00', end: '18:00' }] });
    const b = await guide({ platforms: [{ platform: 'ios', level: 'good' }, { platform: 'macos', level: 'basic' }], languages: [{ language: 'prs', level: 'native' }], availability: [{ weekday: 'tue', start: '16:00', end: '19:00' }] });
    const c = await guide({ platforms: [{ platform: 'ios', level: 'expert' }], languages: [], availability: [{ weekday: 'wed', start: '14:00', end: '18:00' }], unavailableDates: [{ date: '2026-12-02', reason: null }] });
    const ids = async (query: object) => (await api().get('/api/v1/guides').query({ municipalityId: world.municipality.id, ...query }).expect(200)).body.items.map((g: { id: string }) => g.id).sort();

    expect(await ids({ platform: 'ios' })).toEqual([b.body.id, c.body.id].sort());
    expect(await ids({ language: 'ar' })).toEqual([a.body.id]);
    expect(await ids({ weekday: 'tue' })).toEqual([a.body.id, b.body.id].sort());
    // Tuesday 14:30–16:30 needs one window covering it: only a's.
    expect(await ids({ weekday: 'tue', from: '14:30', to: '16:30' })).toEqual([a.body.id]);
    // Half a time range is a mistake, not "any time".
    expect((await api().get('/api/v1/guides').query({ weekday: 'tue', from: '16:00' }).expect(400)).body.error.details[0].field).toBe('query.to');
    // Wednesday 2 December: c is marked unavailable that day.
    expect(await ids({ date: '2026-12-02' })).toEqual([]);
    expect(await ids({ date: '2026-12-09', platform: 'ios' })).toEqual([c.body.id]);
  });

  it('pages through the roster in name order', async () => {
    for (const name of ['Yonas', 'Amina', 'Hamid', 'Olena']) await guide({ name });
    const first = await api().get('/api/v1/guides').query({ municipalityId: world.municipality.id, limit: 2 }).expect(200);
    const second = await api().get('/api/v1/guides').query({ municipalityId: world.municipality.id, limit: 2, offset: 2 }).expect(200);
    expect(first.body.total).toBe(4);
    expect([...first.body.items, ...second.body.items].map((g: { name: string }) => g.name)).toEqual(['Amina', 'Hamid', 'Olena', 'Yonas']);
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
      .send({ municipalityId: world.municipality.id, displayName: 'Birgitta', phone: '070-111 22 33', consentGivenAt: '2026-11-20T10:00:00+01:00', devices: [{ platform: 'ipados', kind: 'tablet' }] })
      .expect(201);
    expect(res.body).toMatchObject({ displayName: 'Birgitta', email: null, preferredLanguage: 'sv', consentGivenAt: '2026-11-20T09:00:00.000Z', topics: [], ageBand: null });
  });

  it('finds seniors by the start of their name or by phone, however the number is written', async () => {
    const birgitta = await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Birgitta', phone: '070-111 22 33' }));
    await t.services.seniors.create(buildSenior(world.municipality.id, { displayName: 'Bengt', phone: '073-999 88 77' }));
    const find = async (q: string) => (await api().get('/api/v1/seniors').query({ municipalityId: world.municipality.id, q }).expect(200)).body.items.map((s: { displayName: string }) => s.displayName);
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
    const venue = await api().patch(`/api/v1/venues/${world.venue.id}`).send({ active: false, equipment: ['computers', 'wifi'] }).expect(200);
    const renamed = await api().patch(`/api/v1/venues/${world.venue.id}`).send({ name: 'Ny lokal' }).expect(200);
    expect(renamed.body).toMatchObject({ name: 'Ny lokal', active: false, equipment: ['computers', 'wifi'] });
    expect(venue.body.id).toBe(world.venue.id);

    const senior = await t.services.seniors.create(buildSenior(world.municipality.id, { preferredLanguage: 'ar', topics: ['email'] }));
    const changed = await api().patch(`/api/v1/seniors/${senior.id}`).send({ displayName: 'M.' }).expect(200);
    expect(changed.body).toMatchObject({ displayName: 'M.', preferredLanguage: 'ar', topics: ['email'] });
  });
});

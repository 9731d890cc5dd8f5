import { buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

describe('The service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports the database on /health', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('serves an OpenAPI 3.1 document of every route, made from the request schemas', async () => {
    const res = await t.http().get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    const post = res.body.paths['/api/v1/guides'].post;
    const platform = post.requestBody.content['application/json'].schema.properties.platforms.items.properties.platform;
    expect(platform.enum).toEqual(['ios', 'ipados', 'android', 'windows', 'macos', 'chromeos']);
    expect(res.body.paths['/api/v1/sessions'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'venueId', 'status', 'limit', 'offset']),
    );
    expect(Object.keys(res.body.paths['/api/v1/municipalities/{id}/weeks/{week}'])).toEqual(['get']);
    const operations = Object.values(res.body.paths as Record<string, object>).flatMap((p) => Object.keys(p));
    expect(operations.length).toBeGreaterThanOrEqual(35);
  });

  it('sends security headers and no framework banner', async () => {
    const res = await t.http().get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('The week view', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
  });
  afterAll(() => t.close());

  it("shows a municipality's week with seats and the platforms and languages in demand", async () => {
    const world = await createWorld(t.services);
    const api = () => t.http();
    const tue = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:00', durationMinutes: 120, seats: 2 })
      .expect(201);
    const thu = await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-12-03', startTime: '15:00', durationMinutes: 90, seats: 8 })
      .expect(201);
    await api()
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-12-08', startTime: '15:00', durationMinutes: 90, seats: 8 })
      .expect(201);
    const s = (o: Parameters<typeof buildSenior>[1]) =>
      t.services.seniors.create(buildSenior(world.municipality.id, o));
    const a = await s({
      devices: [
        { platform: 'ios', kind: 'phone' },
        { platform: 'ios', kind: 'tablet' },
      ],
      preferredLanguage: 'ar',
    });
    const b = await s({
      devices: [
        { platform: 'android', kind: 'phone' },
        { platform: 'windows', kind: 'computer' },
      ],
    });
    const c = await s({ devices: [{ platform: 'ios', kind: 'phone' }] });
    for (const senior of [a, b, c]) {
      t.clock.advance(60_000);
      await api()
        .post(`/api/v1/sessions/${tue.body.id}/registrations`)
        .send({ seniorId: senior.id, topic: 'bankid' })
        .expect(201);
    }
    await api().post(`/api/v1/sessions/${thu.body.id}/cancel`).send({ reason: 'Personalbrist' }).expect(200);

    const res = await api().get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200);
    expect(res.body).toMatchObject({ week: '2026-W49', from: '2026-11-30', to: '2026-12-06' });
    expect(res.body.sessions).toHaveLength(2);
    const [first, second] = res.body.sessions;
    expect(first).toMatchObject({
      localDate: '2026-12-01',
      startTime: '15:00',
      endTime: '17:00',
      durationMinutes: 120,
      venue: { id: world.venue.id, name: world.venue.name },
      confirmed: 2,
      waitlisted: 1,
      seatsLeft: 0,
      // a brings two iOS devices but is one senior; c is on the waiting list and not counted.
      platformDemand: { ios: 1, android: 1, windows: 1 },
      languageDemand: { ar: 1 },
      topicDemand: { bankid: 2 },
    });
    expect(first.registrations.map((r: { status: string }) => r.status)).toEqual([
      'confirmed',
      'confirmed',
      'waitlisted',
    ]);
    expect(second).toMatchObject({ status: 'cancelled', cancelReason: 'Personalbrist' });
    expect(res.body.totals).toEqual({
      sessions: 2,
      scheduled: 1,
      cancelled: 1,
      confirmed: 2,
      waitlisted: 1,
      platformDemand: { ios: 1, android: 1, windows: 1 },
    });

    // A viewer sees the same week without names, and without a language or topic fewer than three bring.
    const viewer = await t.tokenFor('viewer', world.municipality.id);
    const viewed = (
      await t.http(viewer).get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200)
    ).body.sessions[0];
    expect(viewed).toMatchObject({
      confirmed: 2,
      platformDemand: { ios: 1, android: 1, windows: 1 },
      languageDemand: {},
      topicDemand: {},
      registrations: [],
    });
  });

  it('answers 404 for an unknown municipality', async () => {
    const res = await t
      .http()
      .get('/api/v1/municipalities/7f1c2f0e-2f4e-4a3b-9c1d-2b3c4d5e6f70/weeks/2026-W49')
      .expect(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

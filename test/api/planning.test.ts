import { Assignment } from '../../src/db/entities';
import { buildGuide, buildSenior, createWorld } from '../factories';
import { createTestApp, TestApp } from '../support/app';

/**
 * A coordinator's week with the engine: two Tuesday cafés at the library, seniors with iPhones
 * and Android phones, and guides of whom only some can come.
 */
describe('Planning with the matching engine', () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordinator: string;
  let tue: string;
  let thu: string;
  const guides: Record<string, string> = {};

  beforeEach(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    world = await createWorld(t.services);
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    const api = t.http(coordinator);
    tue = (await api.post('/api/v1/sessions').send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:00', durationMinutes: 120, seats: 8 }).expect(201)).body.id;
    thu = (await api.post('/api/v1/sessions').send({ venueId: world.venue.id, date: '2026-12-03', startTime: '15:00', durationMinutes: 120, seats: 8 }).expect(201)).body.id;
    const g = (name: string, o: Parameters<typeof buildGuide>[2]) => t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { name, ...o }));
    const tueThu = [{ weekday: 'tue' as const, start: '14:00', end: '18:00' }, { weekday: 'thu' as const, start: '14:00', end: '18:00' }];
    guides.iphone = (await g('Amina', { platforms: [{ platform: 'ios', level: 'expert' }], availability: tueThu })).id;
    guides.android = (await g('Yonas', { platforms: [{ platform: 'android', level: 'good' }], languages: [{ language: 'ar', level: 'native' }], availability: tueThu })).id;
    guides.windows = (await g('Hamid', { platforms: [{ platform: 'windows', level: 'good' }], availability: tueThu })).id;
    guides.mornings = (await g('Olena', { platforms: [{ platform: 'ios', level: 'good' }], availability: [{ weekday: 'tue', start: '08:00', end: '12:00' }] })).id;
    for (const [platform, language] of [['ios', 'sv'], ['ios', 'sv'], ['android', 'ar']] as const) {
      const s = await t.services.seniors.create(buildSenior(world.municipality.id, { devices: [{ platform, kind: 'phone' }], preferredLanguage: language }));
      await api.post(`/api/v1/sessions/${tue}/registrations`).send({ seniorId: s.id }).expect(201);
    }
  });
  afterEach(() => t.close());

  const plan = () => t.http(coordinator).post(`/api/v1/municipalities/${world.municipality.id}/plans`).send({ from: '2026-11-30', to: '2026-12-06', seed: 1, timeLimitMs: 500 });
  const onSession = (body: { assignments: { sessionId: string; guideId: string }[] }, id: string) =>
    body.assignments.filter((a) => a.sessionId === id).map((a) => a.guideId).sort();

  it('plans a draft week: the iPhone and the Arabic-speaking Android guide on Tuesday, with reasons', async () => {
    const res = await plan().expect(201);
    expect(res.body).toMatchObject({ startsOn: '2026-11-30', endsOn: '2026-12-06', status: 'draft', shortfalls: [], uncovered: [] });
    expect(onSession(res.body, tue)).toEqual([guides.android, guides.iphone].sort());
    expect(onSession(res.body, thu)).toHaveLength(2);
    const yonas = res.body.assignments.find((a: { guideId: string; sessionId: string }) => a.guideId === guides.android && a.sessionId === tue);
    expect(yonas.reasons).toEqual(expect.arrayContaining(['covers android (1 seniors)', 'speaks ar (1 seniors)']));
    expect(res.body.score.coverage).toBeGreaterThan(0);
    const again = await t.http(coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
    expect(again.body.assignments).toEqual(res.body.assignments);
    // Planning the same week again changes nothing: the same assignments, the same rows.
    const replanned = await plan().expect(201);
    const ids = (b: { assignments: { id: string }[] }) => b.assignments.map((a) => a.id).sort();
    expect(ids(replanned.body)).toEqual(ids(res.body));
  });

  it('refuses a hand-made assignment that breaks a hard rule, saying why, and keeps one that does not', async () => {
    const refused = await t.http(coordinator).post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.mornings }).expect(422);
    expect(refused.body.error).toMatchObject({ code: 'breaks_hard_rule', details: [{ field: 'body.guideId', issue: 'not available Tue 15:00–17:00' }] });
    expect(await t.dataSource.getRepository(Assignment).count()).toBe(0);

    const pinned = await t.http(coordinator).post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.windows }).expect(201);
    expect(pinned.body).toMatchObject({ pinned: true, source: 'manual', status: 'draft' });
    // The engine keeps the pin when it plans around it.
    const res = await plan().expect(201);
    expect(onSession(res.body, tue)).toContain(guides.windows);
  });

  it('says which session is short and who came nearest', async () => {
    await t.services.guides.update(guides.android, { active: false });
    const res = await plan().expect(201);
    // Without the Android guide both cafés still run, but nobody there knows Android.
    expect(res.body.shortfalls).toEqual([]);
    expect(res.body.uncovered).toEqual([
      { sessionId: tue, platform: 'android', seniors: 1, reason: 'no guide who knows android is available on Tue 2026-12-01 15:00' },
    ]);
    await t.services.guides.update(guides.windows, { active: false });
    const short = await plan().expect(201);
    expect(short.body.shortfalls.map((s: { sessionId: string }) => s.sessionId).sort()).toEqual([tue, thu].sort());
    const tueShort = short.body.shortfalls.find((s: { sessionId: string }) => s.sessionId === tue);
    expect(tueShort.candidates.find((c: { guideId: string }) => c.guideId === guides.mornings).blockedBy).toEqual(['not available Tue 15:00–17:00']);
  });

  it('publishes the week, keeps it when re-planning, and ranks substitutes when a guide falls ill', async () => {
    const first = await plan().expect(201);
    const published = await t.http(coordinator).post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`).send({ from: '2026-11-30', to: '2026-12-06' }).expect(200);
    expect(published.body.published).toBe(first.body.assignments.length);
    const again = await plan().expect(201);
    expect(again.body.assignments.map((a: { guideId: string; sessionId: string; status: string }) => [a.sessionId, a.guideId, a.status]).sort())
      .toEqual(first.body.assignments.map((a: { guideId: string; sessionId: string }) => [a.sessionId, a.guideId, 'published']).sort());

    const ill = again.body.assignments.find((a: { guideId: string; sessionId: string }) => a.guideId === guides.iphone && a.sessionId === tue);
    const subs = await t.http(coordinator).get(`/api/v1/assignments/${ill.id}/substitutes`).expect(200);
    const ids = subs.body.items.map((c: { guideId: string }) => c.guideId);
    expect(ids[0]).toBe(guides.windows); // free then; the only one who is
    expect(subs.body.items.find((c: { guideId: string }) => c.guideId === guides.mornings)).toMatchObject({ gain: null, blockedBy: ['not available Tue 15:00–17:00'] });
    expect(ids).not.toContain(guides.iphone);
  });

  it('lets one of two coordinators publishing the same plan at once win; the other gets 409, and so does a superseded plan', async () => {
    const other = await t.tokenFor('coordinator', world.municipality.id);
    const drafted = await plan().expect(201);
    const publish = (token: string, planId: string) =>
      t.http(token).post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`).send({ from: '2026-11-30', to: '2026-12-06', planId });
    const answers = await Promise.all([publish(coordinator, drafted.body.id), publish(other, drafted.body.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'already_published', details: [{ field: 'body.planId' }] });
    expect(answers.find((r) => r.status === 200)!.body.published).toBe(drafted.body.assignments.length);
    // Planned again after a coordinator reviewed a draft: publishing the old draft is refused.
    const old = await plan().expect(201);
    t.clock.advance(60_000);
    await plan().expect(201);
    expect((await publish(coordinator, old.body.id).expect(409)).body.error.code).toBe('plan_superseded');
    // A plan names its own week: it cannot publish another.
    const latest = await plan().expect(201);
    const mismatch = await t.http(coordinator).post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`).send({ from: '2026-12-07', to: '2026-12-13', planId: latest.body.id }).expect(422);
    expect(mismatch.body.error).toMatchObject({ code: 'plan_period_mismatch', details: [{ field: 'body.planId' }] });
  });

  it("shows the guides on duty in the week view, and each guide's own published sessions on their page", async () => {
    const drafted = await plan().expect(201);
    const week = await t.http(coordinator).get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200);
    const tuesday = week.body.sessions.find((x: { id: string }) => x.id === tue);
    expect(tuesday.guides.map((g: { name: string }) => g.name).sort()).toEqual(['Amina', 'Yonas']);
    expect(tuesday.guides.every((g: { status: string }) => g.status === 'draft')).toBe(true);

    const link = await t.http(coordinator).post(`/api/v1/guides/${guides.iphone}/links`).send({}).expect(201);
    const page = () => t.http().get('/api/v1/guide/me').query({ token: link.body.token }).expect(200);
    expect((await page()).body.assignments).toEqual([]); // drafts are not news for guides yet
    await t.http(coordinator).post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`).send({ from: '2026-11-30', to: '2026-12-06' }).expect(200);
    const mine = drafted.body.assignments.filter((a: { guideId: string }) => a.guideId === guides.iphone);
    const shown = (await page()).body.assignments;
    expect(shown.map((a: { assignmentId: string }) => a.assignmentId).sort()).toEqual(mine.map((a: { id: string }) => a.id).sort());
    expect(shown[0]).toMatchObject({ localDate: '2026-12-01', startTime: '15:00', endTime: '17:00', venue: world.venue.name });
  });

  it('lets a viewer read the plan but not make one', async () => {
    const viewer = await t.tokenFor('viewer', world.municipality.id);
    const res = await plan().expect(201);
    await t.http(viewer).get(`/api/v1/plans/${res.body.id}`).expect(200);
    await t.http(viewer).post(`/api/v1/municipalities/${world.municipality.id}/plans`).send({ from: '2026-11-30', to: '2026-12-06' }).expect(403);
  });
});

describe('Walk-ins', () => {
  it('add demand at a venue where seniors drop in, by the platforms the municipality’s seniors bring', async () => {
    const t = await createTestApp('2026-11-24T09:00:00Z');
    try {
      const world = await createWorld(t.services);
      await t.http().patch(`/api/v1/venues/${world.venue.id}`).send({ expectedWalkIns: 4 }).expect(200);
      await t.services.seniors.create(buildSenior(world.municipality.id, { devices: [{ platform: 'android', kind: 'phone' }] }));
      const s = (await t.http().post('/api/v1/sessions').send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:00', durationMinutes: 120, seats: 8 }).expect(201)).body;
      const always = [{ weekday: 'tue' as const, start: '14:00', end: '18:00' }];
      const android = await t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { platforms: [{ platform: 'android', level: 'good' }], availability: always }));
      await t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { platforms: [{ platform: 'ios', level: 'good' }], availability: always }));
      await t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { platforms: [{ platform: 'ios', level: 'good' }], availability: always }));
      // Nobody has signed up, yet four Android walk-ins are expected: the Android guide is on duty.
      const res = await t.http().post(`/api/v1/municipalities/${world.municipality.id}/plans`).send({ from: '2026-12-01', to: '2026-12-01', seed: 1 }).expect(201);
      const onDuty = res.body.assignments.filter((a: { sessionId: string }) => a.sessionId === s.id);
      expect(onDuty.map((a: { guideId: string }) => a.guideId)).toContain(android.id);
      expect(onDuty.find((a: { guideId: string }) => a.guideId === android.id).reasons[0]).toBe('covers android (4 seniors)');
    } finally {
      await t.close();
    }
  });
});

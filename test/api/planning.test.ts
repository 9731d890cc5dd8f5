import request from 'supertest';
import { Assignment, AuditEntry, OutboxMessage, Vacancy } from '../../src/db/entities';
import { IsNull, Not } from 'typeorm';
import { buildGuide, buildSenior, buildVenue, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';
import { parseIcs } from '../support/ics';
import { coordinatorDigest } from '../../src/mail/templates/coordinator-messages';
import { weekChecks } from '../../src/services/matching-input';
import { conflictsIn } from '../../src/services/recheck';

/** Olena works Tuesday mornings; the cafés are 15:00–17:00. */
const OLENA_TUE = 'Can only work 08:00–12:00 on Tuesdays. The session is 15:00–17:00.';
/** Thursday's café moved to 17:00–19:00; the guides work until 18:00. */
const THU_LATE = 'Can only work 14:00–18:00 on Thursdays. The session is 17:00–19:00.';

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
    tue = (
      await api
        .post('/api/v1/sessions')
        .send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:00', durationMinutes: 120, seats: 8 })
        .expect(201)
    ).body.id;
    thu = (
      await api
        .post('/api/v1/sessions')
        .send({ venueId: world.venue.id, date: '2026-12-03', startTime: '15:00', durationMinutes: 120, seats: 8 })
        .expect(201)
    ).body.id;
    const g = (name: string, o: Parameters<typeof buildGuide>[2]) =>
      t.services.guides.create(buildGuide(world.association.id, world.municipality.id, { name, ...o }));
    const tueThu = [
      { weekday: 'tue' as const, start: '14:00', end: '18:00' },
      { weekday: 'thu' as const, start: '14:00', end: '18:00' },
    ];
    guides.iphone = (await g('Amina', { platforms: [{ platform: 'ios', level: 'expert' }], availability: tueThu })).id;
    guides.android = (
      await g('Yonas', {
        platforms: [{ platform: 'android', level: 'good' }],
        languages: [{ language: 'ar', level: 'native' }],
        availability: tueThu,
      })
    ).id;
    guides.windows = (
      await g('Hamid', { platforms: [{ platform: 'windows', level: 'good' }], availability: tueThu })
    ).id;
    guides.mornings = (
      await g('Olena', {
        platforms: [{ platform: 'ios', level: 'good' }],
        availability: [{ weekday: 'tue', start: '08:00', end: '12:00' }],
      })
    ).id;
    for (const [platform, language] of [
      ['ios', 'sv'],
      ['ios', 'sv'],
      ['android', 'ar'],
    ] as const) {
      const s = await t.services.seniors.create(
        buildSenior(world.municipality.id, { devices: [{ platform, kind: 'phone' }], preferredLanguage: language }),
      );
      await api.post(`/api/v1/sessions/${tue}/registrations`).send({ seniorId: s.id }).expect(201);
    }
  });
  afterEach(() => t.close());

  // The limit is the clock's, not the engine's work: a week of two cafés takes milliseconds of
  // work, but the planner's thread (at a lower priority) may wait for the cores while other test
  // files run beside this one. So the limit is far above the work, and the plans are the whole ones.
  const plan = () =>
    t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans`)
      .send({ from: '2026-11-30', to: '2026-12-06', seed: 1, timeLimitMs: 10_000 });
  const onSession = (body: { assignments: { sessionId: string; guideId: string }[] }, id: string) =>
    body.assignments
      .filter((a) => a.sessionId === id)
      .map((a) => a.guideId)
      .sort();

  it('plans a draft week: the iPhone and the Arabic-speaking Android guide on Tuesday, with reasons', async () => {
    const res = await plan().expect(201);
    expect(res.body).toMatchObject({
      startsOn: '2026-11-30',
      endsOn: '2026-12-06',
      status: 'draft',
      shortfalls: [],
      uncovered: [],
    });
    expect(onSession(res.body, tue)).toEqual([guides.android, guides.iphone].sort());
    expect(onSession(res.body, thu)).toHaveLength(2);
    const yonas = res.body.assignments.find(
      (a: { guideId: string; sessionId: string }) => a.guideId === guides.android && a.sessionId === tue,
    );
    expect(yonas.reasons).toEqual(
      expect.arrayContaining([
        {
          code: 'knows_platform',
          params: { platform: 'android', seniors: 1 },
          text: 'Knows Android: 1 senior brings one.',
        },
        { code: 'speaks_language', params: { language: 'ar', seniors: 1 }, text: 'Speaks Arabic: 1 senior speaks it.' },
      ]),
    );
    expect(res.body.score.coverage).toBeGreaterThan(0);
    const again = await t.http(coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200);
    expect(again.body.assignments).toEqual(res.body.assignments);
    // Planning the same week again changes nothing: the same assignments, the same rows.
    const replanned = await plan().expect(201);
    const ids = (b: { assignments: { id: string }[] }) => b.assignments.map((a) => a.id).sort();
    expect(ids(replanned.body)).toEqual(ids(res.body));
  });

  it('says whether the time limit cut the search short, in the plan and when it is read again', async () => {
    // A week of two cafés takes the engine milliseconds: its iterations end long before the limit.
    const res = await plan().expect(201);
    expect(res.body).toMatchObject({ stoppedEarly: false, iterations: expect.any(Number) });
    expect(res.body.iterations).toBeGreaterThan(0);
    expect((await t.http(coordinator).get(`/api/v1/plans/${res.body.id}`).expect(200)).body.stoppedEarly).toBe(false);
    const week = await t
      .http(coordinator)
      .get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49/plan`)
      .expect(200);
    expect(week.body.plan).toMatchObject({ id: res.body.id, stoppedEarly: false });
  });

  it('refuses a hand-made assignment that breaks a hard rule, saying why, and keeps one that does not', async () => {
    const refused = await t
      .http(coordinator)
      .post(`/api/v1/sessions/${tue}/assignments`)
      .send({ guideId: guides.mornings })
      .expect(422);
    expect(refused.body.error).toMatchObject({
      code: 'breaks_hard_rule',
      details: [{ field: 'body.guideId', issue: OLENA_TUE, reason: { code: 'not_available' } }],
    });
    expect(await t.dataSource.getRepository(Assignment).count()).toBe(0);

    const pinned = await t
      .http(coordinator)
      .post(`/api/v1/sessions/${tue}/assignments`)
      .send({ guideId: guides.windows })
      .expect(201);
    expect(pinned.body).toMatchObject({ pinned: true, source: 'manual', status: 'draft' });
    // The engine keeps the pin when it plans around it.
    const res = await plan().expect(201);
    expect(onSession(res.body, tue)).toContain(guides.windows);
  });

  it('plans the rest of a week begun with what it already holds: the hours, times and places of the cafés that have started', async () => {
    const api = t.http(coordinator);
    // Amina and Yonas may work 2 hours a week; both are on Tuesday's café (2 hours), published.
    for (const key of ['iphone', 'android'])
      await api.patch(`/api/v1/guides/${guides[key]}`).send({ maxHoursPerWeek: 2 }).expect(200);
    for (const key of ['iphone', 'android'])
      await api.post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides[key] }).expect(201);
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    // Wednesday: Tuesday is over. Planning the week puts neither of them on Thursday (4 hours).
    t.clock.set('2026-12-02T09:00:00Z');
    const planned = await plan().expect(201);
    expect(onSession(planned.body, thu)).not.toContain(guides.iphone);
    expect(onSession(planned.body, thu)).not.toContain(guides.android);
    // Nor is anyone added to or taken off Tuesday's café, which is over.
    expect(onSession(planned.body, tue)).toEqual([]);
    const tuesday = await t.dataSource.getRepository(Assignment).findBy({ sessionId: tue });
    expect(tuesday.map((a) => [a.guideId, a.status]).sort()).toEqual(
      [
        [guides.iphone, 'published'],
        [guides.android, 'published'],
      ].sort(),
    );
    // By hand, the same is refused.
    const refused = await api.post(`/api/v1/sessions/${thu}/assignments`).send({ guideId: guides.iphone }).expect(422);
    expect(refused.body.error.details.map((d: { reason: { code: string } }) => d.reason.code)).toEqual([
      'over_weekly_max',
    ]);
  });

  it("keeps a published week true when a café moves or a guide's times change: who can no longer come is answered, marked on the week and in the digest", async () => {
    const api = t.http(coordinator);
    for (const key of ['iphone', 'android'])
      await api.post(`/api/v1/sessions/${thu}/assignments`).send({ guideId: guides[key] }).expect(201);
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    // Thursday's café moves from 15–17 to 17–19; both can only work until 18:00 on Thursdays.
    const before = (await api.get(`/api/v1/sessions/${thu}`).expect(200)).body;
    const moved = await api
      .patch(`/api/v1/sessions/${thu}`)
      .send({ startTime: '17:00', version: before.version })
      .expect(200);
    expect(moved.body.conflicts.map((c: { guideId: string }) => c.guideId).sort()).toEqual(
      [guides.iphone, guides.android].sort(),
    );
    expect(moved.body.conflicts[0]).toMatchObject({
      status: 'published',
      reasons: [
        {
          code: 'not_available',
          params: { weekday: 4, from: '17:00', to: '19:00', canWork: [{ from: '14:00', to: '18:00' }] },
          text: 'Can only work 14:00–18:00 on Thursdays. The session is 17:00–19:00.',
        },
      ],
    });
    const week = async () =>
      (await api.get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200)).body.sessions.find(
        (x: { id: string }) => x.id === thu,
      ).guides as { guideId: string; conflict: { text: string }[] | null }[];
    const conflicts = async () => (await week()).map((g) => g.conflict?.map((r) => r.text) ?? null);
    expect(await conflicts()).toEqual([[THU_LATE], [THU_LATE]]);
    const digest = await t.services.mailSchedule.digestOf(world.municipality.id, t.clock.now(), t.clock.now());
    expect(digest.conflicts.map((c) => c.guideName).sort()).toEqual(['Amina', 'Yonas']);
    expect(coordinatorDigest(digest).text).toContain(
      'Amina: Kan bara jobba 14:00–18:00 på torsdagar. Passet är 17:00–19:00.',
    );
    // Back to 15:00: nothing keeps them any more.
    const again = await api
      .patch(`/api/v1/sessions/${thu}`)
      .send({ startTime: '15:00', version: moved.body.version })
      .expect(200);
    expect(again.body.conflicts).toEqual([]);
    expect(await conflicts()).toEqual([null, null]);
    // Amina can no longer work Thursdays: her place is marked, nobody is taken off.
    await api
      .patch(`/api/v1/guides/${guides.iphone}`)
      .send({ availability: [{ weekday: 'tue', start: '14:00', end: '18:00' }] })
      .expect(200);
    const marked = await week();
    expect(marked.find((g) => g.guideId === guides.iphone)!.conflict!.map((r) => r.text)).toEqual([
      'Cannot work on Thursdays.',
    ]);
    expect(marked.find((g) => g.guideId === guides.android)!.conflict).toBeNull();
    // Fewer places than guides on it is refused, naming the field: someone must be taken off first.
    await api.post(`/api/v1/sessions/${thu}/assignments`).send({ guideId: guides.windows }).expect(201);
    const now = (await api.get(`/api/v1/sessions/${thu}`).expect(200)).body;
    const refused = await api.patch(`/api/v1/sessions/${thu}`).send({ maxGuides: 2, version: now.version }).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'guides_over_max', details: [{ field: 'body.maxGuides' }] });
    const hamid = (await week()).find((g) => g.guideId === guides.windows)! as unknown as { assignmentId: string };
    await api.delete(`/api/v1/assignments/${hamid.assignmentId}`).expect((r) => expect(r.status).toBeLessThan(300));
    // Taken off, Amina's mark goes with her; a cancelled café marks nobody.
    const amina = marked.find((g) => g.guideId === guides.iphone)! as unknown as { assignmentId: string };
    await api.delete(`/api/v1/assignments/${amina.assignmentId}`).expect((r) => expect(r.status).toBeLessThan(300));
    expect(await conflicts()).toEqual([null]);
  });

  it("takes a guide kept from a published café off it and asks substitutes at once, where the municipality chose 'release'", async () => {
    const admin = t.http(await t.tokenFor('admin'));
    const set = await admin
      .patch(`/api/v1/municipalities/${world.municipality.id}`)
      .send({ conflictPolicy: 'release' })
      .expect(200);
    expect(set.body.conflictPolicy).toBe('release');
    await admin.patch(`/api/v1/municipalities/${world.municipality.id}`).send({ conflictPolicy: 'never' }).expect(400);
    const api = t.http(coordinator);
    for (const key of ['iphone', 'android'])
      await api.post(`/api/v1/sessions/${thu}/assignments`).send({ guideId: guides[key] }).expect(201);
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    const mailsBefore = new Set((await t.dataSource.getRepository(OutboxMessage).find()).map((m) => m.id));
    // Thursday's café moves to 17–19; both can only work until 18:00: both are taken off, and others asked.
    const before = (await api.get(`/api/v1/sessions/${thu}`).expect(200)).body;
    const moved = await api
      .patch(`/api/v1/sessions/${thu}`)
      .send({ startTime: '17:00', version: before.version })
      .expect(200);
    expect(moved.body.conflicts.map((c: { released: boolean; status: string }) => [c.status, c.released])).toEqual([
      ['published', true],
      ['published', true],
    ]);
    expect(await t.dataSource.getRepository(Assignment).countBy({ sessionId: thu })).toBe(0);
    expect(await t.dataSource.getRepository(Vacancy).countBy({ sessionId: thu, status: 'open' })).toBe(2);
    const card = (
      await api.get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`).expect(200)
    ).body.sessions.find((x: { id: string }) => x.id === thu);
    expect(card.guides).toEqual([]);
    expect(card.openPlaces.map((o: { guide: string }) => o.guide).sort()).toEqual(['Amina', 'Yonas']);
    // Each of the two is told the café is off their schedule, and nothing else: not first asked to
    // answer for the new time.
    const told = (await t.dataSource.getRepository(OutboxMessage).find())
      .filter((m) => !mailsBefore.has(m.id) && m.guideId)
      .map((m) => [m.kind, m.guideId])
      .sort();
    expect(told).toEqual(
      [
        ['schedule_removed', guides.iphone],
        ['schedule_removed', guides.android],
      ].sort(),
    );
  });

  it("marks one café, not all, when a guide's hours drop below their week: the first cafés still fit", async () => {
    const api = t.http(coordinator);
    for (const s of [tue, thu])
      await api.post(`/api/v1/sessions/${s}/assignments`).send({ guideId: guides.iphone }).expect(201);
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    // Two cafés of two hours; Amina may now work two hours a week: Thursday's is the one that breaks.
    const changed = await api.patch(`/api/v1/guides/${guides.iphone}`).send({ maxHoursPerWeek: 2 }).expect(200);
    // The answer to the change says so, as a change to a café does.
    expect(
      changed.body.conflicts.map((c: { sessionId: string; reasons: { code: string }[] }) => [
        c.sessionId,
        c.reasons.map((r) => r.code),
      ]),
    ).toEqual([[thu, ['over_weekly_max']]]);
    const marked = await t.dataSource.getRepository(Assignment).findBy({ guideId: guides.iphone });
    expect(
      marked.map((a) => [a.sessionId === tue ? 'tue' : 'thu', a.conflict?.map((r) => r.code) ?? null]).sort(),
    ).toEqual([
      ['thu', ['over_weekly_max']],
      ['tue', null],
    ]);
  });

  it("finds the same conflicts, in the same order, when a week's guides are checked in parts (a county's week is)", async () => {
    const api = t.http(coordinator);
    for (const s of [tue, thu])
      for (const g of [guides.iphone, guides.android, guides.windows])
        await api.post(`/api/v1/sessions/${s}/assignments`).send({ guideId: g }).expect(201);
    await api.patch(`/api/v1/guides/${guides.iphone}`).send({ maxHoursPerWeek: 2 }).expect(200);
    await api.patch(`/api/v1/guides/${guides.windows}`).send({ maxHoursPerWeek: 2 }).expect(200);
    // The marks cleared, so that the check has changes to make as well as conflicts to find.
    await t.dataSource.getRepository(Assignment).update({ sessionId: thu }, { conflict: null });
    const week = '2026-W49';
    const check = (partSize: number) =>
      t.store.transaction(async (m) => {
        const states = new Map([
          [
            world.municipality.id,
            await weekChecks(m, world.municipality.id, [week], t.clock.now(), undefined, partSize),
          ],
        ]);
        return {
          parts: states.get(world.municipality.id)!.get(week)!.length,
          checked: await conflictsIn(
            m,
            states,
            [{ municipalityId: world.municipality.id, week }],
            new Set([guides.iphone, guides.android, guides.windows]),
            t.clock.now(),
          ),
        };
      });
    const whole = await check(100);
    expect(whole.parts).toBe(1);
    expect(whole.checked.conflicts.map((c) => [c.sessionId, c.guideId, c.reasons.map((r) => r.code)])).toEqual(
      [guides.iphone, guides.windows].sort().map((g) => [thu, g, ['over_weekly_max']]),
    );
    expect(whole.checked.changes).toHaveLength(2);
    for (const size of [1, 2]) {
      const parted = await check(size);
      expect(parted.parts).toBe(Math.ceil(3 / size));
      expect(parted.checked).toEqual(whole.checked);
    }
  });

  it('checks again a café restored after a cancellation: its guide may have been put elsewhere at that hour', async () => {
    const api = t.http(coordinator);
    await api.post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.iphone }).expect(201);
    await api.post(`/api/v1/sessions/${tue}/cancel`).send({ reason: 'Stängt' }).expect(200);
    const other = await api
      .post('/api/v1/sessions')
      .send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:30', durationMinutes: 60, seats: 8 })
      .expect(201);
    await api.post(`/api/v1/sessions/${other.body.id}/assignments`).send({ guideId: guides.iphone }).expect(201);
    await api.post(`/api/v1/sessions/${tue}/restore`).expect(200);
    const marks = (await t.dataSource.getRepository(Assignment).findBy({ guideId: guides.iphone })).map(
      (a) => a.conflict?.map((r) => r.code) ?? null,
    );
    expect(marks.filter((c) => c !== null)).toEqual([['busy_elsewhere']]);
  });

  it('checks again, when the travel between two venues grows, the guides who work at both the same day', async () => {
    const api = t.http(coordinator);
    const other = await api
      .post('/api/v1/venues')
      .send({ ...buildVenue(world.municipality.id), name: 'Träffpunkt Vivalla' })
      .expect(201);
    await api
      .put(`/api/v1/venues/${world.venue.id}/travel`)
      .send({ toVenueId: other.body.id, minutes: 10 })
      .expect(200);
    // Tuesday 15–17 at the library, then 17:20–18:00 at Vivalla: twenty minutes between.
    const late = await api
      .post('/api/v1/sessions')
      .send({ venueId: other.body.id, date: '2026-12-01', startTime: '17:20', durationMinutes: 40, seats: 8 })
      .expect(201);
    await api.post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.iphone }).expect(201);
    await api.post(`/api/v1/sessions/${late.body.id}/assignments`).send({ guideId: guides.iphone }).expect(201);
    const longer = await api
      .put(`/api/v1/venues/${world.venue.id}/travel`)
      .send({ toVenueId: other.body.id, minutes: 30 })
      .expect(200);
    expect(
      longer.body.conflicts.map((c: { sessionId: string; reasons: { code: string }[] }) => [
        c.sessionId,
        c.reasons.map((r) => r.code),
      ]),
    ).toEqual([[late.body.id, ['busy_elsewhere']]]);
    expect(longer.body.conflicts[0].reasons[0].text).toMatch(/\(30 minutes away\)\.$/);
    const back = await api
      .put(`/api/v1/venues/${world.venue.id}/travel`)
      .send({ toVenueId: other.body.id, minutes: 15 })
      .expect(200);
    expect(back.body.conflicts).toEqual([]);
    expect(await t.dataSource.getRepository(Assignment).countBy({ conflict: Not(IsNull()) })).toBe(0);
  });

  it('shows, before a change to a recurring café is saved, which guides on its cafés it would keep away', async () => {
    const api = t.http(coordinator);
    const series = await api
      .post('/api/v1/series')
      .send({
        venueId: world.venue.id,
        weekday: 'thu',
        startTime: '15:00',
        durationMinutes: 120,
        firstDate: '2026-12-10',
        lastDate: '2026-12-17',
        seats: 8,
      })
      .expect(201);
    const [first] = (await api.get('/api/v1/sessions').query({ seriesId: series.body.id }).expect(200)).body.items;
    const onIt = await api
      .post(`/api/v1/sessions/${first.id}/assignments`)
      .send({ guideId: guides.iphone })
      .expect(201);
    // Fewer places than guides on one of its cafés is refused, as for a single café.
    const more = [];
    for (const key of ['android', 'windows'])
      more.push(
        (await api.post(`/api/v1/sessions/${first.id}/assignments`).send({ guideId: guides[key] }).expect(201)).body,
      );
    const fewer = await api
      .patch(`/api/v1/series/${series.body.id}`)
      .send({ maxGuides: 2, version: series.body.version })
      .expect(409);
    expect(fewer.body.error).toMatchObject({ code: 'guides_over_max', details: [{ field: 'body.maxGuides' }] });
    for (const a of more)
      await api.delete(`/api/v1/assignments/${a.id}`).expect((r) => expect(r.status).toBeLessThan(300));
    const change = { startTime: '17:00', version: series.body.version };
    const preview = await api.post(`/api/v1/series/${series.body.id}/preview`).send(change).expect(200);
    expect(preview.body.conflicts).toEqual([
      expect.objectContaining({
        assignmentId: onIt.body.id,
        reasons: [expect.objectContaining({ code: 'not_available', text: THU_LATE })],
      }),
    ]);
    // The preview stored nothing.
    expect((await t.dataSource.getRepository(Assignment).findOneByOrFail({ id: onIt.body.id })).conflict).toBeNull();
    const saved = await api.patch(`/api/v1/series/${series.body.id}`).send(change).expect(200);
    expect(saved.body.conflicts.map((c: { assignmentId: string }) => c.assignmentId)).toEqual([onIt.body.id]);
  });

  it('says at sign-up when no guide on the café knows what the senior brings, and who could come for it', async () => {
    const api = t.http(coordinator);
    await api.post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.iphone }).expect(201);
    const signUp = async (platform: 'ios' | 'android' | 'windows') => {
      const senior = await t.services.seniors.create(
        buildSenior(world.municipality.id, { devices: [{ platform, kind: 'phone' }] }),
      );
      return (await api.post(`/api/v1/sessions/${tue}/registrations`).send({ seniorId: senior.id }).expect(201)).body;
    };
    expect((await signUp('ios')).uncovered).toEqual([]); // Amina knows iPhones
    expect((await signUp('android')).uncovered).toEqual([
      { platform: 'android', couldCome: [{ guideId: guides.android, name: 'Yonas' }] },
    ]);
    // Hamid knows Windows but is on no other café then: free to come. Olena works mornings only.
    expect((await signUp('windows')).uncovered).toEqual([
      { platform: 'windows', couldCome: [{ guideId: guides.windows, name: 'Hamid' }] },
    ]);
  });

  it('says which session is short and who came nearest', async () => {
    await t.services.guides.update(guides.android, { active: false });
    const res = await plan().expect(201);
    // Without the Android guide both cafés still run, but nobody there knows Android.
    expect(res.body.shortfalls).toEqual([]);
    expect(res.body.uncovered).toEqual([
      {
        sessionId: tue,
        platform: 'android',
        seniors: 1,
        reason: {
          code: 'no_platform_guide',
          params: { platform: 'android', seniors: 1 },
          text: '1 senior brings Android. No guide who knows it can work then.',
        },
      },
    ]);
    await t.services.guides.update(guides.windows, { active: false });
    const short = await plan().expect(201);
    expect(short.body.shortfalls.map((s: { sessionId: string }) => s.sessionId).sort()).toEqual([tue, thu].sort());
    const tueShort = short.body.shortfalls.find((s: { sessionId: string }) => s.sessionId === tue);
    expect(
      tueShort.candidates
        .find((c: { guideId: string }) => c.guideId === guides.mornings)
        .blockedBy.map((r: { text: string }) => r.text),
    ).toEqual([OLENA_TUE]);
  });

  it('publishes the week, keeps it when re-planning, and ranks substitutes when a guide falls ill', async () => {
    const first = await plan().expect(201);
    const published = await t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    expect(published.body.published).toBe(first.body.assignments.length);
    const again = await plan().expect(201);
    expect(
      again.body.assignments
        .map((a: { guideId: string; sessionId: string; status: string }) => [a.sessionId, a.guideId, a.status])
        .sort(),
    ).toEqual(
      first.body.assignments
        .map((a: { guideId: string; sessionId: string }) => [a.sessionId, a.guideId, 'published'])
        .sort(),
    );

    const ill = again.body.assignments.find(
      (a: { guideId: string; sessionId: string }) => a.guideId === guides.iphone && a.sessionId === tue,
    );
    const subs = await t.http(coordinator).get(`/api/v1/assignments/${ill.id}/substitutes`).expect(200);
    const ids = subs.body.items.map((c: { guideId: string }) => c.guideId);
    expect(ids[0]).toBe(guides.windows); // free then; the only one who is
    expect(subs.body.items.find((c: { guideId: string }) => c.guideId === guides.mornings)).toMatchObject({
      gain: null,
      why: [],
      blockedBy: [expect.objectContaining({ code: 'not_available', text: OLENA_TUE })],
    });
    expect(ids).not.toContain(guides.iphone);
  });

  it('lets one of two coordinators publishing the same plan at once win; the other gets 409, and so does a superseded plan', async () => {
    const other = await t.tokenFor('coordinator', world.municipality.id);
    const drafted = await plan().expect(201);
    const publish = (token: string, planId: string) =>
      t
        .http(token)
        .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
        .send({ from: '2026-11-30', to: '2026-12-06', planId });
    const answers = await Promise.all([publish(coordinator, drafted.body.id), publish(other, drafted.body.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(answers.find((r) => r.status === 409)!.body.error).toMatchObject({
      code: 'already_published',
      details: [{ field: 'body.planId' }],
    });
    expect(answers.find((r) => r.status === 200)!.body.published).toBe(drafted.body.assignments.length);
    // Planned again after a coordinator reviewed a draft: publishing the old draft is refused.
    const old = await plan().expect(201);
    t.clock.advance(60_000);
    await plan().expect(201);
    expect((await publish(coordinator, old.body.id).expect(409)).body.error.code).toBe('plan_superseded');
    // A plan names its own week: it cannot publish another.
    const latest = await plan().expect(201);
    const mismatch = await t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-12-07', to: '2026-12-13', planId: latest.body.id })
      .expect(422);
    expect(mismatch.body.error).toMatchObject({ code: 'plan_period_mismatch', details: [{ field: 'body.planId' }] });
  });

  it("shows the guides on duty in the week view, and each guide's own published sessions on their page", async () => {
    const drafted = await plan().expect(201);
    const week = await t
      .http(coordinator)
      .get(`/api/v1/municipalities/${world.municipality.id}/weeks/2026-W49`)
      .expect(200);
    const tuesday = week.body.sessions.find((x: { id: string }) => x.id === tue);
    expect(tuesday.guides.map((g: { name: string }) => g.name).sort()).toEqual(['Amina', 'Yonas']);
    expect(tuesday.guides.every((g: { status: string }) => g.status === 'draft')).toBe(true);

    const link = await t.http(coordinator).post(`/api/v1/guides/${guides.iphone}/links`).send({}).expect(201);
    const page = () => t.http().get('/api/v1/guide/me').query({ token: link.body.token }).expect(200);
    expect((await page()).body.assignments).toEqual([]); // drafts are not news for guides yet
    // Nor hours they may never work: on 1 December, the month's drafts count for nothing on her page.
    t.clock.set('2026-12-01T06:00:00Z');
    expect((await page()).body.plannedMinutes).toBe(0);
    await t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    const mine = drafted.body.assignments.filter((a: { guideId: string }) => a.guideId === guides.iphone);
    const shown = (await page()).body.assignments;
    expect((await page()).body.plannedMinutes).toBe(120 * mine.length);
    expect(shown.map((a: { assignmentId: string }) => a.assignmentId).sort()).toEqual(
      mine.map((a: { id: string }) => a.id).sort(),
    );
    expect(shown[0]).toMatchObject({
      localDate: '2026-12-01',
      startTime: '15:00',
      endTime: '17:00',
      venue: world.venue.name,
    });
  });

  it('swaps one guide for another in one step, checked as if the old one had gone; a refused swap changes nothing', async () => {
    const api = t.http(coordinator);
    // A café on Tuesday 8 December with room for two guides, and two on it, published and told.
    const full = (
      await api
        .post('/api/v1/sessions')
        .send({
          venueId: world.venue.id,
          date: '2026-12-08',
          startTime: '15:00',
          durationMinutes: 120,
          seats: 8,
          maxGuides: 2,
        })
        .expect(201)
    ).body.id;
    const amina = (await api.post(`/api/v1/sessions/${full}/assignments`).send({ guideId: guides.iphone }).expect(201))
      .body;
    await api.post(`/api/v1/sessions/${full}/assignments`).send({ guideId: guides.android }).expect(201);
    await api
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-12-07', to: '2026-12-13' })
      .expect(200);
    const rows = () =>
      t.dataSource.getRepository(Assignment).find({ where: { sessionId: full }, order: { guideId: 'ASC' } });
    const mails = () => t.dataSource.getRepository(OutboxMessage).find({ order: { createdAt: 'ASC', id: 'ASC' } });
    const swap = (guideId: string) => api.post(`/api/v1/assignments/${amina.id}/swap`).send({ guideId });
    const before = { rows: await rows(), mails: await mails() };
    expect(before.rows.map((a) => a.status)).toEqual(['published', 'published']);

    // The session is full: Hamid cannot join it …
    const joined = await api.post(`/api/v1/sessions/${full}/assignments`).send({ guideId: guides.windows }).expect(422);
    expect(joined.body.error.details).toEqual([
      { field: 'body.guideId', issue: 'The session is full.', reason: { code: 'session_full', params: {} } },
    ]);
    // … Olena is not free then, so she cannot take Amina's place: refused with the reason, and Amina keeps it, untold of anything.
    const refused = await swap(guides.mornings).expect(422);
    expect(refused.body.error).toMatchObject({
      code: 'breaks_hard_rule',
      details: [{ field: 'body.guideId', issue: OLENA_TUE }],
    });
    expect((await swap(guides.iphone).expect(409)).body.error).toMatchObject({
      code: 'already_assigned',
      details: [{ field: 'body.guideId' }],
    });
    expect((await swap(guides.android).expect(409)).body.error).toMatchObject({
      code: 'already_assigned',
      details: [{ field: 'body.guideId' }],
    });
    expect({ rows: await rows(), mails: await mails() }).toEqual(before);

    // Hamid can take Amina's place: he is checked as if she had already gone.
    const swapped = await swap(guides.windows).expect(201);
    expect(swapped.body).toMatchObject({
      sessionId: full,
      guideId: guides.windows,
      pinned: true,
      source: 'manual',
      status: 'draft',
      reasons: [{ code: 'put_by_coordinator', params: {}, text: 'Put here by a coordinator.' }],
    });
    expect((await rows()).map((a) => a.guideId).sort()).toEqual([guides.android, guides.windows].sort());
    await api.patch(`/api/v1/assignments/${amina.id}`).send({ pinned: false }).expect(404);
    // Amina, who was told of the session, is told it is off her schedule; in the same step.
    const told = (await mails()).filter((m) => !before.mails.some((b) => b.id === m.id));
    expect(told.map((m) => m.kind)).toEqual(['schedule_removed']);
    const actions = (await t.dataSource.getRepository(AuditEntry).find({ where: { entityId: full } }))
      .map((a) => a.action)
      .sort();
    expect(actions).toEqual(['assignment.override', 'assignment.override', 'assignment.swap', 'session.create']);

    // Once the café is over there is nothing to swap.
    t.clock.set('2026-12-08T16:00:01Z');
    const after = await rows();
    const over = await api
      .post(`/api/v1/assignments/${swapped.body.id}/swap`)
      .send({ guideId: guides.iphone })
      .expect(409);
    expect(over.body.error.code).toBe('session_over');
    expect(await rows()).toEqual(after);
  });

  it('ranks who could join a session short of guides: the free ones by what they add, then those kept out and why; not those on it', async () => {
    const api = t.http(coordinator);
    await api.post(`/api/v1/sessions/${tue}/assignments`).send({ guideId: guides.iphone }).expect(201);
    const res = await api.get(`/api/v1/sessions/${tue}/candidates`).expect(200);
    const ids = res.body.items.map((c: { guideId: string }) => c.guideId);
    expect(ids).not.toContain(guides.iphone);
    // The Arabic-speaking Android guide covers the one senior with an Android phone, who prefers Arabic: first.
    expect(ids.slice(0, 2)).toEqual([guides.android, guides.windows]);
    const [android, windows] = res.body.items;
    expect(android.gain).toBeGreaterThan(windows.gain);
    expect(res.body.items.at(-1)).toEqual({
      guideId: guides.mornings,
      gain: null,
      why: [],
      blockedBy: [
        {
          code: 'not_available',
          params: { weekday: 2, from: '15:00', to: '17:00', canWork: [{ from: '08:00', to: '12:00' }] },
          text: OLENA_TUE,
        },
      ],
    });
    // Those free to come say why they stand where they do.
    expect(android.why.map((r: { text: string }) => r.text)).toEqual([
      'Knows Android: 1 senior brings one.',
      'Speaks Arabic: 1 senior speaks it.',
    ]);
    await t
      .http(await t.tokenFor('viewer', world.municipality.id))
      .get(`/api/v1/sessions/${tue}/candidates`)
      .expect(403);
    // Nobody can join a cancelled café, or one that is over: 409, not a list of guides who seem free.
    await api.post(`/api/v1/sessions/${thu}/cancel`).send({ reason: 'Stängt' }).expect(200);
    expect((await api.get(`/api/v1/sessions/${thu}/candidates`).expect(409)).body.error.code).toBe('session_cancelled');
    t.clock.set('2026-12-31T12:00:00Z');
    expect((await api.get(`/api/v1/sessions/${tue}/candidates`).expect(409)).body.error.code).toBe('session_over');
  });

  it("lets a guide make their own calendar feed with their page's link: their published sessions, and a link the coordinator can revoke", async () => {
    await plan().expect(201);
    await t
      .http(coordinator)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    const token = (await t.services.guideLinks.issue(guides.iphone, 'access')).token;
    const made = await request(t.app).post('/api/v1/guide/calendar').query({ token }).expect(201);
    expect(made.body.webcalUrl).toBe(made.body.url.replace(/^https?:/, 'webcal:'));
    const path = new URL(made.body.url).pathname;
    const feed = await request(t.app)
      .get(path)
      .expect(200)
      .expect('Content-Type', /text\/calendar/);
    const page = await request(t.app).get('/api/v1/guide/me').query({ token }).expect(200);
    expect(page.body.assignments.length).toBeGreaterThan(0);
    const events = parseIcs(feed.text).events;
    expect(events.map((e) => e.localStart)).toEqual(
      page.body.assignments.map((a: { startTime: string }) => a.startTime),
    );
    expect(events.map((e) => e.start.toISOString().slice(0, 10))).toEqual(
      page.body.assignments.map((a: { localDate: string }) => a.localDate),
    );
    // The coordinator sees the guide's new feed link among the guide's links, and can revoke it.
    const links = await t.http(coordinator).get(`/api/v1/guides/${guides.iphone}/links`).expect(200);
    const calendar = links.body.items.filter((l: { purpose: string }) => l.purpose === 'calendar');
    expect(calendar).toEqual([expect.objectContaining({ revokedAt: null, expiresAt: made.body.expiresAt })]);
    // Made by the guide (the audit says so), and asked for again, the same address: one link, not one per click.
    const issued = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityId: guides.iphone, action: 'guide_link.issue' }, order: { at: 'ASC' } });
    expect(issued.at(-1)).toMatchObject({ actorType: 'guide', actorId: guides.iphone, fields: ['calendar'] });
    expect((await request(t.app).post('/api/v1/guide/calendar').query({ token }).expect(201)).body.url).toBe(
      made.body.url,
    );
    await t.http(coordinator).post(`/api/v1/guide-links/${calendar[0].id}/revoke`).expect(200);
    await request(t.app).get(path).expect(401);
    // A revoked feed is never handed out again: the next ask makes a new one.
    const fresh = await request(t.app).post('/api/v1/guide/calendar').query({ token }).expect(201);
    expect(fresh.body.url).not.toBe(made.body.url);
    await request(t.app).get(new URL(fresh.body.url).pathname).expect(200);
  });

  it('lets a viewer read the plan but not make one', async () => {
    const viewer = await t.tokenFor('viewer', world.municipality.id);
    const res = await plan().expect(201);
    await t.http(viewer).get(`/api/v1/plans/${res.body.id}`).expect(200);
    await t
      .http(viewer)
      .post(`/api/v1/municipalities/${world.municipality.id}/plans`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(403);
  });
});

describe('Walk-ins', () => {
  it('add demand at a venue where seniors drop in, by the platforms the municipality’s seniors bring', async () => {
    const t = await createTestApp('2026-11-24T09:00:00Z');
    try {
      const world = await createWorld(t.services);
      await t.http().patch(`/api/v1/venues/${world.venue.id}`).send({ expectedWalkIns: 4 }).expect(200);
      await t.services.seniors.create(
        buildSenior(world.municipality.id, { devices: [{ platform: 'android', kind: 'phone' }] }),
      );
      const s = (
        await t
          .http()
          .post('/api/v1/sessions')
          .send({ venueId: world.venue.id, date: '2026-12-01', startTime: '15:00', durationMinutes: 120, seats: 8 })
          .expect(201)
      ).body;
      const always = [{ weekday: 'tue' as const, start: '14:00', end: '18:00' }];
      const android = await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          platforms: [{ platform: 'android', level: 'good' }],
          availability: always,
        }),
      );
      await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          platforms: [{ platform: 'ios', level: 'good' }],
          availability: always,
        }),
      );
      await t.services.guides.create(
        buildGuide(world.association.id, world.municipality.id, {
          platforms: [{ platform: 'ios', level: 'good' }],
          availability: always,
        }),
      );
      // Nobody has signed up, yet four Android walk-ins are expected: the Android guide is on duty.
      const res = await t
        .http()
        .post(`/api/v1/municipalities/${world.municipality.id}/plans`)
        .send({ from: '2026-12-01', to: '2026-12-01', seed: 1 })
        .expect(201);
      const onDuty = res.body.assignments.filter((a: { sessionId: string }) => a.sessionId === s.id);
      expect(onDuty.map((a: { guideId: string }) => a.guideId)).toContain(android.id);
      expect(onDuty.find((a: { guideId: string }) => a.guideId === android.id).reasons[0]).toMatchObject({
        code: 'knows_platform',
        params: { platform: 'android', seniors: 4 },
      });
    } finally {
      await t.close();
    }
  });
});

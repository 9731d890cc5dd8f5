import { attack } from '../support/attacker';
import {
  Assignment,
  AuditEntry,
  GuideShift,
  Organisation,
  OutboxMessage,
  ReportHelpCell,
  Session,
  SessionReport,
} from '../../src/db/entities';
import { newId } from '../../src/db/columns';
import { ReportService } from '../../src/services/reports.service';
import { buildGuide, buildSenior, buildVenue, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * A hand-computed month: Örebro's library (L) and Vivalla (V) in March 2027, under a contract
 * that began on 1 February. Every figure below is counted by hand from the scenario.
 *
 *   Feb 23 L  S3 came (seated).                                   G1 14:00–16:00
 *   Mar  2 L  S1 came, S2 did not (seated); walk-ins S3 and two   G1 14:00–16:00, G2 14:00–16:30
 *             anonymous (75+, newly arrived). BankID ×2, iPhone ×3
 *   Mar  9 L  S1 and S2 came (seated); a new walk-in, Nils        G1 14:00–16:00, G2 no-show,
 *             (65–74, man)                                         G3 14:00–15:30 (substitute)
 *   Mar 10 V  walk-ins S4 and S1. E-mail ×1                       G2, G3 10:00–12:00
 *   Mar 16 L  cancelled: "Sjuk personal"
 *   Mar 24 V  not reported
 */
describe(ReportService.name, () => {
  let t: TestApp;
  let world: Awaited<ReturnType<typeof createWorld>>;
  let coordinator: string;
  let contractId: string;
  let vivalla: string;
  const s: Record<string, string> = {};
  const g: Record<string, string> = {};
  const sessions: Record<string, string> = {};

  beforeEach(async () => {
    t = await createTestApp('2027-02-01T08:00:00Z');
    world = await createWorld(t.services);
    coordinator = await t.tokenFor('coordinator', world.municipality.id);
    contractId = (
      await t.services.organisations.createContract({
        municipalityId: world.municipality.id,
        associationId: world.association.id,
        reference: 'KS 2027/12',
        startsOn: '2027-02-01',
        endsOn: '2027-12-31',
        reportingPeriod: 'month',
      })
    ).id;
    vivalla = (await t.services.venues.create(buildVenue(world.municipality.id, { name: 'Vivalla träffpunkt' }))).id;
    const api = t.http(coordinator);
    const session = async (key: string, venueId: string, date: string, startTime: string) =>
      (sessions[key] = (
        await api
          .post('/api/v1/sessions')
          .send({ venueId, date, startTime, durationMinutes: 120, seats: 8 })
          .expect(201)
      ).body.id);
    await session('feb23', world.venue.id, '2027-02-23', '14:00');
    await session('mar2', world.venue.id, '2027-03-02', '14:00');
    await session('mar9', world.venue.id, '2027-03-09', '14:00');
    await session('mar10', vivalla, '2027-03-10', '10:00');
    await session('mar16', world.venue.id, '2027-03-16', '14:00');
    await session('mar24', vivalla, '2027-03-24', '10:00');
    await api.post(`/api/v1/sessions/${sessions.mar16}/cancel`).send({ reason: 'Sjuk personal' }).expect(200);
    const senior = async (key: string, o: Parameters<typeof buildSenior>[1]) =>
      (s[key] = (await t.services.seniors.create(buildSenior(world.municipality.id, o))).id);
    await senior('s1', { displayName: 'Ingrid', ageBand: '75_plus', gender: 'woman', newlyArrived: false });
    await senior('s2', { displayName: 'Bo', ageBand: '65_74', gender: 'man', newlyArrived: true });
    await senior('s3', { displayName: 'Maja', ageBand: 'under_65', gender: 'woman' });
    await senior('s4', { displayName: 'Rut', ageBand: '75_plus' });
    const seat = (session: string, who: string) =>
      t.services.registrations.register(sessions[session], { seniorId: s[who] });
    await seat('feb23', 's3');
    await seat('mar2', 's1');
    await seat('mar2', 's2');
    await seat('mar9', 's1');
    await seat('mar9', 's2');
    for (const key of ['g1', 'g2', 'g3'])
      g[key] = (
        await t.services.guides.create(
          buildGuide(world.association.id, world.municipality.id, { name: `Guide ${key.toUpperCase()}` }),
        )
      ).id;
    // The published schedule (written directly: how it was planned is not what is tested here).
    const now = t.clock.now();
    const publish = (session: string, guide: string) =>
      t.dataSource.getRepository(Assignment).insert({
        id: newId(),
        sessionId: sessions[session],
        guideId: g[guide],
        status: 'published',
        pinned: true,
        source: 'manual',
        reasons: [],
        planId: null,
        createdAt: now,
        updatedAt: now,
        publishedAt: now,
        notified: null,
        notifiedAt: now,
        sequence: 1,
        response: 'pending',
        respondedAt: null,
      });
    for (const [session, guide] of [
      ['feb23', 'g1'],
      ['mar2', 'g1'],
      ['mar2', 'g2'],
      ['mar9', 'g1'],
      ['mar9', 'g2'],
      ['mar10', 'g2'],
      ['mar10', 'g3'],
    ])
      await publish(session, guide);

    t.clock.set('2027-03-31T18:00:00Z');
    const report = (session: string, body: object) =>
      api.post(`/api/v1/sessions/${sessions[session]}/report`).send(body).expect(201);
    await report('feb23', { came: [s.s3], guides: [{ guideId: g.g1, start: '14:00', end: '16:00' }] });
    await report('mar2', {
      came: [s.s1],
      walkIns: { seniorIds: [s.s3], anonymous: [{ count: 2, ageBand: '75_plus', newlyArrived: true }] },
      help: { topics: { bankid: 2 }, platforms: { ios: 3 } },
      guides: [
        { guideId: g.g1, start: '14:00', end: '16:00' },
        { guideId: g.g2, start: '14:00', end: '16:30' },
      ],
      dayReport: 'Lugn dag. Många frågor om BankID.',
    });
    await report('mar9', {
      came: [s.s1, s.s2],
      walkIns: {
        newSeniors: [
          {
            displayName: 'Nils',
            phone: null,
            consentGivenAt: '2027-03-09T13:30:00Z',
            ageBand: '65_74',
            gender: 'man',
            newlyArrived: false,
          },
        ],
      },
      guides: [
        { guideId: g.g1, start: '14:00', end: '16:00' },
        { guideId: g.g2, status: 'no_show' },
        { guideId: g.g3, start: '14:00', end: '15:30' },
      ],
    });
    await report('mar10', {
      walkIns: { seniorIds: [s.s4, s.s1] },
      help: { topics: { email: 1 } },
      guides: [
        { guideId: g.g2, start: '10:00', end: '12:00' },
        { guideId: g.g3, start: '10:00', end: '12:00' },
      ],
    });
  });
  afterEach(() => t.close());

  const figures = () => t.services.reports.figures(contractId, '2027-03');

  it('counts the month exactly: sessions, visits, unique and repeat visitors, age bands, hours', async () => {
    const f = await figures();
    expect(f.total).toMatchObject({
      sessions: { planned: 5, held: 3, cancelled: 1 },
      visits: 9,
      registeredVisits: 3,
      walkInVisits: 6,
      anonymousVisits: 2,
      seniorNoShows: 1,
      uniqueVisitors: 7,
      repeatVisitors: 1,
      // Since 1 February Maja (S3) has come twice too.
      sinceContractStart: { uniqueVisitors: 7, repeatVisitors: 2 },
      ageBands: { under_65: 1, '65_74': 2, '75_plus': 4, unknown: 0 },
      gender: { woman: 2, man: 2, other: 0, unknown: 3 },
      newlyArrived: 3,
      topics: { bankid: 2, email: 1 },
      platforms: { ios: 3 },
      guideShifts: 6,
      guideMinutes: 720,
      guideNoShows: 1,
      seniorsPerGuide: 1.5,
      cancelReasons: [{ reason: 'Sjuk personal', sessions: 1 }],
    });
    const venue = (name: string) => f.venues.find((v) => v.name === name)!;
    expect(venue(world.venue.name)).toMatchObject({
      sessions: { planned: 3, held: 2, cancelled: 1 },
      visits: 7,
      uniqueVisitors: 6,
      repeatVisitors: 1,
    });
    expect(venue('Vivalla träffpunkt')).toMatchObject({
      sessions: { planned: 2, held: 1, cancelled: 0 },
      visits: 2,
      uniqueVisitors: 2,
      repeatVisitors: 0,
    });
    expect(f.guides.map((x) => [x.name, x.shifts, x.minutes, x.noShows, x.substituteShifts])).toEqual([
      ['Guide G1', 2, 240, 0, 0],
      ['Guide G2', 2, 270, 1, 0],
      ['Guide G3', 2, 210, 0, 1],
    ]);
  });

  it('keeps the counts when a senior is erased, also through a later correction', async () => {
    const before = await figures();
    await t.http(coordinator).post(`/api/v1/seniors/${s.s2}/erase`).expect(200);
    await t.http(coordinator).post(`/api/v1/seniors/${s.s4}/erase`).expect(200);
    expect(await figures()).toEqual(before);
    // Vivalla's report is corrected after Rut (a walk-in) was erased: she still counts, with the age band recorded then.
    const mar10 = {
      walkIns: { seniorIds: [s.s4, s.s1] },
      help: { topics: { email: 1 } },
      guides: [
        { guideId: g.g2, start: '10:00', end: '12:00' },
        { guideId: g.g3, start: '10:00', end: '12:30' },
      ],
    };
    await t
      .http(coordinator)
      .put(`/api/v1/sessions/${sessions.mar10}/report`)
      .send({ ...mar10, revision: 1 })
      .expect(200);
    const after = await figures();
    expect(after.total).toMatchObject({
      visits: before.total.visits,
      uniqueVisitors: before.total.uniqueVisitors,
      ageBands: before.total.ageBands,
      guideMinutes: before.total.guideMinutes + 30,
    });
  });

  it("gives a guide's form what is recorded so far, to correct from", async () => {
    const token = (await t.services.guideLinks.issue(g.g2, 'access')).token;
    const form = await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar10}/report-form`)
      .query({ token })
      .expect(200);
    expect(form.body.current).toMatchObject({
      came: [],
      help: { topics: { email: 1 }, platforms: {} },
      dayReport: null,
      guides: expect.arrayContaining([{ guideId: g.g2, status: 'worked', start: '10:00', end: '12:00' }]),
    });
    // Both walk-ins are there to correct from, unnamed: G2 helped neither, and the café was three weeks ago.
    expect(form.body.current.walkIns.seniors.map((x: { displayName: string | null }) => x.displayName)).toEqual([
      null,
      null,
    ]);
  });

  it('shows a correction in the next report and in the audit trail, and refuses one made on an old copy', async () => {
    const api = t.http(coordinator);
    const current = await api.get(`/api/v1/sessions/${sessions.mar10}/report`).expect(200);
    expect(current.body.revision).toBe(1);
    const body = {
      walkIns: { seniorIds: [s.s4, s.s1], anonymous: [{ count: 1, ageBand: 'under_65' }] },
      help: { topics: { email: 1 } },
      guides: [
        { guideId: g.g2, start: '10:00', end: '12:00' },
        { guideId: g.g3, start: '10:00', end: '12:00' },
      ],
    };
    const corrected = await api
      .put(`/api/v1/sessions/${sessions.mar10}/report`)
      .send({ ...body, revision: 1 })
      .expect(200);
    expect(corrected.body.revision).toBe(2);
    const stale = await api
      .put(`/api/v1/sessions/${sessions.mar10}/report`)
      .send({ ...body, revision: 1 })
      .expect(409);
    expect(stale.body.error).toMatchObject({
      code: 'stale_revision',
      details: [{ field: 'body.revision', issue: 'current revision is 2' }],
    });
    expect((await figures()).total).toMatchObject({ visits: 10, uniqueVisitors: 8, ageBands: { under_65: 2 } });
    const trail = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { entityId: sessions.mar10 }, order: { at: 'ASC' } });
    expect(trail.map((a) => a.action)).toEqual(['session.create', 'report.create', 'report.correct']);
  });

  it('refuses to report a session twice by accident, or one that has not started', async () => {
    const api = t.http(coordinator);
    const again = await api
      .post(`/api/v1/sessions/${sessions.mar10}/report`)
      .send({ walkIns: { seniorIds: [s.s4] } })
      .expect(409);
    expect(again.body.error.code).toBe('already_reported');
    const later = (
      await api
        .post('/api/v1/sessions')
        .send({ venueId: vivalla, date: '2027-04-07', startTime: '10:00', durationMinutes: 120, seats: 8 })
        .expect(201)
    ).body.id;
    expect((await api.post(`/api/v1/sessions/${later}/report`).send({}).expect(409)).body.error.code).toBe(
      'session_not_started',
    );
    expect((await api.post(`/api/v1/sessions/${sessions.mar16}/report`).send({}).expect(409)).body.error.code).toBe(
      'session_cancelled',
    );
  });

  it('records actual hours as instants, and a scheduled guide left out as a no-show', async () => {
    const r = await t.http(coordinator).get(`/api/v1/sessions/${sessions.mar9}/report`).expect(200);
    expect(r.body.guides).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          guideId: g.g1,
          status: 'worked',
          substitute: false,
          startedAt: '2027-03-09T13:00:00.000Z',
          minutes: 120,
        }),
        expect.objectContaining({ guideId: g.g2, status: 'no_show', minutes: 0 }),
        expect.objectContaining({ guideId: g.g3, status: 'worked', substitute: true, minutes: 90 }),
      ]),
    );
  });

  it('counts held (reported), not reported yet, cancelled and coming cafés apart, and lists the ones to report', async () => {
    const api = t.http(coordinator);
    const month = async () => (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03`).expect(200)).body;
    // 31 March: 2, 9 and 10 March reported; 16 March cancelled; 24 March (Vivalla) over and not reported.
    const march = await month();
    expect(march.total.sessions).toEqual({ planned: 5, held: 3, unreported: 1, cancelled: 1, upcoming: 0 });
    expect(march.total.unreportedSessions).toEqual([
      { sessionId: sessions.mar24, localDate: '2027-03-24', startTime: '10:00', venue: 'Vivalla träffpunkt' },
    ]);
    expect(march.venues.find((v: { name: string }) => v.name === 'Vivalla träffpunkt').sessions).toMatchObject({
      held: 1,
      unreported: 1,
    });
    const csv = (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03/csv`).expect(200)).text;
    expect(csv).toContain('Inte rapporterade caféer / Cafés not reported yet;1;0;1');
    expect(csv).toContain('2027-03-24;10:00;Vivalla träffpunkt');
    // Earlier, on 20 March, the café of the 24th was still to come: not counted as unreported.
    t.clock.set('2027-03-20T08:00:00Z');
    expect((await month()).total.sessions).toMatchObject({ held: 3, unreported: 0, upcoming: 1 });
  });

  it('hides cells under three persons in what goes to the municipality, as JSON, CSV and a printable page', async () => {
    const api = t.http(await t.tokenFor('viewer', world.municipality.id));
    const json = (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03`).expect(200)).body;
    expect(json.total).toMatchObject({
      visits: 9,
      uniqueVisitors: 7,
      ageBands: { under_65: '<3', '65_74': '<3', '75_plus': 4, unknown: 0 },
      guideHours: 12,
    });
    expect(json.venues.find((v: { name: string }) => v.name === 'Vivalla träffpunkt')).toMatchObject({
      visits: '<3',
      uniqueVisitors: '<3',
      seniorsPerGuide: null,
    });
    expect(JSON.stringify(json)).not.toMatch(/Ingrid|Maja|Nils|Rut|"Bo"/);
    const csv = await api
      .get(`/api/v1/contracts/${contractId}/reports/2027-03/csv`)
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    expect(csv.headers['content-disposition']).toContain('bryggan-rapport-2027-03.csv');
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    // Vivalla's 2 is "<3"; the library's figure is hidden too ("x"), or 7 − 6 would give Vivalla's away.
    expect(csv.text).toContain('Unika besökare / Unique visitors;7;x;<3');
    expect(csv.text).toContain('Besök / Visits;9;x;<3');
    expect(csv.text).toContain('Guidetimmar / Guide hours;12;8;4');
    expect(csv.text).toContain('Guide G2;2;4,5;1;0');
    const page = await api
      .get(`/api/v1/contracts/${contractId}/reports/2027-03/print`)
      .expect(200)
      .expect('Content-Type', /text\/html/);
    expect(page.text).toContain('<svg');
    expect(page.text).toContain('Vivalla träffpunkt');
    expect(page.text).not.toMatch(/Ingrid|Maja|Nils/);
    // No row of the CSV is a label with empty cells: a figure not given is "–".
    expect(csv.text).not.toMatch(/^[^;\r\n]+;+\r$/m);
    expect(csv.text).toMatch(/^Andel nyanlända \/ Share newly arrived;[^;\r]+;[^;\r]+;[^;\r]+\r$/m);
    // The library's hidden visits ("x") get no bar in the chart; Vivalla's "<3" a bar of one.
    const barOf = (shown: string) =>
      [
        ...page.text.matchAll(
          /width="(\d+)" height="14" fill="#1d4ed8"\/><text x="\d+" y="\d+" font-size="12">([^<]*)<\/text>/g,
        ),
      ]
        .filter((m) => m[2] === shown)
        .map((m) => Number(m[1]));
    expect(barOf('x')).toEqual([0]);
    expect(barOf('&lt;3')[0]).toBeGreaterThan(0);
  });

  it('leaves no count of one or two persons to be worked out from a report, however its figures are added up', async () => {
    const api = t.http(await t.tokenFor('viewer', world.municipality.id));
    for (const period of ['2027-03', '2027-Q1', '2027']) {
      const json = (await api.get(`/api/v1/contracts/${contractId}/reports/${period}`).expect(200)).body;
      expect(await attack(json, await t.services.reports.figures(contractId, period))).toEqual([]);
    }
    // Women 2, men 2, others 0, unknown 3 of 7 visitors: two "<3" alone would both be 2.
    const march = (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03`).expect(200)).body;
    for (const who of ['woman', 'man']) expect(['<3', 'x']).toContain(march.total.gender[who]);
    expect(Object.values(march.total.gender)).toContain('x');
  });

  describe('topics by platform', () => {
    /** Vivalla on 24 March: five walk-ins, each helped with one thing on one device. */
    const mar24 = (topicsByPlatform?: object[] | null) => ({
      walkIns: { anonymous: [{ count: 5 }] },
      help: { topics: { bankid: 3, email: 2 }, platforms: { ios: 4, android: 1 }, topicsByPlatform },
    });
    const cells = [
      { platform: 'ios', topic: 'bankid', count: 3 },
      { platform: 'ios', topic: 'email', count: 1 },
      { platform: 'android', topic: 'email', count: 1 },
    ];
    const post = (body: object) => t.http(coordinator).post(`/api/v1/sessions/${sessions.mar24}/report`).send(body);

    it('stores a café broken down by platform and topic, and gives it back on the report and the form', async () => {
      const saved = await post(mar24(cells)).expect(201);
      // Sorted by platform, then topic.
      expect(saved.body.help.topicsByPlatform).toEqual([cells[2], cells[0], cells[1]]);
      const rows = await t.dataSource
        .getRepository(ReportHelpCell)
        .find({ where: { reportId: saved.body.id }, order: { platform: 'ASC', topic: 'ASC' } });
      expect(rows.map((r) => [r.platform, r.topic, r.count, r.venueId, r.localDate])).toEqual([
        ['android', 'email', 1, vivalla, '2027-03-24'],
        ['ios', 'bankid', 3, vivalla, '2027-03-24'],
        ['ios', 'email', 1, vivalla, '2027-03-24'],
      ]);
      const form = await t.http(coordinator).get(`/api/v1/sessions/${sessions.mar24}/report-form`).expect(200);
      expect(form.body.current.help.topicsByPlatform).toEqual([cells[2], cells[0], cells[1]]);
      // A correction without the breakdown leaves the café not broken down; nothing is kept or made up.
      await t
        .http(coordinator)
        .put(`/api/v1/sessions/${sessions.mar24}/report`)
        .send({ ...mar24(), revision: 1 })
        .expect(200);
      expect(await t.dataSource.getRepository(ReportHelpCell).countBy({ reportId: saved.body.id })).toBe(0);
      const again = await t.http(coordinator).get(`/api/v1/sessions/${sessions.mar24}/report`).expect(200);
      expect(again.body.help.topicsByPlatform).toBeNull();
    });

    it('says that a café reported before it was asked is not broken down, and invents nothing for it', async () => {
      const old = await t.http(coordinator).get(`/api/v1/sessions/${sessions.mar2}/report`).expect(200);
      expect(old.body.help).toEqual({ topics: { bankid: 2 }, platforms: { ios: 3 }, topicsByPlatform: null });
      // 9 March had no help at all: there is nothing to break down.
      const none = await t.http(coordinator).get(`/api/v1/sessions/${sessions.mar9}/report`).expect(200);
      expect(none.body.help.topicsByPlatform).toEqual([]);
      const f = await figures();
      expect(f.total.topicsByPlatform).toEqual({});
      expect(f.total.sessionsNotBrokenDown).toBe(2);
      const json = (
        await t
          .http(await t.tokenFor('viewer', world.municipality.id))
          .get(`/api/v1/contracts/${contractId}/reports/2027-03`)
          .expect(200)
      ).body;
      expect(json.total.topicsByPlatform).toEqual({ cells: {}, sessionsNotBrokenDown: 2 });
      expect(json.total.topics).toEqual({ bankid: '<3', email: '<3' });
    });

    it('counts topics by platform per venue and in total, beside the cafés not broken down', async () => {
      await post(mar24(cells)).expect(201);
      const f = await figures();
      expect(f.total.topicsByPlatform).toEqual({ 'ios:bankid': 3, 'ios:email': 1, 'android:email': 1 });
      expect(f.total).toMatchObject({
        topics: { bankid: 5, email: 3 },
        platforms: { ios: 7, android: 1 },
        sessionsNotBrokenDown: 2,
      });
      const venue = (name: string) => f.venues.find((v) => v.name === name)!;
      expect(venue('Vivalla träffpunkt')).toMatchObject({
        topicsByPlatform: { 'ios:bankid': 3, 'ios:email': 1, 'android:email': 1 },
        sessionsNotBrokenDown: 1,
      });
      expect(venue(world.venue.name)).toMatchObject({ topicsByPlatform: {}, sessionsNotBrokenDown: 1 });
    });

    it('hides its small cells as the others, so no "<3" can be worked out from the sums, in JSON and CSV', async () => {
      await post(mar24(cells)).expect(201);
      const api = t.http(await t.tokenFor('viewer', world.municipality.id));
      for (const period of ['2027-03', '2027-Q1', '2027']) {
        const json = (await api.get(`/api/v1/contracts/${contractId}/reports/${period}`).expect(200)).body;
        expect(await attack(json, await t.services.reports.figures(contractId, period))).toEqual([]);
      }
      const json = (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03`).expect(200)).body;
      const cross = json.total.topicsByPlatform;
      expect(cross.sessionsNotBrokenDown).toBe(2);
      // BankID 5 less iPhone's BankID 3 would say that the cafés not broken down gave BankID 2: one is hidden.
      expect([json.total.topics.bankid, cross.cells.ios.bankid]).toContain('x');
      expect([json.total.topics.bankid, cross.cells.ios.bankid]).toContainEqual(expect.any(Number));
      // One e-mail on iPhone and one on Android: never shown as 1.
      expect(['<3', 'x']).toContain(cross.cells.ios.email);
      expect(['<3', 'x']).toContain(cross.cells.android.email);
      const csv = (await api.get(`/api/v1/contracts/${contractId}/reports/2027-03/csv`).expect(200)).text;
      expect(csv).toMatch(/^Ämnen per plattform \/ Topics by platform: iPhone, BankID;(3|x);[^;\r]+;[^;\r]+\r$/m);
      expect(csv).toMatch(/^Ämnen per plattform \/ Topics by platform: Android, e-post;(<3|x);[^;\r]+;(<3|x)\r$/m);
      expect(csv).toContain('Caféer utan ämnen per plattform / Cafés not broken down by platform;2;1;1');
    });

    it('refuses topics by platform that do not add up to the counts (422 on body.help.topicsByPlatform), storing nothing', async () => {
      for (const wrong of [
        // iPhone adds up to 3, not 4.
        [cells[0], cells[2]],
        // E-mail adds up to 3, not 2 (and iPhone to 5).
        [cells[0], { ...cells[1], count: 2 }, cells[2]],
        // Nothing broken down, but there are counts.
        [],
      ]) {
        const res = await post(mar24(wrong)).expect(422);
        expect(res.body.error.code).toBe('invalid_attendance');
        expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain('body.help.topicsByPlatform');
      }
      const twice = await post(mar24([...cells, cells[0]])).expect(422);
      expect(twice.body.error.details.map((d: { field: string }) => d.field)).toContain('body.help.topicsByPlatform.3');
      const res = await post(mar24([{ platform: 'symbian', topic: 'bankid', count: 3 }])).expect(400);
      expect(res.body.error.details[0].field).toBe('body.help.topicsByPlatform.0.platform');
      expect(await t.dataSource.getRepository(SessionReport).countBy({ sessionId: sessions.mar24 })).toBe(0);
    });
  });

  it('opens the report page on the latest month with a café reported, not on an empty last month', async () => {
    const api = t.http(coordinator);
    // 10 February: no café has been held yet.
    t.clock.set('2027-02-10T08:00:00Z');
    expect((await api.get(`/api/v1/contracts/${contractId}/report-period`).expect(200)).body).toEqual({ period: null });
    // In May, March is the last month with reported cafés; April had none.
    t.clock.set('2027-05-10T08:00:00Z');
    expect((await api.get(`/api/v1/contracts/${contractId}/report-period`).expect(200)).body).toEqual({
      period: '2027-03',
    });
  });

  it('mails the closed month to the municipality and the association once, with the CSV, from 07:00 on the 1st', async () => {
    await t.dataSource
      .getRepository(Organisation)
      .update(world.municipality.id, { contactEmail: 'it-cafe@orebro.example.org' });
    await t.dataSource
      .getRepository(Organisation)
      .update(world.association.id, { contactEmail: 'kansli@digitalvardag.example.org' });
    t.clock.set('2027-04-01T04:59:00Z'); // 06:59 summer time
    expect(await t.services.mailSchedule.reportsDue(t.clock.now())).toBe(0);
    t.clock.set('2027-04-01T05:00:00Z');
    expect(await t.services.mailSchedule.reportsDue(t.clock.now())).toBe(2);
    expect(await t.services.mailSchedule.reportsDue(t.clock.now())).toBe(0);
    const mails = await t.dataSource
      .getRepository(OutboxMessage)
      .find({ where: { kind: 'report' }, order: { toAddress: 'ASC' } });
    expect(mails.map((m) => [m.toAddress, m.subject])).toEqual([
      ['it-cafe@orebro.example.org', 'Rapport IT-caféer 2027-03'],
      ['kansli@digitalvardag.example.org', 'Rapport IT-caféer 2027-03'],
    ]);
    expect(mails[0].text).toContain('Besök: 9. Unika besökare: 7. Återkommande: <3.');
    expect(mails[0].attachments[0]).toMatchObject({ filename: 'bryggan-rapport-2027-03.csv' });
    expect(mails[0].attachments[0].content).toContain('Besök / Visits;9;x;<3');
  });

  it('reminds the association of a café it has not reported, the day after and a week after, across the change to summer time', async () => {
    await t.dataSource
      .getRepository(Organisation)
      .update(world.association.id, { contactEmail: 'kansli@digitalvardag.example.org' });
    const due = () => t.services.mailSchedule.reportRemindersDue(t.clock.now());
    const reminders = () => t.dataSource.getRepository(OutboxMessage).find({ where: { kind: 'report_reminder' } });
    // Vivalla's café of Wednesday 24 March is over and has no report.
    t.clock.set('2027-03-25T05:59:00Z'); // 06:59 winter time, the day after
    expect(await due()).toBe(0);
    t.clock.set('2027-03-25T06:00:00Z');
    expect(await due()).toBe(1);
    expect(await due()).toBe(0);
    const [mail] = await reminders();
    expect(mail).toMatchObject({
      toAddress: 'kansli@digitalvardag.example.org',
      subject: 'Ett café att rapportera',
    });
    expect(mail.text).toContain('Vivalla träffpunkt');
    expect(mail.text).toContain(`/efter-cafeet/${sessions.mar24}`);
    expect(mail.text).not.toContain(sessions.mar16); // cancelled: nothing to report
    t.clock.set('2027-03-26T08:00:00Z');
    expect(await due()).toBe(0);
    // A week after, still not reported; summer time since Sunday.
    t.clock.set('2027-03-31T04:59:00Z');
    expect(await due()).toBe(0);
    t.clock.set('2027-03-31T05:00:00Z');
    expect(await due()).toBe(1);
    expect(await reminders()).toHaveLength(2);
    // Reported: nothing is left to remind of.
    await t
      .http(coordinator)
      .post(`/api/v1/sessions/${sessions.mar24}/report`)
      .send({ walkIns: { anonymous: [{ count: 3 }] } })
      .expect(201);
    expect(await t.services.reports.unreported(contractId)).toEqual([]);
  });

  it('makes up a reminder to report that was missed while the service was down', async () => {
    await t.dataSource
      .getRepository(Organisation)
      .update(world.association.id, { contactEmail: 'kansli@digitalvardag.example.org' });
    const due = () => t.services.mailSchedule.reportRemindersDue(t.clock.now());
    // Down from Wednesday night to Saturday: the reminder of Thursday goes out on Saturday.
    t.clock.set('2027-03-27T08:00:00Z');
    expect(await due()).toBe(1);
    t.clock.set('2027-03-28T08:00:00Z');
    expect(await due()).toBe(0);
    // And the one a week after the café, on Wednesday 31 March.
    t.clock.set('2027-03-31T05:00:00Z');
    expect(await due()).toBe(1);
    t.clock.set('2027-04-01T05:00:00Z');
    expect(await due()).toBe(0);
  });

  it('lets a guide on duty fill in the form through their own link, and no other session', async () => {
    const link = async (guide: string) => (await t.services.guideLinks.issue(g[guide], 'access')).token;
    const g1 = await link('g1');
    // A month after the café the form names no senior to a guide (names show from the day before to the day after).
    const late = await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar2}/report-form`)
      .query({ token: g1 })
      .expect(200);
    expect(late.body.seated.map((x: { displayName: string | null }) => x.displayName)).toEqual([null, null]);
    // On the café's evening it names the guide's own seniors: the pairing gives G1 both.
    const back = t.clock.now().toISOString();
    t.clock.set('2027-03-02T17:00:00Z');
    const form = await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar2}/report-form`)
      .query({ token: g1 })
      .expect(200);
    expect(form.body).toMatchObject({
      startTime: '14:00',
      endTime: '16:00',
      revision: 1,
      guides: [{ name: 'Guide G1' }, { name: 'Guide G2' }],
    });
    // Each seated senior is named to one guide only, the one the pairing gives them; the other sees a seat.
    const g2Form = await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar2}/report-form`)
      .query({ token: await link('g2') })
      .expect(200);
    type Seat = { seniorId: string; displayName: string | null };
    const namedIn = (body: { seated: Seat[] }) => body.seated.filter((x) => x.displayName !== null);
    expect([...namedIn(form.body), ...namedIn(g2Form.body)].map((x) => x.displayName).sort()).toEqual(['Bo', 'Ingrid']);
    expect(namedIn(form.body).length).toBeGreaterThan(0);
    // A seat not named carries no senior's id either (it could be matched to a name elsewhere).
    for (const x of form.body.seated as Seat[])
      if (x.displayName === null) expect([s.s1, s.s2]).not.toContain(x.seniorId);
    // Not on Vivalla's session: as if it did not exist.
    await t.http().get(`/api/v1/guide/sessions/${sessions.mar10}/report-form`).query({ token: g1 }).expect(404);
    const found = await t.http().get('/api/v1/guide/seniors').query({ token: g1, q: 'in' }).expect(200);
    expect(found.body.items.map((x: { displayName: string }) => x.displayName)).toEqual(['Ingrid']);
    // Names only: a guide cannot look a senior up by phone number.
    expect(
      (await t.http().get('/api/v1/guide/seniors').query({ token: g1, q: '070-123' }).expect(200)).body.items,
    ).toEqual([]);
    // Every name shown to the guide is in the audit log, a row per senior, as the guide's read:
    // the seated seniors and the walk-ins already recorded on the form, and the one found.
    const walkIns = (form.body.current.walkIns.seniors as Seat[]).filter((x) => x.displayName !== null);
    const shown = [...namedIn(form.body), ...walkIns].map((x) => x.seniorId);
    expect([s.s1, s.s2]).toEqual(expect.arrayContaining(namedIn(form.body).map((x) => x.seniorId)));
    const reads = await t.dataSource.getRepository(AuditEntry).find({ where: { actorId: g.g1 } });
    const named = (action: string) =>
      reads
        .filter((e) => e.action === action && e.actorType === 'guide' && e.entityType === 'senior')
        .map((e) => e.entityId)
        .sort();
    expect(named('senior.read.attendance')).toEqual([...shown].sort());
    expect(named('senior.read.guide_search')).toEqual([found.body.items[0].id]);
    await t
      .http()
      .put(`/api/v1/guide/sessions/${sessions.mar2}/report`)
      .query({ token: g1 })
      .send({
        revision: 1,
        came: [s.s1, s.s2],
        guides: [
          { guideId: g.g1, start: '14:00', end: '16:00' },
          { guideId: g.g2, start: '14:00', end: '16:30' },
        ],
      })
      .expect(200);
    const last = await t.dataSource
      .getRepository(AuditEntry)
      .findOneOrFail({ where: { entityId: sessions.mar2, action: 'report.correct' } });
    expect(last).toMatchObject({ actorType: 'guide', actorId: g.g1 });
    await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar2}/report-form`)
      .query({ token: 'x'.repeat(20) })
      .expect(401);
    t.clock.set(back);
  });

  it("keeps worked time within the café's time and an hour's margin, unless a coordinator approves it", async () => {
    const g1 = (await t.services.guideLinks.issue(g.g1, 'access')).token;
    const form = await t
      .http()
      .get(`/api/v1/guide/sessions/${sessions.mar2}/report-form`)
      .query({ token: g1 })
      .expect(200);
    expect(form.body).toMatchObject({ startTime: '14:00', endTime: '16:00', earliest: '13:00', latest: '17:00' });
    // The tester's case: 00:00–23:59 on a 14:00–16:00 café, through the guide's link.
    const allDay = await t
      .http()
      .put(`/api/v1/guide/sessions/${sessions.mar2}/report`)
      .query({ token: g1 })
      .send({ revision: 1, guides: [{ guideId: g.g1, start: '00:00', end: '23:59' }] })
      .expect(422);
    expect(allDay.body.error).toMatchObject({
      code: 'worked_time_outside',
      details: [
        { field: 'body.guides.0.start', issue: expect.stringContaining('13:00–17:00') },
        { field: 'body.guides.0.end', issue: expect.stringContaining('13:00–17:00') },
      ],
    });
    // A guide cannot approve it; nor can association staff.
    const approved = { revision: 1, guides: [{ guideId: g.g1, start: '13:00', end: '18:30', approved: true }] };
    await t
      .http()
      .put(`/api/v1/guide/sessions/${sessions.mar2}/report`)
      .query({ token: g1 })
      .send(approved)
      .expect(422);
    const staff = await t.tokenFor('association_staff', world.association.id);
    const refused = await t.http(staff).put(`/api/v1/sessions/${sessions.mar2}/report`).send(approved).expect(422);
    expect(refused.body.error.details).toEqual([
      { field: 'body.guides.0.approved', issue: 'only a coordinator may approve a time outside' },
    ]);
    // The margin itself is fine: 13:00–17:00.
    await t
      .http(staff)
      .put(`/api/v1/sessions/${sessions.mar2}/report`)
      .send({ revision: 1, guides: [{ guideId: g.g1, start: '13:00', end: '17:00' }] })
      .expect(200);
    // A coordinator approves 13:00–18:30, and the approval is kept with the shift.
    const ok = await t
      .http(coordinator)
      .put(`/api/v1/sessions/${sessions.mar2}/report`)
      .send({ ...approved, revision: 2 })
      .expect(200);
    expect(ok.body.guides.find((x: { guideId: string }) => x.guideId === g.g1)).toMatchObject({
      minutes: 330,
      approved: true,
    });
    // Association staff correcting something else keep the approved time as it is.
    const kept = await t
      .http(staff)
      .put(`/api/v1/sessions/${sessions.mar2}/report`)
      .send({ revision: 3, came: [s.s1], guides: [{ guideId: g.g1, start: '13:00', end: '18:30' }] })
      .expect(200);
    expect(kept.body.guides.find((x: { guideId: string }) => x.guideId === g.g1)).toMatchObject({ approved: true });
    // …but changing it needs a new approval.
    await t
      .http(staff)
      .put(`/api/v1/sessions/${sessions.mar2}/report`)
      .send({ revision: 4, guides: [{ guideId: g.g1, start: '13:00', end: '19:00' }] })
      .expect(422);
    // A time stored before the limits (not approved) stands when a correction sends it unchanged.
    await t.dataSource
      .getRepository(GuideShift)
      .update(
        { sessionId: sessions.mar2, guideId: g.g1 },
        { approvedBy: null, endedAt: new Date('2027-03-02T18:00:00Z') },
      );
    await t
      .http(staff)
      .put(`/api/v1/sessions/${sessions.mar2}/report`)
      .send({ revision: 4, came: [s.s2], guides: [{ guideId: g.g1, start: '13:00', end: '19:00' }] })
      .expect(200);
  });

  /** A second association with a contract in the municipality for these dates. */
  const secondContract = async (startsOn: string, endsOn: string) => {
    const association = await t.services.organisations.create('association', { name: 'Röda Korset Örebro' });
    const contract = await t.services.organisations.createContract({
      municipalityId: world.municipality.id,
      associationId: association.id,
      startsOn,
      endsOn,
      reportingPeriod: 'month',
    });
    return { association, contract };
  };

  it("counts only the cafés of the contract's own association when two associations have a contract", async () => {
    const api = t.http(coordinator);
    const { association: other, contract: otherContract } = await secondContract('2027-01-01', '2027-12-31');
    // With two, a new café must say whose it is; the cafés so far stay the first association's.
    t.clock.set('2027-03-01T08:00:00Z');
    const body = { venueId: vivalla, date: '2027-03-17', startTime: '10:00', durationMinutes: 120, seats: 8 };
    const refused = async (send: object, code: string) => {
      const r = await api.post('/api/v1/sessions').send(send).expect(422);
      expect(r.body.error).toMatchObject({ code, details: [{ field: 'body.associationId' }] });
    };
    await refused(body, 'association_required');
    await refused({ ...body, associationId: world.municipality.id }, 'association_not_contracted');
    const theirs = (
      await api
        .post('/api/v1/sessions')
        .send({ ...body, associationId: other.id })
        .expect(201)
    ).body;
    expect(theirs.associationId).toBe(other.id);
    expect((await api.get(`/api/v1/sessions/${sessions.mar10}`).expect(200)).body.associationId).toBe(
      world.association.id,
    );
    t.clock.set('2027-03-31T18:00:00Z');
    await api
      .post(`/api/v1/sessions/${theirs.id}/report`)
      .send({ walkIns: { anonymous: [{ count: 4, ageBand: '75_plus' }] }, help: { topics: { email: 2 } } })
      .expect(201);

    const mine = await t.services.reports.figures(contractId, '2027-03');
    expect(mine.total).toMatchObject({ visits: 9, uniqueVisitors: 7, topics: { bankid: 2, email: 1 } });
    expect(mine.total.sessions).toMatchObject({ planned: 5, held: 3 });
    const theirsReport = await t.services.reports.figures(otherContract.id, '2027-03');
    expect(theirsReport.total).toMatchObject({
      visits: 4,
      uniqueVisitors: 4,
      anonymousVisits: 4,
      topics: { email: 2 },
    });
    expect(theirsReport.total.sessions).toMatchObject({ planned: 1, held: 1 });
    expect(theirsReport.venues.map((v) => v.name)).toEqual(['Vivalla träffpunkt']);
  });

  it('gives a café to the association whose contract covers its date, when one association takes over from another', async () => {
    const api = t.http(coordinator);
    const { association: next, contract: nextContract } = await secondContract('2028-01-01', '2028-12-31');
    const cafe = async (date: string) =>
      (
        await api
          .post('/api/v1/sessions')
          .send({ venueId: vivalla, date, startTime: '10:00', durationMinutes: 120, seats: 8 })
          .expect(201)
      ).body as { id: string; associationId: string };
    const december = await cafe('2027-12-14');
    const january = await cafe('2028-01-11');
    expect([december.associationId, january.associationId]).toEqual([world.association.id, next.id]);
    // A café across the change must say whose it is.
    await api
      .post('/api/v1/series')
      .send({
        venueId: vivalla,
        weekday: 'wed',
        startTime: '10:00',
        durationMinutes: 120,
        firstDate: '2027-12-01',
        lastDate: '2028-01-26',
        seats: 8,
      })
      .expect(422)
      .expect((r) => expect(r.body.error.code).toBe('association_required'));
    // One that names none (made before any contract covered it) is the covering contract's.
    await t.dataSource.getRepository(Session).update(january.id, { associationId: null });
    t.clock.set('2028-02-01T08:00:00Z');
    for (const id of [december.id, january.id])
      await api
        .post(`/api/v1/sessions/${id}/report`)
        .send({ walkIns: { anonymous: [{ count: 5 }] } })
        .expect(201);
    expect((await t.services.reports.figures(nextContract.id, '2028-01')).total.visits).toBe(5);
    expect((await t.services.reports.figures(contractId, '2027-12')).total.visits).toBe(5);
    expect((await t.services.reports.unreported(nextContract.id)).map((x) => x.sessionId)).toEqual([]);
  });

  it('counts a walk-in visit as being seen, for the retention rule', async () => {
    // Rut (S4) never signed up; she came on 10 March 2027. Two years on she is still kept, then not.
    t.clock.set('2029-03-05T09:00:00Z');
    await t.services.privacy.anonymiseInactive();
    expect((await t.services.seniors.get(s.s4)).erasedAt).toBeNull();
    t.clock.set('2029-03-11T09:00:00Z');
    await t.services.privacy.anonymiseInactive();
    expect((await t.services.seniors.get(s.s4)).erasedAt).not.toBeNull();
  });

  it('reports only the days the contract covers', async () => {
    const q1 = await t.services.reports.figures(contractId, '2027-Q1');
    expect([q1.from, q1.to]).toEqual(['2027-02-01', '2027-03-31']);
    const before = await t.http(coordinator).get(`/api/v1/contracts/${contractId}/reports/2027-01`).expect(422);
    expect(before.body.error).toMatchObject({ code: 'period_outside_contract', details: [{ field: 'params.period' }] });
  });

  it("shows the seated seniors' names on the form only once the café has begun, to staff and to the guide on duty alike", async () => {
    const staff = t.http(await t.tokenFor('association_staff', world.association.id));
    const g1 = (await t.services.guideLinks.issue(g.g1, 'access')).token;
    t.clock.set('2027-03-09T12:59:00Z'); // 13:59 local: a minute before the café
    for (const res of [
      await staff.get(`/api/v1/sessions/${sessions.mar9}/report-form`).expect(409),
      await t.http().get(`/api/v1/guide/sessions/${sessions.mar9}/report-form`).query({ token: g1 }).expect(409),
    ]) {
      expect(res.body.error.code).toBe('session_not_started');
      expect(res.text).not.toContain('Ingrid');
    }
    t.clock.set('2027-03-09T13:00:00Z');
    const form = await staff.get(`/api/v1/sessions/${sessions.mar9}/report-form`).expect(200);
    expect(form.body.seated.map((x: { displayName: string }) => x.displayName)).toEqual(['Bo', 'Ingrid']);
  });

  it('refuses to move or cancel a café that has been reported as held', async () => {
    const api = t.http(coordinator);
    t.clock.set('2027-03-09T14:30:00Z'); // reported during the café, which ends at 16:00 local
    expect((await api.patch(`/api/v1/sessions/${sessions.mar9}`).send({ seats: 9 }).expect(409)).body.error.code).toBe(
      'session_reported',
    );
    expect(
      (await api.post(`/api/v1/sessions/${sessions.mar9}/cancel`).send({ reason: 'Fel' }).expect(409)).body.error.code,
    ).toBe('session_reported');
  });

  it('counts a quarter and a year as well as a month', async () => {
    const q1 = await t.services.reports.figures(contractId, '2027-Q1');
    expect(q1.total).toMatchObject({
      visits: 10,
      uniqueVisitors: 7,
      repeatVisitors: 2,
      sessions: { planned: 6, held: 4 },
    });
    expect((await t.services.reports.figures(contractId, '2027')).total.visits).toBe(10);
  });
});

import request from 'supertest';
import { buildContainer } from '../../src/container';
import { AuditEntry, Attendance, Guide, QueueEntry, Registration, Senior } from '../../src/db/entities';
import { createLogger } from '../../src/lib/logger';
import type { Services } from '../../src/services';
import { suggestGuides, type QueueGuide, type QueueVisitor } from '../../src/domain/pairing';
import { buildGuide, buildOneOff, buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * The live queue at a café: check-ins, walk-ins, a suggested guide, take and Klar, steps undone,
 * the after-café form filled in from it; and who may see it (guides on duty by their link while
 * the café is on; association staff, coordinators and admins; never viewers).
 */

const BEFORE = '2026-11-24T09:00:00Z';
/** Tuesday 1 December 2026, 14:00–16:00 in Stockholm: 13:00–15:00 UTC. */
const DATE = '2026-12-01';
const DURING = '2026-12-01T13:30:00Z';

let t: TestApp;

type World = Awaited<ReturnType<typeof makeWorld>>;

async function makeWorld(s: Services, names = { astrid: 'Astrid', bertil: 'Bertil' }) {
  const world = await createWorld(s);
  const { municipality, association, venue } = world;
  await s.organisations.createContract({
    municipalityId: municipality.id,
    associationId: association.id,
    reference: null,
    startsOn: '2026-01-01',
    endsOn: '2027-12-31',
    reportingPeriod: 'quarter',
  });
  const cafe = (date: string) => s.sessions.createOneOff(buildOneOff(venue.id, date));
  const session = await cafe(DATE);
  const other = await cafe('2026-12-08');
  const amina = await s.guides.create(
    buildGuide(association.id, municipality.id, {
      name: 'Amina',
      platforms: [{ platform: 'android', level: 'good' }],
    }),
  );
  const bilal = await s.guides.create(
    buildGuide(association.id, municipality.id, {
      name: 'Bilal',
      platforms: [
        { platform: 'ios', level: 'good' },
        { platform: 'android', level: 'good' },
      ],
    }),
  );
  const offDuty = await s.guides.create(buildGuide(association.id, municipality.id, { name: 'Cecilia' }));
  const astrid = await s.seniors.create(
    buildSenior(municipality.id, { displayName: names.astrid, devices: [{ platform: 'ios', kind: 'phone' }] }),
  );
  const bertil = await s.seniors.create(
    buildSenior(municipality.id, { displayName: names.bertil, devices: [{ platform: 'android', kind: 'tablet' }] }),
  );
  await s.registrations.register(session.id, { seniorId: astrid.id, topic: 'bankid' });
  await s.registrations.register(session.id, { seniorId: bertil.id });
  await s.planning.assign(session.id, amina.id);
  await s.planning.assign(session.id, bilal.id);
  await s.planning.assign(other.id, offDuty.id);
  await s.planning.publish(municipality.id, DATE, '2026-12-08');
  const link = async (guideId: string) => (await s.guideLinks.issue(guideId, 'access')).token;
  return {
    ...world,
    session,
    other,
    amina,
    bilal,
    offDuty,
    astrid,
    bertil,
    links: { amina: await link(amina.id), bilal: await link(bilal.id), offDuty: await link(offDuty.id) },
    staff: await t.tokenFor('association_staff', association.id),
    coordinator: await t.tokenFor('coordinator', municipality.id),
    viewer: await t.tokenFor('viewer', municipality.id),
  };
}

let w: World;
let x: World;
/** A third café for who sees whose name: its seniors are Signe (iPhone, Bilal's) and Tore (Android, Amina's). */
let y: World;
/** A fourth café for the after-café form through a guide's link: Rut (iPhone, Bilal's, speaks Arabic) and Sten (Android, Amina's). */
let z: World;

beforeAll(async () => {
  t = await createTestApp(BEFORE);
  w = await makeWorld(t.services);
  x = await makeWorld(t.services);
  y = await makeWorld(t.services, { astrid: 'Signe', bertil: 'Tore' });
  z = await makeWorld(t.services, { astrid: 'Rut', bertil: 'Sten' });
  await t.dataSource.getRepository(Senior).update(z.astrid.id, { preferredLanguage: 'ar' });
  t.clock.set(DURING);
});
afterAll(() => t?.close());

const P = (path: string) => `/api/v1${path}`;
const q = (token: string) => `?token=${encodeURIComponent(token)}`;
const asGuide = {
  read: (token: string, sessionId: string, since?: string) =>
    request(t.app).get(P(`/guide/sessions/${sessionId}/queue${q(token)}${since ? `&since=${since}` : ''}`)),
  add: (token: string, sessionId: string, body: object) => {
    tick();
    return request(t.app)
      .post(P(`/guide/sessions/${sessionId}/queue${q(token)}`))
      .send(body);
  },
  step: (token: string, sessionId: string, entryId: string, body: object) =>
    request(t.app)
      .patch(P(`/guide/sessions/${sessionId}/queue/${entryId}${q(token)}`))
      .send(body),
};
const asUser = {
  read: (token: string, sessionId: string) => t.http(token).get(P(`/sessions/${sessionId}/queue`)),
  add: (token: string, sessionId: string, body: object) => {
    tick();
    return t
      .http(token)
      .post(P(`/sessions/${sessionId}/queue`))
      .send(body);
  },
  step: (token: string, sessionId: string, entryId: string, body: object) =>
    t
      .http(token)
      .patch(P(`/sessions/${sessionId}/queue/${entryId}`))
      .send(body),
};
/** The clock a minute on, so entries made one after the other are in that order. */
let minutes = 0;
const tick = () => t.clock.set(new Date(Date.parse(DURING) + ++minutes * 60_000).toISOString());
const errorOf = (res: request.Response) => ({
  status: res.status,
  code: res.body?.error?.code as string | undefined,
  fields: ((res.body?.error?.details ?? []) as { field: string }[]).map((d) => d.field),
});

describe('The live queue at a café', () => {
  let astridEntry: string;
  let walkIn: string;

  it('checks in a senior with a seat with one call, with the device and topic of the sign-up', async () => {
    const res = await asGuide
      .add(w.links.amina, w.session.id, { kind: 'registered', seniorId: w.astrid.id })
      .expect(201);
    // Astrid is Bilal's (only he knows iOS): Amina checks her in without seeing her name or her id.
    expect(res.body).toMatchObject({
      kind: 'registered',
      seniorId: null,
      name: null,
      platform: 'ios',
      topic: 'bankid',
      status: 'waiting',
      guideId: null,
    });
    astridEntry = res.body.id;
    // Twice is refused: the senior is already in the queue.
    const again = await asUser.add(w.staff, w.session.id, { kind: 'registered', seniorId: w.astrid.id });
    expect(errorOf(again)).toEqual({ status: 409, code: 'already_checked_in', fields: ['body.seniorId'] });
  });

  it('adds a walk-in with a device and what they need; the first name only if given', async () => {
    const res = await asUser
      .add(w.staff, w.session.id, { kind: 'walk_in', platform: 'android', topic: 'e_health', firstName: ' Gun ' })
      .expect(201);
    expect(res.body).toMatchObject({
      kind: 'walk_in',
      seniorId: null,
      name: 'Gun',
      platform: 'android',
      status: 'waiting',
    });
    walkIn = res.body.id;
    const nameless = await asUser
      .add(w.staff, w.session.id, { kind: 'walk_in', platform: 'windows', topic: 'email' })
      .expect(201);
    expect(nameless.body.name).toBeNull();
  });

  it('refuses a senior without a seat at this café, and a walk-in without a device', async () => {
    const stranger = await asUser.add(w.staff, w.session.id, { kind: 'registered', seniorId: x.astrid.id });
    expect(errorOf(stranger)).toEqual({ status: 422, code: 'unknown_reference', fields: ['body.seniorId'] });
    const noDevice = await asUser.add(w.staff, w.session.id, { kind: 'walk_in', topic: 'email' });
    expect(errorOf(noDevice)).toMatchObject({ status: 400, code: 'validation_failed', fields: ['body.platform'] });
  });

  it('suggests for each waiting visitor, first come first, a free guide on duty who knows the platform', async () => {
    const res = await asUser.read(w.coordinator, w.session.id).expect(200);
    const byId = new Map(res.body.entries.map((e: { id: string }) => [e.id, e]));
    // Astrid's iPhone: only Bilal knows iOS, and the pairing gives her Bilal. Gun's Android: Amina, the one still free.
    expect(byId.get(astridEntry)).toMatchObject({ name: 'Astrid', suggestedGuideId: w.bilal.id });
    expect(byId.get(walkIn)).toMatchObject({ suggestedGuideId: w.amina.id });
    // Why, in the pairing's codes: a page says them in Swedish.
    expect(byId.get(astridEntry)).toMatchObject({
      suggestionReasons: expect.arrayContaining([
        { code: 'pair_knows_platform', params: { platform: 'ios' }, text: 'Knows iPhone.' },
      ]),
    });
    expect(byId.get(walkIn)).toMatchObject({
      suggestionReasons: [
        { code: 'pair_knows_platform', params: { platform: 'android' }, text: expect.any(String) },
        { code: 'pair_even_load', params: { seniors: 1 }, text: expect.any(String) },
      ],
    });
    expect(res.body.guides.map((g: { name: string }) => g.name)).toEqual(['Amina', 'Bilal']);
    expect(res.body.seated).toEqual([
      {
        registrationId: expect.any(String),
        seniorId: w.astrid.id,
        displayName: 'Astrid',
        platforms: ['ios'],
        topic: 'bankid',
        checkedIn: true,
      },
      {
        registrationId: expect.any(String),
        seniorId: w.bertil.id,
        displayName: 'Bertil',
        platforms: ['android'],
        topic: null,
        checkedIn: false,
      },
    ]);
  });

  it('lets a guide take a visitor for themself, once: a second take is refused', async () => {
    const taken = await asGuide.step(w.links.bilal, w.session.id, astridEntry, { status: 'helping' }).expect(200);
    expect(taken.body).toMatchObject({
      status: 'helping',
      guideId: w.bilal.id,
      startedAt: expect.stringMatching(/^2026-12-01T1[34]:\d\d:00.000Z$/),
    });
    const twice = await asGuide.step(w.links.amina, w.session.id, astridEntry, { status: 'helping' });
    expect(errorOf(twice)).toEqual({ status: 409, code: 'already_taken', fields: ['body.status'] });
    // Through a link, a guide takes for themself only.
    const forOther = await asGuide.step(w.links.amina, w.session.id, walkIn, {
      status: 'helping',
      guideId: w.bilal.id,
    });
    expect(errorOf(forOther)).toEqual({ status: 422, code: 'not_yourself', fields: ['body.guideId'] });
    // Nor finishes or gives back a visitor another guide helps.
    for (const step of [{ status: 'done', topic: 'bankid' }, { status: 'waiting' }]) {
      const notTheirs = await asGuide.step(w.links.amina, w.session.id, astridEntry, step);
      expect(errorOf(notTheirs)).toEqual({ status: 422, code: 'not_yourself', fields: ['body.status'] });
    }
    // Staff name the guide, who must be on duty here.
    const offDuty = await asUser.step(w.staff, w.session.id, walkIn, { status: 'helping', guideId: w.offDuty.id });
    expect(errorOf(offDuty)).toEqual({ status: 422, code: 'unknown_reference', fields: ['body.guideId'] });
    const nobody = await asUser.step(w.staff, w.session.id, walkIn, { status: 'helping' });
    expect(errorOf(nobody)).toEqual({ status: 400, code: 'validation_failed', fields: ['body.guideId'] });
  });

  it('marks Klar with the topic, and undoes a mistaken step', async () => {
    const early = await asGuide.step(w.links.amina, w.session.id, walkIn, { status: 'done', topic: 'e_health' });
    expect(errorOf(early)).toEqual({ status: 409, code: 'queue_step', fields: ['body.status'] });
    await asGuide.step(w.links.amina, w.session.id, walkIn, { status: 'helping' }).expect(200);
    // Taken by mistake: back in the queue, then taken again.
    await asGuide.step(w.links.amina, w.session.id, walkIn, { status: 'waiting' }).expect(200);
    await asGuide.step(w.links.amina, w.session.id, walkIn, { status: 'helping' }).expect(200);
    const done = await asGuide
      .step(w.links.amina, w.session.id, walkIn, { status: 'done', topic: 'scam_safety' })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'done', doneTopic: 'scam_safety', guideId: w.amina.id });
    // A mistaken Klar: helping again, then done.
    await asUser.step(w.staff, w.session.id, walkIn, { status: 'helping' }).expect(200);
    await asUser.step(w.staff, w.session.id, walkIn, { status: 'done', topic: 'scam_safety' }).expect(200);
    await asGuide.step(w.links.bilal, w.session.id, astridEntry, { status: 'done', topic: 'bankid' }).expect(200);
  });

  it('removes a visitor added by mistake while they wait', async () => {
    const added = await asUser.add(w.staff, w.session.id, { kind: 'registered', seniorId: w.bertil.id }).expect(201);
    const helping = await asUser.step(w.staff, w.session.id, astridEntry, { status: 'removed' });
    expect(errorOf(helping)).toEqual({ status: 409, code: 'queue_step', fields: ['body.status'] });
    await asUser.step(w.staff, w.session.id, added.body.id, { status: 'removed' }).expect(200);
    const res = await asUser.read(w.staff, w.session.id).expect(200);
    expect(res.body.entries.map((e: { id: string }) => e.id)).not.toContain(added.body.id);
    expect(res.body.seated.find((s: { seniorId: string }) => s.seniorId === w.bertil.id).checkedIn).toBe(false);
    const gone = await asUser.step(w.staff, w.session.id, added.body.id, { status: 'waiting' });
    expect(errorOf(gone)).toEqual({ status: 404, code: 'not_found', fields: ['params.entryId'] });
  });

  it('answers a poll with the version it has cheaply, and with the whole queue once anything changed', async () => {
    const first = await asGuide.read(w.links.amina, w.session.id).expect(200);
    expect(first.body.unchanged).toBe(false);
    const same = await asGuide.read(w.links.bilal, w.session.id, first.body.version).expect(200);
    expect(same.body).toEqual({ version: first.body.version, unchanged: true });
    const entry = await asGuide
      .add(w.links.bilal, w.session.id, { kind: 'walk_in', platform: 'ios', topic: 'photos_cloud' })
      .expect(201);
    const changed = await asGuide.read(w.links.amina, w.session.id, first.body.version).expect(200);
    expect(changed.body.unchanged).toBe(false);
    expect(changed.body.version).not.toBe(first.body.version);
    expect(changed.body.entries.map((e: { id: string }) => e.id)).toContain(entry.body.id);
    await asUser.step(w.staff, w.session.id, entry.body.id, { status: 'removed' }).expect(200);
  });

  it('never names a visitor in the audit log', async () => {
    const rows = await t.dataSource.getRepository(AuditEntry).find({ where: { entityType: 'queue_entry' } });
    expect(rows.length).toBeGreaterThan(5);
    expect(JSON.stringify(rows)).not.toMatch(/Gun|Astrid/);
  });

  it('fills in the after-café form from the queue; saved, it records who helped whom and forgets first names', async () => {
    const form = await asUser.read(w.staff, w.session.id).expect(200);
    expect(form.body.entries).toHaveLength(3);
    const res = await t
      .http(w.staff)
      .get(P(`/sessions/${w.session.id}/report-form`))
      .expect(200);
    expect(res.body.fromQueue).toEqual({
      came: [w.astrid.id],
      walkIns: [
        { platform: 'android', topic: 'scam_safety', helpedByGuideId: w.amina.id },
        { platform: 'windows', topic: 'email', helpedByGuideId: null },
      ],
      helpedBy: [{ seniorId: w.astrid.id, guideId: w.bilal.id }],
      help: {
        topics: { bankid: 1, scam_safety: 1 },
        platforms: { ios: 1, android: 1 },
        topicsByPlatform: [
          { platform: 'android', topic: 'scam_safety', count: 1 },
          { platform: 'ios', topic: 'bankid', count: 1 },
        ],
      },
    });
    const f = res.body.fromQueue;
    const saved = await t
      .http(w.staff)
      .post(P(`/sessions/${w.session.id}/report`))
      .send({
        came: f.came,
        walkIns: {
          anonymous: f.walkIns.map((v: { helpedByGuideId: string | null }) => ({
            count: 1,
            helpedByGuideId: v.helpedByGuideId,
          })),
        },
        help: f.help,
        helpedBy: f.helpedBy,
        guides: [
          { guideId: w.amina.id, start: '14:00', end: '16:00' },
          { guideId: w.bilal.id, start: '14:00', end: '16:00' },
        ],
      })
      .expect(201);
    expect(saved.body.seniors).toEqual(
      expect.arrayContaining([
        { seniorId: w.astrid.id, kind: 'registered', present: true, count: 1, helpedByGuideId: w.bilal.id },
        { seniorId: w.bertil.id, kind: 'registered', present: false, count: 1, helpedByGuideId: null },
        { seniorId: null, kind: 'walk_in', present: true, count: 1, helpedByGuideId: w.amina.id },
        { seniorId: null, kind: 'walk_in', present: true, count: 1, helpedByGuideId: null },
      ]),
    );
    const rows = await t.dataSource.getRepository(Attendance).find({ where: { sessionId: w.session.id } });
    expect(
      rows
        .filter((r) => r.helpedByGuideId)
        .map((r) => r.helpedByGuideId)
        .sort(),
    ).toEqual([w.amina.id, w.bilal.id].sort());
    const entries = await t.dataSource.getRepository(QueueEntry).find({ where: { sessionId: w.session.id } });
    expect(entries.map((e) => e.firstName)).toEqual(entries.map(() => null));
    // The form, opened again, has it as recorded.
    const again = await t
      .http(w.staff)
      .get(P(`/sessions/${w.session.id}/report-form`))
      .expect(200);
    expect(again.body.current.helpedBy).toEqual([{ seniorId: w.astrid.id, guideId: w.bilal.id }]);
  });

  it("gives the senior, in their data export, their queue entries and who helped them, by the guide's first name", async () => {
    // Least data: the guide's first name, not their whole name.
    await t.dataSource.getRepository(Guide).update(w.bilal.id, { name: 'Bilal Haddad' });
    const res = await t
      .http()
      .get(P(`/seniors/${w.astrid.id}/export`))
      .expect(200);
    expect(res.body.queueEntries).toEqual([
      expect.objectContaining({
        sessionId: w.session.id,
        kind: 'registered',
        platform: 'ios',
        topic: 'bankid',
        status: 'done',
        doneTopic: 'bankid',
        guideId: w.bilal.id,
        helpedBy: 'Bilal',
      }),
    ]);
    expect(res.body.attendance).toEqual([
      expect.objectContaining({
        sessionId: w.session.id,
        present: true,
        helpedByGuideId: w.bilal.id,
        helpedBy: 'Bilal',
      }),
    ]);
    expect(res.body.sessions.map((s: { id: string }) => s.id)).toContain(w.session.id);
    // Bertil's check-in was a mistake, taken back: still held, so exported; nobody helped him.
    const bertil = await t
      .http()
      .get(P(`/seniors/${w.bertil.id}/export`))
      .expect(200);
    expect(bertil.body.queueEntries).toEqual([
      expect.objectContaining({ kind: 'registered', status: 'removed', guideId: null, helpedBy: null }),
    ]);
    expect(bertil.body.attendance).toEqual([expect.objectContaining({ present: false, helpedBy: null })]);
  });

  it('refuses a helper who is not a guide of the café, and a helped senior who did not come', async () => {
    const res = await t
      .http(w.coordinator)
      .put(P(`/sessions/${w.session.id}/report`))
      .send({
        revision: 1,
        came: [w.astrid.id],
        helpedBy: [
          { seniorId: w.astrid.id, guideId: w.offDuty.id },
          { seniorId: w.bertil.id, guideId: w.amina.id },
        ],
        walkIns: { anonymous: [{ count: 2, helpedByGuideId: w.offDuty.id }] },
      });
    expect(errorOf(res)).toEqual({
      status: 422,
      code: 'invalid_attendance',
      fields: ['body.helpedBy.0.guideId', 'body.helpedBy.1.seniorId', 'body.walkIns.anonymous.0.helpedByGuideId'],
    });
  });
});

describe('Who reaches a café’s queue', () => {
  it("a guide's link reaches only a café the guide is on duty at, from an hour before to three hours after", async () => {
    await asGuide.read(w.links.amina, w.session.id).expect(200);
    // Not on this café's schedule; on the other world's café; a café of next week.
    for (const [token, id] of [
      [w.links.offDuty, w.session.id],
      [x.links.amina, w.session.id],
      [w.links.amina, x.session.id],
      [w.links.amina, w.other.id],
    ]) {
      const res = await asGuide.read(token, id);
      expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
      const write = await asGuide.add(token, id, { kind: 'walk_in', platform: 'ios', topic: 'email' });
      expect(errorOf(write)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
    }
    try {
      for (const [at, status] of [
        ['2026-12-01T11:59:00Z', 404],
        ['2026-12-01T12:00:00Z', 200],
        ['2026-12-01T18:00:00Z', 200],
        ['2026-12-01T18:01:00Z', 404],
        ['2026-11-24T13:30:00Z', 404],
      ] as const) {
        t.clock.set(at);
        expect({ at, status: (await asGuide.read(w.links.amina, w.session.id)).status }).toEqual({ at, status });
      }
    } finally {
      t.clock.set(DURING);
    }
  });

  it("a guide's link never reaches an entry of another café through its own café", async () => {
    const theirs = await asGuide
      .add(x.links.amina, x.session.id, { kind: 'walk_in', platform: 'ios', topic: 'email', firstName: 'Xenia' })
      .expect(201);
    const res = await asGuide.step(w.links.amina, w.session.id, theirs.body.id, { status: 'helping' });
    expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.entryId'] });
    const mine = await asGuide.read(w.links.amina, w.session.id).expect(200);
    expect(mine.text).not.toContain('Xenia');
    expect(mine.text).not.toContain(theirs.body.id);
  });

  it('association staff and coordinators reach their own cafés only; viewers never see the queue', async () => {
    await asUser.read(w.staff, w.session.id).expect(200);
    await asUser.read(w.coordinator, w.session.id).expect(200);
    await asUser.read(t.adminToken, w.session.id).expect(200);
    for (const token of [x.staff, x.coordinator]) {
      expect(errorOf(await asUser.read(token, w.session.id))).toEqual({
        status: 404,
        code: 'not_found',
        fields: ['params.id'],
      });
    }
    const viewer = await asUser.read(w.viewer, w.session.id);
    expect(errorOf(viewer)).toEqual({ status: 403, code: 'forbidden', fields: [] });
    expect(viewer.text).not.toContain('Astrid');
    const write = await asUser.add(w.viewer, x.session.id, { kind: 'walk_in', platform: 'ios', topic: 'email' });
    expect(errorOf(write).status).toBe(403);
  });

  it('association staff reach only the cafés their own association runs, and only while the café is on', async () => {
    // A second association with a contract in the same municipality: its staff do not run this café.
    const second = await t.services.organisations.create('association', {
      name: 'Andra föreningen',
      contactEmail: null,
    });
    await t.services.organisations.createContract({
      municipalityId: w.municipality.id,
      associationId: second.id,
      reference: null,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      reportingPeriod: 'quarter',
    });
    const theirs = await t.tokenFor('association_staff', second.id);
    for (const res of [
      await asUser.read(theirs, w.session.id),
      await asUser.add(theirs, w.session.id, { kind: 'walk_in', platform: 'ios', topic: 'email' }),
    ])
      expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
    // The café a week later is not on yet: its seated seniors stay hidden from staff.
    const later = await asUser.read(w.staff, w.other.id);
    expect(errorOf(later)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
    expect(later.text).not.toContain('Astrid');
    await asUser.read(w.coordinator, w.other.id).expect(200);
  });

  it("forgets walk-ins' first names once the café's window has closed, reported or not", async () => {
    const named = await asUser
      .add(x.staff, x.session.id, { kind: 'walk_in', platform: 'ios', topic: 'email', firstName: 'Gunnel' })
      .expect(201);
    const now = t.clock.now().toISOString();
    expect(await t.services.queue.forgetFirstNames()).toBe(0);
    const version = () => t.services.queue.version(t.dataSource.manager, x.session.id);
    const before = await version();
    t.clock.set('2026-12-01T19:00:00Z'); // the café ended 15:00 UTC; three hours after is 18:00
    try {
      expect(await t.services.queue.forgetFirstNames()).toBeGreaterThan(0);
      // A phone still polling learns the names are gone.
      expect(await version()).not.toBe(before);
      expect(
        (await t.dataSource.getRepository(QueueEntry).findOneByOrFail({ id: named.body.id })).firstName,
      ).toBeNull();
    } finally {
      t.clock.set(now);
    }
  });

  it('a logged-in bearer does not widen what a guide link reaches', async () => {
    const res = await request(t.app)
      .get(P(`/guide/sessions/${x.session.id}/queue${q(w.links.amina)}`))
      .set('Authorization', `Bearer ${t.adminToken}`);
    expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
  });
});

describe('Who sees whose name in the queue', () => {
  const names = (res: request.Response) => ({
    seated: res.body.seated.map((x: { displayName: string | null }) => x.displayName),
    entries: res.body.entries.map((e: { name: string | null }) => e.name),
  });
  let greta: string;

  it("names on a guide's link only the seniors the pairing gives that guide; staff and coordinators see all", async () => {
    const amina = await asGuide.read(y.links.amina, y.session.id).expect(200);
    // Tore's Android is Amina's; Signe's iPhone is Bilal's. Signe shows without her name, with her phone and topic.
    // Signe comes without her id too: only her seat's, which says nothing outside this café.
    const seats = await t.dataSource.getRepository(Registration).find({ where: { sessionId: y.session.id } });
    const seatOf = (seniorId: string) => seats.find((r) => r.seniorId === seniorId)!.id;
    expect(amina.body.seated).toEqual([
      {
        registrationId: seatOf(y.bertil.id),
        seniorId: y.bertil.id,
        displayName: 'Tore',
        platforms: ['android'],
        topic: null,
        checkedIn: false,
      },
      {
        registrationId: seatOf(y.astrid.id),
        seniorId: null,
        displayName: null,
        platforms: ['ios'],
        topic: 'bankid',
        checkedIn: false,
      },
    ]);
    expect(amina.text).not.toContain('Signe');
    expect(amina.text).not.toContain(y.astrid.id);
    const bilal = await asGuide.read(y.links.bilal, y.session.id).expect(200);
    expect(names(bilal).seated).toEqual(['Signe', null]);
    expect(bilal.text).not.toContain('Tore');
    for (const token of [y.staff, y.coordinator, t.adminToken])
      expect(names(await asUser.read(token, y.session.id).expect(200)).seated).toEqual(['Signe', 'Tore']);
  });

  it('lets a guide check in another guide’s senior with one tap by the seat, still without the name or the id', async () => {
    const before = await asGuide.read(y.links.amina, y.session.id).expect(200);
    const signe = before.body.seated.find((s: { displayName: string | null }) => s.displayName === null);
    const res = await asGuide
      .add(y.links.amina, y.session.id, { kind: 'registered', registrationId: signe.registrationId })
      .expect(201);
    expect(res.body).toMatchObject({ seniorId: null, name: null, platform: 'ios', topic: 'bankid' });
    // Neither both nor none of the seat and the senior.
    const both = await asGuide.add(y.links.amina, y.session.id, {
      kind: 'registered',
      registrationId: signe.registrationId,
      seniorId: y.astrid.id,
    });
    expect(errorOf(both)).toEqual({ status: 400, code: 'validation_failed', fields: ['body.registrationId'] });
    const none = await asGuide.add(y.links.amina, y.session.id, { kind: 'registered' });
    expect(errorOf(none)).toEqual({ status: 400, code: 'validation_failed', fields: ['body.registrationId'] });
    const again = await asGuide.add(y.links.amina, y.session.id, {
      kind: 'registered',
      registrationId: signe.registrationId,
    });
    expect(errorOf(again)).toEqual({ status: 409, code: 'already_checked_in', fields: ['body.registrationId'] });
    const amina = await asGuide.read(y.links.amina, y.session.id).expect(200);
    expect(names(amina).entries).toEqual([null]);
    expect(amina.text).not.toContain('Signe');
    expect(amina.text).not.toContain(y.astrid.id);
    // The suggestion follows the pairing: Bilal, with the pairing's reasons.
    expect(amina.body.entries[0]).toMatchObject({ suggestedGuideId: y.bilal.id, seniorId: null });
    expect(amina.body.entries[0].suggestionReasons.map((r: { code: string }) => r.code)).toContain(
      'pair_knows_platform',
    );
    // Bilal is Signe's and free: Amina may not take her (the answer would name her).
    const take = await asGuide.step(y.links.amina, y.session.id, amina.body.entries[0].id, { status: 'helping' });
    expect(errorOf(take)).toEqual({ status: 409, code: 'paired_with_other_guide', fields: ['body.status'] });
    expect(take.text).not.toContain('Signe');
    const bilal = await asGuide.read(y.links.bilal, y.session.id).expect(200);
    expect(names(bilal).entries).toEqual(['Signe']);
  });

  it("shows a walk-in's first name to staff and to the guide who takes them; to other guides only the device", async () => {
    const added = await asUser
      .add(y.staff, y.session.id, { kind: 'walk_in', platform: 'android', topic: 'email', firstName: 'Greta' })
      .expect(201);
    expect(added.body.name).toBe('Greta');
    greta = added.body.id;
    // Through a guide's link, the answer to adding a walk-in does not name them either.
    const byGuide = await asGuide
      .add(y.links.bilal, y.session.id, { kind: 'walk_in', platform: 'ios', topic: 'email', firstName: 'Hugo' })
      .expect(201);
    expect(byGuide.body.name).toBeNull();
    await asUser.step(y.staff, y.session.id, byGuide.body.id, { status: 'removed' }).expect(200);
    for (const token of [y.links.amina, y.links.bilal]) {
      const res = await asGuide.read(token, y.session.id).expect(200);
      expect(res.text).not.toContain('Greta');
      expect(res.body.entries.find((e: { id: string }) => e.id === greta)).toMatchObject({
        name: null,
        platform: 'android',
      });
    }
    expect((await asUser.read(y.staff, y.session.id).expect(200)).text).toContain('Greta');
    const taken = await asGuide.step(y.links.amina, y.session.id, greta, { status: 'helping' }).expect(200);
    expect(taken.body.name).toBe('Greta');
    expect((await asGuide.read(y.links.amina, y.session.id).expect(200)).text).toContain('Greta');
    expect((await asGuide.read(y.links.bilal, y.session.id).expect(200)).text).not.toContain('Greta');
  });

  it("suggests another free guide who knows the phone when the senior's own guide is busy", async () => {
    // Amina helps Greta; Tore (Amina's) checks in: Bilal, who knows Android too, is free.
    const tore = await asUser.add(y.staff, y.session.id, { kind: 'registered', seniorId: y.bertil.id }).expect(201);
    const res = await asUser.read(y.staff, y.session.id).expect(200);
    const entry = res.body.entries.find((e: { id: string }) => e.id === tore.body.id);
    // Signe, first in the queue, has Bilal; Tore waits for a free guide.
    expect(entry.suggestedGuideId).toBeNull();
    await asGuide.step(y.links.bilal, y.session.id, res.body.entries[0].id, { status: 'helping' }).expect(200);
    await asGuide
      .step(y.links.bilal, y.session.id, res.body.entries[0].id, { status: 'done', topic: 'bankid' })
      .expect(200);
    const next = await asUser.read(y.staff, y.session.id).expect(200);
    expect(next.body.entries.find((e: { id: string }) => e.id === tore.body.id)).toMatchObject({
      suggestedGuideId: y.bilal.id,
      suggestionReasons: expect.arrayContaining([expect.objectContaining({ code: 'pair_knows_platform' })]),
    });
    // Bilal has helped Signe: he sees her name still, and Amina sees Tore's (hers by the pairing).
    expect((await asGuide.read(y.links.bilal, y.session.id).expect(200)).text).toContain('Signe');
    await asGuide.step(y.links.amina, y.session.id, greta, { status: 'done', topic: 'email' }).expect(200);
  });

  it("never gives a guide's link the names of another café, nor outside the café's window", async () => {
    for (const [token, id] of [
      [y.links.amina, w.session.id],
      [y.links.amina, y.other.id],
      [w.links.bilal, y.session.id],
    ]) {
      const res = await asGuide.read(token, id);
      expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
      expect(res.text).not.toMatch(/Astrid|Bertil|Signe|Tore/);
    }
    try {
      for (const at of ['2026-12-01T11:59:00Z', '2026-12-01T18:01:00Z']) {
        t.clock.set(at);
        const res = await asGuide.read(y.links.amina, y.session.id);
        expect(errorOf(res)).toEqual({ status: 404, code: 'not_found', fields: ['params.id'] });
        expect(res.text).not.toMatch(/Signe|Tore/);
      }
    } finally {
      t.clock.set(DURING);
    }
  });

  it('audits the names shown once per person per café, however often the phone asks', async () => {
    for (let i = 0; i < 3; i++) {
      await asUser.read(y.staff, y.session.id).expect(200);
      await asGuide.read(y.links.amina, y.session.id).expect(200);
    }
    const rows = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { action: 'senior.read.queue', entityType: 'senior' } });
    const of = (seniorId: string) =>
      rows
        .filter((r) => r.entityId === seniorId)
        .map(
          (r) => `${r.actorType}:${r.actorId === y.amina.id ? 'amina' : r.actorId === y.bilal.id ? 'bilal' : 'user'}`,
        )
        .sort();
    // Signe: staff, the coordinator and the admin (one row each), and Bilal; never Amina.
    expect(of(y.astrid.id)).toEqual(['guide:bilal', 'user:user', 'user:user', 'user:user']);
    // Tore: Amina (hers), the users; Bilal only saw him without a name.
    expect(of(y.bertil.id)).toEqual(['guide:amina', 'user:user', 'user:user', 'user:user']);
    expect(
      rows.filter((r) => r.entityId === y.astrid.id).every((r) => r.fields.includes(`session:${y.session.id}`)),
    ).toBe(true);
  });

  it("audits the seniors on a guide's own page once per café", async () => {
    for (let i = 0; i < 2; i++) {
      const page = await request(t.app)
        .get(P(`/guide/me${q(y.links.amina)}`))
        .expect(200);
      expect(page.text).toContain('Tore');
      expect(page.text).not.toContain('Signe');
    }
    const rows = await t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { action: 'senior.read.guide_page', entityType: 'senior' } });
    expect(rows.map((r) => [r.entityId, r.actorType, r.actorId, r.fields])).toEqual([
      [y.bertil.id, 'guide', y.amina.id, [`session:${y.session.id}`]],
    ]);
  });

  it("raises the queue's version for a sign-up, a cancelled sign-up and a guide taken off, so a polling phone sees each", async () => {
    const poll = async (since: string) => (await asGuide.read(y.links.bilal, y.session.id, since).expect(200)).body;
    let version = (await poll('0.0')).version;
    const expectChanged = async () => {
      const now = await poll(version);
      expect(now.unchanged).toBe(false);
      version = now.version;
      return now;
    };
    expect((await poll(version)).unchanged).toBe(true);
    const ulla = await t.services.seniors.create(
      buildSenior(y.municipality.id, { displayName: 'Ulla', devices: [{ platform: 'ios', kind: 'phone' }] }),
    );
    const seat = await t.services.registrations.register(y.session.id, { seniorId: ulla.id });
    // Ulla's iPhone: Bilal's, named on his phone at the next poll.
    expect((await expectChanged()).seated.map((x: { displayName: string | null }) => x.displayName)).toContain('Ulla');
    await t.services.registrations.cancel(seat.id);
    expect((await expectChanged()).seated.map((x: { seniorId: string }) => x.seniorId)).not.toContain(ulla.id);
    const aminas = (await t.services.planning.listForSession(y.session.id)).find((a) => a.guideId === y.amina.id)!;
    await t.services.planning.remove(aminas.id);
    const after = await expectChanged();
    expect(after.guides.map((g: { name: string }) => g.name)).toEqual(['Bilal']);
    // Tore's guide has gone: the pairing gives him Bilal, who now sees his name.
    expect(after.seated.map((x: { displayName: string | null }) => x.displayName)).toContain('Tore');
    expect((await poll(version)).unchanged).toBe(true);
    // A seated senior's new name, and a guide's new platforms (which may change the pairs), are seen too.
    const tore = (await poll('0.0')).seated.find((x: { displayName: string | null }) => x.displayName === 'Tore');
    await t.services.seniors.update(tore.seniorId, { displayName: 'Tore B' });
    expect((await expectChanged()).seated.map((x: { displayName: string | null }) => x.displayName)).toContain(
      'Tore B',
    );
    await t.services.guides.update(y.bilal.id, { platforms: [{ platform: 'chromeos', level: 'basic' }] });
    await expectChanged();
    expect((await poll(version)).unchanged).toBe(true);
  });
});

describe("The after-café form and the queue's answers through a guide's link", () => {
  const form = (token: string) =>
    request(t.app)
      .get(P(`/guide/sessions/${z.session.id}/report-form${q(token)}`))
      .expect(200);
  const seatOf = async (seniorId: string) =>
    (await t.dataSource.getRepository(Registration).findOneByOrFail({ sessionId: z.session.id, seniorId })).id;

  it("tells no guide why another guide's senior goes to that guide by their language or help before", async () => {
    await asUser.add(z.staff, z.session.id, { kind: 'registered', seniorId: z.astrid.id }).expect(201);
    const codes = (res: request.Response) =>
      (res.body.entries[0].suggestionReasons as { code: string }[]).map((r) => r.code);
    // Rut speaks Arabic, as Bilal does: staff and Bilal read it; Amina gets the device only.
    expect(codes(await asUser.read(z.staff, z.session.id).expect(200))).toContain('pair_language');
    expect(codes(await asGuide.read(z.links.bilal, z.session.id).expect(200))).toContain('pair_language');
    const amina = codes(await asGuide.read(z.links.amina, z.session.id).expect(200));
    expect(amina).toContain('pair_knows_platform');
    expect(amina).not.toContain('pair_language');
    expect(amina).not.toContain('pair_helped_before');
  });

  it('audits the name in the answer to a take, for a guide who had not read the queue', async () => {
    const entry = (await asUser.read(z.staff, z.session.id).expect(200)).body.entries[0];
    const rows = () =>
      t.dataSource.getRepository(AuditEntry).findBy({
        action: 'senior.read.queue',
        entityId: z.astrid.id,
        actorType: 'guide',
        actorId: z.bilal.id,
      });
    // Bilal read the queue above: his row is taken away, so only the answer to his take can write it again.
    await t.dataSource.getRepository(AuditEntry).delete({ entityId: z.astrid.id, actorId: z.bilal.id });
    const taken = await asGuide.step(z.links.bilal, z.session.id, entry.id, { status: 'helping' }).expect(200);
    expect(taken.body.name).toBe('Rut');
    expect(await rows()).toHaveLength(1);
    await asGuide.step(z.links.bilal, z.session.id, entry.id, { status: 'done', topic: 'bankid' }).expect(200);
    expect(await rows()).toHaveLength(1);
  });

  it("names on guide A's form only A's seniors; B's come as a seat, and the answers given by seat are stored by senior", async () => {
    const amina = await form(z.links.amina);
    // Sten is Amina's; Rut is Bilal's (and Bilal helped her in the queue).
    expect(amina.body.seated).toEqual([
      { seniorId: z.bertil.id, displayName: 'Sten' },
      { seniorId: await seatOf(z.astrid.id), displayName: null },
    ]);
    expect(amina.text).not.toContain('Rut');
    expect(amina.text).not.toContain(z.astrid.id);
    expect(amina.body.fromQueue).toMatchObject({
      came: [await seatOf(z.astrid.id)],
      helpedBy: [{ seniorId: await seatOf(z.astrid.id), guideId: z.bilal.id }],
    });
    const bilal = await form(z.links.bilal);
    expect(bilal.body.seated).toEqual([
      { seniorId: z.astrid.id, displayName: 'Rut' },
      { seniorId: await seatOf(z.bertil.id), displayName: null },
    ]);
    expect(bilal.text).not.toContain('Sten');
    // Staff see everyone by name and id.
    const staff = await t
      .http(z.staff)
      .get(P(`/sessions/${z.session.id}/report-form`))
      .expect(200);
    expect(staff.body.seated.map((s: { displayName: string }) => s.displayName)).toEqual(['Rut', 'Sten']);
    // Amina sends back what her form gave her: stored under the seniors' own ids.
    const f = amina.body.fromQueue;
    const saved = await request(t.app)
      .post(P(`/guide/sessions/${z.session.id}/report${q(z.links.amina)}`))
      .send({
        came: f.came,
        walkIns: { anonymous: [] },
        help: f.help,
        helpedBy: f.helpedBy,
        guides: [
          { guideId: z.amina.id, start: '14:00', end: '16:00' },
          { guideId: z.bilal.id, start: '14:00', end: '16:00' },
        ],
      })
      .expect(201);
    expect(saved.body.seniors).toEqual(
      expect.arrayContaining([
        { seniorId: z.astrid.id, kind: 'registered', present: true, count: 1, helpedByGuideId: z.bilal.id },
        { seniorId: z.bertil.id, kind: 'registered', present: false, count: 1, helpedByGuideId: null },
      ]),
    );
    // Opened again, Amina's form has the answers as she sent them, still without Rut's name or id.
    const again = await form(z.links.amina);
    expect(again.body.current).toMatchObject({
      came: [await seatOf(z.astrid.id)],
      helpedBy: [{ seniorId: await seatOf(z.astrid.id), guideId: z.bilal.id }],
    });
    expect(again.text).not.toContain('Rut');
    expect(again.text).not.toContain(z.astrid.id);
  });

  it("names nobody on a guide's form from two days after the café; staff still see the names", async () => {
    try {
      t.clock.set('2026-12-02T22:30:00Z'); // Wednesday 23:30 in Stockholm: the day after, names still shown.
      expect((await form(z.links.amina)).text).toContain('Sten');
      t.clock.set('2026-12-02T23:30:00Z'); // Thursday 00:30: none.
      const res = await form(z.links.amina);
      expect(res.body.seated.map((s: { displayName: string | null }) => s.displayName)).toEqual([null, null]);
      expect(res.text).not.toMatch(/Rut|Sten/);
      const staff = await t
        .http(z.coordinator)
        .get(P(`/sessions/${z.session.id}/report-form`))
        .expect(200);
      expect(staff.text).toContain('Sten');
    } finally {
      t.clock.set(DURING);
    }
  });
});

describe('Two phones at once, and the log', () => {
  it('lets exactly one of two guides take the same visitor at the same moment; the other gets 409 already_taken', async () => {
    const added = await asUser
      .add(x.staff, x.session.id, { kind: 'walk_in', platform: 'android', topic: 'email' })
      .expect(201);
    const takes = await Promise.all(
      [x.links.amina, x.links.bilal].map((token) =>
        asGuide.step(token, x.session.id, added.body.id, { status: 'helping' }),
      ),
    );
    expect(takes.map((r) => r.status).sort()).toEqual([200, 409]);
    const won = takes.find((r) => r.status === 200)!;
    const lost = takes.find((r) => r.status === 409)!;
    expect(errorOf(lost)).toEqual({ status: 409, code: 'already_taken', fields: ['body.status'] });
    const stored = await t.dataSource.getRepository(QueueEntry).findOneByOrFail({ id: added.body.id });
    expect(stored).toMatchObject({ status: 'helping', guideId: won.body.guideId });
    expect([x.amina.id, x.bilal.id]).toContain(stored.guideId);
  });

  it("never writes a walk-in's first name to the log, even when a log line carries the queue", async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line) => void lines.push(line) });
    const { app } = buildContainer({ dataSource: t.dataSource, clock: t.clock, logger, settings: t.settings });
    const as = (req: request.Test) => req.set('Authorization', `Bearer ${x.staff}`);
    const added = await as(request(app).post(P(`/sessions/${x.session.id}/queue`)))
      .send({ kind: 'walk_in', platform: 'ios', topic: 'email', firstName: 'Gunvor' })
      .expect(201);
    const read = await as(request(app).get(P(`/sessions/${x.session.id}/queue`))).expect(200);
    expect(read.text).toContain('Gunvor');
    // A failed request is logged too (an unknown entry: no line; a broken body: no line); then
    // what a careless log line might carry: the entry, the whole queue, a first name on its own.
    await as(request(app).patch(P(`/sessions/${x.session.id}/queue/${added.body.id}`)))
      .send({ status: 'helping', guideId: 'Gunvor' })
      .expect(400);
    logger.info({ entry: added.body, queue: read.body, firstName: 'Gunvor', walkIn: { firstName: 'Gunvor' } }, 'q');
    expect(lines.length).toBeGreaterThan(0);
    const log = lines.join('\n');
    expect(log).toContain('[redacted]');
    expect(log).not.toContain('Gunvor');
    // The rest of the line stays: ids and counts are what a log is for.
    expect(log).toContain(added.body.id);
  });
});

describe(suggestGuides.name, () => {
  const guide = (
    id: string,
    platforms: ('ios' | 'android')[],
    helped = 0,
    helping = false,
    o: Partial<QueueGuide> = {},
  ): QueueGuide => ({ id, name: id, platforms, languages: [], topics: [], experienced: true, helped, helping, ...o });
  const visitor = (id: string, platform: 'ios' | 'android', o: Partial<QueueVisitor> = {}): QueueVisitor => ({
    id,
    status: 'waiting',
    senior: { id, platforms: [platform], topic: null, language: null, helpedBefore: [] },
    pairedGuideId: null,
    pairReasons: [],
    ...o,
  });
  const picks = (out: Map<string, { guideId: string }>) => [...out.entries()].map(([id, s]) => [id, s.guideId]);

  it('prefers a free guide who knows the platform, then the fewest helped; each guide once; none when all are busy', () => {
    const out = suggestGuides(
      [visitor('1', 'ios'), visitor('2', 'ios'), visitor('3', 'ios'), visitor('4', 'android')],
      [guide('a', ['ios'], 3), guide('b', ['ios'], 1), guide('c', ['android']), guide('d', ['ios'], 0, true)],
    );
    // b (fewest helped of the free iOS guides), then a; then nobody free knows iOS: c; nobody left for 4.
    expect(picks(out)).toEqual([
      ['1', 'b'],
      ['2', 'a'],
      ['3', 'c'],
    ]);
    expect(out.get('3')!.reasons.map((r) => r.code)).toEqual(['pair_even_load']);
  });

  it("suggests a senior with a seat the guide the pairing gives them, with the pairing's reasons, while that guide is free", () => {
    const pairReasons = [{ code: 'pair_helped_before' as const, params: { times: 2 } }];
    const guides = [guide('a', ['ios']), guide('b', ['ios'], 4)];
    // b has helped four already; the pairing still gives Karin b, who helped her before.
    const karin = visitor('karin', 'ios', { pairedGuideId: 'b', pairReasons });
    expect(suggestGuides([karin], guides).get('karin')).toEqual({ guideId: 'b', reasons: pairReasons });
    // b busy: the next free guide who knows her phone, said in the pairing's words.
    const busy = [guide('a', ['ios']), guide('b', ['ios'], 4, true)];
    expect(suggestGuides([karin], busy).get('karin')).toEqual({
      guideId: 'a',
      reasons: [
        { code: 'pair_knows_platform', params: { platform: 'ios' } },
        { code: 'pair_even_load', params: { seniors: 1 } },
      ],
    });
    // b suggested for an earlier visitor: not twice.
    expect(picks(suggestGuides([visitor('first', 'ios', { pairedGuideId: 'b' }), karin], guides))).toEqual([
      ['first', 'b'],
      ['karin', 'a'],
    ]);
  });

  it("weighs the topic, a shared language and help before against the load, as the pairing's objective does", () => {
    const guides = [guide('a', ['ios'], 1, false, { topics: ['bankid'] }), guide('b', ['ios'])];
    const wants = (o: Partial<QueueVisitor['senior']>) =>
      visitor('v', 'ios', {
        senior: { id: 'v', platforms: ['ios'], topic: null, language: null, helpedBefore: [], ...o },
      });
    // Even: b, who has helped nobody yet. BankID: a knows it, worth one visitor more (3 points against 2).
    expect(suggestGuides([wants({})], guides).get('v')!.guideId).toBe('b');
    const bankid = suggestGuides([wants({ topic: 'bankid' })], guides).get('v')!;
    expect(bankid.guideId).toBe('a');
    expect(bankid.reasons).toContainEqual({ code: 'pair_topic', params: { topic: 'bankid' } });
    // A language: b speaks Somali. Helped before: by b.
    const somali = [
      guide('a', ['ios'], 1, false, { topics: ['bankid'] }),
      guide('b', ['ios'], 2, false, { languages: ['so'] }),
    ];
    expect(suggestGuides([wants({ language: 'so' })], somali).get('v')!.guideId).toBe('b');
    expect(suggestGuides([wants({ helpedBefore: ['b'] })], somali).get('v')!.guideId).toBe('b');
    // Never a guide who cannot help with the phone while one who can is free, however light their load.
    expect(
      suggestGuides([wants({ topic: 'bankid' })], [guide('a', ['android']), guide('b', ['ios'], 5)]).get('v')!.guideId,
    ).toBe('b');
  });
});

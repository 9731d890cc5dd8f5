import request from 'supertest';
import { Attendance, SessionReport } from '../../src/db/entities';
import { newId } from '../../src/db/columns';
import { buildGuide, buildOneOff, buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';

/**
 * Who helps whom: the week page pairs each senior with a seat with a guide on duty, and each
 * guide sees their own seniors on their page, from the day before the café to the day after,
 * and never anyone else's.
 */
const BEFORE = '2026-11-24T09:00:00Z';
/** Tuesday 1 December 2026, 14:00–16:00 in Stockholm. */
const DATE = '2026-12-01';

describe('Who helps whom at the café', () => {
  let t: TestApp;
  afterEach(() => t.close());

  async function cafe() {
    t = await createTestApp(BEFORE);
    const s = t.services;
    const world = await createWorld(s);
    const { municipality, association, venue } = world;
    const make = (date: string) => s.sessions.createOneOff(buildOneOff(venue.id, date));
    const session = await make(DATE);
    const later = await make('2026-12-08');
    const amina = await s.guides.create(
      buildGuide(association.id, municipality.id, {
        name: 'Amina',
        platforms: [{ platform: 'android', level: 'good' }],
        languages: [{ language: 'ar', level: 'native' }],
      }),
    );
    const bilal = await s.guides.create(
      buildGuide(association.id, municipality.id, { name: 'Bilal', platforms: [{ platform: 'ios', level: 'good' }] }),
    );
    const senior = (displayName: string, platform: 'ios' | 'android', preferredLanguage = 'sv') =>
      s.seniors.create(
        buildSenior(municipality.id, { displayName, devices: [{ platform, kind: 'phone' }], preferredLanguage }),
      );
    const astrid = await senior('Astrid', 'ios');
    const bertil = await senior('Bertil', 'android', 'ar');
    await s.registrations.register(session.id, { seniorId: astrid.id, topic: 'bankid' });
    await s.registrations.register(session.id, { seniorId: bertil.id });
    await s.registrations.register(later.id, { seniorId: astrid.id });
    for (const c of [session, later]) for (const g of [amina, bilal]) await s.planning.assign(c.id, g.id);
    await s.planning.publish(municipality.id, DATE, '2026-12-08');
    const link = async (guideId: string) => (await s.guideLinks.issue(guideId, 'access')).token;
    const me = async (guideId: string) =>
      (
        await request(t.app)
          .get('/api/v1/guide/me')
          .query({ token: await link(guideId) })
          .expect(200)
      ).body as {
        assignments: { sessionId: string; seniors: { displayName: string }[] }[];
        recent: { sessionId: string; seniors: { displayName: string }[] }[];
      };
    const week = async (role: 'coordinator' | 'viewer') =>
      (
        await t
          .http(await t.tokenFor(role, municipality.id))
          .get(`/api/v1/municipalities/${municipality.id}/weeks/2026-W49`)
          .expect(200)
      ).body.sessions.find((x: { id: string }) => x.id === session.id) as {
        pairs: { seniorId: string; guideId: string; reasons: { code: string; text: string }[] }[];
        registrations: unknown[];
      };
    return { world, session, later, amina, bilal, astrid, bertil, me, week };
  }

  it('pairs each senior with a guide on duty who knows their phone, and says why, on the week page', async () => {
    const c = await cafe();
    const pairs = (await c.week('coordinator')).pairs;
    expect(pairs.map((p) => [p.seniorId, p.guideId]).sort()).toEqual(
      [
        [c.astrid.id, c.bilal.id],
        [c.bertil.id, c.amina.id],
      ].sort(),
    );
    const bertil = pairs.find((p) => p.seniorId === c.bertil.id)!;
    expect(bertil.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['pair_knows_platform', 'pair_language']));
    // A viewer sees no seniors, so no pairs either.
    const viewed = await c.week('viewer');
    expect(viewed.pairs).toEqual([]);
    expect(viewed.registrations).toEqual([]);
  });

  it('shows a guide their own seniors from the day before the café, and nobody else’s, nor a café further off', async () => {
    const c = await cafe();
    // A week before: nothing yet.
    expect((await c.me(c.amina.id)).assignments.every((a) => a.seniors.length === 0)).toBe(true);
    t.clock.set('2026-11-30T10:00:00Z'); // the day before
    const amina = await c.me(c.amina.id);
    const onDay = (m: typeof amina, id: string) => m.assignments.find((a) => a.sessionId === id)!.seniors;
    expect(onDay(amina, c.session.id)).toEqual([
      { displayName: 'Bertil', devices: [{ platform: 'android', kind: 'phone' }], topic: null, language: 'ar' },
    ]);
    expect(onDay(await c.me(c.bilal.id), c.session.id)).toEqual([
      { displayName: 'Astrid', devices: [{ platform: 'ios', kind: 'phone' }], topic: 'bankid', language: 'sv' },
    ]);
    // The café a week later: its senior is not shown yet.
    expect(onDay(await c.me(c.bilal.id), c.later.id)).toEqual([]);
    // The day after, on the café to report; two days after, no longer.
    t.clock.set('2026-12-02T10:00:00Z');
    const after = await c.me(c.bilal.id);
    expect(after.recent.find((r) => r.sessionId === c.session.id)!.seniors.map((x) => x.displayName)).toEqual([
      'Astrid',
    ]);
    t.clock.set('2026-12-03T10:00:00Z');
    expect((await c.me(c.bilal.id)).recent.find((r) => r.sessionId === c.session.id)!.seniors).toEqual([]);
  });

  it('pairs a returning senior with the guide who helped her before', async () => {
    const c = await cafe();
    // At an earlier café, Amina helped Astrid (who brings an iPhone; Amina knows only Android).
    // Bilal knows iPhone and must have her now: knowing the phone comes first. Give Amina iPhone too.
    await t.services.guides.update(c.amina.id, {
      platforms: [
        { platform: 'android', level: 'good' },
        { platform: 'ios', level: 'good' },
      ],
    });
    const reportId = newId();
    const now = t.clock.now();
    const base = {
      municipalityId: c.world.municipality.id,
      venueId: c.world.venue.id,
      localDate: '2026-11-17',
    };
    const earlier = await t.services.sessions.createOneOff(buildOneOff(c.world.venue.id, '2026-11-25'));
    await t.dataSource.getRepository(SessionReport).insert({
      id: reportId,
      sessionId: earlier.id,
      ...base,
      revision: 1,
      dayReport: null,
      createdAt: now,
      updatedAt: now,
    });
    await t.dataSource.getRepository(Attendance).insert({
      id: newId(),
      reportId,
      sessionId: earlier.id,
      ...base,
      seniorId: c.astrid.id,
      kind: 'registered',
      present: true,
      count: 1,
      ageBand: null,
      gender: null,
      newlyArrived: null,
      helpedByGuideId: c.amina.id,
    } as never);
    const pairs = (await c.week('coordinator')).pairs;
    const astrid = pairs.find((p) => p.seniorId === c.astrid.id)!;
    expect(astrid.guideId).toBe(c.amina.id);
    expect(astrid.reasons.map((r) => r.code)).toContain('pair_helped_before');

    // The contract's report counts her as helped again once Amina helps her at the café of December.
    const contract = await t.services.organisations.createContract({
      municipalityId: c.world.municipality.id,
      associationId: c.world.association.id,
      reference: null,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      reportingPeriod: 'month',
    });
    const december = newId();
    await t.dataSource.getRepository(SessionReport).insert({
      id: december,
      sessionId: c.session.id,
      ...base,
      localDate: DATE,
      revision: 1,
      dayReport: null,
      createdAt: now,
      updatedAt: now,
    });
    const visit = (guideId: string) => ({
      id: newId(),
      reportId: december,
      sessionId: c.session.id,
      ...base,
      localDate: DATE,
      kind: 'registered',
      present: true,
      count: 1,
      ageBand: null,
      gender: null,
      newlyArrived: null,
      helpedByGuideId: guideId,
    });
    await t.dataSource.getRepository(Attendance).insert([
      { ...visit(c.amina.id), seniorId: c.astrid.id },
      // Bertil was helped by Bilal, who never helped him before: not helped again.
      { ...visit(c.bilal.id), seniorId: c.bertil.id },
    ] as never);
    const f = await t.services.reports.figures(contract.id, '2026-12');
    expect([f.total.helpedAgain, f.total.repeatVisitors, f.total.uniqueVisitors]).toEqual([1, 0, 2]);
    expect(f.venues.map((v) => v.helpedAgain)).toEqual([1]);
  });
});

import request from 'supertest';
import { Assignment, GuidePlatform, Registration, Senior, Session } from '../../src/db/entities';
import { countStatements } from '../../src/db/statements';
import { addDays, isoWeekOf } from '../../src/domain/time';
import { type DemoSummary, seedDemo } from '../../scripts/demo-data';
import { createTestApp, type TestApp } from '../support/app';

/**
 * The SQL statements each hot route of issue 20 runs, on the demo municipality with its term
 * planned and published and its first week reported (as `npm run bench -- load` measures them),
 * the same on sqlite and on PostgreSQL.
 *
 * Each number is a ceiling that only goes down, and only on purpose: a change that adds a
 * statement to one of these routes fails here; one that saves statements lowers the number
 * here, in the same commit. Transaction statements count too (BEGIN, COMMIT, SAVEPOINT …).
 * The week view, the guide's page, the registration and the report are being cut down now
 * (issue 20): these are the numbers of the day this test was written, and they will fall.
 *
 * A request is counted with its caller's principal already known to the instance (a bearer
 * token seen before, less than 30 s ago), as nearly every request is; the first request of a
 * token reads it in one statement more (counted on its own below).
 */
const CEILING: Record<Route, number> = {
  'GET /auth/me': 1,
  'GET /auth/me, the first request of a token': 2,
  'GET /municipalities/:id/weeks/:week (the busiest week, as the coordinator)': 10,
  'GET /guide/me (a guide with cafés, by their link)': 4,
  "GET /guide/me (a guide with a café tomorrow: their seniors' names shown)": 12,
  'POST /sessions/:id/registrations (a senior signs up, gets a seat)': 8,
  "GET /contracts/:id/reports/:period (a month's report)": 19,
};
type Route =
  | 'GET /auth/me'
  | 'GET /auth/me, the first request of a token'
  | 'GET /municipalities/:id/weeks/:week (the busiest week, as the coordinator)'
  | 'GET /guide/me (a guide with cafés, by their link)'
  | "GET /guide/me (a guide with a café tomorrow: their seniors' names shown)"
  | 'POST /sessions/:id/registrations (a senior signs up, gets a seat)'
  | "GET /contracts/:id/reports/:period (a month's report)";

const NOW = '2026-11-24T09:00:00Z';
const database = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

describe(`SQL statements per request on the hot routes (${database})`, () => {
  jest.setTimeout(300_000);
  let t: TestApp;
  let demo: Extract<DemoSummary, { alreadyLoaded: false }>;
  let coordinator: string;
  let week: string;
  let guideToken: string;
  let nearGuideToken: string;
  let dayBeforeNear: Date;
  let signUp: { sessionId: string; seniorId: string; platform: string };
  let reported: string;

  beforeAll(async () => {
    t = await createTestApp(NOW);
    const seeded = await seedDemo(t.services, { today: NOW.slice(0, 10) });
    if (seeded.alreadyLoaded) throw new Error('the demo was already in a fresh database');
    demo = seeded;
    coordinator = await t.tokenFor('coordinator', demo.municipalityId);
    const api = t.http(coordinator);
    // The term planned and published, as the bench does: the pages then show guides on duty.
    const sessions = await t.dataSource.getRepository(Session).findBy({ municipalityId: demo.municipalityId });
    const dates = sessions.map((s) => s.localDate).sort();
    const period = { from: dates[0], to: dates[dates.length - 1] };
    const plan = await api
      .post(`/api/v1/municipalities/${demo.municipalityId}/plans`)
      .send({ ...period, timeLimitMs: 2000 })
      .expect(201);
    await api.post(`/api/v1/municipalities/${demo.municipalityId}/plans/publish`).send(period).expect(200);

    // The term's first week is over and reported (who came, the guides' times), so the report has
    // figures; the clock stands on the Monday after it from here on.
    const first = sessions.filter((x) => isoWeekOf(x.localDate) === isoWeekOf(period.from));
    const lastEnd = Math.max(...first.map((x) => x.endsAt.getTime()));
    t.clock.set(new Date(Math.ceil(lastEnd / 86_400_000) * 86_400_000 + 9 * 3600_000));
    const seated = await t.dataSource.getRepository(Registration).findBy({ status: 'confirmed' });
    const onDuty = await t.dataSource.getRepository(Assignment).findBy({ status: 'published' });
    for (const cafe of first.filter((x) => x.status === 'scheduled')) {
      const local = (at: Date) => at.toLocaleTimeString('sv-SE', { timeZone: cafe.timeZone }).slice(0, 5);
      await api
        .post(`/api/v1/sessions/${cafe.id}/report`)
        .send({
          came: seated.filter((r) => r.sessionId === cafe.id).map((r) => r.seniorId),
          guides: onDuty
            .filter((a) => a.sessionId === cafe.id)
            .map((a) => ({ guideId: a.guideId, start: local(cafe.startsAt), end: local(cafe.endsAt) })),
        })
        .expect(201);
    }
    reported = first[0].localDate.slice(0, 7);

    // The busiest week: the most seniors signed up (with a seat or waiting), the earliest of equals.
    const registrations = await t.dataSource.getRepository(Registration).find();
    const dateOf = new Map(sessions.map((s) => [s.id, s.localDate]));
    const perWeek = new Map<string, number>();
    for (const r of registrations.filter((x) => x.status === 'confirmed' || x.status === 'waitlisted')) {
      const w = isoWeekOf(dateOf.get(r.sessionId)!);
      perWeek.set(w, (perWeek.get(w) ?? 0) + 1);
    }
    week = [...perWeek].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];

    // Two guides, chosen the same way on every run (the plan is not): one with cafés ahead but
    // none from yesterday to tomorrow, and the one with the first café ahead, whose page names
    // their seniors from the day before it (the clock is moved there for that count only).
    const today = t.clock.now().toISOString().slice(0, 10);
    const near = new Set([addDays(today, -1), today, addDays(today, 1)]);
    const published = (plan.body as { assignments: { guideId: string; sessionId: string }[] }).assignments;
    const cafesOf = new Map<string, string[]>();
    for (const a of published) cafesOf.set(a.guideId, [...(cafesOf.get(a.guideId) ?? []), dateOf.get(a.sessionId)!]);
    const guides = [...cafesOf].sort(([a], [b]) => a.localeCompare(b));
    const far = guides.find(([, dates]) => dates.some((d) => d > today) && !dates.some((d) => near.has(d)));
    const firstAhead = (dates: string[]) => dates.filter((d) => d > today).sort()[0] ?? '9999';
    const close = [...guides].sort(([, a], [, b]) => firstAhead(a).localeCompare(firstAhead(b)))[0];
    expect(far).toBeDefined();
    const linkOf = async (guideId: string) =>
      (await api.post(`/api/v1/guides/${guideId}/links`).send({}).expect(201)).body.token as string;
    guideToken = await linkOf(far![0]);
    nearGuideToken = await linkOf(close[0]);
    dayBeforeNear = new Date(`${addDays(firstAhead(close[1]), -1)}T09:00:00Z`);

    // A sign-up that gets a seat: a café ahead with free seats and no waiting list, a senior not
    // on it, bringing a platform a guide on duty knows (as the bench's sign-ups do).
    const seniors = await t.dataSource.getRepository(Senior).findBy({ municipalityId: demo.municipalityId });
    const assignments = await t.dataSource.getRepository(Assignment).find();
    const platforms = await t.dataSource.getRepository(GuidePlatform).find();
    const ahead = sessions
      .filter((s) => s.status === 'scheduled' && s.startsAt > t.clock.now())
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    for (const s of ahead) {
      const on = registrations.filter((r) => r.sessionId === s.id && r.status !== 'cancelled');
      if (on.some((r) => r.status === 'waitlisted') || on.length >= s.seats) continue;
      const guides = new Set(assignments.filter((a) => a.sessionId === s.id).map((a) => a.guideId));
      const platform = platforms.find((p) => guides.has(p.guideId))?.platform;
      const senior = seniors.find((x) => !x.erasedAt && !on.some((r) => r.seniorId === x.id));
      if (platform && senior) {
        signUp = { sessionId: s.id, seniorId: senior.id, platform };
        break;
      }
    }
    expect(signUp).toBeDefined();
  });
  afterAll(() => t.close());

  /**
   * The statements of one request: after a first request with the same token (its principal
   * known, its use stored), and with the bookkeeping it leaves stored before counting ends.
   */
  async function statementsOf(
    send: (agent: ReturnType<TestApp['http']>) => request.Test,
    token: string | null = coordinator,
    warm = true,
  ): Promise<string[]> {
    const agent = token ? t.http(token) : request.agent(t.app);
    if (token && warm) await agent.get('/api/v1/auth/me').expect(200);
    await t.services.auth.settled();
    const count = countStatements(t.dataSource);
    try {
      const res = await send(agent);
      expect(res.status).toBeLessThan(300);
      await t.services.auth.settled();
    } finally {
      count.stop();
    }
    return [...count.statements];
  }

  const counted: Partial<Record<Route, string[]>> = {};
  afterAll(() => {
    // What a change moved, to find the statement it added or the number to lower.
    for (const [route, statements] of Object.entries(counted))
      if (statements.length !== CEILING[route as Route])
        console.log(`${route}: ${statements.length} statements\n  ${statements.join('\n  ')}`);
  });
  const expectCeiling = (route: Route, statements: string[]) => {
    counted[route] = statements;
    expect({ route, statements: statements.length }).toEqual({ route, statements: CEILING[route] });
  };

  it('an authenticated trivial route: no statement to know who calls, one for the answer', async () => {
    expectCeiling('GET /auth/me', await statementsOf((a) => a.get('/api/v1/auth/me')));
  });

  it('the first request of a token reads the principal in one statement, and stores its use after the answer', async () => {
    const fresh = await t.tokenFor('viewer', demo.municipalityId);
    const statements = await statementsOf((a) => a.get('/api/v1/auth/me'), fresh, false);
    // The token's last use is stored after the answer, in a transaction of its own.
    const bookkeeping = statements.filter((s) => /UPDATE "?auth_tokens"?/i.test(s));
    expect(bookkeeping).toHaveLength(1);
    expectCeiling(
      'GET /auth/me, the first request of a token',
      statements.filter((s) => !/UPDATE "?auth_tokens"?|^(BEGIN|START TRANSACTION|COMMIT)/i.test(s)),
    );
  });

  it("the week view of the demo's busiest week, as the coordinator (with seniors' names)", async () => {
    expectCeiling(
      'GET /municipalities/:id/weeks/:week (the busiest week, as the coordinator)',
      await statementsOf((a) => a.get(`/api/v1/municipalities/${demo.municipalityId}/weeks/${week}`)),
    );
  });

  it("a guide's own page, by their link", async () => {
    expectCeiling(
      'GET /guide/me (a guide with cafés, by their link)',
      await statementsOf((a) => a.get('/api/v1/guide/me').query({ token: guideToken }), null),
    );
  });

  it("the page of a guide with a café tomorrow, who sees their seniors' names", async () => {
    const now = t.clock.now();
    t.clock.set(dayBeforeNear);
    try {
      const answer = await request(t.app).get('/api/v1/guide/me').query({ token: nearGuideToken }).expect(200);
      // The page does name seniors here (or this would count the other case again).
      expect(JSON.stringify(answer.body)).toMatch(/"displayName":"[^"]+"/);
      expectCeiling(
        "GET /guide/me (a guide with a café tomorrow: their seniors' names shown)",
        await statementsOf((a) => a.get('/api/v1/guide/me').query({ token: nearGuideToken }), null),
      );
    } finally {
      t.clock.set(now);
    }
  });

  it('a senior signed up for a café with a free seat', async () => {
    expectCeiling(
      'POST /sessions/:id/registrations (a senior signs up, gets a seat)',
      await statementsOf((a) =>
        a
          .post(`/api/v1/sessions/${signUp.sessionId}/registrations`)
          .send({ seniorId: signUp.seniorId, devices: [{ platform: signUp.platform, kind: 'phone' }] }),
      ),
    );
  });

  it("a month's contract report", async () => {
    // The month the report page opens on: the contract's latest with a café reported or held.
    const month = (await t.http(coordinator).get(`/api/v1/contracts/${demo.contractId}/report-period`).expect(200)).body
      .period as string;
    expect(month).toBe(reported);
    expectCeiling(
      "GET /contracts/:id/reports/:period (a month's report)",
      await statementsOf((a) => a.get(`/api/v1/contracts/${demo.contractId}/reports/${month}`)),
    );
  });
});

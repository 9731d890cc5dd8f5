import request from 'supertest';
import { AuthToken, OutboxMessage } from '../../src/db/entities';
import { buildContainer } from '../../src/container';
import { countStatements } from '../../src/db/statements';
import { createLogger } from '../../src/lib/logger';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

/**
 * An instance knows who calls by a token's hash for up to 30 s, so most requests ask the
 * database nothing to authenticate. Everything that changes what a caller may do forgets that on
 * this instance at once: each case below makes a request first (the caller is known), changes
 * something through the API, and the very next request is answered by the new state.
 */
describe('Who calls: known for a short while, forgotten at once on a change', () => {
  let t: TestApp;
  let mora: string;
  let falun: string;
  let association: string;
  beforeEach(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    const org = t.services.organisations;
    mora = (await org.create('municipality', { name: 'Mora kommun', contactEmail: null })).id;
    falun = (await org.create('municipality', { name: 'Falu kommun', contactEmail: null })).id;
    association = (await org.create('association', { name: 'Digitalt Stöd Dalarna', contactEmail: null })).id;
  });
  afterEach(() => t.close());

  const as = (token: string) => request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
  const login = async (email: string, password = PASSWORD) =>
    (await request(t.app).post('/api/v1/auth/login').send({ email, password }).expect(200)).body.token as string;
  const user = (email: string, role: 'coordinator' | 'viewer' | 'association_staff', organisationId: string) =>
    t.services.auth.createUser({ email, password: PASSWORD, role, organisationId });
  const week = (token: string, municipalityId: string) =>
    request(t.app)
      .get(`/api/v1/municipalities/${municipalityId}/weeks/2026-W49`)
      .set('Authorization', `Bearer ${token}`);
  const contract = (endsOn: string) =>
    t.services.organisations.createContract({
      municipalityId: mora,
      associationId: association,
      startsOn: '2026-01-01',
      endsOn,
      reportingPeriod: 'month',
      reference: null,
      hourlyRate: null,
    });

  it('a logout: the token is refused at the next request', async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    await as(token).expect(200);
    await request(t.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
    expect((await as(token).expect(401)).body.error.code).toBe('invalid_token');
  });

  it('a revoked API token is refused at the next request; the session that revoked it goes on', async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const session = await login('karin@mora.example');
    const made = await t.http(session).post('/api/v1/auth/tokens').send({ name: 'Export' }).expect(201);
    await as(made.body.token).expect(200);
    await t.http(session).delete(`/api/v1/auth/tokens/${made.body.id}`).expect(200);
    await as(made.body.token).expect(401);
    await as(session).expect(200);
  });

  it('a role taken away: the next request of a coordinator made viewer is refused what planners do (403)', async () => {
    const karin = await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    const plan = () =>
      t
        .http(token)
        .post(`/api/v1/municipalities/${mora}/plans`)
        .send({ from: '2026-11-30', to: '2026-12-06', timeLimitMs: 200 });
    await plan().expect(201);
    await t.http().patch(`/api/v1/users/${karin.id}`).send({ role: 'viewer', organisationId: mora }).expect(200);
    expect((await plan().expect(403)).body.error.code).toBe('forbidden');
    expect((await as(token).expect(200)).body).toMatchObject({ role: 'viewer', municipalityIds: [mora] });
  });

  it('moved to another municipality: the next request sees the new one, and not the old (404)', async () => {
    const karin = await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    await week(token, mora).expect(200);
    await week(token, falun).expect(404);
    await t.http().patch(`/api/v1/users/${karin.id}`).send({ organisationId: falun }).expect(200);
    await week(token, mora).expect(404);
    await week(token, falun).expect(200);
  });

  it('a deactivation: every token of the account is refused at the next request', async () => {
    const karin = await user('karin@mora.example', 'coordinator', mora);
    const session = await login('karin@mora.example');
    const api = (await t.http(session).post('/api/v1/auth/tokens').send({ name: 'Export' }).expect(201)).body
      .token as string;
    await as(session).expect(200);
    await as(api).expect(200);
    await t.http().post(`/api/v1/users/${karin.id}/deactivate`).expect(200);
    await as(session).expect(401);
    await as(api).expect(401);
  });

  it("a password changed: the account's other logins are refused at the next request, the one that changed it goes on", async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const here = await login('karin@mora.example');
    const there = await login('karin@mora.example');
    await as(there).expect(200);
    await t
      .http(here)
      .post('/api/v1/auth/password')
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new pass phrase' })
      .expect(200);
    await as(there).expect(401);
    await as(here).expect(200);
  });

  it("a password reset by link: the account's logins are refused at the next request", async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    await as(token).expect(200);
    await request(t.app).post('/api/v1/auth/password-reset').send({ email: 'karin@mora.example' }).expect(202);
    const mail = await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ kind: 'password_reset' });
    const link = decodeURIComponent(/\/losenord#(\S+)/.exec(mail.text)![1]);
    await request(t.app)
      .post(`/api/v1/auth/password-links/${link}`)
      .send({ password: 'a brand new pass phrase' })
      .expect(200);
    await as(token).expect(401);
  });

  it("a contract made or ended: association staff see the municipality's week at the next request, and then not", async () => {
    await user('ali@dsd.example', 'association_staff', association);
    const token = await login('ali@dsd.example');
    await week(token, mora).expect(404);
    const made = await contract('2027-06-30');
    await week(token, mora).expect(200);
    await t.http().patch(`/api/v1/contracts/${made.id}`).send({ endsOn: '2026-11-23' }).expect(200);
    await week(token, mora).expect(404);
  });

  it('a contract that ends today opens its things until midnight (UTC) and not after, known caller or not', async () => {
    await contract('2026-11-24');
    // An API token: a login's session would end at 21:00.
    const token = await t.tokenFor('association_staff', association);
    t.clock.set('2026-11-24T23:59:50Z');
    await week(token, mora).expect(200);
    t.clock.set('2026-11-25T00:00:05Z');
    await week(token, mora).expect(404);
  });

  it('a token that expires is refused from its expiry, though its caller was known', async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    t.clock.set('2026-11-24T20:59:55Z');
    await as(token).expect(200);
    t.clock.set('2026-11-24T21:00:00Z');
    await as(token).expect(401);
  });

  it("another instance on the same database knows a revoked token's caller for at most 30 s", async () => {
    await user('karin@mora.example', 'coordinator', mora);
    const token = await login('karin@mora.example');
    // A second instance: its own services and cache, the same database and clock.
    const other = buildContainer({
      dataSource: t.dataSource,
      clock: t.clock,
      logger: createLogger('silent'),
      settings: t.settings,
      checkResponses: true,
    });
    try {
      const there = () => request(other.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      await there().expect(200);
      await request(t.app).post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
      await as(token).expect(401);
      t.clock.advance(29_000);
      await there().expect(200);
      t.clock.advance(1_000);
      await there().expect(401);
    } finally {
      await other.services.auth.settled();
      await other.planner.close();
    }
  });
});

describe("A token's last use", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
  });
  afterEach(() => t.close());

  const lastUsed = async (id: string) =>
    (await t.dataSource.getRepository(AuthToken).findOneByOrFail({ id })).lastUsedAt?.toISOString() ?? null;

  it('is stored after the answer, at most once a minute', async () => {
    const boss = await t.services.auth.createUser({ email: 'boss@example.org', password: PASSWORD, role: 'admin' });
    const { token, row } = await t.services.auth.createApiToken(boss.id, 'Export');
    const me = () => t.http(token).get('/api/v1/auth/me').expect(200);
    expect(await lastUsed(row.id)).toBeNull();
    await me();
    await t.services.auth.settled();
    expect(await lastUsed(row.id)).toBe('2026-11-24T09:00:00.000Z');
    t.clock.advance(60_000);
    await me();
    await t.services.auth.settled();
    expect(await lastUsed(row.id)).toBe('2026-11-24T09:00:00.000Z');
    t.clock.advance(1_000);
    await me();
    await t.services.auth.settled();
    expect(await lastUsed(row.id)).toBe('2026-11-24T09:01:01.000Z');
  });

  it('of many requests at once is one write, not one transaction per request', async () => {
    const token = await t.tokenFor('admin');
    const count = countStatements(t.dataSource);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => t.http(token).get('/api/v1/auth/me')));
      expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 200));
      await t.services.auth.settled();
    } finally {
      count.stop();
    }
    const writes = count.statements.filter((s) => /^(UPDATE|INSERT|DELETE)/i.test(s));
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatch(/UPDATE "?auth_tokens"?/);
    const transactions = count.statements.filter((s) => /^(BEGIN|START TRANSACTION)/i.test(s));
    expect(transactions).toHaveLength(1);
  });
});

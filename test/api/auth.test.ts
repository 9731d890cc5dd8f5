import request from 'supertest';
import { AuthToken, User } from '../../src/db/entities';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';

describe('Logging in', () => {
  let t: TestApp;
  let municipalityId: string;
  beforeEach(async () => {
    t = await createTestApp();
    municipalityId = (
      await t.services.organisations.create('municipality', { name: 'Mora kommun', contactEmail: null })
    ).id;
    await t
      .http()
      .post('/api/v1/users')
      .send({ email: 'Karin@Mora.example', password: PASSWORD, role: 'coordinator', organisationId: municipalityId })
      .expect(201);
  });
  afterEach(() => t.close());
  const anon = () => request(t.app);

  it('gives a bearer token for the right password, whatever the e-mail case, and the token works until logout', async () => {
    const login = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(200);
    expect(login.body).toMatchObject({
      expiresAt: '2026-11-24T21:00:00.000Z',
      user: { email: 'karin@mora.example', role: 'coordinator', organisationId: municipalityId },
    });
    const token: string = login.body.token;
    expect(token).toMatch(/^bry_s_/);

    const me = await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    // No SMTP_URL in this app: the pages say that the guides' mails wait, instead of promising them.
    expect(me.body).toMatchObject({
      role: 'coordinator',
      municipalityIds: [municipalityId],
      associationIds: [],
      mailSetUp: false,
    });

    await anon().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
    const after = await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(after.body.error.code).toBe('invalid_token');
  });

  it('stores the password and the token only as hashes', async () => {
    const login = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(200);
    const user = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'karin@mora.example' });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const tokens = await t.dataSource.getRepository(AuthToken).findBy({ userId: user.id });
    expect(tokens).toHaveLength(1);
    expect(tokens[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(tokens)).not.toContain(login.body.token);
  });

  it('refuses a wrong password and an unknown account alike', async () => {
    const wrong = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'karin@mora.example', password: 'not the password' })
      .expect(401);
    const unknown = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@mora.example', password: 'not the password' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('counts guesses sent all at once: no more than the limit get checked', async () => {
    const tries = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        anon()
          .post('/api/v1/auth/login')
          .send({ email: 'karin@mora.example', password: `guess ${i}` }),
      ),
    );
    expect(tries.filter((r) => r.status === 401)).toHaveLength(5);
    expect(tries.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('lets a client log in even when it still sends an old token', async () => {
    await anon()
      .post('/api/v1/auth/login')
      .set('Authorization', 'Bearer bry_s_expiredexpiredexpiredexpiredexpiredexpire')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(200);
    await anon()
      .post('/api/v1/auth/login')
      .set('Authorization', 'Basic a2FyaW46eA==')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(200);
  });

  it('raises an old password hash to today’s cost at the next login', async () => {
    const { PasswordHasher } = await import('../../src/lib/passwords');
    const old = await new PasswordHasher({ N: 2 ** 9, r: 8, p: 1 }).hash(PASSWORD);
    await t.dataSource.getRepository(User).update({ email: 'karin@mora.example' }, { passwordHash: old });
    await anon().post('/api/v1/auth/login').send({ email: 'karin@mora.example', password: PASSWORD }).expect(200);
    const stored = (await t.dataSource.getRepository(User).findOneByOrFail({ email: 'karin@mora.example' }))
      .passwordHash;
    expect(stored).toMatch(/^scrypt\$1024\$/);
    await anon().post('/api/v1/auth/login').send({ email: 'karin@mora.example', password: PASSWORD }).expect(200);
  });

  it('ends a session after its hours', async () => {
    const login = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(200);
    t.clock.advance(12 * 3600_000 - 1000);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    t.clock.advance(1000);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${login.body.token}`).expect(401);
  });

  const KARIN = 'karin@mora.example';
  const tryLogin = (password: string, cookie?: string) => {
    const r = anon().post('/api/v1/auth/login');
    if (cookie) r.set('Cookie', cookie);
    return r.send({ email: KARIN, password });
  };
  /** The device cookie a login's answer sets, as a browser sends it back. */
  const deviceCookie = (res: request.Response) => {
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    const cookie = set.find((c) => c.startsWith('bryggan_device='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
    return cookie!.split(';')[0];
  };
  /** Wrong passwords from browsers without a cookie until `n` of them were checked, waiting out each delay. */
  const guessUntil = async (n: number) => {
    for (let failed = 0; failed < n;) {
      const r = await tryLogin(`guess ${failed}`);
      if (r.status === 429) t.clock.advance(Number(r.headers['retry-after']) * 1000);
      else failed += Number(r.status === 401);
    }
  };
  /** A second account in Karin's municipality. */
  const addPer = () =>
    t.services.auth.createUser({
      email: 'per@mora.example',
      password: PASSWORD,
      role: 'viewer',
      organisationId: municipalityId,
    });
  const actions = async () =>
    (await t.http().get('/api/v1/audit?limit=200').expect(200)).body.items.map((e: { action: string }) => e.action);

  it('slows guessing down step by step (30 s, 1, 2, 4 … 15 minutes) instead of locking out, and says how long to wait', async () => {
    for (let i = 0; i < 5; i++) await tryLogin(`guess ${i}`).expect(401);
    // The fifth failure makes the next try wait 30 s, whatever the password.
    const held = await tryLogin(PASSWORD).expect(429);
    expect(held.body.error.code).toBe('too_many_attempts');
    expect(held.headers['retry-after']).toBe('30');
    t.clock.advance(29_000);
    expect((await tryLogin(PASSWORD).expect(429)).headers['retry-after']).toBe('1');
    t.clock.advance(1000);
    await tryLogin('guess 5').expect(401);
    expect((await tryLogin(PASSWORD).expect(429)).headers['retry-after']).toBe('60');
    const waits = [];
    for (let i = 0; i < 6; i++) {
      // Each failure after its wait doubles the next wait, up to 15 minutes.
      t.clock.advance(Number((await tryLogin(PASSWORD + 'x').expect(429)).headers['retry-after']) * 1000);
      await tryLogin(`again ${i}`).expect(401);
      waits.push(Number((await tryLogin(PASSWORD).expect(429)).headers['retry-after']));
    }
    expect(waits).toEqual([120, 240, 480, 900, 900, 900]);
    // The right password after the wait: in, and the count starts again.
    t.clock.advance(900_000);
    await tryLogin(PASSWORD).expect(200);
    for (let i = 0; i < 5; i++) await tryLogin(`new ${i}`).expect(401);
    expect((await tryLogin(PASSWORD).expect(429)).headers['retry-after']).toBe('30');
    // An hour after the last failure, the failures are forgotten.
    t.clock.advance(3600_000 + 1);
    await tryLogin('one more').expect(401);
    await tryLogin(PASSWORD).expect(200);
  });

  it('never holds back the right password from a browser that logged in before, whatever others guess', async () => {
    const first = await tryLogin(PASSWORD).expect(200);
    const cookie = deviceCookie(first);
    // Someone else guesses at the account until it waits 15 minutes.
    await guessUntil(10);
    expect((await tryLogin(PASSWORD).expect(429)).headers['retry-after']).toBe('900');
    // Karin's own browser is let in at once, and its cookie is not replaced.
    const own = await tryLogin(PASSWORD, cookie).expect(200);
    expect(own.headers['set-cookie']).toBeUndefined();
    // A cookie for another account, or a made-up one, is no way past the wait.
    await tryLogin(PASSWORD, 'bryggan_device=' + 'A'.repeat(32)).expect(429);
    // The known browser's own mistakes count on their own, with more room: ten before it waits.
    for (let i = 0; i < 10; i++) await tryLogin(`typo ${i}`, cookie).expect(401);
    expect((await tryLogin(PASSWORD, cookie).expect(429)).headers['retry-after']).toBe('30');
    t.clock.advance(30_000);
    await tryLogin(PASSWORD, cookie).expect(200);
    // The device is stored as a hash only.
    const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM login_devices'));
    expect(stored).not.toContain(cookie.split('=')[1]);
    expect(await actions()).toEqual(expect.arrayContaining(['login', 'login.failed', 'login.delayed']));
  });

  it('counts guesses sent all at once before checking them: only the free ones are checked', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => tryLogin(`parallel ${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('slows one address trying many accounts (password spraying), and an admin can let a person in at once', async () => {
    for (let i = 0; i < 20; i++)
      await anon()
        .post('/api/v1/auth/login')
        .send({ email: `spray-${i}@example.org`, password: 'Sommar2026!' })
        .expect(401);
    const held = await tryLogin(PASSWORD).expect(429);
    expect(held.headers['retry-after']).toBe('30');
    // Also after guesses at the account itself, an admin's unlock lets the person in now.
    await guessUntil(5);
    await tryLogin(PASSWORD).expect(429);
    const users = (await t.http().get('/api/v1/users').expect(200)).body.items as {
      id: string;
      email: string;
      loginWaitsUntil: string | null;
    }[];
    const karin = users.find((u) => u.email === KARIN)!;
    expect(karin.loginWaitsUntil).not.toBeNull();
    expect(users.filter((u) => u.email !== KARIN).every((u) => u.loginWaitsUntil === null)).toBe(true);
    // Someone guesses at another account too, from elsewhere.
    await addPer();
    for (let i = 0; i < 5; i++)
      await t.services.auth.login('per@mora.example', `guess ${i}`, '203.0.113.9').catch(() => undefined);
    await anon().post(`/api/v1/users/${karin.id}/unlock`).expect(401);
    await t.http().post(`/api/v1/users/${karin.id}/unlock`).expect(200);
    await tryLogin(PASSWORD).expect(200);
    // Only Karin was let go: Per's account still waits.
    const after = (await t.http().get('/api/v1/users').expect(200)).body.items as {
      email: string;
      loginWaitsUntil: string | null;
    }[];
    expect(after.filter((u) => u.loginWaitsUntil !== null).map((u) => u.email)).toEqual(['per@mora.example']);
    expect(await actions()).toEqual(expect.arrayContaining(['user.unlock', 'login', 'login.failed', 'login.delayed']));
  });

  it("a right password takes back its own attempt from the address's count, and not more: the next person is not held back by it", async () => {
    await addPer();
    for (let i = 0; i < 20; i++)
      await anon()
        .post('/api/v1/auth/login')
        .send({ email: `spray-${i}@example.org`, password: 'x' })
        .expect(401);
    expect((await tryLogin(PASSWORD).expect(429)).headers['retry-after']).toBe('30');
    t.clock.advance(30_000);
    await tryLogin(PASSWORD).expect(200);
    // Karin's right password set no wait for the library's address: Per logs in at once after her.
    await anon().post('/api/v1/auth/login').send({ email: 'per@mora.example', password: PASSWORD }).expect(200);
    // A wrong one does: the address waits again.
    await anon().post('/api/v1/auth/login').send({ email: 'spray-x@example.org', password: 'x' }).expect(401);
    await tryLogin(PASSWORD).expect(429);
  });

  it('keeps the counts under keys that cannot be read back, and the nightly retention job forgets counts an hour old', async () => {
    await tryLogin('wrong').expect(401);
    const rows = await t.dataSource.query<{ key: string; kind: string }[]>('SELECT * FROM login_delays');
    expect(rows.map((r) => r.kind).sort()).toEqual(['account', 'address']);
    const { createHash } = await import('node:crypto');
    const plain = ['account:karin@mora.example', 'address:::ffff:127.0.0.1', 'address:127.0.0.1'].map((v) =>
      createHash('sha256').update(v).digest('hex'),
    );
    expect(rows.filter((r) => plain.includes(r.key))).toEqual([]);
    t.clock.advance(3600_000 + 1000);
    await t.services.jobs.run('retention');
    expect(await t.dataSource.query('SELECT * FROM login_delays')).toEqual([]);
  });

  it('logs logins, failures, delays, logouts and API tokens, with no e-mail address or password in the log', async () => {
    await tryLogin('wrong one').expect(401);
    await anon().post('/api/v1/auth/login').send({ email: 'nobody@mora.example', password: 'x' }).expect(401);
    const token = (await tryLogin(PASSWORD).expect(200)).body.token as string;
    const api = await anon()
      .post('/api/v1/auth/tokens')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Export' })
      .expect(201);
    await anon().delete(`/api/v1/auth/tokens/${api.body.id}`).set('Authorization', `Bearer ${token}`).expect(200);
    await anon().post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`).expect(200);
    const log = (await t.http().get('/api/v1/audit?limit=200').expect(200)).body.items as {
      action: string;
      entityType: string;
      entityId: string;
      actorType: string;
    }[];
    const karin = await t.dataSource.getRepository(User).findOneByOrFail({ email: KARIN });
    const own = log.filter((e) => e.entityId === karin.id).map((e) => e.action);
    expect(own).toEqual(
      expect.arrayContaining(['login.failed', 'login', 'api_token.create', 'api_token.revoke', 'logout']),
    );
    expect(log.find((e) => e.action === 'login.failed' && e.entityId === 'unknown_account')).toBeDefined();
    const raw = JSON.stringify(await t.dataSource.query('SELECT * FROM audit_log'));
    expect(raw).not.toMatch(/mora\.example|wrong one|127\.0\.0\.1/);
  });
});

describe('API tokens', () => {
  let t: TestApp;
  let session: string;
  beforeEach(async () => {
    t = await createTestApp();
    await t.services.auth.createUser({ email: 'integrator@example.org', password: PASSWORD, role: 'admin' });
    session = (await t.services.auth.login('integrator@example.org', PASSWORD, '127.0.0.1')).token;
  });
  afterEach(() => t.close());

  it('are made from a login, never from another API token', async () => {
    const made = await t.http(session).post('/api/v1/auth/tokens').send({ name: 'Första' }).expect(201);
    expect(made.body.expiresAt).toBe('2027-02-22T09:00:00.000Z'); // 90 days unless told
    const refused = await t.http(made.body.token).post('/api/v1/auth/tokens').send({ name: 'Andra' }).expect(403);
    expect(refused.body.error.code).toBe('forbidden');
  });

  it('are shown once, listed without the secret, and refused once revoked', async () => {
    const made = await t
      .http(session)
      .post('/api/v1/auth/tokens')
      .send({ name: 'Rapportexport', expiresInDays: 30 })
      .expect(201);
    expect(made.body.token).toMatch(/^bry_a_/);
    expect(made.body.expiresAt).toBe('2026-12-24T09:00:00.000Z');
    const token: string = made.body.token;
    await request(t.app).get('/api/v1/venues').set('Authorization', `Bearer ${token}`).expect(200);

    const list = await t.http(session).get('/api/v1/auth/tokens').expect(200);
    const listed = list.body.items.find((i: { id: string }) => i.id === made.body.id);
    expect(listed).toMatchObject({ name: 'Rapportexport', revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(token);

    await t.http(session).delete(`/api/v1/auth/tokens/${made.body.id}`).expect(200);
    const refused = await request(t.app).get('/api/v1/venues').set('Authorization', `Bearer ${token}`).expect(401);
    expect(refused.body.error.code).toBe('invalid_token');
  });

  it('expire', async () => {
    const made = await t.http(session).post('/api/v1/auth/tokens').send({ name: 'Kort', expiresInDays: 1 }).expect(201);
    t.clock.advance(86_400_000);
    await request(t.app).get('/api/v1/venues').set('Authorization', `Bearer ${made.body.token}`).expect(401);
  });
});

describe('The first admin', () => {
  it('is made from the configuration only when there is no user at all', async () => {
    const t = await createTestApp();
    try {
      // createTestApp already made an admin: the configured one is not added.
      expect(await t.services.auth.ensureFirstAdmin('boss@example.org', 'a long enough password')).toBe(false);
      await t.dataSource.getRepository(AuthToken).deleteAll();
      await t.dataSource.getRepository(User).deleteAll();
      expect(await t.services.auth.ensureFirstAdmin('boss@example.org', 'a long enough password')).toBe(true);
      const login = await request(t.app)
        .post('/api/v1/auth/login')
        .send({ email: 'boss@example.org', password: 'a long enough password' })
        .expect(200);
      expect(login.body.user.role).toBe('admin');
    } finally {
      await t.close();
    }
  });
});

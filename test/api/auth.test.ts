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

  it('stops guessing: five failures lock the account for fifteen minutes, even for the right password', async () => {
    for (let i = 0; i < 5; i++)
      await anon()
        .post('/api/v1/auth/login')
        .send({ email: 'karin@mora.example', password: `guess ${i}` })
        .expect(401);
    const locked = await anon()
      .post('/api/v1/auth/login')
      .send({ email: 'karin@mora.example', password: PASSWORD })
      .expect(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(Number(locked.headers['retry-after'])).toBe(900);
    t.clock.advance(15 * 60_000);
    await anon().post('/api/v1/auth/login').send({ email: 'karin@mora.example', password: PASSWORD }).expect(200);
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

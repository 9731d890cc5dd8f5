import request from 'supertest';
import { IsNull } from 'typeorm';
import { AuthToken, LoginDevice, PasswordLink, User } from '../../src/db/entities';
import { loadConfig } from '../../src/config';
import { createTestApp, PASSWORD, type TestApp } from '../support/app';
import { startSmtp } from '../support/smtp';

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

/** The one-time link in a delivered mail (invitation or reset), as the person would click it. */
const linkIn = (text: string) => {
  const url = /http:\/\/127\.0\.0\.1:3000\/losenord#(\S+)/.exec(text)?.[1];
  if (!url) throw new Error(`no password link in: ${text}`);
  return decodeURIComponent(url);
};

describe('Accounts: invitations, resets and password changes', () => {
  let t: TestApp;
  let smtp: Smtp;
  let municipalityId: string;
  beforeEach(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2026-11-24T09:00:00Z', { smtpUrl: smtp.url });
    municipalityId = (
      await t.services.organisations.create('municipality', { name: 'Mora kommun', contactEmail: null })
    ).id;
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });
  const anon = () => request(t.app);
  /** Delivers the outbox and answers the mails that reached this address, newest last. */
  const mailTo = async (address: string) => {
    await t.services.outbox.deliverDue();
    return smtp.received.filter((m) => m.to && JSON.stringify(m.to).includes(address));
  };
  const invite = (email = 'lena@mora.example') =>
    t.http().post('/api/v1/users/invitations').send({ email, role: 'coordinator', organisationId: municipalityId });

  it('invites by e-mail: the account waits without a password, the mail (Swedish first) links to a page to choose one, and then the person is logged in', async () => {
    const invited = await invite('Lena@Mora.example').expect(201);
    expect(invited.body).toMatchObject({ email: 'lena@mora.example', role: 'coordinator', status: 'invited' });
    const stored = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'lena@mora.example' });
    expect(stored.passwordHash).toBe('');

    // Nobody can log in to an invited account, not even with an empty password.
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: 'x' }).expect(401);

    const [mail] = await mailTo('lena@mora.example');
    expect(mail.subject).toContain('Välkommen till Bryggan');
    const text = mail.text!;
    expect(text.indexOf('Du har fått ett konto i Bryggan som samordnare i Mora kommun')).toBeLessThan(
      text.indexOf('In English'),
    );
    expect(text).toContain('Länken fungerar en gång, till fredag 27 november 10:00');
    const token = linkIn(text);

    const info = await anon().get(`/api/v1/auth/password-links/${token}`).expect(200);
    expect(info.body).toEqual({ purpose: 'invite', email: 'lena@mora.example', expiresAt: '2026-11-27T09:00:00.000Z' });

    const set = await anon().post(`/api/v1/auth/password-links/${token}`).send({ password: PASSWORD }).expect(200);
    expect(set.body.user).toMatchObject({ email: 'lena@mora.example', status: 'active' });
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${set.body.token}`).expect(200);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }).expect(200);
  });

  it('refuses a used invitation link, and an expired one after 72 hours, with a code the page can name', async () => {
    await invite().expect(201);
    const token = linkIn((await mailTo('lena@mora.example'))[0].text!);
    t.clock.advance(72 * 3600_000);
    const expired = await anon().get(`/api/v1/auth/password-links/${token}`).expect(401);
    expect(expired.body.error.code).toBe('link_expired');
    await anon().post(`/api/v1/auth/password-links/${token}`).send({ password: PASSWORD }).expect(401);
    expect((await t.dataSource.getRepository(User).findOneByOrFail({ email: 'lena@mora.example' })).passwordHash).toBe(
      '',
    );

    // A new invitation works; the old link stays refused, and the new one works once.
    const again = await t.http().get('/api/v1/users').expect(200);
    const lena = again.body.items.find((u: { email: string }) => u.email === 'lena@mora.example');
    await t.http().post(`/api/v1/users/${lena.id}/invitation`).expect(200);
    const fresh = linkIn((await mailTo('lena@mora.example'))[1].text!);
    expect(fresh).not.toBe(token);
    await anon().post(`/api/v1/auth/password-links/${fresh}`).send({ password: PASSWORD }).expect(200);
    const reused = await anon().post(`/api/v1/auth/password-links/${fresh}`).send({ password: PASSWORD }).expect(401);
    expect(reused.body.error.code).toBe('link_used');
    const unknown = await anon()
      .get(`/api/v1/auth/password-links/bry_p_${'A'.repeat(43)}`)
      .expect(401);
    expect(unknown.body.error.code).toBe('invalid_link');

    // Once a password is chosen there is nothing to resend.
    const resend = await t.http().post(`/api/v1/users/${lena.id}/invitation`).expect(409);
    expect(resend.body.error.code).toBe('not_invited');
  });

  it('resending an invitation makes the earlier link stop working', async () => {
    const lena = (await invite().expect(201)).body;
    const first = linkIn((await mailTo('lena@mora.example'))[0].text!);
    await t.http().post(`/api/v1/users/${lena.id}/invitation`).expect(200);
    const refused = await anon().get(`/api/v1/auth/password-links/${first}`).expect(401);
    expect(refused.body.error.code).toBe('link_used');
  });

  it.each([
    ['11 characters', 'elva tecken', 400, 'validation_failed', 'body.password'],
    ['one character again and again', 'aaaaaaaaaaaaaaaa', 422, 'weak_password', 'body.password'],
    ['a common password with digits', 'password1234', 422, 'weak_password', 'body.password'],
    ['a keyboard row', 'qwertyuiop12', 422, 'weak_password', 'body.password'],
    ["the e-mail's own words", 'lena.mora.lena', 422, 'weak_password', 'body.password'],
    ["the e-mail's own words and a year", 'lenamora2026', 422, 'weak_password', 'body.password'],
  ])('refuses a weak password (%s) and keeps the link usable', async (_what, password, status, code, field) => {
    await invite().expect(201);
    const token = linkIn((await mailTo('lena@mora.example'))[0].text!);
    const res = await anon().post(`/api/v1/auth/password-links/${token}`).send({ password }).expect(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.details[0].field).toBe(field);
    await anon().post(`/api/v1/auth/password-links/${token}`).send({ password: PASSWORD }).expect(200);
  });

  it('a reset link logs in at once even while wrong passwords make the account wait, and forgets the browsers of the old password', async () => {
    await invite().expect(201);
    const [invitation] = await mailTo('lena@mora.example');
    const first = await anon()
      .post(`/api/v1/auth/password-links/${linkIn(invitation.text!)}`)
      .send({ password: PASSWORD })
      .expect(200);
    const cookie = ([] as string[])
      .concat(first.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('bryggan_device='));
    expect(cookie).toBeDefined();
    const guess = () => anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: 'fel fel fel' });
    for (let i = 0; i < 5; i++) await guess().expect(401);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }).expect(429);

    await anon().post('/api/v1/auth/password-reset').send({ email: 'lena@mora.example' }).expect(202);
    const mails = await mailTo('lena@mora.example');
    const next = 'ett helt nytt lösenord';
    const reset = await anon()
      .post(`/api/v1/auth/password-links/${linkIn(mails.at(-1)!.text!)}`)
      .send({ password: next })
      .expect(200);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${reset.body.token}`).expect(200);
    // The account's count started again: the new password works from a new browser too.
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: next }).expect(200);
    // The browser of the invitation is no longer known: only the reset's browser is.
    const lena = await t.dataSource.getRepository(User).findOneByOrFail({ email: 'lena@mora.example' });
    expect(await t.dataSource.getRepository(LoginDevice).countBy({ userId: lena.id })).toBe(2);
  });

  it('answers a reset request the same for an unknown address, sends a one-hour link to a known one, and the new password ends the old logins', async () => {
    await t.http().post('/api/v1/users').send({
      email: 'lena@mora.example',
      password: PASSWORD,
      role: 'coordinator',
      organisationId: municipalityId,
    });
    const before = await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD });

    const unknown = await anon().post('/api/v1/auth/password-reset').send({ email: 'nobody@mora.example' }).expect(202);
    const known = await anon().post('/api/v1/auth/password-reset').send({ email: 'LENA@mora.example' }).expect(202);
    expect(known.body).toEqual(unknown.body);
    expect(await mailTo('nobody@mora.example')).toHaveLength(0);
    const [mail] = await mailTo('lena@mora.example');
    expect(mail.subject).toContain('Nytt lösenord till Bryggan');
    expect(mail.text).toContain('Bad du inte om det? Då kan du strunta i mejlet.');
    const token = linkIn(mail.text!);
    expect((await anon().get(`/api/v1/auth/password-links/${token}`).expect(200)).body.purpose).toBe('reset');

    const next = 'ett nytt och långt lösenord';
    await anon().post(`/api/v1/auth/password-links/${token}`).send({ password: next }).expect(200);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${before.body.token}`).expect(401);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }).expect(401);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: next }).expect(200);

    // An hour later a reset link no longer works.
    await anon().post('/api/v1/auth/password-reset').send({ email: 'lena@mora.example' }).expect(202);
    const late = linkIn((await mailTo('lena@mora.example'))[1].text!);
    t.clock.advance(60 * 60_000);
    expect((await anon().get(`/api/v1/auth/password-links/${late}`).expect(401)).body.error.code).toBe('link_expired');
  });

  it('limits reset requests per account, for a known and an unknown address alike (429 with Retry-After)', async () => {
    for (const email of ['lena@mora.example', 'nobody@mora.example']) {
      for (let i = 0; i < 3; i++) await anon().post('/api/v1/auth/password-reset').send({ email }).expect(202);
      const limited = await anon().post('/api/v1/auth/password-reset').send({ email }).expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    t.clock.advance(60 * 60_000);
    await anon().post('/api/v1/auth/password-reset').send({ email: 'lena@mora.example' }).expect(202);
  });

  it('changes one’s own password with the current one: other logins end, this one stays', async () => {
    await t.http().post('/api/v1/users').send({
      email: 'lena@mora.example',
      password: PASSWORD,
      role: 'coordinator',
      organisationId: municipalityId,
    });
    const login = () => anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD });
    const here = (await login()).body.token as string;
    const there = (await login()).body.token as string;
    const as = (token: string) => anon().post('/api/v1/auth/password').set('Authorization', `Bearer ${token}`);

    const wrong = await as(here).send({ currentPassword: 'inte det här', newPassword: 'ett nytt och långt lösenord' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', details: [{ field: 'body.currentPassword' }] });
    const weak = await as(here).send({ currentPassword: PASSWORD, newPassword: 'password1234' }).expect(422);
    expect(weak.body.error.details[0]).toEqual({ field: 'body.newPassword', issue: 'common' });

    await as(here).send({ currentPassword: PASSWORD, newPassword: 'ett nytt och långt lösenord' }).expect(200);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${here}`).expect(200);
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${there}`).expect(401);
  });

  it('counts wrong current passwords: after five, a sixth try waits (429), even with the right one', async () => {
    await t.http().post('/api/v1/users').send({
      email: 'lena@mora.example',
      password: PASSWORD,
      role: 'coordinator',
      organisationId: municipalityId,
    });
    const token = (await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }))
      .body.token as string;
    const change = (currentPassword: string) =>
      anon()
        .post('/api/v1/auth/password')
        .set('Authorization', `Bearer ${token}`)
        .send({ currentPassword, newPassword: 'ett nytt och långt lösenord' });
    for (let i = 0; i < 5; i++) await change(`gissning ${i}`).expect(422);
    const limited = await change(PASSWORD).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000);
    await change(PASSWORD).expect(200);
  });

  it('refuses a weak ADMIN_PASSWORD at start, naming the key', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'admin@mora.example', ADMIN_PASSWORD: 'password1234' })).toThrow(
      /ADMIN_PASSWORD: too easy to guess/,
    );
  });

  it('changes a role and scope, deactivates (logins and tokens end at once) and reactivates', async () => {
    const association = await t.services.organisations.create('association', { name: 'Enter', contactEmail: null });
    const user = (
      await t
        .http()
        .post('/api/v1/users')
        .send({ email: 'lena@mora.example', password: PASSWORD, role: 'coordinator', organisationId: municipalityId })
    ).body;
    const token = (await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }))
      .body.token as string;

    const moved = await t
      .http()
      .patch(`/api/v1/users/${user.id}`)
      .send({ role: 'association_staff', organisationId: association.id })
      .expect(200);
    expect(moved.body).toMatchObject({ role: 'association_staff', organisationId: association.id });
    const me = await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ role: 'association_staff', associationIds: [association.id] });
    // A role without its kind of organisation is refused, and changes nothing.
    const wrongKind = await t.http().patch(`/api/v1/users/${user.id}`).send({ role: 'viewer' }).expect(422);
    expect(wrongKind.body.error).toMatchObject({
      code: 'unknown_reference',
      details: [{ field: 'body.organisationId' }],
    });

    const off = await t.http().post(`/api/v1/users/${user.id}/deactivate`).expect(200);
    expect(off.body.status).toBe('deactivated');
    await anon().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
    expect(await t.dataSource.getRepository(AuthToken).countBy({ userId: user.id, revokedAt: IsNull() })).toBe(0);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }).expect(401);
    // A deactivated account gets no reset mail either.
    await anon().post('/api/v1/auth/password-reset').send({ email: 'lena@mora.example' }).expect(202);
    expect(await mailTo('lena@mora.example')).toHaveLength(0);

    await t.http().post(`/api/v1/users/${user.id}/reactivate`).expect(200);
    await anon().post('/api/v1/auth/login').send({ email: 'lena@mora.example', password: PASSWORD }).expect(200);
  });

  it('keeps the installation an admin: nobody deactivates themselves or the last admin', async () => {
    const me = await t.http().get('/api/v1/auth/me').expect(200);
    const self = await t.http().post(`/api/v1/users/${me.body.id}/deactivate`).expect(422);
    expect(self.body.error.code).toBe('own_account');
    const demote = await t
      .http()
      .patch(`/api/v1/users/${me.body.id}`)
      .send({ role: 'coordinator', organisationId: municipalityId })
      .expect(422);
    expect(demote.body.error.code).toBe('own_account');
    expect((await t.http().get('/api/v1/auth/me').expect(200)).body.role).toBe('admin');
  });

  it('stores invitation links only as hashes', async () => {
    await invite().expect(201);
    const token = linkIn((await mailTo('lena@mora.example'))[0].text!);
    const rows = await t.dataSource.getRepository(PasswordLink).find();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from '../support/app';
import { accessibilityViolations, launch, newPage, pageErrors, PHONE, serve, step } from '../support/browser';

jest.setTimeout(120_000);

const ADMIN = { email: 'it-admin@mora.example', password: 'ett eget långt lösenord' };
const KARIN = { email: 'karin@mora.example', password: 'kaffe bullar och bankid' };

/**
 * Someone guesses at a coordinator's password from another computer. On her own phone, where she
 * has logged in before, Karin logs in at once; on a new computer the login page tells how long to
 * wait; the admin sees it on the users page and unlocks her. At 360 px, with the keyboard.
 */
describe('Wrong passwords in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    await t.services.auth.createUser({ ...ADMIN, role: 'admin' });
    const mora = await t.services.organisations.create('municipality', { name: 'Mora kommun', contactEmail: null });
    await t.services.auth.createUser({ ...KARIN, role: 'coordinator', organisationId: mora.id });
    server = await serve(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** Fills the login form and sends it with Enter, as a person with a keyboard does; waits for the answer. */
  const typeLogin = async (page: Page, email: string, password: string) => {
    await page.getByLabel('E-post').fill(email);
    await page.getByLabel('Lösenord').fill(password);
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
      page.getByLabel('Lösenord').press('Enter'),
    ]);
  };
  const loggedIn = (page: Page) => page.getByRole('button', { name: 'Logga ut' }).waitFor();
  const logOut = async (page: Page) => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in i Bryggan' }).waitFor();
  };

  it('holds back a new computer with a wait it names, lets her own phone in, and the admin unlocks her', async () => {
    const { page: phone } = await newPage(browser, t, PHONE);
    await step(phone, 'logins-own-phone-first', async () => {
      await phone.goto(`${server.url}/logga-in`);
      await typeLogin(phone, KARIN.email, KARIN.password);
      await loggedIn(phone);
      await logOut(phone);
    });

    const { page: other } = await newPage(browser, t, PHONE);
    await step(other, 'logins-guesses', async () => {
      await other.goto(`${server.url}/logga-in`);
      for (let i = 0; i < 5; i++) {
        await typeLogin(other, KARIN.email, `gissning nummer ${i}`);
        await other.getByRole('alert').filter({ hasText: 'Fel e-post eller lösenord.' }).waitFor();
      }
      await typeLogin(other, KARIN.email, KARIN.password);
      await other
        .getByRole('alert')
        .filter({ hasText: 'Vänta 30 sekunder och försök igen. Administratören kan låsa upp kontot.' })
        .waitFor();
      expect(await accessibilityViolations(other)).toEqual([]);
    });

    await step(phone, 'logins-own-phone-still-in', async () => {
      await typeLogin(phone, KARIN.email, KARIN.password);
      await loggedIn(phone);
    });

    const { page: admin } = await newPage(browser, t, PHONE);
    await step(admin, 'logins-admin-unlocks', async () => {
      await admin.goto(`${server.url}/logga-in`);
      await typeLogin(admin, ADMIN.email, ADMIN.password);
      await loggedIn(admin);
      await admin.goto(`${server.url}/anvandare`);
      const card = admin.locator('li.card').filter({ hasText: KARIN.email });
      await card.getByText('Många fel lösenord: nästa inloggning får vänta till 10:00.').waitFor();
      await card.getByRole('button', { name: `Lås upp: ${KARIN.email}` }).focus();
      await admin.keyboard.press('Enter');
      await admin.getByText(`${KARIN.email} kan logga in nu.`).waitFor();
      await card.getByText('Många fel lösenord').waitFor({ state: 'detached' });
      expect(await accessibilityViolations(admin)).toEqual([]);
    });

    await step(other, 'logins-after-unlock', async () => {
      await typeLogin(other, KARIN.email, KARIN.password);
      await loggedIn(other);
    });
    for (const page of [phone, other, admin]) expect(pageErrors(page)).toEqual([]);
  });
});

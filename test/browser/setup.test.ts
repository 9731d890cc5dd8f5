import type { Browser, Page } from 'playwright-core';
import { Session } from '../../src/db/entities';
import { createTestApp, type TestApp } from '../support/app';
import {
  accessibilityViolations,
  launch,
  newPage,
  pageErrors,
  PHONE,
  screenshotForDocs,
  serve,
  step,
  until,
} from '../support/browser';
import { startSmtp } from '../support/smtp';

jest.setTimeout(120_000);

const ADMIN = { email: 'it-admin@mora.example', password: 'ett eget långt lösenord' };
const LENA = { email: 'lena@mora.example', password: 'kaffe bullar och bankid' };

/**
 * From an empty installation to a municipality's calendar in the browser alone: the first admin
 * sets up the municipality, the association, their contract and invites a coordinator; the
 * coordinator, from the mail, chooses a password and sets up venues, cafés and a closure, then
 * moves and cancels cafés on the week page. No API call but what the pages make.
 */
describe('Self-service in Chromium, from an empty installation', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2026-11-24T09:00:00Z', { smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' });
    // The first admin, as ADMIN_EMAIL and ADMIN_PASSWORD make it on a fresh start.
    await t.services.auth.createUser({ ...ADMIN, role: 'admin' });
    server = await serve(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    await smtp?.close();
  });

  /** The link in the newest mail to an address, on the address the test serves at. */
  const linkInMail = async (to: string) => {
    await t.services.outbox.deliverDue();
    const mails = smtp.received.filter((m) => JSON.stringify(m.to).includes(to));
    const url = /(https?:\/\/\S+\/losenord#\S+)/.exec(mails.at(-1)?.text ?? '')?.[1];
    if (!url) throw new Error(`no password link in a mail to ${to}`);
    const { pathname, hash } = new URL(url);
    return { mail: mails.at(-1)!, url: `${server.url}${pathname}${hash}` };
  };
  const expectAccessible = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);
  const field = (page: Page, label: string | RegExp) => page.getByLabel(label, { exact: typeof label === 'string' });

  it('the admin completes Kom igång and invites a coordinator; she sets up venues, cafés and a closure, moves and cancels cafés', async () => {
    const { page: admin } = await newPage(browser, t);
    await step(admin, 'admin-login', async () => {
      await admin.goto(`${server.url}/`);
      await admin.getByLabel('E-post').fill(ADMIN.email);
      await admin.getByLabel('Lösenord').fill(ADMIN.password);
      await admin.getByRole('button', { name: 'Logga in' }).click();
      // An empty system opens on the setup, never on "no access".
      await admin.getByRole('heading', { level: 1, name: 'Kom igång' }).waitFor();
      expect(admin.url()).toBe(`${server.url}/kom-igang`);
      expect(await admin.getByText('behörighet').count()).toBe(0);
      await expectAccessible(admin);
    });
    await screenshotForDocs(admin, 'setup-start');

    await step(admin, 'setup-municipality', async () => {
      await admin.getByRole('heading', { name: 'Steg 1 av 4: Kommunen' }).waitFor();
      // Saving with no name is refused next to the field, and the field gets the focus.
      await admin.getByRole('button', { name: 'Spara och gå vidare' }).click();
      await admin.getByText('Fyll i det här fältet.').waitFor();
      await admin.waitForFunction("document.activeElement?.id === 'org-municipality-name'");
      await field(admin, 'Kommunens namn').fill('Mora kommun');
      await field(admin, /E-post för rapporter/).fill('it-cafe@mora.example');
      expect(await field(admin, 'Tidszon').inputValue()).toBe('Europe/Stockholm');
      await admin.getByRole('button', { name: 'Spara och gå vidare' }).click();
    });
    await step(admin, 'setup-association', async () => {
      await admin.getByRole('heading', { name: 'Steg 2 av 4: Föreningen' }).waitFor();
      await field(admin, 'Föreningens namn').fill('Enter Sweden');
      await admin.getByRole('button', { name: 'Spara och gå vidare' }).click();
    });
    await step(admin, 'setup-contract', async () => {
      await admin.getByRole('heading', { name: 'Steg 3 av 4: Avtalet' }).waitFor();
      await field(admin, 'Avtalet gäller från').fill('2026-08-01');
      await field(admin, 'Avtalet gäller till').fill('2026-07-31');
      await admin.getByRole('button', { name: 'Spara och gå vidare' }).click();
      // An end before the start: said in Swedish next to the field, and nothing typed is lost.
      await admin.getByText('Slutdatumet måste vara efter startdatumet.').waitFor();
      expect(await field(admin, 'Avtalet gäller från').inputValue()).toBe('2026-08-01');
      await field(admin, 'Avtalet gäller till').fill('2028-06-30');
      await field(admin, /Timpris/).fill('187,50');
      await admin.getByRole('button', { name: 'Spara och gå vidare' }).click();
    });
    await step(admin, 'setup-invite', async () => {
      await admin.getByRole('heading', { name: 'Steg 4 av 4: Bjud in' }).waitFor();
      const form = admin.getByRole('form', { name: 'Bjud in en person' }).first();
      await form.getByLabel('E-post').fill(LENA.email);
      await form.getByRole('button', { name: 'Bjud in' }).click();
      await admin.getByText(`Inbjudan skickad till ${LENA.email}.`).waitFor();
      await expectAccessible(admin);
      await admin.getByRole('button', { name: 'Klar' }).click();
      await admin.getByText('Allt är klart.').waitFor();
    });
    const contract = (await t.http().get('/api/v1/contracts').expect(200)).body.items[0];
    expect(contract).toMatchObject({ startsOn: '2026-08-01', endsOn: '2028-06-30', hourlyRate: 187.5 });

    // Lena opens the invitation on her phone.
    const invitation = await linkInMail(LENA.email);
    expect(invitation.mail.subject).toContain('Välkommen till Bryggan');
    expect(invitation.mail.text).toContain('samordnare i Mora kommun');
    const { page } = await newPage(browser, t, PHONE);
    await step(page, 'invitation', async () => {
      await page.goto(invitation.url);
      await page.getByRole('heading', { name: 'Välj ditt lösenord' }).waitFor();
      await page.getByText(`Kontot: ${LENA.email}`).waitFor();
      await expectAccessible(page);
      await page.getByLabel('Nytt lösenord').fill('password1234');
      await page.getByRole('button', { name: 'Spara lösenordet' }).click();
      await page.getByText('Lösenordet är för lätt att gissa.').first().waitFor();
      await page.getByLabel('Nytt lösenord').fill(LENA.password);
      await page.getByRole('button', { name: 'Spara lösenordet' }).click();
      // Logged in at once; her empty municipality says what to make first.
      await page.getByText('Det finns inga lokaler än.').waitFor();
    });

    await step(page, 'venues', async () => {
      await page.getByRole('link', { name: 'Lokaler' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Lokaler' }).waitFor();
      for (const [name, address, seats] of [
        ['Mora bibliotek', 'Köpmannagatan 2', '12'],
        ['Träffpunkt Noret', 'Noretsgatan 5', '8'],
      ]) {
        await page.getByRole('button', { name: 'Ny lokal' }).click();
        await field(page, 'Namn').fill(name);
        await field(page, 'Adress').fill(address);
        await field(page, 'Platser för seniorer').fill(seats);
        await page.getByRole('button', { name: 'Spara' }).click();
        await page.getByText(`${name} är sparad.`).waitFor();
      }
      await page.getByLabel('Mora bibliotek ↔ Träffpunkt Noret').fill('10');
      await page.getByRole('button', { name: 'Spara restiderna' }).click();
      await page.getByText('Restiderna är sparade.').waitFor();
      await expectAccessible(page);
    });
    await screenshotForDocs(page, 'venues');

    await step(page, 'version-conflict', async () => {
      // Lena starts a change; the admin changes the same venue first; her save is refused, nothing typed lost.
      await page.getByRole('button', { name: 'Ändra Mora bibliotek' }).click();
      await field(page, 'Platser för seniorer').fill('14');
      await admin.goto(`${server.url}/lokaler`);
      await admin.getByRole('button', { name: 'Ändra Mora bibliotek' }).click();
      await field(admin, 'Adress').fill('Köpmannagatan 4');
      await admin.getByRole('button', { name: 'Spara', exact: true }).click();
      await admin.getByText('Mora bibliotek är sparad.').waitFor();
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Någon annan ändrade det här medan du skrev. Det du skrev finns kvar.').waitFor();
      expect(await field(page, 'Platser för seniorer').inputValue()).toBe('14');
      await page.getByRole('button', { name: 'Hämta det senaste' }).click();
      await until(async () => (await field(page, 'Adress').inputValue()) === 'Köpmannagatan 4');
      await field(page, 'Platser för seniorer').fill('14');
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Mora bibliotek är sparad.').waitFor();
    });
    const venues = (await t.http().get('/api/v1/venues').expect(200)).body.items as {
      name: string;
      travel: unknown[];
    }[];
    expect(venues.find((v) => v.name === 'Mora bibliotek')!.travel).toEqual([
      { toVenueId: expect.any(String), minutes: 10 },
    ]);

    await step(page, 'weekly-cafe', async () => {
      await page.getByRole('link', { name: 'Caféer' }).first().click();
      await page.getByRole('button', { name: 'Nytt café' }).click();
      await field(page, 'Lokal').selectOption({ label: 'Mora bibliotek' });
      await field(page, 'Veckodag').selectOption('tue');
      await field(page, 'Starttid').fill('14:00');
      await field(page, 'Första datum').fill('2027-01-12');
      await field(page, 'Sista datum').fill('2027-03-30');
      await field(page, 'Platser för seniorer').fill('10');
      await page.getByRole('button', { name: 'Visa vad som händer' }).click();
      await page.getByRole('heading', { name: 'Det här händer när du sparar' }).waitFor();
      await page.getByRole('heading', { name: 'Nya caféer (12)' }).waitFor();
      await screenshotForDocs(page, 'cafe-preview');
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sparat. 12 nya caféer.').waitFor();
    });
    await step(page, 'every-other-week-cafe', async () => {
      await page.getByRole('button', { name: 'Nytt café' }).click();
      await field(page, 'Lokal').selectOption({ label: 'Träffpunkt Noret' });
      await field(page, 'Veckodag').selectOption('thu');
      await field(page, 'Hur ofta').selectOption('2');
      await field(page, 'Starttid').fill('13:30');
      await field(page, 'Längd i minuter').fill('90');
      await field(page, 'Första datum').fill('2027-04-22');
      await field(page, 'Sista datum').fill('2027-06-03');
      await page.getByRole('button', { name: 'Visa vad som händer' }).click();
      // Ascension Day is skipped, with its name.
      await page.getByRole('heading', { name: 'Datum utan café (1)' }).waitFor();
      await page.getByText('Torsdag 6 maj: Kristi himmelsfärdsdag (helgdag)').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sparat. 3 nya caféer.').waitFor();
    });
    await step(page, 'closure', async () => {
      await page.getByRole('button', { name: 'Ny stängning' }).click();
      await field(page, 'Namn').fill('Sportlov');
      await field(page, 'Från och med').fill('2027-03-01');
      await field(page, 'Till och med').fill('2027-03-07');
      await page.getByRole('button', { name: 'Visa vad som händer' }).click();
      await page.getByRole('heading', { name: 'Caféer som tas bort (1)' }).waitFor();
      await page.getByText('Tisdag 2 mars 14:00').waitFor();
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sportlov är sparad. 1 borttagna.').waitFor();
    });
    await screenshotForDocs(page, 'cafes');

    await step(page, 'move-and-cancel', async () => {
      await page.goto(`${server.url}/vecka/2027-W03`);
      await page.getByRole('heading', { level: 1, name: /Vecka 3/ }).waitFor();
      const card = page.locator('article.session').first();
      await card.getByRole('button', { name: 'Flytta eller ändra' }).click();
      await card.getByLabel('Starttid').fill('15:00');
      await card.getByRole('button', { name: 'Spara' }).click();
      await card.getByText('Caféet är ändrat.').waitFor();
      await card.getByRole('heading', { name: /15:00–17:00/ }).waitFor();

      await page.goto(`${server.url}/vecka/2027-W04`);
      const next = page.locator('article.session').first();
      await next.getByRole('button', { name: 'Ställ in' }).click();
      await next.getByRole('button', { name: 'Ställ in caféet' }).click();
      await next.getByText('Fyll i det här fältet.').waitFor();
      await next.getByLabel('Varför ställs caféet in?').fill('Biblioteket har inventering');
      await next.getByRole('button', { name: 'Ställ in caféet' }).click();
      await next.getByText('Inställt: Biblioteket har inventering').waitFor();
      await expectAccessible(page);
    });
    await screenshotForDocs(page, 'week-changed');

    const sessions = await t.dataSource.getRepository(Session).find({ order: { startsAt: 'ASC' } });
    const byDate = (d: string) => sessions.find((s) => s.localDate === d)!;
    expect(byDate('2027-01-19').startsAt.toISOString()).toBe('2027-01-19T14:00:00.000Z');
    expect(byDate('2027-01-26')).toMatchObject({ status: 'cancelled', cancelReason: 'Biblioteket har inventering' });
    expect(sessions.some((s) => s.localDate === '2027-03-02')).toBe(false);
    expect(sessions.some((s) => s.localDate === '2027-05-06')).toBe(false);
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(admin)).toEqual([]);
  });
});

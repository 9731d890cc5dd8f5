import type { Browser, Page } from 'playwright-core';
import { Assignment, Guide, Senior, Session, SessionSeries } from '../../src/db/entities';
import { xlsxOf } from '../../src/reports/files';
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
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
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
      await admin.getByText('Slutdatumet kan inte vara före startdatumet.').waitFor();
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
      // The seats follow the venue chosen (Noret has 8); more than the venue has would be refused.
      await until(async () => (await field(page, 'Platser för seniorer').inputValue()) === '8');
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

  /** Fourteen guides as a coordinator's Excel list has them, with the weekly times they can work. */
  const GUIDES: [string, string, string, string][] = [
    ['Amina Ali', 'iPhone, Android', 'arabiska, engelska', 'tis 13-18'],
    ['Yonas Tesfay', 'Android', 'tigrinja', 'tis 13-18, tor 13-16'],
    ['Sara Ahmadi', 'Windows, Mac', 'dari', 'tis 13:30-17'],
    ['Omar Hassan', 'iPhone, iPad', 'somaliska', 'tis 13-17'],
    ['Hanna Bekele', 'Nokia', 'amhariska', 'tor 13-16'],
    ['Ali Rezaei', 'Android, Windows', 'persiska', 'tis 13-18'],
    ['Fatima Noor', 'iPhone', 'arabiska', 'tor 12-16'],
    ['Daniel Haile', 'iPad, Mac', 'tigrinja', 'tis 14-16'],
    ['Mariam Karimi', 'Android', 'dari', 'ons 13-16'],
    ['Ahmed Yusuf', 'iPhone, Windows', 'somaliska', 'tis 12-17'],
    ['Lina Haddad', 'iPhone, Android', 'arabiska', 'tor 13-17'],
    ['Samir Nazari', 'Windows', 'dari', 'tis 13-17'],
    ['Ruth Tekle', 'iPad', 'tigrinja', 'tor 13-16'],
    ['Bilal Osman', 'Android, iPhone', 'arabiska', 'tis 13-18'],
  ];
  const guideFile = (fix: boolean) =>
    xlsxOf({
      headers: ['Namn', 'E-post', 'Plattformar', 'Språk', 'Kan jobba', 'Timmar per vecka'],
      rows: GUIDES.map(([name, platforms, languages, times]) => [
        name,
        `${name.split(' ')[0].toLowerCase()}@guide.example`,
        fix ? platforms.replace('Nokia', 'Android') : platforms,
        languages,
        times,
        '6',
      ]),
    });
  /** Forty-eight seniors in a CSV from Excel: semicolons, phone numbers written every which way. */
  const seniorFile = () => {
    const names = ['Britt', 'Göran', 'Ingrid', 'Lars', 'Margareta', 'Sven', 'Kerstin', 'Bengt', 'Birgitta', 'Olle'];
    const devices = ['iPhone', 'Android', 'iPad', 'iPhone, iPad', 'Windows'];
    const rows = Array.from({ length: 48 }, (_, i) => {
      const d = `0701${String(i).padStart(2, '0')}${3000 + i}`;
      const phone = [
        d,
        `${d.slice(0, 3)}-${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`,
        `+46 ${d.slice(1, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`,
      ][i % 3];
      return [
        `${names[i % 10]} ${String.fromCharCode(65 + Math.floor(i / 2))}.`,
        phone,
        devices[i % 5],
        'BankID',
        '75+',
        '2026-11-20',
        'muntligt',
      ];
    });
    const head = 'Namn;Telefon;Enheter;Vill ha hjälp med;Ålder;Samtycke datum;Samtycke hur';
    return Buffer.from([head, ...rows.map((r) => r.join(';'))].join('\r\n'), 'utf8');
  };

  it('she imports 14 guides and 48 seniors from two files, enters a senior at the desk and makes her a regular, plans and publishes a week; a guide reports ill from the mail and substitutes are asked', async () => {
    const { page } = await newPage(browser, t);
    await step(page, 'login-lena', async () => {
      await page.goto(`${server.url}/personal/importera`);
      await page.getByLabel('E-post').fill(LENA.email);
      await page.getByLabel('Lösenord').fill(LENA.password);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('heading', { name: 'Importera från en fil' }).waitFor();
    });
    const file = page.getByLabel('Fil (CSV eller Excel, högst 5 MB)');

    await step(page, 'import-guides', async () => {
      // The first file has a platform no one knows: named by row and column, nothing stored.
      await file.setInputFiles({ name: 'guider.xlsx', mimeType: XLSX, buffer: await guideFile(false) });
      await page.getByText('Filen har 1 fel. Rätta det i filen och välj filen igen.').waitFor();
      const problem = page.getByRole('table', { name: 'Fel i filen' }).getByRole('row').nth(1);
      expect(await problem.innerText()).toMatch(/6\s+Plattformar\s+Okänt ord: ”Nokia”\./);
      await expectAccessible(page);
      await screenshotForDocs(page, 'import-problem');
      expect(await t.dataSource.getRepository(Guide).count()).toBe(0);
      // Fixed in Excel and chosen again.
      await file.setInputFiles({ name: 'guider.xlsx', mimeType: XLSX, buffer: await guideFile(true) });
      await page.getByText('14 rader: 14 nya, 0 ändras, 0 som redan finns.').waitFor();
      await page.getByRole('button', { name: 'Importera 14 rader' }).click();
      await page.getByText('Klart. 14 nya och 0 ändrade. 0 fanns redan.').waitFor();
      // The same file again would create no one twice.
      await file.setInputFiles({ name: 'guider.xlsx', mimeType: XLSX, buffer: await guideFile(true) });
      await page.getByText('Allt i filen finns redan. Inget att importera.').waitFor();
    });

    await step(page, 'import-seniors', async () => {
      await page.getByLabel('Seniorer', { exact: true }).check();
      await file.setInputFiles({ name: 'seniorer.csv', mimeType: 'text/csv', buffer: seniorFile() });
      await page.getByText('48 rader: 48 nya, 0 ändras, 0 som redan finns.').waitFor();
      await page.getByRole('button', { name: 'Importera 48 rader' }).click();
      await page.getByText('Klart. 48 nya och 0 ändrade. 0 fanns redan.').waitFor();
    });
    expect(await t.dataSource.getRepository(Guide).count()).toBe(14);
    expect(await t.dataSource.getRepository(Senior).count()).toBe(48);

    await step(page, 'guide-list', async () => {
      await page.getByRole('link', { name: 'Guider', exact: true }).click();
      await page.getByRole('table').getByRole('link', { name: 'Amina Ali' }).waitFor();
      // Filtered by platform: who can help with a Mac.
      await page.getByLabel('Plattformar').selectOption({ label: 'Mac' });
      await page.getByText('2 guider', { exact: false }).first().waitFor();
      expect(await page.getByRole('table').getByRole('link').allTextContents()).toEqual([
        'Daniel Haile',
        'Sara Ahmadi',
      ]);
      await page.getByLabel('Plattformar').selectOption({ label: 'Alla enheter' });
    });

    await step(page, 'guide-times', async () => {
      // Next term's school timetable: Tuesday 14–16 by keyboard, Wednesday 15–17 by a drag.
      await page.getByRole('table').getByRole('link', { name: 'Amina Ali' }).click();
      await page.getByRole('heading', { name: 'Amina Ali' }).waitFor();
      await page.getByRole('button', { name: 'Ändra tider' }).click();
      await page.getByLabel('Tider för').selectOption({ label: 'En ny period (till exempel en termin)' });
      await page.getByLabel('Från och med').fill('2027-01-11');
      await page.getByLabel('Till och med').fill('2027-06-11');
      const grid = page.getByRole('grid', { name: 'När kan Amina Ali jobba?' });
      await grid.getByRole('button', { name: 'måndag 08:00–08:30' }).focus();
      await page.keyboard.press('ArrowRight');
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 4; i++) {
        await page.keyboard.press('Space');
        await page.keyboard.press('ArrowDown');
      }
      await grid.getByRole('button', { name: 'onsdag 17:00–17:30' }).scrollIntoViewIfNeeded();
      const box = async (name: string) => (await grid.getByRole('button', { name }).boundingBox())!;
      const from = await box('onsdag 15:00–15:30');
      const to = await box('onsdag 16:30–17:00');
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
      await page.mouse.up();
      await until(async () => (await grid.getByRole('button', { pressed: true }).count()) === 8);
      await expectAccessible(page);
      await screenshotForDocs(page, 'guide-times');
      await page.getByRole('button', { name: 'Spara tiderna' }).click();
      await page.getByText('Tiderna är sparade.').waitFor();
    });
    const amina = (await t.http().get('/api/v1/guides?q=Amina').expect(200)).body.items.find(
      (g: { name: string }) => g.name === 'Amina Ali',
    );
    expect(amina.availability.filter((a: { validFrom: string | null }) => a.validFrom)).toEqual([
      { weekday: 'tue', start: '14:00', end: '16:00', validFrom: '2027-01-11', validTo: '2027-06-11' },
      { weekday: 'wed', start: '15:00', end: '17:00', validFrom: '2027-01-11', validTo: '2027-06-11' },
    ]);

    await step(page, 'senior-at-the-desk', async () => {
      await page.getByRole('link', { name: 'Seniorer', exact: true }).click();
      await page.getByRole('button', { name: 'Ny senior' }).click();
      await field(page, 'Namn (förnamn räcker)').fill('Karin');
      await field(page, 'Telefonnummer').fill('070 555 12 34');
      await page.getByLabel('iPhone', { exact: true }).check();
      await page.getByLabel('BankID', { exact: true }).check();
      // Consent comes first: without how she said yes, nothing is saved.
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Fråga seniorn först. Välj hur seniorn sa ja.').waitFor();
      await field(page, 'Hur sa seniorn ja?').selectOption({ label: 'Muntligt (i telefon eller på plats)' });
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Karin är sparad. Anmäl till ett café nedan.').waitFor();
      await expectAccessible(page);
    });
    const karin = await t.dataSource.getRepository(Senior).findOneByOrFail({ displayName: 'Karin' });
    expect(karin).toMatchObject({ consentMethod: 'oral', devices: [{ platform: 'ios', kind: 'phone' }] });

    await step(page, 'regular', async () => {
      await field(page, 'Café').last().selectOption({ label: 'Mora bibliotek, tisdag 14:00' });
      await page.getByLabel('Från och med').fill('2027-01-12');
      await page.getByRole('button', { name: 'Anmäl varje gång' }).click();
      await page.getByText('Klart. Seniorn är anmäld till 10 caféer.').waitFor();
      await page.getByText('Tisdag 12 januari 14:00–16:00, Mora bibliotek.').waitFor();
      await screenshotForDocs(page, 'senior');
    });

    await step(page, 'plan-and-publish', async () => {
      await page.goto(`${server.url}/vecka/2027-W02`);
      await page.getByRole('button', { name: 'Planera veckan' }).click();
      await page.locator('article.session ul.guides li').first().waitFor();
      await page.getByRole('button', { name: 'Publicera' }).click();
      await page.getByText(/^Publicerat: \d+ pass\. Guiderna får mejl\.$/).waitFor();
    });
    const tuesday = await t.dataSource.getRepository(Session).findOneByOrFail({ localDate: '2027-01-12' });
    const onDuty = await t.dataSource.getRepository(Assignment).find({ where: { sessionId: tuesday.id } });
    expect(onDuty.length).toBeGreaterThanOrEqual(2);
    const ill = await t.dataSource.getRepository(Guide).findOneByOrFail({ id: onDuty[0].guideId });

    // On the morning, the guide is ill: the link in the schedule mail, on her phone.
    await t.services.outbox.deliverDue();
    const schedule = smtp.received.filter((m) => JSON.stringify(m.to).includes(ill.email)).at(-1);
    const link = /(https?:\/\/\S+\/min-sida#\S+)/.exec(schedule?.text ?? '')?.[1];
    if (!link)
      throw new Error(`no link to the guide page in the schedule mail: ${schedule?.subject} ${schedule?.text}`);
    t.clock.set('2027-01-12T06:30:00Z');
    const { page: phone } = await newPage(browser, t, PHONE);
    await step(phone, 'guide-ill', async () => {
      await phone.goto(`${server.url}${new URL(link).pathname}${new URL(link).hash}`);
      await phone.getByRole('button', { name: 'Jag är sjuk eller kan inte jobba' }).click();
      await phone.getByLabel('Från och med').waitFor();
      expect(await phone.getByLabel('Från och med').inputValue()).toBe('2027-01-12');
      await phone.getByRole('button', { name: 'Visa vilka pass det gäller' }).click();
      await phone.getByText('Du har 1 pass då:').waitFor();
      await phone.getByText(/Tisdag 12 januari 14:00, Mora bibliotek\./).waitFor();
      await expectAccessible(phone);
      await screenshotForDocs(phone, 'guide-ill');
      await phone.getByRole('button', { name: 'Spara och fråga andra guider' }).click();
      await phone.getByText('Tack! Vi har sparat det. Vi frågar andra guider om dina pass.').waitFor();
    });
    expect(await t.dataSource.getRepository(Assignment).countBy({ sessionId: tuesday.id, guideId: ill.id })).toBe(0);

    await step(page, 'substitutes-asked', async () => {
      // Seven weeks on, her login has ended: she logs in again on the morning.
      await page.reload();
      await page.getByLabel('E-post').fill(LENA.email);
      await page.getByLabel('Lösenord').fill(LENA.password);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('heading', { level: 1, name: /Vecka 2/ }).waitFor();
      const card = page.locator('article.session').first();
      await card
        .getByText(new RegExp(`^${ill.name} kan inte\\. Vi har frågat .+\\. Den som svarar först får passet\\.$`))
        .waitFor();
      await screenshotForDocs(page, 'week-open-place');
    });
    await t.services.outbox.deliverDue();
    const requests = smtp.received.filter((m) =>
      /^Kan du ta tisdag 12\/1 14:00 på Mora bibliotek\?/.test(m.subject ?? ''),
    );
    expect(requests.length).toBeGreaterThan(0);
    const notice = smtp.received.filter((m) => JSON.stringify(m.to).includes(LENA.email)).at(-1);
    expect(notice?.text).toContain(ill.name);
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(phone)).toEqual([]);
  });

  it('with a second association under contract, a new café says which association runs it, on the phone with the keyboard', async () => {
    // The admin has made a contract with a second association (the organisations page has its own walk).
    const [first] = (await t.http().get('/api/v1/contracts').expect(200)).body.items as {
      municipalityId: string;
      associationId: string;
    }[];
    const redCross = await t.services.organisations.create('association', { name: 'Röda Korset Mora' });
    await t.services.organisations.createContract({
      municipalityId: first.municipalityId,
      associationId: redCross.id,
      startsOn: '2026-08-01',
      endsOn: '2028-06-30',
      reportingPeriod: 'month',
    });
    const { page } = await newPage(browser, t, PHONE);
    await step(page, 'cafe-of-an-association', async () => {
      await page.goto(`${server.url}/kafeer`);
      await page.getByLabel('E-post').fill(LENA.email);
      await page.getByLabel('Lösenord').fill(LENA.password);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await page.getByRole('button', { name: 'Nytt café' }).click();
      await field(page, 'Lokal').selectOption({ label: 'Mora bibliotek' });
      await field(page, 'Veckodag').selectOption('fri');
      await field(page, 'Första datum').fill('2027-05-07');
      await field(page, 'Sista datum').fill('2027-05-28');
      // Not chosen: said next to the field, which gets the focus.
      await page.getByRole('button', { name: 'Visa vad som händer' }).click();
      await page.getByText('Välj ett alternativ i listan.').waitFor();
      await page.waitForFunction("document.activeElement?.getAttribute('name') === 'associationId'");
      await expectAccessible(page);
      // With the keyboard: the list has the focus; the arrow keys choose.
      const choice = field(page, /^Förening/);
      while ((await choice.inputValue()) !== redCross.id) await page.keyboard.press('ArrowDown');
      await page.getByRole('button', { name: 'Visa vad som händer' }).click();
      await page.getByRole('heading', { name: 'Nya caféer (4)' }).waitFor();
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sparat. 4 nya caféer.').waitFor();
    });
    const series = await t.dataSource.getRepository(SessionSeries).findOneByOrFail({ weekday: 5 });
    expect(series.associationId).toBe(redCross.id);
    const sessions = await t.dataSource.getRepository(Session).findBy({ seriesId: series.id });
    expect(sessions.map((s) => s.associationId)).toEqual([redCross.id, redCross.id, redCross.id, redCross.id]);
    // The cafés made before the second contract stay the first association's.
    const older = await t.dataSource.getRepository(SessionSeries).findBy({ weekday: 2 });
    expect(older.map((s) => s.associationId)).toEqual([first.associationId]);
  });
});

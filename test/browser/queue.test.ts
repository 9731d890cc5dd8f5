import type { Browser, Page } from 'playwright-core';
import { Attendance, QueueEntry, ReportHelpCell } from '../../src/db/entities';
import { DEMO_PASSWORD } from '../../scripts/demo-data';
import { buildGuide, buildOneOff, buildSenior, createWorld } from '../factories';
import { createTestApp, type TestApp } from '../support/app';
import {
  accessibilityViolations,
  launch,
  loginAs,
  newPage,
  pageErrors,
  PHONE,
  serve,
  step,
  until,
} from '../support/browser';

jest.setTimeout(180_000);

/**
 * One café run from three phones in a real Chromium: two guides on duty (each by their own link)
 * and the association's staff (logged in). Seniors with a seat are checked in, two walk-ins come,
 * a guide follows the queue's suggestion, Klar is said with the topic; each phone sees the
 * others' changes within two seconds, a reload loses nothing, and the after-café form starts
 * filled in from the queue and is saved with who helped whom. The tests run in order.
 */
describe('The queue at the café in Chromium', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  let cafe: { id: string };
  let ids: { amina: string; bilal: string; astrid: string; bertil: string };
  let links: { amina: string; bilal: string };
  const staffEmail = 'kansli@forening.example';
  const phones = {} as { amina: Page; bilal: Page; staff: Page };
  /** A change made on one phone shows on another within two seconds (the page asks every 1,5 s). */
  const SOON = { timeout: 2_000 };

  beforeAll(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    const s = t.services;
    const { municipality, association, venue } = await createWorld(s);
    await s.organisations.createContract({
      municipalityId: municipality.id,
      associationId: association.id,
      reference: null,
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      reportingPeriod: 'quarter',
    });
    cafe = await s.sessions.createOneOff(buildOneOff(venue.id, '2026-12-01'));
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
    const astrid = await s.seniors.create(
      buildSenior(municipality.id, { displayName: 'Astrid', devices: [{ platform: 'ios', kind: 'phone' }] }),
    );
    const bertil = await s.seniors.create(
      buildSenior(municipality.id, { displayName: 'Bertil', devices: [{ platform: 'android', kind: 'tablet' }] }),
    );
    await s.registrations.register(cafe.id, { seniorId: astrid.id, topic: 'bankid' });
    await s.registrations.register(cafe.id, { seniorId: bertil.id, topic: 'email' });
    await s.planning.assign(cafe.id, amina.id);
    await s.planning.assign(cafe.id, bilal.id);
    await s.planning.publish(municipality.id, '2026-12-01', '2026-12-01');
    links = {
      amina: (await s.guideLinks.issue(amina.id, 'access')).token,
      bilal: (await s.guideLinks.issue(bilal.id, 'access')).token,
    };
    await s.auth.createUser({
      email: staffEmail,
      password: DEMO_PASSWORD,
      role: 'association_staff',
      organisationId: association.id,
    });
    ids = { amina: amina.id, bilal: bilal.id, astrid: astrid.id, bertil: bertil.id };
    // The café is on: 14:30 in Stockholm.
    t.clock.set('2026-12-01T13:30:00Z');
    server = await serve(t);
    browser = await launch();
    for (const who of ['amina', 'bilal', 'staff'] as const) phones[who] = (await newPage(browser, t, PHONE)).page;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  const card = (page: Page, text: string) => page.locator('li.card', { hasText: text });
  /** The same entry on another phone, by its id: a guide's phone names only that guide's own seniors. */
  const sameCard = async (from: Page, text: string, on: Page) =>
    on.locator(`li.card[data-entry="${await card(from, text).getAttribute('data-entry')}"]`);

  it('each guide opens the queue from their own page, the staff from the week page', async () => {
    await step(phones.amina, 'queue-open-amina', async () => {
      await phones.amina.goto(`${server.url}/min-sida#${encodeURIComponent(links.amina)}`);
      await phones.amina.getByRole('link', { name: 'Kön på caféet' }).click();
      await phones.amina.getByRole('heading', { level: 1, name: 'Kön på caféet' }).waitFor();
      // Bertil (Android) is Amina's by the pairing; Astrid (iPhone) is Bilal's: no name on Amina's phone.
      await phones.amina.getByRole('button', { name: 'Bertil har kommit' }).waitFor();
      await phones.amina.getByRole('button', { name: 'Anmäld senior har kommit' }).waitFor();
      await phones.amina.getByText('iPhone · BankID').waitFor();
      expect(await phones.amina.locator('main').innerText()).not.toContain('Astrid');
    });
    await step(phones.bilal, 'queue-open-bilal', async () => {
      await phones.bilal.goto(`${server.url}/min-sida/ko/${cafe.id}#${encodeURIComponent(links.bilal)}`);
      await phones.bilal.getByRole('heading', { level: 1, name: 'Kön på caféet' }).waitFor();
    });
    await step(phones.staff, 'queue-open-staff', async () => {
      await phones.staff.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(phones.staff, staffEmail);
      await phones.staff.getByRole('link', { name: 'Kön på caféet' }).click();
      await phones.staff.getByRole('heading', { level: 1, name: 'Kön på caféet' }).waitFor();
      await phones.staff
        .getByText('Ingen står i kön. När en senior kommer utan anmälan: välj telefon eller dator här ovanför.')
        .waitFor();
    });
  });

  it('checks in a senior with one tap (and one by keyboard); the guides see them within two seconds', async () => {
    await step(phones.staff, 'queue-check-in', async () => {
      await phones.staff.getByRole('button', { name: 'Astrid har kommit' }).click();
      await card(phones.staff, 'Astrid').waitFor();
      const onAmina = await sameCard(phones.staff, 'Astrid', phones.amina);
      await onAmina.waitFor(SOON);
      await card(phones.bilal, 'Astrid').waitFor(SOON);
      // Astrid has an iPhone: the pairing gives her Bilal, the guide who knows it, and says why.
      await onAmina.getByText('Förslag: Bilal').waitFor();
      await onAmina.getByText('Anmäld senior').waitFor();
      await card(phones.staff, 'Astrid')
        .getByText(/Kan iPhone\./)
        .waitFor();
      expect(await phones.amina.locator('main').innerText()).not.toContain('Astrid');
      // Bertil, by keyboard: the button takes the focus and Enter presses it.
      await phones.staff.getByRole('button', { name: 'Bertil har kommit' }).focus();
      await phones.staff.keyboard.press('Enter');
      await card(phones.staff, 'Bertil').waitFor();
      await (await sameCard(phones.staff, 'Bertil', phones.bilal)).waitFor(SOON);
      await card(phones.amina, 'Bertil').waitFor(SOON);
      expect(await phones.bilal.locator('main').innerText()).not.toContain('Bertil');
      await phones.staff.getByText('Alla anmälda har kommit.').waitFor();
    });
  });

  it('adds two walk-ins in two taps each, one with a first name', async () => {
    await step(phones.amina, 'queue-walk-in-1', async () => {
      await phones.amina.getByRole('radio', { name: 'Android' }).check();
      await phones.amina.getByRole('button', { name: '1177 och vård' }).click();
      await phones.amina.getByText('Seniorn är i kön.').waitFor();
      await card(phones.bilal, '1177 och vård').waitFor(SOON);
    });
    await step(phones.bilal, 'queue-walk-in-2', async () => {
      await phones.bilal.getByRole('radio', { name: 'iPhone' }).check();
      await phones.bilal.getByLabel('Förnamn (om seniorn vill)').fill('Gun');
      await phones.bilal.getByRole('button', { name: 'e-post' }).click();
      await phones.bilal.getByText('Gun är i kön.').waitFor();
      await card(phones.staff, 'Gun').waitFor(SOON);
    });
    // Amina's phone sees the other phone's walk-in within two seconds too (a poll away).
    await until(async () => (await phones.amina.locator('li.card').count()) === 4, SOON.timeout);
  });

  it('a guide follows the suggestion and marks Klar with the topic; the others see it', async () => {
    await step(phones.bilal, 'queue-take', async () => {
      const astrid = card(phones.bilal, 'Astrid');
      await astrid.getByText('Förslag: Bilal').waitFor();
      await astrid.getByRole('button', { name: 'Jag tar' }).click();
      await astrid.getByText('Bilal hjälper').waitFor();
      await (await sameCard(phones.bilal, 'Astrid', phones.amina)).getByText('Bilal hjälper').waitFor(SOON);
      // A guide helping someone is suggested to nobody else: Bertil's Android goes to Amina.
      await card(phones.staff, 'Bertil').getByText('Förslag: Amina').waitFor(SOON);
    });
    await step(phones.amina, 'queue-amina-takes', async () => {
      await card(phones.amina, 'Bertil').getByRole('button', { name: 'Jag tar' }).click();
      await card(phones.amina, 'Bertil').getByText('Amina hjälper').waitFor();
    });
    await step(phones.bilal, 'queue-done', async () => {
      const astrid = card(phones.bilal, 'Astrid');
      await astrid.getByLabel('Hjälpte med').selectOption('bankid');
      await astrid.getByRole('button', { name: 'Klar', exact: true }).click();
      await astrid.getByText('Klar: BankID. Bilal hjälpte.').waitFor();
      await card(phones.staff, 'Astrid').getByText('Klar: BankID. Bilal hjälpte.').waitFor(SOON);
    });
    await step(phones.amina, 'queue-done-2', async () => {
      const bertil = card(phones.amina, 'Bertil');
      await bertil.getByLabel('Hjälpte med').selectOption('email');
      await bertil.getByRole('button', { name: 'Klar', exact: true }).click();
      await bertil.getByText('Klar: e-post. Amina hjälpte.').waitFor();
      // The walk-in with Android: Amina is free again and knows it.
      await card(phones.amina, '1177 och vård').getByRole('button', { name: 'Jag tar' }).click();
      await card(phones.amina, '1177 och vård').getByRole('button', { name: 'Klar', exact: true }).click();
      await card(phones.bilal, '1177 och vård').getByText('Klar: 1177 och vård. Amina hjälpte.').waitFor(SOON);
    });
  });

  it('loses nothing on a reload; the page is axe-clean at 360 px', async () => {
    await step(phones.staff, 'queue-reload', async () => {
      await phones.staff.reload();
      await card(phones.staff, 'Astrid').getByText('Klar: BankID. Bilal hjälpte.').waitFor();
      await card(phones.staff, 'Gun')
        .getByText(/Väntar/)
        .waitFor();
      expect(await accessibilityViolations(phones.staff)).toEqual([]);
      expect(await accessibilityViolations(phones.bilal)).toEqual([]);
    });
    // Each phone fits the width: nothing to scroll sideways.
    for (const page of Object.values(phones)) {
      const sideways = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(sideways).toBe(0);
    }
  });

  it('the after-café form starts filled in from the queue, and is saved with who helped whom', async () => {
    await step(phones.staff, 'queue-report', async () => {
      await phones.staff.getByRole('link', { name: 'Rapportera caféet' }).click();
      await phones.staff.getByText('Vi fyllde i formuläret från kön. Kontrollera och spara.').waitFor();
      expect(await phones.staff.getByRole('checkbox', { name: 'Astrid' }).isChecked()).toBe(true);
      expect(await phones.staff.getByRole('checkbox', { name: 'Bertil' }).isChecked()).toBe(true);
      const who = await phones.staff.locator('#who-helped-list').innerText();
      expect(who).toContain('Astrid: Bilal');
      expect(who).toContain('Bertil: Amina');
      expect(who).toContain('1 kom utan anmälan: Amina');
      expect(await phones.staff.getByRole('spinbutton', { name: 'BankID' }).inputValue()).toBe('1');
      // Topics by platform come from the queue too: one row for each phone and topic helped with.
      const rows = phones.staff.locator('ul.cross-rows > li');
      expect(await rows.count()).toBe(3);
      const cross: string[] = [];
      for (const li of await rows.all())
        cross.push((await Promise.all((await li.locator('select, input').all()).map((e) => e.inputValue()))).join(' '));
      expect(cross.sort()).toEqual(['android e_health 1', 'android email 1', 'ios bankid 1']);
      // Who helped whom can be corrected, by keyboard too: a select for each senior and walk-in group.
      const astrid = phones.staff.getByRole('combobox', { name: 'Astrid' });
      expect(await astrid.inputValue()).toBe(ids.bilal);
      await astrid.focus();
      expect(await phones.staff.evaluate<string>('document.activeElement.id')).toBe(`helper-${ids.astrid}`);
      await astrid.selectOption(ids.amina);
      expect(await phones.staff.locator('#who-helped-list').innerText()).toContain('Astrid: Amina');
      await astrid.selectOption(ids.bilal);
      expect(await phones.staff.getByRole('combobox', { name: '1 kom utan anmälan' }).count()).toBe(2);
      expect(await accessibilityViolations(phones.staff)).toEqual([]);
      const sideways = await phones.staff.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(sideways).toBe(0);
      await phones.staff.getByRole('button', { name: 'Spara', exact: true }).click();
      await phones.staff.getByText('Sparat. Tack!').waitFor();
    });
    const rows = await t.dataSource.getRepository(Attendance).find({ where: { sessionId: cafe.id } });
    const helped = Object.fromEntries(rows.filter((r) => r.seniorId).map((r) => [r.seniorId, r.helpedByGuideId]));
    expect(helped).toEqual({ [ids.astrid]: ids.bilal, [ids.bertil]: ids.amina });
    const walkIns = rows.filter((r) => !r.seniorId).map((r) => [r.count, r.helpedByGuideId]);
    expect(walkIns.sort()).toEqual(
      [
        [1, ids.amina],
        [1, null],
      ].sort(),
    );
    // The queue's first names are gone once the café is reported.
    const entries = await t.dataSource.getRepository(QueueEntry).find({ where: { sessionId: cafe.id } });
    expect(entries.every((e) => e.firstName === null)).toBe(true);
    for (const page of Object.values(phones)) expect(pageErrors(page)).toEqual([]);
  });

  it('stores topics by platform from the form, and a correction by keyboard changes who helped whom', async () => {
    const cells = await t.dataSource.getRepository(ReportHelpCell).find({ order: { platform: 'ASC', topic: 'ASC' } });
    expect(cells.map((c) => [c.platform, c.topic, c.count])).toEqual([
      ['android', 'e_health', 1],
      ['android', 'email', 1],
      ['ios', 'bankid', 1],
    ]);
    await step(phones.staff, 'queue-report-correct', async () => {
      // The saved report is back in the form (it is read again after a save): Gun's group had no guide; the arrow key picks Amina.
      await phones.staff.getByRole('button', { name: 'Spara rättelse' }).waitFor();
      const groups = phones.staff.getByRole('combobox', { name: '1 kom utan anmälan' });
      await until(async () => (await groups.count()) === 2, 5_000);
      const values = await Promise.all((await groups.all()).map((g) => g.inputValue()));
      expect([...values].sort()).toEqual(['', ids.amina].sort());
      const nobody = groups.nth(values.indexOf(''));
      await nobody.focus();
      await phones.staff.keyboard.press('ArrowDown');
      expect(await nobody.inputValue()).toBe(ids.amina);
      expect(await accessibilityViolations(phones.staff)).toEqual([]);
      await phones.staff.getByRole('button', { name: 'Spara rättelse' }).click();
      await phones.staff.getByText('Sparat. Tack!').waitFor();
    });
    const rows = await t.dataSource.getRepository(Attendance).find({ where: { sessionId: cafe.id } });
    expect(rows.filter((r) => !r.seniorId).map((r) => [r.count, r.helpedByGuideId])).toEqual([
      [1, ids.amina],
      [1, ids.amina],
    ]);
    // The correction sends the same topics by platform again.
    expect(await t.dataSource.getRepository(ReportHelpCell).count()).toBe(3);
  });

  it('the report shows the visits and the topics by platform to the association staff', async () => {
    await step(phones.staff, 'queue-to-report', async () => {
      await phones.staff.goto(`${server.url}/rapporter`);
      await phones.staff.getByRole('heading', { level: 1, name: 'Rapporter' }).waitFor();
      // The page opens on the month of the café just reported.
      const period = phones.staff.getByLabel('Period', { exact: true });
      await until(async () => (await period.isEnabled()) && (await period.inputValue()) === '2026-12', 5_000);
      await phones.staff.getByRole('button', { name: 'Visa', exact: true }).click();
      const figures = phones.staff.locator('dl.figures');
      await figures.waitFor();
      // Astrid, Bertil and two walk-ins: 4 visits.
      const visits = figures.locator('div').filter({ has: phones.staff.locator('dt', { hasText: /^Besök$/ }) });
      expect(await visits.locator('dd').innerText()).toBe('4');
      const cross = phones.staff.getByRole('region', { name: 'Ämnen per plattform' });
      await cross.waitFor();
      const header = await cross.locator('thead th').allInnerTexts();
      expect(header).toEqual(['Plattform', '1177 och vård', 'BankID', 'e-post']);
      const rows: string[][] = [];
      for (const tr of await cross.locator('tbody tr').all())
        rows.push((await tr.locator('th, td').allInnerTexts()).map((c) => c.trim()));
      expect(rows.map((r) => r[0])).toEqual(['Android', 'iPhone']);
      // One senior each: never shown as 1 (small cells are "<3", or "x" where the sums would give one away).
      for (const cell of rows.flatMap((r) => r.slice(1))) expect(['<3', 'x', '0']).toContain(cell);
      expect(rows[1][2]).not.toBe('0');
      expect(await phones.staff.getByText('utan ämnen per plattform').count()).toBe(0);
      expect(await accessibilityViolations(phones.staff)).toEqual([]);
    });
    expect(pageErrors(phones.staff)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { Senior } from '../../src/db/entities';
import { seedDemo } from '../../scripts/demo-data';
import { longDay } from '../../src/web/dates';
import { createTestApp, type TestApp } from '../support/app';
import {
  accessibilityViolations,
  launch,
  loginAs,
  newPage,
  pageErrors,
  PHONE,
  screenshotForDocs,
  serve,
  step,
  until,
} from '../support/browser';
import { startSmtp } from '../support/smtp';

jest.setTimeout(90_000);

/**
 * The web pages in a real Chromium, on the demo municipality (loaded on Tuesday 24 November
 * 2026), against the real service with a real SMTP server: a coordinator's week, a guide on a
 * phone, the after-café form, a report download, and what a municipal viewer may not see.
 * The tests run in order and share the demo, as one coordinator's week would.
 */
describe('Web pages in Chromium', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  let municipalityId: string;
  let weekSession: string; // the first session of week 49, planned and swapped in the first test
  let swappedIn: string; // its new guide's name
  let waitlistSession: string; // the demo's full café with a waiting list

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2026-11-24T09:00:00Z', { smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' });
    const demo = await seedDemo(t.services, { today: '2026-11-24' });
    municipalityId = demo.municipalityId;
    waitlistSession = demo.alreadyLoaded ? '' : demo.waitlistSessionId!;
    server = await serve(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    await smtp?.close();
  });

  const guideNames = (page: Page, sessionId: string) =>
    page.locator(`article[aria-labelledby="s-${sessionId}"] ul.guides .name`).allTextContents();
  /** No senior of the demo municipality is named anywhere on the page. */
  const expectNoSeniorNames = async (page: Page) => {
    const text = await page.locator('body').innerText();
    const names = (await t.dataSource.getRepository(Senior).find({ where: { municipalityId } })).map(
      (s) => s.displayName,
    );
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(text).not.toContain(name);
  };
  const apiGet = async (path: string) => (await t.http().get(`/api/v1${path}`).expect(200)).body;

  it('a coordinator plans next week, swaps a guide for a ranked substitute, and publishes', async () => {
    const { page, context } = await newPage(browser, t);
    await step(page, 'coordinator-login', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'samordnare.demo@example.org');
      await page.getByRole('heading', { level: 1, name: /Vecka 49/ }).waitFor();
    });
    await step(page, 'coordinator-plan', async () => {
      await page.getByRole('button', { name: 'Planera veckan' }).click();
      await page.getByText('Planen är klar. Granska och publicera.').waitFor();
      await page.locator('.badge.draft').first().waitFor();
    });
    const card = page.locator('article.session').first();
    weekSession = (await card.getAttribute('aria-labelledby'))!.slice(2);
    const before = await guideNames(page, weekSession);
    expect(before.length).toBeGreaterThanOrEqual(2);
    await screenshotForDocs(page, 'flow-week-planned');

    await step(page, 'coordinator-pin', async () => {
      // Pinned, a guide stays when the week is planned again.
      const pin = card.getByRole('button', { name: `Lås ${before[1]}`, exact: true });
      expect(await pin.getAttribute('aria-pressed')).toBe('false');
      await pin.click();
      await until(async () => (await pin.getAttribute('aria-pressed')) === 'true');
    });
    const pinned = (await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`)).sessions
      .find((s: { id: string }) => s.id === weekSession)
      .guides.find((g: { name: string }) => g.name === before[1]);
    expect(pinned.pinned).toBe(true);
    await step(page, 'coordinator-swap-refused', async () => {
      // While the list is open, the best substitute becomes unavailable that day (another
      // coordinator, say): choosing them is refused with the reason, and nothing changes.
      await card.getByRole('button', { name: `Byt ${before[0]}` }).click();
      const panel = card.getByRole('region', { name: `Byt: ${before[0]}` });
      const choose = panel.getByRole('button', { name: /^Välj / }).first();
      const name = (await choose.getAttribute('aria-label'))!.replace('Välj ', '');
      const guides = (await apiGet(`/guides?municipalityId=${municipalityId}&limit=100`)).items as {
        id: string;
        name: string;
        version: number;
      }[];
      const busy = guides.find((g) => g.name === name)!;
      const date = (await apiGet(`/sessions/${weekSession}`)).localDate;
      await t
        .http()
        .patch(`/api/v1/guides/${busy.id}`)
        .send({ unavailableDates: [{ date, reason: 'Prov i skolan' }], version: busy.version })
        .expect(200);
      await choose.click();
      await card.getByText(/^Guiden kan inte ta passet\. Har förhinder \w+dag \d+ \w+\.$/).waitFor();
      expect(await guideNames(page, weekSession)).toEqual(before);
      await card.getByRole('button', { name: 'Stäng' }).click();
    });
    await step(page, 'coordinator-swap', async () => {
      await card.getByRole('button', { name: `Byt ${before[0]}` }).click();
      const panel = card.getByRole('region', { name: `Byt: ${before[0]}` });
      await panel.getByText('Vem kan ta passet? Bäst först.').waitFor();
      const choose = panel.getByRole('button', { name: /^Välj / }).first();
      swappedIn = (await choose.getAttribute('aria-label'))!.replace('Välj ', '');
      // The engine's reasons for those who cannot come are shown, not hidden, and in Swedish.
      await expect(
        panel
          .getByText(/^ Kan inte ta passet\. (Kan bara|Kan inte jobba|Har förhinder|Har ett annat pass|Har redan)/)
          .count(),
      ).resolves.toBeGreaterThan(0);
      expect(await panel.innerText()).not.toMatch(/not available|unavailable on|busy|would pass|Can only|Cannot/);
      await screenshotForDocs(page, 'flow-week-swap');
      await choose.click();
      await panel.waitFor({ state: 'detached' });
      await card.locator('ul.guides .name').getByText(swappedIn, { exact: true }).waitFor();
    });
    const after = await guideNames(page, weekSession);
    expect(after).toContain(swappedIn);
    expect(after).not.toContain(before[0]);
    const stored = await apiGet(`/sessions/${weekSession}/assignments`);
    expect(stored.items).toHaveLength(before.length);

    await step(page, 'coordinator-fix-shortfall', async () => {
      // Taking a guide off leaves the second café short; the engine's candidates fix it.
      const second = page.locator('article.session').nth(1);
      const names = await second.locator('ul.guides .name').allTextContents();
      const min = Number(await second.getAttribute('data-min-guides'));
      for (const name of names.slice(min - 1)) await second.getByRole('button', { name: `Ta bort ${name}` }).click();
      await second.getByText('Saknar 1 guide').waitFor();
      await second.getByRole('button', { name: 'Lägg till guide' }).click();
      const panel = second.getByRole('region', { name: 'Lägg till guide' });
      await panel
        .getByRole('button', { name: /^Välj / })
        .first()
        .click();
      await panel.waitFor({ state: 'detached' });
      await until(async () => (await second.getByText('Saknar 1 guide').count()) === 0);
    });
    await step(page, 'coordinator-shortfall-explained', async () => {
      // An extra café on Sunday morning, when no guide can work: the engine cannot staff it, and says why, in Swedish, also after a reload.
      const venue = (await apiGet(`/venues?municipalityId=${municipalityId}`)).items[0];
      const sunday = (
        await t
          .http()
          .post('/api/v1/sessions')
          .send({ venueId: venue.id, date: '2026-11-29', startTime: '09:00', durationMinutes: 120, seats: 6 })
          .expect(201)
      ).body;
      const senior = (await t.dataSource.getRepository(Senior).find({ where: { municipalityId } })).find(
        (x) => x.devices.length,
      )!;
      await t.http().post(`/api/v1/sessions/${sunday.id}/registrations`).send({ seniorId: senior.id }).expect(201);
      await page.getByRole('link', { name: /Förra veckan/ }).click();
      await page.getByRole('heading', { level: 1, name: /Vecka 48/ }).waitFor();
      await page.getByRole('button', { name: 'Planera veckan' }).click();
      await page.getByText('Planen är klar. Granska och publicera.').waitFor();
      const reason = page.getByText('Söndag 29 november 09:00: 0 av minst 2 guider.');
      await reason.waitFor();
      await page.getByText('Ingen guide kan jobba då.').first().waitFor();
      // Her platform too, with the engine's reason.
      await page
        .getByText(/ \d+ senior(er)? har \S+\. Ingen guide som kan \S+ kan jobba då\.$/)
        .first()
        .waitFor();
      await page.reload();
      await reason.waitFor();
      await page.getByRole('link', { name: /Nästa vecka/ }).click();
      await page.getByRole('heading', { level: 1, name: /Vecka 49/ }).waitFor();
      await card.locator('ul.guides .name').first().waitFor();
    });
    await step(page, 'coordinator-publish', async () => {
      await page.getByRole('button', { name: 'Publicera' }).click();
      await page.getByText(/^Publicerat: \d+ pass\. Guiderna får mejl\.$/).waitFor();
      await card.getByText('Inte svarat').first().waitFor();
    });
    const week = await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`);
    expect(
      week.sessions
        .flatMap((s: { guides: { status: string }[] }) => s.guides)
        .every((g: { status: string }) => g.status === 'published'),
    ).toBe(true);
    await screenshotForDocs(page, 'flow-week-published');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('a guide confirms from the link in the e-mail on a phone, and the coordinator sees it', async () => {
    await t.services.outbox.deliverDue();
    const guides = (await apiGet(`/guides?municipalityId=${municipalityId}&limit=100`)).items as {
      name: string;
      email: string;
    }[];
    const address = guides.find((g) => g.name === swappedIn)!.email;
    const mail = smtp.received.find(
      (m) => m.to && 'value' in m.to && m.to.value[0].address === address && /Jag kommer: \S+/.test(m.text ?? ''),
    );
    expect(mail).toBeDefined();
    const confirm = new URL(mail!.text!.match(/Jag kommer: (\S+)/)![1]).pathname;

    const { page, context } = await newPage(browser, t, PHONE);
    await step(page, 'guide-mail-link', async () => {
      await page.goto(`${server.url}${confirm}`);
      await page.getByRole('heading', { name: 'Kommer du till passet?' }).waitFor();
      // The page's own styles apply under the content policy (allowed by their hash, no inline styles else).
      expect(
        await page
          .getByRole('button', { name: 'Ja, jag kommer' })
          .evaluate((b) => b.ownerDocument.defaultView!.getComputedStyle(b).backgroundColor),
      ).toBe('rgb(29, 78, 216)');
      expect(pageErrors(page)).toEqual([]);
      await page.getByRole('button', { name: 'Ja, jag kommer' }).click();
      await page.getByRole('heading', { name: 'Tack! Du har svarat att du kommer.' }).waitFor();
    });
    await context.close();

    const desk = await newPage(browser, t);
    await step(desk.page, 'coordinator-sees-confirmation', async () => {
      await desk.page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(desk.page, 'samordnare.demo@example.org');
      const card = desk.page.locator(`article[aria-labelledby="s-${weekSession}"]`);
      await card.locator('li', { hasText: swappedIn }).getByText('Har bekräftat').waitFor();
    });
    await desk.context.close();
  });

  it("a guide's own page on a phone: next sessions, confirm, a decline asked twice, hours, calendar", async () => {
    // A guide of the published week who has not answered yet.
    const week = await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`);
    const crew = week.sessions.flatMap(
      (s: { guides: { guideId: string; name: string; response: string }[] }) => s.guides,
    ) as { guideId: string; name: string; response: string }[];
    const guide = crew.find((g) => g.response === 'pending' && g.name !== swappedIn)!;
    const pendingBefore = crew.filter((g) => g.guideId === guide.guideId && g.response === 'pending').length;
    expect(pendingBefore).toBeGreaterThan(0);
    const link = (await t.http().post(`/api/v1/guides/${guide.guideId}/links`).send({ purpose: 'access' }).expect(201))
      .body;
    expect(link.url).toMatch(/\/min-sida#/);
    const { page, context } = await newPage(browser, t, PHONE);
    await step(page, 'guide-page', async () => {
      await page.goto(`${server.url}${new URL(link.url).pathname}${new URL(link.url).hash}`);
      await page.getByRole('heading', { level: 1, name: `Hej ${guide.name.split(' ')[0]}!` }).waitFor();
      await page.getByRole('heading', { name: /Mina timmar i november 2026/ }).waitFor();
      // Hours as a guide reads them: "timmar", a decimal comma, never "h" or "max".
      await page.getByText(/^Du får jobba högst \d+(,\d)? timm(e|ar) i veckan\.$/).waitFor();
      expect(await page.locator('.big-figures').innerText()).toMatch(/^Planerat: \d+(,\d)? timm(e|ar)\s+Jobbat: /);
      await until(async () => (await page.getByRole('button', { name: 'Jag kommer' }).count()) === pendingBefore);
    });
    await screenshotForDocs(page, 'flow-guide-page');
    await step(page, 'guide-confirm', async () => {
      await page.getByRole('button', { name: 'Jag kommer' }).first().click();
      await until(async () => (await page.getByRole('button', { name: 'Jag kommer' }).count()) === pendingBefore - 1);
      await page.getByText('Du har sagt att du kommer.').first().waitFor();
    });
    await step(page, 'guide-decline-asks', async () => {
      await page.getByRole('button', { name: 'Jag kan inte' }).first().click();
      // The question names the action and each button names its own: nobody answers yes to a negative.
      await page.getByText('Vill du tacka nej till passet? Då frågar vi en annan guide.').waitFor();
      await page.getByRole('button', { name: 'Tillbaka' }).click();
      await expect(page.getByText('Vill du tacka nej till passet?').count()).resolves.toBe(0);
    });
    await step(page, 'guide-calendar', async () => {
      await page.getByRole('button', { name: 'Lägg till i min kalender' }).click();
      const open = page.getByRole('link', { name: 'Öppna i kalendern' });
      await open.waitFor();
      await page.getByText('Tryck på ”Öppna i kalendern” i telefonen. Då kommer dina pass in i kalendern.').waitFor();
      expect(await open.getAttribute('href')).toMatch(/^webcal:\/\/.*\/kalender\/.+\.ics$/);
      const feed = await page.getByLabel('Eller kopiera adressen').inputValue();
      const res = await request(t.app).get(new URL(feed).pathname).expect(200);
      expect(res.text).toContain('BEGIN:VCALENDAR');
    });
    const kept = (await t.http().get(`/api/v1/guide/me`).query({ token: link.token }).expect(200)).body;
    // One confirmed from the page; the first decline was taken back, so every place is still the guide's.
    expect(kept.assignments.filter((a: { response: string }) => a.response === 'confirmed')).toHaveLength(1);
    expect(kept.assignments).toHaveLength(pendingBefore);
    // The day before a café, the guide sees the seniors paired with them there: their own only.
    const first = kept.assignments[0] as { sessionId: string; localDate: string };
    const paired = (await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`)).sessions.find(
      (x: { id: string }) => x.id === first.sessionId,
    ) as { pairs: { seniorId: string; guideId: string }[]; registrations: { seniorId: string; displayName: string }[] };
    const names = (guideId: string) =>
      paired.pairs
        .filter((p) => p.guideId === guideId)
        .map((p) => paired.registrations.find((r) => r.seniorId === p.seniorId)!.displayName);
    await step(page, 'guide-seniors', async () => {
      t.clock.set(`${DateTime.fromISO(first.localDate).minus({ days: 1 }).toISODate()}T10:00:00Z`);
      await page.reload();
      const heading = longDay('sv-SE', first.localDate);
      const card = page.locator('li', { has: page.getByRole('heading', { name: new RegExp(`^${heading} `) }) });
      expect(names(guide.guideId).length).toBeGreaterThan(0);
      await card.getByText(/^Du hjälper (en senior|\d+ seniorer):$/).waitFor();
      for (const n of names(guide.guideId)) await card.getByText(new RegExp(`^${n}: `)).waitFor();
      const others = paired.pairs.filter((p) => p.guideId !== guide.guideId).map((p) => p.seniorId);
      for (const id of others) {
        const other = paired.registrations.find((r) => r.seniorId === id)!.displayName;
        expect(await page.locator('main').innerText()).not.toContain(`${other}:`);
      }
      expect(await accessibilityViolations(page)).toEqual([]);
    });
    t.clock.set('2026-11-24T09:00:00Z');
    await page.reload();
    await until(async () => (await page.getByRole('button', { name: 'Jag kan inte' }).count()) > 0);
    await step(page, 'guide-decline', async () => {
      await page.getByRole('button', { name: 'Jag kan inte' }).first().click();
      await page.getByRole('button', { name: 'Jag kan inte komma' }).click();
      await page.getByText(/Tack för att du sa till\. Vi frågar en annan guide\./).waitFor();
      await until(async () => (await page.locator('article').count()) === pendingBefore - 1);
    });
    const mine = (await t.http().get(`/api/v1/guide/me`).query({ token: link.token }).expect(200)).body;
    expect(mine.assignments).toHaveLength(pendingBefore - 1);
    expect(pageErrors(page)).toEqual([]);
    // A link cut short in the mail: said in Swedish with what to do, never as the API's English.
    const broken = await newPage(browser, t, PHONE);
    await step(broken.page, 'guide-link-broken', async () => {
      await broken.page.goto(`${server.url}/min-sida#abc`);
      await broken.page.getByText('Länken fungerar inte. Be din samordnare om en ny.').waitFor();
      expect(await broken.page.locator('main').innerText()).not.toMatch(/request|query|token|not valid/i);
    });
    await broken.context.close();
    await context.close();
  });

  it("records the after-café form, then shows the month's report and downloads it as CSV", async () => {
    // Tuesday 1 December, 18:30 in Örebro: the library café of 15:00–17:00 is over.
    t.clock.set('2026-12-01T17:30:00Z');
    const { page, context } = await newPage(browser, t);
    await step(page, 'after-cafe', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'samordnare.demo@example.org');
      const card = page.locator(`article[aria-labelledby="s-${weekSession}"]`);
      await card.getByRole('link', { name: 'Efter caféet' }).click();
      await page.getByRole('heading', { level: 1, name: 'Efter caféet' }).waitFor();
      const seated = page.getByRole('group', { name: 'Vilka kom?' }).getByRole('checkbox');
      await seated.nth(0).check();
      await seated.nth(1).check();
      await page.getByRole('group', { name: 'Kom utan anmälan' }).getByRole('button', { name: '+ Lägg till' }).click();
      await page.getByLabel('Ålder').selectOption('75_plus');
      await page.getByLabel('BankID').fill('2');
      await page.getByLabel('Dagens rapport (inga namn på seniorer)').fill('Många frågor om BankID.');
      // An end before its start is said in Swedish, never in the API's English with its field path.
      const ended = page.getByLabel('Slutade').first();
      const was = await ended.inputValue();
      await ended.fill('14:00');
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sluttiden måste vara efter starttiden.').waitFor();
      expect(await page.locator('main').innerText()).not.toMatch(/body\.|must be after|not valid/);
      await ended.fill(was);
    });
    await screenshotForDocs(page, 'flow-after-cafe');
    await step(page, 'after-cafe-save', async () => {
      await page.getByRole('button', { name: 'Spara', exact: true }).click();
      await page.getByText('Sparat. Tack!').waitFor();
      await page.getByRole('button', { name: 'Spara rättelse' }).waitFor();
    });
    await step(page, 'after-cafe-rows-replace-counts', async () => {
      // BankID 2 was typed by hand: a row under Ämnen per plattform replaces it, and the form says so.
      const byPlatform = page.getByRole('group', { name: 'Ämnen per plattform' });
      await byPlatform.getByRole('button', { name: '+ Lägg till' }).click();
      expect(await page.getByRole('spinbutton', { name: 'BankID' }).inputValue()).toBe('1');
      const said = page.locator('#cross-replaced');
      expect(await said.innerText()).toBe(
        'Raderna ändrar antalen ovanför. Förut stod det: BankID 2. Ta bort raderna så kommer de tillbaka.',
      );
      expect(await accessibilityViolations(page)).toEqual([]);
      // Removing the row brings the count typed by hand back.
      await byPlatform.getByRole('button', { name: 'Ta bort rad 1' }).click();
      expect(await page.getByRole('spinbutton', { name: 'BankID' }).inputValue()).toBe('2');
      expect(await said.count()).toBe(0);
    });
    const report = await apiGet(`/sessions/${weekSession}/report`);
    expect(
      report.seniors
        .filter((s: { present: boolean }) => s.present)
        .reduce((n: number, s: { count: number }) => n + s.count, 0),
    ).toBe(3);
    expect(report.help.topics).toEqual({ bankid: 2 });

    await step(page, 'after-cafe-guide', async () => {
      // The guide who worked it finds it on their own page, already reported, and sees the answers.
      const guides = (await apiGet(`/guides?municipalityId=${municipalityId}&limit=100`)).items as {
        id: string;
        name: string;
      }[];
      const link = (
        await t
          .http()
          .post(`/api/v1/guides/${guides.find((g) => g.name === swappedIn)!.id}/links`)
          .send({ purpose: 'access' })
          .expect(201)
      ).body.url;
      const phone = await newPage(browser, t, PHONE);
      await phone.page.goto(`${server.url}${new URL(link).pathname}${new URL(link).hash}`);
      await phone.page.getByRole('link', { name: 'Rapporterat ✓' }).click();
      await phone.page.getByRole('heading', { level: 1, name: 'Efter caféet' }).waitFor();
      await phone.page.getByRole('button', { name: 'Spara rättelse' }).waitFor();
      expect(await phone.page.getByRole('group', { name: 'Vilka kom?' }).getByRole('checkbox').nth(0).isChecked()).toBe(
        true,
      );
      expect(await phone.page.getByLabel('Dagens rapport (inga namn på seniorer)').inputValue()).toBe(
        'Många frågor om BankID.',
      );
      expect(pageErrors(phone.page)).toEqual([]);
      await phone.context.close();
    });
    await step(page, 'report', async () => {
      await page.getByRole('link', { name: 'Rapporter' }).click();
      // The page offers the latest month with a café reported: December, just reported.
      const period = page.getByLabel('Period');
      await until(async () => (await period.inputValue()) === '2026-12');
      await page.getByRole('button', { name: 'Visa' }).click();
      await page.getByRole('heading', { name: /2026-12/ }).waitFor();
      const visits = page.locator('dl.figures div', { hasText: /^Besök/ }).locator('dd');
      await expect(visits.textContent()).resolves.toBe('3');
    });
    await screenshotForDocs(page, 'flow-report');
    const csv = await step(page, 'report-csv', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Ladda ned CSV (Excel)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('bryggan-rapport-2026-12.csv');
      return readFileSync(await download.path(), 'utf8');
    });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toMatch(/Besök \/ Visits;3/);
    await step(page, 'report-print', async () => {
      const [popup] = await Promise.all([
        page.waitForEvent('popup'),
        page.getByRole('button', { name: 'Skriv ut' }).click(),
      ]);
      await popup.waitForURL(/^blob:/);
      await popup.waitForLoadState();
      await until(async () => (await popup.content()).includes('Besök'));
    });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('a municipal viewer sees the week and the report, and no senior names', async () => {
    const { page, context } = await newPage(browser, t);
    await step(page, 'viewer', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'kommun.demo@example.org');
      await page.getByRole('heading', { level: 1, name: /Vecka 49/ }).waitFor();
      await page.locator('article.session').first().waitFor();
    });
    await expectNoSeniorNames(page);
    const nav = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(nav).toEqual(['Vecka', 'Rapporter', 'Mitt konto']);
    await expect(page.getByRole('button', { name: 'Planera veckan' }).count()).resolves.toBe(0);
    await step(page, 'viewer-report', async () => {
      await page.getByRole('link', { name: 'Rapporter' }).click();
      await page.getByLabel('Period').fill('2026-12');
      await page.getByRole('button', { name: 'Visa' }).click();
      await page.locator('dl.figures div', { hasText: /^Besök/ }).waitFor();
    });
    await expectNoSeniorNames(page);
    await step(page, 'viewer-roster-refused', async () => {
      await page.goto(`${server.url}/personal`);
      await page.getByText('Du får inte se den här sidan.').waitFor();
    });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('association staff see their roster without seniors, no planning, and the week without names; the page speaks English on request; logging out ends it', async () => {
    const { page, context } = await newPage(browser, t);
    await step(page, 'staff', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'forening.demo@example.org');
      await page.locator('article.session').first().waitFor();
    });
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toEqual([
      'Vecka',
      'Guider',
      'Rapporter',
      'Mitt konto',
    ]);
    await expect(page.getByRole('button', { name: 'Planera veckan' }).count()).resolves.toBe(0);
    await expectNoSeniorNames(page);
    await step(page, 'staff-roster', async () => {
      await page.getByRole('navigation', { name: 'Bryggan' }).getByRole('link', { name: 'Guider' }).click();
      await page.getByRole('table').getByRole('rowheader').first().waitFor();
      await expect(page.getByRole('link', { name: 'Seniorer' }).count()).resolves.toBe(0);
      await page.getByRole('link', { name: 'Importera och exportera' }).waitFor();
    });
    await step(page, 'english', async () => {
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: 'Guides' }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.getByRole('button', { name: 'Svenska' }).click();
      await page.getByRole('heading', { level: 1, name: 'Guider' }).waitFor();
    });
    await step(page, 'logout', async () => {
      await page.getByRole('button', { name: 'Logga ut' }).click();
      await page.getByRole('heading', { name: 'Logga in i Bryggan' }).waitFor();
      await page.goto(`${server.url}/vecka/2026-W49`);
      await page.getByRole('heading', { name: 'Logga in i Bryggan' }).waitFor();
    });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('a coordinator signs a senior up by phone number, and gives the first on the waiting list a seat', async () => {
    t.clock.set('2026-11-24T09:00:00Z');
    const week = await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`);
    const open = week.sessions.find(
      (s: { seatsLeft: number; status: string; guides: unknown[] }) =>
        s.status === 'scheduled' && s.seatsLeft > 0 && s.guides.length > 0,
    );
    const seated = new Set(open.registrations.map((r: { seniorId: string }) => r.seniorId));
    const senior = (await t.dataSource.getRepository(Senior).find({ where: { municipalityId } })).find(
      (s) => s.phone && !seated.has(s.id),
    )!;
    const { page, context } = await newPage(browser, t);
    await step(page, 'register', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'samordnare.demo@example.org');
      const card = page.locator(`article[aria-labelledby="s-${open.id}"]`);
      await card.getByRole('button', { name: 'Anmäl senior' }).click();
      await card.getByLabel('Sök på namn eller telefon').fill(senior.phone!);
      await card.getByRole('button', { name: `Anmäl ${senior.displayName}` }).click();
      await card.getByText(`${open.confirmed + 1} av ${open.seats} platser`).waitFor();
      // Who helps whom: the new senior is paired with a guide on duty at once, with why, in Swedish.
      await card.getByText(/^Seniorer \(/).click();
      const row = card.locator('li', { hasText: senior.displayName });
      await row.getByText(/^\S+ hjälper\./).waitFor();
      expect(await row.innerText()).not.toMatch(/Knows|Helped|pair_/);
    });
    const full = await apiGet(`/sessions/${waitlistSession}`);
    const waiting = (await apiGet(`/sessions/${waitlistSession}/registrations?status=waitlisted`)).items;
    expect(waiting.length).toBeGreaterThan(0);
    await step(page, 'waitlist', async () => {
      const week = DateTime.fromISO(full.localDate).toFormat("kkkk-'W'WW");
      await page.getByRole('link', { name: 'Vecka', exact: true }).click();
      await page.goto(`${server.url}/vecka/${week}`);
      const card = page.locator(`article[aria-labelledby="s-${full.id}"]`);
      await card.getByText(/^Seniorer \(/).click();
      await card.getByRole('button', { name: `En plats till (${waiting[0].displayName})` }).click();
      await card.getByText(`av ${full.seats + 1} platser`).waitFor();
    });
    expect((await apiGet(`/registrations/${waiting[0].id}`)).status).toBe('confirmed');
    await step(page, 'report-default-period', async () => {
      // On 24 November last month is October, before the demo's contract began: the page offers November instead.
      await page.getByRole('link', { name: 'Rapporter' }).click();
      const period = page.getByLabel('Period');
      await period.waitFor();
      expect(await period.inputValue()).toBe('2026-11');
      await page.getByRole('button', { name: 'Visa' }).click();
      await page.getByRole('heading', { name: /2026-11$/ }).waitFor();
    });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
  it('a coordinator on a phone moves a café to an hour its guides cannot work: the week says who can no longer come, and why', async () => {
    const { page, context } = await newPage(browser, t, PHONE);
    await step(page, 'conflict-login', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'samordnare.demo@example.org');
      await page.getByRole('heading', { level: 1, name: /Vecka 49/ }).waitFor();
    });
    // A café of the week with guides on it, not reported yet.
    const cafe = (await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`)).sessions.find(
      (x: { id: string; localDate: string; guides: unknown[] }) =>
        x.id !== weekSession && x.localDate >= '2026-12-03' && x.guides.length >= 2,
    ).id as string;
    const card = page.locator(`article[aria-labelledby="s-${cafe}"]`);
    const names = await guideNames(page, cafe);
    const session = await apiGet(`/sessions/${cafe}`);
    await step(page, 'conflict-move', async () => {
      // With the keyboard: to the button, open the form, type the time, save.
      await card.getByRole('button', { name: 'Flytta eller ändra' }).focus();
      await page.keyboard.press('Enter');
      await card.getByLabel('Starttid').fill('21:00');
      await card.getByLabel('Starttid').press('Enter');
      await card.getByText('Caféet är ändrat.').waitFor();
      for (const name of names)
        await card.getByText(new RegExp(`^${name} kan inte längre\\. Kan (bara|inte)`)).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
    });
    const week = await apiGet(`/municipalities/${municipalityId}/weeks/2026-W49`);
    const guides = week.sessions.find((x: { id: string }) => x.id === cafe).guides;
    expect(
      guides.every((g: { conflict: { code: string }[] | null }) => g.conflict?.[0]?.code === 'not_available'),
    ).toBe(true);
    await step(page, 'conflict-back', async () => {
      await card.getByRole('button', { name: 'Flytta eller ändra' }).click();
      await card.getByLabel('Starttid').fill(session.startTime);
      await card.getByRole('button', { name: 'Spara' }).click();
      await card.getByText('Caféet är ändrat.').waitFor();
      await until(async () => (await card.locator('.conflict').count()) === 0);
    });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

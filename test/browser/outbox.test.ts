import type { Browser } from 'playwright-core';
import { OutboxMessage } from '../../src/db/entities';
import { seedDemo } from '../../scripts/demo-data';
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

jest.setTimeout(120_000);

/**
 * The coordinator's mail page (Mejl) in a real Chromium, on the demo municipality with a real
 * SMTP server: after publishing a week, the week page names the guides who get mail; the mail
 * page shows each guide's mail as sent, by guide and by café; a mail that did not arrive says
 * so in plain Swedish and is sent again with the keyboard on a phone. The tests run in order.
 */
describe('The mail page in Chromium', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  let municipalityId: string;
  /** The guides the publish mailed, by the week page's own words. */
  let mailed: { id: string; name: string }[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await createTestApp('2026-11-24T09:00:00Z', { smtpUrl: smtp.url, mailFrom: 'it-cafe@example.org' });
    municipalityId = (await seedDemo(t.services, { today: '2026-11-24' })).municipalityId;
    server = await serve(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    await smtp?.close();
  });

  const outbox = () => t.dataSource.getRepository(OutboxMessage).find({ where: { municipalityId } });

  it('publishing a week names the guides who get mail; the mail page shows their mail as sent, by guide and by café', async () => {
    const { page, context } = await newPage(browser, t);
    const earlier = new Set((await outbox()).map((o) => o.id));
    await step(page, 'outbox-publish', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      await loginAs(page, 'samordnare.demo@example.org');
      await page.getByRole('heading', { level: 1, name: /Vecka 49/ }).waitFor();
      await page.getByRole('button', { name: 'Planera veckan' }).click();
      await page.getByText('Planen är klar. Granska och publicera.').waitFor();
      await page.getByRole('button', { name: 'Publicera' }).click();
      await page.getByText(/^Publicerat: \d+ pass\. Guiderna får mejl\.$/).waitFor();
      await page.locator('#publish-mailed').waitFor();
    });
    // The names the page gives are exactly the guides the publish queued mail for.
    const all = await outbox();
    const rows = all.filter((o) => o.guideId && !earlier.has(o.id));
    const mailsTo = (guideId: string) => all.filter((o) => o.guideId === guideId).length;
    const caption = (n: number) => `${n} mejl`;
    const guides = (
      (await t.http().get(`/api/v1/guides?municipalityId=${municipalityId}&limit=200`).expect(200)).body.items as {
        id: string;
        name: string;
      }[]
    ).filter((g) => rows.some((o) => o.guideId === g.id));
    expect(guides.length).toBeGreaterThanOrEqual(2);
    mailed = guides;
    const said = await page.locator('#publish-mailed').innerText();
    expect(said).toMatch(/^Mejlen går till .+ och .+\. Se mejlen$/);
    for (const g of guides) expect(said).toContain(g.name);

    await t.services.outbox.deliverDue();
    expect((await outbox()).every((o) => o.status === 'sent')).toBe(true);
    await step(page, 'outbox-page', async () => {
      await page.getByRole('link', { name: 'Se mejlen' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mejl' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Mejl' }).waitFor();
      const table = page.getByRole('table');
      await table.waitFor();
      expect(await table.locator('caption').innerText()).toBe(caption(all.length));
      // Each row names the guide and says "Skickat"; no mail's text or server answer shows.
      for (const g of guides)
        await table
          .getByRole('rowheader', { name: new RegExp(g.name) })
          .first()
          .waitFor();
      expect(await table.getByText('Skickat').count()).toBe(all.length);
      expect(await page.locator('main').innerText()).not.toMatch(/Hej |\bqueued\b|\bsent\b|\bfailed\b/);
    });
    await screenshotForDocs(page, 'outbox');

    const [first, second] = guides;
    await step(page, 'outbox-filter-guide', async () => {
      await page.getByRole('combobox', { name: /^Till\b/ }).selectOption({ label: first.name });
      await until(async () => (await page.locator('table caption').innerText()) === caption(mailsTo(first.id)));
      const row = page.getByRole('row').filter({ hasText: first.name });
      await row.getByText('Skickat').waitFor();
      expect(await page.getByRole('row').filter({ hasText: second.name }).count()).toBe(0);
      // The address keeps the choice: a reload shows the same.
      expect(new URL(page.url()).search).toBe(`?guide=${first.id}`);
      await page.reload();
      await until(
        async () =>
          (await page
            .locator('table caption')
            .innerText()
            .catch(() => '')) === caption(mailsTo(first.id)),
      );
      expect(await page.getByRole('combobox', { name: /^Till\b/ }).inputValue()).toBe(first.id);
      await page.getByRole('combobox', { name: /^Till\b/ }).selectOption({ label: 'Alla' });
      await until(async () => (await page.locator('table caption').innerText()) === caption(all.length));
    });
    await step(page, 'outbox-from-guide', async () => {
      await page.goto(`${server.url}/personal/guide/${second.id}`);
      await page.getByRole('heading', { level: 2, name: second.name }).waitFor();
      await page.getByRole('link', { name: 'Se mejl till guiden' }).click();
      await page.getByRole('heading', { level: 1, name: 'Mejl' }).waitFor();
      await until(async () => (await page.locator('table caption').count()) > 0);
      expect(await page.getByRole('combobox', { name: /^Till\b/ }).inputValue()).toBe(second.id);
      await page.getByRole('row').filter({ hasText: second.name }).first().getByText('Skickat').waitFor();
      expect(await page.getByRole('row').filter({ hasText: first.name }).count()).toBe(0);
    });
    await step(page, 'outbox-from-cafe', async () => {
      await page.goto(`${server.url}/vecka/2026-W49`);
      const card = page
        .locator('article.session')
        .filter({ has: page.locator('ul.guides .name') })
        .first();
      // Read the crew once the week has loaded (a read before it finds nobody).
      await card.locator('ul.guides .name').first().waitFor();
      const crew = await card.locator('ul.guides .name').allTextContents();
      expect(crew.length).toBeGreaterThan(0);
      await card.getByRole('link', { name: 'Se mejl om caféet' }).click();
      await page.getByText(/^Mejl om caféet \S+ \d+ \S+ \d\d:\d\d–\d\d:\d\d, .+/).waitFor();
      // The café's mails: one to each guide on it (the table may show the page's first load a moment before).
      await until(
        async () =>
          (await page
            .locator('table caption')
            .innerText()
            .catch(() => '')) === caption(crew.length),
      );
      const names = await page.getByRole('rowheader').allInnerTexts();
      expect(names.length).toBe(crew.length);
      for (const name of crew) expect(names.some((n) => n.startsWith(name))).toBe(true);
      await page.getByRole('link', { name: 'Visa alla mejl' }).click();
      await until(async () => (await page.locator('table caption').innerText()) === caption(all.length));
    });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('on a phone, with the keyboard: a mail that did not arrive says so in Swedish, and goes again', async () => {
    const guide = mailed[0];
    // The mail server refused the guide's address, on every try.
    const [row] = (await outbox()).filter((o) => o.guideId === guide.id);
    await t.dataSource.getRepository(OutboxMessage).update(row.id, {
      status: 'failed',
      attempts: 6,
      sentAt: null,
      lastError: '550 5.1.1 <address>: Recipient address rejected: User unknown',
    });
    const { page, context } = await newPage(browser, t, PHONE);
    await step(page, 'outbox-failed', async () => {
      await page.goto(`${server.url}/mejl?status=failed`);
      await loginAs(page, 'samordnare.demo@example.org');
      await page.getByRole('heading', { level: 1, name: 'Mejl' }).waitFor();
      expect(await page.getByRole('combobox', { name: /^Status/ }).inputValue()).toBe('failed');
      await until(
        async () =>
          (await page
            .locator('table caption')
            .innerText()
            .catch(() => '')) === '1 mejl',
      );
      const failed = page.getByRole('row').filter({ hasText: guide.name });
      await failed.getByText('Kom inte fram', { exact: true }).waitFor();
      await failed.getByText('Mejlet kom inte fram. Kontrollera guidens e-postadress.').waitFor();
      expect(await page.locator('main').innerText()).not.toMatch(/550|Recipient|rejected/);
      // Nothing wider than the phone: the page does not scroll sideways.
      expect(
        await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
      ).toBe(0);
      await screenshotForDocs(page, 'outbox-failed');
    });
    await step(page, 'outbox-resend-keyboard', async () => {
      const resend = page.getByRole('button', { name: `Skicka igen till ${guide.name}` });
      // Tab from the status filter to the button, and press Enter, as a keyboard user would.
      await page.getByRole('combobox', { name: /^Status/ }).focus();
      const focused = () => resend.evaluate((b) => b === b.ownerDocument.activeElement);
      for (let i = 0; i < 10 && !(await focused()); i++) await page.keyboard.press('Tab');
      expect(await focused()).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByText(`Mejlet till ${guide.name} skickas igen.`).waitFor();
      await page.getByRole('combobox', { name: /^Status/ }).selectOption({ label: 'Väntar' });
      await page.getByRole('row').filter({ hasText: guide.name }).getByText('Väntar').waitFor();
    });
    await t.services.outbox.deliverDue();
    expect((await t.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id: row.id })).status).toBe('sent');
    const sent = (await outbox()).filter((o) => o.guideId === guide.id && o.status === 'sent').length;
    await step(page, 'outbox-resent', async () => {
      await page.getByRole('combobox', { name: /^Status/ }).selectOption({ label: 'Skickat' });
      await page.getByRole('combobox', { name: /^Till\b/ }).selectOption({ label: guide.name });
      await until(
        async () =>
          (await page
            .locator('table caption')
            .innerText()
            .catch(() => '')) === `${sent} mejl`,
      );
      await page.getByRole('row').filter({ hasText: guide.name }).getByText('Skickat').first().waitFor();
    });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

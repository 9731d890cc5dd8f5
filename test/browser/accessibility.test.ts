import type { Browser, Page } from 'playwright-core';
import { seedDemo } from '../../scripts/demo-data';
import { createTestApp, type TestApp } from '../support/app';
import {
  accessibilityViolations,
  DESKTOP,
  launch,
  loginAs,
  newPage,
  screenshotForDocs,
  PHONE,
  serve,
  step,
} from '../support/browser';

jest.setTimeout(120_000);

/**
 * Every page, filled with the demo municipality, checked by axe-core against WCAG 2.1 A and AA
 * at a 360 px phone and a desktop width; and each page is usable at 360 px without sideways
 * scrolling of the page itself (wide tables scroll in their own box).
 */
describe('Accessibility of the web pages (WCAG 2.1 AA, axe-core)', () => {
  let t: TestApp;
  let server: Awaited<ReturnType<typeof serve>>;
  let browser: Browser;
  let municipalityId: string;
  let guideLink: string;
  let pastSession: string;
  let guideId: string;
  let seniorId: string;

  beforeAll(async () => {
    t = await createTestApp('2026-11-24T09:00:00Z');
    municipalityId = (await seedDemo(t.services, { today: '2026-11-24' })).municipalityId;
    // A published week, a guide's link, and (on 2 December) a café that is over, to fill every page.
    const http = t.http();
    await http
      .post(`/api/v1/municipalities/${municipalityId}/plans`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(201);
    await http
      .post(`/api/v1/municipalities/${municipalityId}/plans/publish`)
      .send({ from: '2026-11-30', to: '2026-12-06' })
      .expect(200);
    const week = (await http.get(`/api/v1/municipalities/${municipalityId}/weeks/2026-W49`).expect(200)).body;
    const first = week.sessions.find((s: { guides: unknown[] }) => s.guides.length);
    pastSession = first.id;
    guideLink = (
      await http.post(`/api/v1/guides/${first.guides[0].guideId}/links`).send({ purpose: 'access' }).expect(201)
    ).body.url;
    guideId = first.guides[0].guideId;
    seniorId = (await http.get(`/api/v1/seniors?municipalityId=${municipalityId}&limit=1`).expect(200)).body.items[0]
      .id;
    t.clock.set('2026-12-02T09:00:00Z');
    server = await serve(t);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
  });

  /** The pages, each opened as a person would reach it; `ready` waits for its data. */
  const pages: { name: string; path: () => string; as?: string; ready: (page: Page) => Promise<unknown> }[] = [
    {
      name: 'login',
      path: () => '/logga-in',
      ready: (p) => p.getByRole('heading', { name: 'Logga in i Bryggan' }).waitFor(),
    },
    {
      name: 'week',
      path: () => '/vecka/2026-W49',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.locator('article.session').first().waitFor();
        // This installation has no SMTP_URL: publishing promises no e-mail, it says the mails wait.
        await p.getByText('E-posten är inte inställd än. Mejlen till guiderna väntar tills den är det.').waitFor();
      },
    },
    {
      name: 'term',
      path: () => '/termin',
      as: 'samordnare.demo@example.org',
      ready: (p) => p.locator('tbody tr').first().waitFor(),
    },
    {
      name: 'roster',
      path: () => '/personal',
      as: 'samordnare.demo@example.org',
      ready: (p) => p.locator('tbody tr').first().waitFor(),
    },
    {
      name: 'reports',
      path: () => '/rapporter',
      as: 'kommun.demo@example.org',
      ready: async (p) => {
        await p.getByLabel('Period').fill('2026-11');
        await p.getByRole('button', { name: 'Visa' }).click();
        await p.locator('dl.figures').waitFor();
      },
    },
    {
      name: 'after-cafe-staff',
      path: () => `/efter-cafeet/${pastSession}`,
      as: 'forening.demo@example.org',
      ready: (p) => p.getByRole('group', { name: 'Vilka kom?' }).waitFor(),
    },
    {
      name: 'guide-page',
      path: () => new URL(guideLink).pathname + new URL(guideLink).hash,
      ready: (p) => p.getByRole('heading', { name: /^Hej / }).waitFor(),
    },
    {
      name: 'venues',
      path: () => '/lokaler',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByRole('heading', { name: 'Restid mellan lokalerna' }).waitFor();
        await p.getByRole('button', { name: 'Ny lokal' }).click();
      },
    },
    {
      name: 'cafes',
      path: () => '/kafeer',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.locator('ul.cards-list li').first().waitFor();
        await p.getByRole('button', { name: 'Nytt café' }).click();
        await p.getByRole('button', { name: 'Ny stängning' }).click();
      },
    },
    {
      name: 'cafe-end-preview',
      path: () => '/kafeer',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p
          .getByRole('button', { name: /^Avsluta/ })
          .first()
          .click();
        await p
          .getByRole('heading', { name: /Caféer som/ })
          .first()
          .waitFor();
      },
    },
    {
      name: 'organisations',
      path: () => '/organisationer',
      as: 'admin.demo@example.org',
      ready: async (p) => {
        await p.getByRole('heading', { name: 'Avtal' }).waitFor();
        await p.getByRole('button', { name: 'Nytt avtal' }).click();
      },
    },
    {
      name: 'users',
      path: () => '/anvandare',
      as: 'admin.demo@example.org',
      ready: async (p) => {
        await p.locator('ul.cards-list li').first().waitFor();
        await p.getByRole('button', { name: 'Bjud in' }).first().click();
      },
    },
    {
      name: 'setup',
      path: () => '/kom-igang',
      as: 'admin.demo@example.org',
      // The demo has its municipality, association, contract and coordinator: every step is done.
      ready: (p) => p.getByText('Allt är klart.').waitFor(),
    },
    {
      name: 'account',
      path: () => '/konto',
      as: 'kommun.demo@example.org',
      ready: (p) => p.getByRole('heading', { name: 'Byt lösenord' }).waitFor(),
    },
    {
      name: 'roster-guide',
      path: () => `/personal/guide/${guideId}`,
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByRole('button', { name: 'Ändra tider' }).click();
        await p.getByRole('grid').waitFor();
      },
    },
    {
      name: 'roster-guide-absence',
      path: () => `/personal/guide/${guideId}`,
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByRole('button', { name: 'Kan inte jobba' }).click();
        await p.getByRole('button', { name: 'Visa vilka pass det gäller' }).click();
        await p.getByRole('heading', { name: /kan inte jobba$/ }).waitFor();
      },
    },
    {
      name: 'roster-new-guide',
      path: () => '/personal',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByRole('button', { name: 'Ny guide' }).click();
        await p.getByRole('heading', { name: 'Ny guide' }).waitFor();
      },
    },
    {
      name: 'seniors',
      path: () => '/personal/seniorer',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.locator('tbody tr').first().waitFor();
        await p.getByRole('button', { name: 'Ny senior' }).click();
        await p.getByRole('heading', { name: 'Ny senior' }).waitFor();
      },
    },
    {
      name: 'senior',
      path: () => `/personal/senior/${seniorId}`,
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByRole('heading', { name: 'Anmäld varje gång' }).waitFor();
        await p.getByRole('button', { name: 'Radera seniorn' }).click();
      },
    },
    {
      name: 'import',
      path: () => '/personal/importera',
      as: 'samordnare.demo@example.org',
      ready: async (p) => {
        await p.getByLabel('Fil (CSV eller Excel, högst 5 MB)').setInputFiles({
          name: 'seniorer.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from('Namn;Telefon;Enheter\r\nBritt;070-1;Nokia\r\n'),
        });
        await p.getByRole('table', { name: 'Fel i filen' }).waitFor();
      },
    },
    {
      name: 'guide-page-absence',
      path: () => new URL(guideLink).pathname + new URL(guideLink).hash,
      ready: async (p) => {
        await p.getByRole('button', { name: 'Jag är sjuk eller kan inte jobba' }).click();
        await p.getByLabel('Orsak').waitFor();
      },
    },
    {
      name: 'guide-page-times',
      path: () => new URL(guideLink).pathname + new URL(guideLink).hash,
      ready: async (p) => {
        await p.getByRole('button', { name: 'Ändra mina tider' }).click();
        await p.getByRole('grid').waitFor();
      },
    },
    {
      name: 'forgot-password',
      path: () => '/glomt-losenord',
      ready: (p) => p.getByRole('heading', { name: 'Glömt lösenordet?' }).waitFor(),
    },
  ];

  // The pages' layout follows the width through CSS alone (no script asks for it): each page is
  // opened at 360 px, checked, widened to 1280 px and checked again, the DOM the same, the layout
  // not (two widths, one page load and login: the sweep took twice as long opening each apart).
  for (const spec of pages) {
    it(`${spec.name} at 360 and 1280 px has no WCAG 2.1 AA violations and no sideways scrolling`, async () => {
      const { page, context } = await newPage(browser, t, PHONE);
      await step(page, `a11y-${spec.name}-load`, async () => {
        await page.goto(`${server.url}${spec.path()}`);
        if (spec.as) {
          await loginAs(page, spec.as);
          await page.getByRole('heading', { level: 1 }).waitFor();
        }
        await spec.ready(page);
      });
      for (const viewport of [PHONE, DESKTOP]) {
        await step(page, `a11y-${spec.name}-${viewport.width}`, async () => {
          await page.setViewportSize(viewport);
          // The layout at the new width, before anything is measured.
          await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
          expect(await page.evaluate<number>('window.innerWidth')).toBe(viewport.width);
          expect(await accessibilityViolations(page)).toEqual([]);
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          );
          expect(overflow).toBeLessThanOrEqual(0);
        });
      }
      await screenshotForDocs(page, spec.name);
      await context.close();
    });
  }
});

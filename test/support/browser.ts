import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { webAssetsDir } from '../../src/http/pages/web';
import { appServer } from '../../src/http/server';
import { DEMO_PASSWORD } from '../../scripts/demo-data';
import type { TestApp } from './app';

/** Debian's chromium (`apt-get install chromium`), as CI installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = join(__dirname, '../..');
/** Where a failing step leaves its screenshot (kept by CI, ignored by git). */
export const FAILURE_DIR = join(ROOT, 'test-results/screenshots');

/** The browser app must be built: `npm test` builds it first (pretest); a lone jest run builds it here. */
export function ensureWebBuilt(): void {
  if (existsSync(join(webAssetsDir(), 'main.js'))) return;
  execFileSync('npm', ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium), or set CHROMIUM_PATH`);
  ensureWebBuilt();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The test app on a real port, for the browser. */
export async function serve(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const { server, serve: answer } = appServer();
  answer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 900 };

/** A fresh browser context (no login, no storage) whose clock is the server's fixed clock. */
export async function newPage(
  browser: Browser,
  t: TestApp,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport,
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
    acceptDownloads: true,
  });
  await context.clock.setFixedTime(t.clock.now());
  const page = await context.newPage();
  // "Are you sure?" dialogs (before taking a guide off, say) are answered yes, as the person would.
  page.on('dialog', (d) => void d.accept());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A style or script the content policy refuses is a page error too: it shows as a broken page.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) errors.push(m.text());
  });
  (page as Page & { errors: string[] }).errors = errors;
  return { context, page };
}

/** Logs in on the login form as a demo user (every demo user has the demo password). */
export async function loginAs(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Logga in' }).click();
}

/** The script errors the page has thrown so far: a test expects none. */
export const pageErrors = (page: Page) => (page as Page & { errors?: string[] }).errors ?? [];

/**
 * Runs one step of a browser test; when it fails, the page is saved as a screenshot named after
 * the step before the error goes on, so a red CI run shows what the browser showed.
 */
export async function step<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    mkdirSync(FAILURE_DIR, { recursive: true });
    const file = join(FAILURE_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    const errors = pageErrors(page);
    throw Object.assign(err as Error, {
      message: `${(err as Error).message}\n(screenshot: ${file})${errors.length ? `\n(script errors on the page: ${errors.join(' | ')})` : ''}`,
    });
  }
}

/**
 * With SCREENSHOT_DIR set (`npm run screenshots`), saves the page at phone and desktop width
 * for the README; otherwise does nothing.
 */
export async function screenshotForDocs(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}

/** Waits until a check on the page holds (up to 10 s), for what has no element to wait for. */
export async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the page');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * What axe-core (Deque's accessibility engine) finds against WCAG 2.1 A and AA on the page as
 * it is now: contrast, labels, names, landmarks, headings. Injected through the debugging
 * protocol, so the page's own Content-Security-Policy stays as it is.
 */
export async function accessibilityViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const run = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`;
  return page.evaluate<Violation[]>(run);
}

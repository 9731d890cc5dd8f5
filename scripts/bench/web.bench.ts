/**
 * Issue 8: how fast the web pages are ready in a real browser. The built service on the demo
 * municipality (its first week planned and published), Debian's Chromium through
 * playwright-core, warm loads one after another:
 * - the coordinator's week page, from navigation until every session card is drawn;
 * - a guide's page at phone size, until their sessions are listed.
 * Baseline, in the same browser and run: the page's own data fetched alone (the API call the
 * page makes), so the ratio is what the page itself adds: its script, its rendering, its other
 * requests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { isoWeekOf } from '../../src/domain/time';
import { DEMO_PASSWORD } from '../demo-data';
import { type Bench, type BenchContext, type BenchResult, type BenchRow, median, now, percentile } from './lib';
import { backend, http, ROOT, weekPeriod } from './service';

const LOADS = Number(process.env.BENCH_WEB_LOADS ?? 30);

export const bench: Bench = { name: 'web', run };

/** Median and p95 of `LOADS` runs of `once`, after two warm-up runs. */
async function timed(once: () => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 2; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const t0 = now();
    await once();
    times.push(now() - t0);
  }
  return { p50: median(times), p95: percentile(times, 95) };
}

const fetchInPage = (page: Page, url: string, token?: string) =>
  page.evaluate(
    async ([u, tk]) => {
      const res = await fetch(u, { headers: tk ? { Authorization: `Bearer ${tk}` } : {} });
      await res.json();
    },
    [url, token ?? ''] as const,
  );

async function run(ctx: BenchContext): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-bench-web-'));
  const service = await backend({ SQLITE_PATH: join(dir, 'demo.sqlite') }, 1);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
  try {
    // The week after the demo's first (which can be nearly over when the demo is loaded late in a week): planned and published too.
    const period = weekPeriod(service.isoWeek, 1);
    await http(`${service.base}/api/v1/municipalities/${service.municipality}/plans`, {
      method: 'POST',
      token: service.token,
      body: JSON.stringify({ ...period, timeLimitMs: 1000 }),
    });
    await http(`${service.base}/api/v1/municipalities/${service.municipality}/plans/publish`, {
      method: 'POST',
      token: service.token,
      body: JSON.stringify(period),
    });
    const weekUrl = `${service.base}/api/v1/municipalities/${service.municipality}/weeks/`;
    const rows: BenchRow[] = [];
    ctx.log(`week page: ${LOADS} loads`);
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desk.goto(`${service.base}/logga-in`);
    await desk.getByLabel('E-post').fill('samordnare.demo@example.org');
    await desk.getByLabel('Lösenord').fill(DEMO_PASSWORD);
    await desk.getByRole('button', { name: 'Logga in' }).click();
    await desk.locator('article.session').first().waitFor();
    const token = await desk.evaluate<string>("JSON.parse(sessionStorage.getItem('bryggan.session')).token");
    const week = await http<{ week: string; sessions: unknown[] }>(`${weekUrl}${isoWeekOf(period.from)}`, { token });
    const sessions = week.sessions.length;
    await desk.goto(`${service.base}/vecka/${week.week}`);
    const weekPage = await timed(async () => {
      await desk.reload();
      await desk
        .locator('article.session')
        .nth(sessions - 1)
        .waitFor();
    });
    const weekData = await timed(() => fetchInPage(desk, `${weekUrl}${week.week}`, token));
    rows.push({
      case: `coordinator's week page, ${sessions} cafés drawn (median)`,
      value: weekPage.p50,
      baseline: weekData.p50,
    });
    rows.push({ case: "coordinator's week page (p95)", value: weekPage.p95, baseline: weekData.p95 });

    ctx.log(`guide's page: ${LOADS} loads`);
    const phone = await browser.newPage({ viewport: { width: 360, height: 780 } });
    const guideUrl = `${service.base}/min-sida#${encodeURIComponent(service.guideToken)}`;
    await phone.goto(guideUrl);
    const guidePage = await timed(async () => {
      await phone.reload();
      await phone.locator('article').first().waitFor();
    });
    const guideData = await timed(() => fetchInPage(phone, service.guide[0]));
    rows.push({
      case: "a guide's page at 360 px, sessions listed (median)",
      value: guidePage.p50,
      baseline: guideData.p50,
    });
    rows.push({ case: "a guide's page at 360 px (p95)", value: guidePage.p95, baseline: guideData.p95 });

    const js = readFileSync(join(ROOT, 'dist/public/main.js'));
    const css = readFileSync(join(ROOT, 'dist/public/main.css'));
    return {
      title: 'Web pages: ready in Chromium (warm loads, loopback)',
      baseline:
        "the page's own API call fetched alone from the same browser, in the same run: the ratio is what the page adds (script, drawing, its other requests).",
      rows,
      notes: [
        `${LOADS} loads each after two warm-ups, one after another; the demo municipality, its first week planned and published.`,
        `The app: main.js ${(js.length / 1024).toFixed(0)} KB (${(gzipSync(js).length / 1024).toFixed(0)} KB gzipped), main.css ${(css.length / 1024).toFixed(0)} KB; no other requests but the API's.`,
        'The week page makes three API calls (the week, its plan, the guide list); the guide page one.',
      ],
    };
  } finally {
    await browser.close();
    service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

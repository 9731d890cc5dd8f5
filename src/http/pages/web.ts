import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The built browser app (`npm run build:web` writes dist/public): from src/ in tests and
 * ts-node, from dist/src/ when built.
 */
export function webAssetsDir(): string {
  const candidates = [path.resolve(__dirname, '../../../public'), path.resolve(__dirname, '../../../dist/public')];
  return candidates.find((dir) => existsSync(path.join(dir, 'main.js'))) ?? candidates[1];
}

/** The app's own addresses: each serves the same page, and the script shows what the path names. */
const APP_PATHS = [
  '/',
  '/logga-in',
  '/vecka',
  '/vecka/:week',
  '/termin',
  '/personal',
  '/personal/:part',
  '/personal/:part/:id',
  '/rapporter',
  '/mejl',
  '/efter-cafeet/:id',
  '/ko/:id',
  '/min-sida',
  '/min-sida/rapport/:id',
  '/min-sida/ko/:id',
  '/lokaler',
  '/kafeer',
  '/konto',
  '/kom-igang',
  '/organisationer',
  '/anvandare',
  '/losenord',
  '/glomt-losenord',
];

const shell = (preloads: string[]) => `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Bryggan</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/main.css">
<script type="module" src="/assets/main.js"></script>
${preloads.map((file) => `<link rel="modulepreload" href="/assets/${file}">`).join('\n')}
</head>
<body>
<div id="app"><noscript><p lang="sv">Bryggan behöver JavaScript.</p><p lang="en">Bryggan needs JavaScript.</p></noscript></div>
</body>
</html>
`;

/** The web pages: one HTML shell for the app's paths, and its script and styles (no CDN, built at install). */
export function webPages(dir = webAssetsDir()): Router {
  const router = Router();
  // Revalidated on each load (ETag), so a new build is picked up at once.
  router.use('/assets', express.static(dir, { index: false, maxAge: 0 }));
  router.get(APP_PATHS, (_req, res) => {
    res.set('Cache-Control', 'no-cache');
    res.type('html').send(shellFor(dir));
  });
  return router;
}

/**
 * The shell names the chunks main.js imports at once, so the browser fetches them beside it
 * instead of after it. Read again when a new build replaces main.js.
 */
let cached: { mtimeMs: number; html: string } | undefined;
function shellFor(dir: string): string {
  const main = path.join(dir, 'main.js');
  const mtimeMs = existsSync(main) ? statSync(main).mtimeMs : 0;
  if (cached?.mtimeMs !== mtimeMs) {
    const head = mtimeMs ? readFileSync(main, 'utf8').slice(0, 4000) : '';
    const imports = [...head.matchAll(/from\s*"\.\/(chunks\/[\w-]+\.js)"/g)].map((m) => m[1]);
    cached = { mtimeMs, html: shell([...new Set(imports)]) };
  }
  return cached.html;
}

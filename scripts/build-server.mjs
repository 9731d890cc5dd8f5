// `npm run build`, after tsc: the service's start becomes one file with all the code it loads at
// start (ours, typeorm, zod, express, pino …), dist/src/server.js, and a V8 code cache for it, so
// Node neither resolves and reads about 800 files nor parses and compiles them again at every
// start: the first 200 on /health comes sooner. dist/src/main.js (scripts/server-main.js) starts
// it. tsc's other files stay as they are: the scripts (migrate, seed, backup, the benches) and the
// planner's worker thread use them. Tests and `npm run dev` run the TypeScript sources.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { clearTimeout, setTimeout } from 'node:timers';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist/src');
/** The start itself (tsc's output of src/main.ts before this script runs), and the bundle made from it. */
const main = join(dist, 'main.js');
const bundle = join(dist, 'server.js');
const starter = join(root, 'scripts/server-main.js');

/**
 * Packages left in node_modules, loaded by the code as it runs: native drivers (typeorm asks for
 * them by name), packages with worker or data files of their own beside them, and those Bryggan
 * loads only at first use (the holidays, password dictionaries, mail, Excel, HiGHS).
 */
const EXTERNAL = [
  'better-sqlite3',
  'pg',
  'pg-native',
  'pg-query-stream',
  'piscina',
  'highs',
  'date-holidays',
  '@zxcvbn-ts/*',
  'nodemailer',
  'read-excel-file',
  'write-excel-file',
];

/** The databases Bryggan runs on (src/db/data-source.ts); typeorm's other drivers are left out. */
const DRIVERS = new Set(['better-sqlite3', 'postgres']);

/**
 * Each module keeps its own __dirname and __filename: where its file lies in dist/ or
 * node_modules, not where the bundle lies. So the planner finds its worker beside it
 * (dist/src/lib/planner.worker.js), the web pages' folder is found from dist/src/http/pages, and
 * packages find the files they read beside them (ical-timezones' zones, pino's and node-cron's
 * workers). The paths are relative to the bundle, so a built installation may move.
 */
const ownPaths = {
  name: 'own-paths',
  setup(b) {
    b.onLoad({ filter: /\.(c|m)?js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!/\b__(dirname|filename)\b/.test(contents)) return undefined;
      const dir = JSON.stringify(relative(dist, dirname(args.path)));
      const file = JSON.stringify(relative(dist, args.path));
      return {
        // On the first line, so the lines of tsc's source maps still match.
        contents: `var __dirname = require("node:path").join(__bundleDir, ${dir}), __filename = require("node:path").join(__bundleDir, ${file});${contents}`,
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/**
 * typeorm's DriverFactory requires every driver it knows (MySQL, Oracle, SAP, Spanner, MongoDB …),
 * a megabyte of code run at every start. Those Bryggan cannot use become a class that says so.
 */
const onlyOurDrivers = {
  name: 'only-our-drivers',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\/\w+Driver$/ }, (args) => {
      if (!args.importer.endsWith(join('typeorm', 'driver', 'DriverFactory.js'))) return undefined;
      const [, dir, name] = args.path.split('/');
      return DRIVERS.has(dir) ? undefined : { path: name, namespace: 'unused-driver' };
    });
    b.onLoad({ filter: /.*/, namespace: 'unused-driver' }, (args) => ({
      contents: `exports.${args.path} = class ${args.path} { constructor() { throw new Error('Bryggan runs on better-sqlite3 or postgres, not with ${args.path}.'); } };`,
      loader: 'js',
    }));
  },
};

/** dist/src/main.js → dist/src/server.js (and its source map, to the TypeScript through tsc's maps). */
async function bundleServer() {
  if (readFileSync(main, 'utf8') === readFileSync(starter, 'utf8'))
    throw new Error('dist/src/main.js is the starter already: run `npm run build`, which compiles it first.');
  // V8 checks a cache against its script's length only: the old one goes before a new bundle is written.
  rmSync(`${bundle}.cache`, { force: true });
  await build({
    // Entered through a require, so each module keeps its own strictness: a "use strict" on the
    // entry itself would make every package's code strict.
    stdin: { contents: `require("./${basename(main)}");`, resolveDir: dist, sourcefile: 'start.js' },
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    // Not minified: each module keeps its lines under a comment naming its file, and names are
    // kept (typeorm and the logs use class names). A 500's stack in the log is mapped back to the
    // TypeScript through the source map (src/lib/stack.ts).
    // Plain ASCII (å, ä, ö escaped): V8 keeps the source as one byte per character.
    charset: 'ascii',
    legalComments: 'none',
    sourcemap: true,
    sourcesContent: false,
    banner: { js: 'var __bundleDir = __dirname;' },
    plugins: [ownPaths, onlyOurDrivers],
    logLevel: 'warning',
  });
  asciiOnly(bundle);
  copyFileSync(starter, main);
  rmSync(`${main}.map`, { force: true });
}

/**
 * The starter reads the bundle as latin1, which is the same text only while it is plain ASCII.
 * esbuild escapes every string, template and name (charset: 'ascii') but leaves regular expression
 * literals as they are (an en dash in a pattern): there, \uXXXX matches the same character, with
 * the u flag or without. A character after a backslash would change meaning, so the build stops.
 * The few columns added on such a line are not in the source map.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const escaped = text.replace(/[\u0080-\uffff]/g, (c, at) => {
    if (text[at - 1] === '\\') throw new Error(`${relative(root, file)}: an escaped non-ASCII character at ${at}.`);
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (escaped !== text) writeFileSync(file, escaped);
}

/**
 * Starts the built service once on an empty sqlite file of its own, and after its first 200 on
 * /health has it write the code cache of everything compiled so far. Nothing else of the machine
 * is used: a clean environment, a free port on 127.0.0.1, a folder in the temp folder. Without a
 * cache the service starts as well, only slower, so a failure here is a warning.
 */
async function writeCodeCache() {
  const cache = `${bundle}.cache`;
  rmSync(cache, { force: true });
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-build-'));
  const child = spawn(process.execPath, [main], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      // V8 turns a cache down at a start with other flags: build with the NODE_OPTIONS the service runs with.
      ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}),
      TZ: 'UTC',
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SQLITE_PATH: join(dir, 'build.sqlite'),
      BRYGGAN_WRITE_CODE_CACHE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no start within 60 s')), 60_000);
      const read = (chunk) => {
        out += chunk;
        const m = out.match(/Bryggan listens on (http:\/\/\S+?)"/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void exited.then(() => reject(new Error(`it stopped: ${out.slice(-500)}`)));
    });
    for (let tries = 0; ; tries++) {
      const res = await globalThis.fetch(`${url}/health`).catch(() => null);
      if (res?.status === 200) break;
      if (tries > 600) throw new Error('no 200 on /health within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGUSR2');
    await exited;
    if (!existsSync(cache)) throw new Error(`no cache written: ${out.slice(-500)}`);
  } catch (err) {
    child.kill('SIGKILL');
    process.stderr.write(
      `Warning: no code cache for dist/src/server.js (the service starts without it, only slower): ${err.message}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await bundleServer().catch((err) => {
  // esbuild has printed its own errors; ours are one line.
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
if (process.env.BRYGGAN_CODE_CACHE !== 'off') await writeCodeCache();

/* global __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS: Node runs this file as dist/src/main.js */
'use strict';
// dist/src/main.js, as `npm run build` writes it (scripts/build-server.mjs): starts the service
// from its bundle, dist/src/server.js, with the V8 code cache the build made for it, so the
// service's code is neither parsed nor compiled again at each start. A cache made by another
// Node version (or with other V8 flags) is turned down by V8, and the code is compiled as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const filename = join(__dirname, 'server.js');

if (process.sourceMapsEnabled) {
  // node --enable-source-maps: stack traces through dist/src/server.js.map to the TypeScript, which
  // Node gives only to files it loads itself; so without the cache.
  require(filename);
} else {
  startWithCodeCache();
}

function startWithCodeCache() {
  const cacheFile = `${filename}.cache`;
  const writing = process.env.BRYGGAN_WRITE_CODE_CACHE === '1';
  let cachedData;
  try {
    if (!writing) cachedData = readFileSync(cacheFile);
  } catch {
    // No cache (a build without one): compiled as usual.
  }
  // The build keeps the bundle plain ASCII, so it is read as latin1: the same text, without UTF-8 decoding.
  const source = readFileSync(filename, 'latin1');
  // The function around a CommonJS module, as Node's own loader puts it.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n});`, {
    filename,
    cachedData,
    // The bundle's own import() calls (none at start) load as they would in a file of its own.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  // A line like the service's own log lines (pino's info or warn), before the service has a logger.
  const level = process.env.LOG_LEVEL ?? 'info';
  if (cachedData && script.cachedDataRejected && !['error', 'fatal', 'silent'].includes(level)) {
    const msg =
      'V8 turned down the code cache of dist/src/server.js (another Node version, or other flags): the start is slower until `npm run build` runs again';
    process.stdout.write(`${JSON.stringify({ level: 40, time: Date.now(), msg })}\n`);
  } else if (cachedData && ['info', 'debug', 'trace'].includes(level)) {
    const msg = 'started from the code cache of dist/src/server.js';
    process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg })}\n`);
  }
  if (writing) {
    // The build starts the service once and, after its first 200 on /health, asks for the cache:
    // it then holds every function compiled during the start.
    process.once('SIGUSR2', () => {
      writeFileSync(cacheFile, script.createCachedData());
      process.exit(0);
    });
  }
  const server = new Module(filename, module);
  server.filename = filename;
  script
    .runInThisContext()
    .call(server.exports, server.exports, Module.createRequire(filename), server, filename, __dirname);
}

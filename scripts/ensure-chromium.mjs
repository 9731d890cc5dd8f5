// The browser tests need Chromium. `npm test` runs this first: with Chromium there, nothing
// happens; without it, Debian's package is installed when we may (root and apt-get), and
// otherwise the tests stop at once with the one command to run. They never skip quietly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(chromium)) process.exit(0);
const say = (line) => process.stderr.write(`${line}\n`);
if (process.env.CHROMIUM_PATH) {
  say(`No Chromium at CHROMIUM_PATH=${chromium}: point it at a Chromium, or unset it to use Debian's.`);
  process.exit(1);
}
const root = process.getuid?.() === 0;
if (root && existsSync('/usr/bin/apt-get')) {
  say("The browser tests need Chromium: installing Debian's package (apt-get install chromium)…");
  const apt = (...args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt('update', '-qq').status === 0 && apt('install', '-y', '-qq', 'chromium').status === 0 && existsSync(chromium))
    process.exit(0);
  say('Installing Chromium failed: see above.');
  process.exit(1);
}
say('The browser tests need Chromium. Install it once, then run the tests again:');
say('  sudo apt-get install chromium');
process.exit(1);

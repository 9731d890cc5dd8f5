// `npm start` builds first only when something the build reads is newer than what it made, so a
// start with a bad setting says so in about a second, not after a 30-second build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';

// (import.meta.dirname is Node 20.11 and later; this works on every Node 20.)
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['dist/src/main.js', 'dist/src/server.js', 'dist/public/main.js'].map((p) => join(root, p));
const inputs = [
  'src',
  'scripts',
  'ormconfig.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];

/** The newest modification time under a path (files and folders alike). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((most, name) => Math.max(most, newest(join(path, name))), stat.mtimeMs);
}

const built = outputs.every(existsSync) ? Math.min(...outputs.map((p) => statSync(p).mtimeMs)) : 0;
const changed = Math.max(...inputs.map((p) => newest(join(root, p))));
if (built >= changed) process.exit(0);
process.stderr.write(
  built ? 'The code changed since the last build: building (about 30 s)…\n' : 'Building (about 30 s)…\n',
);
const run = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);

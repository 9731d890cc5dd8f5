import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

/** A real service process (`src/main.ts`), as instances and operations tests start it. */
export interface Instance {
  url: string;
  process: ChildProcess;
  stopped: Promise<number | null>;
}

/** Starts `src/main.ts` with this environment and waits until it listens. `as`: another user's uid and gid. */
export function startInstance(
  env: Record<string, string>,
  as: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Promise<Instance> {
  const child = launch(env, as);
  const stopped = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`instance did not start: ${out.slice(-2000)}`)), 60_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/Bryggan listens on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], process: child, stopped });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', () => reject(new Error(`instance exited: ${out.slice(-2000)}`)));
  });
}

/** A start that is meant to stop: its exit code and all it wrote. */
export function runUntilExit(
  env: Record<string, string>,
  as: Pick<SpawnOptions, 'uid' | 'gid'> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  const child = launch(env, as);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

function launch(env: Record<string, string>, as: Pick<SpawnOptions, 'uid' | 'gid'>): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../../src/main.ts')], {
    env: {
      ...process.env,
      TZ: 'UTC',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
}

export async function waitFor(check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

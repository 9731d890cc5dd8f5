import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readableStack } from '../../src/lib/stack';

/**
 * The built service runs one bundle, dist/src/server.js, without `--enable-source-maps` (so
 * V8's code cache is used); a 500's stack in the log still names the TypeScript file and line.
 */
describe('readableStack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bryggan-stack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps frames of the bundle to the TypeScript sources, through the map beside it', async () => {
    mkdirSync(join(dir, 'src/services'), { recursive: true });
    writeFileSync(
      join(dir, 'src/services/thrower.ts'),
      ['// line 1', 'export function fail(n: number): never {', '  throw new Error(`failed ${n}`);', '}', ''].join(
        '\n',
      ),
    );
    writeFileSync(
      join(dir, 'src/main.ts'),
      "import { fail } from './services/thrower';\nexport const run = () => fail(1);\n",
    );
    const outfile = join(dir, 'dist/src/server.js');
    await build({
      entryPoints: [join(dir, 'src/main.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      sourcemap: true,
      minifyWhitespace: true,
      logLevel: 'silent',
    });
    // In a process of its own: jest maps the stacks it sees itself.
    const stack = execFileSync(process.execPath, [
      '-e',
      'try { require(process.argv[1]).run() } catch (err) { process.stdout.write(err.stack) }',
      outfile,
    ]).toString();
    expect(stack).toMatch(/server\.js:\d+:\d+/);
    const readable = readableStack(stack)!;
    expect(readable).toContain('src/services/thrower.ts:3:');
    expect(readable).toContain('src/main.ts:2:');
    // Each mapped frame keeps the bundle's place beside it.
    expect(readable).toMatch(/thrower\.ts:3:\d+ \[[^\]]*server\.js:\d+:\d+\]/);
    expect(readable.split('\n')[0]).toBe('Error: failed 1');
  });

  it('leaves a frame on a line with no mapping of its own as it was', () => {
    const dir2 = mkdtempSync(join(tmpdir(), 'bryggan-stack-'));
    try {
      const bundle = join(dir2, 'server.js');
      // One mapping, on the bundle's first line: a frame on its third line has none of its own.
      writeFileSync(bundle, 'a;\nb;\nc;\n');
      writeFileSync(
        `${bundle}.map`,
        JSON.stringify({ version: 3, sources: ['src/a.ts'], names: [], mappings: 'AAAA' }),
      );
      const stack = `Error: x\n    at f (${bundle}:3:1)`;
      expect(readableStack(stack)).toBe(stack);
      expect(readableStack(`Error: x\n    at f (${bundle}:1:1)`)).toContain('src/a.ts:1:1');
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('leaves a stack with no bundle in it as it was', () => {
    const stack = 'Error: x\n    at f (/app/dist/src/services/a.js:1:2)';
    expect(readableStack(stack)).toBe(stack);
    expect(readableStack(undefined)).toBeUndefined();
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';

/** Frames in a bundle that has a source map beside it: `at f (/…/dist/src/server.js:120:4501)`. */
const BUNDLED = /([^\s()]+\.js):(\d+):(\d+)/g;

const maps = new Map<string, SourceMap | null>();

function mapFor(file: string): SourceMap | null {
  if (!maps.has(file)) {
    let map: SourceMap | null = null;
    try {
      if (existsSync(`${file}.map`))
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as SourceMapPayload);
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return maps.get(file)!;
}

/**
 * A stack trace that names the TypeScript file and line, also from the built bundle
 * (dist/src/server.js), which runs without `--enable-source-maps` so that V8's code cache is
 * used. The map is read at the first error only. A frame with no map, or none for its place,
 * is left as it was.
 */
export function readableStack(stack: string | undefined): string | undefined {
  if (!stack || !stack.includes('server.js:')) return stack;
  return stack.replace(BUNDLED, (frame: string, file: string, line: string, column: string) => {
    if (!file.endsWith('server.js')) return frame;
    const entry = mapFor(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry) || !entry.originalSource) return frame;
    const source = entry.originalSource.replace(/^.*?\/(src|scripts|node_modules)\//, '$1/');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

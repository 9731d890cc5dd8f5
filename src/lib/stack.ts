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
 * used; each mapped frame keeps the bundle's place after it. The map is read at the first error
 * only (about 3 MB: a few hundred ms once, on a busy machine). A frame with no map, or none on
 * its line, is left as it was.
 */
export function readableStack(stack: string | undefined): string | undefined {
  if (!stack || !stack.includes('server.js:')) return stack;
  return stack.replace(BUNDLED, (frame: string, file: string, line: string, column: string) => {
    if (!file.endsWith('server.js')) return frame;
    const entry = mapFor(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    // findEntry gives the nearest mapping before the place, even on an earlier line (the
    // bundle's own glue has none): only one on the frame's own line names its source.
    if (!entry || !('originalSource' in entry) || !entry.originalSource || entry.generatedLine !== Number(line) - 1)
      return frame;
    const source = entry.originalSource.replace(/^.*?\/(src|scripts|node_modules)\//, '$1/');
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1} [${frame}]`;
  });
}

import type { EngineResult } from '../domain/matching';

/** The engine's lists, long for a county, packed for their way back from the worker. */
const PACKED = ['assignments', 'shortfalls', 'uncovered'] as const;
/** Items of a list in one packed slice: each is parsed with others let in between. */
const PACKED_ITEMS = 500;

/**
 * An answer as it comes back from a worker: its lists as JSON text in slices. Text crosses
 * between threads as one copy, where a county's 9,000 assignments as objects took 40–60 ms to
 * rebuild on the main thread in one piece, holding every request; the slices are parsed there
 * one at a time, with others let in between (`unpackResult`).
 */
export type PackedResult = Omit<EngineResult, (typeof PACKED)[number]> & {
  packed: Record<(typeof PACKED)[number], string[]>;
};

/** In the worker: the engine's answer with its lists as JSON text in slices. */
export function packResult(result: EngineResult): PackedResult {
  const { assignments, shortfalls, uncovered, ...rest } = result;
  const slices = (list: readonly unknown[]) => {
    const out: string[] = [];
    for (let i = 0; i < list.length; i += PACKED_ITEMS) out.push(JSON.stringify(list.slice(i, i + PACKED_ITEMS)));
    return out;
  };
  return {
    ...rest,
    packed: { assignments: slices(assignments), shortfalls: slices(shortfalls), uncovered: slices(uncovered) },
  };
}

/** On the main thread: the engine's answer again, a slice at a time with others let in between. */
export async function unpackResult({ packed, ...rest }: PackedResult): Promise<EngineResult> {
  const lists = {} as Pick<EngineResult, (typeof PACKED)[number]>;
  for (const key of PACKED) {
    const list: unknown[] = [];
    for (const slice of packed[key]) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const item of JSON.parse(slice) as unknown[]) list.push(item);
    }
    (lists as Record<string, unknown[]>)[key] = list;
  }
  return { ...rest, ...lists };
}

import type { EngineInput, EngineResult } from '../domain/matching';

/** Items of a list in one packed slice: each is written or parsed with others let in between. */
const PACKED_ITEMS = 500;

/**
 * A value as it crosses between threads: its long lists as JSON text in slices, the rest as it
 * is. Text crosses as one copy, where a county's lists as objects took 40–90 ms to copy or
 * rebuild on the main thread in one piece, holding every request; on the main thread the slices
 * are written and parsed one at a time, with others let in between (`packLists`, `unpackLists`).
 * Only for plain data (strings, finite numbers, booleans, arrays and records of them).
 */
export type Packed<T, K extends keyof T> = Omit<T, K> & { packed: Record<K, string[]> };

/** The engine's lists, long for a county, packed for their way to the worker. */
const INPUT_LISTS = ['sessions', 'guides', 'fixed', 'previous'] as const;
/** The engine's lists packed for their way back from the worker. */
const RESULT_LISTS = ['assignments', 'shortfalls', 'uncovered'] as const;

export type PackedInput = Packed<Omit<EngineInput, 'now'>, (typeof INPUT_LISTS)[number]>;
export type PackedResult = Packed<EngineResult, (typeof RESULT_LISTS)[number]>;

/** Lets other requests in (on the main thread); nothing in a worker. */
type Between = () => Promise<void> | void;
const letOthersIn: Between = () => new Promise((resolve) => setImmediate(resolve));
const straightOn: Between = () => undefined;

async function packLists<T, K extends keyof T>(value: T, keys: readonly K[], between: Between): Promise<Packed<T, K>> {
  const rest = { ...value };
  const packed = {} as Record<K, string[]>;
  for (const key of keys) {
    const list = (value[key] ?? []) as unknown[];
    const slices: string[] = [];
    for (let i = 0; i < list.length; i += PACKED_ITEMS) {
      await between();
      slices.push(JSON.stringify(list.slice(i, i + PACKED_ITEMS)));
    }
    packed[key] = slices;
    delete rest[key];
  }
  return { ...(rest as Omit<T, K>), packed };
}

async function unpackLists<T, K extends keyof T>(
  { packed, ...rest }: Packed<T, K>,
  keys: readonly K[],
  between: Between,
): Promise<T> {
  const lists = {} as Record<K, unknown[]>;
  for (const key of keys) {
    const list: unknown[] = [];
    for (const slice of packed[key]) {
      await between();
      for (const item of JSON.parse(slice) as unknown[]) list.push(item);
    }
    lists[key] = list;
  }
  return { ...rest, ...lists } as T;
}

/** On the main thread: the engine's input for the worker, written a slice at a time with others let in between. */
export const packInput = (input: Omit<EngineInput, 'now'>): Promise<PackedInput> =>
  packLists(input, INPUT_LISTS, letOthersIn);

/** In the worker: the engine's input again. */
export const unpackInput = (packed: PackedInput): Promise<Omit<EngineInput, 'now'>> =>
  unpackLists(packed, INPUT_LISTS, straightOn);

/** In the worker: the engine's answer with its lists as JSON text in slices. */
export const packResult = (result: EngineResult): Promise<PackedResult> => packLists(result, RESULT_LISTS, straightOn);

/** On the main thread: the engine's answer again, a slice at a time with others let in between. */
export const unpackResult = (packed: PackedResult): Promise<EngineResult> =>
  unpackLists(packed, RESULT_LISTS, letOthersIn);

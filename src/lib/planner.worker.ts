import { plan } from '../domain/matching';
import { type PackedResult, packResult, unpackInput } from './packed';
import type { PlannerTask } from './planner';

/**
 * The matching engine in a worker thread of the planner's pool (src/lib/planner.ts): the pure
 * engine, unchanged. Its input and answer are plain data, copied between the threads (their
 * long lists as JSON text in slices, `packed.ts`). It first
 * says it has begun, so the pool's stuck timer counts from here, not from the time in the queue.
 */
export default async function planInWorker({ input, started }: PlannerTask): Promise<PackedResult> {
  started.postMessage('begun');
  return packResult(plan(await unpackInput(input)));
}

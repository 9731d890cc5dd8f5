import { plan } from '../domain/matching';
import { type PackedResult, packResult } from './packed';
import type { PlannerTask } from './planner';

/**
 * The matching engine in a worker thread of the planner's pool (src/lib/planner.ts): the pure
 * engine, unchanged. Its input and answer are plain data, copied between the threads (the answer's
 * long lists as JSON text in slices, `packResult`). It first
 * says it has begun, so the pool's stuck timer counts from here, not from the time in the queue.
 */
export default function planInWorker({ input, started }: PlannerTask): PackedResult {
  started.postMessage('begun');
  return packResult(plan(input));
}

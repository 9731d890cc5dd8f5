import { type EngineResult, plan } from '../domain/matching';
import type { PlannerTask } from './planner';

/**
 * The matching engine in a worker thread of the planner's pool (src/lib/planner.ts): the pure
 * engine, unchanged. Its input and answer are plain data, copied between the threads. It first
 * says it has begun, so the pool's stuck timer counts from here, not from the time in the queue.
 */
export default function planInWorker({ input, started }: PlannerTask): EngineResult {
  started.postMessage('begun');
  return plan(input);
}

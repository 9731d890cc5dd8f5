import { type EngineInput, type EngineResult, plan } from '../domain/matching';

/**
 * The matching engine in a worker thread of the planner's pool (src/lib/planner.ts): the pure
 * engine, unchanged. Its input and answer are plain data, copied between the threads.
 */
export default function planInWorker(input: EngineInput): EngineResult {
  return plan(input);
}

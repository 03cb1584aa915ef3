// Node-only: whether this runtime's worker_threads has what the parallel writer calls on the main
// thread. Node has all of it; runtimes that re-implement the module (Bun, Deno) may lack parts, and a
// missing method would only show once workers were started. Checked up front instead, so that
// nJobs > 1 falls back to one job with a warning. (A worker's own parentPort cannot be checked from
// here: Deno's is not an instance of the MessagePort class its module exports.)
import { Worker } from 'node:worker_threads';

/** What {@link workerThreadsGap} looks at: the Worker class of worker_threads. */
export interface WorkerThreadsApi {
  Worker: unknown;
}

/** Methods the main thread calls on a Worker (parallel-write.ts). */
const WORKER_METHODS = ['postMessage', 'terminate', 'on'] as const;

/**
 * Why this runtime's worker_threads cannot run the parallel writer (e.g. "no Worker.terminate"), or
 * null when its Worker has everything the writer calls.
 */
export function workerThreadsGap(api: WorkerThreadsApi = { Worker }): string | null {
  if (typeof api.Worker !== 'function') return "this runtime's worker_threads is incomplete (no Worker class)";
  const proto = (api.Worker as { prototype?: Record<string, unknown> }).prototype;
  const missing = WORKER_METHODS.filter((m) => typeof proto?.[m] !== 'function');
  return missing.length === 0 ? null : `this runtime's worker_threads is incomplete (no ${missing.map((m) => `Worker.${m}`).join(', ')})`;
}

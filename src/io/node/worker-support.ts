// Node-only: whether this runtime's worker_threads has what the parallel writer uses. Node has all of
// it; runtimes that re-implement the module (Bun, Deno) may lack parts, and a missing method would
// only show once workers were started. Checked up front instead, so that nJobs > 1 falls back to one
// job with a warning.
import { MessagePort, Worker } from 'node:worker_threads';

/** What {@link workerThreadsGap} looks at: the two classes of worker_threads the writer uses. */
export interface WorkerThreadsApi {
  Worker: unknown;
  MessagePort: unknown;
}

/** Methods the main thread calls on a Worker (parallel-write.ts). */
const WORKER_METHODS = ['postMessage', 'terminate', 'on'] as const;
/** Methods a worker calls on its parentPort (parallel-worker.ts); `close` is optional there. */
const PORT_METHODS = ['postMessage', 'on', 'off'] as const;

function missingMethod(cls: unknown, className: string, methods: readonly string[]): string | null {
  if (typeof cls !== 'function') return `no ${className} class`;
  const proto = (cls as { prototype?: Record<string, unknown> }).prototype;
  const missing = methods.filter((m) => typeof proto?.[m] !== 'function');
  return missing.length === 0 ? null : `no ${missing.map((m) => `${className}.${m}`).join(', ')}`;
}

/**
 * Why this runtime's worker_threads cannot run the parallel writer (e.g. "no Worker.terminate"), or
 * null when it has everything the writer and its workers call.
 */
export function workerThreadsGap(api: WorkerThreadsApi = { Worker, MessagePort }): string | null {
  const gap = missingMethod(api.Worker, 'Worker', WORKER_METHODS) ?? missingMethod(api.MessagePort, 'MessagePort', PORT_METHODS);
  return gap === null ? null : `this runtime's worker_threads is incomplete (${gap})`;
}

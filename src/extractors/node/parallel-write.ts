// Node-only: the parallel writer (writeBinaryRecording with nJobs > 1). Reached only through
// `#parallel-writer` under the "node" condition (parallel-writer.node.ts), never in a browser bundle.
//
// As SpikeInterface's process pool: every worker thread rebuilds the recording from its dict with its
// own kernel and writes whole chunks. Here they write straight into the final files' temporary twins,
// each chunk at its own offset (files are sized up front, the header zeros come from that), and the
// main thread renames them into place once every chunk is written. Chunks are those of one job, so the
// bytes are the same whatever the number of workers. Each worker takes a run of consecutive chunks
// (and, once done, half of the longest run left): handing chunks out in turn makes the workers
// interleave their reads and writes in the same files, which measured much slower here than runs.
import { abortedError } from '../../abort.js';
import { existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { itemSize } from '../../dtype.js';
import { ErrorCodes, SpikewireError, describe, type SpikewireErrorCode } from '../../errors.js';
import type { BaseRecording } from '../../core/recording.js';
import type { ExtractorDict } from '../../core/serialize.js';
import type { ParallelWriteOptions, ParallelWritePlan, ParallelWriter } from '../write-binary.js';
import { NodeFileSource, fsError } from '../../store/node/file-source.js';
import { exists, tempPathBeside } from '../../store/node/platform.js';
import { workerThreadsGap } from './worker-support.js';

const JOB_NAME = 'write_binary_recording';
/** Chunks a worker is given ahead, so that it never waits for the main thread between two chunks. */
const AHEAD = 2;
/** How long a stopped worker may take to close its files before it is terminated. */
const STOP_GRACE_MS = 5000;

/** The worker module, beside the bundle this code runs from (dist/parallel-worker.mjs or .cjs). */
export const parallelWorkerUrl: URL = new URL(`./parallel-worker.${import.meta.url.endsWith('.cjs') ? 'cjs' : 'mjs'}`, import.meta.url);

/** What a worker gets in `workerData`. */
export interface ParallelWorkerData {
  dict: ExtractorDict;
  /** The temporary file of each segment (already sized). */
  files: string[];
  byteOffset: number;
  numChannels: number;
  srcDtype: ParallelWritePlan['srcDtype'];
  dstDtype: ParallelWritePlan['dstDtype'];
  segmentFrames: number[];
  chunkSize: number;
}

/**
 * Messages to a worker: a chunk to write; 'finish' after its last chunk (it closes its files and
 * exits); 'stop' to give up the chunks it was given (it exits after the one in hand).
 */
export type ToWorker = { type: 'chunk'; segmentIndex: number; startFrame: number } | { type: 'finish' } | { type: 'stop' };
/** Messages from a worker: a chunk written, or the error that stopped it (then it exits). */
export type FromWorker = { type: 'done' } | { type: 'error'; error: { code?: unknown; message: string; stack?: string } };

/** Why `recording` cannot be rebuilt in a worker from its dict (the same samples), or null. */
function travelProblem(recording: BaseRecording): string | null {
  return recording.workerProblem((source) => source instanceof NodeFileSource);
}

/** A worker's error as a SpikewireError: its own code when it had one, else `IO`. */
function workerError(error: { code?: unknown; message: string; stack?: string }): SpikewireError {
  const code: SpikewireErrorCode = typeof error.code === 'string' && error.code in ErrorCodes ? (error.code as SpikewireErrorCode) : 'IO';
  const message = code === 'IO' && !(typeof error.code === 'string' && error.code in ErrorCodes)
    ? `a ${JOB_NAME} worker failed: ${error.message}`
    : error.message;
  const e = new SpikewireError(code, message);
  if (error.stack) e.stack = `${e.name}: ${message}\n    (in a ${JOB_NAME} worker thread)\n${error.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

/** One worker thread and what it has been given. */
interface Job {
  worker: Worker;
  /** Chunks sent and not yet written. */
  pending: number;
  /** Its share of the chunks still to send: tasks[next, end). */
  next: number;
  end: number;
  /** Resolves when the thread has exited. */
  exited: Promise<void>;
  exitedNow: boolean;
  finished: boolean;
}

/**
 * Writes every chunk of `plan` on worker threads into temporary files beside `plan.paths`, then
 * renames them into place. On error or abort: workers stopped, temporary files removed, the error
 * thrown (a worker's own error as a SpikewireError with its code).
 */
async function writeChunksInParallel(dict: ExtractorDict, plan: ParallelWritePlan, opts: ParallelWriteOptions): Promise<string[]> {
  const { signal } = opts;
  const absolute = plan.paths.map((p, i) => {
    if (typeof p !== 'string' || p === '') throw new SpikewireError('INVALID_ARGUMENT', `the target file path of segment ${i} must be a non-empty string, got ${describe(p)}`);
    return resolve(p);
  });
  const frameBytes = plan.numChannels * itemSize(plan.dstDtype);
  const temps: string[] = [];
  const removeTemps = () => Promise.all(temps.filter((t) => t !== '').map((t) => rm(t, { force: true }).catch(() => {})));

  // Every file first, sized (a bad path fails before any worker starts), as one job opens its sinks.
  try {
    for (let i = 0; i < absolute.length; i++) {
      if (!plan.overwrite && (await exists(absolute[i]))) {
        throw new SpikewireError('INVALID_ARGUMENT', `${describe(absolute[i])} already exists: pass overwrite: true to replace it`);
      }
      const temp = tempPathBeside(absolute[i]);
      let fh;
      try {
        fh = await open(temp, 'wx');
      } catch (e) {
        throw fsError(e, 'cannot create a file in the folder of', absolute[i]);
      }
      temps.push(temp);
      try {
        await fh.truncate(plan.byteOffset + plan.segmentFrames[i] * frameBytes);
      } catch (e) {
        throw fsError(e, 'cannot size', absolute[i]);
      } finally {
        await fh.close().catch(() => {});
      }
      if (signal?.aborted) throw abortError(signal);
    }
  } catch (e) {
    await removeTemps();
    throw e;
  }

  // The chunks, in the order one job writes them; worker w starts with the w-th run of them.
  const tasks: ToWorker[] = [];
  plan.segmentFrames.forEach((n, segmentIndex) => {
    for (let startFrame = 0; startFrame < n; startFrame += plan.chunkSize) tasks.push({ type: 'chunk', segmentIndex, startFrame });
  });
  const data: ParallelWorkerData = {
    dict,
    files: temps,
    byteOffset: plan.byteOffset,
    numChannels: plan.numChannels,
    srcDtype: plan.srcDtype,
    dstDtype: plan.dstDtype,
    segmentFrames: plan.segmentFrames,
    chunkSize: plan.chunkSize,
  };

  const jobs: Job[] = [];
  let written = 0;
  let failure: unknown = null;
  let settle!: (error: unknown) => void;
  const allWritten = new Promise<void>((ok, fail) => {
    settle = (error) => (error === null ? ok() : fail(error));
  });
  allWritten.catch(() => {}); // awaited below; never an unhandled rejection
  const fail = (error: unknown) => {
    if (failure !== null) return;
    failure = error;
    settle(error);
  };
  /**
   * The next chunk for `job`: the next of its own run of chunks; once that is done, the second half
   * of the longest run left (so that every worker reads and writes long runs of consecutive chunks:
   * interleaving them is much slower, the kernel's per-file locks and readahead favour runs).
   */
  const take = (job: Job): ToWorker | null => {
    if (job.next >= job.end) {
      let victim: Job | null = null;
      for (const j of jobs) if (j.end - j.next >= 2 && (!victim || j.end - j.next > victim.end - victim.next)) victim = j;
      if (!victim) return null;
      const middle = victim.next + Math.ceil((victim.end - victim.next) / 2);
      job.next = middle;
      job.end = victim.end;
      victim.end = middle;
    }
    return tasks[job.next++];
  };
  /** Gives `job` chunks up to `ahead` in hand; once none is left, tells it to finish. */
  const feed = (job: Job, ahead = AHEAD) => {
    while (job.pending < ahead) {
      const task = take(job);
      if (!task) break;
      job.worker.postMessage(task);
      job.pending++;
    }
    // nothing in hand and nothing to take (a run of one chunk stays with its worker): done
    if (job.pending === 0 && !job.finished) {
      job.finished = true;
      job.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    }
  };
  const onAbort = () => fail(abortError(signal!));

  try {
    try {
      for (let w = 0; w < plan.numWorkers; w++) {
        const worker = new Worker(parallelWorkerUrl, { workerData: data, name: `spikewire ${JOB_NAME} ${w + 1}/${plan.numWorkers}` });
        let markExited!: () => void;
        // the chunks in numWorkers runs of consecutive chunks, one per worker
        const next = Math.round((w * tasks.length) / plan.numWorkers);
        const end = Math.round(((w + 1) * tasks.length) / plan.numWorkers);
        const job: Job = { worker, pending: 0, next, end, exited: new Promise<void>((r) => (markExited = r)), exitedNow: false, finished: false };
        jobs.push(job);
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'error') fail(workerError(msg.error));
          if (failure !== null || msg.type !== 'done') return;
          job.pending--;
          written++;
          try {
            opts.onChunk();
          } catch (e) {
            fail(e); // a throwing onProgress stops the job, as it does with one job
            return;
          }
          if (written === tasks.length) settle(null);
          feed(job);
        });
        worker.on('error', (e) => fail(workerError({ message: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined })));
        worker.on('messageerror', (e) => fail(workerError({ message: `a message could not be read: ${e.message}` })));
        worker.on('exit', (code) => {
          job.exitedNow = true;
          markExited();
          if (!job.finished || code !== 0) {
            fail(new SpikewireError('IO', `a ${JOB_NAME} worker stopped (exit code ${code}) before its chunks were written and its files closed`));
          }
        });
      }
    } catch (e) {
      // a worker that cannot start (a dict that cannot be cloned, no threads left)
      throw e instanceof SpikewireError ? e : new SpikewireError('IO', `${JOB_NAME} could not start its workers: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    for (const job of jobs) feed(job);
    if (signal) {
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    await allWritten;
    // every worker was told to finish: wait until each has closed its files
    await Promise.all(jobs.map((j) => j.exited));
    if (failure !== null) throw failure;
    // Every chunk is in its file: rename them into place (an existing file is replaced only now).
    for (let i = 0; i < temps.length; i++) {
      if (!plan.overwrite && (await exists(absolute[i]))) {
        throw new SpikewireError('INVALID_ARGUMENT', `${describe(absolute[i])} appeared while it was being written: pass overwrite: true to replace it`);
      }
      try {
        await rename(temps[i], absolute[i]);
      } catch (e) {
        throw fsError(e, 'cannot finish writing', absolute[i]);
      }
      temps[i] = '';
    }
    return [...plan.paths];
  } catch (e) {
    failure ??= e;
    await Promise.all(jobs.map((j) => stopWorker(j)));
    await removeTemps();
    throw failure;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Stops a worker: it closes its files after the chunk in hand; terminated if it takes too long. */
async function stopWorker(job: Job): Promise<void> {
  if (job.exitedNow) return;
  job.worker.postMessage({ type: 'stop' } satisfies ToWorker);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_GRACE_MS)));
  const how = await Promise.race([job.exited.then(() => 'exited' as const), late]);
  clearTimeout(timer);
  if (how === 'late') await job.worker.terminate().catch(() => {});
}

const abortError = (signal: AbortSignal): SpikewireError => abortedError(JOB_NAME, signal);

/** Node's {@link ParallelWriter}: worker_threads writing into files. */
export const nodeParallelWriter: ParallelWriter = {
  cores() {
    return availableParallelism();
  },
  cannotTravel(recording) {
    const gap = workerThreadsGap();
    if (gap !== null) return gap;
    const problem = travelProblem(recording);
    if (problem !== null) return problem;
    if (!existsSync(fileURLToPath(parallelWorkerUrl))) {
      return `the worker module ${fileURLToPath(parallelWorkerUrl)} is missing (spikewire runs from its sources; \`npm run build\` makes it)`;
    }
    return null;
  },
  writeChunksInParallel,
};

import { itemSize, numpyDTypeString, type DType, parseDTypeString } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import { getKernel, type Kernel } from '../kernel/index.js';
import { parseMemory, resolveChunkSize, type ChunkOptions } from '../core/chunking.js';
import { BaseRecording, nestedRecordings, type Traces } from '../core/index.js';
import type { ExtractorDict } from '../core/serialize.js';
import { ProgressReporter, type ProgressOptions } from './progress.js';
import { isBlobTarget, openSink, type BlobTarget, type WriteTarget } from '../store/sinks.js';
import { throwIfAborted, type ByteSink } from '../store/source.js';
import { defaultParallelWriter } from '#parallel-writer';

/**
 * Options of {@link writeBinaryRecording}: SpikeInterface's `write_binary_recording` keyword
 * arguments and job kwargs, in camelCase.
 */
export interface WriteBinaryOptions extends ChunkOptions, ProgressOptions {
  /**
   * Sample type of the files (default: the recording's). Other types are numpy `astype` casts of the
   * raw traces (not µV). A spikewire name ('int16') or a little-endian numpy string ('<i2', 'f4').
   */
  dtype?: DType | string | null;
  /** Append '.raw' to file paths whose name does not end in .raw, .bin or .dat (default true). */
  addFileExtension?: boolean;
  /** Zero bytes before the samples of every file (room for a header; default 0). */
  byteOffset?: number;
  /**
   * SpikeInterface's `total_memory`: memory for all jobs together ('500M', bytes); a fourth chunking
   * option, exclusive with chunkSize / chunkDuration / chunkMemory.
   */
  totalMemory?: number | string | null;
  /**
   * SpikeInterface's `n_jobs`: -1 = all cores, other negatives count down from there, a fraction in
   * (0, 1] = that share of the cores. In Node (`spikewire/node`), more than one job writes chunks on
   * worker threads, each rebuilding the recording from its dict (as SpikeInterface's process pool
   * does), straight into the files: the bytes are those of one job. That needs a file path per
   * segment and a recording that can travel to a worker (not a NumpyRecording, nor one that reads
   * Blobs or memory); otherwise a one-line warning names the reason and one job writes the same bytes.
   */
  nJobs?: number | null;
  /** For file paths: replace existing files (default true, as SpikeInterface). */
  overwrite?: boolean;
  /** Stops the write: every output started is aborted (partial files removed) and `ABORTED` thrown. */
  signal?: AbortSignal;
}

/** The job name SpikeInterface gives this job (progress bar text). */
const JOB_NAME = 'write_binary_recording';
/** File name endings that keep their name (SpikeInterface's `add_suffix(path, ['raw', 'bin', 'dat'])`). */
const BINARY_SUFFIXES = ['.raw', '.bin', '.dat'];
/** Header zeros are written in pieces of at most this many bytes. */
const ZERO_PIECE = 1 << 20;

/**
 * SpikeInterface's file naming: `path` + '.raw' unless its name's suffix (Python's `Path.suffix`:
 * from the last dot that is not the name's first character, case-sensitive) is .raw, .bin or .dat.
 */
export function withBinaryExtension(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  const suffix = dot > 0 && dot < name.length - 1 ? name.slice(dot) : '';
  return BINARY_SUFFIXES.includes(suffix) ? path : `${path}.raw`;
}

/** A spikewire dtype from a name or a numpy type string; big-endian output is not written. */
function parseDType(value: unknown): DType {
  const parsed = parseDTypeString(value);
  if (!parsed.littleEndian) {
    throw new SpikewireError('UNSUPPORTED', `dtype ${describe(value)} is big-endian: spikewire writes little-endian files (${describe(numpyDTypeString(parsed.dtype))})`);
  }
  return parsed.dtype;
}

function cpuCount(): number {
  const n = typeof navigator !== 'undefined' ? (navigator as { hardwareConcurrency?: number }).hardwareConcurrency : undefined;
  return typeof n === 'number' && n > 0 ? n : 1;
}

/** SpikeInterface's `fix_job_kwargs` for n_jobs: the number of jobs asked, within 1..cores. */
export function resolveNJobs(nJobs: unknown, cores = cpuCount()): number {
  if (nJobs === undefined || nJobs === null) return 1;
  if (typeof nJobs !== 'number' || !Number.isFinite(nJobs) || nJobs === 0) {
    throw new SpikewireError('INVALID_ARGUMENT', `nJobs ${describe(nJobs)} must be a non-zero number: a count, -1 for all cores, or a fraction of the cores`);
  }
  let n: number;
  if (!Number.isInteger(nJobs) && nJobs > 0 && nJobs <= 1) n = Math.trunc(nJobs * cores);
  else if (nJobs < 0) n = Math.trunc(cores + 1 + nJobs);
  else n = Math.trunc(nJobs);
  return Math.min(Math.max(n, 1), cores);
}

/**
 * What a parallel writer gets: where each segment goes and how its samples are cut and cast. Chunks
 * are those of one job (`chunkSize` frames, from frame 0 of each segment), so the bytes are the same.
 */
export interface ParallelWritePlan {
  /** The final file path of each segment ('.raw' already added where it should be). */
  paths: string[];
  /** Replace existing files (else `INVALID_ARGUMENT`, checked before and after writing). */
  overwrite: boolean;
  /** Zero bytes before the samples of every file. */
  byteOffset: number;
  numChannels: number;
  /** The recording's dtype (what reads give). */
  srcDtype: DType;
  /** The files' dtype (a numpy astype cast of srcDtype when it differs). */
  dstDtype: DType;
  /** Frames of each segment. */
  segmentFrames: number[];
  /** Frames per chunk. */
  chunkSize: number;
  /** Worker threads to run (at least 2, at most the number of chunks). */
  numWorkers: number;
}

/** Options of {@link ParallelWriter.writeChunksInParallel}. */
export interface ParallelWriteOptions {
  signal?: AbortSignal;
  /** Called once per chunk written, on the calling thread. */
  onChunk(): void;
}

/**
 * Writes chunks of a recording on several threads, straight into files. Node has one (worker_threads,
 * `#parallel-writer` under the "node" condition); other runtimes have none, so more than one job
 * writes as one there.
 */
export interface ParallelWriter {
  /** Cores jobs may use (what nJobs -1 means). */
  cores(): number;
  /** Why `recording` cannot be rebuilt from its dict in a worker, or null when it can. */
  cannotTravel(recording: BaseRecording): string | null;
  /**
   * Writes every chunk of `plan` into `plan.paths` (temporary files beside them, renamed into place
   * once all is written; removed on error or abort). `dict` is the recording's
   * `toDict({includeAnnotations, includeProperties, recursive})`. Returns the final paths.
   */
  writeChunksInParallel(dict: ExtractorDict, plan: ParallelWritePlan, opts: ParallelWriteOptions): Promise<string[]>;
}

// Chosen by package.json's "imports" (`#parallel-writer`): worker threads under the "node" condition,
// none elsewhere.
let parallelWriter: ParallelWriter | null = defaultParallelWriter;

/** Replaces the parallel writer (null: none); returns the one it replaces. */
export function installParallelWriter(writer: ParallelWriter | null): ParallelWriter | null {
  const previous = parallelWriter;
  parallelWriter = writer;
  return previous;
}

/**
 * The bytes of chunks as they are written: the raw samples, or their numpy `astype` cast to
 * `dstDtype` by the kernel into one region reserved up front. One job and every worker write
 * through it, so their bytes are the same.
 */
export class ChunkEncoder {
  private constructor(
    private readonly kernel: Kernel,
    private readonly srcDtype: DType,
    private readonly dstDtype: DType,
    private readonly numChannels: number,
    private convertAt: number,
  ) {}

  /** An encoder for chunks of at most `maxFrames` frames of `numChannels` channels. */
  static async create(kernel: Kernel, srcDtype: DType, dstDtype: DType, numChannels: number, maxFrames: number): Promise<ChunkEncoder> {
    // one region for every converted chunk, reserved before the first read
    const convertAt = dstDtype !== srcDtype && maxFrames > 0 && numChannels > 0
      ? await kernel.alloc(maxFrames * numChannels * itemSize(dstDtype))
      : -1;
    return new ChunkEncoder(kernel, srcDtype, dstDtype, numChannels, convertAt);
  }

  /**
   * Hands the bytes of `chunk` (a view of all channels in the kernel's memory, as `chunks()` yields)
   * to `write`. They are views of linear memory: it cannot grow until `write` settles (kernel.io).
   */
  write(chunk: Traces, write: (bytes: Uint8Array) => Promise<unknown>): Promise<unknown> {
    const k = this.kernel;
    return k.io(() => {
      const data = chunk.data;
      if (this.dstDtype === this.srcDtype) return write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const frames = chunk.shape[0];
      k.convert({ src: data.byteOffset, srcDtype: this.srcDtype, srcChannels: this.numChannels, numFrames: frames, dst: this.convertAt, dstDtype: this.dstDtype, scratch: 0 });
      return write(k.bytes(this.convertAt, frames * this.numChannels * itemSize(this.dstDtype)));
    });
  }

  /** Frees the conversion region; safe to call twice. */
  dispose(): void {
    if (this.convertAt >= 0) this.kernel.free(this.convertAt);
    this.convertAt = -1;
  }
}

/** The sink of each segment, named for messages. */
interface Output {
  sink: ByteSink;
  /** The final path for path targets, else null. */
  path: string | null;
  closed: boolean;
}

/** The value {@link writeBinaryRecording} returns for one segment: the path, the Blob, or what a sink's close() gave. */
export type WriteBinaryOutput = string | Blob | unknown;

/**
 * Writes the raw traces of every segment of `recording` to one target per segment, as
 * SpikeInterface's `write_binary_recording`: headerless, time-major, little-endian samples, after
 * `byteOffset` zero bytes; the files open with `BinaryRecordingExtractor` and in SpikeInterface.
 *
 * Targets (see {@link WriteTarget}): file paths (Node, through `spikewire/node`), WritableStreams
 * (e.g. a `FileSystemWritableFileStream`), file handles, {@link ByteSink}s, or Blobs: pass `'blob'`
 * for one Blob per segment, or `{ kind: 'blob' }` in a list. A single target stands for a list of one.
 *
 * Reads chunk by chunk (exactly one of chunkSize / chunkDuration / chunkMemory / totalMemory;
 * default '1s') and writes each chunk before reading the next, so memory stays bounded by the chunk
 * size whatever the length of the recording. Files appear under their final names only once complete.
 * With `nJobs` > 1 in Node, worker threads write the chunks (see {@link WriteBinaryOptions.nJobs}):
 * each holds one chunk at a time, so memory grows with the number of jobs, not with the recording.
 *
 * Sinks get views of the kernel's linear memory, valid until their `write()` settles; meanwhile the
 * memory cannot grow, so a custom {@link ByteSink} must not read recordings through spikewire inside
 * `write()` (it would wait for itself).
 *
 * Returns, per segment: the final path (with '.raw' added when it was), the Blob, or the value the
 * sink's `close()` gave (undefined for streams). Errors: `INVALID_ARGUMENT` (a count of targets that
 * is not the number of segments, bad options), `ABORTED` (signal), the recording's and the sinks' own
 * errors; each leaves no partial output behind.
 */
export function writeBinaryRecording(recording: BaseRecording, targets: 'blob' | BlobTarget | readonly BlobTarget[], opts?: WriteBinaryOptions): Promise<Blob[]>;
export function writeBinaryRecording(recording: BaseRecording, targets: string | readonly string[], opts?: WriteBinaryOptions): Promise<string[]>;
export function writeBinaryRecording(recording: BaseRecording, targets: unknown, opts?: WriteBinaryOptions): Promise<WriteBinaryOutput[]>;
export async function writeBinaryRecording(recording: BaseRecording, targets: unknown, opts: WriteBinaryOptions = {}): Promise<WriteBinaryOutput[]> {
  if (!(recording instanceof BaseRecording)) {
    throw new SpikewireError('INVALID_ARGUMENT', `writeBinaryRecording expects a recording, got ${describe(recording)}`);
  }
  if (opts === null || typeof opts !== 'object') {
    throw new SpikewireError('INVALID_ARGUMENT', `writeBinaryRecording options must be an object, got ${describe(opts)}`);
  }
  const numSegments = recording.getNumSegments();
  const list = normaliseTargets(targets, numSegments);
  const addExtension = opts.addFileExtension ?? true;
  if (typeof addExtension !== 'boolean') {
    throw new SpikewireError('INVALID_ARGUMENT', `addFileExtension must be true or false, got ${describe(opts.addFileExtension)}`);
  }
  const named = list.map((t) => (typeof t === 'string' && addExtension && t !== '' ? withBinaryExtension(t) : t));

  const srcDtype = recording.getDtype();
  const dstDtype = opts.dtype === undefined || opts.dtype === null ? srcDtype : parseDType(opts.dtype);
  const byteOffset = opts.byteOffset ?? 0;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0) {
    throw new SpikewireError('INVALID_ARGUMENT', `byteOffset ${describe(opts.byteOffset)} must be a non-negative integer number of bytes`);
  }
  const numChannels = recording.getNumChannels();
  const askedJobs = resolveNJobs(opts.nJobs, parallelWriter?.cores() ?? cpuCount());
  const signal = opts.signal;
  if (signal !== undefined && signal !== null && !isAbortSignal(signal)) {
    throw new SpikewireError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${describe(signal)}`);
  }
  let nJobs = askedJobs;
  if (askedJobs > 1) {
    const reason = whyNotParallel(recording, named);
    if (reason !== null) {
      console.warn(`spikewire: ${JOB_NAME} with nJobs ${askedJobs}: ${reason}; writing with one job (same output)`);
      nJobs = 1;
    }
  }
  const chunkSize = jobChunkSize(recording, opts, nJobs);
  const segmentFrames = Array.from({ length: numSegments }, (_, i) => recording.getNumSamples(i));
  const totalChunks = numChannels === 0 ? 0 : segmentFrames.reduce((sum, n) => sum + Math.ceil(n / chunkSize), 0);
  const progress = ProgressReporter.create(JOB_NAME, totalChunks, opts);
  throwIfAborted(signal ?? undefined, JOB_NAME);

  // More than one job (and more than one chunk to share): workers write the chunks into the files.
  if (nJobs > 1 && totalChunks > 1 && parallelWriter) {
    const plan: ParallelWritePlan = {
      paths: named as string[],
      overwrite: opts.overwrite ?? true,
      byteOffset,
      numChannels,
      srcDtype,
      dstDtype,
      segmentFrames,
      chunkSize,
      numWorkers: Math.min(nJobs, totalChunks),
    };
    const dict = recording.toDict({ includeAnnotations: true, includeProperties: true, recursive: true });
    try {
      progress.start();
      return await parallelWriter.writeChunksInParallel(dict, plan, { signal: signal ?? undefined, onChunk: () => progress.tick() });
    } catch (e) {
      if (signal?.aborted) throwIfAborted(signal, JOB_NAME);
      throw e;
    } finally {
      progress.close();
    }
  }

  // Open every output first (a bad path fails before any sample is read), as SpikeInterface creates its files.
  const outputs: Output[] = [];
  try {
    for (let i = 0; i < named.length; i++) {
      const target = named[i] as WriteTarget;
      const sink = await openSink(target, { overwrite: opts.overwrite, name: isBlobTarget(target) ? `Blob of segment ${i}` : undefined });
      outputs.push({ sink, path: typeof target === 'string' ? target : null, closed: false });
      throwIfAborted(signal ?? undefined, JOB_NAME);
    }
  } catch (e) {
    await abortAll(outputs, e);
    throw e;
  }

  const stop = abortWatcher(signal ?? undefined);
  let encoder: ChunkEncoder | null = null;
  try {
    progress.start();
    if (byteOffset > 0) {
      const zeros = new Uint8Array(Math.min(byteOffset, ZERO_PIECE));
      for (const { sink } of outputs) {
        for (let left = byteOffset; left > 0; left -= zeros.length) {
          await stop.race(sink.write(left >= zeros.length ? zeros : zeros.subarray(0, left)));
        }
      }
    }
    const longest = Math.max(0, ...segmentFrames);
    encoder = await ChunkEncoder.create(await getKernel(), srcDtype, dstDtype, numChannels, Math.min(chunkSize, longest));
    for await (const chunk of recording.chunks({ chunkSize, signal: signal ?? undefined })) {
      const { sink } = outputs[chunk.segmentIndex];
      // Write straight from linear memory; memory must not grow while the sink reads it (kernel.io).
      await stop.race(encoder.write(chunk, (bytes) => sink.write(bytes)));
      progress.tick();
    }
    throwIfAborted(signal ?? undefined, JOB_NAME);
    const results: WriteBinaryOutput[] = [];
    for (const output of outputs) {
      const value = await output.sink.close();
      output.closed = true;
      results.push(output.path ?? value);
    }
    return results;
  } catch (e) {
    await abortAll(outputs, e);
    // whatever noticed the abort first (a read, a write, the race), the job reports it as its own
    if (signal?.aborted) throwIfAborted(signal, JOB_NAME);
    throw e;
  } finally {
    stop.dispose();
    encoder?.dispose();
    progress.close();
  }
}

/**
 * Why the chunks of `recording` cannot be written on workers into `targets`, or null when they can:
 * no parallel writer (outside Node), a target that is not a file path, a recording that cannot
 * travel to a worker.
 */
function whyNotParallel(recording: BaseRecording, targets: readonly unknown[]): string | null {
  if (!parallelWriter) return "parallel writing comes with worker support, in Node through 'spikewire/node'";
  const notPath = targets.findIndex((t) => typeof t !== 'string');
  if (notPath >= 0) {
    return `parallel writing needs a file path per segment (workers write into the files), and segment ${notPath} goes to ${describe(targets[notPath])}`;
  }
  if (!recording.isSerializable()) {
    const stuck = notSerializable(recording);
    return `${stuck.className} cannot travel to a worker (it cannot be described by a dict: its samples live in memory)`;
  }
  return parallelWriter.cannotTravel(recording);
}

/** The innermost recording of the tree of `recording` that cannot be described by a dict. */
function notSerializable(recording: BaseRecording): BaseRecording {
  for (const parent of nestedRecordings(recording.getKwargs())) if (!parent.isSerializable()) return notSerializable(parent);
  return recording;
}

/** The targets as one per segment. */
function normaliseTargets(targets: unknown, numSegments: number): unknown[] {
  let list: unknown[];
  if (targets === 'blob') list = Array.from({ length: numSegments }, () => ({ kind: 'blob' }) satisfies BlobTarget);
  else if (Array.isArray(targets)) list = [...targets];
  else if (targets === undefined || targets === null) {
    throw new SpikewireError('INVALID_ARGUMENT', `writeBinaryRecording needs targets: one file path, stream, sink or { kind: 'blob' } per segment (${numSegments}), or 'blob'`);
  } else list = [targets];
  if (list.length !== numSegments) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `writeBinaryRecording got ${list.length} target${list.length === 1 ? '' : 's'} (${describe(list)}) for a recording with ${numSegments} segment${numSegments === 1 ? '' : 's'}: give one target per segment`,
    );
  }
  list.forEach((t, i) => {
    if (t === 'blob') list[i] = { kind: 'blob' } satisfies BlobTarget;
  });
  // the same stream or sink twice would interleave segments: refuse (a shared { kind: 'blob' } is fine)
  const seen = new Set<unknown>();
  for (const t of list) {
    if (typeof t === 'object' && t !== null && !isBlobTarget(t)) {
      if (seen.has(t)) throw new SpikewireError('INVALID_ARGUMENT', `the same target ${describe(t)} is given for two segments: give one target per segment`);
      seen.add(t);
    }
  }
  return list;
}

/** Frames per chunk from the job options: exactly one of chunkSize / chunkDuration / chunkMemory / totalMemory (default '1s'). */
function jobChunkSize(recording: BaseRecording, opts: WriteBinaryOptions, nJobs: number): number {
  const bytesPerFrame = recording.getNumChannels() * itemSize(recording.getDtype());
  const totalMemory = opts.totalMemory;
  if (totalMemory !== undefined && totalMemory !== null) {
    const others = (['chunkSize', 'chunkDuration', 'chunkMemory'] as const).filter((key) => opts[key] !== undefined && opts[key] !== null);
    if (others.length > 0) {
      throw new SpikewireError('INVALID_ARGUMENT', `give one of chunkSize, chunkDuration, chunkMemory, totalMemory; got totalMemory and ${others.join(' and ')}`);
    }
    return resolveChunkSize({ chunkMemory: parseMemory(totalMemory, 'totalMemory') / nJobs }, recording.getSamplingFrequency(), bytesPerFrame);
  }
  return resolveChunkSize(opts, recording.getSamplingFrequency(), bytesPerFrame);
}

function isAbortSignal(value: unknown): value is AbortSignal {
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return true;
  return typeof value === 'object' && value !== null && typeof (value as AbortSignal).aborted === 'boolean'
    && typeof (value as AbortSignal).addEventListener === 'function';
}

/** Aborts every output that is not closed yet; never throws. */
async function abortAll(outputs: readonly Output[], reason: unknown): Promise<void> {
  await Promise.all(outputs.filter((o) => !o.closed).map(async (o) => {
    try {
      await o.sink.abort(reason);
    } catch {
      // abort() never throws by contract; a sink that does must not hide the first error
    }
  }));
}

/**
 * Races awaited writes against the signal, so that a write stuck on backpressure (a slow stream)
 * does not keep an abort waiting: the write is left to settle on its own and its outputs are aborted.
 */
function abortWatcher(signal: AbortSignal | undefined) {
  let onAbort: (() => void) | null = null;
  const aborted = signal
    ? new Promise<never>((_, reject) => {
        onAbort = () => {
          try {
            throwIfAborted(signal, JOB_NAME);
          } catch (e) {
            reject(e);
          }
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      })
    : null;
  aborted?.catch(() => {}); // handled by the race; never an unhandled rejection
  return {
    race<T>(p: Promise<T>): Promise<T> {
      if (!aborted) return p;
      p.catch(() => {}); // if the abort wins, the write's own failure no longer matters
      return Promise.race([p, aborted]);
    },
    dispose(): void {
      if (signal && onAbort) signal.removeEventListener('abort', onAbort);
    },
  };
}

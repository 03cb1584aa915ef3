import { allocate, type DType, type TypedArray } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording, type Traces } from '../core/recording.js';
import { parseDuration } from '../core/chunking.js';
import { defaultRng } from './numpy-random.js';

/**
 * SpikeInterface's `random_slices_kwargs` (get_random_sample_slices): how random chunks are drawn
 * from every segment to estimate statistics.
 */
export interface RandomChunkOptions {
  /** Only 'full_random' (SpikeInterface's only method): chunks anywhere, possibly overlapping. */
  method?: 'full_random';
  /** Chunks drawn in each segment (default 20). */
  numChunksPerSegment?: number;
  /** Seconds per chunk, a number or text ('500ms', '1s'); used when chunkSize is not given (default '500ms'). */
  chunkDuration?: number | string | null;
  /** Frames per chunk (wins over chunkDuration). */
  chunkSize?: number | null;
  /** Frames kept clear at both ends of each segment (default 0). */
  marginFrames?: number;
  /** Seed of numpy's default_rng (null: a fresh random seed, so different chunks each time). */
  seed?: number | bigint | null;
}

/** At most this many samples are drawn (statistics hold every one of them as float64: 2 GiB). */
export const MAX_RANDOM_SAMPLES = 2 ** 28;

/** One random chunk: `[segmentIndex, startFrame, endFrame]`. */
export type RandomSlice = [segmentIndex: number, startFrame: number, endFrame: number];

/** A non-negative integer option, or `INVALID_ARGUMENT` naming it. */
function count(fn: string, name: string, value: unknown, min = 0): number {
  check(Number.isSafeInteger(value) && (value as number) >= min, 'INVALID_ARGUMENT',
    () => `${fn}: ${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  return value as number;
}

/**
 * SpikeInterface's `get_random_sample_slices`: `numChunksPerSegment` chunk starts per segment drawn
 * by one `np.random.default_rng(seed)` with `integers(margin, n - chunkSize - margin,
 * endpoint=True)`, sorted. A chunk longer than a segment allows is shortened to fit (with a warning,
 * as SpikeInterface).
 */
export function getRandomSampleSlices(recording: BaseRecording, opts: RandomChunkOptions = {}): RandomSlice[] {
  const fn = 'getRandomSampleSlices';
  check(recording instanceof BaseRecording, 'INVALID_ARGUMENT', () => `${fn}: recording must be a recording, got ${describe(recording)}`);
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `${fn}: options must be an object, got ${describe(opts)}`);
  const method = opts.method ?? 'full_random';
  if (method !== 'full_random') throw new SpikewireError('INVALID_ARGUMENT', `${fn}: method ${describe(method)} must be 'full_random'`);
  const perSegment = count(fn, 'numChunksPerSegment', opts.numChunksPerSegment ?? 20);
  const margin = count(fn, 'marginFrames', opts.marginFrames ?? 0);
  let chunkSize: number;
  if (opts.chunkSize !== undefined && opts.chunkSize !== null) chunkSize = count(fn, 'chunkSize', opts.chunkSize, 1);
  else if (opts.chunkDuration === null) throw new SpikewireError('INVALID_ARGUMENT', `${fn}: chunkSize or chunkDuration must be given`);
  else chunkSize = Math.trunc(parseDuration(opts.chunkDuration ?? '500ms') * recording.getSamplingFrequency());
  const numSegments = recording.getNumSegments();
  for (let s = 0; s < numSegments; s++) {
    const limit = recording.getNumSamples(s) - 2 * margin;
    if (chunkSize > limit) {
      chunkSize = limit - 1;
      console.warn(`spikewire: chunkSize is greater than the number of samples for segment index ${s}. Using ${chunkSize}.`);
    }
  }
  const draws = perSegment * numSegments;
  check(draws * chunkSize * recording.getNumChannels() <= MAX_RANDOM_SAMPLES, 'INVALID_ARGUMENT',
    () => `${fn}: ${draws} chunks of ${chunkSize} frames × ${recording.getNumChannels()} channels exceed ${MAX_RANDOM_SAMPLES} samples: use fewer or shorter chunks`);
  const rng = defaultRng(opts.seed ?? null);
  const slices: RandomSlice[] = [];
  for (let s = 0; s < numSegments; s++) {
    const high = recording.getNumSamples(s) - chunkSize - margin;
    check(chunkSize > 0 && high >= margin, 'INVALID_ARGUMENT',
      () => `${fn}: segment ${s} (${recording.getNumSamples(s)} frames) is too short for chunks with marginFrames ${margin}`);
    const starts = rng.integersInclusive(margin, high, perSegment).sort((a, b) => a - b);
    for (const start of starts) slices.push([s, start, start + chunkSize]);
  }
  return slices;
}

/** Options of {@link getRandomDataChunks}. */
export interface RandomDataChunksOptions extends RandomChunkOptions {
  /** float32 µV instead of raw samples. */
  returnInUV?: boolean;
  /** One array of every chunk one after the other (default), or one array per chunk. */
  concatenated?: boolean;
  /** Stops the reads with an `ABORTED` error. */
  signal?: AbortSignal;
}

/**
 * SpikeInterface's `get_random_data_chunks`: the traces of {@link getRandomSampleSlices}' chunks,
 * one `getTraces` call each, concatenated along time (or one per chunk with `concatenated: false`).
 */
export async function getRandomDataChunks(recording: BaseRecording, opts: RandomDataChunksOptions & { concatenated: false }): Promise<Traces[]>;
export async function getRandomDataChunks(recording: BaseRecording, opts?: RandomDataChunksOptions): Promise<Traces>;
export async function getRandomDataChunks(recording: BaseRecording, opts: RandomDataChunksOptions = {}): Promise<Traces | Traces[]> {
  const slices = getRandomSampleSlices(recording, opts);
  const chunks: Traces[] = [];
  for (const [segmentIndex, startFrame, endFrame] of slices) {
    chunks.push(await recording.getTraces({ segmentIndex, startFrame, endFrame, returnInUV: opts.returnInUV ?? false, signal: opts.signal }));
  }
  if (opts.concatenated === false) return chunks;
  return concatenateTraces(chunks, opts.returnInUV ? 'float32' : recording.getDtype(), recording.getNumChannels());
}

/** Chunks of the same channels one after the other (np.concatenate along time). */
function concatenateTraces(chunks: readonly Traces[], dtype: DType, numChannels: number): Traces {
  const frames = chunks.reduce((n, c) => n + c.shape[0], 0);
  const data: TypedArray = allocate(chunks[0]?.dtype ?? dtype, frames * numChannels);
  let at = 0;
  for (const c of chunks) {
    (data as Float64Array).set(c.data as unknown as Float64Array, at);
    at += c.data.length;
  }
  return { data, shape: [frames, numChannels], dtype: chunks[0]?.dtype ?? dtype } as Traces;
}

/** Our names of SpikeInterface's random chunk keyword arguments. */
const RANDOM_CHUNK_KWARGS: ReadonlyArray<[keyof RandomChunkOptions, string]> = [
  ['method', 'method'], ['numChunksPerSegment', 'num_chunks_per_segment'], ['chunkDuration', 'chunk_duration'],
  ['chunkSize', 'chunk_size'], ['marginFrames', 'margin_frames'], ['seed', 'seed'],
];

/**
 * The random chunk options that were given, as SpikeInterface keeps them in a preprocessor's kwargs
 * (`self._kwargs.update(random_chunk_kwargs)`: only those passed, with their Python names).
 */
export function randomChunkKwargs(opts: RandomChunkOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [ours, theirs] of RANDOM_CHUNK_KWARGS) {
    const v = opts[ours];
    if (v !== undefined) out[theirs] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out;
}

/** The random chunk options in a SpikeInterface kwargs dict, with our names (for rebuilding from a dict). */
export function randomChunkOptionsFromKwargs(kwargs: Record<string, unknown>): RandomChunkOptions {
  const out: Record<string, unknown> = {};
  for (const [ours, theirs] of RANDOM_CHUNK_KWARGS) if (kwargs[theirs] !== undefined) out[ours] = kwargs[theirs];
  return out as RandomChunkOptions;
}

/**
 * Why a worker cannot rebuild a recording whose statistics are not in its dict (they are drawn
 * again from random chunks): without a seed the chunks, so the samples, differ. Null with a seed.
 */
export function unseededProblem(className: string, seed: unknown): string | null {
  return seed === undefined || seed === null
    ? `${className} estimates its statistics from random chunks without a seed: a rebuild from its dict draws other chunks (give a seed)`
    : null;
}

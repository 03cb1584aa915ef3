import { isFloat, itemSize, type DType } from '../dtype.js';
import { check, describe } from '../errors.js';
import type { BaseRecording } from '../core/index.js';
import { checkChoice } from './base.js';
import { columnMajorTraces } from './numpy-layout.js';
import { column, columnSum, median, roundingFor, std, type Rounding } from './numpy-stats.js';
import { getRandomDataChunks, type RandomChunkOptions } from './random-chunks.js';

/** Options of {@link getNoiseLevels}: SpikeInterface's `get_noise_levels` keyword arguments. */
export interface NoiseLevelsOptions {
  /** 'mad' (default): MAD / 0.6745; 'std': standard deviation; 'rms': root mean square. */
  method?: 'mad' | 'std' | 'rms';
  /** Noise in µV (default true) or in raw units. */
  returnInUV?: boolean;
  /** Recompute even when the recording has them cached as a property. */
  forceRecompute?: boolean;
  /** The random chunks the levels are averaged over. */
  randomSliceKwargs?: RandomChunkOptions;
  /** Stops the reads with an `ABORTED` error. */
  signal?: AbortSignal;
}

/** How np.square stores a square in the chunk's dtype: integers wrap around (int16 squares overflow, as numpy's do). */
function squareWrap(dtype: DType): (square: number) => number {
  const bits = itemSize(dtype) * 8;
  if (isFloat(dtype) || bits >= 53) return (x) => x;
  const span = 2 ** bits;
  const signed = !dtype.startsWith('u');
  return (x) => {
    const r = x % span;
    return signed && r >= span / 2 ? r - span : r;
  };
}

/** One chunk's level of one channel, in the chunk's arithmetic (float32 chunks in float32). */
function chunkLevel(method: 'mad' | 'std' | 'rms', v: Float64Array, r: Rounding, wrap: (square: number) => number, pairwise: boolean): number {
  if (method === 'mad') {
    const med = median(v, r);
    return r(median(v.map((x) => Math.abs(r(x - med))), r) / 0.6744897501960817);
  }
  if (method === 'std') return std(v, r, pairwise);
  const squares = v.map((x) => r(wrap(x * x)));
  return r(Math.sqrt(r(columnSum(squares, r, pairwise) / v.length)));
}

/**
 * SpikeInterface's `get_noise_levels`: the noise of each channel (MAD, std or RMS) of every random
 * chunk, averaged over the chunks, and cached on the recording as the property
 * `noise_level_<method>_<scaled|raw>` (read back unless forceRecompute). float32 chunks give float32
 * levels, computed in float32 as numpy does.
 */
export async function getNoiseLevels(recording: BaseRecording, opts: NoiseLevelsOptions = {}): Promise<Float32Array | Float64Array> {
  const fn = 'getNoiseLevels';
  check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `${fn}: options must be an object, got ${describe(opts)}`);
  const method = checkChoice(fn, 'method', opts.method ?? 'mad', ['mad', 'std', 'rms'] as const);
  const returnInUV = opts.returnInUV ?? true;
  const key = `noise_level_${method}_${returnInUV ? 'scaled' : 'raw'}`;
  if (recording.getPropertyKeys().includes(key) && !opts.forceRecompute) {
    const cached = recording.getProperty(key) as ArrayLike<number>;
    return cached instanceof Float32Array ? cached : Float64Array.from(cached, Number);
  }
  const chunks = await getRandomDataChunks(recording, { ...(opts.randomSliceKwargs ?? {}), returnInUV, concatenated: false, signal: opts.signal });
  const n = recording.getNumChannels();
  const dtype = chunks[0]?.dtype ?? recording.getDtype();
  const r = roundingFor(dtype);
  const wrap = squareWrap(dtype);
  const pairwise = columnMajorTraces(recording);
  const levels = chunks.map((chunk) => Array.from({ length: n }, (_, c) => chunkLevel(method, column(chunk, c), r, wrap, pairwise)));
  // np.mean over the chunks (axis 0): a sequential sum per channel
  const mean = Array.from({ length: n }, (_, c) => {
    let s = 0;
    for (const l of levels) s = r(s + l[c]);
    return r(s / levels.length);
  });
  const out = dtype === 'float32' ? Float32Array.from(mean) : Float64Array.from(mean);
  recording.setProperty(key, out);
  return out;
}

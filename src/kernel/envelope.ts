// Min/max envelopes of a chunk for drawing (assembly/envelope.ts): one minimum and one maximum per
// pixel column and channel. Two levels, as dsp.ts: `envelopeAt` on addresses in linear memory
// (synchronous, for chunks already there), `computeEnvelopes` on arrays (allocates its own region
// per call, so concurrent calls never share scratch).
import type { DType, TypedArray } from '../dtype.js';
import { dtypeOf, isDType, itemSize, kernelCode } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import { getKernel } from './default.js';
import type { Kernel } from './kernel.js';
import { alignUp } from './memory.js';

/** Most columns one call reduces to (a screen is a few thousand pixels wide; this bounds the output). */
export const MAX_ENVELOPE_COLUMNS = 1 << 20;

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

function checkInteger(what: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${what}: expected an integer from ${min} to ${max}, got ${describe(value)}`);
  }
}

function checkFramesPerColumn(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(`${what}: framesPerColumn must be a finite number above 0, got ${describe(value)}`);
  }
}

/** Scratch bytes {@link envelopeAt} needs for `columns` columns of rows of `numChannels` samples of `dtype`. */
export function envelopeScratchBytes(dtype: DType, numChannels: number, columns: number): number {
  checkInteger('envelopeScratchBytes: numChannels', numChannels, 0, 0x7fffffff);
  checkInteger('envelopeScratchBytes: columns', columns, 0, MAX_ENVELOPE_COLUMNS);
  return 2 * alignUp(numChannels * itemSize(dtype)) + alignUp(4 * (columns + 1));
}

/** Arguments of {@link envelopeAt}: addresses of a chunk and of its envelopes in linear memory. */
export interface EnvelopeAtParams {
  /** Address of the chunk, time-major `[numFrames][numChannels]`. */
  src: number;
  /** Sample type of the chunk: any {@link DType}. */
  dtype: DType;
  numChannels: number;
  numFrames: number;
  /** Columns (pixels) to reduce the chunk to. */
  columns: number;
  /** Frames per column, possibly fractional (below 1 too: each column then holds the frame it starts in). */
  framesPerColumn: number;
  /**
   * Index of the first column in a longer run of columns (default 0): column j is the run's column
   * firstColumn + j, covering the run's frames [floor((firstColumn + j) * framesPerColumn), ...).
   */
  firstColumn?: number;
  /** The run's frame that is the chunk's row 0 (default floor(firstColumn * framesPerColumn)). */
  chunkStart?: number;
  /** Address of the minima, float32 `[columns][numChannels]` (4-byte aligned). */
  dstMin: number;
  /** Address of the maxima, same layout. */
  dstMax: number;
  /** Address of {@link envelopeScratchBytes} bytes, 16-byte aligned, that the call overwrites. */
  scratch: number;
}

/**
 * Per-column minima and maxima of a chunk in linear memory, in the kernel (SIMD lanes = channels,
 * reduced in the chunk's own type, then converted to float32). Column k covers frames
 * `[floor(k * framesPerColumn), floor((k + 1) * framesPerColumn))` (counted from `firstColumn` and
 * `chunkStart` when given, so that a long run is reduced block by block with the same columns), at
 * least the frame it starts in, clipped to the chunk; a column that starts past the chunk gets NaN. Float NaNs propagate
 * (as Math.min does). Synchronous; never grows memory. Bad arguments: `INVALID_ARGUMENT`.
 */
export function envelopeAt(kernel: Kernel, p: EnvelopeAtParams): void {
  const fn = kernel.wasm.envelope;
  if (!fn) throw new SpikewireError('UNSUPPORTED', 'envelope: this kernel build has no envelope kernel');
  if (!isDType(p.dtype)) fail(`envelope: dtype must be one of int8, uint8, int16, uint16, int32, uint32, float32, float64, got ${describe(p.dtype)}`);
  checkInteger('envelope: numChannels', p.numChannels, 0, 0x7fffffff);
  checkInteger('envelope: numFrames', p.numFrames, 0, 0x7fffffff);
  checkInteger('envelope: columns', p.columns, 0, MAX_ENVELOPE_COLUMNS);
  checkFramesPerColumn('envelope', p.framesPerColumn);
  const firstColumn = p.firstColumn ?? 0;
  checkInteger('envelope: firstColumn', firstColumn, 0, Number.MAX_SAFE_INTEGER);
  const chunkStart = p.chunkStart ?? Math.floor(firstColumn * p.framesPerColumn);
  checkInteger('envelope: chunkStart', chunkStart, 0, Number.MAX_SAFE_INTEGER);
  const size = kernel.memory.buffer.byteLength;
  const region = (name: string, address: unknown, bytes: number, align: number) => {
    checkInteger(`envelope: ${name}`, address, 0, size);
    if (address % align !== 0) fail(`envelope: ${name} address ${address} is not ${align}-byte aligned`);
    if (address + bytes > size) fail(`envelope: ${name} [${address}, ${address + bytes}) is outside linear memory (${size} bytes)`);
  };
  const outBytes = p.columns * p.numChannels * 4;
  region('src', p.src, p.numFrames * p.numChannels * itemSize(p.dtype), itemSize(p.dtype));
  region('dstMin', p.dstMin, outBytes, 4);
  region('dstMax', p.dstMax, outBytes, 4);
  const scratchBytes = envelopeScratchBytes(p.dtype, p.numChannels, p.columns);
  region('scratch', p.scratch, scratchBytes, 16);
  // column bounds in chunk frames, computed here in float64 once (exact for any run of blocks),
  // clamped to the i32 range the kernel reads (anything past the chunk is past it)
  const boundsAddress = p.scratch + scratchBytes - alignUp(4 * (p.columns + 1));
  const bounds = new Int32Array(kernel.memory.buffer, boundsAddress, p.columns + 1);
  for (let k = 0; k <= p.columns; k++) {
    const frame = Math.floor((firstColumn + k) * p.framesPerColumn) - chunkStart;
    bounds[k] = Math.max(-1, Math.min(frame, 0x7fffffff));
  }
  fn(p.src, kernelCode(p.dtype), p.numChannels, p.numFrames, p.columns, boundsAddress, p.dstMin, p.dstMax, p.scratch);
}

/** A chunk to reduce: what `getTraces` returns (`dtype` may be omitted: the array's type says it). */
export interface EnvelopeInput {
  /** Time-major samples, `shape[0]` rows of `shape[1]` channels. */
  data: TypedArray;
  /** [numFrames, numChannels]. */
  shape: readonly [number, number];
  /** The sample type of `data`. */
  dtype?: DType;
}

/** Options of {@link computeEnvelopes}. */
export interface EnvelopeOptions {
  /** Columns (pixels) to reduce the chunk to: 1 to 2**20. */
  columns: number;
  /** Frames per column, possibly fractional; default numFrames / columns (the chunk fills the columns). */
  framesPerColumn?: number;
  /** See {@link EnvelopeAtParams.firstColumn}: reduce a long run block by block, with the run's columns. */
  firstColumn?: number;
  /** See {@link EnvelopeAtParams.chunkStart}. */
  chunkStart?: number;
  /**
   * Per-channel gains: each min and max becomes float32(float32(x) * gain + offset), the envelope of
   * the scaled traces exactly (the scaling is monotonic; a negative gain swaps min and max).
   */
  gains?: ArrayLike<number>;
  /** Per-channel offsets (with or without gains). */
  offsets?: ArrayLike<number>;
  /** Kernel instance to use; default: the shared kernel. */
  kernel?: Kernel;
}

/** Per-column minima and maxima, float32, time-major like traces: `shape[0]` columns of `shape[1]` channels. */
export interface Envelopes {
  min: Float32Array;
  max: Float32Array;
  /** [columns, numChannels]. */
  shape: [number, number];
  /** Frames each column covers (the option, or its default). */
  framesPerColumn: number;
}

/** Where {@link computeEnvelopes} may write its result instead of new arrays. */
export interface EnvelopeOutput {
  min: Float32Array;
  max: Float32Array;
}

function checkOutput(out: EnvelopeOutput | undefined, length: number): EnvelopeOutput {
  if (out === undefined) return { min: new Float32Array(length), max: new Float32Array(length) };
  for (const key of ['min', 'max'] as const) {
    const a = out?.[key];
    if (!(a instanceof Float32Array) || a.length !== length) {
      fail(`computeEnvelopes: out.${key} must be a Float32Array of ${length} values (columns × channels), got ${describe(a)}`);
    }
  }
  return out;
}

/** Applies per-channel gains / offsets to min/max rows in place, as float32(float32(x) * g + o). */
function scaleEnvelopes(env: EnvelopeOutput, numChannels: number, gains?: ArrayLike<number>, offsets?: ArrayLike<number>): void {
  if (!gains && !offsets) return;
  const g = Float32Array.from({ length: numChannels }, (_, c) => (gains ? gains[c] : 1));
  const o = Float32Array.from({ length: numChannels }, (_, c) => (offsets ? offsets[c] : 0));
  const { min, max } = env;
  for (let i = 0; i < min.length; i++) {
    const c = i % numChannels;
    const a = Math.fround(Math.fround(min[i] * g[c]) + o[c]);
    const b = Math.fround(Math.fround(max[i] * g[c]) + o[c]);
    // a negative gain turns the minimum into the maximum
    min[i] = g[c] < 0 ? b : a;
    max[i] = g[c] < 0 ? a : b;
  }
}

/**
 * Reduces a chunk of traces (time-major, any dtype) to per-column minima and maxima per channel,
 * in the kernel: what a viewer draws, one vertical stroke per pixel column and channel, at any zoom.
 * Column k covers frames `[floor(k * framesPerColumn), floor((k + 1) * framesPerColumn))` (at least
 * the frame it starts in); a column past the chunk is NaN. Values are float32: integer samples are
 * exact up to 2**24; float64 samples are rounded to float32 after the reduction. A chunk that is a
 * view of the kernel's memory (from `chunks()`) is reduced where it lies, with no copy in.
 * `out` receives the result instead of new arrays.
 */
export async function computeEnvelopes(traces: EnvelopeInput, opts: EnvelopeOptions, out?: EnvelopeOutput): Promise<Envelopes> {
  if (traces === null || typeof traces !== 'object') fail(`computeEnvelopes: expected traces { data, shape }, got ${describe(traces)}`);
  if (opts === null || typeof opts !== 'object') fail(`computeEnvelopes: expected options { columns }, got ${describe(opts)}`);
  const dtype = dtypeOf(traces.data);
  if (traces.dtype !== undefined && traces.dtype !== dtype) fail(`computeEnvelopes: dtype ${describe(traces.dtype)} does not match the ${dtype} data`);
  const shape = traces.shape;
  if (!Array.isArray(shape) || shape.length !== 2) fail(`computeEnvelopes: shape must be [numFrames, numChannels], got ${describe(shape)}`);
  const [numFrames, numChannels] = shape;
  checkInteger('computeEnvelopes: shape[0] (numFrames)', numFrames, 0, 0x7fffffff);
  checkInteger('computeEnvelopes: shape[1] (numChannels)', numChannels, 0, 0x7fffffff);
  if (traces.data.length !== numFrames * numChannels) {
    fail(`computeEnvelopes: data holds ${traces.data.length} samples, expected ${numFrames} × ${numChannels} = ${numFrames * numChannels}`);
  }
  const columns = opts.columns;
  checkInteger('computeEnvelopes: columns', columns, 1, MAX_ENVELOPE_COLUMNS);
  const framesPerColumn = opts.framesPerColumn ?? Math.max(numFrames, 1) / columns;
  checkFramesPerColumn('computeEnvelopes', framesPerColumn);
  for (const name of ['gains', 'offsets'] as const) {
    const v = opts[name];
    if (v !== undefined && (v === null || typeof v !== 'object' || v.length !== numChannels)) {
      fail(`computeEnvelopes: expected ${numChannels} ${name} (one per channel), got ${describe(v)}`);
    }
  }
  const length = columns * numChannels;
  const result = checkOutput(out, length);
  const kernel = opts.kernel ?? (await getKernel());
  if (numFrames === 0) {
    result.min.fill(NaN);
    result.max.fill(NaN);
    return { ...result, shape: [columns, numChannels], framesPerColumn };
  }
  const inputBytes = numFrames * numChannels * itemSize(dtype);
  // already in linear memory (a view from chunks()): reduce it where it is; alloc may grow memory
  // and detach the view, so keep its address, not the view
  const inPlace = traces.data.buffer === kernel.memory.buffer;
  const srcAddress = inPlace ? traces.data.byteOffset : -1;
  const outBytes = alignUp(length * 4);
  const scratchBytes = envelopeScratchBytes(dtype, numChannels, columns);
  const base = await kernel.alloc((inPlace ? 0 : alignUp(inputBytes)) + scratchBytes + 2 * outBytes);
  try {
    const scratch = base + (inPlace ? 0 : alignUp(inputBytes));
    const src = inPlace ? srcAddress : base;
    if (!inPlace) kernel.bytes(base, inputBytes).set(new Uint8Array(traces.data.buffer, traces.data.byteOffset, inputBytes));
    const dstMin = scratch + scratchBytes;
    const dstMax = dstMin + outBytes;
    envelopeAt(kernel, {
      src, dtype, numChannels, numFrames, columns, framesPerColumn, firstColumn: opts.firstColumn, chunkStart: opts.chunkStart, dstMin, dstMax, scratch,
    });
    result.min.set(new Float32Array(kernel.memory.buffer, dstMin, length));
    result.max.set(new Float32Array(kernel.memory.buffer, dstMax, length));
  } finally {
    kernel.free(base);
  }
  scaleEnvelopes(result, numChannels, opts.gains, opts.offsets);
  return { ...result, shape: [columns, numChannels], framesPerColumn };
}

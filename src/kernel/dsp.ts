// The kernel's DSP entry points: IIR filters across the channels of an interleaved float64 chunk and
// real FFTs of any length. Two levels: `…At` functions take addresses in linear memory (synchronous,
// for preprocessing that keeps chunks there), the others take TypedArrays and allocate their own
// region per call (so concurrent calls never share scratch), copy in, run, copy out and free.
import { SpikewireError, describe } from '../errors.js';
import { getKernel } from './default.js';
import type { Kernel } from './kernel.js';
import type { KernelExports } from './wasm.js';

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

export function exportOf<K extends keyof KernelExports>(kernel: Kernel, name: K): NonNullable<KernelExports[K]> {
  const fn = kernel.wasm[name];
  if (typeof fn !== 'function') {
    throw new SpikewireError('UNSUPPORTED', `this WebAssembly kernel has no "${String(name)}" (built before the filters and FFTs existed)`);
  }
  return (fn as (...args: never[]) => unknown).bind(kernel.wasm) as NonNullable<KernelExports[K]>;
}

export function checkCount(what: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 0x7fffffff) {
    fail(`${what}: expected an integer from ${min} to 2**31-1, got ${describe(value)}`);
  }
}

/** Checks that [address, address + bytes) is 8-byte aligned and inside linear memory. */
export function checkRegion(kernel: Kernel, what: string, address: unknown, bytes: number): void {
  if (typeof address !== 'number' || !Number.isInteger(address) || address < 0 || address % 8 !== 0) {
    fail(`${what}: expected an 8-byte aligned address in linear memory, got ${describe(address)}`);
  }
  const size = kernel.memory.buffer.byteLength;
  if (address + bytes > size) fail(`${what}: [${address}, ${address + bytes}) is outside linear memory (${size} bytes)`);
}

/** The chunk a filter call runs over: addresses of float64 rows in linear memory. */
export interface ChunkAtParams {
  /** Input rows, time-major `[numFrames][numChannels]` float64. */
  src: number;
  /** Output rows (same layout); `src` itself filters in place. */
  dst: number;
  /** Frames (rows). */
  numFrames: number;
  /** Channels (columns). */
  numChannels: number;
  /** Visit rows from the last to the first (the backward pass). */
  reverse?: boolean;
  /**
   * Filter state, float64, read and updated (the final state out): sosfilt `[nSections][2][numChannels]`
   * (scipy's zi for axis 0), lfilter `[nTaps - 1][numChannels]`.
   */
  zi: number;
}

/** Checks the chunk, the size of the filter (`order` = sections or taps) and the state region. */
function checkChunkAt(kernel: Kernel, what: string, p: ChunkAtParams, order: [string, number], stateRows: number): void {
  checkCount(`${what}: numFrames`, p.numFrames);
  checkCount(`${what}: numChannels`, p.numChannels);
  checkCount(`${what}: ${order[0]}`, order[1], 1);
  const data = p.numFrames * p.numChannels * 8;
  checkRegion(kernel, `${what}: src`, p.src, data);
  checkRegion(kernel, `${what}: dst`, p.dst, data);
  checkRegion(kernel, `${what}: zi`, p.zi, Math.max(stateRows, 1) * p.numChannels * 8);
}

/** Arguments of {@link sosfiltAt}. */
export interface SosfiltAtParams extends ChunkAtParams {
  /** `[nSections][6]` float64: b0 b1 b2 a0 a1 a2 with a0 = 1. */
  sos: number;
  /** Sections. */
  nSections: number;
}

/** Cascaded second-order sections along time on data in linear memory (scipy's sosfilt arithmetic). Synchronous. */
export function sosfiltAt(kernel: Kernel, p: SosfiltAtParams): void {
  checkChunkAt(kernel, 'sosfilt', p, ['nSections', p.nSections], 2 * p.nSections);
  checkRegion(kernel, 'sosfilt: sos', p.sos, p.nSections * 48);
  exportOf(kernel, 'sosfilt')(p.src, p.dst, p.numFrames, p.numChannels, p.sos, p.nSections, p.zi, p.reverse ? 1 : 0);
}

/** Arguments of {@link lfilterAt}. */
export interface LfilterAtParams extends ChunkAtParams {
  /** Numerator, `nTaps` float64, already divided by a[0]. */
  b: number;
  /** Denominator, `nTaps` float64, already divided by a[0]. */
  a: number;
  /** Taps (the longer of b and a; the shorter is zero-padded). */
  nTaps: number;
}

/** Direct form II transposed filter along time on data in linear memory (scipy's lfilter arithmetic). Synchronous. */
export function lfilterAt(kernel: Kernel, p: LfilterAtParams): void {
  checkChunkAt(kernel, 'lfilter', p, ['nTaps', p.nTaps], p.nTaps - 1);
  for (const [name, address] of [['b', p.b], ['a', p.a]] as const) checkRegion(kernel, `lfilter: ${name}`, address, p.nTaps * 8);
  exportOf(kernel, 'lfilter')(p.src, p.dst, p.numFrames, p.numChannels, p.b, p.a, p.nTaps, p.zi, p.reverse ? 1 : 0);
}

/** Bytes of work area an FFT of length `n` needs (see {@link fftPrepareAt}). */
export function fftWorkBytes(kernel: Kernel, n: number): number {
  checkCount('fft: n', n, 1);
  return exportOf(kernel, 'fftWorkBytes')(n) >>> 0;
}

/** Prepares the work area at `work` ({@link fftWorkBytes} bytes) for transforms of length `n`. */
export function fftPrepareAt(kernel: Kernel, n: number, work: number): void {
  checkRegion(kernel, 'fft: work', work, fftWorkBytes(kernel, n));
  exportOf(kernel, 'fftPrepare')(n, work);
}

/**
 * numpy.fft.rfft of `n` float64 at `src`, every `srcStride` values (1 = contiguous; the channel
 * count reads one channel of a time-major chunk), into `n/2 + 1` complex (re, im) at `dst`.
 * `work` must have been prepared for `n`.
 */
export function rfftAt(kernel: Kernel, src: number, srcStride: number, n: number, dst: number, work: number): void {
  checkCount('rfft: srcStride', srcStride, 1);
  checkRegion(kernel, 'rfft: src', src, ((n - 1) * srcStride + 1) * 8);
  checkRegion(kernel, 'rfft: dst', dst, (Math.floor(n / 2) + 1) * 16);
  checkRegion(kernel, 'rfft: work', work, fftWorkBytes(kernel, n));
  exportOf(kernel, 'rfft')(src, srcStride, n, dst, work);
}

/** numpy.fft.irfft(spectrum, n): `n/2 + 1` complex at `src` to `n` float64 at `dst`, every `dstStride`. */
export function irfftAt(kernel: Kernel, src: number, n: number, dst: number, dstStride: number, work: number): void {
  checkCount('irfft: dstStride', dstStride, 1);
  checkRegion(kernel, 'irfft: src', src, (Math.floor(n / 2) + 1) * 16);
  checkRegion(kernel, 'irfft: dst', dst, ((n - 1) * dstStride + 1) * 8);
  checkRegion(kernel, 'irfft: work', work, fftWorkBytes(kernel, n));
  exportOf(kernel, 'irfft')(src, n, dst, dstStride, work);
}

/** Where a TypedArray-level call runs: a given kernel, or the shared default one. */
export interface KernelChoice {
  /** Kernel instance to use; default: the shared kernel of getKernel(). */
  kernel?: Kernel;
}

/**
 * Runs `fn` on a fresh region of `bytes` bytes (16-byte aligned parts laid out by the caller),
 * freeing it afterwards. Views of memory must be derived inside `fn` (after any growth).
 */
export async function withRegion<T>(kernel: Kernel, bytes: number, fn: (base: number) => T): Promise<T> {
  const base = await kernel.alloc(bytes);
  try {
    return fn(base);
  } finally {
    kernel.free(base);
  }
}

/** Rounds a byte count up to a multiple of 16 (every part of a region stays vector-aligned). */
const align16 = (n: number) => Math.ceil(n / 16) * 16;

function checkChunk(what: string, x: ArrayLike<number>, numChannels: number): number {
  checkCount(`${what}: numChannels`, numChannels, 1);
  if (x.length % numChannels !== 0) fail(`${what}: ${x.length} values are not a whole number of rows of ${numChannels} channels`);
  return x.length / numChannels;
}

/** Checks an SOS matrix (a multiple of 6 values, a0 = 1 in every section, as scipy requires); returns the section count. */
export function checkSos(what: string, sos: ArrayLike<number>): number {
  if (!sos || typeof sos.length !== 'number' || sos.length === 0 || sos.length % 6 !== 0) {
    fail(`${what}: sos must hold nSections x 6 values, got ${describe(sos)}`);
  }
  for (let s = 0; s < sos.length / 6; s++) {
    if (sos[s * 6 + 3] !== 1) fail(`${what}: sos[${s}][3] (a0) must be 1, got ${sos[s * 6 + 3]}`);
  }
  return sos.length / 6;
}

/** Options of {@link sosfilt} and {@link lfilter}. */
export interface IirOptions extends KernelChoice {
  /** Initial state: sosfilt `[nSections][2][numChannels]`, lfilter `[nTaps-1][numChannels]`; zeros when omitted. */
  zi?: ArrayLike<number>;
  /** 'forward' (default) or 'backward' (scipy's result on the time-reversed chunk, reversed back). */
  direction?: 'forward' | 'backward';
  /** Where to write the output (numFrames × numChannels float64); a new array otherwise. */
  out?: Float64Array;
}

/** Output and final state of a filter call. */
export interface IirResult {
  /** Filtered chunk, time-major float64. */
  y: Float64Array;
  /** Final state, in the layout of the `zi` option. */
  zf: Float64Array;
}

function direction(what: string, d: unknown): boolean {
  if (d === undefined || d === 'forward') return false;
  if (d === 'backward') return true;
  return fail(`${what}: direction must be 'forward' or 'backward', got ${describe(d)}`);
}

function outputFor(what: string, out: Float64Array | undefined, length: number): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (!(out instanceof Float64Array) || out.length !== length) fail(`${what}: out must be a Float64Array of ${length} values, got ${describe(out)}`);
  return out;
}

function stateFor(what: string, zi: ArrayLike<number> | undefined, length: number): ArrayLike<number> | null {
  if (zi === undefined) return null;
  if (!zi || zi.length !== length) fail(`${what}: zi must hold ${length} values, got ${describe(zi)}`);
  return zi;
}

/**
 * scipy.signal.sosfilt(sos, x, axis=0, zi) on a time-major chunk of `numChannels` channels, in the
 * kernel (SIMD lanes = adjacent channels). Returns the output and the final state.
 */
export async function sosfilt(sos: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: IirOptions = {}): Promise<IirResult> {
  const nSections = checkSos('sosfilt', sos);
  const numFrames = checkChunk('sosfilt', x, numChannels);
  const reverse = direction('sosfilt', opts.direction);
  const y = outputFor('sosfilt', opts.out, x.length);
  const zi = stateFor('sosfilt', opts.zi, nSections * 2 * numChannels);
  const kernel = opts.kernel ?? (await getKernel());
  const dataBytes = align16(x.length * 8);
  const sosBytes = align16(nSections * 48);
  const ziLength = nSections * 2 * numChannels;
  return withRegion(kernel, dataBytes + sosBytes + align16(ziLength * 8), (base) => {
    const buffer = kernel.memory.buffer;
    new Float64Array(buffer, base, x.length).set(x);
    new Float64Array(buffer, base + dataBytes, sos.length).set(sos);
    const state = new Float64Array(buffer, base + dataBytes + sosBytes, ziLength);
    if (zi) state.set(zi);
    else state.fill(0);
    sosfiltAt(kernel, { src: base, dst: base, numFrames, numChannels, sos: base + dataBytes, nSections, zi: state.byteOffset, reverse });
    y.set(new Float64Array(kernel.memory.buffer, base, x.length));
    return { y, zf: Float64Array.from(new Float64Array(kernel.memory.buffer, state.byteOffset, ziLength)) };
  });
}

/**
 * Normalises b, a the way scipy's lfilter does (both divided by a[0], the shorter one zero-padded
 * to the longer); refuses a[0] = 0.
 */
export function normalizeBa(what: string, b: ArrayLike<number>, a: ArrayLike<number>): { b: Float64Array; a: Float64Array } {
  if (!b || !a || b.length === 0 || a.length === 0) fail(`${what}: b and a must be non-empty, got b=${describe(b)}, a=${describe(a)}`);
  const a0 = a[0];
  if (a0 === 0) fail(`${what}: a[0] must be non-zero`);
  const n = Math.max(a.length, b.length);
  const nb = new Float64Array(n);
  const na = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nb[i] = i < b.length ? b[i] / a0 : 0;
    na[i] = i < a.length ? a[i] / a0 : 0;
  }
  return { b: nb, a: na };
}

/**
 * scipy.signal.lfilter(b, a, x, axis=0, zi) on a time-major chunk of `numChannels` channels, in the
 * kernel. Returns the output and the final state.
 */
export async function lfilter(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: IirOptions = {}): Promise<IirResult> {
  const norm = normalizeBa('lfilter', b, a);
  const nTaps = norm.b.length;
  const numFrames = checkChunk('lfilter', x, numChannels);
  const reverse = direction('lfilter', opts.direction);
  const y = outputFor('lfilter', opts.out, x.length);
  const ziLength = (nTaps - 1) * numChannels;
  const zi = stateFor('lfilter', opts.zi, ziLength);
  const kernel = opts.kernel ?? (await getKernel());
  const dataBytes = align16(x.length * 8);
  const tapBytes = align16(nTaps * 8);
  return withRegion(kernel, dataBytes + 2 * tapBytes + align16(Math.max(nTaps - 1, 1) * numChannels * 8), (base) => {
    const buffer = kernel.memory.buffer;
    new Float64Array(buffer, base, x.length).set(x);
    new Float64Array(buffer, base + dataBytes, nTaps).set(norm.b);
    new Float64Array(buffer, base + dataBytes + tapBytes, nTaps).set(norm.a);
    const ziAddress = base + dataBytes + 2 * tapBytes;
    const state = new Float64Array(buffer, ziAddress, ziLength);
    if (zi) state.set(zi);
    else state.fill(0);
    lfilterAt(kernel, {
      src: base, dst: base, numFrames, numChannels, b: base + dataBytes, a: base + dataBytes + tapBytes, nTaps, zi: ziAddress, reverse,
    });
    y.set(new Float64Array(kernel.memory.buffer, base, x.length));
    return { y, zf: Float64Array.from(new Float64Array(kernel.memory.buffer, ziAddress, ziLength)) };
  });
}

/**
 * dst[c][r] = src[r][c] for a `rows × cols` row-major matrix, in tiles of rows so that the rows being
 * read stay in cache while each output row is written contiguously (a strided walk down one column
 * of a wide chunk at a time misses the cache on every sample).
 */
function transpose(src: ArrayLike<number>, rows: number, cols: number, dst: Float64Array): void {
  const TILE = 32;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(rows, r0 + TILE);
    for (let c = 0; c < cols; c++) {
      const d = c * rows;
      for (let r = r0; r < r1; r++) dst[d + r] = src[r * cols + c];
    }
  }
}

/** Options of {@link rfft} / {@link irfft}. */
export interface FftOptions extends KernelChoice {
  /** Channels of a time-major chunk (default 1): one transform per channel. */
  numChannels?: number;
}

/**
 * numpy.fft.rfft along time of a time-major chunk (`numChannels` channels, default 1), any length.
 * Returns the spectra channel after channel: `[numChannels][n/2 + 1]` complex as (re, im) pairs.
 */
export async function rfft(x: ArrayLike<number>, opts: FftOptions = {}): Promise<Float64Array> {
  const numChannels = opts.numChannels ?? 1;
  const n = checkChunk('rfft', x, numChannels);
  checkCount('rfft: number of samples', n, 1);
  const bins = Math.floor(n / 2) + 1;
  const kernel = opts.kernel ?? (await getKernel());
  const work = align16(fftWorkBytes(kernel, n));
  const dataBytes = align16(x.length * 8);
  return withRegion(kernel, work + dataBytes + bins * 16 * numChannels, (base) => {
    // channel-major in linear memory, so that each transform reads its samples contiguously
    transpose(x, n, numChannels, new Float64Array(kernel.memory.buffer, base + work, x.length));
    fftPrepareAt(kernel, n, base);
    for (let c = 0; c < numChannels; c++) {
      rfftAt(kernel, base + work + c * n * 8, 1, n, base + work + dataBytes + c * bins * 16, base);
    }
    return Float64Array.from(new Float64Array(kernel.memory.buffer, base + work + dataBytes, bins * 2 * numChannels));
  });
}

/**
 * numpy.fft.irfft(spectrum, n) per channel: `spectra` holds `[numChannels][n/2 + 1]` complex (re, im)
 * pairs (as {@link rfft} returns them); the result is time-major `n × numChannels` float64.
 */
export async function irfft(spectra: ArrayLike<number>, n: number, opts: FftOptions = {}): Promise<Float64Array> {
  const numChannels = opts.numChannels ?? 1;
  checkCount('irfft: n', n, 1);
  checkCount('irfft: numChannels', numChannels, 1);
  const bins = Math.floor(n / 2) + 1;
  if (spectra.length !== bins * 2 * numChannels) {
    fail(`irfft: expected ${numChannels} spectra of ${bins} complex values (${bins * 2 * numChannels} numbers) for n=${n}, got ${spectra.length}`);
  }
  const kernel = opts.kernel ?? (await getKernel());
  const work = align16(fftWorkBytes(kernel, n));
  const specBytes = align16(spectra.length * 8);
  return withRegion(kernel, work + specBytes + n * numChannels * 8, (base) => {
    new Float64Array(kernel.memory.buffer, base + work, spectra.length).set(spectra);
    fftPrepareAt(kernel, n, base);
    for (let c = 0; c < numChannels; c++) {
      irfftAt(kernel, base + work + c * bins * 16, n, base + work + specBytes + c * n * 8, 1, base);
    }
    const out = new Float64Array(n * numChannels);
    transpose(new Float64Array(kernel.memory.buffer, base + work + specBytes, n * numChannels), numChannels, n, out);
    return out;
  });
}

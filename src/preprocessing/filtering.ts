// Zero-phase filtering as scipy.signal's sosfiltfilt / filtfilt (method 'pad') compute it, on
// time-major chunks, with the passes in the kernel: the same edge extension (in the input's own
// dtype, as numpy computes it), the same steady-state initial conditions (sosfilt_zi / lfilter_zi),
// a forward pass, a backward pass in place, and the middle rows out. SpikeInterface's
// FilterRecording calls exactly these on each chunk with its margins.
import type { DType, TypedArray } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { type Kernel, checkSos, copyRowsAt, getKernel, lfilterAt, normalizeBa, sosfiltAt, withRegion } from '../kernel/index.js';
import { alignUp } from '../kernel/memory.js';
import { fma } from './complex.js';

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

/** Sum left to right (numpy's sum of a short float64 vector). */
function sum(values: ArrayLike<number>): number {
  let s = values[0];
  for (let i = 1; i < values.length; i++) s += values[i];
  return s;
}

/**
 * Solves M·x = r (n × n, row-major) the way LAPACK's dgesv does in the OpenBLAS that numpy and scipy
 * link, on a CPU with FMA (where SpikeInterface's reference numbers were made): left-looking LU with
 * partial pivoting (first largest pivot), the column below the pivot scaled by the pivot's
 * reciprocal, matrix-vector and AXPY updates fused (one rounding each), backward substitution
 * dividing by the diagonal. For the 2 × 2 systems of second-order sections this is bit-equal with
 * the fixtures' sosfilt_zi.
 */
function luSolve(m: Float64Array, r: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(m);
  const piv = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    // earlier row swaps, then the unit-lower solve for the U part of column j
    for (let i = 0; i < j; i++) {
      const p = piv[i];
      if (p !== i) [a[i * n + j], a[p * n + j]] = [a[p * n + j], a[i * n + j]];
    }
    for (let i = 1; i < j; i++) {
      let dot = 0;
      for (let k = 0; k < i; k++) dot = fma(a[i * n + k], a[k * n + j], dot);
      a[i * n + j] -= dot;
    }
    // the rest of column j: subtract L[j:, :j] · U[:j, j], one column of L at a time (GEMV)
    for (let k = 0; k < j; k++) {
      const u = -a[k * n + j];
      for (let i = j; i < n; i++) a[i * n + j] = fma(u, a[i * n + k], a[i * n + j]);
    }
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(a[i * n + j]) > Math.abs(a[p * n + j])) p = i;
    piv[j] = p;
    const pivot = a[p * n + j];
    if (pivot === 0) fail('lfilterZi: the steady-state system is singular');
    if (p !== j) for (let k = 0; k <= j; k++) [a[j * n + k], a[p * n + k]] = [a[p * n + k], a[j * n + k]];
    const inv = 1.0 / pivot;
    for (let i = j + 1; i < n; i++) a[i * n + j] *= inv;
  }
  const x = Float64Array.from(r);
  for (let i = 0; i < n; i++) if (piv[i] !== i) [x[i], x[piv[i]]] = [x[piv[i]], x[i]];
  for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) x[k] = fma(-x[i], a[k * n + i], x[k]);
  for (let i = n - 1; i >= 0; i--) {
    x[i] /= a[i * n + i];
    for (let k = 0; k < i; k++) x[k] = fma(-x[i], a[k * n + i], x[k]);
  }
  return x;
}

/**
 * scipy.signal.lfilter_zi(b, a): the state of lfilter for the steady state of a unit step, so that
 * filtering a constant signal from `zi * x[0]` starts without a transient. scipy 1.17 solves
 * (I − Aᵀ)·zi = b[1:] − a[1:]·b[0] with the companion matrix A of a; so does this, in the same
 * order of operations. Length max(len(a), len(b)) − 1.
 */
export function lfilterZi(b: ArrayLike<number>, a: ArrayLike<number>): Float64Array {
  if (!b || !a || b.length === 0 || a.length === 0) fail(`lfilterZi: b and a must be non-empty, got b=${describe(b)}, a=${describe(a)}`);
  let first = 0;
  while (first < a.length - 1 && a[first] === 0) first++;
  if (a[first] === 0) fail('lfilterZi: there must be at least one nonzero a coefficient');
  let aa = Float64Array.from(a).subarray(first);
  let bb = Float64Array.from(b);
  if (aa[0] !== 1) {
    const a0 = aa[0];
    bb = bb.map((v) => v / a0);
    aa = aa.map((v) => v / a0);
  }
  const n = Math.max(aa.length, bb.length);
  const ap = new Float64Array(n);
  const bp = new Float64Array(n);
  ap.set(aa);
  bp.set(bb);
  const m = n - 1;
  // I - companion(a).T: column 0 holds 1 + a[1] (top) and a[k+1] below, the superdiagonal -1
  const mat = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const companionT = j === 0 ? -ap[i + 1] / ap[0] : i === j - 1 ? 1 : 0;
      mat[i * m + j] = (i === j ? 1 : 0) - companionT;
    }
  }
  const rhs = new Float64Array(m);
  for (let i = 0; i < m; i++) rhs[i] = bp[i + 1] - ap[i + 1] * bp[0];
  return luSolve(mat, rhs, m);
}

/**
 * scipy.signal.sosfilt_zi(sos): per section the lfilter_zi of that section scaled by the DC gain
 * of the sections before it. Returns `[nSections][2]` row-major.
 */
export function sosfiltZi(sos: ArrayLike<number>): Float64Array {
  const nSections = checkSos('sosfiltZi', sos);
  const zi = new Float64Array(nSections * 2);
  let scale = 1.0;
  for (let s = 0; s < nSections; s++) {
    const b = [sos[s * 6], sos[s * 6 + 1], sos[s * 6 + 2]];
    const a = [sos[s * 6 + 3], sos[s * 6 + 4], sos[s * 6 + 5]];
    const z = lfilterZi(b, a);
    zi[s * 2] = scale * z[0];
    zi[s * 2 + 1] = scale * z[1];
    scale *= sum(b) / sum(a);
  }
  return zi;
}

/** Edge extension types of scipy's filtfilt / sosfiltfilt; null = none. */
export type PadType = 'odd' | 'even' | 'constant' | null;

/** Options of {@link sosfiltfilt} and {@link filtfilt} (scipy's keywords, `method='pad'`). */
export interface FiltfiltOptions {
  /** Default 'odd'. */
  padtype?: PadType;
  /** Rows of extension at each end; default scipy's 3 × ntaps (see {@link sosfiltfiltPadlen}). */
  padlen?: number;
  /** Where to write the result (numFrames × numChannels float64). */
  out?: Float64Array;
  /** Kernel instance; default the shared one. */
  kernel?: Kernel;
}

/**
 * sosfiltfilt's default padlen: 3 × (2·nSections + 1 − min(#sections with b2 = 0, #with a2 = 0)),
 * which compensates for the origin pole/zero of odd-order designs.
 */
export function sosfiltfiltPadlen(sos: ArrayLike<number>): number {
  const nSections = checkSos('sosfiltfilt', sos);
  let zb = 0;
  let za = 0;
  for (let s = 0; s < nSections; s++) {
    if (sos[s * 6 + 2] === 0) zb++;
    if (sos[s * 6 + 5] === 0) za++;
  }
  return 3 * (2 * nSections + 1 - Math.min(zb, za));
}

/**
 * Writes the edge rows of the extended chunk (the chunk itself is already at row `edge` of `dst`).
 * The extension is computed in the input's dtype like numpy does (`2 * x[0] - x[i]` wraps for
 * integers, rounds to float32 for float32 input) before the filter converts everything to float64.
 */
function writeEdges(
  dst: Float64Array, x: ArrayLike<number>, numFrames: number, numChannels: number, edge: number, padtype: PadType, what: string,
): void {
  if (edge === 0 || padtype === null) return;
  // one element of the input's own type, to round / wrap exactly as numpy's arithmetic in that dtype
  const Ctor = (ArrayBuffer.isView(x) ? (x as TypedArray).constructor : Float64Array) as new (n: number) => TypedArray;
  const cell = new Ctor(1);
  const inType = (v: number) => {
    cell[0] = v;
    return cell[0];
  };
  const last = numFrames - 1;
  for (let i = 1; i <= edge; i++) {
    const left = (edge - i) * numChannels; // row edge - i holds the extension of x[i]
    const right = (edge + last + i) * numChannels;
    for (let c = 0; c < numChannels; c++) {
      const x0 = x[c];
      const xl = x[i * numChannels + c];
      const xn = x[last * numChannels + c];
      const xr = x[(last - i) * numChannels + c];
      if (padtype === 'odd') {
        dst[left + c] = inType(inType(2 * x0) - xl);
        dst[right + c] = inType(inType(2 * xn) - xr);
      } else if (padtype === 'even') {
        dst[left + c] = xl;
        dst[right + c] = xr;
      } else if (padtype === 'constant') {
        dst[left + c] = x0;
        dst[right + c] = xn;
      } else {
        fail(`${what}: padtype must be 'odd', 'even', 'constant' or null, got ${describe(padtype)}`);
      }
    }
  }
}

function checkInput(what: string, x: ArrayLike<number>, numChannels: number): number {
  if (typeof numChannels !== 'number' || !Number.isInteger(numChannels) || numChannels < 1) {
    fail(`${what}: numChannels must be a positive integer, got ${describe(numChannels)}`);
  }
  if (!x || typeof x.length !== 'number' || x.length % numChannels !== 0) {
    fail(`${what}: expected whole rows of ${numChannels} channels, got ${describe(x)}`);
  }
  return x.length / numChannels;
}

function edgeFor(what: string, opts: FiltfiltOptions, defaultPadlen: number, numFrames: number): number {
  const padtype = opts.padtype === undefined ? 'odd' : opts.padtype;
  if (padtype !== null && padtype !== 'odd' && padtype !== 'even' && padtype !== 'constant') {
    fail(`${what}: padtype must be 'odd', 'even', 'constant' or null, got ${describe(padtype)}`);
  }
  let edge = padtype === null ? 0 : opts.padlen ?? defaultPadlen;
  if (typeof edge !== 'number' || !Number.isInteger(edge) || edge < 0) fail(`${what}: padlen must be a non-negative integer, got ${describe(edge)}`);
  if (padtype === null) edge = 0;
  if (numFrames <= edge) fail(`${what}: the chunk has ${numFrames} frames; it must be longer than padlen, which is ${edge}`);
  return edge;
}

/** A filter as {@link forwardBackward} runs it: coefficients, steady state, default padlen and one pass. */
export interface Passes {
  /** The pass of the error messages ('sosfiltfilt' or 'filtfilt'). */
  readonly what: string;
  /** The coefficients, written once into the region. */
  readonly coefficients: Float64Array;
  /** State rows for a unit step (sosfilt_zi / lfilter_zi), scaled by the edge samples. */
  readonly zi: Float64Array;
  /** scipy's default padlen. */
  readonly defaultPadlen: number;
  /** One pass over `frames` rows at `data`, in place. */
  run(kernel: Kernel, data: number, frames: number, numChannels: number, coefficients: number, state: number, reverse: boolean): void;
}

/** sosfiltfilt's passes for these sections. */
export function sosPasses(sos: ArrayLike<number>): Passes {
  const nSections = checkSos('sosfiltfilt', sos);
  return {
    what: 'sosfiltfilt', coefficients: Float64Array.from(sos), zi: sosfiltZi(sos), defaultPadlen: sosfiltfiltPadlen(sos),
    run: (kernel, data, frames, numChannels, coefficients, state, reverse) =>
      sosfiltAt(kernel, { src: data, dst: data, numFrames: frames, numChannels, sos: coefficients, nSections, zi: state, reverse }),
  };
}

/** filtfilt's passes (lfilter, direct form II transposed) for b, a. */
export function baPasses(b: ArrayLike<number>, a: ArrayLike<number>): Passes {
  const norm = normalizeBa('filtfilt', b, a);
  const nTaps = norm.b.length;
  const coefficients = new Float64Array(2 * nTaps);
  coefficients.set(norm.b);
  coefficients.set(norm.a, nTaps);
  return {
    what: 'filtfilt', coefficients, zi: lfilterZi(b, a), defaultPadlen: 3 * nTaps,
    run: (kernel, data, frames, numChannels, c, state, reverse) =>
      lfilterAt(kernel, { src: data, dst: data, numFrames: frames, numChannels, b: c, a: c + nTaps * 8, nTaps, zi: state, reverse }),
  };
}

/**
 * Runs a forward-backward filter over an extended chunk of `frames` rows in a region of linear
 * memory: `fill(data, scratch)` writes the rows, the passes run with the steady-state conditions
 * (zi times the first row, then times the last), and `take(data)` reads the result out before the
 * region is freed. `scratch` serves the kernel's convert on rows of `numChannels`.
 */
async function forwardBackward<T>(
  kernel: Kernel, passes: Passes, frames: number, numChannels: number,
  fill: (data: number, scratch: number) => void, take: (data: number) => T,
): Promise<T> {
  const dataBytes = alignUp(frames * numChannels * 8);
  const coefBytes = alignUp(passes.coefficients.length * 8);
  const nState = passes.zi.length;
  const stateBytes = alignUp(Math.max(nState, 1) * numChannels * 8);
  return withRegion(kernel, dataBytes + coefBytes + stateBytes + kernel.paramBytes(numChannels), (base) => {
    const coefficients = base + dataBytes;
    const stateAddress = coefficients + coefBytes;
    const scratch = stateAddress + stateBytes;
    fill(base, scratch);
    kernel.view('float64', coefficients, passes.coefficients.length).set(passes.coefficients);
    // zi * x[0] (then zi * y[-1]) per channel, in float64
    const scaleState = (row: number) => {
      const state = kernel.view('float64', stateAddress, nState * numChannels);
      const ext = kernel.view('float64', base + row * numChannels * 8, numChannels);
      const zi = passes.zi;
      for (let k = 0; k < nState; k++) for (let c = 0; c < numChannels; c++) state[k * numChannels + c] = zi[k] * ext[c];
    };
    scaleState(0);
    passes.run(kernel, base, frames, numChannels, coefficients, stateAddress, false);
    scaleState(frames - 1);
    passes.run(kernel, base, frames, numChannels, coefficients, stateAddress, true);
    return take(base);
  });
}

/** The public filtfilt functions: a TypedArray in, the extension written from it, the middle copied out. */
async function filtfiltArray(passes: Passes, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions): Promise<Float64Array> {
  const { what } = passes;
  const numFrames = checkInput(what, x, numChannels);
  const edge = edgeFor(what, opts, passes.defaultPadlen, numFrames);
  const padtype = opts.padtype === undefined ? 'odd' : opts.padtype;
  const out = opts.out ?? new Float64Array(x.length);
  if (!(out instanceof Float64Array) || out.length !== x.length) fail(`${what}: out must be a Float64Array of ${x.length} values, got ${describe(out)}`);
  const kernel = opts.kernel ?? (await getKernel());
  const frames = numFrames + 2 * edge;
  return forwardBackward(kernel, passes, frames, numChannels, (data) => {
    const ext = kernel.view('float64', data, frames * numChannels) as Float64Array;
    ext.set(x, edge * numChannels);
    writeEdges(ext, x, numFrames, numChannels, edge, padtype, what);
  }, (data) => {
    out.set(kernel.view('float64', data + edge * numChannels * 8, numFrames * numChannels));
    return out;
  });
}

/** A chunk in linear memory: `numFrames` rows of `numChannels` values of `dtype` at `address`. */
export interface ChunkAt {
  readonly address: number;
  readonly dtype: DType;
  readonly numFrames: number;
  readonly numChannels: number;
}

/**
 * scipy's filtfilt / sosfiltfilt (default padding: 'odd', scipy's padlen) of a chunk already in
 * linear memory, in any dtype (the extension follows numpy's arithmetic in it, the rest converts
 * to float64 in the kernel), writing `rows` rows from row `firstRow` of the result at `dst` as
 * float64, rounded half to even when `round`. Nothing is copied through JavaScript arrays.
 */
export async function filtfiltAt(
  kernel: Kernel, passes: Passes, chunk: ChunkAt, dst: number, firstRow: number, rows: number, round: boolean,
): Promise<void> {
  const { what } = passes;
  const { numFrames, numChannels: k } = chunk;
  const edge = edgeFor(what, {}, passes.defaultPadlen, numFrames);
  check(Number.isInteger(firstRow) && Number.isInteger(rows) && firstRow >= 0 && rows >= 0 && firstRow + rows <= numFrames,
    'INVALID_ARGUMENT', () => `${what}: rows [${firstRow}, ${firstRow + rows}) are not inside the chunk's ${numFrames}`);
  await forwardBackward(kernel, passes, numFrames + 2 * edge, k, (data, scratch) => {
    kernel.convert({ src: chunk.address, srcDtype: chunk.dtype, srcChannels: k, numFrames, dst: data + edge * k * 8, dstDtype: 'float64', scratch });
    const ext = kernel.view('float64', data, (numFrames + 2 * edge) * k) as Float64Array;
    writeEdges(ext, kernel.view(chunk.dtype, chunk.address, numFrames * k), numFrames, k, edge, 'odd', what);
  }, (data) => {
    copyRowsAt(kernel, data + (edge + firstRow) * k * 8, dst, rows * k, round);
  });
}

/**
 * scipy.signal.sosfiltfilt(sos, x, axis=0, padtype, padlen) on a time-major chunk (any numeric
 * TypedArray: the edge extension follows its dtype as numpy's does), passes in the kernel.
 */
export async function sosfiltfilt(sos: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions = {}): Promise<Float64Array> {
  return filtfiltArray(sosPasses(sos), x, numChannels, opts);
}

/**
 * scipy.signal.filtfilt(b, a, x, axis=0, padtype, padlen) with method 'pad' on a time-major chunk,
 * passes in the kernel (lfilter, direct form II transposed).
 */
export async function filtfilt(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions = {}): Promise<Float64Array> {
  return filtfiltArray(baPasses(b, a), x, numChannels, opts);
}

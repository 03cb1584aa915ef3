// Zero-phase filtering as scipy.signal's sosfiltfilt / filtfilt (method 'pad') compute it, on
// time-major chunks, with the passes in the kernel: the same edge extension (in the input's own
// dtype, as numpy computes it), the same steady-state initial conditions (sosfilt_zi / lfilter_zi),
// a forward pass, a backward pass in place, and the middle rows out. SpikeInterface's
// FilterRecording calls exactly these on each chunk with its margins.
import type { TypedArray } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';
import { type Kernel, checkSos, getKernel, lfilterAt, normalizeBa, sosfiltAt, withRegion } from '../kernel/index.js';
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
 * Writes the extended chunk (edge rows, the chunk, edge rows) as float64 at `dst`. The extension
 * is computed in the input's dtype like numpy does (`2 * x[0] - x[i]` wraps for integers, rounds
 * to float32 for float32 input) before the filter converts everything to float64.
 */
function writeExtended(
  dst: Float64Array, x: ArrayLike<number>, numFrames: number, numChannels: number, edge: number, padtype: PadType, what: string,
): void {
  dst.set(x, edge * numChannels);
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

/** Runs a forward-backward pass over an extended chunk in linear memory and copies the middle out. */
async function forwardBackward(
  what: string, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions, defaultPadlen: number,
  zi: Float64Array, coefficientBytes: number,
  run: (kernel: Kernel, data: number, frames: number, coefficients: number, state: number, reverse: boolean) => void,
  writeCoefficients: (view: Float64Array) => void,
): Promise<Float64Array> {
  const numFrames = checkInput(what, x, numChannels);
  const edge = edgeFor(what, opts, defaultPadlen, numFrames);
  const padtype = opts.padtype === undefined ? 'odd' : opts.padtype;
  const out = opts.out ?? new Float64Array(x.length);
  if (!(out instanceof Float64Array) || out.length !== x.length) fail(`${what}: out must be a Float64Array of ${x.length} values, got ${describe(out)}`);
  const kernel = opts.kernel ?? (await getKernel());
  const frames = numFrames + 2 * edge;
  const dataBytes = Math.ceil((frames * numChannels * 8) / 16) * 16;
  const coefBytes = Math.ceil(coefficientBytes / 16) * 16;
  const nState = zi.length;
  return withRegion(kernel, dataBytes + coefBytes + Math.max(nState, 1) * numChannels * 8, (base) => {
    const buffer = kernel.memory.buffer;
    const ext = new Float64Array(buffer, base, frames * numChannels);
    writeExtended(ext, x, numFrames, numChannels, edge, padtype, what);
    writeCoefficients(new Float64Array(buffer, base + dataBytes, coefficientBytes / 8));
    const stateAddress = base + dataBytes + coefBytes;
    const state = new Float64Array(buffer, stateAddress, nState * numChannels);
    // zi * x[0] (then zi * y[-1]) per channel, in float64
    const scaleState = (row: number) => {
      for (let k = 0; k < nState; k++) for (let c = 0; c < numChannels; c++) state[k * numChannels + c] = zi[k] * ext[row * numChannels + c];
    };
    scaleState(0);
    run(kernel, base, frames, base + dataBytes, stateAddress, false);
    scaleState(frames - 1);
    run(kernel, base, frames, base + dataBytes, stateAddress, true);
    out.set(ext.subarray(edge * numChannels, (edge + numFrames) * numChannels));
    return out;
  });
}

/**
 * scipy.signal.sosfiltfilt(sos, x, axis=0, padtype, padlen) on a time-major chunk (any numeric
 * TypedArray: the edge extension follows its dtype as numpy's does), passes in the kernel.
 */
export async function sosfiltfilt(sos: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions = {}): Promise<Float64Array> {
  const nSections = checkSos('sosfiltfilt', sos);
  const zi = sosfiltZi(sos);
  return forwardBackward(
    'sosfiltfilt', x, numChannels, opts, sosfiltfiltPadlen(sos), zi, nSections * 48,
    (kernel, data, frames, coefficients, state, reverse) =>
      sosfiltAt(kernel, { src: data, dst: data, numFrames: frames, numChannels, sos: coefficients, nSections, zi: state, reverse }),
    (view) => view.set(sos),
  );
}

/**
 * scipy.signal.filtfilt(b, a, x, axis=0, padtype, padlen) with method 'pad' on a time-major chunk,
 * passes in the kernel (lfilter, direct form II transposed).
 */
export async function filtfilt(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, numChannels: number, opts: FiltfiltOptions = {}): Promise<Float64Array> {
  const norm = normalizeBa('filtfilt', b, a);
  const nTaps = norm.b.length;
  const zi = lfilterZi(b, a);
  return forwardBackward(
    'filtfilt', x, numChannels, opts, 3 * nTaps, zi, 2 * nTaps * 8,
    (kernel, data, frames, coefficients, state, reverse) =>
      lfilterAt(kernel, { src: data, dst: data, numFrames: frames, numChannels, b: coefficients, a: coefficients + nTaps * 8, nTaps, zi: state, reverse }),
    (view) => {
      view.set(norm.b);
      view.set(norm.a, nTaps);
    },
  );
}

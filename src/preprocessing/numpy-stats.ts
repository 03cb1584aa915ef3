import type { DType, TypedArray } from '../dtype.js';
import { SpikewireError } from '../errors.js';
import type { Traces } from '../core/recording.js';

// numpy's statistics on (samples × channels) arrays, with numpy's arithmetic: integer samples are
// reduced in float64, float32 samples in float32 (each operation rounded to float32, as numpy keeps
// the input's float type), float64 in float64. How numpy sums a column depends on the memory
// layout of the array: along axis 0 of a C-order array it adds row after row (the reduced axis is
// outside the inner loop), while the columns of a Fortran-order array (what SpikeInterface's SOS
// filters return) are contiguous and summed pairwise. `pairwise` says which one applies.

/** Rounds as numpy's arithmetic in the samples' float type does (identity for float64). */
export type Rounding = (x: number) => number;

const identity: Rounding = (x) => x;

/** float32 samples compute in float32; integers and float64 in float64. */
export function roundingFor(dtype: DType): Rounding {
  return dtype === 'float32' ? Math.fround : identity;
}

/** Channel `c` of time-major samples, as float64 numbers (exact for every sample type but int64). */
export function column(traces: Traces, c: number): Float64Array {
  const [n, k] = traces.shape;
  const out = new Float64Array(n);
  const d = traces.data as ArrayLike<number>;
  for (let i = 0; i < n; i++) out[i] = d[i * k + c];
  return out;
}

/** Every channel of time-major samples, one float64 array each. */
export function columns(traces: Traces): Float64Array[] {
  return Array.from({ length: traces.shape[1] }, (_, c) => column(traces, c));
}

/** The samples' values as one float64 array in memory order (for statistics of the whole array). */
export function flat(traces: Traces): Float64Array {
  return Float64Array.from(traces.data as ArrayLike<number>);
}

function checkNonEmpty(what: string, values: ArrayLike<number>): void {
  if (values.length === 0) throw new SpikewireError('INVALID_ARGUMENT', `${what}: there are no samples to estimate it from`);
}

/** np.median of values: the middle of the sorted values, or the mean of the two middle ones ((a + b) / 2 in the samples' float type). */
export function median(values: ArrayLike<number>, r: Rounding = identity): number {
  checkNonEmpty('median', values);
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n % 2 === 1) return sorted[(n - 1) / 2];
  return r(r(sorted[n / 2 - 1] + sorted[n / 2]) / 2);
}

/**
 * np.quantile(values, qs) with the default 'linear' method as numpy 2 computes it: virtual index
 * (n - 1)·q, gamma its fractional part, and `_lerp`: a + (b - a)·γ below γ = 0.5, b - (b - a)·(1 - γ)
 * from 0.5 on (in float64).
 */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  checkNonEmpty('quantile', values);
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return qs.map((q) => {
    const virtual = (n - 1) * q;
    if (virtual >= n - 1) return sorted[n - 1];
    if (virtual < 0) return sorted[0];
    const previous = Math.floor(virtual);
    const gamma = virtual - previous;
    const a = sorted[previous];
    const b = sorted[previous + 1];
    const diff = b - a;
    return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
  });
}

/** Sequential sum (numpy's reduction along axis 0 of a C-order array, one row after the other). */
export function sequentialSum(values: ArrayLike<number>, r: Rounding = identity): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s = r(s + values[i]);
  return s;
}

const PW_BLOCKSIZE = 128;

/**
 * numpy's pairwise summation of contiguous values (pairwise_sum in loops_utils.h): below 8 values
 * a plain loop, up to 128 eight interleaved accumulators, above that the two halves (split at a
 * multiple of 8) summed apart.
 */
export function pairwiseSum(values: ArrayLike<number>, r: Rounding = identity, start = 0, n = values.length - start): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = r(s + values[start + i]);
    return s;
  }
  if (n <= PW_BLOCKSIZE) {
    const acc = new Array<number>(8);
    for (let j = 0; j < 8; j++) acc[j] = values[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) acc[j] = r(acc[j] + values[start + i + j]);
    let s = r(r(r(acc[0] + acc[1]) + r(acc[2] + acc[3])) + r(r(acc[4] + acc[5]) + r(acc[6] + acc[7])));
    for (; i < n; i++) s = r(s + values[start + i]);
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return r(pairwiseSum(values, r, start, half) + pairwiseSum(values, r, start + half, n - half));
}

/** np.sum of a column: pairwise when the column is contiguous in numpy's array, else sequential. */
export function columnSum(values: ArrayLike<number>, r: Rounding = identity, pairwise = false): number {
  return pairwise ? pairwiseSum(values, r) : sequentialSum(values, r);
}

/** np.mean along axis 0: the column's sum divided by the count (both in the samples' float type). */
export function mean(values: ArrayLike<number>, r: Rounding = identity, pairwise = false): number {
  checkNonEmpty('mean', values);
  return r(columnSum(values, r, pairwise) / values.length);
}

/** np.std along axis 0 (ddof 0): sqrt of the mean of squared deviations from the mean. */
export function std(values: ArrayLike<number>, r: Rounding = identity, pairwise = false): number {
  const m = mean(values, r, pairwise);
  const squares = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const d = r(values[i] - m);
    squares[i] = r(d * d);
  }
  return r(Math.sqrt(r(columnSum(squares, r, pairwise) / values.length)));
}

/** Values in a typed array of the given dtype's float type, for results numpy keeps in float32. */
export function asFloatArray(values: readonly number[], dtype: DType): TypedArray {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

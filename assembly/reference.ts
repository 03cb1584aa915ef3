// Common reference kernels: per frame, the median or mean of a list of channel columns of a float64
// block, and the re-referenced columns. numpy's arithmetic is followed step by step so that results
// are bit-identical: np.median averages the two middle values for even counts, np.mean sums with
// numpy's pairwise summation, and a float32 parent is reduced in float32 (numpy keeps the input's
// float type), where an integer parent is reduced in float64.

import { fmaF64 } from './fma';

/** Operator codes of {@link referenceShift}. */
const OP_MEDIAN: i32 = 0;
const OP_MEAN: i32 = 1;
const OP_WEIGHTED: i32 = 2;

/** Flags of {@link referenceShift} and {@link subtractShift}. */
const FLAG_F32: i32 = 1; // arithmetic in float32 (numpy on a float32 parent)
const FLAG_ROUND: i32 = 2; // np.round: half to even
const FLAG_STORE_F32: i32 = 4; // the result lands in a float32 array before rounding

/** numpy's pairwise summation block (PW_BLOCKSIZE). */
const PW_BLOCKSIZE: i32 = 128;

// numpy's DOUBLE_pairwise_sum over `n` contiguous f64 values at `a`.
function pairwiseF64(a: usize, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0.0;
    for (let i = 0; i < n; i++) res += load<f64>(a + (<usize>i << 3));
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = load<f64>(a), r1 = load<f64>(a + 8), r2 = load<f64>(a + 16), r3 = load<f64>(a + 24);
    let r4 = load<f64>(a + 32), r5 = load<f64>(a + 40), r6 = load<f64>(a + 48), r7 = load<f64>(a + 56);
    let i = 8;
    const stop = n - (n % 8);
    for (; i < stop; i += 8) {
      const p = a + (<usize>i << 3);
      r0 += load<f64>(p); r1 += load<f64>(p + 8); r2 += load<f64>(p + 16); r3 += load<f64>(p + 24);
      r4 += load<f64>(p + 32); r5 += load<f64>(p + 40); r6 += load<f64>(p + 48); r7 += load<f64>(p + 56);
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += load<f64>(a + (<usize>i << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseF64(a, n2) + pairwiseF64(a + (<usize>n2 << 3), n - n2);
}

// numpy's FLOAT_pairwise_sum: the same order, every step rounded to float32. The values are stored
// as f64 (exact float32 values).
function pairwiseF32(a: usize, n: i32): f32 {
  if (n < 8) {
    let res: f32 = 0.0;
    for (let i = 0; i < n; i++) res += <f32>load<f64>(a + (<usize>i << 3));
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = <f32>load<f64>(a), r1 = <f32>load<f64>(a + 8), r2 = <f32>load<f64>(a + 16), r3 = <f32>load<f64>(a + 24);
    let r4 = <f32>load<f64>(a + 32), r5 = <f32>load<f64>(a + 40), r6 = <f32>load<f64>(a + 48), r7 = <f32>load<f64>(a + 56);
    let i = 8;
    const stop = n - (n % 8);
    for (; i < stop; i += 8) {
      const p = a + (<usize>i << 3);
      r0 += <f32>load<f64>(p); r1 += <f32>load<f64>(p + 8); r2 += <f32>load<f64>(p + 16); r3 += <f32>load<f64>(p + 24);
      r4 += <f32>load<f64>(p + 32); r5 += <f32>load<f64>(p + 40); r6 += <f32>load<f64>(p + 48); r7 += <f32>load<f64>(p + 56);
    }
    let res: f32 = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += <f32>load<f64>(a + (<usize>i << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseF32(a, n2) + pairwiseF32(a + (<usize>n2 << 3), n - n2);
}

@inline function at(a: usize, i: i32): f64 {
  return load<f64>(a + (<usize>i << 3));
}

@inline function swap(a: usize, i: i32, j: i32): void {
  const pi = a + (<usize>i << 3);
  const pj = a + (<usize>j << 3);
  const t = load<f64>(pi);
  store<f64>(pi, load<f64>(pj));
  store<f64>(pj, t);
}

// Moves the k-th smallest of a[0..n) to a[k], smaller-or-equal values before it (quickselect with a
// median-of-three pivot; insertion sort below 16 values, where it is faster).
function select(a: usize, n: i32, k: i32): void {
  let lo = 0;
  let hi = n - 1;
  while (hi - lo >= 16) {
    const mid = lo + ((hi - lo) >> 1);
    if (at(a, mid) < at(a, lo)) swap(a, mid, lo);
    if (at(a, hi) < at(a, lo)) swap(a, hi, lo);
    if (at(a, hi) < at(a, mid)) swap(a, hi, mid);
    const pivot = at(a, mid);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (at(a, i) < pivot) i++;
      while (at(a, j) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = at(a, i);
    let j = i - 1;
    while (j >= lo && at(a, j) > v) {
      store<f64>(a + (<usize>(j + 1) << 3), at(a, j));
      j--;
    }
    store<f64>(a + (<usize>(j + 1) << 3), v);
  }
}

/** Longest list whose middle values are found by ranking (every pair compared, no data-dependent branch). */
const RANK_MAX: i32 = 12;

// np.median of the n values at `a` (reordered by the longer lists' selection): the middle value, or the mean of the two middle ones.
function median(a: usize, n: i32, f32mode: bool): f64 {
  const k = n >> 1;
  let upper: f64;
  let lower: f64;
  if (n <= RANK_MAX) {
    // the rank of a[i] in a stable sort: values below it, plus equal ones before it. A small list
    // (a 'local' annulus has a handful of channels) costs n² comparisons that never mispredict,
    // where sorting it mispredicts about every other one.
    upper = NaN;
    lower = NaN;
    for (let i = 0; i < n; i++) {
      const v = at(a, i);
      let rank = 0;
      for (let j = 0; j < i; j++) rank += <i32>(at(a, j) <= v);
      for (let j = i + 1; j < n; j++) rank += <i32>(at(a, j) < v);
      if (rank == k) upper = v;
      if (rank == k - 1) lower = v;
    }
    if (n & 1) return upper;
  } else {
    select(a, n, k);
    upper = at(a, k);
    if (n & 1) return upper;
    lower = at(a, 0);
    for (let i = 1; i < k; i++) lower = max(lower, at(a, i));
  }
  // numpy: mean of the two values = (0 + lower + upper) / 2 in the reduction's type
  if (f32mode) return <f64>((<f32>lower + <f32>upper) / <f32>2.0);
  return (lower + upper) / 2.0;
}

/**
 * For each of `numFrames` rows of the float64 block at `src` (`stride` values per row), the reference
 * of the `nRef` columns listed at `refs` (i32), written to `out` (f64 per row):
 * op 0 = np.median, op 1 = np.mean, op 2 = the fused multiply-add sum of value * `weight` in column
 * order (a row of a BLAS dot product with a kernel of equal weights). `flags & 1`: float32 arithmetic. `scratch`: nRef f64.
 */
export function referenceShift(
  src: usize, numFrames: i32, stride: i32, refs: usize, nRef: i32, op: i32, flags: i32, weight: f64, out: usize, scratch: usize,
): void {
  const f32mode = (flags & FLAG_F32) != 0;
  const rowBytes = <usize>stride << 3;
  for (let t = 0; t < numFrames; t++) {
    const row = src + <usize>t * rowBytes;
    let shift: f64 = 0.0;
    if (op == OP_WEIGHTED) {
      // a BLAS dot product: fused multiply-adds in column order
      for (let j = 0; j < nRef; j++) shift = fmaF64(load<f64>(row + (<usize>load<i32>(refs + (<usize>j << 2)) << 3)), weight, shift);
    } else {
      for (let j = 0; j < nRef; j++) {
        store<f64>(scratch + (<usize>j << 3), load<f64>(row + (<usize>load<i32>(refs + (<usize>j << 2)) << 3)));
      }
      if (op == OP_MEDIAN) shift = median(scratch, nRef, f32mode);
      else if (f32mode) shift = <f64>(pairwiseF32(scratch, nRef) / <f32>nRef);
      else shift = pairwiseF64(scratch, nRef) / <f64>nRef;
    }
    store<f64>(out + (<usize>t << 3), shift);
  }
}

/**
 * Re-referenced columns: row t, column j of `dst` (f64, `dstStride` per row) = x[t, cols[j]] - shift[t],
 * for the `nCols` columns listed at `cols` (i32) of the f64 block at `src`. Flags: 1 = float32
 * subtraction, 4 = the difference is stored as float32 first, 2 = then np.round (half to even).
 */
export function subtractShift(
  src: usize, numFrames: i32, stride: i32, cols: usize, nCols: i32, shift: usize, dst: usize, dstStride: i32, flags: i32,
): void {
  for (let t = 0; t < numFrames; t++) {
    const row = rowAt(src, t, stride);
    const out = rowAt(dst, t, dstStride);
    const s = load<f64>(shift + (<usize>t << 3));
    for (let j = 0; j < nCols; j++) {
      const x = load<f64>(row + (<usize>load<i32>(cols + (<usize>j << 2)) << 3));
      store<f64>(out + (<usize>j << 3), referenced(x, s, flags));
    }
  }
}

/** Address of row t of an f64 block of `stride` values per row. */
// @ts-ignore: decorator
@inline function rowAt(base: usize, t: i32, stride: i32): usize {
  return base + ((<usize>t * <usize>stride) << 3);
}

// One re-referenced value, numpy's steps (flags of subtractShift): the difference (in float32 for a
// float32 parent), stored as float32 first when asked, then np.round (half to even).
// @ts-ignore: decorator
@inline function referenced(x: f64, s: f64, flags: i32): f64 {
  let y: f64 = (flags & FLAG_F32) != 0 ? <f64>(<f32>x - <f32>s) : x - s;
  if ((flags & FLAG_STORE_F32) != 0) y = <f64><f32>y;
  if ((flags & FLAG_ROUND) != 0) y = nearest(y);
  return y;
}

/**
 * The 'local' reference, frame by frame: row t, column j of `dst` (f64, `dstStride` per row)
 * = x[t, cols[j]] - ref, ref = np.median of x[t, neighbours of j] (op 0) or the fused multiply-add
 * sum of those values times 1 / their count in column order (op 2, the row of numpy's dot product
 * with SpikeInterface's averaging kernel), with the flags of {@link subtractShift}. The
 * neighbours of column j are the i32 column indices `nbr[start[j] .. start[j + 1])` (`start`: nCols + 1
 * i32). Each row is visited once while it is in cache (one pass per column would stream the whole
 * block once per channel). `scratch`: as many f64 as the longest neighbour list.
 */
export function localShift(
  src: usize, numFrames: i32, stride: i32, cols: usize, nCols: i32, start: usize, nbr: usize, op: i32, dst: usize, dstStride: i32, flags: i32, scratch: usize,
): void {
  const f32mode = (flags & FLAG_F32) != 0;
  for (let t = 0; t < numFrames; t++) {
    const row = rowAt(src, t, stride);
    const out = rowAt(dst, t, dstStride);
    for (let j = 0; j < nCols; j++) {
      const first = load<i32>(start + (<usize>j << 2));
      const n = load<i32>(start + (<usize>(j + 1) << 2)) - first;
      const list = nbr + (<usize>first << 2);
      let s: f64 = 0.0;
      if (op == OP_WEIGHTED) {
        const weight = 1.0 / <f64>n;
        for (let i = 0; i < n; i++) s = fmaF64(load<f64>(row + (<usize>load<i32>(list + (<usize>i << 2)) << 3)), weight, s);
      } else {
        for (let i = 0; i < n; i++) {
          store<f64>(scratch + (<usize>i << 3), load<f64>(row + (<usize>load<i32>(list + (<usize>i << 2)) << 3)));
        }
        s = median(scratch, n, f32mode);
      }
      const x = load<f64>(row + (<usize>load<i32>(cols + (<usize>j << 2)) << 3));
      store<f64>(out + (<usize>j << 3), referenced(x, s, flags));
    }
  }
}

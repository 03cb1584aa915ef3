// Min/max envelopes for drawing: reduces an interleaved chunk (time-major [numFrames][numChannels], any
// of the eight sample types) to one minimum and one maximum per pixel column and channel, as float32.
// A trace drawn as one vertical segment per column from min to max shows every spike at any zoom,
// with work proportional to pixels, not samples.
//
// The reduction runs in the input's own type (exact for every type), channels side by side in v128
// lanes (SIMD build: 16 int8 / 8 int16 / 4 int32 or float32 / 2 float64 channels per instruction);
// each column's result is converted to float32 once. Float min/max propagate NaN (wasm's f32.min /
// f64.min, like Math.min), and -0 is smaller than +0.

import { INT8, UINT8, INT16, UINT16, INT32, UINT32, FLOAT32, FLOAT64 } from './dtypes';

/** Lane-wise minimum (min = true) or maximum of two vectors of S. */
// @ts-ignore: decorator
@inline function vpick<S>(a: v128, b: v128, min: bool): v128 {
  if (isFloat<S>()) {
    if (sizeof<S>() == 4) return min ? f32x4.min(a, b) : f32x4.max(a, b);
    return min ? f64x2.min(a, b) : f64x2.max(a, b);
  }
  if (sizeof<S>() == 1) {
    if (isSigned<S>()) return min ? i8x16.min_s(a, b) : i8x16.max_s(a, b);
    return min ? i8x16.min_u(a, b) : i8x16.max_u(a, b);
  }
  if (sizeof<S>() == 2) {
    if (isSigned<S>()) return min ? i16x8.min_s(a, b) : i16x8.max_s(a, b);
    return min ? i16x8.min_u(a, b) : i16x8.max_u(a, b);
  }
  if (isSigned<S>()) return min ? i32x4.min_s(a, b) : i32x4.max_s(a, b);
  return min ? i32x4.min_u(a, b) : i32x4.max_u(a, b);
}

/**
 * Folds rows (start, end) of the chunk into the accumulator rows at lo / hi (row `start` already
 * copied into both): lo = min(lo, row), hi = max(hi, row). The SIMD build walks 64 bytes of channels
 * at a time down the column's rows with the running min/max in registers (a column's rows stay in
 * cache), then the remaining vectors and the scalar tail.
 */
function fold<S>(src: usize, rowBytes: usize, start: usize, end: usize, lo: usize, hi: usize): void {
  const isz = <usize>sizeof<S>();
  let b: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const wide = rowBytes & ~(<usize>63);
    const vecBytes = rowBytes & ~(<usize>15);
    const first = src + start * rowBytes;
    for (; b < wide; b += 64) {
      let l0 = v128.load(lo + b), l1 = v128.load(lo + b, 16), l2 = v128.load(lo + b, 32), l3 = v128.load(lo + b, 48);
      let h0 = l0, h1 = l1, h2 = l2, h3 = l3;
      let row = first + rowBytes + b;
      for (let t = start + 1; t < end; t++) {
        const x0 = v128.load(row, 0, 1), x1 = v128.load(row, 16, 1), x2 = v128.load(row, 32, 1), x3 = v128.load(row, 48, 1);
        l0 = vpick<S>(l0, x0, true); h0 = vpick<S>(h0, x0, false);
        l1 = vpick<S>(l1, x1, true); h1 = vpick<S>(h1, x1, false);
        l2 = vpick<S>(l2, x2, true); h2 = vpick<S>(h2, x2, false);
        l3 = vpick<S>(l3, x3, true); h3 = vpick<S>(h3, x3, false);
        row += rowBytes;
      }
      v128.store(lo + b, l0); v128.store(lo + b, l1, 16); v128.store(lo + b, l2, 32); v128.store(lo + b, l3, 48);
      v128.store(hi + b, h0); v128.store(hi + b, h1, 16); v128.store(hi + b, h2, 32); v128.store(hi + b, h3, 48);
    }
    for (; b < vecBytes; b += 16) {
      let l = v128.load(lo + b);
      let h = l;
      let row = first + rowBytes + b;
      for (let t = start + 1; t < end; t++) {
        const x = v128.load(row, 0, 1);
        l = vpick<S>(l, x, true);
        h = vpick<S>(h, x, false);
        row += rowBytes;
      }
      v128.store(lo + b, l);
      v128.store(hi + b, h);
    }
  }
  if (b == rowBytes) return;
  for (let t = start + 1; t < end; t++) {
    const row = src + t * rowBytes;
    for (let c = b; c < rowBytes; c += isz) {
      const x = load<S>(row + c);
      store<S>(lo + c, min<S>(load<S>(lo + c), x));
      store<S>(hi + c, max<S>(load<S>(hi + c), x));
    }
  }
}

/** Writes the accumulator rows (n values of S) as float32 rows at dMin / dMax. */
function emit<S>(lo: usize, hi: usize, n: usize, dMin: usize, dMax: usize): void {
  const isz = <usize>sizeof<S>();
  for (let c: usize = 0; c < n; c++) {
    store<f32>(dMin + (c << 2), <f32>load<S>(lo + c * isz));
    store<f32>(dMax + (c << 2), <f32>load<S>(hi + c * isz));
  }
}

function columnsOf<S>(
  src: usize, nc: usize, nf: usize, columns: usize, bounds: usize, dMin: usize, dMax: usize, scratch: usize,
): void {
  const isz = <usize>sizeof<S>();
  const rowBytes = nc * isz;
  const lo = scratch;
  const hi = scratch + ((rowBytes + 15) & ~(<usize>15));
  const rowOut = nc << 2;
  for (let k: usize = 0; k < columns; k++) {
    const dm = dMin + k * rowOut;
    const dx = dMax + k * rowOut;
    const first = load<i32>(bounds + (k << 2));
    const start = <usize>(first < 0 ? 0 : first);
    if (start >= nf) {
      // past the chunk: NaN says "no sample here", which a drawing loop skips
      for (let c: usize = 0; c < nc; c++) {
        store<f32>(dm + (c << 2), NaN);
        store<f32>(dx + (c << 2), NaN);
      }
      continue;
    }
    const next = load<i32>(bounds + ((k + 1) << 2));
    let end: usize = next < 0 ? 0 : <usize>next;
    if (end <= start) end = start + 1; // fewer than one frame per column: the frame the column starts in
    if (end > nf) end = nf;
    memory.copy(lo, src + start * rowBytes, rowBytes);
    memory.copy(hi, src + start * rowBytes, rowBytes);
    fold<S>(src, rowBytes, start, end, lo, hi);
    emit<S>(lo, hi, nc, dm, dx);
  }
}

/**
 * Per-column min/max of a time-major chunk at `src` (`numFrames` rows of `numChannels` samples of
 * dtype code `srcType`).
 *
 * `bounds`: i32[columns + 1], column k covers frames [bounds[k], bounds[k + 1]) of the chunk (the
 * facade computes them from a possibly fractional number of frames per column), at least the one
 * frame it starts in, clipped to the chunk; a column that starts past the chunk gets NaN. Outputs are
 * float32 rows `[columns][numChannels]` at `dstMin` and `dstMax`. `scratch`:
 * 2 * align16(numChannels * itemSize) bytes, 16-byte aligned, overwritten.
 */
export function envelope(
  src: usize, srcType: i32, numChannels: i32, numFrames: i32, columns: i32, bounds: usize,
  dstMin: usize, dstMax: usize, scratch: usize,
): void {
  if (numChannels <= 0 || numFrames <= 0 || columns <= 0) return;
  const nc = <usize>numChannels;
  const nf = <usize>numFrames;
  const cols = <usize>columns;
  switch (srcType) {
    case INT8: columnsOf<i8>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case UINT8: columnsOf<u8>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case INT16: columnsOf<i16>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case UINT16: columnsOf<u16>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case INT32: columnsOf<i32>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case UINT32: columnsOf<u32>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case FLOAT32: columnsOf<f32>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
    case FLOAT64: columnsOf<f64>(src, nc, nf, cols, bounds, dstMin, dstMax, scratch); break;
  }
}

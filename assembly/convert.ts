// The conversion kernel (the core module, see index.ts): gathers, converts and scales blocks of
// interleaved samples that sit in linear memory. Two builds (SIMD and scalar): every v128 op is
// behind the compile-time constant ASC_FEATURE_SIMD, so the scalar build contains none.
//
// Runtime "stub", no managed objects: the kernel never allocates. The TypeScript facade
// (src/kernel/) owns linear memory above heapBase() and hands addresses to convert().
//
// dtype codes (src/dtype.ts): int8=0 uint8=1 int16=2 uint16=3 int32=4 uint32=5 float32=6 float64=7

import { INT8, UINT8, INT16, UINT16, INT32, UINT32, FLOAT32, FLOAT64 } from './dtypes';

/** Rows ahead whose cache lines a sparse row loop touches early (wasm has no prefetch instruction). */
const PREFETCH: usize = 16;
/** Where touch-ahead loads go, so that no optimiser drops them. */
let sink: i32 = 0;

/** Frames per tile when transposing channel-major input (timeAxis 1). */
const TILE: usize = 32;

// Marker types for the generic block loops: `Scaled` computes f32(x) * gain + offset, `Plain` casts.
type Scaled = i32;
type Plain = f64;

/** First byte above the module's static data: the facade's allocator starts at or above it. */
export function heapBase(): usize {
  return __heap_base;
}

/** Sum of the touch-ahead loads (meaningless; exported so that no optimiser can drop those loads). */
export function touched(): i32 {
  return sink;
}

/** 1 when this build uses SIMD (v128) loops, 0 for the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/**
 * Converts `numFrames` frames of a block of samples into rows of `dst`.
 *
 * - `src`: timeAxis 0 = time-major [numFrames][srcChannels]; timeAxis 1 = channel-major
 *   [srcChannels][numFrames] (transposed in the same pass).
 * - `chan`: address of i32[nOut] input channel indices in output order (any subset / order, repeats
 *   allowed). `chan == 0` means the identity 0..nOut-1 (nOut <= srcChannels; the facade passes a
 *   contiguous range c0..c0+nOut-1 as chan = 0 with `src` moved to channel c0).
 * - `dst`: row t, column j at dst + (t * dstStride + j) * sizeof(dstType), dstStride >= nOut.
 * - `gain == 0`: same type = raw copy / gather (bit-exact); else numeric cast (numpy astype for
 *   in-range values: int->float correctly rounded, float->int truncation toward zero (saturating),
 *   int->int wraps, float64->float32 rounds to nearest).
 * - `gain != 0`: gain / offset are addresses of f32[nOut], dstType must be float32:
 *   out = f32(x) * gain[j] + offset[j], two separate f32 ops (no fma), bit-exact with numpy.
 */
export function convert(
  src: usize, srcType: i32, srcChannels: i32, numFrames: i32, timeAxis: i32, chan: usize, nOut: i32,
  dst: usize, dstType: i32, dstStride: i32, gain: usize, offset: usize,
): void {
  if (numFrames <= 0 || nOut <= 0) return;
  const sc = <usize>srcChannels;
  const nf = <usize>numFrames;
  const n = <usize>nOut;
  const ds = <usize>dstStride;
  if (gain != 0) {
    switch (srcType) {
      case INT8: block<i8, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case UINT8: block<u8, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case INT16: block<i16, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case UINT16: block<u16, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case INT32: block<i32, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case UINT32: block<u32, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case FLOAT32: block<f32, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
      case FLOAT64: block<f64, f32, Scaled>(src, sc, nf, timeAxis, chan, n, dst, ds, gain, offset); break;
    }
    return;
  }
  // Same type, or integers of the same size (a wrapping cast keeps the bits): a raw copy.
  const isize = itemSize(srcType);
  if (srcType == dstType || (srcType < FLOAT32 && dstType < FLOAT32 && isize == itemSize(dstType))) {
    switch (isize) {
      case 1: block<u8, u8, Plain>(src, sc, nf, timeAxis, chan, n, dst, ds, 0, 0); break;
      case 2: block<u16, u16, Plain>(src, sc, nf, timeAxis, chan, n, dst, ds, 0, 0); break;
      case 4: block<u32, u32, Plain>(src, sc, nf, timeAxis, chan, n, dst, ds, 0, 0); break;
      default: block<u64, u64, Plain>(src, sc, nf, timeAxis, chan, n, dst, ds, 0, 0); break;
    }
    return;
  }
  switch (srcType) {
    case INT8: castFrom<i8>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case UINT8: castFrom<u8>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case INT16: castFrom<i16>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case UINT16: castFrom<u16>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case INT32: castFrom<i32>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case UINT32: castFrom<u32>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case FLOAT32: castFrom<f32>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
    case FLOAT64: castFrom<f64>(dstType, src, sc, nf, timeAxis, chan, n, dst, ds); break;
  }
}

function itemSize(code: i32): i32 {
  return code == FLOAT64 ? 8 : code >= INT32 ? 4 : code >= INT16 ? 2 : 1;
}

/**
 * Numeric casts from S (never to S itself, never int to int of the same size: those are raw copies).
 * The output types are canonical per size to keep the module small: int to int only needs the
 * output width (the cast wraps), float to a narrow int goes through i32 truncation (exact for every
 * in-range value of the signed and the unsigned type); only float to uint32 needs unsigned truncation.
 */
function castFrom<S>(
  dstType: i32, src: usize, sc: usize, nf: usize, ta: i32, chan: usize, n: usize, dst: usize, ds: usize,
): void {
  if (isFloat<S>()) {
    switch (dstType) {
      case INT8:
      case UINT8: block<S, i8, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case INT16:
      case UINT16: block<S, i16, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case INT32: block<S, i32, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case UINT32: block<S, u32, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case FLOAT32: if (sizeof<S>() == 8) block<S, f32, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case FLOAT64: if (sizeof<S>() == 4) block<S, f64, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
    }
  } else {
    switch (dstType) {
      case INT8:
      case UINT8: if (sizeof<S>() != 1) block<S, u8, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case INT16:
      case UINT16: if (sizeof<S>() != 2) block<S, u16, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case INT32:
      case UINT32: if (sizeof<S>() != 4) block<S, u32, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case FLOAT32: block<S, f32, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
      case FLOAT64: block<S, f64, Plain>(src, sc, nf, ta, chan, n, dst, ds, 0, 0); break;
    }
  }
}

/**
 * Touch-ahead: reads one byte of every 64-byte line of [p, p + bytes) and folds them into `acc`.
 * wasm has no prefetch instruction; when the rows a loop reads are sparse (a channel range or a few
 * channels of wide rows, or channel-major tiles), the hardware prefetcher does not follow, and
 * touching rows PREFETCH ahead turns serial cache misses into parallel ones (3-4x on 64 of 384).
 */
// @ts-ignore: decorator
@inline function touch(p: usize, bytes: usize, acc: i32): i32 {
  for (let b: usize = 0; b < bytes; b += 64) acc += load<u8>(p + b);
  return acc + load<u8>(p + bytes - 1);
}

/**
 * Copies one row of `span` bytes (a raw channel range). A `memory.copy` per row costs a call out of
 * the module each time: on rows of a few hundred bytes (384 of 385 int16 columns) that call made the
 * raw copy slower than the scaled float32 path, which writes twice the bytes. Loads and stores of 16
 * (SIMD) or 8 bytes stay in the module; the last word is stored at span - 16 (or 8), overlapping the
 * one before: source and destination never overlap, so storing a few bytes twice is harmless.
 */
// @ts-ignore: decorator
@inline function copyRow(d: usize, s: usize, span: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (span >= 16) {
      const last = span - 16;
      for (let k: usize = 0; k < last; k += 16) v128.store(d + k, v128.load(s + k, 0, 1), 0, 1);
      v128.store(d + last, v128.load(s + last, 0, 1), 0, 1);
      return;
    }
  }
  if (span >= 8) {
    const last = span - 8;
    for (let k: usize = 0; k < last; k += 8) store<u64>(d + k, load<u64>(s + k));
    store<u64>(d + last, load<u64>(s + last));
    return;
  }
  memory.copy(d, s, span);
}

/** Touch-ahead for a gather: the byte of each channel chan[0..n-1] in the row at s. */
// @ts-ignore: decorator
@inline function touchGather(s: usize, chan: usize, n: usize, isz: usize, acc: i32): i32 {
  for (let j: usize = 0; j < n; j++) acc += load<u8>(s + <usize>load<i32>(chan + (j << 2)) * isz);
  return acc;
}

/** Compile-time: A and B are the same numeric type. */
// @ts-ignore: decorator
@inline function same<A, B>(): bool {
  return sizeof<A>() == sizeof<B>() && isFloat<A>() == isFloat<B>() && isSigned<A>() == isSigned<B>();
}

/** One element: f32(x) * gain[j] + offset[j] (Scaled) or a numeric cast of x to D (Plain). */
// @ts-ignore: decorator
@inline function op<S, D, G>(x: S, gain: usize, offset: usize, j4: usize): D {
  if (isInteger<G>()) {
    return <D>(<f32>x * load<f32>(gain + j4) + load<f32>(offset + j4));
  } else {
    return <D>x;
  }
}

/**
 * The block loop for input type S, output type D, mode G. Raw copies use S == D == u8/u16/u32/u64
 * (bit patterns of floats, NaN payloads included, are kept).
 */
function block<S, D, G>(
  src: usize, sc: usize, nf: usize, ta: i32, chan: usize, n: usize, dst: usize, ds: usize, gain: usize, offset: usize,
): void {
  const isz = <usize>sizeof<S>();
  const osz = <usize>sizeof<D>();
  const raw = same<S, D>() && !isInteger<G>();
  if (ta == 0) {
    // Time-major. Identity columns on whole rows, no parameters: one flat row.
    if (chan == 0 && n == sc && n == ds && !isInteger<G>()) {
      if (raw) {
        memory.copy(dst, src, nf * n * isz);
        return;
      }
      n = nf * n;
      sc = n;
      ds = n;
      nf = 1;
    }
    if (ASC_FEATURE_SIMD) {
      if (same<D, f32>()) {
        if (chan == 0) rowsRangeF32<S>(src, sc, nf, n, dst, ds, gain, offset);
        else rowsGatherF32<S>(src, sc, nf, chan, n, dst, ds, gain, offset);
        return;
      }
    }
    const ri = sc * isz;
    const ro = ds * osz;
    const ahead = PREFETCH * ri;
    const stop = nf > PREFETCH ? nf - PREFETCH : 0; // rows that have a row PREFETCH ahead
    let acc: i32 = 0;
    let s = src;
    let d = dst;
    if (chan == 0) {
      const span = n * isz;
      const sparse = ri > span + 64;
      if (raw) {
        for (let t: usize = 0; t < nf; t++) {
          if (sparse && t < stop) acc = touch(s + ahead, span, acc);
          copyRow(d, s, span);
          s += ri;
          d += ro;
        }
      } else {
        for (let t: usize = 0; t < nf; t++) {
          if (sparse && t < stop) acc = touch(s + ahead, span, acc);
          for (let j: usize = 0; j < n; j++) {
            store<D>(d + j * osz, op<S, D, G>(load<S>(s + j * isz), gain, offset, j << 2));
          }
          s += ri;
          d += ro;
        }
      }
    } else {
      const sparse = (n << 6) < ri;
      for (let t: usize = 0; t < nf; t++) {
        if (sparse && t < stop) acc = touchGather(s + ahead, chan, n, isz, acc);
        for (let j: usize = 0; j < n; j++) {
          const c = <usize>load<i32>(chan + (j << 2));
          store<D>(d + j * osz, op<S, D, G>(load<S>(s + c * isz), gain, offset, j << 2));
        }
        s += ri;
        d += ro;
      }
    }
    sink = acc;
    return;
  }
  // Channel-major: transpose tiles of TILE frames; each channel's tile is read contiguously, and
  // the same channel's next tile is touched ahead.
  if (ASC_FEATURE_SIMD) {
    if (same<D, f32>()) {
      colsF32<S>(src, nf, chan, n, dst, ds, gain, offset);
      return;
    }
  }
  const ro = ds * osz;
  let acc: i32 = 0;
  for (let t0: usize = 0; t0 < nf; t0 += TILE) {
    const tn = min<usize>(TILE, nf - t0);
    const next = t0 + TILE < nf ? min<usize>(TILE, nf - t0 - TILE) * isz : 0;
    for (let j: usize = 0; j < n; j++) {
      const c = chan == 0 ? j : <usize>load<i32>(chan + (j << 2));
      const p = src + (c * nf + t0) * isz;
      const q = dst + t0 * ro + j * osz;
      if (next) acc = touch(p + TILE * isz, next, acc);
      for (let k: usize = 0; k < tn; k++) {
        store<D>(q + k * ro, op<S, D, G>(load<S>(p + k * isz), gain, offset, j << 2));
      }
    }
  }
  sink = acc;
}

// ---------------------------------------------------------------------------------------------
// SIMD helpers (only compiled when ASC_FEATURE_SIMD).

/** f32x4 of the 4 consecutive elements of type S at p. */
// @ts-ignore: decorator
@inline function quad<S>(p: usize): v128 {
  if (isFloat<S>()) {
    if (sizeof<S>() == 4) return v128.load(p, 0, 1);
    const a = f32x4.demote_f64x2_zero(v128.load(p, 0, 1));
    const b = f32x4.demote_f64x2_zero(v128.load(p, 16, 1));
    return v128.shuffle<f32>(a, b, 0, 1, 4, 5);
  }
  if (sizeof<S>() == 1) {
    const x = v128.load32_zero(p, 0, 1);
    if (isSigned<S>()) return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(x)));
    return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(x)));
  }
  if (sizeof<S>() == 2) {
    if (isSigned<S>()) return f32x4.convert_i32x4_s(v128.load16x4_s(p, 0, 1));
    return f32x4.convert_i32x4_s(v128.load16x4_u(p, 0, 1));
  }
  if (isSigned<S>()) return f32x4.convert_i32x4_s(v128.load(p, 0, 1));
  return f32x4.convert_i32x4_u(v128.load(p, 0, 1));
}

/** f32x4 of the elements of type S at s + chan[0..3] * sizeof<S>, with cp the address of chan[0]. */
// @ts-ignore: decorator
@inline function gquad<S>(s: usize, cp: usize): v128 {
  const sz = <usize>sizeof<S>();
  const p0 = s + <usize>load<i32>(cp) * sz;
  const p1 = s + <usize>load<i32>(cp, 4) * sz;
  const p2 = s + <usize>load<i32>(cp, 8) * sz;
  const p3 = s + <usize>load<i32>(cp, 12) * sz;
  if (isFloat<S>()) {
    if (sizeof<S>() == 4) {
      let v = v128.load32_zero(p0, 0, 1);
      v = v128.load32_lane(p1, v, 1, 0, 1);
      v = v128.load32_lane(p2, v, 2, 0, 1);
      return v128.load32_lane(p3, v, 3, 0, 1);
    }
    let a = v128.load64_zero(p0, 0, 1);
    a = v128.load64_lane(p1, a, 1, 0, 1);
    let b = v128.load64_zero(p2, 0, 1);
    b = v128.load64_lane(p3, b, 1, 0, 1);
    return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
  }
  if (sizeof<S>() == 1) {
    let x = v128.load8_splat(p0, 0, 1);
    x = v128.load8_lane(p1, x, 1, 0, 1);
    x = v128.load8_lane(p2, x, 2, 0, 1);
    x = v128.load8_lane(p3, x, 3, 0, 1);
    if (isSigned<S>()) return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(x)));
    return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(x)));
  }
  if (sizeof<S>() == 2) {
    let x = v128.load16_splat(p0, 0, 1);
    x = v128.load16_lane(p1, x, 1, 0, 1);
    x = v128.load16_lane(p2, x, 2, 0, 1);
    x = v128.load16_lane(p3, x, 3, 0, 1);
    if (isSigned<S>()) return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(x));
    return f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(x));
  }
  let x = v128.load32_zero(p0, 0, 1);
  x = v128.load32_lane(p1, x, 1, 0, 1);
  x = v128.load32_lane(p2, x, 2, 0, 1);
  x = v128.load32_lane(p3, x, 3, 0, 1);
  if (isSigned<S>()) return f32x4.convert_i32x4_s(x);
  return f32x4.convert_i32x4_u(x);
}

/** Applies gain / offset vectors in Scaled mode (mul then add, never fused). */
// @ts-ignore: decorator
@inline function scale4(v: v128, g: v128, o: v128, scaled: bool): v128 {
  return scaled ? f32x4.add(f32x4.mul(v, g), o) : v;
}

/** One scalar element to f32: scaled (gain != 0) or a plain cast. */
// @ts-ignore: decorator
@inline function one<S>(x: S, gain: usize, offset: usize, j4: usize, scaled: bool): f32 {
  return scaled ? <f32>x * load<f32>(gain + j4) + load<f32>(offset + j4) : <f32>x;
}

/** Time-major rows, columns 0..n-1 of each row (contiguous), to float32. */
function rowsRangeF32<S>(
  src: usize, sc: usize, nf: usize, n: usize, dst: usize, ds: usize, gain: usize, offset: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    const scaled = gain != 0;
    const isz = <usize>sizeof<S>();
    const ri = sc * isz;
    const ro = ds << 2;
    const n8 = n & ~(<usize>7);
    const n4 = n & ~(<usize>3);
    let s = src;
    let d = dst;
    const span = n * isz;
    const sparse = ri > span + 64;
    const ahead = PREFETCH * ri;
    const stop = nf > PREFETCH ? nf - PREFETCH : 0;
    let acc: i32 = 0;
    for (let t: usize = 0; t < nf; t++) {
      if (sparse && t < stop) acc = touch(s + ahead, span, acc);
      let j: usize = 0;
      for (; j < n8; j += 8) {
        const j4 = j << 2;
        let a = quad<S>(s + j * isz);
        let b = quad<S>(s + (j + 4) * isz);
        if (scaled) {
          a = scale4(a, v128.load(gain + j4, 0, 1), v128.load(offset + j4, 0, 1), scaled);
          b = scale4(b, v128.load(gain + j4, 16, 1), v128.load(offset + j4, 16, 1), scaled);
        }
        v128.store(d + j4, a, 0, 1);
        v128.store(d + j4, b, 16, 1);
      }
      if (j < n4) {
        const j4 = j << 2;
        let a = quad<S>(s + j * isz);
        if (scaled) a = scale4(a, v128.load(gain + j4, 0, 1), v128.load(offset + j4, 0, 1), true);
        v128.store(d + j4, a, 0, 1);
        j += 4;
      }
      for (; j < n; j++) {
        store<f32>(d + (j << 2), one<S>(load<S>(s + j * isz), gain, offset, j << 2, scaled));
      }
      s += ri;
      d += ro;
    }
    sink = acc;
  }
}

/** Time-major rows, scattered columns chan[0..n-1], to float32 (lane inserts). */
function rowsGatherF32<S>(
  src: usize, sc: usize, nf: usize, chan: usize, n: usize, dst: usize, ds: usize, gain: usize, offset: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    const scaled = gain != 0;
    const isz = <usize>sizeof<S>();
    const ri = sc * isz;
    const ro = ds << 2;
    const n4 = n & ~(<usize>3);
    const sparse = (n << 6) < ri;
    const ahead = PREFETCH * ri;
    const stop = nf > PREFETCH ? nf - PREFETCH : 0;
    let acc: i32 = 0;
    let s = src;
    let d = dst;
    for (let t: usize = 0; t < nf; t++) {
      if (sparse && t < stop) acc = touchGather(s + ahead, chan, n, isz, acc);
      let j: usize = 0;
      for (; j < n4; j += 4) {
        const j4 = j << 2;
        let a = gquad<S>(s, chan + j4);
        if (scaled) a = scale4(a, v128.load(gain + j4, 0, 1), v128.load(offset + j4, 0, 1), true);
        v128.store(d + j4, a, 0, 1);
      }
      for (; j < n; j++) {
        const c = <usize>load<i32>(chan + (j << 2));
        store<f32>(d + (j << 2), one<S>(load<S>(s + c * isz), gain, offset, j << 2, scaled));
      }
      s += ri;
      d += ro;
    }
    sink = acc;
  }
}

/**
 * Channel-major input (timeAxis 1) to time-major float32 rows. Per tile of TILE frames, groups of 4
 * channels: 4 vector reads along time, a 4x4 transpose, 4 vector stores into 4 rows. The remaining
 * channels (n % 4) take vector reads and lane stores; the remaining frames are scalar.
 */
function colsF32<S>(
  src: usize, nf: usize, chan: usize, n: usize, dst: usize, ds: usize, gain: usize, offset: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    const scaled = gain != 0;
    const isz = <usize>sizeof<S>();
    const ro = ds << 2;
    const n4 = n & ~(<usize>3);
    let acc: i32 = 0;
    for (let t0: usize = 0; t0 < nf; t0 += TILE) {
      const tn = min<usize>(TILE, nf - t0);
      const tn4 = tn & ~(<usize>3);
      const next = t0 + TILE < nf ? min<usize>(TILE, nf - t0 - TILE) * isz : 0;
      const row0 = dst + t0 * ro;
      let j: usize = 0;
      for (; j < n4; j += 4) {
        const pa = src + ((chan == 0 ? j : <usize>load<i32>(chan + (j << 2))) * nf + t0) * isz;
        const pb = src + ((chan == 0 ? j + 1 : <usize>load<i32>(chan + (j << 2), 4)) * nf + t0) * isz;
        const pc = src + ((chan == 0 ? j + 2 : <usize>load<i32>(chan + (j << 2), 8)) * nf + t0) * isz;
        const pd = src + ((chan == 0 ? j + 3 : <usize>load<i32>(chan + (j << 2), 12)) * nf + t0) * isz;
        if (next) {
          acc = touch(pa + TILE * isz, next, acc);
          acc = touch(pb + TILE * isz, next, acc);
          acc = touch(pc + TILE * isz, next, acc);
          acc = touch(pd + TILE * isz, next, acc);
        }
        let g = f32x4.splat(1);
        let o = f32x4.splat(0);
        if (scaled) {
          g = v128.load(gain + (j << 2), 0, 1);
          o = v128.load(offset + (j << 2), 0, 1);
        }
        let q = row0 + (j << 2);
        let k: usize = 0;
        for (; k < tn4; k += 4) {
          const a = quad<S>(pa + k * isz);
          const b = quad<S>(pb + k * isz);
          const c = quad<S>(pc + k * isz);
          const d = quad<S>(pd + k * isz);
          const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
          const ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
          const cd0 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
          const cd1 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
          v128.store(q, scale4(v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5), g, o, scaled), 0, 1);
          v128.store(q + ro, scale4(v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7), g, o, scaled), 0, 1);
          v128.store(q + 2 * ro, scale4(v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5), g, o, scaled), 0, 1);
          v128.store(q + 3 * ro, scale4(v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7), g, o, scaled), 0, 1);
          q += ro << 2;
        }
        for (; k < tn; k++) {
          const t = k * isz;
          store<f32>(q, one<S>(load<S>(pa + t), gain, offset, j << 2, scaled));
          store<f32>(q, one<S>(load<S>(pb + t), gain, offset, (j + 1) << 2, scaled), 4);
          store<f32>(q, one<S>(load<S>(pc + t), gain, offset, (j + 2) << 2, scaled), 8);
          store<f32>(q, one<S>(load<S>(pd + t), gain, offset, (j + 3) << 2, scaled), 12);
          q += ro;
        }
      }
      for (; j < n; j++) {
        const c = chan == 0 ? j : <usize>load<i32>(chan + (j << 2));
        const p = src + (c * nf + t0) * isz;
        if (next) acc = touch(p + TILE * isz, next, acc);
        let q = row0 + (j << 2);
        let g = f32x4.splat(1);
        let o = f32x4.splat(0);
        if (scaled) {
          g = v128.load32_splat(gain + (j << 2));
          o = v128.load32_splat(offset + (j << 2));
        }
        let k: usize = 0;
        for (; k < tn4; k += 4) {
          const a = scale4(quad<S>(p + k * isz), g, o, scaled);
          v128.store32_lane(q, a, 0, 0, 1);
          v128.store32_lane(q + ro, a, 1, 0, 1);
          v128.store32_lane(q + 2 * ro, a, 2, 0, 1);
          v128.store32_lane(q + 3 * ro, a, 3, 0, 1);
          q += ro << 2;
        }
        for (; k < tn; k++) {
          store<f32>(q, one<S>(load<S>(p + k * isz), gain, offset, j << 2, scaled));
          q += ro;
        }
      }
    }
    sink = acc;
  }
}

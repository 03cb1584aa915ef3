// The global median reference of int16 samples by counting, not by sorting: per frame each
// reference value is counted in three histograms (by value >> 8, >> 4 and the value itself), the
// middle ranks are found by walking the coarse counts from the previous frame's median (medians of
// neighbouring frames are close) and then at most 16 counts per finer level, and the counts are
// taken back out by visiting the same values again. No branch depends on the order of the values,
// where a quickselect mispredicts about every other comparison. The result equals np.median of the
// values as float64: (lower + upper) / 2 is exact for integers.

/** Bytes of the three histograms (u16 counts: 65536 fine, 4096 middle, 256 coarse), zeroed by the caller. */
export function int16MedianScratchBytes(): i32 {
  return (65536 + 4096 + 256) << 1;
}

// @ts-ignore: decorator
@inline function bump(h: usize, i: usize, by: i32): void {
  const p = h + (i << 1);
  store<u16>(p, <i32>load<u16>(p) + by);
}

// @ts-ignore: decorator
@inline function count(h: usize, i: usize): i32 {
  return <i32>load<u16>(h + (i << 1));
}

/**
 * For each of `numFrames` rows of the int16 block at `src` (`stride` values per row): m = the median of
 * the `nRef` columns listed at `refs` (i32), then row t, column j of `dst` (f64, `dstStride` per row)
 * = x[t, cols[j]] - m, rounded half to even when `round` != 0 (numpy's float64 arithmetic and
 * np.round). `hist`: {@link int16MedianScratchBytes} zeroed bytes, left zeroed.
 */
export function int16MedianShift(
  src: usize, numFrames: i32, stride: i32, refs: usize, nRef: i32, cols: usize, nCols: i32, dst: usize, dstStride: i32, round: i32, hist: usize,
): void {
  if (nRef <= 0) return;
  // output columns 0, 1, 2, ... (the usual whole-recording read) take the vector path
  let identity = true;
  for (let j = 0; j < nCols; j++) if (load<i32>(cols + (<usize>j << 2)) != j) identity = false;
  const fine = hist;
  const mid = hist + (65536 << 1);
  const coarse = mid + (4096 << 1);
  const rowBytes = <usize>stride << 1;
  const dstRowBytes = <usize>dstStride << 3;
  const k = nRef >> 1; // rank of the upper middle value (0-based)
  let start: i32 = 128; // coarse bucket where the walk begins: the previous median's
  for (let t = 0; t < numFrames; t++) {
    const row = src + <usize>t * rowBytes;
    // count the values, and those below the starting bucket
    let below: i32 = 0;
    for (let j = 0; j < nRef; j++) {
      const v = <u32>(<i32>load<i16>(row + (<usize>load<i32>(refs + (<usize>j << 2)) << 1)) + 32768);
      bump(fine, v, 1);
      bump(mid, v >> 4, 1);
      bump(coarse, v >> 8, 1);
      below += <i32>((v >> 8) < <u32>start);
    }
    const upper = rankValue(fine, mid, coarse, start, below, k);
    let lower = upper;
    if ((nRef & 1) == 0) lower = rankValue(fine, mid, coarse, start, below, k - 1);
    start = upper >> 8;
    // take the counts back out
    for (let j = 0; j < nRef; j++) {
      const v = <u32>(<i32>load<i16>(row + (<usize>load<i32>(refs + (<usize>j << 2)) << 1)) + 32768);
      bump(fine, v, -1);
      bump(mid, v >> 4, -1);
      bump(coarse, v >> 8, -1);
    }
    const m: f64 = <f64>(lower + upper - 65536) / 2.0;
    const out = dst + <usize>t * dstRowBytes;
    let j = 0;
    if (ASC_FEATURE_SIMD && identity) {
      // columns 0, 1, 2, ...: eight samples per step
      const mv = f64x2.splat(m);
      for (; j + 8 <= nCols; j += 8) {
        const x = v128.load(row + (<usize>j << 1));
        const lo = i32x4.extend_low_i16x8_s(x);
        const hi = i32x4.extend_high_i16x8_s(x);
        let y0 = f64x2.sub(f64x2.convert_low_i32x4_s(lo), mv);
        let y1 = f64x2.sub(f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 0, 1)), mv);
        let y2 = f64x2.sub(f64x2.convert_low_i32x4_s(hi), mv);
        let y3 = f64x2.sub(f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 0, 1)), mv);
        if (round) {
          y0 = f64x2.nearest(y0);
          y1 = f64x2.nearest(y1);
          y2 = f64x2.nearest(y2);
          y3 = f64x2.nearest(y3);
        }
        const o = out + (<usize>j << 3);
        v128.store(o, y0);
        v128.store(o, y1, 16);
        v128.store(o, y2, 32);
        v128.store(o, y3, 48);
      }
    }
    for (; j < nCols; j++) {
      let y = <f64>load<i16>(row + (<usize>load<i32>(cols + (<usize>j << 2)) << 1)) - m;
      if (round) y = nearest(y);
      store<f64>(out + (<usize>j << 3), y);
    }
  }
}

// The biased value (0..65535) of rank `r` (0-based) among the counted values, given how many lie
// below coarse bucket `start`.
function rankValue(fine: usize, mid: usize, coarse: usize, start: i32, below: i32, r: i32): i32 {
  let b = start;
  let before = below; // values below bucket b
  if (before > r) {
    // walk down until the bucket holding rank r
    do {
      b--;
      before -= count(coarse, <usize>b);
    } while (before > r);
  } else {
    while (before + count(coarse, <usize>b) <= r) {
      before += count(coarse, <usize>b);
      b++;
    }
  }
  let m = b << 4;
  while (before + count(mid, <usize>m) <= r) {
    before += count(mid, <usize>m);
    m++;
  }
  let f = m << 4;
  while (before + count(fine, <usize>f) <= r) {
    before += count(fine, <usize>f);
    f++;
  }
  return f;
}

// Copies of float64 rows with numpy's np.round (half to even: wasm's `nearest`) on the way, so that
// a result computed in a work block reaches its output in one pass.

/** dst[i] = round ? nearest(src[i]) : src[i] for `count` f64 values (`src` == `dst` rounds in place). */
export function copyRows(src: usize, dst: usize, count: i32, round: i32): void {
  const n = <usize>count;
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    if (round) {
      for (; i + 2 <= n; i += 2) v128.store(dst + (i << 3), f64x2.nearest(v128.load(src + (i << 3))));
    } else {
      for (; i + 2 <= n; i += 2) v128.store(dst + (i << 3), v128.load(src + (i << 3)));
    }
  }
  for (; i < n; i++) {
    const v = load<f64>(src + (i << 3));
    store<f64>(dst + (i << 3), round ? nearest(v) : v);
  }
}

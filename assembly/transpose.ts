// Transposition of float64 blocks in tiles of 8 × 8, so that both the rows read and the rows written
// stay in cache: a channel of a time-major chunk (one value every `numChannels`) becomes a
// contiguous run for the FFT, and back.

const TILE: i32 = 8;

/**
 * dst[c * dstStride + r] = src[r * srcStride + c] for r < rows, c < cols (f64). `src` and `dst` must
 * not overlap.
 */
export function transpose(src: usize, srcStride: i32, rows: i32, cols: i32, dst: usize, dstStride: i32): void {
  const ss = <usize>srcStride << 3;
  const ds = <usize>dstStride << 3;
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = min(rows, r0 + TILE);
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = min(cols, c0 + TILE);
      for (let r = r0; r < r1; r++) {
        const from = src + <usize>r * ss;
        const to = dst + (<usize>r << 3);
        for (let c = c0; c < c1; c++) store<f64>(to + <usize>c * ds, load<f64>(from + (<usize>c << 3)));
      }
    }
  }
}

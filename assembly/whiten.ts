// Whitening across channels: every frame of an interleaved float64 chunk, centred by the means M,
// times the whitening matrix W (SpikeInterface's `(traces - M) @ W`). The output channels are the
// columns of a gathered W, so a subset or a reordering of channels costs nothing more. Four frames
// share each row of W as it streams through (W of 384 channels is 1.2 MB: far larger than L1), and
// the columns run two to a v128 lane; the scalar build does the same sums in the same order.

/** Flags of {@link whiten}. */
const FLAG_MEAN: i32 = 1; // subtract the means first
const FLAG_F32: i32 = 2; // numpy's float32 arithmetic: centred samples, result and its scaling rounded to float32
const FLAG_ROUND: i32 = 4; // np.round of the (scaled) result, for integer outputs

@inline function centred(src: usize, i: usize, mean: usize, flags: i32): f64 {
  let x = load<f64>(src + i * 8);
  if (flags & FLAG_MEAN) x -= load<f64>(mean + i * 8);
  if (flags & FLAG_F32) x = <f64><f32>x;
  return x;
}

@inline function finish(p: usize, scale: f64, flags: i32): void {
  let y = load<f64>(p);
  if (flags & FLAG_F32) y = <f64><f32>(<f64><f32>y * scale);
  else y *= scale;
  if (flags & FLAG_ROUND) y = f64.nearest(y); // half to even, as np.round
  store<f64>(p, y);
}

/**
 * dst[t][j] = Σ_i (src[t][i] - mean[i]) · w[i][j] for `numFrames` rows of `numChannels` samples
 * (src) into rows of `numOut` values (dst, a separate region), then times `scale` and rounded as
 * `flags` say. `w` is `numChannels × numOut` float64, row-major; `mean` `numChannels` float64 (read
 * with FLAG_MEAN only); `scratch` holds 4 × numChannels float64.
 */
export function whiten(
  src: usize, numFrames: i32, numChannels: i32, mean: usize, w: usize, numOut: i32, dst: usize, scale: f64, flags: i32, scratch: usize,
): void {
  const nf = <usize>numFrames, nc = <usize>numChannels, no = <usize>numOut;
  const rowIn = nc * 8, rowOut = no * 8;
  let t: usize = 0;
  for (; t + 4 <= nf; t += 4) {
    // the four centred rows side by side: scratch[i][k] = x[t + k][i]
    for (let i: usize = 0; i < nc; i++) {
      for (let k: usize = 0; k < 4; k++) store<f64>(scratch + (i * 4 + k) * 8, centred(src + (t + k) * rowIn, i, mean, flags));
    }
    const d0 = dst + t * rowOut, d1 = d0 + rowOut, d2 = d1 + rowOut, d3 = d2 + rowOut;
    memory.fill(d0, 0, 4 * rowOut);
    for (let i: usize = 0; i < nc; i++) {
      const a = scratch + i * 32;
      const a0 = load<f64>(a), a1 = load<f64>(a, 8), a2 = load<f64>(a, 16), a3 = load<f64>(a, 24);
      const wr = w + i * rowOut;
      let j: usize = 0;
      if (ASC_FEATURE_SIMD) {
        const v0 = f64x2.splat(a0), v1 = f64x2.splat(a1), v2 = f64x2.splat(a2), v3 = f64x2.splat(a3);
        for (; j + 2 <= no; j += 2) {
          const o = j * 8;
          const wv = v128.load(wr + o);
          v128.store(d0 + o, f64x2.add(v128.load(d0 + o), f64x2.mul(v0, wv)));
          v128.store(d1 + o, f64x2.add(v128.load(d1 + o), f64x2.mul(v1, wv)));
          v128.store(d2 + o, f64x2.add(v128.load(d2 + o), f64x2.mul(v2, wv)));
          v128.store(d3 + o, f64x2.add(v128.load(d3 + o), f64x2.mul(v3, wv)));
        }
      }
      for (; j < no; j++) {
        const o = j * 8;
        const wv = load<f64>(wr + o);
        store<f64>(d0 + o, load<f64>(d0 + o) + a0 * wv);
        store<f64>(d1 + o, load<f64>(d1 + o) + a1 * wv);
        store<f64>(d2 + o, load<f64>(d2 + o) + a2 * wv);
        store<f64>(d3 + o, load<f64>(d3 + o) + a3 * wv);
      }
    }
    for (let p = d0; p < d0 + 4 * rowOut; p += 8) finish(p, scale, flags);
  }
  for (; t < nf; t++) {
    for (let i: usize = 0; i < nc; i++) store<f64>(scratch + i * 8, centred(src + t * rowIn, i, mean, flags));
    const d0 = dst + t * rowOut;
    memory.fill(d0, 0, rowOut);
    for (let i: usize = 0; i < nc; i++) {
      const a0 = load<f64>(scratch + i * 8);
      const wr = w + i * rowOut;
      let j: usize = 0;
      if (ASC_FEATURE_SIMD) {
        const v0 = f64x2.splat(a0);
        for (; j + 2 <= no; j += 2) {
          const o = j * 8;
          v128.store(d0 + o, f64x2.add(v128.load(d0 + o), f64x2.mul(v0, v128.load(wr + o))));
        }
      }
      for (; j < no; j++) store<f64>(d0 + j * 8, load<f64>(d0 + j * 8) + a0 * load<f64>(wr + j * 8));
    }
    for (let p = d0; p < d0 + rowOut; p += 8) finish(p, scale, flags);
  }
}

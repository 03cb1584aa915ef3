// Channel mixing: each output channel of a time-major float64 chunk is a weighted sum of input
// channels (a sparse matrix applied row by row). The spatial preprocessors are such sums: bad
// channels interpolated from good ones (kriging weights), channels averaged across a direction,
// channels moved or padded with zeros. Terms are applied in the order given, so a caller decides
// the order of the sums (SpikeInterface's own order where the result depends on it).

/** Flag of {@link mixChannels}: every product and partial sum rounded to float32 (numpy on float32 arrays). */
const FLAG_F32: i32 = 1;

/**
 * dst[t][d] = sum over the terms (d, s, w) of w * src[t][s], for `numFrames` rows; `dst` has
 * `dstChannels` values per row and is overwritten (outputs without a term are zero). A term is 16
 * bytes: i32 output channel, i32 input channel, f64 weight. `src` has `srcChannels` values per row.
 */
export function mixChannels(
  src: usize, numFrames: i32, srcChannels: i32, dst: usize, dstChannels: i32, terms: usize, nTerms: i32, flags: i32,
): void {
  const f32 = (flags & FLAG_F32) != 0;
  const inRow = <usize>srcChannels << 3;
  const outRow = <usize>dstChannels << 3;
  for (let t = 0; t < numFrames; t++) {
    const s = src + <usize>t * inRow;
    const d = dst + <usize>t * outRow;
    memory.fill(d, 0, outRow);
    for (let k = 0; k < nTerms; k++) {
      const term = terms + (<usize>k << 4);
      const p = d + (<usize>load<i32>(term) << 3);
      const x = load<f64>(s + (<usize>load<i32>(term, 4) << 3));
      const w = load<f64>(term, 8);
      if (f32) store<f64>(p, <f64><f32>(load<f64>(p) + <f64><f32>(w * x)));
      else store<f64>(p, load<f64>(p) + w * x);
    }
  }
}

// The stages of SpikeInterface's highpass_spatial_filter around its Butterworth pass (which runs in
// filters.ts `sosfilt`, frames as lanes): automatic gain control of a time-major float64 chunk, the
// channels mirrored, tapered, transposed and oddly extended for scipy's sosfiltfilt along the channel
// axis, and the result gathered back with the gains multiplied in.

/** Frames per tile of the transposes (TILE × channels float64 stay in L2). */
const TILE: usize = 16;

/** Flags of {@link spatialPad}. */
const FLAG_F32: i32 = 1; // numpy's float32 arithmetic for the edge extension (float32 input, no taper)

/**
 * AGC gains: for every channel the Hann-weighted mean of |x| over 2·half + 1 samples (zeros past the
 * chunk), i.e. scipy's fftconvolve(|x|, hanning / sum, 'same'), as sums of |x|, |x|·cos(πk/h) and
 * |x|·sin(πk/h) over a window that slides row by row (cos(a - b) = cos a cos b + sin a sin b), so
 * that every pass reads and writes whole rows. `data` and `gains` are `numFrames × numChannels`;
 * `work` holds 2·numFrames + 3·numChannels float64.
 */
export function agcGains(data: usize, numFrames: i32, numChannels: i32, half: i32, gains: usize, work: usize): void {
  const nf = <usize>numFrames, nc = <usize>numChannels, h = <usize>half;
  if (nf == 0 || nc == 0) return;
  if (h == 0) {
    for (let i: usize = 0; i < nf * nc; i++) store<f64>(gains + i * 8, Math.abs(load<f64>(data + i * 8)));
    return;
  }
  const cosT = work, sinT = work + nf * 8, s0 = sinT + nf * 8, sc = s0 + nc * 8, ss = sc + nc * 8;
  let weightSum = 0.0;
  for (let j: isize = -(<isize>h); j <= <isize>h; j++) weightSum += 0.5 + 0.5 * Math.cos((Math.PI * <f64>j) / <f64>h);
  for (let k: usize = 0; k < nf; k++) {
    const angle = (Math.PI * <f64>k) / <f64>h;
    store<f64>(cosT + k * 8, Math.cos(angle));
    store<f64>(sinT + k * 8, Math.sin(angle));
  }
  memory.fill(s0, 0, 3 * nc * 8);
  // the window of frame 0 is [0, h]
  for (let k: usize = 0; k <= h && k < nf; k++) slide(data + k * nc * 8, nc, load<f64>(cosT + k * 8), load<f64>(sinT + k * 8), 1.0, s0, sc, ss);
  for (let t: usize = 0; t < nf; t++) {
    const ct = load<f64>(cosT + t * 8), st = load<f64>(sinT + t * 8);
    const g = gains + t * nc * 8;
    for (let c: usize = 0; c < nc; c++) {
      const o = c * 8;
      store<f64>(g + o, (0.5 * load<f64>(s0 + o) + 0.5 * (ct * load<f64>(sc + o) + st * load<f64>(ss + o))) / weightSum);
    }
    const enter = t + h + 1;
    if (enter < nf) slide(data + enter * nc * 8, nc, load<f64>(cosT + enter * 8), load<f64>(sinT + enter * 8), 1.0, s0, sc, ss);
    if (t >= h) {
      const leave = t - h;
      slide(data + leave * nc * 8, nc, load<f64>(cosT + leave * 8), load<f64>(sinT + leave * 8), -1.0, s0, sc, ss);
    }
  }
}

/** Adds (sign 1) or removes (sign -1) one row of |x|, |x|·cos, |x|·sin to the running sums of every channel. */
// @ts-ignore: decorator
@inline function slide(row: usize, nc: usize, cosK: f64, sinK: f64, sign: f64, s0: usize, sc: usize, ss: usize): void {
  for (let c: usize = 0; c < nc; c++) {
    const o = c * 8;
    const a = Math.abs(load<f64>(row + o)) * sign;
    store<f64>(s0 + o, load<f64>(s0 + o) + a);
    store<f64>(sc + o, load<f64>(sc + o) + a * cosK);
    store<f64>(ss + o, load<f64>(ss + o) + a * sinK);
  }
}

/**
 * The AGC itself: every sample of a live channel (gains not all zero) divided by max(eps[c], gain)
 * and stored as float32 (numpy assigns into the float32 traces); dead channels are left alone.
 * `work` holds numChannels float64 (the gains' sums).
 */
export function agcApply(data: usize, numFrames: i32, numChannels: i32, gains: usize, eps: usize, work: usize): void {
  const nf = <usize>numFrames, nc = <usize>numChannels;
  memory.fill(work, 0, nc * 8);
  for (let t: usize = 0; t < nf; t++) {
    for (let c: usize = 0; c < nc; c++) store<f64>(work + c * 8, load<f64>(work + c * 8) + load<f64>(gains + (t * nc + c) * 8));
  }
  for (let t: usize = 0; t < nf; t++) {
    for (let c: usize = 0; c < nc; c++) {
      if (load<f64>(work + c * 8) == 0) continue;
      const i = (t * nc + c) * 8;
      const g = load<f64>(gains + i), e = load<f64>(eps + c * 8);
      store<f64>(data + i, <f64><f32>(load<f64>(data + i) / (g > e ? g : e)));
    }
  }
}

/**
 * Rows for the spatial pass: row `edge + j` holds padded channel j (channels [pad-1..0], [0..n-1],
 * [n-1..n-pad], numpy's fliplr padding) over every frame, times `taper[j]` when `taper` is not 0;
 * the `edge` rows on each side are scipy's odd extension (2·x[0] - x[i]), in float32 with FLAG_F32.
 * `dst` is (numChannels + 2·pad + 2·edge) rows × numFrames float64.
 */
export function spatialPad(data: usize, numFrames: i32, numChannels: i32, pad: i32, edge: i32, taper: usize, dst: usize, flags: i32): void {
  const nf = <usize>numFrames, nc = <usize>numChannels, p = <usize>pad, e = <usize>edge;
  const np = nc + 2 * p;
  const f32 = (flags & FLAG_F32) != 0;
  // a tiled transpose: TILE frames of every channel at a time stay in cache
  for (let t0: usize = 0; t0 < nf; t0 += TILE) {
    const t1 = t0 + TILE < nf ? t0 + TILE : nf;
    for (let j: usize = 0; j < np; j++) {
      const c = j < p ? p - 1 - j : j < p + nc ? j - p : nc - 1 - (j - p - nc);
      const w = taper != 0 ? load<f64>(taper + j * 8) : 1.0;
      const row = dst + (e + j) * nf * 8;
      for (let t = t0; t < t1; t++) {
        const v = load<f64>(data + (t * nc + c) * 8);
        store<f64>(row + t * 8, taper != 0 ? v * w : v);
      }
    }
  }
  const first = dst + e * nf * 8, last = dst + (e + np - 1) * nf * 8;
  for (let i: usize = 1; i <= e; i++) {
    const left = dst + (e - i) * nf * 8, right = dst + (e + np - 1 + i) * nf * 8;
    const inLeft = dst + (e + i) * nf * 8, inRight = dst + (e + np - 1 - i) * nf * 8;
    for (let t: usize = 0; t < nf; t++) {
      const o = t * 8;
      if (f32) {
        store<f64>(left + o, <f64><f32>(<f64><f32>(2 * load<f64>(first + o)) - load<f64>(inLeft + o)));
        store<f64>(right + o, <f64><f32>(<f64><f32>(2 * load<f64>(last + o)) - load<f64>(inRight + o)));
      } else {
        store<f64>(left + o, 2 * load<f64>(first + o) - load<f64>(inLeft + o));
        store<f64>(right + o, 2 * load<f64>(last + o) - load<f64>(inRight + o));
      }
    }
  }
}

/**
 * Gathers the result: out[t][j] = src[edge + pad + sorted(j)][leftMargin + t] · gain (when `gains`
 * is not 0), rounded half to even when `round`; `chan` holds `numOut` i32 depth-sorted channel
 * indices; `src` is rows × `numFrames`, `gains` numFrames × numChannels, `out` rows × numOut.
 */
export function spatialGather(
  src: usize, numFrames: i32, numChannels: i32, firstRow: i32, gains: usize, chan: usize, numOut: i32, leftMargin: i32, rows: i32, out: usize, round: i32,
): void {
  const nf = <usize>numFrames, nc = <usize>numChannels, no = <usize>numOut, lm = <usize>leftMargin;
  const nr = <usize>rows;
  for (let t0: usize = 0; t0 < nr; t0 += TILE) {
    const t1 = t0 + TILE < nr ? t0 + TILE : nr;
    for (let j: usize = 0; j < no; j++) {
      const c = <usize>load<i32>(chan + j * 4);
      const row = src + (<usize>firstRow + c) * nf * 8;
      for (let t = t0; t < t1; t++) {
        let v = load<f64>(row + (lm + t) * 8);
        if (gains != 0) v *= load<f64>(gains + ((lm + t) * nc + c) * 8);
        if (round) v = f64.nearest(v);
        store<f64>(out + (t * no + j) * 8, v);
      }
    }
  }
}

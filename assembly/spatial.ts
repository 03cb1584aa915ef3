// The stages of SpikeInterface's highpass_spatial_filter around its Butterworth pass (which runs in
// filters.ts `sosfilt`, frames as lanes): automatic gain control of a time-major float64 chunk, the
// channels mirrored, tapered, transposed and oddly extended for scipy's sosfiltfilt along the channel
// axis, and the result gathered back with the gains multiplied in.

/** Flags of {@link spatialPad}. */
const FLAG_F32: i32 = 1; // numpy's float32 arithmetic for the edge extension (float32 input, no taper)

/**
 * AGC gains: for every channel the Hann-weighted mean of |x| over 2·half + 1 samples (zeros past the
 * chunk), i.e. scipy's fftconvolve(|x|, hanning / sum, 'same'), as running sums of |x|, |x|·cos(πk/h)
 * and |x|·sin(πk/h). `data` and `gains` are `numFrames × numChannels`; `work` holds 5·(numFrames + 1)
 * float64.
 */
export function agcGains(data: usize, numFrames: i32, numChannels: i32, half: i32, gains: usize, work: usize): void {
  const nf = <usize>numFrames, nc = <usize>numChannels, h = <usize>half;
  if (nf == 0 || nc == 0) return;
  if (h == 0) {
    for (let i: usize = 0; i < nf * nc; i++) store<f64>(gains + i * 8, Math.abs(load<f64>(data + i * 8)));
    return;
  }
  const cosT = work, sinT = work + (nf + 1) * 8, p0 = sinT + (nf + 1) * 8, pc = p0 + (nf + 1) * 8, ps = pc + (nf + 1) * 8;
  let weightSum = 0.0;
  for (let j: isize = -(<isize>h); j <= <isize>h; j++) weightSum += 0.5 + 0.5 * Math.cos((Math.PI * <f64>j) / <f64>h);
  for (let k: usize = 0; k < nf; k++) {
    const angle = (Math.PI * <f64>k) / <f64>h;
    store<f64>(cosT + k * 8, Math.cos(angle));
    store<f64>(sinT + k * 8, Math.sin(angle));
  }
  store<f64>(p0, 0);
  store<f64>(pc, 0);
  store<f64>(ps, 0);
  for (let c: usize = 0; c < nc; c++) {
    for (let k: usize = 0; k < nf; k++) {
      const a = Math.abs(load<f64>(data + (k * nc + c) * 8));
      store<f64>(p0 + (k + 1) * 8, load<f64>(p0 + k * 8) + a);
      store<f64>(pc + (k + 1) * 8, load<f64>(pc + k * 8) + a * load<f64>(cosT + k * 8));
      store<f64>(ps + (k + 1) * 8, load<f64>(ps + k * 8) + a * load<f64>(sinT + k * 8));
    }
    for (let t: usize = 0; t < nf; t++) {
      const lo = t > h ? t - h : 0;
      const hi = t + h + 1 < nf ? t + h + 1 : nf;
      const s0 = load<f64>(p0 + hi * 8) - load<f64>(p0 + lo * 8);
      const sc = load<f64>(pc + hi * 8) - load<f64>(pc + lo * 8);
      const ss = load<f64>(ps + hi * 8) - load<f64>(ps + lo * 8);
      store<f64>(gains + (t * nc + c) * 8, (0.5 * s0 + 0.5 * (load<f64>(cosT + t * 8) * sc + load<f64>(sinT + t * 8) * ss)) / weightSum);
    }
  }
}

/**
 * The AGC itself: every sample of a live channel (gains not all zero) divided by max(eps[c], gain)
 * and stored as float32 (numpy assigns into the float32 traces); dead channels are left alone.
 */
export function agcApply(data: usize, numFrames: i32, numChannels: i32, gains: usize, eps: usize): void {
  const nf = <usize>numFrames, nc = <usize>numChannels;
  for (let c: usize = 0; c < nc; c++) {
    let total = 0.0;
    for (let t: usize = 0; t < nf; t++) total += load<f64>(gains + (t * nc + c) * 8);
    if (total == 0) continue;
    const e = load<f64>(eps + c * 8);
    for (let t: usize = 0; t < nf; t++) {
      const p = data + (t * nc + c) * 8;
      const g = load<f64>(gains + (t * nc + c) * 8);
      store<f64>(p, <f64><f32>(load<f64>(p) / (g > e ? g : e)));
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
  for (let j: usize = 0; j < np; j++) {
    const c = j < p ? p - 1 - j : j < p + nc ? j - p : nc - 1 - (j - p - nc);
    const w = taper != 0 ? load<f64>(taper + j * 8) : 1.0;
    const row = dst + (e + j) * nf * 8;
    for (let t: usize = 0; t < nf; t++) {
      const v = load<f64>(data + (t * nc + c) * 8);
      store<f64>(row + t * 8, taper != 0 ? v * w : v);
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
  for (let j: usize = 0; j < no; j++) {
    const c = <usize>load<i32>(chan + j * 4);
    const row = src + (<usize>firstRow + c) * nf * 8;
    for (let t: usize = 0; t < <usize>rows; t++) {
      let v = load<f64>(row + (lm + t) * 8);
      if (gains != 0) v *= load<f64>(gains + ((lm + t) * nc + c) * 8);
      if (round) v = f64.nearest(v);
      store<f64>(out + (t * no + j) * 8, v);
    }
  }
}

// The plain-JS baseline both filter benches time against: the forward-backward pass of
// second-order sections over an interleaved float64 block (time outer, channels inner, state per
// channel), zi scaled by the edge samples as scipy's sosfiltfilt does. Each bench builds its own
// edge extension (bench/filters.mjs in int16 arithmetic as scipy does on int16 input, the chain
// bench in float64 on its float64 chunks).

/** Filters `ext` (frames × nc, extension included) in place: forward, then backward. */
export function sosForwardBackward(ext, nc, sos, zi) {
  const nSections = sos.length / 6;
  const frames = ext.length / nc;
  const state = new Float64Array(nSections * 2 * nc);
  const pass = (reverse) => {
    for (let k = 0; k < frames; k++) {
      const row = (reverse ? frames - 1 - k : k) * nc;
      for (let c = 0; c < nc; c++) {
        let cur = ext[row + c];
        for (let s = 0; s < nSections; s++) {
          const q = s * 6;
          const z0 = 2 * s * nc + c;
          const z1 = z0 + nc;
          const y = sos[q] * cur + state[z0];
          state[z0] = sos[q + 1] * cur - sos[q + 4] * y + state[z1];
          state[z1] = sos[q + 2] * cur - sos[q + 5] * y;
          cur = y;
        }
        ext[row + c] = cur;
      }
    }
  };
  const scale = (row) => {
    for (let k = 0; k < 2 * nSections; k++) for (let c = 0; c < nc; c++) state[k * nc + c] = zi[k] * ext[row * nc + c];
  };
  scale(0);
  pass(false);
  scale(frames - 1);
  pass(true);
  return ext;
}

/** The plain-JS twin of scipy's sosfilt_zi: the steady state of each section for a unit step, times the gain of the sections before it. */
export function sosfiltZi(sos) {
  const n = sos.length / 6;
  const zi = new Float64Array(2 * n);
  let scale = 1;
  for (let s = 0; s < n; s++) {
    const [b0, b1, b2, , a1, a2] = sos.slice(6 * s, 6 * s + 6);
    // lfilter_zi of a biquad (a0 = 1): solve (I - A^T) zi = B - a b0
    const B1 = b1 - a1 * b0;
    const B2 = b2 - a2 * b0;
    const z0 = (B1 + B2) / (1 + a1 + a2);
    zi[2 * s] = scale * z0;
    zi[2 * s + 1] = scale * (z0 - B1);
    scale *= (b0 + b1 + b2) / (1 + a1 + a2);
  }
  return zi;
}

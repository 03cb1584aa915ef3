// ibllib's automatic gain control as SpikeInterface's highpass_spatial_filter computes it:
// `fftconvolve(|x|, hanning(2h + 1) / sum, mode='same', axes=0)` per channel (samples past the chunk
// count as zeros). The Hann window is 0.5 + 0.5·cos(π·j/h) for j in [-h, h], so the convolution is
// a running sum of |x|, |x|·cos(πk/h) and |x|·sin(πk/h) (cos(a - b) = cos a cos b + sin a sin b):
// O(1) per sample whatever the window, where the FFT's is O(log n), and as accurate (float64 prefix
// sums: relative errors around 1e-12 for chunks of a second).

/**
 * The AGC gain of every sample of time-major float samples (`frames × numChannels`), for a Hann
 * window of `2·half + 1` samples normalised to sum 1.
 */
export function agcGains(traces: ArrayLike<number>, frames: number, numChannels: number, half: number): Float64Array {
  const gains = new Float64Array(frames * numChannels);
  if (half === 0) {
    for (let i = 0; i < gains.length; i++) gains[i] = Math.abs(traces[i]);
    return gains;
  }
  let weightSum = 0;
  for (let j = -half; j <= half; j++) weightSum += 0.5 + 0.5 * Math.cos((Math.PI * j) / half);
  const cos = new Float64Array(frames);
  const sin = new Float64Array(frames);
  for (let k = 0; k < frames; k++) {
    cos[k] = Math.cos((Math.PI * k) / half);
    sin[k] = Math.sin((Math.PI * k) / half);
  }
  const p0 = new Float64Array(frames + 1);
  const pc = new Float64Array(frames + 1);
  const ps = new Float64Array(frames + 1);
  for (let c = 0; c < numChannels; c++) {
    for (let k = 0; k < frames; k++) {
      const a = Math.abs(traces[k * numChannels + c]);
      p0[k + 1] = p0[k] + a;
      pc[k + 1] = pc[k] + a * cos[k];
      ps[k + 1] = ps[k] + a * sin[k];
    }
    for (let t = 0; t < frames; t++) {
      const lo = Math.max(0, t - half);
      const hi = Math.min(frames, t + half + 1);
      const s0 = p0[hi] - p0[lo];
      const sc = pc[hi] - pc[lo];
      const ss = ps[hi] - ps[lo];
      gains[t * numChannels + c] = (0.5 * s0 + 0.5 * (cos[t] * sc + sin[t] * ss)) / weightSum;
    }
  }
  return gains;
}

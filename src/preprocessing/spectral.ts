import type { Kernel } from '../kernel/index.js';
import { alignUp } from '../kernel/memory.js';
import { fftPrepareAt, fftWorkBytes, irfftAt, rfftAt } from '../kernel/dsp.js';
import { elementwiseAt, elementwiseParamBytes } from '../kernel/kernel.js';
import type { ChunkWithMargin } from './margins.js';

/**
 * Multiplies every channel of a float64 chunk (time-major, in place) by a real gain per frequency
 * bin: the kernel's rFFT along time, `gains[b]` for bins 0..n/2, the inverse rFFT. For a gain that
 * is real and even over numpy's full FFT bins this is `real(ifft(fft(x) * gain))`.
 */
export async function scaleSpectraInPlace(kernel: Kernel, chunk: ChunkWithMargin, gains: Float64Array): Promise<void> {
  const n = chunk.numFrames;
  const bins = Math.floor(n / 2) + 1;
  const k = chunk.numChannels;
  const workBytes = alignUp(fftWorkBytes(kernel, n));
  const region = await kernel.alloc(workBytes + bins * 16);
  try {
    const spectrum = region + workBytes;
    fftPrepareAt(kernel, n, region);
    for (let j = 0; j < k; j++) {
      const column = chunk.address + j * 8;
      rfftAt(kernel, column, k, n, spectrum, region);
      // the view is taken after the allocation: memory does not grow below
      const s = kernel.view('float64', spectrum, 2 * bins) as Float64Array;
      for (let b = 0; b < bins; b++) {
        s[2 * b] *= gains[b];
        s[2 * b + 1] *= gains[b];
      }
      irfftAt(kernel, spectrum, n, column, k, region);
    }
  } finally {
    kernel.free(region);
  }
}

/** |numpy.fft.fft(x, n)| at bins 0..n/2 (x zero-padded or cut to n), through the kernel's rFFT. */
export async function fftMagnitude(kernel: Kernel, x: ArrayLike<number>, n: number): Promise<Float64Array> {
  const bins = Math.floor(n / 2) + 1;
  const workBytes = alignUp(fftWorkBytes(kernel, n));
  const dataBytes = alignUp(n * 8);
  const region = await kernel.alloc(workBytes + dataBytes + bins * 16);
  try {
    const data = kernel.view('float64', region + workBytes, n) as Float64Array;
    data.fill(0);
    for (let i = 0; i < Math.min(n, x.length); i++) data[i] = x[i];
    fftPrepareAt(kernel, n, region);
    rfftAt(kernel, region + workBytes, 1, n, region + workBytes + dataBytes, region);
    const s = kernel.view('float64', region + workBytes + dataBytes, 2 * bins) as Float64Array;
    return Float64Array.from({ length: bins }, (_, b) => Math.hypot(s[2 * b], s[2 * b + 1]));
  } finally {
    kernel.free(region);
  }
}

/** numpy's round (half to even) of `numFrames × numChannels` float64 values in place, in the kernel. */
export async function roundInPlace(kernel: Kernel, data: number, numFrames: number, numChannels: number): Promise<void> {
  if (numFrames === 0 || numChannels === 0) return;
  const scratch = await kernel.alloc(alignUp(elementwiseParamBytes(numChannels)));
  try {
    elementwiseAt(kernel, { op: 'round', data, numFrames, numChannels, scratch });
  } finally {
    kernel.free(scratch);
  }
}

/** What {@link welch} returns: frequencies of the bins, and the density per bin and channel (bins × channels, row-major). */
export interface WelchResult {
  readonly freqs: Float64Array;
  readonly psd: Float64Array;
}

/**
 * scipy.signal.welch(x, fs, window='hann', nperseg, axis=0) with its defaults (noverlap nperseg/2,
 * constant detrend, one-sided density, mean of the segments), per channel of a time-major block of
 * `numChannels` channels, the transforms through the kernel's rFFT.
 */
export async function welch(kernel: Kernel, x: ArrayLike<number>, numChannels: number, fs: number, nperseg: number): Promise<WelchResult> {
  const n = x.length / numChannels;
  const step = nperseg - (nperseg >> 1);
  const segments = n >= nperseg ? Math.floor((n - nperseg) / step) + 1 : 0;
  const bins = (nperseg >> 1) + 1;
  const window = Float64Array.from({ length: nperseg }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nperseg));
  const scale = 1 / (fs * window.reduce((s, w) => s + w * w, 0));
  const psd = new Float64Array(bins * numChannels);
  const workBytes = alignUp(fftWorkBytes(kernel, nperseg));
  const dataBytes = alignUp(nperseg * 8);
  const region = await kernel.alloc(workBytes + dataBytes + bins * 16);
  try {
    fftPrepareAt(kernel, nperseg, region);
    const segment = kernel.view('float64', region + workBytes, nperseg) as Float64Array;
    const spectrum = kernel.view('float64', region + workBytes + dataBytes, 2 * bins) as Float64Array;
    for (let c = 0; c < numChannels; c++) {
      for (let s = 0; s < segments; s++) {
        let mean = 0;
        for (let i = 0; i < nperseg; i++) mean += x[(s * step + i) * numChannels + c];
        mean /= nperseg;
        for (let i = 0; i < nperseg; i++) segment[i] = (x[(s * step + i) * numChannels + c] - mean) * window[i];
        rfftAt(kernel, region + workBytes, 1, nperseg, region + workBytes + dataBytes, region);
        for (let b = 0; b < bins; b++) {
          // one-sided: every bin but DC (and Nyquist for an even length) counts twice
          const twice = b > 0 && !(nperseg % 2 === 0 && b === bins - 1) ? 2 : 1;
          psd[b * numChannels + c] += (spectrum[2 * b] ** 2 + spectrum[2 * b + 1] ** 2) * scale * twice;
        }
      }
    }
  } finally {
    kernel.free(region);
  }
  for (let i = 0; i < psd.length; i++) psd[i] /= segments;
  const freqs = Float64Array.from({ length: bins }, (_, b) => b / (nperseg * (1 / fs)));
  return { freqs, psd };
}

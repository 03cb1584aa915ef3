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

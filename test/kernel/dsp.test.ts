// The kernel's IIR filters and FFTs against independent plain-TypeScript references written here
// (the same recursions as straightforward loops; a naive DFT), for the SIMD and the scalar builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Kernel, createKernel, irfft, lfilter, copyRowsAt, rfft, rotateSpectrumAt, sosfilt, transposeAt } from '../../src/kernel/index.js';
import { iirfilter } from '../../src/preprocessing/filter-design.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { rng } from '../helpers/random.js';

/** scipy's sosfilt recursion, one channel at a time, time-major data. */
function refSosfilt(sos: Float64Array, x: Float64Array, nc: number, zi: Float64Array, reverse = false): Float64Array {
  const nf = x.length / nc;
  const ns = sos.length / 6;
  const y = new Float64Array(x.length);
  for (let c = 0; c < nc; c++) {
    for (let i = 0; i < nf; i++) {
      const t = reverse ? nf - 1 - i : i;
      let cur = x[t * nc + c];
      for (let s = 0; s < ns; s++) {
        const z0 = (s * 2) * nc + c;
        const z1 = (s * 2 + 1) * nc + c;
        const q = s * 6;
        const next = sos[q] * cur + zi[z0];
        zi[z0] = sos[q + 1] * cur - sos[q + 4] * next + zi[z1];
        zi[z1] = sos[q + 2] * cur - sos[q + 5] * next;
        cur = next;
      }
      y[t * nc + c] = cur;
    }
  }
  return y;
}

/** scipy's lfilter (direct form II transposed), b and a normalised by a[0]. */
function refLfilter(b: number[], a: number[], x: Float64Array, nc: number, zi: Float64Array, reverse = false): Float64Array {
  const n = b.length;
  const nb = b.map((v) => v / a[0]);
  const na = a.map((v) => v / a[0]);
  const nf = x.length / nc;
  const y = new Float64Array(x.length);
  for (let c = 0; c < nc; c++) {
    for (let i = 0; i < nf; i++) {
      const t = reverse ? nf - 1 - i : i;
      const xv = x[t * nc + c];
      const yv = zi[c] + nb[0] * xv;
      for (let k = 0; k < n - 2; k++) zi[k * nc + c] = zi[(k + 1) * nc + c] + xv * nb[k + 1] - yv * na[k + 1];
      zi[(n - 2) * nc + c] = xv * nb[n - 1] - yv * na[n - 1];
      y[t * nc + c] = yv;
    }
  }
  return y;
}

function noise(n: number, seed: number, scale = 1000): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => Math.round((r() - 0.5) * 2 * scale));
}

function expectBitEqual(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) diff++;
  expect(diff).toBe(0);
}

const SOS = iirfilter(5, [300, 6000], { fs: 30000, output: 'sos' });
const BA = iirfilter(2, [400, 5000], { fs: 30000, output: 'ba' });

for (const flavour of ['simd', 'scalar'] as const) {
  describe(`IIR filters in the ${flavour} kernel`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd: flavour === 'simd' });
    });

    for (const nc of [1, 2, 7, 13, 16, 19]) {
      it(`sosfilt equals the reference bit for bit (${nc} channels, forward and backward, with a state)`, async () => {
        const x = noise(501 * nc, nc);
        const zi = noise(5 * 2 * nc, 100 + nc, 10);
        for (const direction of ['forward', 'backward'] as const) {
          const refState = Float64Array.from(zi);
          const expected = refSosfilt(SOS, x, nc, refState, direction === 'backward');
          const { y, zf } = await sosfilt(SOS, x, nc, { zi, direction, kernel });
          expectBitEqual(y, expected);
          expectBitEqual(zf, refState);
        }
      });

      it(`lfilter equals the reference bit for bit (${nc} channels)`, async () => {
        const x = noise(333 * nc, 7 + nc);
        const zi = noise(4 * nc, 9 + nc, 10);
        for (const direction of ['forward', 'backward'] as const) {
          const refState = Float64Array.from(zi);
          const expected = refLfilter(Array.from(BA.b), Array.from(BA.a), x, nc, refState, direction === 'backward');
          const { y, zf } = await lfilter(BA.b, BA.a, x, nc, { zi, direction, kernel });
          expectBitEqual(y, expected);
          expectBitEqual(zf, refState);
        }
      });
    }

    it('a chunk filtered in pieces, the state carried over, equals the whole chunk', async () => {
      const nc = 5;
      const x = noise(1000 * nc, 3);
      const whole = await sosfilt(SOS, x, nc, { kernel });
      let state: Float64Array | undefined;
      const parts: Float64Array[] = [];
      for (const [a, b] of [[0, 137], [137, 600], [600, 1000]]) {
        const r = await sosfilt(SOS, x.subarray(a * nc, b * nc), nc, { zi: state, kernel });
        parts.push(r.y);
        state = r.zf;
      }
      const joined = new Float64Array(x.length);
      let at = 0;
      for (const p of parts) {
        joined.set(p, at);
        at += p.length;
      }
      expectBitEqual(joined, whole.y);
      expectBitEqual(state as Float64Array, whole.zf);
    });
  });

  describe(`FFT in the ${flavour} kernel`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd: flavour === 'simd' });
    });

    /** Naive DFT X_k = sum_t x_t exp(-2 pi i k t / n), k <= n/2, angles reduced exactly (k*t mod n). */
    function dftBin(x: Float64Array, k: number): [number, number] {
      const n = x.length;
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * ((k * t) % n)) / n;
        re += x[t] * Math.cos(angle);
        im += x[t] * Math.sin(angle);
      }
      return [re, im];
    }

    function dft(x: Float64Array): Float64Array {
      const bins = Math.floor(x.length / 2) + 1;
      const out = new Float64Array(bins * 2);
      for (let k = 0; k < bins; k++) out.set(dftBin(x, k), 2 * k);
      return out;
    }

    const maxAbs = (v: ArrayLike<number>) => Array.from(v).reduce((m, e) => Math.max(m, Math.abs(e)), 0);

    for (const n of [1, 2, 3, 7, 26, 34, 64, 74, 100, 1000, 1023, 1386, 30000, 32400]) {
      it(`rfft and irfft of length ${n} match a naive DFT (relative to the largest value)`, async () => {
        const x = noise(n, n, 1).map((v, i) => v + Math.sin(i * 0.37) + 0.5);
        const spec = await rfft(x, { kernel });
        const ref = n <= 1023 ? dft(x) : null;
        if (ref) {
          let err = 0;
          for (let i = 0; i < ref.length; i++) err = Math.max(err, Math.abs(spec[i] - ref[i]));
          const rel = err / maxAbs(ref);
          console.log(`${flavour} rfft n=${n}: max error / max |X| = ${rel.toExponential(2)}`);
          expect(rel).toBeLessThanOrEqual(1e-9);
        } else {
          // 30000 points: spot-check 40 bins against the DFT sum (the full naive DFT is too slow)
          const r = rng(5);
          let rel = 0;
          for (let j = 0; j < 40; j++) {
            const k = Math.floor(r() * (n / 2 + 1));
            const [re, im] = dftBin(x, k);
            rel = Math.max(rel, Math.hypot(spec[2 * k] - re, spec[2 * k + 1] - im) / maxAbs(spec));
          }
          console.log(`${flavour} rfft n=${n} (40 bins): max error / max |X| = ${rel.toExponential(2)}`);
          expect(rel).toBeLessThanOrEqual(1e-9);
        }
        const back = await irfft(spec, n, { kernel });
        let err = 0;
        for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(back[i] - x[i]));
        console.log(`${flavour} irfft(rfft(x)) n=${n}: max error / max |x| = ${(err / maxAbs(x)).toExponential(2)}`);
        expect(err / maxAbs(x)).toBeLessThanOrEqual(1e-9);
      });
    }

    it('transforms every channel of a time-major chunk (odd length, 3 channels)', async () => {
      const n = 45;
      const nc = 3;
      const x = noise(n * nc, 11, 100);
      const spec = await rfft(x, { numChannels: nc, kernel });
      const bins = 23;
      for (let c = 0; c < nc; c++) {
        const column = Float64Array.from({ length: n }, (_, t) => x[t * nc + c]);
        const ref = dft(column);
        for (let i = 0; i < bins * 2; i++) expect(Math.abs(spec[c * bins * 2 + i] - ref[i])).toBeLessThanOrEqual(1e-9 * maxAbs(ref));
      }
      const back = await irfft(spec, n, { numChannels: nc, kernel });
      for (let i = 0; i < x.length; i++) expect(Math.abs(back[i] - x[i])).toBeLessThanOrEqual(1e-9 * 100);
    });
  });
}

describe('argument errors', () => {
  it('name the bad value', async () => {
    await expectCodeAsync(sosfilt([1, 0, 0, 2, 0, 0], new Float64Array(4), 2), 'INVALID_ARGUMENT', /a0\) must be 1, got 2/);
    await expectCodeAsync(sosfilt(SOS, new Float64Array(5), 2), 'INVALID_ARGUMENT', /5 values are not a whole number of rows of 2 channels/);
    await expectCodeAsync(sosfilt(SOS, new Float64Array(4), 2, { zi: new Float64Array(3) }), 'INVALID_ARGUMENT', /zi must hold 20 values/);
    await expectCodeAsync(lfilter([1], [0, 1], new Float64Array(4), 1), 'INVALID_ARGUMENT', /a\[0\] must be non-zero/);
    await expectCodeAsync(irfft(new Float64Array(6), 8), 'INVALID_ARGUMENT', /expected 1 spectra of 5 complex values/);
  });
});

describe('rotateSpectrumAt', () => {
  it("is numpy's complex multiply, bit for bit, in place", async () => {
    const kernel = await createKernel();
    const random = rng(11);
    const bins = 37;
    const spectrum = Float64Array.from({ length: 2 * bins }, () => (random() - 0.5) * 1e4);
    const rotations = Float64Array.from({ length: 2 * bins }, () => random() * 2 - 1);
    const at = await kernel.alloc(bins * 32);
    kernel.view('float64', at, 2 * bins).set(spectrum);
    kernel.view('float64', at + bins * 16, 2 * bins).set(rotations);
    rotateSpectrumAt(kernel, at, at + bins * 16, bins);
    const got = kernel.view('float64', at, 2 * bins);
    for (let b = 0; b < bins; b++) {
      const [re, im, c, d] = [spectrum[2 * b], spectrum[2 * b + 1], rotations[2 * b], rotations[2 * b + 1]];
      expect([got[2 * b], got[2 * b + 1]]).toEqual([re * c - im * d, re * d + im * c]);
    }
    expectCode(() => rotateSpectrumAt(kernel, 3, at, bins), 'INVALID_ARGUMENT', /rotateSpectrum: spectrum/);
    kernel.free(at);
  });
});

describe('transposeAt', () => {
  it('moves every value of a strided block to its transposed place, tile edges included', async () => {
    const kernel = await createKernel();
    for (const [rows, cols, srcStride, dstStride] of [[19, 3, 5, 21], [8, 8, 8, 8], [1, 17, 17, 1], [30, 11, 13, 30]]) {
      const src = await kernel.alloc(rows * srcStride * 8);
      const dst = await kernel.alloc(cols * dstStride * 8);
      const a = kernel.view('float64', src, rows * srcStride);
      for (let i = 0; i < a.length; i++) a[i] = i + 0.5;
      kernel.view('float64', dst, cols * dstStride).fill(-1);
      transposeAt(kernel, src, srcStride, rows, cols, dst, dstStride);
      const b = kernel.view('float64', dst, cols * dstStride);
      const s = kernel.view('float64', src, rows * srcStride);
      for (let c = 0; c < cols; c++) {
        for (let r = 0; r < dstStride; r++) expect(b[c * dstStride + r]).toBe(r < rows ? s[r * srcStride + c] : -1);
      }
      kernel.free(src);
      kernel.free(dst);
    }
    expectCode(() => transposeAt(kernel, 8, 2, 4, 3, 64, 4), 'INVALID_ARGUMENT', /srcStride/);
  });
});

describe('copyRowsAt', () => {
  it('copies float64 values, rounding half to even on request, also in place', async () => {
    const kernel = await createKernel();
    const values = [0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, -2.5001, 1e300, -0, 7];
    const src = await kernel.alloc(values.length * 8);
    const dst = await kernel.alloc(values.length * 8);
    kernel.view('float64', src, values.length).set(values);
    copyRowsAt(kernel, src, dst, values.length, false);
    expect(Array.from(kernel.view('float64', dst, values.length))).toEqual(values);
    copyRowsAt(kernel, src, dst, values.length, true);
    expect(Array.from(kernel.view('float64', dst, values.length))).toEqual([0, 2, 2, -0, -2, 2, -3, 1e300, -0, 7]);
    copyRowsAt(kernel, src, src, values.length, true);
    expect(Array.from(kernel.view('float64', src, values.length))).toEqual([0, 2, 2, -0, -2, 2, -3, 1e300, -0, 7]);
    kernel.free(src);
    kernel.free(dst);
  });
});

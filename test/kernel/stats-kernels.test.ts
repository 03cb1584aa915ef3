// The whitening and spatial-filter kernels (assembly/whiten.ts, assembly/spatial.ts) in the SIMD and
// scalar builds against straightforward references: whitening bit for bit (the same sums in the
// same order), the AGC against a direct Hann-weighted sum, the padded rows and the gather exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Kernel, createKernel } from '../../src/kernel/index.js';
import { agcAt, agcWorkBytes, spatialGatherAt, spatialPadAt } from '../../src/kernel/spatial.js';
import { whitenAt, whitenScratchBytes } from '../../src/kernel/whiten.js';
import { expectCode } from '../helpers/expect-error.js';
import { rng } from '../helpers/random.js';

const noise = (n: number, seed: number, scale = 100) => {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() - 0.5) * scale);
};

/** Copies arrays into fresh regions of linear memory; returns their addresses. */
async function place(kernel: Kernel, ...arrays: (Float64Array | Int32Array | number)[]): Promise<number[]> {
  const out: number[] = [];
  for (const a of arrays) {
    const bytes = typeof a === 'number' ? a : a.byteLength;
    const at = await kernel.alloc(Math.max(16, Math.ceil(bytes / 16) * 16));
    if (typeof a !== 'number') new Uint8Array(kernel.memory.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    out.push(at);
  }
  return out;
}

for (const flavour of ['simd', 'scalar'] as const) {
  describe(`whitening and spatial kernels in the ${flavour} build`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd: flavour === 'simd' });
    });

    for (const [frames, nc, chan] of [[7, 5, [4, 0, 2]], [9, 16, [3]], [4, 3, [0, 1, 2]]] as const) {
      for (const float32 of [false, true]) {
        it(`whiten equals (x - M) @ W summed in order (${frames} frames, ${nc} channels → ${chan.length}, float32 ${float32})`, async () => {
          const x = noise(frames * nc, frames + nc);
          const w = noise(nc * nc, 3 * nc, 0.1);
          const m = noise(nc, 5);
          const k = chan.length;
          const wSel = Float64Array.from({ length: nc * k }, (_, i) => w[Math.floor(i / k) * nc + chan[i % k]]);
          const [src, wAt, mAt, dst, scratch] = await place(kernel, x, wSel, m, frames * k * 8, whitenScratchBytes(nc));
          whitenAt(kernel, { src, numFrames: frames, numChannels: nc, mean: mAt, w: wAt, numOut: k, dst, scale: 3, float32, round: !float32, scratch });
          const got = Array.from(kernel.view('float64', dst, frames * k));
          const r = float32 ? Math.fround : (v: number) => v;
          const want: number[] = [];
          for (let t = 0; t < frames; t++) {
            for (let j = 0; j < k; j++) {
              let s = 0;
              for (let i = 0; i < nc; i++) s += r(x[t * nc + i] - m[i]) * wSel[i * k + j];
              const v = float32 ? Math.fround(Math.fround(s) * 3) : s * 3;
              want.push(float32 ? v : Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
            }
          }
          expect(got).toEqual(want);
        });
      }
    }

    it('the AGC equals a direct Hann-weighted sum of |x| and divides live channels as float32', async () => {
      const frames = 90;
      const nc = 3;
      const half = 10;
      const x = noise(frames * nc, 11);
      for (let t = 0; t < frames; t++) x[t * nc + 1] = 0; // a dead channel
      const eps = Float64Array.from([0.5, 0.5, 1e6]);
      const [data, gains, epsAt, work] = await place(kernel, x, frames * nc * 8, eps, agcWorkBytes(frames, nc));
      agcAt(kernel, { data, numFrames: frames, numChannels: nc, half, gains, eps: epsAt, work });
      const g = kernel.view('float64', gains, frames * nc);
      const out = kernel.view('float64', data, frames * nc);
      let sum = 0;
      for (let j = -half; j <= half; j++) sum += 0.5 + 0.5 * Math.cos((Math.PI * j) / half);
      for (let c = 0; c < nc; c++) {
        for (let t = 0; t < frames; t++) {
          let s = 0;
          for (let j = -half; j <= half; j++) if (t + j >= 0 && t + j < frames) s += (0.5 + 0.5 * Math.cos((Math.PI * j) / half)) * Math.abs(x[(t + j) * nc + c]);
          const want = s / sum;
          expect(Math.abs(g[t * nc + c] - want)).toBeLessThan(1e-12 * 100);
          expect(out[t * nc + c]).toBe(c === 1 ? 0 : Math.fround(x[t * nc + c] / Math.max(eps[c], g[t * nc + c])));
        }
      }
    });

    it('pads, tapers and transposes the channels, extends them oddly, and gathers them back', async () => {
      const frames = 6;
      const nc = 4;
      const pad = 2;
      const edge = 3;
      const x = noise(frames * nc, 21);
      const np = nc + 2 * pad;
      const taper = Float64Array.from({ length: np }, (_, j) => 0.5 + j / 10);
      const rows = np + 2 * edge;
      const [data, dst, taperAt] = await place(kernel, x, rows * frames * 8, taper);
      spatialPadAt(kernel, { data, numFrames: frames, numChannels: nc, pad, edge, taper: taperAt, dst, float32: false });
      const got = kernel.view('float64', dst, rows * frames);
      const order = [1, 0, 0, 1, 2, 3, 3, 2];
      for (let j = 0; j < np; j++) for (let t = 0; t < frames; t++) expect(got[(edge + j) * frames + t]).toBe(x[t * nc + order[j]] * taper[j]);
      for (let i = 1; i <= edge; i++) {
        for (let t = 0; t < frames; t++) {
          expect(got[(edge - i) * frames + t]).toBe(2 * got[edge * frames + t] - got[(edge + i) * frames + t]);
          expect(got[(edge + np - 1 + i) * frames + t]).toBe(2 * got[(edge + np - 1) * frames + t] - got[(edge + np - 1 - i) * frames + t]);
        }
      }
      const gainsArr = noise(frames * nc, 23);
      const [gains, chan, out] = await place(kernel, gainsArr, Int32Array.from([3, 1]), 4 * 2 * 8);
      spatialGatherAt(kernel, { src: dst, numFrames: frames, numChannels: nc, firstRow: edge + pad, gains, chan, numOut: 2, leftMargin: 1, rows: 4, out, round: false });
      const gathered = kernel.view('float64', out, 8);
      for (let t = 0; t < 4; t++) {
        for (const [j, c] of [[0, 3], [1, 1]]) expect(gathered[t * 2 + j]).toBe(got[(edge + pad + c) * frames + 1 + t] * gainsArr[(1 + t) * nc + c]);
      }
      expectCode(() => spatialGatherAt(kernel, { src: dst, numFrames: frames, numChannels: nc, firstRow: 0, gains: null, chan, numOut: 2, leftMargin: 4, rows: 4, out, round: false }),
        'INVALID_ARGUMENT', /leftMargin 4 \+ rows 4 exceed numFrames 6/);
      expectCode(() => spatialPadAt(kernel, { data, numFrames: frames, numChannels: nc, pad: 5, edge, taper: null, dst, float32: true }), 'INVALID_ARGUMENT', /pad 5 must be at most numChannels/);
      expectCode(() => whitenAt(kernel, { src: data, numFrames: 2 ** 26, numChannels: nc, mean: null, w: dst, numOut: 1, dst, scratch: dst }), 'INVALID_ARGUMENT', /is outside linear memory/);
    });
  });
}

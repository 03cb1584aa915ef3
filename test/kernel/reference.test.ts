// The kernel's row-by-row references (int16 global median by counting, 'local' medians and averages)
// against plain-TypeScript references written here (sort, take the middle, subtract, round half to
// even), for the SIMD and the scalar builds.
import { beforeAll, describe, expect, it } from 'vitest';
import { type Kernel, createKernel, int16MedianScratchBytes, int16MedianShiftAt, localShiftAt, localShiftScratchBytes } from '../../src/kernel/index.js';
import { expectCode } from '../helpers/expect-error.js';
import { rng } from '../helpers/random.js';

/** np.median of plain numbers: the middle value, or the mean of the two middle ones. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** np.round: half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** int16 samples: a narrow band around a drifting level, with some samples at the ends of the range. */
function int16Block(frames: number, channels: number, seed: number): Int16Array {
  const random = rng(seed);
  const x = new Int16Array(frames * channels);
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < channels; c++) {
      const r = random();
      x[t * channels + c] = r < 0.02 ? -32768 : r > 0.98 ? 32767 : Math.round(3000 * Math.sin(t / 7) + 400 * (random() - 0.5));
    }
  }
  return x;
}

for (const flavour of ['simd', 'scalar'] as const) {
  describe(`reference kernels (${flavour})`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd: flavour === 'simd' });
    });

    for (const [channels, refs, columns] of [
      [16, null, null],
      [17, null, null],
      [40, [0, 3, 5, 7, 9, 11, 39], [39, 2, 2, 0, 17]],
      [9, [4], null],
    ] as const) {
      it(`int16 global median: ${channels} channels, refs ${refs ? refs.length : 'all'}, columns ${columns ? columns.join(',') : 'all'}`, async () => {
        const frames = 200;
        const x = int16Block(frames, channels, channels);
        const all = Array.from({ length: channels }, (_, c) => c);
        const r = refs ? [...refs] : all;
        const cols = columns ? [...columns] : all;
        const src = await kernel.alloc(x.byteLength);
        const dst = await kernel.alloc(frames * cols.length * 8);
        const scratch = await kernel.alloc(int16MedianScratchBytes(kernel, r.length, cols.length));
        kernel.view('int16', src, x.length).set(x);
        for (const round of [false, true]) {
          int16MedianShiftAt(kernel, { src, numFrames: frames, stride: channels, refs: r, columns: cols, dst, round }, scratch);
          const got = kernel.view('float64', dst, frames * cols.length);
          for (let t = 0; t < frames; t++) {
            const m = median(r.map((c) => x[t * channels + c]));
            cols.forEach((c, j) => {
              const y = x[t * channels + c] - m;
              expect(got[t * cols.length + j]).toBe(round ? roundHalfEven(y) : y);
            });
          }
        }
        // the histograms are left empty: a second call on other data is still right
        kernel.view('int16', src, x.length).set(int16Block(frames, channels, 99));
        int16MedianShiftAt(kernel, { src, numFrames: 1, stride: channels, refs: r, columns: cols, dst }, scratch);
        const y = kernel.view('int16', src, channels);
        expect(kernel.view('float64', dst, 1)[0]).toBe(y[cols[0]] - median(r.map((c) => y[c])));
        for (const a of [src, dst, scratch]) kernel.free(a);
      });
    }

    it('local median and average: each column against its own neighbours (with ties), float32 steps on request', async () => {
      const frames = 50;
      const channels = 12;
      const random = rng(5);
      // few distinct values: ties in most neighbour lists
      const x = Float64Array.from({ length: frames * channels }, () => Math.round(8 * (random() - 0.5)) / 4);
      const neighbours = Array.from({ length: channels }, (_, c) => [0, 1, 2, 3].map((d) => (c + d + 1) % channels).slice(0, 2 + (c % 3)));
      const columns = [3, 0, 11, 5];
      const lists = columns.map((c) => neighbours[c]);
      const src = await kernel.alloc(x.byteLength);
      const dst = await kernel.alloc(frames * columns.length * 8);
      const scratch = await kernel.alloc(localShiftScratchBytes(columns.length, lists));
      kernel.view('float64', src, x.length).set(x);
      localShiftAt(kernel, { src, numFrames: frames, stride: channels, columns, neighbours: lists, op: 'median', dst, storeFloat32: true, round: true }, scratch);
      let got = kernel.view('float64', dst, frames * columns.length);
      for (let t = 0; t < frames; t++) {
        columns.forEach((c, j) => {
          const m = median(lists[j].map((n) => x[t * channels + n]));
          expect(got[t * columns.length + j]).toBe(roundHalfEven(Math.fround(x[t * channels + c] - m)));
        });
      }
      localShiftAt(kernel, { src, numFrames: frames, stride: channels, columns, neighbours: lists, op: 'weighted', dst }, scratch);
      got = kernel.view('float64', dst, frames * columns.length);
      for (let t = 0; t < frames; t++) {
        columns.forEach((c, j) => {
          // quarter-integers times 1/n: the average of a few of them, within rounding of fused sums
          const mean = lists[j].reduce((s, n) => s + x[t * channels + n], 0) / lists[j].length;
          expect(got[t * columns.length + j]).toBeCloseTo(x[t * channels + c] - mean, 9);
        });
      }
      expectCode(() => localShiftAt(kernel, { src, numFrames: frames, stride: channels, columns, neighbours: [[0], [1], [2], [12]], op: 'median', dst }, scratch),
        'INVALID_ARGUMENT', /neighbour of column 3 12 at position 0 is out of range/);
      expectCode(() => localShiftAt(kernel, { src, numFrames: frames, stride: channels, columns, neighbours: [[0], [1], [2], []], op: 'median', dst }, scratch),
        'INVALID_ARGUMENT', /column 3 has no neighbours/);
      expectCode(() => int16MedianShiftAt(kernel, { src, numFrames: frames, stride: channels, refs: [], columns, dst }, scratch),
        'INVALID_ARGUMENT', /number of refs/);
      for (const a of [src, dst, scratch]) kernel.free(a);
    });
  });
}

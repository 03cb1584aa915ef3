// The reference kernels against independent references: np.median (sorting), np.mean values
// computed by numpy 2.4 (pairwise summation, float64 and float32), fused multiply-add against exact
// BigInt arithmetic; and subtractShift's float32 / rounding flags.
import { describe, expect, it } from 'vitest';
import { createKernel, getKernel, type Kernel } from '../../src/kernel/index.js';
import { rng } from '../helpers/random.js';

/** Runs referenceShift over one block of rows (stride = row length), returning one value per row. */
async function shifts(kernel: Kernel, rows: number[][], refs: number[], op: 'median' | 'mean' | 'weighted', opts: { float32?: boolean; weight?: number } = {}) {
  const stride = rows[0].length;
  const src = await kernel.alloc(rows.length * stride * 8);
  const out = await kernel.alloc(rows.length * 8);
  const scratch = await kernel.alloc(kernel.referenceScratchBytes(refs.length));
  try {
    (kernel.view('float64', src, rows.length * stride) as Float64Array).set(rows.flat());
    kernel.referenceShift({ src, numFrames: rows.length, stride, refs, op, out, scratch, ...opts });
    return Array.from(kernel.view('float64', out, rows.length));
  } finally {
    kernel.free(src);
    kernel.free(out);
    kernel.free(scratch);
  }
}

function sortedMedian(values: number[], f32 = false): number {
  const s = [...values].sort((a, b) => a - b);
  const k = s.length >> 1;
  if (s.length % 2) return s[k];
  return f32 ? Math.fround(Math.fround(s[k - 1] + s[k]) / 2) : (s[k - 1] + s[k]) / 2;
}

/** Exact x * y + z rounded once: doubles as BigInt significands on a common power of two. */
function exactFma(x: number, y: number, z: number): number {
  const parts = (v: number): [bigint, number] => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    const bits = view.getBigUint64(0);
    const sign = bits >> 63n ? -1n : 1n;
    const e = Number((bits >> 52n) & 0x7ffn);
    const frac = bits & ((1n << 52n) - 1n);
    return e === 0 ? [sign * frac, -1074] : [sign * (frac | (1n << 52n)), e - 1075];
  };
  const [mx, ex] = parts(x);
  const [my, ey] = parts(y);
  const [mz, ez] = parts(z);
  const ep = ex + ey;
  const e = Math.min(ep, ez);
  let total = (mx * my << BigInt(ep - e)) + (mz << BigInt(ez - e));
  if (total === 0n) return 0;
  // keep 64 significant bits and a sticky bit, so that Number() (round to nearest, ties to even)
  // rounds as the exact value would; then scale by the power of two (exact in the normal range)
  const negative = total < 0n;
  if (negative) total = -total;
  const drop = Math.max(0, total.toString(2).length - 64);
  const sticky = (total & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
  const kept = ((total >> BigInt(drop)) << 1n) | sticky;
  const value = Number(kept) * 2 ** (e + drop - 1);
  return negative ? -value : value;
}

describe('referenceShift', () => {
  it('median: odd and even counts, any subset of columns, quickselect sizes', async () => {
    const kernel = await getKernel();
    const random = rng(7);
    for (const n of [1, 2, 3, 7, 8, 15, 16, 17, 33, 100, 385]) {
      const rows = Array.from({ length: 5 }, () => Array.from({ length: n + 2 }, () => Math.round((random() - 0.5) * 2000) / 4));
      rows[0].fill(3); // all equal
      const refs = Array.from({ length: n }, (_, i) => (i * 5 + 1) % (n + 2)).filter((v, i, a) => a.indexOf(v) === i);
      const got = await shifts(kernel, rows, refs, 'median');
      expect(got).toEqual(rows.map((r) => sortedMedian(refs.map((j) => r[j]))));
      const rows32 = rows.map((r) => r.map((v) => Math.fround(v * 1.1)));
      const got32 = await shifts(kernel, rows32, refs, 'median', { float32: true });
      expect(got32).toEqual(rows32.map((r) => sortedMedian(refs.map((j) => r[j]), true)));
    }
    // numpy: np.median(np.array([1.1, 2.3, 5.7, 0.3], dtype=np.float32)) == 1.7000000476837158
    const f = [1.1, 2.3, 5.7, 0.3].map(Math.fround);
    expect(await shifts(kernel, [f], [0, 1, 2, 3], 'median', { float32: true })).toEqual([1.7000000476837158]);
  });

  it("mean: numpy's pairwise summation in float64 and in float32 (values from numpy 2.4)", async () => {
    const kernel = await getKernel();
    // x_i = ((i * 7919) % 1000) / 7 + (i % 3 == 0) * 1e10 - (i % 5 == 0) * 3.3e9; np.mean(x), np.mean(x.astype(float32))
    const numpy: Record<number, [number, number]> = {
      7: [3342857230.5918365, 3342857472.0],
      8: [2925000084.5, 2925000192.0],
      100: [2740000070.0714283, 2740000256.0],
      200: [2690000070.7857146, 2689999872.0],
      385: [2690649422.070501, 2690649344.0],
    };
    for (const [n, [mean64, mean32]] of Object.entries(numpy).map(([k, v]) => [Number(k), v] as const)) {
      const x = Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 7 + (i % 3 === 0 ? 1e10 : 0) - (i % 5 === 0 ? 3.3e9 : 0));
      const refs = x.map((_, i) => i);
      expect(await shifts(kernel, [x], refs, 'mean')).toEqual([mean64]);
      expect(await shifts(kernel, [x.map(Math.fround)], refs, 'mean', { float32: true })).toEqual([mean32]);
    }
  });

  it('weighted: fused multiply-adds in column order, each rounded once', async () => {
    const kernel = await getKernel();
    const random = rng(11);
    const rows = Array.from({ length: 200 }, () => Array.from({ length: 9 }, () => (random() - 0.5) * 10 ** Math.floor(random() * 12 - 6)));
    const refs = [0, 2, 3, 5, 8];
    for (const weight of [1 / 3, 1 / 7, 0.1, -2.5e-3]) {
      const got = await shifts(kernel, rows, refs, 'weighted', { weight });
      const want = rows.map((r) => refs.reduce((acc, j) => exactFma(r[j], weight, acc), 0));
      expect(got).toEqual(want);
    }
    // cancellation: with a = w = 1 + 2^-30, a * w = 1 + 2^-29 + 2^-60 rounds to 1 + 2^-29; then
    // fma(-a, w, that) is exactly -2^-60, where a separate multiply and add would give 0
    const a = 1 + 2 ** -30;
    expect(exactFma(-a, a, exactFma(a, a, 0))).toBe(-(2 ** -60));
    expect(await shifts(kernel, [[a, -a]], [0, 1], 'weighted', { weight: a })).toEqual([-(2 ** -60)]);
    // ties to even and the overflow to infinity
    expect(await shifts(kernel, [[2 ** 52 + 1, -1]], [0, 1], 'weighted', { weight: 2 ** 52 - 1 })).toEqual([exactFma(-1, 2 ** 52 - 1, (2 ** 52 + 1) * (2 ** 52 - 1))]);
    expect(await shifts(kernel, [[1e308, 1e308]], [0, 1], 'weighted', { weight: 10 })).toEqual([Infinity]);
  });
});

describe('both builds', () => {
  it('the scalar build has the reference kernels and gives the same values', async () => {
    const scalar = await createKernel({ simd: false });
    const rows = [[5, 1, 4, 2, 3, 0.5], [1e10, 1, 2, 3, 4, 5]];
    for (const op of ['median', 'mean'] as const) {
      expect(await shifts(scalar, rows, [0, 1, 2, 3, 4, 5], op)).toEqual(await shifts(await getKernel(), rows, [0, 1, 2, 3, 4, 5], op));
    }
    expect(await shifts(scalar, [[1 + 2 ** -30, -(1 + 2 ** -30)]], [0, 1], 'weighted', { weight: 1 + 2 ** -30 })).toEqual([-(2 ** -60)]);
  });
});

describe('subtractShift', () => {
  it('float64, float32 arithmetic, float32 storage and half-to-even rounding', async () => {
    const kernel = await getKernel();
    const rows = [[2.5, 3.5, -2.5, 0.1]];
    const src = await kernel.alloc(32);
    const shift = await kernel.alloc(8);
    const dst = await kernel.alloc(32);
    const scratch = await kernel.alloc(kernel.referenceScratchBytes(4));
    try {
      (kernel.view('float64', src, 4) as Float64Array).set(rows[0]);
      (kernel.view('float64', shift, 1) as Float64Array).set([0.2]);
      const run = (flags: { float32?: boolean; storeFloat32?: boolean; round?: boolean }, columns = [3, 0, 1, 2]) => {
        kernel.subtractShift({ src, numFrames: 1, stride: 4, columns, shift, dst, scratch, ...flags });
        return Array.from(kernel.view('float64', dst, columns.length));
      };
      expect(run({})).toEqual([0.1 - 0.2, 2.5 - 0.2, 3.5 - 0.2, -2.5 - 0.2]);
      expect(run({ float32: true })).toEqual([0.1, 2.5, 3.5, -2.5].map((v) => Math.fround(Math.fround(v) - Math.fround(0.2))));
      expect(run({ storeFloat32: true })).toEqual([0.1, 2.5, 3.5, -2.5].map((v) => Math.fround(v - 0.2)));
      (kernel.view('float64', shift, 1) as Float64Array).set([0]);
      expect(run({ round: true })).toEqual([0, 2, 4, -2]); // np.round: half to even
      expect(() => run({}, [4])).toThrow(/column 4 at position 0 is out of range/);
    } finally {
      for (const a of [src, shift, dst, scratch]) kernel.free(a);
    }
  });
});

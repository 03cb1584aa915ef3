// The kernel's convert() against an independent JS reference, for the SIMD and the scalar builds.
// Runs in Node and in the browser (no node: imports).
import { beforeAll, describe, expect, it } from 'vitest';
import { DTYPE_NAMES, type DType, type TypedArray, arrayType, isFloat, itemSize } from '../../src/dtype.js';
import { type Kernel, createKernel } from '../../src/kernel/index.js';
import { rng } from '../helpers/random.js';

// ---------------------------------------------------------------------------------------------
// Deterministic random data


const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * `n` samples of `dtype`. Integers: uniform over the type plus its extremes. Floats: a mix of
 * magnitudes plus NaN, ±Infinity, ±0, subnormals (unless `intTarget` names an integer type the
 * values must fit: then finite values with fractions inside that type's range).
 */
function randomSamples(dtype: DType, n: number, seed: number, intTarget?: DType): TypedArray {
  const r = rng(seed);
  const out = new (arrayType(dtype))(n);
  if (!isFloat(dtype)) {
    const [lo, hi] = INT_RANGE[dtype];
    const extremes = [lo, hi, 0, lo + 1, hi - 1, dtype.startsWith('u') ? 1 : -1];
    for (let i = 0; i < n; i++) {
      out[i] = i < extremes.length ? extremes[i] : lo + Math.floor(r() * (hi - lo + 1));
    }
    // shuffle the extremes in
    for (let i = 0; i < Math.min(n, extremes.length); i++) {
      const k = Math.floor(r() * n);
      const tmp = out[i];
      out[i] = out[k];
      out[k] = tmp;
    }
    return out;
  }
  const round = dtype === 'float32' ? Math.fround : (x: number) => x;
  if (intTarget !== undefined && !isFloat(intTarget)) {
    const [lo, hi] = INT_RANGE[intTarget];
    for (let i = 0; i < n; i++) {
      let v = round(lo + r() * (hi - lo));
      if (!(v >= lo && v < hi + 1)) v = 0; // rounding to float32 may leave the range
      if (i % 17 === 0) v = round(hi);
      if (i % 19 === 0) v = round(lo);
      if (i % 23 === 0) v = -0;
      if (i % 29 === 0) v = round(lo === 0 ? 0.999 : -0.999);
      if (!(v >= lo && v < hi + 1)) v = 0;
      out[i] = v;
    }
    return out;
  }
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-45, -1e-40, 3.4028234663852886e38, 1e300, -1e-310, 0.1, 1 / 3, 65504.5, -32768, 32767];
  for (let i = 0; i < n; i++) {
    const pick = r();
    let v: number;
    if (pick < 0.1) v = specials[Math.floor(r() * specials.length)];
    else if (pick < 0.4) v = (r() - 0.5) * 65536;
    else if (pick < 0.7) v = (r() - 0.5) * 2 ** Math.floor(r() * 80 - 40);
    else v = Math.round((r() - 0.5) * 2 ** 24);
    out[i] = round(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reference (plain JS, element by element)

interface Case {
  srcDtype: DType;
  dstDtype: DType;
  srcChannels: number;
  numFrames: number;
  timeAxis: 0 | 1;
  channels: number[] | null;
  dstStride?: number;
  gains?: number[] | null;
  offsets?: number[] | null;
}

const SENTINEL = 0xa5;

/** The expected bytes of the output block (row-major, stride dstStride), gaps keep SENTINEL. */
function reference(c: Case, src: TypedArray): Uint8Array {
  const chans = c.channels ?? Array.from({ length: c.srcChannels }, (_, i) => i);
  const nOut = chans.length;
  const stride = c.dstStride ?? nOut;
  const osz = itemSize(c.dstDtype);
  const isz = itemSize(c.srcDtype);
  const rows = c.numFrames;
  const total = rows === 0 || nOut === 0 ? 0 : (rows - 1) * stride + nOut;
  const bytes = new Uint8Array(total * osz + 64).fill(SENTINEL);
  const out = new (arrayType(c.dstDtype))(bytes.buffer, 0, total);
  const srcBytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  const scaled = c.gains != null || c.offsets != null;
  const scratchOne = new (arrayType(c.dstDtype))(1);
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < nOut; j++) {
      const ch = chans[j];
      const at = c.timeAxis === 0 ? t * c.srcChannels + ch : ch * c.numFrames + t;
      const o = t * stride + j;
      if (scaled) {
        const g = Math.fround(c.gains?.[j] ?? 1);
        const off = Math.fround(c.offsets?.[j] ?? 0);
        out[o] = Math.fround(Math.fround(Math.fround(src[at]) * g) + off);
      } else if (c.srcDtype === c.dstDtype) {
        bytes.set(srcBytes.subarray(at * isz, at * isz + isz), o * osz); // raw: the exact bits
      } else {
        const x = src[at];
        // numpy astype: float -> int truncates toward zero; int -> int wraps (typed-array stores wrap);
        // int -> float and float64 -> float32 round to nearest (typed-array stores round).
        scratchOne[0] = isFloat(c.srcDtype) && !isFloat(c.dstDtype) ? Math.trunc(x) : x;
        out[o] = scratchOne[0];
      }
    }
  }
  return bytes;
}

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

// ---------------------------------------------------------------------------------------------
// Running one case on a kernel

async function runCase(kernel: Kernel, c: Case, src: TypedArray): Promise<Uint8Array> {
  const chans = c.channels ?? null;
  const nOut = chans ? chans.length : c.srcChannels;
  const stride = c.dstStride ?? nOut;
  const osz = itemSize(c.dstDtype);
  const total = c.numFrames === 0 || nOut === 0 ? 0 : (c.numFrames - 1) * stride + nOut;
  const outBytes = total * osz + 64;
  const srcAddr = await kernel.alloc(src.byteLength);
  const dstAddr = await kernel.alloc(outBytes);
  const scratch = await kernel.alloc(kernel.paramBytes(nOut));
  try {
    kernel.view(c.srcDtype, srcAddr, src.length).set(src as never);
    kernel.bytes(dstAddr, outBytes).fill(SENTINEL);
    kernel.convert({
      src: srcAddr,
      srcDtype: c.srcDtype,
      srcChannels: c.srcChannels,
      numFrames: c.numFrames,
      timeAxis: c.timeAxis,
      channels: chans,
      dst: dstAddr,
      dstDtype: c.dstDtype,
      dstStride: c.dstStride,
      gains: c.gains ?? null,
      offsets: c.offsets ?? null,
      scratch,
    });
    // the source must be untouched
    const after = kernel.bytes(srcAddr, src.byteLength);
    const before = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
    for (let i = 0; i < before.length; i++) if (after[i] !== before[i]) expect.fail(`${describeCase(c)}: source byte ${i} changed`);
    return kernel.bytes(dstAddr, outBytes).slice();
  } finally {
    kernel.free(srcAddr);
    kernel.free(dstAddr);
    kernel.free(scratch);
  }
}

function describeCase(c: Case): string {
  const ch = c.channels === null ? 'all' : `[${c.channels.join(',')}]`;
  return `${c.srcDtype}->${c.dstDtype}${c.gains || c.offsets ? ' scaled' : ''} ${c.numFrames}x${c.srcChannels} t${c.timeAxis} ch=${ch} stride=${c.dstStride ?? '-'}`;
}

function compare(c: Case, got: Uint8Array, want: Uint8Array): void {
  const label = describeCase(c);
  expect(got.length, label).toBe(want.length);
  const raw = c.srcDtype === c.dstDtype && !c.gains && !c.offsets;
  const osz = itemSize(c.dstDtype);
  const n = Math.floor(want.length / osz);
  if (!raw && isFloat(c.dstDtype)) {
    // floats: the same value, NaN equal to NaN (payloads may differ), -0 distinct from +0
    const g = new (arrayType(c.dstDtype))(got.buffer, 0, n);
    const w = new (arrayType(c.dstDtype))(want.buffer, 0, n);
    for (let i = 0; i < n; i++) {
      if (!sameBits(g[i], w[i])) expect.fail(`${label}: element ${i} is ${g[i]}, expected ${w[i]}`);
    }
    // NaN never equals the sentinel pattern, so gaps were compared as values above; check their bytes too
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i] && !(Number.isNaN(w[Math.floor(i / osz)]) && i < n * osz)) {
        expect.fail(`${label}: byte ${i} is ${got[i]}, expected ${want[i]}`);
      }
    }
    return;
  }
  // integers and raw copies: byte for byte (gaps included)
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) expect.fail(`${label}: byte ${i} is ${got[i]}, expected ${want[i]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Layouts

interface Layout {
  name: string;
  srcChannels: number;
  numFrames: number;
  timeAxis: 0 | 1;
  channels: number[] | null;
  dstStride?: number;
}

const LAYOUTS: Layout[] = [
  { name: 'full', srcChannels: 37, numFrames: 23, timeAxis: 0, channels: null },
  { name: 'full, 16 channels', srcChannels: 16, numFrames: 9, timeAxis: 0, channels: null },
  { name: 'contiguous subset', srcChannels: 37, numFrames: 21, timeAxis: 0, channels: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] },
  { name: 'contiguous subset of 8', srcChannels: 20, numFrames: 7, timeAxis: 0, channels: [12, 13, 14, 15, 16, 17, 18, 19] },
  { name: 'scattered with repeats', srcChannels: 37, numFrames: 19, timeAxis: 0, channels: [30, 2, 2, 17, 36, 0, 9, 9, 21] },
  { name: 'scattered, 8', srcChannels: 37, numFrames: 5, timeAxis: 0, channels: [36, 35, 1, 0, 7, 7, 7, 20] },
  { name: 'descending range', srcChannels: 12, numFrames: 6, timeAxis: 0, channels: [11, 10, 9, 8, 7] },
  { name: 'dstStride > nOut, full', srcChannels: 13, numFrames: 11, timeAxis: 0, channels: null, dstStride: 16 },
  { name: 'dstStride > nOut, range', srcChannels: 13, numFrames: 11, timeAxis: 0, channels: [3, 4, 5, 6, 7, 8, 9, 10, 11], dstStride: 14 },
  { name: 'dstStride > nOut, scattered', srcChannels: 13, numFrames: 11, timeAxis: 0, channels: [12, 0, 5, 5, 1], dstStride: 9 },
  { name: 'timeAxis 1, full', srcChannels: 11, numFrames: 71, timeAxis: 1, channels: null },
  { name: 'timeAxis 1, range', srcChannels: 11, numFrames: 37, timeAxis: 1, channels: [4, 5, 6] },
  { name: 'timeAxis 1, scattered', srcChannels: 11, numFrames: 33, timeAxis: 1, channels: [10, 3, 3, 0, 7], dstStride: 8 },
  { name: 'timeAxis 1, short', srcChannels: 5, numFrames: 3, timeAxis: 1, channels: [4, 0] },
  { name: 'numFrames 0', srcChannels: 7, numFrames: 0, timeAxis: 0, channels: [1, 2] },
  { name: 'numFrames 0, timeAxis 1', srcChannels: 7, numFrames: 0, timeAxis: 1, channels: null },
  { name: 'no channels', srcChannels: 7, numFrames: 4, timeAxis: 0, channels: [] },
  { name: 'one frame', srcChannels: 9, numFrames: 1, timeAxis: 0, channels: null },
  // sparse reads of wide rows take the touch-ahead paths (rows 16 ahead)
  { name: 'few channels of wide rows', srcChannels: 200, numFrames: 40, timeAxis: 0, channels: [197, 3, 50, 50, 120] },
  { name: 'range of wide rows', srcChannels: 200, numFrames: 40, timeAxis: 0, channels: [150, 151, 152, 153, 154, 155, 156, 157, 158] },
  { name: 'last channel of wide rows', srcChannels: 200, numFrames: 41, timeAxis: 0, channels: [199], dstStride: 3 },
  { name: 'timeAxis 1, long rows', srcChannels: 6, numFrames: 203, timeAxis: 1, channels: [5, 1, 2, 3, 4] },
];
// tails: every width 1..17, whole rows (flat path) and part of wider rows
for (const n of [1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 17]) {
  LAYOUTS.push({ name: `tail ${n}, whole rows`, srcChannels: n, numFrames: 13, timeAxis: 0, channels: null });
  LAYOUTS.push({
    name: `tail ${n}, range in wider rows`,
    srcChannels: n + 3,
    numFrames: 6,
    timeAxis: 0,
    channels: Array.from({ length: n }, (_, i) => i + 2),
  });
}

function gainsFor(n: number, seed: number): { gains: number[]; offsets: number[] } {
  const r = rng(seed);
  const gains = Array.from({ length: n }, (_, i) => (i === 0 ? 0.195 : i === 1 ? -1 : (r() - 0.3) * 10));
  const offsets = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === 2 ? -0 : (r() - 0.5) * 1000));
  return { gains, offsets };
}

// ---------------------------------------------------------------------------------------------

const FLAVOURS = [
  { name: 'SIMD', simd: true },
  { name: 'scalar', simd: false },
] as const;

for (const flavour of FLAVOURS) {
  describe(`kernel convert (${flavour.name})`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd: flavour.simd });
    });

    it(`is the ${flavour.name} build`, () => {
      expect(kernel.simd).toBe(flavour.simd);
    });

    it('raw copy / gather for every dtype and layout (bit-exact)', async () => {
      let seed = 1;
      for (const dtype of DTYPE_NAMES) {
        for (const layout of LAYOUTS) {
          const c: Case = { ...layout, srcDtype: dtype, dstDtype: dtype };
          const src = randomSamples(dtype, layout.srcChannels * layout.numFrames, seed++);
          compare(c, await runCase(kernel, c, src), reference(c, src));
        }
      }
    });

    it('every dtype to float32 with per-channel gains and offsets (bit-exact with f32 math)', async () => {
      let seed = 1000;
      for (const dtype of DTYPE_NAMES) {
        for (const layout of LAYOUTS) {
          const nOut = layout.channels?.length ?? layout.srcChannels;
          const { gains, offsets } = gainsFor(nOut, seed);
          const c: Case = { ...layout, srcDtype: dtype, dstDtype: 'float32', gains, offsets };
          const src = randomSamples(dtype, layout.srcChannels * layout.numFrames, seed++);
          compare(c, await runCase(kernel, c, src), reference(c, src));
        }
      }
    });

    it('gains only / offsets only', async () => {
      const layout = LAYOUTS[4];
      const nOut = layout.channels!.length;
      for (const dtype of ['int16', 'uint16', 'float64'] as DType[]) {
        const { gains, offsets } = gainsFor(nOut, 7);
        const src = randomSamples(dtype, layout.srcChannels * layout.numFrames, 99);
        for (const c of [
          { ...layout, srcDtype: dtype, dstDtype: 'float32', gains } as Case,
          { ...layout, srcDtype: dtype, dstDtype: 'float32', offsets } as Case,
        ]) {
          compare(c, await runCase(kernel, c, src), reference(c, src));
        }
      }
    });

    it('numeric casts between every pair of dtypes (numpy astype for in-range values)', async () => {
      let seed = 5000;
      const layouts = LAYOUTS.filter((_, i) => i % 2 === 0 || i < 16);
      for (const from of DTYPE_NAMES) {
        for (const to of DTYPE_NAMES) {
          if (from === to) continue;
          for (const layout of layouts) {
            const c: Case = { ...layout, srcDtype: from, dstDtype: to };
            const src = randomSamples(from, layout.srcChannels * layout.numFrames, seed++, to);
            compare(c, await runCase(kernel, c, src), reference(c, src));
          }
        }
      }
    });

    it('float64 -> float32 rounds to nearest even, like numpy', async () => {
      const values = new Float64Array([1 + 2 ** -24, 1 + 3 * 2 ** -24, 1 + 2 ** -24 + 2 ** -50, 3.4028235677973366e38, 3.4028235677973362e38, 1e-46, -7e-46]);
      const c: Case = { srcDtype: 'float64', dstDtype: 'float32', srcChannels: 7, numFrames: 1, timeAxis: 0, channels: null };
      const got = new Float32Array((await runCase(kernel, c, values)).buffer, 0, 7);
      expect(Array.from(got)).toEqual([1, 1 + 2 ** -22, 1 + 2 ** -23, 3.4028234663852886e38, 3.4028234663852886e38, 0, -0].map(Math.fround).map((x, i) => (i === 3 ? Infinity : x)));
    });

    it('int16 µV conversion of 384 channels: full, 64 strided, 64 contiguous, timeAxis 1', async () => {
      const sc = 384;
      const nf = 257;
      const src = randomSamples('int16', sc * nf, 42);
      const all = gainsFor(sc, 3);
      const strided = Array.from({ length: 64 }, (_, i) => i * 6);
      const range = Array.from({ length: 64 }, (_, i) => 100 + i);
      const pick = (idx: number[]) => ({ gains: idx.map((i) => all.gains[i]), offsets: idx.map((i) => all.offsets[i]) });
      const cases: Case[] = [
        { srcDtype: 'int16', dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis: 0, channels: null, ...all },
        { srcDtype: 'int16', dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis: 0, channels: strided, ...pick(strided) },
        { srcDtype: 'int16', dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis: 0, channels: range, ...pick(range) },
        { srcDtype: 'int16', dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis: 1, channels: strided, ...pick(strided) },
        { srcDtype: 'int16', dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis: 0, channels: range, dstStride: 384, ...pick(range) },
      ];
      for (const c of cases) compare(c, await runCase(kernel, c, src), reference(c, src));
    });

    it('reads nothing past the input block (a block that ends where linear memory ends)', async () => {
      const k = await createKernel({ simd: flavour.simd });
      k.free(await k.alloc(4 << 20)); // grow once, up front
      const out = await k.alloc(200 * 1024);
      const scratch = await k.alloc(k.paramBytes(400));
      // With only `out` and `scratch` live, the free space is one block up to the end of memory.
      const allocAtEnd = async (bytes: number) => {
        const probe = await k.alloc(0);
        k.free(probe);
        const end = k.memory.buffer.byteLength;
        const filler = await k.alloc(end - probe - bytes);
        const address = await k.alloc(bytes);
        expect(address + bytes).toBe(end);
        return { address, release: () => (k.free(address), k.free(filler)) };
      };
      for (const dtype of DTYPE_NAMES) {
        for (const layout of LAYOUTS) {
          const n = layout.srcChannels * layout.numFrames;
          const bytes = n * itemSize(dtype);
          if (bytes % 16 !== 0 || bytes === 0) continue; // must end exactly at the end of memory
          const { address: src, release } = await allocAtEnd(bytes);
          k.view(dtype, src, n).set(randomSamples(dtype, n, 3) as never);
          const nOut = layout.channels?.length ?? layout.srcChannels;
          const base = { src, srcDtype: dtype, srcChannels: layout.srcChannels, numFrames: layout.numFrames, timeAxis: layout.timeAxis, channels: layout.channels, dst: out, scratch };
          k.convert({ ...base, dstDtype: dtype });
          k.convert({ ...base, dstDtype: 'float32', gains: new Array(nOut).fill(2) });
          k.convert({ ...base, dstDtype: dtype === 'float64' ? 'float32' : 'float64' });
          release();
        }
      }
      k.free(out);
      k.free(scratch);
    });

    it('writes a block of columns into a wider output (dstStride) next to earlier columns', async () => {
      const sc = 10;
      const nf = 5;
      const src = randomSamples('int16', sc * nf, 8);
      const out = await kernel.alloc(nf * 12 * 4);
      const scratch = await kernel.alloc(kernel.paramBytes(sc));
      const block = await kernel.alloc(src.byteLength);
      try {
        kernel.view('int16', block, src.length).set(src);
        kernel.view('float32', out, nf * 12).fill(-1);
        // columns 0..3 from channels 0..3, columns 4..9 from channels 9..4, columns 10..11 untouched
        kernel.convert({ src: block, srcDtype: 'int16', srcChannels: sc, numFrames: nf, channels: [0, 1, 2, 3], dst: out, dstDtype: 'float32', dstStride: 12, scratch });
        kernel.convert({ src: block, srcDtype: 'int16', srcChannels: sc, numFrames: nf, channels: [9, 8, 7, 6, 5, 4], dst: out + 16, dstDtype: 'float32', dstStride: 12, gains: [1, 1, 1, 1, 1, 2], scratch });
        const got = kernel.view('float32', out, nf * 12);
        for (let t = 0; t < nf; t++) {
          const row = Array.from(got.subarray(t * 12, t * 12 + 12));
          const s = (c: number) => src[t * sc + c];
          expect(row).toEqual([s(0), s(1), s(2), s(3), s(9), s(8), s(7), s(6), s(5), s(4) * 2, -1, -1]);
        }
      } finally {
        kernel.free(out);
        kernel.free(scratch);
        kernel.free(block);
      }
    });
  });
}

describe('SIMD and scalar builds agree', () => {
  it('on a large random int16 and float64 block', async () => {
    const simd = await createKernel({ simd: true });
    const scalar = await createKernel({ simd: false });
    for (const dtype of ['int16', 'float64', 'uint32', 'int8'] as DType[]) {
      const sc = 67;
      const nf = 301;
      const src = randomSamples(dtype, sc * nf, 77);
      const { gains, offsets } = gainsFor(sc, 5);
      for (const timeAxis of [0, 1] as const) {
        const c: Case = { srcDtype: dtype, dstDtype: 'float32', srcChannels: sc, numFrames: nf, timeAxis, channels: null, gains, offsets };
        const a = await runCase(simd, c, src);
        const b = await runCase(scalar, c, src);
        compare(c, a, b);
      }
    }
  });
});

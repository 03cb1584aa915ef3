// The kernel's min/max envelopes against a plain-TypeScript reference written here (a loop per column
// and channel over Math.min / Math.max, rounded to float32), for the SIMD and the scalar builds, every
// dtype, fractional frames per column, chunks already in linear memory, scaling and bad arguments.
import { beforeAll, describe, expect, it } from 'vitest';
import type { DType, TypedArray } from '../../src/dtype.js';
import { DTYPE_NAMES, arrayType } from '../../src/dtype.js';
import { type Kernel, computeEnvelopes, createKernel, envelopeAt, envelopeScratchBytes } from '../../src/kernel/index.js';
import { NumpyRecording } from '../../src/index.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { rng } from '../helpers/random.js';

/** Column k: frames [floor(k f), max(floor((k+1) f), start + 1)) clipped; NaN past the end. */
function reference(data: ArrayLike<number>, nf: number, nc: number, columns: number, fpc: number) {
  const min = new Float32Array(columns * nc);
  const max = new Float32Array(columns * nc);
  for (let k = 0; k < columns; k++) {
    const start = Math.floor(k * fpc);
    const end = Math.min(nf, Math.max(Math.floor((k + 1) * fpc), start + 1));
    for (let c = 0; c < nc; c++) {
      let lo = NaN;
      let hi = NaN;
      if (start < nf) {
        lo = data[start * nc + c];
        hi = lo;
        for (let t = start + 1; t < end; t++) {
          lo = Math.min(lo, data[t * nc + c]);
          hi = Math.max(hi, data[t * nc + c]);
        }
      }
      min[k * nc + c] = lo;
      max[k * nc + c] = hi;
    }
  }
  return { min, max };
}

function randomData(dtype: DType, length: number, seed: number): TypedArray {
  const random = rng(seed);
  const data = new (arrayType(dtype))(length);
  const span: Record<DType, number> = {
    int8: 256, uint8: 256, int16: 65536, uint16: 65536, int32: 2 ** 32, uint32: 2 ** 32, float32: 2000, float64: 2000,
  };
  for (let i = 0; i < length; i++) {
    const x = (random() - 0.5) * span[dtype];
    data[i] = dtype.startsWith('float') ? x : Math.floor(x) + (dtype.startsWith('u') ? span[dtype] / 2 : 0);
  }
  return data;
}

const sameBits = (a: Float32Array, b: Float32Array) => expect(Array.from(a).map(String)).toEqual(Array.from(b).map(String));

for (const simd of [true, false]) {
  describe(`envelopes (${simd ? 'SIMD' : 'scalar'} build)`, () => {
    let kernel: Kernel;
    beforeAll(async () => {
      kernel = await createKernel({ simd });
    });

    for (const dtype of DTYPE_NAMES) {
      it(`${dtype}: matches the reference for whole, fractional and sub-frame columns`, async () => {
        // 37 channels: vector lanes plus a scalar tail for every type
        for (const [nf, nc, columns, fpc] of [[1000, 37, 100, undefined], [997, 37, 300, 3.3], [50, 37, 120, 0.4], [1, 3, 4, 1], [640, 16, 7, 100]] as const) {
          const data = randomData(dtype, nf * nc, nf + nc);
          const got = await computeEnvelopes({ data, shape: [nf, nc] }, { columns, framesPerColumn: fpc, kernel });
          const want = reference(data, nf, nc, columns, fpc ?? nf / columns);
          expect(got.shape).toEqual([columns, nc]);
          sameBits(got.min, want.min);
          sameBits(got.max, want.max);
        }
      });
    }

    it('float NaN propagates and -0 is below +0, as Math.min / Math.max', async () => {
      const data = new Float32Array([1, -0, NaN, 0, 2, 0, 3, -0]); // 4 frames x 2 channels
      const got = await computeEnvelopes({ data, shape: [4, 2] }, { columns: 2, kernel });
      const want = reference(data, 4, 2, 2, 2);
      sameBits(got.min, want.min);
      sameBits(got.max, want.max);
      expect(Number.isNaN(got.min[0])).toBe(true);
      expect(Object.is(got.min[3], -0)).toBe(true);
    });

    it('reduces a chunk that lies in linear memory where it is, via envelopeAt', async () => {
      const nf = 300;
      const nc = 24;
      const data = randomData('int16', nf * nc, 7) as Int16Array;
      const scratchBytes = envelopeScratchBytes('int16', nc, 10);
      const base = await kernel.alloc(data.byteLength + scratchBytes + 2 * 10 * nc * 4);
      try {
        (kernel.view('int16', base, data.length) as Int16Array).set(data);
        const scratch = base + data.byteLength;
        const dstMin = scratch + scratchBytes;
        const dstMax = dstMin + 10 * nc * 4;
        envelopeAt(kernel, { src: base, dtype: 'int16', numChannels: nc, numFrames: nf, columns: 10, framesPerColumn: 30, dstMin, dstMax, scratch });
        const want = reference(data, nf, nc, 10, 30);
        sameBits(kernel.view('float32', dstMin, 10 * nc) as Float32Array, want.min);
        sameBits(kernel.view('float32', dstMax, 10 * nc) as Float32Array, want.max);
        const view = kernel.view('int16', base, data.length) as Int16Array;
        const inPlace = await computeEnvelopes({ data: view, shape: [nf, nc] }, { columns: 10, kernel });
        sameBits(inPlace.min, want.min);
      } finally {
        kernel.free(base);
      }
    });
  });
}

describe('computeEnvelopes', () => {
  it('scales by gains and offsets as getTraces({ returnInUV }) would, a negative gain swapping min and max', async () => {
    const nf = 3000;
    const nc = 5;
    const data = randomData('int16', nf * nc, 3) as Int16Array;
    const gains = [0.195, -2, 1, 0.5, 3.7];
    const offsets = [0, 10, -5, 0.25, 0];
    const recording = new NumpyRecording({ tracesList: [data], samplingFrequency: 30000, numChannels: nc });
    recording.setChannelGains(gains);
    recording.setChannelOffsets(offsets);
    const uv = await recording.getTraces({ returnInUV: true });
    const want = reference(uv.data, nf, nc, 64, nf / 64);
    const got = await computeEnvelopes({ data, shape: [nf, nc] }, { columns: 64, gains, offsets });
    sameBits(got.min, want.min);
    sameBits(got.max, want.max);
  });

  it('writes into out, and reduces the views chunks() yields', async () => {
    const nf = 1200;
    const nc = 8;
    const data = randomData('float32', nf * nc, 11) as Float32Array;
    const recording = new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels: nc });
    const out = { min: new Float32Array(40 * nc), max: new Float32Array(40 * nc) };
    for await (const chunk of recording.chunks({ chunkSize: 400 })) {
      const got = await computeEnvelopes(chunk, { columns: 40 }, out);
      expect(got.min).toBe(out.min);
      const want = reference(data.subarray(chunk.startFrame * nc, (chunk.startFrame + 400) * nc), 400, nc, 40, 10);
      sameBits(out.min, want.min);
      sameBits(out.max, want.max);
    }
  });

  it('reduces a long run block by block with the run\'s columns (firstColumn, chunkStart)', async () => {
    const nf = 5000;
    const nc = 9;
    const data = randomData('int16', nf * nc, 5) as Int16Array;
    const columns = 700;
    const fpc = nf / columns; // 7.142857...: fractional boundaries
    const whole = await computeEnvelopes({ data, shape: [nf, nc] }, { columns });
    const min = new Float32Array(columns * nc);
    for (const [k0, k1] of [[0, 123], [123, 124], [124, 500], [500, 700]]) {
      const f0 = Math.floor(k0 * fpc);
      const f1 = Math.min(nf, Math.floor(k1 * fpc));
      const block = await computeEnvelopes(
        { data: data.subarray(f0 * nc, f1 * nc), shape: [f1 - f0, nc] },
        { columns: k1 - k0, framesPerColumn: fpc, firstColumn: k0, chunkStart: f0 },
      );
      min.set(block.min, k0 * nc);
    }
    sameBits(min, whole.min);
  });

  it('an empty chunk gives NaN columns', async () => {
    const got = await computeEnvelopes({ data: new Int16Array(0), shape: [0, 3] }, { columns: 2 });
    expect(Array.from(got.min).every(Number.isNaN)).toBe(true);
  });

  it('refuses bad arguments with INVALID_ARGUMENT naming them', async () => {
    const data = new Int16Array(20);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2] }, { columns: 0 }), 'INVALID_ARGUMENT', /columns/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2] }, { columns: 2 ** 21 }), 'INVALID_ARGUMENT', /columns/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2] }, { columns: 3, framesPerColumn: 0 }), 'INVALID_ARGUMENT', /framesPerColumn/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2] }, { columns: 3, framesPerColumn: NaN }), 'INVALID_ARGUMENT', /framesPerColumn/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [9, 2] }, { columns: 3 }), 'INVALID_ARGUMENT', /18/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2], dtype: 'float32' }, { columns: 3 }), 'INVALID_ARGUMENT', /dtype/);
    await expectCodeAsync(computeEnvelopes({ data: [1, 2] as never, shape: [1, 2] }, { columns: 1 }), 'INVALID_ARGUMENT', /typed array/);
    await expectCodeAsync(computeEnvelopes({ data, shape: [10, 2] }, { columns: 3, gains: [1] }), 'INVALID_ARGUMENT', /gains/);
    await expectCodeAsync(
      computeEnvelopes({ data, shape: [10, 2] }, { columns: 3 }, { min: new Float32Array(5), max: new Float32Array(6) }),
      'INVALID_ARGUMENT', /out\.min/,
    );
    const kernel = await createKernel();
    expectCode(
      () => envelopeAt(kernel, { src: 0, dtype: 'int16', numChannels: 2, numFrames: 10, columns: 1, framesPerColumn: 10, dstMin: 2 ** 31, dstMax: 0, scratch: 0 }),
      'INVALID_ARGUMENT', /dstMin/,
    );
    expectCode(
      () => envelopeAt(kernel, { src: 0, dtype: 'int16', numChannels: 2, numFrames: 10, columns: 1, framesPerColumn: 10, dstMin: 0, dstMax: 0, scratch: 8 }),
      'INVALID_ARGUMENT', /scratch.*16-byte/,
    );
    expectCode(
      () => envelopeAt(kernel, { src: 0, dtype: 'int16', numChannels: 2, numFrames: 10, columns: 1, framesPerColumn: 10, firstColumn: -1, dstMin: 0, dstMax: 0, scratch: 16 }),
      'INVALID_ARGUMENT', /firstColumn/,
    );
  });
});

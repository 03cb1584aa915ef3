// The elementwise kernel, SIMD and scalar builds, against plain JavaScript references of numpy's
// arithmetic: scale (float32 array times float64 operands, np.round in float32), x - shift wrapped
// into int16, np.round half to even, clip's two masked assignments, np.abs with int16 wrap. Odd
// channel counts exercise the SIMD loops' scalar tails.
import { describe, expect, it } from 'vitest';
import { createKernel, type Kernel } from '../../src/kernel/index.js';
import { elementwiseAt, elementwiseParamBytes, type ElementwiseOp } from '../../src/kernel/kernel.js';

const f = Math.fround;

function wrap16(v: number): number {
  return ((((v + 32768) % 65536) + 65536) % 65536) - 32768;
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

async function run(kernel: Kernel, values: number[], nc: number, step: ElementwiseOp): Promise<number[]> {
  const data = await kernel.alloc(values.length * 8);
  const scratch = await kernel.alloc(elementwiseParamBytes(nc));
  try {
    (kernel.view('float64', data, values.length) as Float64Array).set(values);
    elementwiseAt(kernel, { ...step, data, numFrames: values.length / nc, numChannels: nc, scratch });
    return Array.from(kernel.view('float64', data, values.length));
  } finally {
    kernel.free(data);
    kernel.free(scratch);
  }
}

describe.each([true, false])('elementwise kernel (simd %s)', (simd) => {
  const nc = 5;
  const values = [-32768, -3.5, -2.5, -0.5, 0.5, 1.5, 2.5, 32767, 65535, 0, 7.25, -150, 200, -151, 201, 150, 12345, -9999, 3, 4];
  const cases: [string, ElementwiseOp, (v: number, c: number) => number][] = [
    ['scale', { op: 'scale', gains: [0.37, 1.5, 2, 0.195, -1], offsets: [0.5, -10, 5, 0.1, 0] },
      (v, c) => f(f(f(v) * [0.37, 1.5, 2, 0.195, -1][c]) + [0.5, -10, 5, 0.1, 0][c])],
    ['scale rounded', { op: 'scale', gains: [0.37, 1.5, 2, 0.195, -1], offsets: [0.5, -10, 5, 0.1, 0], round: true },
      (v, c) => roundHalfEven(f(f(f(v) * [0.37, 1.5, 2, 0.195, -1][c]) + [0.5, -10, 5, 0.1, 0][c]))],
    ['shiftWrap', { op: 'shiftWrap', shift: 2048, bits: 16 }, (v) => wrap16(v - 2048)],
    ['round', { op: 'round' }, (v) => roundHalfEven(v)],
    ['clip', { op: 'clip', aMin: -150, valueMin: -150, aMax: 200, valueMax: 200 }, (v) => (v <= -150 ? -150 : v >= 200 ? 200 : v)],
    ['clip fill', { op: 'clip', aMin: -150, valueMin: 0, aMax: null, valueMax: 0 }, (v) => (v <= -150 ? 0 : v)],
    ['abs', { op: 'abs' }, (v) => Math.abs(v)],
    ['abs int16', { op: 'abs', bits: 16 }, (v) => wrap16(Math.abs(v))],
  ];
  it.each(cases)('%s', async (_, step, reference) => {
    const kernel = await createKernel({ simd });
    const got = await run(kernel, values, nc, step);
    expect(got).toEqual(values.map((v, i) => reference(v, i % nc)));
  });

  it('refuses bad arguments with coded errors', async () => {
    const kernel = await createKernel({ simd });
    expect(() => elementwiseAt(kernel, { op: 'scale', gains: [1], offsets: [0, 0], data: 64, numFrames: 1, numChannels: 2, scratch: 1024 }))
      .toThrow(/scale needs 2 gains and offsets, got 1 and 2/);
    expect(() => elementwiseAt(kernel, { op: 'nope' as never, data: 64, numFrames: 1, numChannels: 2, scratch: 1024 })).toThrow(/op must be one of/);
    expect(() => elementwiseAt(kernel, { op: 'round', data: 60, numFrames: 1, numChannels: 2, scratch: 1024 })).toThrow(/not 8-byte aligned/);
  });
});

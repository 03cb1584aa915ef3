// Loading the kernel (inline, from a module or bytes, the shared default) and convert()'s argument
// errors. Node and browser.
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/errors.js';
import { CORE_SCALAR_WASM_HEX } from '../../src/kernel/generated/kernel-scalar.js';
import { CORE_SIMD_WASM_HEX } from '../../src/kernel/generated/kernel-simd.js';
import { decodeHex } from '../../src/kernel/wasm.js';
import { type ConvertParams, Kernel, createKernel, getKernel, initKernel } from '../../src/kernel/index.js';
import { expectCode } from '../helpers/expect-error.js';

/** The inline core module's wasm bytes (hex). */
async function wasmBytes(hex: string): Promise<Uint8Array<ArrayBuffer>> {
  return decodeHex(hex) as Uint8Array<ArrayBuffer>;
}


describe('kernel loading', () => {
  it('createKernel: SIMD by default, scalar on request, independent instances', async () => {
    const a = await createKernel();
    const b = await createKernel({ simd: false });
    const c = await createKernel({ simd: true });
    expect(a).toBeInstanceOf(Kernel);
    expect(a.simd).toBe(true); // Node 20+ and Chromium have SIMD
    expect(b.simd).toBe(false);
    expect(c.simd).toBe(true);
    expect(a.memory).not.toBe(b.memory);
    const x = await a.alloc(16);
    const y = await b.alloc(16);
    expect(x).toBe(y); // separate heaps start at the same base
    a.free(x);
    b.free(y);
  });

  it('createKernel from a compiled module or from bytes', async () => {
    const module = await WebAssembly.compile((await wasmBytes(CORE_SCALAR_WASM_HEX)));
    const fromModule = await createKernel({ module });
    expect(fromModule.simd).toBe(false);
    const fromBytes = await createKernel({ module: (await wasmBytes(CORE_SIMD_WASM_HEX)) });
    expect(fromBytes.simd).toBe(true);
    const fromBuffer = await createKernel({ module: (await wasmBytes(CORE_SIMD_WASM_HEX)).buffer });
    expect(fromBuffer.simd).toBe(true);
  });

  it('createKernel with bytes that are not a kernel', async () => {
    await expect(createKernel({ module: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(createKernel({ module: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('getKernel returns one shared kernel; initKernel keeps it', async () => {
    const [a, b] = await Promise.all([getKernel(), getKernel()]);
    expect(a).toBe(b);
    await initKernel();
    await initKernel(await WebAssembly.compile((await wasmBytes(CORE_SCALAR_WASM_HEX))));
    expect(await getKernel()).toBe(a);
    await expect(initKernel('kernel.wasm' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('convert argument errors', () => {
  async function setup(): Promise<{ kernel: Kernel; base: ConvertParams }> {
    const kernel = await createKernel();
    const src = await kernel.alloc(4 * 10 * 2);
    const dst = await kernel.alloc(4 * 10 * 8);
    const scratch = await kernel.alloc(kernel.paramBytes(10));
    const base: ConvertParams = { src, srcDtype: 'int16', srcChannels: 4, numFrames: 10, dst, dstDtype: 'float32', scratch };
    return { kernel, base };
  }

  it('accepts a valid call and a call with nothing to do', async () => {
    const { kernel, base } = await setup();
    const samples = Int16Array.from({ length: 40 }, (_, i) => (i % 2 ? -1 : 1) * (i * 7 + 3));
    kernel.view('int16', base.src, 40).set(samples);
    const out = () => Array.from(kernel.view('float32', base.dst, 40));
    kernel.convert(base);
    expect(out()).toEqual(Array.from(samples));
    // nothing to do: the output is left as it was
    kernel.view('float32', base.dst, 40).fill(-7);
    kernel.convert({ ...base, numFrames: 0 });
    kernel.convert({ ...base, channels: [] });
    expect(out()).toEqual(new Array(40).fill(-7));
    kernel.convert({ ...base, channels: [3, 1], gains: new Float32Array([1, 2]), offsets: null });
    const picked = Array.from({ length: 10 }, (_, f) => [samples[f * 4 + 3]!, samples[f * 4 + 1]! * 2]).flat();
    expect(out().slice(0, 20)).toEqual(picked);
  });

  it('channel index out of range names the value', async () => {
    const { kernel, base } = await setup();
    expectCode(() => kernel.convert({ ...base, channels: [0, 4] }), 'INVALID_ARGUMENT', /channel index 4 at position 1/);
    expectCode(() => kernel.convert({ ...base, channels: [-1] }), 'INVALID_ARGUMENT', /-1/);
    expectCode(() => kernel.convert({ ...base, channels: [1.5] }), 'INVALID_ARGUMENT', /1\.5/);
    expectCode(() => kernel.convert({ ...base, channels: [NaN] }), 'INVALID_ARGUMENT', /NaN/);
  });

  it('gains need a float32 output and one value per channel', async () => {
    const { kernel, base } = await setup();
    expectCode(() => kernel.convert({ ...base, dstDtype: 'int16', gains: [1, 1, 1, 1] }), 'INVALID_ARGUMENT', /float32.*int16/);
    expectCode(() => kernel.convert({ ...base, dstDtype: 'float64', offsets: [1, 1, 1, 1] }), 'INVALID_ARGUMENT', /float64/);
    expectCode(() => kernel.convert({ ...base, gains: [1, 2] }), 'INVALID_ARGUMENT', /expected 4 gains/);
    expectCode(() => kernel.convert({ ...base, channels: [0], offsets: [1, 2] }), 'INVALID_ARGUMENT', /expected 1 offsets/);
  });

  it('bad dtypes, counts, strides, time axis and out-of-memory blocks', async () => {
    const { kernel, base } = await setup();
    const size = kernel.memory.buffer.byteLength;
    expectCode(() => kernel.convert({ ...base, srcDtype: '<i2' as never }), 'INVALID_ARGUMENT', /"<i2"/);
    expectCode(() => kernel.convert({ ...base, dstDtype: 'float16' as never }), 'INVALID_ARGUMENT', /float16/);
    expectCode(() => kernel.convert({ ...base, numFrames: -1 }), 'INVALID_ARGUMENT', /numFrames/);
    expectCode(() => kernel.convert({ ...base, srcChannels: 2.5 }), 'INVALID_ARGUMENT', /srcChannels/);
    expectCode(() => kernel.convert({ ...base, dstStride: 3 }), 'INVALID_ARGUMENT', /dstStride 3/);
    expectCode(() => kernel.convert({ ...base, timeAxis: 2 as never }), 'INVALID_ARGUMENT', /timeAxis/);
    expectCode(() => kernel.convert({ ...base, src: size - 8 }), 'INVALID_ARGUMENT', /input block/);
    expectCode(() => kernel.convert({ ...base, dst: size - 8 }), 'INVALID_ARGUMENT', /output block/);
    expectCode(() => kernel.convert({ ...base, channels: [2, 0], scratch: size - 8 }), 'INVALID_ARGUMENT', /scratch/);
    expectCode(() => kernel.convert({ ...base, channels: [2, 0], scratch: base.scratch + 2 }), 'INVALID_ARGUMENT', /aligned/);
    expectCode(() => kernel.convert({ ...base, src: -16 }), 'INVALID_ARGUMENT', /src/);
    expectCode(() => kernel.convert(null as never), 'INVALID_ARGUMENT');
  });

  it('paramBytes covers indices, gains and offsets', async () => {
    const kernel = await createKernel();
    expect(kernel.paramBytes(0)).toBe(0);
    expect(kernel.paramBytes(1)).toBe(48);
    expect(kernel.paramBytes(384)).toBe(3 * 384 * 4);
    expectCode(() => kernel.paramBytes(-1), 'INVALID_ARGUMENT');
  });
});

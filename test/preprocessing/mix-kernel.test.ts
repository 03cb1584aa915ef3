// The channel-mixing kernel, SIMD and scalar builds, against plain JavaScript sums: terms applied in
// order in float64, or each product and partial sum rounded to float32; outputs without a term are
// zero; terms and regions out of range are coded errors.
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/index.js';
import { createKernel, type Kernel } from '../../src/kernel/index.js';
import { channelMix, mixChannelsAt, mixTermBytes, type ChannelMix } from '../../src/kernel/mix.js';

async function run(kernel: Kernel, x: number[], srcChannels: number, dstChannels: number, mix: ChannelMix, float32 = false): Promise<number[]> {
  const frames = x.length / srcChannels;
  const src = await kernel.alloc(x.length * 8);
  const dst = await kernel.alloc(frames * dstChannels * 8);
  const scratch = await kernel.alloc(mixTermBytes(mix));
  try {
    (kernel.view('float64', src, x.length) as Float64Array).set(x);
    (kernel.view('float64', dst, frames * dstChannels) as Float64Array).fill(Number.NaN);
    mixChannelsAt(kernel, { src, numFrames: frames, srcChannels, dst, dstChannels, mix, scratch, float32 });
    return Array.from(kernel.view('float64', dst, frames * dstChannels));
  } finally {
    for (const a of [src, dst, scratch]) kernel.free(a);
  }
}

describe.each([true, false])('mixChannels (simd %s)', (simd) => {
  it('sums the terms in order, in float64 or in float32', async () => {
    const kernel = await createKernel({ simd });
    const x = Array.from({ length: 5 * 3 }, (_, i) => Math.sin(i) * 1000 + 0.1);
    const terms: [number, number, number][] = [[0, 2, 0.3], [0, 0, 1 / 3], [2, 1, 1], [0, 1, -2.5e-7]];
    const got = await run(kernel, x, 3, 4, channelMix(terms));
    const got32 = await run(kernel, x, 3, 4, channelMix(terms), true);
    for (let t = 0; t < 5; t++) {
      const want = [0, 0, 0, 0];
      const want32 = [0, 0, 0, 0];
      for (const [o, i, w] of terms) {
        want[o] = want[o] + w * x[t * 3 + i];
        want32[o] = Math.fround(want32[o] + Math.fround(w * x[t * 3 + i]));
      }
      expect(got.slice(t * 4, t * 4 + 4)).toEqual(want);
      expect(got32.slice(t * 4, t * 4 + 4)).toEqual(want32);
    }
    expect(got[3]).toBe(0); // no term: zero
  });

  it('refuses terms outside the channels and regions outside memory', async () => {
    const kernel = await createKernel({ simd });
    await expect(run(kernel, [1, 2], 2, 1, channelMix([[1, 0, 1]]))).rejects.toThrow(/term 0 maps input channel 0 to output channel 1/);
    await expect(run(kernel, [1, 2], 2, 1, channelMix([[0, 2, 1]]))).rejects.toBeInstanceOf(SpikewireError);
    expect(() => mixChannelsAt(kernel, {
      src: kernel.memory.buffer.byteLength, numFrames: 1, srcChannels: 1, dst: 0, dstChannels: 1, mix: channelMix([]), scratch: 0,
    })).toThrow(/outside linear memory/);
  });
});

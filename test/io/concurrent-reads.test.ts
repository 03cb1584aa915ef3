// Reads in flight never see the kernel's memory grow under them: 100 concurrent getTraces of mixed
// sizes on memory, Blob and HTTP recordings (some large enough to make linear memory grow while
// others are reading) give exactly the bytes of the same calls made one by one.
// (Own file: the kernel starts small here, so the growth really happens during the concurrent reads.)
import { expect, it } from 'vitest';
import { MemorySource, readBinary, type BaseRecording } from '../../src/index.js';
import { getKernel } from '../../src/kernel/index.js';
import { genBytes } from '../helpers/gen-bytes.js';
import { rangeServerUrl } from '../helpers/http.js';
import { rng } from '../helpers/random.js';
import { firstDifference } from './bytes.js';

it('100 concurrent getTraces on memory, Blob and HTTP recordings give the bytes of the same calls one by one', async () => {
  const base = await rangeServerUrl();
  const kernel = await getKernel();
  const memoryBefore = kernel.memory.buffer.byteLength;

  const big = new Int16Array(1_000_000 * 32); // 64 MB in memory
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 20;
  const recs: BaseRecording[] = [
    await readBinary({ sources: [new MemorySource(big)], samplingFrequency: 30000, numChannels: 32, dtype: 'int16', gainToUV: 0.195, offsetToUV: -5 }),
    await readBinary({ sources: [new Blob([genBytes(0, 8_000_000)])], samplingFrequency: 30000, numChannels: 16, dtype: '<i2', gainToUV: 2, offsetToUV: 1 }),
    await readBinary({ sources: [`${base}/range/gen/24000000`], samplingFrequency: 30000, numChannels: 384, dtype: '<i2', gainToUV: 0.5, offsetToUV: 0 }),
    await readBinary({ sources: [`${base}/range/gen/4000000`], samplingFrequency: 30000, numChannels: 10, dtype: '>f4' }),
    await readBinary({ sources: [new Blob([genBytes(0, 4_000_016)])], samplingFrequency: 30000, numChannels: 8, dtype: 'int16', timeAxis: 1, fileOffset: 16 }),
    await readBinary({
      sources: [`${base}/range/recordings/int16_gain_offset/source/traces_seg0.raw`, `${base}/range/recordings/int16_gain_offset/source/traces_seg1.raw`],
      samplingFrequency: 30000, numChannels: 8, dtype: '<i2', gainToUV: 0.195, offsetToUV: -10,
    }),
  ];
  const random = rng(2024);
  const pick = (n: number) => Math.floor(random() * n);
  const calls = Array.from({ length: 100 }, (_, i) => {
    const rec = recs[i % recs.length];
    const segmentIndex = pick(rec.getNumSegments());
    const n = rec.getNumSamples(segmentIndex);
    const large = random() < 0.2;
    const length = large ? Math.min(n, 20_000 + pick(80_000)) : 1 + pick(Math.min(n, 3000));
    const startFrame = pick(n - length + 1);
    const ids = rec.getChannelIds();
    const channelIds = random() < 0.5 ? undefined : ids.filter(() => random() < 0.3).reverse();
    const returnInUV = rec.hasScaleableTraces() && random() < 0.5;
    return { rec, opts: { segmentIndex, startFrame, endFrame: startFrame + length, channelIds: channelIds?.length ? channelIds : undefined, returnInUV } };
  });
  const together = await Promise.all(calls.map(({ rec, opts }) => rec.getTraces(opts)));
  expect(kernel.memory.buffer.byteLength).toBeGreaterThan(memoryBefore);
  for (let i = 0; i < calls.length; i++) {
    const alone = await calls[i].rec.getTraces(calls[i].opts);
    expect(together[i].shape, `call ${i}`).toEqual(alone.shape);
    expect(firstDifference(together[i].data, alone.data), `call ${i}`).toBe(-1);
  }
  // and the big memory recording against its own samples
  const s = 123_456;
  const e = s + 50_000;
  const raw = await recs[0].getTraces({ startFrame: s, endFrame: e });
  expect(firstDifference(raw.data, big.subarray(s * 32, e * 32))).toBe(-1);
  await Promise.all(recs.map((r) => r.close()));
}, 120_000);

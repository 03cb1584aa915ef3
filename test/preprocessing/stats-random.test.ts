// numpy's default_rng (PCG64 + SeedSequence, Lemire's bounded integers) and SpikeInterface's random
// chunks: every stats_based case's slices as SpikeInterface drew them, and the data read from them.
import { describe, expect, it } from 'vitest';
import { NumpyRecording, defaultRng, getRandomDataChunks, getRandomSampleSlices } from '../../src/index.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { expectCode } from '../helpers/expect-error.js';
import { readFixtureJson, sha256Hex } from '../helpers/fixtures.js';
import { DIR, camelOptions, quietly } from './helpers.js';
import { RANDOM_CHUNK_CASES, buildParent } from './stats-cases.js';

describe.each(RANDOM_CHUNK_CASES)('stats_based/%s random chunks', (c) => {
  it('draws the slices SpikeInterface drew and reads the same data', async () => {
    const e = await readFixtureJson(`${DIR}/stats_based/${c}/expected.json`);
    const st = e.statistics;
    const kwargs = camelOptions<any>(st.random_chunk_kwargs ?? st.random_slice_kwargs);
    const parent = await buildParent(e);
    expect(getRandomSampleSlices(parent, kwargs)).toEqual(st.slices);
    if (st.random_data_sha256) {
      const data = await quietly(() => getRandomDataChunks(parent, kwargs));
      expect(data.shape).toEqual(st.random_data_shape);
      expect(await sha256Hex(bytesOf(data.data))).toBe(st.random_data_sha256);
      const list = await getRandomDataChunks(parent, { ...kwargs, concatenated: false });
      expect(list.map((t) => t.shape[0])).toEqual(st.slices.map((s: number[]) => s[2] - s[1]));
    }
  });
});

describe('numpy default_rng', () => {
  // values printed by numpy 2.4: np.random.default_rng(seed).integers(low, high, size, endpoint=True)
  it('reproduces integers() for 32-bit and 64-bit ranges and raw 64-bit draws', () => {
    expect(defaultRng(1234).integersInclusive(0, 7500, 5)).toEqual([7346, 7326, 7410, 2851, 1285]);
    expect(defaultRng(0).nextUint64()).toBe(11749869230777074271n);
    expect(defaultRng(2n ** 70n + 5n).integersInclusive(-5, 10 ** 12, 4)).toEqual([194480093993, 270943771682, 593451842035, 154192805507]);
    expect(defaultRng(7).integersInclusive(3, 3, 2)).toEqual([3, 3]);
  });

  it('refuses bad seeds and options with coded errors', () => {
    expectCode(() => defaultRng(-1), 'INVALID_ARGUMENT', /seed must be a non-negative integer or null, got -1/);
    expectCode(() => defaultRng(1).integersInclusive(5, 4, 1), 'INVALID_ARGUMENT', /low \(5\) must be an integer not above high \(4\)/);
    const rec = new NumpyRecording({ tracesList: [new Float32Array(100 * 2)], samplingFrequency: 1000, numChannels: 2 });
    expectCode(() => getRandomSampleSlices(rec, { method: 'smart' as never }), 'INVALID_ARGUMENT', /method "smart" must be 'full_random'/);
    expectCode(() => getRandomSampleSlices(rec, { numChunksPerSegment: -2 }), 'INVALID_ARGUMENT', /numChunksPerSegment must be an integer ≥ 0, got -2/);
    expectCode(() => getRandomSampleSlices(rec, { chunkDuration: null }), 'INVALID_ARGUMENT', /chunkSize or chunkDuration must be given/);
    // sizes are bounded before anything is drawn or read
    expectCode(() => getRandomSampleSlices(rec, { numChunksPerSegment: 2 ** 40, chunkSize: 50 }), 'INVALID_ARGUMENT', /exceed 268435456 samples/);
    expect(quietlySync(() => getRandomSampleSlices(rec, { chunkSize: 500, seed: 1 })).every(([, a, b]) => b - a === 99 && a <= 1)).toBe(true);
    expect(getRandomSampleSlices(rec, { chunkDuration: '20ms', numChunksPerSegment: 3, seed: 4 }).every(([, a, b]) => b - a === 20)).toBe(true);
  });
});

function quietlySync<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}

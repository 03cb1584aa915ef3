// numpy arithmetic that the fixtures do not reach: 'single' subtracts in the parent's integer type
// (wrapping around), a float32 parent is reduced in float32, groups truncate where the other paths
// round, channels outside every group are 0; and the annulus on 384 Neuropixels channels.
import { describe, expect, it, vi } from 'vitest';
import { NumpyRecording, SpikewireError, commonReference } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { DIR, openSource } from './helpers.js';

const rec = (data: Int16Array | Float32Array, numChannels: number) =>
  new NumpyRecording({ tracesList: [data], samplingFrequency: 1000, numChannels });

describe('commonReference numpy semantics', () => {
  it("'single' without groups: int16 - int16 wraps around as numpy's does", async () => {
    // numpy: np.array([[30000, -30000, 5]], dtype=np.int16) - np.array([[-30000]], dtype=np.int16) -> [[-5536, 0, 30005]]
    const parent = rec(Int16Array.from([30000, -30000, 5]), 3);
    const traces = await commonReference(parent, { reference: 'single', refChannelIds: 1 }).getTraces();
    expect(Array.from(traces.data)).toEqual([-5536, 0, 30005]);
    const asFloat = await commonReference(parent, { reference: 'single', refChannelIds: [1], dtype: 'float32' }).getTraces();
    expect(Array.from(asFloat.data)).toEqual([-5536, 0, 30005]);
    // numpy: (np.array([[100000, 0]], dtype=np.int32) - 0).astype(np.int16) -> [[-31072, 0]]
    const wide = new NumpyRecording({ tracesList: [Int32Array.from([100000, 0])], samplingFrequency: 1000, numChannels: 2 });
    const narrowed = await commonReference(wide, { reference: 'single', refChannelIds: [1], dtype: 'int16' }).getTraces();
    expect(Array.from(narrowed.data)).toEqual([-31072, 0]);
  });

  it('a float32 parent: median and mean in float32, then a float32 subtraction', async () => {
    const values = Float32Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i * 1.7) * 100.3);
    const parent = rec(values, 5);
    const median = await commonReference(parent).getTraces();
    const mean = await commonReference(parent, { operator: 'average' }).getTraces();
    expect(median.dtype).toBe('float32');
    for (let t = 0; t < 6; t++) {
      const row = Array.from(values.subarray(t * 5, t * 5 + 5));
      const m = [...row].sort((a, b) => a - b)[2];
      // fewer than 8 values: numpy's float32 sum is a running sum from 0, then / 5 in float32
      const s = Math.fround(row.reduce((a, b) => Math.fround(a + b), 0) / 5);
      for (let c = 0; c < 5; c++) {
        expect(median.data[t * 5 + c]).toBe(Math.fround(row[c] - m));
        expect(mean.data[t * 5 + c]).toBe(Math.fround(row[c] - s));
      }
    }
  });

  it('groups truncate toward zero (astype) where the global path rounds half to even; ungrouped channels are 0', async () => {
    // channels [3, 6, 9]: the median of [3, 6] is 4.5 -> [-1.5, 1.5]
    const parent = rec(Int16Array.from([3, 6, 9]), 3);
    const grouped = await commonReference(parent, { groups: [[0, 1]] }).getTraces();
    expect(Array.from(grouped.data)).toEqual([-1, 1, 0]);
    const global = await commonReference(parent, { refChannelIds: [0, 1] }).getTraces();
    expect(Array.from(global.data)).toEqual([-2, 2, 4]);
    const subset = await commonReference(parent, { groups: [[0, 1]] }).getTraces({ channelIds: [2, 1] });
    expect(Array.from(subset.data)).toEqual([0, 1]);
  });

  it("'local' needs channel locations", () => {
    expect(() => commonReference(rec(new Int16Array(6), 3), { reference: 'local' })).toThrow(SpikewireError);
  });
});

describe("'local' on the Neuropixels source (the annulus of chains/np_highpass_phase_shift_cmr_local)", () => {
  it("SpikeInterface's neighbour lists and warning; each channel minus the median of its neighbours", async () => {
    const e = await readFixtureJson(`${DIR}/chains/np_highpass_phase_shift_cmr_local/expected.json`);
    const level = e.level_info.find((l: any) => l.class === 'CommonReferenceRecording');
    const neighbours: number[][] = level.local_neighbors;
    const source = await openSource('np384');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let cmr;
    try {
      cmr = commonReference(source, { reference: 'local', operator: 'median', localRadius: [30.0, 55.0] });
      expect(warn.mock.calls.map((c) => String(c[0]).replace(/^spikewire: /, ''))).toEqual(
        e.warnings_construction.map((w: string) => w.replace(/^UserWarning: /, '')),
      );
    } finally {
      warn.mockRestore();
    }
    const raw = await source.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 110 });
    const got = await cmr.getTraces({ segmentIndex: 1, startFrame: 100, endFrame: 110 });
    const C = 384;
    for (let t = 0; t < 10; t++) {
      for (let c = 0; c < C; c++) {
        const values = neighbours[c].map((j) => raw.data[t * C + j]).sort((a, b) => a - b);
        const k = values.length >> 1;
        const median = values.length % 2 ? values[k] : (values[k - 1] + values[k]) / 2;
        // numpy: the difference stored in a float32 array, np.round, astype(int16)
        const r = Math.fround(raw.data[t * C + c] - median);
        const rounded = Math.abs(r % 1) === 0.5 ? 2 * Math.round(r / 2) : Math.round(r);
        expect(got.data[t * C + c], `frame ${t} channel ${c}`).toBe(rounded);
      }
    }
  });
});

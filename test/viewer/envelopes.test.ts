// getEnvelopes on recordings: against a plain reference (min / max of getTraces over each column,
// written here) on the fixture folder and a multi-segment float recording; read block by block with
// the same columns as in one read; µV exactly as getTraces({ returnInUV }) gives them; errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { type BaseRecording, NumpyRecording, getEnvelopes, load } from '../../src/index.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';

/** Column k of a window of `frames` frames: frames [floor(k f), max(floor((k+1) f), start + 1)), f = frames / columns. */
function reference(data: ArrayLike<number>, frames: number, nc: number, columns: number) {
  const f = Math.max(frames, 1) / columns;
  const min: number[] = [];
  const max: number[] = [];
  for (let k = 0; k < columns; k++) {
    const start = Math.floor(k * f);
    const end = Math.min(frames, Math.max(Math.floor((k + 1) * f), start + 1));
    for (let c = 0; c < nc; c++) {
      if (start >= frames) {
        min.push(NaN);
        max.push(NaN);
        continue;
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (let t = start; t < end; t++) {
        lo = Math.min(lo, data[t * nc + c]);
        hi = Math.max(hi, data[t * nc + c]);
      }
      min.push(lo);
      max.push(hi);
    }
  }
  return { min, max };
}

describe('getEnvelopes', () => {
  let folder: BaseRecording;
  beforeAll(async () => {
    folder = await load(pickedFiles('saved', await readFixtureFolder('recordings/multi_columns_probe/saved')));
  });

  for (const returnInUV of [false, true]) {
    it(`equals the min/max of getTraces per column (${returnInUV ? 'µV' : 'raw'}), in one block or many`, async () => {
      const channelIds = [12, 3, 7];
      for (const [startFrame, endFrame, columns] of [[0, 1000, 100], [17, 930, 271], [5, 45, 160], [0, 1000, 1]] as const) {
        const traces = await folder.getTraces({ startFrame, endFrame, channelIds, returnInUV });
        const want = reference(traces.data, endFrame - startFrame, 3, columns);
        for (const blockFrames of [undefined, 7, 64]) {
          const got = await getEnvelopes(folder, { startFrame, endFrame, columns, channelIds, returnInUV, blockFrames });
          expect(got.shape).toEqual([columns, 3]);
          expect({ startFrame: got.startFrame, endFrame: got.endFrame, segmentIndex: got.segmentIndex }).toEqual({ startFrame, endFrame, segmentIndex: 0 });
          expect(Array.from(got.min)).toEqual(want.min);
          expect(Array.from(got.max)).toEqual(want.max);
        }
      }
    });
  }

  it('needs segmentIndex for several segments, and clips endFrame', async () => {
    const a = Float32Array.from({ length: 400 * 2 }, (_, i) => Math.sin(i / 7) * 100);
    const b = Float32Array.from({ length: 300 * 2 }, (_, i) => Math.cos(i / 5) * 50);
    const rec = new NumpyRecording({ tracesList: [a, b], samplingFrequency: 1000, numChannels: 2 });
    await expectCodeAsync(getEnvelopes(rec, { columns: 10 }), 'SEGMENT_INDEX_REQUIRED');
    const got = await getEnvelopes(rec, { segmentIndex: 1, columns: 30, endFrame: 10_000, returnInUV: true });
    expect(got.endFrame).toBe(300);
    const want = reference(b, 300, 2, 30);
    expect(Array.from(got.min)).toEqual(want.min.map(Math.fround));
    expect(Array.from(got.max)).toEqual(want.max.map(Math.fround));
  });

  it('refuses bad windows and integer samples without gains in µV', async () => {
    const rec = new NumpyRecording({ tracesList: [new Int16Array(100)], samplingFrequency: 1000, numChannels: 1 });
    await expectCodeAsync(getEnvelopes(rec, { columns: 10, returnInUV: true }), 'NOT_SCALEABLE');
    await expectCodeAsync(getEnvelopes(rec, { columns: 1.5 }), 'INVALID_ARGUMENT', /columns/);
    await expectCodeAsync(getEnvelopes(rec, { columns: 5, startFrame: 50, endFrame: 10 }), 'INVALID_ARGUMENT', /startFrame 50/);
    await expectCodeAsync(getEnvelopes(rec, { columns: 5, startFrame: -1 }), 'INVALID_ARGUMENT', /startFrame/);
    await expectCodeAsync(getEnvelopes(rec, { columns: 5, blockFrames: 0 }), 'INVALID_ARGUMENT', /blockFrames/);
    await expectCodeAsync(getEnvelopes(rec, { columns: 5, signal: AbortSignal.abort() }), 'ABORTED');
    const empty = await getEnvelopes(rec, { columns: 4, startFrame: 100 });
    expect(Array.from(empty.min).every(Number.isNaN)).toBe(true);
  });
});

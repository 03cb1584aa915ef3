// Comparisons of float results that SpikeInterface computes with BLAS / LAPACK / FFTs (whitening,
// the spatial filter): every window and the full segment within a tolerance relative to the
// signal's RMS, and matrices within a tolerance relative to their largest entry.
import { expect } from 'vitest';
import { readNpy, type BaseRecording } from '../../src/index.js';
import { base64ToBytes, readFixtureBytes } from '../helpers/fixtures.js';
import { DIR } from './helpers.js';

const ARRAYS: Record<string, new (b: ArrayBuffer) => ArrayLike<number>> = { '<i2': Int16Array, '<f4': Float32Array, '<f8': Float64Array };

/** max |got - want|, with the RMS and the largest |value| of `want`. */
function differences(got: ArrayLike<number>, want: ArrayLike<number>) {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let sq = 0;
  let top = 0;
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(got[i] - want[i]));
    sq += want[i] * want[i];
    top = Math.max(top, Math.abs(want[i]));
  }
  return { maxAbs, rms: Math.sqrt(sq / Math.max(want.length, 1)), top };
}

/** max |got - want| / RMS(want) (the plain difference for a zero signal). */
export function relativeToRms(got: ArrayLike<number>, want: ArrayLike<number>): number {
  const d = differences(got, want);
  return d.rms === 0 ? d.maxAbs : d.maxAbs / d.rms;
}

/** max |got - want| / max |want|. */
export function relativeToMax(got: ArrayLike<number>, want: ArrayLike<number>): number {
  const d = differences(got, want);
  return d.top === 0 ? d.maxAbs : d.maxAbs / d.top;
}

/** Every window of a description within `tolerance` of the fixture's (relative to each window's RMS); returns the worst. */
export async function expectWindowsClose(rec: BaseRecording, windows: any[], tolerance: number): Promise<number> {
  let worst = 0;
  for (const w of windows) {
    const traces = await rec.getTraces({
      segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
    });
    expect(traces.shape).toEqual(w.traces.shape);
    const want = new ARRAYS[w.traces.dtype](base64ToBytes(w.traces.b64).slice().buffer);
    worst = Math.max(worst, relativeToRms(traces.data as ArrayLike<number>, want));
  }
  expect(worst).toBeLessThan(tolerance);
  return worst;
}

/** Full segment 1 against traces_seg1.npy: the error relative to RMS. */
export async function fullSegmentRelative(rec: BaseRecording, caseDir: string): Promise<number> {
  const npy = readNpy(await readFixtureBytes(`${DIR}/${caseDir}/traces_seg1.npy`));
  const traces = await rec.getTraces({ segmentIndex: 1 });
  expect(traces.shape).toEqual(npy.shape);
  return relativeToRms(traces.data as ArrayLike<number>, npy.values as ArrayLike<number>);
}

/** A description whose channel offsets are int64 (a filter's zeros) compared as numbers. */
export const numericOffsets = (d: any) =>
  d.channel_offsets?.dtype === '<i8' ? { ...d, channel_offsets: { ...d.channel_offsets, dtype: '<f8', dtype_name: 'float64', b64: undefined } } : d;

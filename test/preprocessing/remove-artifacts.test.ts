// removeArtifacts beyond the fixture's linear case (misc/remove_artifacts_linear, in reshape.test.ts):
// modes 'zeros' and 'cubic' against independent references on a synthetic float64 recording whose
// fit medians lie on a known cubic (the not-a-knot spline through points of a cubic is that cubic),
// silencePeriods' 'apodization' on a recording of ones, its refused mode, and the refusals of both.
import { describe, expect, it } from 'vitest';
import { NumpyRecording, removeArtifacts, silencePeriods, SilencedPeriodsRecording } from '../../src/index.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { openSource } from './helpers.js';

const FS = 30000;
const N = 400;
const TRIGGER = 200;
// msBefore 0.5 / msAfter 1.0 at 30 kHz: frames [185, 230] removed; fit points every 30 frames
const PRE = [124, 154, 184];
const POST = [231, 261, 291];
const cubic = (x: number) => 1e-6 * x ** 3 - 2e-4 * x ** 2 + 0.03 * x + 1;

/** The frames whose median SpikeInterface takes for each fit point (the last before / first after the gap use 4). */
function windowOf(t: number): number | null {
  for (const f of PRE) if (t >= (f === 184 ? f - 3 : f - 2) && t <= (f === 184 ? f : f + 2)) return f;
  for (const f of POST) if (t >= (f === 231 ? f : f - 2) && t <= (f === 231 ? f + 3 : f + 2)) return f;
  return null;
}

/** Two channels: the cubic held constant over each fit point's median window (so the medians lie on it), and its negative. */
function synthetic(): NumpyRecording {
  const data = new Float64Array(N * 2);
  for (let t = 0; t < N; t++) {
    const v = cubic(windowOf(t) ?? t);
    data[2 * t] = v;
    data[2 * t + 1] = -2 * v;
  }
  return new NumpyRecording({ tracesList: [data], samplingFrequency: FS, numChannels: 2 });
}

describe('removeArtifacts against independent references', () => {
  it("'cubic': the gap follows the cubic through the fit medians", async () => {
    const rec = removeArtifacts(synthetic(), [[TRIGGER]], { msBefore: 0.5, msAfter: 1.0, mode: 'cubic' });
    const got = (await rec.getTraces({ segmentIndex: 0 })).data;
    let worst = 0;
    for (let t = 185; t <= 230; t++) {
      worst = Math.max(worst, Math.abs(got[2 * t] - cubic(t)), Math.abs(got[2 * t + 1] + 2 * cubic(t)));
    }
    expect(worst).toBeLessThan(1e-9);
    // outside the gap nothing changed
    const src = (await synthetic().getTraces({ segmentIndex: 0 })).data;
    for (const t of [0, 184, 231, 399]) expect(got[2 * t]).toBe(src[2 * t]);
  });

  it("'linear': the gap is the line between the last median before and the first after", async () => {
    const rec = removeArtifacts(synthetic(), [TRIGGER], { msBefore: 0.5, msAfter: 1.0, mode: 'linear' });
    const got = (await rec.getTraces({ segmentIndex: 0 })).data;
    const [a, b] = [cubic(184), cubic(231)];
    for (let t = 185; t <= 230; t++) expect(got[2 * t]).toBeCloseTo(a + ((b - a) * (t - 184)) / 47, 12);
  });

  it("'zeros': frames [trigger - before, trigger + after] are zero; at a window's start SpikeInterface stops one frame short", async () => {
    const source = await openSource('s16');
    const rec = removeArtifacts(source, [[1500, 6000], [600]], { msBefore: 0.5, msAfter: 1.0 });
    const raw = (await source.getTraces({ segmentIndex: 0, startFrame: 1400, endFrame: 1600 })).data;
    const got = (await rec.getTraces({ segmentIndex: 0, startFrame: 1400, endFrame: 1600 })).data;
    for (let t = 0; t < 200; t++) {
      const removed = t + 1400 >= 1485 && t + 1400 <= 1530;
      for (let c = 0; c < 16; c++) expect(got[t * 16 + c]).toBe(removed ? 0 : raw[t * 16 + c]);
    }
    // a window starting inside the removed span: frames [0, trigger + after) are zero, the frame at trigger + after is kept
    const edge = (await rec.getTraces({ segmentIndex: 0, startFrame: 1490, endFrame: 1540 })).data;
    const edgeRaw = (await source.getTraces({ segmentIndex: 0, startFrame: 1490, endFrame: 1540 })).data;
    for (let t = 0; t < 50; t++) expect(edge[t * 16]).toBe(t < 40 ? 0 : edgeRaw[t * 16]);
  });

  it('refuses template modes and bad options with coded errors', async () => {
    const source = await openSource('s16');
    expectCode(() => removeArtifacts(source, [[1], [2]], { mode: 'median' }), 'UNSUPPORTED', /mode 'median' subtracts artifact templates/);
    expectCode(() => removeArtifacts(source, [[1], [2]], { mode: 'spline' as never }), 'INVALID_ARGUMENT', /mode "spline"/);
    expectCode(() => removeArtifacts(source, [[1]]), 'INVALID_ARGUMENT', /one list per segment \(2\), got 1/);
    expectCode(() => removeArtifacts(source, [[1.5], []]), 'INVALID_ARGUMENT', /listTriggers\[0\] must be a list of integer frames/);
    expectCode(() => removeArtifacts(source, [[1], []], { msBefore: null }), 'INVALID_ARGUMENT', /set both msBefore and msAfter to null/);
    expectCode(() => removeArtifacts(source, [[1], []], { fitSampleSpacing: 0 }), 'INVALID_ARGUMENT', /fitSampleSpacing/);
  });
});

describe("silencePeriods 'apodization'", () => {
  it('a recording of ones becomes its mute: 1 away from the period, 0 through it, the cosine taper between', async () => {
    const ones = new NumpyRecording({ tracesList: [new Float64Array(600).fill(1)], samplingFrequency: FS, numChannels: 1 });
    const rec = silencePeriods(ones, { periods: [[0, 200, 400]], mode: 'apodization', apodizationSamples: 7 });
    // read from frame 0 (no left margin): the mask covers [200 - 7, 400 + 7), widened by the 7-frame window
    const got = (await rec.getTraces()).data;
    for (let t = 0; t < 600; t++) {
      if (t < 193 - 3 || t >= 407 + 3) expect(got[t], `frame ${t}`).toBe(1);
      else if (t >= 193 + 3 && t < 407 - 3) expect(got[t], `frame ${t}`).toBe(0);
      else expect(got[t]).toBeGreaterThanOrEqual(0);
    }
    for (let t = 188; t < 196; t++) expect(got[t + 1]).toBeLessThanOrEqual(got[t]);
    for (let t = 402; t < 410; t++) expect(got[t + 1]).toBeGreaterThanOrEqual(got[t]);
    // the taper's values: 1 - partial sums of scipy's cosine window sin(π(j + 0.5) / 7)
    const w = Array.from({ length: 7 }, (_, j) => Math.sin((Math.PI / 7) * (j + 0.5)));
    expect(got[409]).toBe(1 - w[6]);
    expect(got[408]).toBe(1 - (w[5] + w[6]));
    // with a full left margin SpikeInterface places the mask one more taper earlier: from 200 - 14
    const shifted = (await rec.getTraces({ startFrame: 150, endFrame: 450 })).data;
    for (let t = 150; t < 183; t++) expect(shifted[t - 150], `frame ${t}`).toBe(1);
    for (let t = 189; t < 400; t++) expect(shifted[t - 150], `frame ${t}`).toBe(0);
  });
});

describe('silencePeriods refusals', () => {
  it("'noise' is refused, periods are checked as SpikeInterface checks them, and JSON dumps are refused", async () => {
    const source = await openSource('s16');
    expectCode(() => silencePeriods(source, { listPeriods: [[[1, 2]], []], mode: 'noise' }), 'UNSUPPORTED', /mode 'noise'.*PCG64/);
    expectCode(() => silencePeriods(source, { listPeriods: [[[1, 2]], []], mode: 'apodization', apodizationSamples: 0 }), 'INVALID_ARGUMENT', /apodizationSamples/);
    expectCode(() => silencePeriods(source, { listPeriods: [[[5, 2]], []] }), 'INVALID_ARGUMENT', /ends before it starts/);
    expectCode(() => silencePeriods(source, { listPeriods: [[[1, 20], [10, 30]], []] }), 'INVALID_ARGUMENT', /overlap/);
    expectCode(() => silencePeriods(source, { periods: [[2, 1, 5]] }), 'INVALID_ARGUMENT', /segment index below 2/);
    expectCode(() => silencePeriods(source, {}), 'INVALID_ARGUMENT', /periods must be a list/);
    const rec = silencePeriods(source, { periods: [[1, 10, 20], [0, 5, 6]] });
    expect(rec).toBeInstanceOf(SilencedPeriodsRecording);
    expect(rec.periods).toEqual([[0, 5, 6], [1, 10, 20]]);
    await expectCodeAsync(rec.dumpToJson('x.json'), 'UNSUPPORTED', /not JSON serializable/);
  });
});

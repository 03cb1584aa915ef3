// resample against SpikeInterface's misc/resample case (30 kHz → 10 kHz: scipy.signal.decimate with
// a 100 ms reflect-padded margin): description, every window, the full segment 1, to_dict, margin;
// decimate's Chebyshev design (its gains at DC, the band edge and past Nyquist / q); the Fourier path
// of non-integer ratios on a sine; refusals.
import { describe, expect, it } from 'vitest';
import { NumpyRecording, ResampleRecording, resample } from '../../src/index.js';
import { cheby1LowpassSos } from '../../src/preprocessing/cheby1.js';
import { expectCode } from '../helpers/expect-error.js';
import { expectCase, readCase } from './case-check.js';
import { openSource } from './helpers.js';

describe('misc/resample', () => {
  it('builds as SpikeInterface: description, windows, full segment, to_dict, margin', async () => {
    const e = await readCase('misc', 'resample');
    const rec = resample(await openSource('s16'), e.chain[0].kwargs.resample_rate);
    expect(rec).toBeInstanceOf(ResampleRecording);
    expect(rec.margin).toBe(e.level_info[0].margin_samples);
    const got = await expectCase(rec, 'misc', 'resample');
    console.log(`resample: windows ${JSON.stringify(got.windows)}; full segment 1 ${JSON.stringify(got.full)}`);
  });
});

describe("decimate's filter", () => {
  it('cheby1(8, 0.05, 0.8/q): -0.05 dB at DC and at the band edge (even order), over 40 dB down past Nyquist/q', () => {
    const sos = cheby1LowpassSos(8, 0.05, 0.8 / 3);
    expect(sos.length).toBe(24);
    const gain = (w: number) => {
      let g = 1;
      for (let s = 0; s < 4; s++) {
        const [b0, b1, b2, a0, a1, a2] = sos.subarray(6 * s, 6 * s + 6);
        const num = Math.hypot(b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w), -(b1 * Math.sin(w) + b2 * Math.sin(2 * w)));
        const den = Math.hypot(a0 + a1 * Math.cos(w) + a2 * Math.cos(2 * w), -(a1 * Math.sin(w) + a2 * Math.sin(2 * w)));
        g *= num / den;
      }
      return 20 * Math.log10(g);
    };
    // even order: the DC gain sits at the bottom of the ripple
    expect(gain(0)).toBeCloseTo(-0.05, 6);
    expect(gain((Math.PI * 0.8) / 3)).toBeCloseTo(-0.05, 6);
    expect(gain(Math.PI / 3 + 0.2)).toBeLessThan(-40);
  });

  it('a float64 sine well inside the passband comes out decimated and unchanged', async () => {
    const fs = 30000;
    const x = Float64Array.from({ length: 9000 }, (_, t) => 1000 * Math.sin((2 * Math.PI * 200 * t) / fs));
    const rec = resample(new NumpyRecording({ tracesList: [x], samplingFrequency: fs, numChannels: 1 }), 10000);
    const y = (await rec.getTraces()).data;
    expect(y.length).toBe(3000);
    for (let t = 100; t < 2900; t++) expect(Math.abs(y[t] - x[3 * t])).toBeLessThan(15);
  });
});

describe("resample by a non-integer ratio (scipy.signal.resample's path)", () => {
  it('a float64 sine well inside the band, 30 kHz to 20 kHz, is the sine sampled at 20 kHz', async () => {
    const x = Float64Array.from({ length: 9000 }, (_, t) => 1000 * Math.sin((2 * Math.PI * 500 * t) / 30000));
    const rec = resample(new NumpyRecording({ tracesList: [x], samplingFrequency: 30000, numChannels: 1 }), 20000);
    expect(rec.getNumSamples(0)).toBe(6000);
    const y = (await rec.getTraces()).data;
    // within 1e-4 of the amplitude: the chunk is read as float32 and its reflect-padded ends leak a little
    for (let t = 200; t < 5800; t++) expect(Math.abs(y[t] - 1000 * Math.sin((2 * Math.PI * 500 * t) / 20000))).toBeLessThan(0.1);
  });
});

describe('resample refusals', () => {
  it('bad rates and unsupported paths are coded errors', async () => {
    const source = await openSource('s16');
    const timed = new NumpyRecording({ tracesList: [new Float64Array(3000)], samplingFrequency: 30000, numChannels: 1 });
    timed.setTimes(Float64Array.from({ length: 3000 }, (_, i) => i / 30000 + (i > 1500 ? 1 : 0)));
    expectCode(() => resample(timed, 10000), 'UNSUPPORTED', /time vectors/);
    expectCode(() => resample(source, 1000.5), 'INVALID_ARGUMENT', /resampleRate must be a positive integer/);
    expectCode(() => resample(source, 10000, { marginMs: -1 }), 'INVALID_ARGUMENT', /marginMs/);
    expectCode(() => resample(source, 10000, { dtype: 'uint16' }), 'INVALID_ARGUMENT', /unsigned/);
  });
});

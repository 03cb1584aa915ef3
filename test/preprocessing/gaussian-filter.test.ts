// gaussianFilter against SpikeInterface's filters/gaussian case: description, every window, the full
// segment 1 (FFT rounding: integer outputs may differ by one at rounding ties), to_dict, the margin
// SpikeInterface used; and its refusals.
import { describe, expect, it } from 'vitest';
import { GaussianFilterRecording, NumpyRecording, gaussianFilter } from '../../src/index.js';
import { expectCode } from '../helpers/expect-error.js';
import { expectCase, readCase } from './case-check.js';
import { camelOptions, openSource } from './helpers.js';

describe('filters/gaussian', () => {
  it('builds as SpikeInterface: description, windows, full segment within the FFT rounding, to_dict, margin', async () => {
    const e = await readCase('filters', 'gaussian');
    const rec = gaussianFilter(await openSource('s16'), camelOptions(e.chain[0].kwargs));
    expect(rec).toBeInstanceOf(GaussianFilterRecording);
    expect(rec.margin).toBe(e.level_info[0].margin_samples);
    const got = await expectCase(rec, 'filters', 'gaussian');
    console.log(`gaussian: windows ${JSON.stringify(got.windows)}; full segment 1 ${JSON.stringify(got.full)}`);
  });
});

describe('gaussianFilter against an independent reference', () => {
  it('a lowpass of a float64 sine far below the cutoff keeps it, one far above is removed', async () => {
    const fs = 30000;
    const n = 3000;
    const low = new Float64Array(n);
    const high = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      low[t] = Math.sin((2 * Math.PI * 50 * t) / fs);
      high[t] = Math.sin((2 * Math.PI * 12000 * t) / fs);
    }
    const lowOut = (await gaussianFilter(new NumpyRecording({ tracesList: [low], samplingFrequency: fs, numChannels: 1 }), { freqMin: null, freqMax: 3000 }).getTraces()).data;
    const highOut = (await gaussianFilter(new NumpyRecording({ tracesList: [high], samplingFrequency: fs, numChannels: 1 }), { freqMin: null, freqMax: 3000 }).getTraces()).data;
    // G(f) = exp(-(f/fc)^2 / 2): 50 Hz keeps 0.99986 of its amplitude; 12 kHz keeps exp(-8)
    for (let t = 500; t < 2500; t++) {
      expect(Math.abs(lowOut[t] - low[t] * Math.exp(-((50 / 3000) ** 2) / 2))).toBeLessThan(1e-3);
      expect(Math.abs(highOut[t])).toBeLessThan(1e-3);
    }
  });
});

describe('gaussianFilter refusals', () => {
  it('bad options are coded errors naming them', async () => {
    const source = await openSource('s16');
    expectCode(() => gaussianFilter(source, { freqMin: null, freqMax: null }), 'INVALID_ARGUMENT', /at least one of freqMin and freqMax/);
    expectCode(() => gaussianFilter(source, { freqMin: -3 }), 'INVALID_ARGUMENT', /freqMin must be a positive frequency in Hz or null, got -3/);
    expectCode(() => gaussianFilter(source, { marginSd: Number.NaN }), 'INVALID_ARGUMENT', /marginSd/);
    expectCode(() => gaussianFilter(source, { freqMin: 1e-9 }), 'INVALID_ARGUMENT', /too large/);
  });
});

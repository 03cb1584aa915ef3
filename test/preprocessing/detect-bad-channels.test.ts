// detectBadChannels against SpikeInterface's stats_based/detect_bad_channels case: for the four
// methods (std, mad, coherence+psd, neighborhood_r2) with their seeds, the same random chunks and
// the same bad channel ids and labels.
import { describe, expect, it } from 'vitest';
import { detectBadChannels, getRandomSampleSlices, highpassFilter } from '../../src/index.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { DIR, camelOptions, openSource } from './helpers.js';

const RESULTS = (await readFixtureJson(`${DIR}/stats_based/detect_bad_channels/expected.json`)).results as any[];

describe.each(RESULTS.map((r) => [r.kwargs.method, r]))('detect_bad_channels method %s', (_method, r) => {
  it('draws the same chunks and finds the same bad channels and labels', async () => {
    const source = await openSource('s16');
    const o = camelOptions<any>(r.kwargs);
    const hp = highpassFilter(source, { freqMin: 300 });
    expect(getRandomSampleSlices(hp, { numChunksPerSegment: o.numRandomChunks, chunkSize: Math.trunc(o.chunkDurationS * 30000), seed: o.seed })).toEqual(r.slices);
    const got = await detectBadChannels(source, o);
    expect(got.badChannelIds).toEqual(r.bad_channel_ids);
    expect(got.channelLabels).toEqual(r.channel_labels);
  });
});

describe('detectBadChannels refusals', () => {
  it('bad options are coded errors naming them', async () => {
    const source = await openSource('s16');
    await expectCodeAsync(detectBadChannels(source, { method: 'zscore' as never }), 'INVALID_ARGUMENT', /method "zscore"/);
    await expectCodeAsync(detectBadChannels(source, { numRandomChunks: 0 }), 'INVALID_ARGUMENT', /numRandomChunks/);
    await expectCodeAsync(detectBadChannels(source, { nyquistThreshold: 1.5, seed: 1, numRandomChunks: 2, chunkDurationS: 0.03 }), 'INVALID_ARGUMENT', /nyquistThreshold must be between 0 and 1/);
    await expectCodeAsync(detectBadChannels(source, { channelFilters: ['bad' as never], seed: 1 }), 'INVALID_ARGUMENT', /channelFilters/);
    await expectCodeAsync(detectBadChannels(source, { chunkDurationS: 0 }), 'INVALID_ARGUMENT', /less than one frame/);
  });
});

// detectAndRemoveBadChannels / detectAndInterpolateBadChannels against SpikeInterface's
// stats_based/detect_and_* cases: the detection from seeded random chunks finds the channels
// SpikeInterface stored, and the recordings match it (description, windows, full segment, to_dict).
import { describe, expect, it } from 'vitest';
import {
  DetectAndInterpolateBadChannelsRecording, DetectAndRemoveBadChannelsRecording, detectAndInterpolateBadChannels, detectAndRemoveBadChannels,
} from '../../src/index.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { expectCase, readCase } from './case-check.js';
import { camelOptions, openSource } from './helpers.js';

describe('stats_based/detect_and_remove_bad_channels_mad', () => {
  it('detects channel 5 and removes it as SpikeInterface does', async () => {
    const e = await readCase('stats_based', 'detect_and_remove_bad_channels_mad');
    const rec = await detectAndRemoveBadChannels(await openSource('s16'), camelOptions(e.chain[0].kwargs));
    expect(rec).toBeInstanceOf(DetectAndRemoveBadChannelsRecording);
    expect(rec.badChannelIds).toEqual(e.statistics.bad_channel_ids_from_kwargs);
    await expectCase(rec, 'stats_based', 'detect_and_remove_bad_channels_mad', { exact: true });
  });
});

describe('stats_based/detect_and_interpolate_bad_channels_cpsd', () => {
  it('detects channels 5 (noise) and 11 (dead) by coherence and PSD, and interpolates them as SpikeInterface does', async () => {
    const e = await readCase('stats_based', 'detect_and_interpolate_bad_channels_cpsd');
    const rec = await detectAndInterpolateBadChannels(await openSource('s16'), camelOptions(e.chain[0].kwargs));
    expect(rec).toBeInstanceOf(DetectAndInterpolateBadChannelsRecording);
    expect(rec.badChannelIds).toEqual(e.statistics.bad_channel_ids_from_kwargs);
    await expectCase(rec, 'stats_based', 'detect_and_interpolate_bad_channels_cpsd', { exact: true, closeKwargs: ['weights'] });
  });
});

describe('known bad channels skip the detection', () => {
  it('badChannelIds given: no chunks are read, labels are not kept for removal', async () => {
    const source = await openSource('s16');
    const removed = await detectAndRemoveBadChannels(source, { badChannelIds: [3, 4], channelLabels: new Array(16).fill('good') });
    expect(removed.getChannelIds()).not.toContain(3);
    expect(removed.getNumChannels()).toBe(14);
    expect('channel_labels' in removed.getKwargs()).toBe(false);
    const interpolated = await detectAndInterpolateBadChannels(source, { badChannelIds: [3] });
    expect(interpolated.badChannelIds).toEqual([3]);
    await expectCodeAsync(detectAndRemoveBadChannels(source, { badChannelIds: [99] }), 'CHANNEL_NOT_FOUND');
    await expectCodeAsync(detectAndInterpolateBadChannels({} as never), 'INVALID_ARGUMENT', /recording must be a recording/);
  });
});

// Every recordings/<case> of SpikeInterface's fixtures, rebuilt in memory: ids, sizes, times,
// properties, every trace window (raw and µV, bit for bit), segment hashes, and the views
// (channel_slice, frame_slice, split_by, rename_channels) against what SpikeInterface returned.
import { describe, expect, it } from 'vitest';
import type { BaseRecording } from '../../src/index.js';
import { decodeArrayEntry } from '../helpers/fixtures.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { CASES, buildCase } from './fixture-build.js';

const VIEW = { view: true };

describe.each(CASES)('fixture case %s rebuilt in memory', (name) => {
  it('matches the source description (ids, sizes, times, properties, windows, hashes)', async () => {
    const { expected, recording } = await buildCase(name);
    // The source is a BinaryRecordingExtractor in SpikeInterface (its repr names the class and files),
    // except for NumpyRecording sources, whose repr must match exactly.
    await expectDescription(recording, expected.source, { repr: expected.source.class === 'NumpyRecording' });
  });

  it('matches channel_slice, frame_slice, split_by and rename_channels results', async () => {
    const { expected, recording } = await buildCase(name);
    if (expected.channel_slice) {
      const view = recording.channelSlice(expected.channel_slice.channel_ids);
      await expectDescription(view, expected.channel_slice.result, VIEW);
    }
    if (expected.frame_slice) {
      const view = recording.frameSlice(expected.frame_slice.start_frame, expected.frame_slice.end_frame);
      await expectDescription(view, expected.frame_slice.result, VIEW);
    }
    if (expected.frame_slice_multi_segment_error) {
      expect(() => recording.frameSlice(0, 10)).toThrow(/only works with one segment but found/);
    }
    if (expected.split_by_group) {
      const parts = recording.splitBy('group') as Map<unknown, BaseRecording>;
      expect([...parts.keys()]).toEqual(expected.split_by_group_keys);
      for (const key of expected.split_by_group_keys) await expectDescription(parts.get(key)!, expected.split_by_group[String(key)], VIEW);
    }
    if (expected.rename_channels) {
      const ids = decodeArrayEntry(expected.rename_channels.result.channel_ids).flat as string[];
      await expectDescription(recording.renameChannels(ids), expected.rename_channels.result, VIEW);
    }
  });
});

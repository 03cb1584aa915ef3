// SpikeInterface's "Recording objects" tutorial, in-memory steps, replayed on the samples the
// tutorial itself wrote (tutorial_small/traces{0,1}.raw) and checked against every printed output.
import { describe, expect, it } from 'vitest';
import { ChannelSliceRecording, NumpyRecording, type BaseRecording } from '../../src/index.js';
import { base64ToBytes, decodeArrayEntry, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const pyDict = (m: Map<unknown, BaseRecording>) => `{${[...m].map(([k, r]) => `${k}: ${r}`).join(', ')}}`;

describe('tutorial: recording objects (in memory)', async () => {
  const expected = await readFixtureJson('tutorial_small/expected.json');
  const steps = expected.steps;
  const traces0 = new Float64Array((await readFixtureBytes('tutorial_small/traces0.raw')).slice().buffer);
  const traces1 = new Float64Array((await readFixtureBytes('tutorial_small/traces1.raw')).slice().buffer);
  const recording = new NumpyRecording({ tracesList: [traces0, traces1], samplingFrequency: expected.sampling_frequency, numChannels: expected.num_channels });
  const letters = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const recording3 = recording.renameChannels(letters);

  it('prints the NumpyRecording and its getters', () => {
    expect(`${recording}\n`).toBe(steps['print(recording) NumpyRecording']);
    const g = steps.getters;
    expect(recording.getChannelIds().length).toBe(g['len(get_channel_ids())']);
    expect(recording.getSamplingFrequency()).toBe(g['get_sampling_frequency()']);
    expect(recording.getNumSegments()).toBe(g['get_num_segments()']);
    expect(recording.getNumFrames(0)).toBe(g['get_num_frames(0)']);
    expect(recording.getNumFrames(1)).toBe(g['get_num_frames(1)']);
    expect(recording.getChannelIds()).toEqual(steps['recording.get_channel_ids()'].data);
  });

  it('reads traces by segment and by channel id', async () => {
    expect((await recording.getTraces({ segmentIndex: 0 })).shape).toEqual(steps['traces0.shape']);
    expect((await recording.getTraces({ segmentIndex: 1, endFrame: 50 })).shape).toEqual(steps['traces1_short.shape']);
    expect(recording3.getChannelIds()).toEqual(steps['recording3.get_channel_ids()'].data);
    const step = steps["recording3.get_traces(segment_index=1, end_frame=50, channel_ids=['a','d'])"];
    const t = await recording3.getTraces({ segmentIndex: 1, endFrame: 50, channelIds: ['a', 'd'] });
    expect(t.shape).toEqual(step.shape);
    expect(bytesOf(t.data)).toEqual(base64ToBytes(step.b64));
  });

  it('selects channels', async () => {
    const recording4 = recording3.selectChannels(['a', 'c', 'e']);
    expect(`${recording4}\n`).toBe(steps['print(recording4) select_channels']);
    expect(recording4.getChannelIds()).toEqual(steps['recording4.get_channel_ids()'].data);
    expect(`${new ChannelSliceRecording(recording3, ['a', 'c', 'e'])}\n`).toBe(steps["print(ChannelSliceRecording(recording3, ['a','c','e']))"]);
    const step = steps['recording4.get_traces(segment_index=0, end_frame=4)'];
    const t = await recording4.getTraces({ segmentIndex: 0, endFrame: 4 });
    expect(bytesOf(t.data)).toEqual(base64ToBytes(step.b64));
  });

  it('splits by group', () => {
    recording3.setProperty('group', [0, 0, 0, 1, 1, 1, 2]);
    const parts = recording3.splitBy('group');
    expect(`${pyDict(parts)}\n`).toBe(steps["print(recording3.split_by('group'))"]);
    expect([...parts.keys()]).toEqual(steps['split_by keys']);
    for (const [k, sub] of parts) {
      expect(sub.getChannelIds()).toEqual(decodeArrayEntry(steps['split_by channel ids'][String(k)]).flat);
      const annotations = Object.fromEntries(sub.getAnnotationKeys().map((a) => [a, sub.getAnnotation(a)]));
      expect(annotations).toEqual(steps['split_by annotations'][String(k)]);
    }
    expect(recording3.splitBy('group', 'list').map(String)).toEqual(steps["split_by(outputs='list') reprs"]);
  });
});

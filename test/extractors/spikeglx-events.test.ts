// readSpikeglxEvents against SpikeInterface's read_spikeglx_event of the NI-DAQ dataset: channel ids
// and, per segment and channel, the (time, duration, label) events.
import { describe, expect, it } from 'vitest';
import { readSpikeglxEvents } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { MAIN_KIND, SOURCE_KINDS, folderInput } from './spikeglx-source.js';

const DATASETS = ['np1_ap_lf', 'np2_4shank', 'np1_subset', 'nidq_2triggers'];

async function open(dataset: string, kind = MAIN_KIND) {
  const expected = await readFixtureJson(`acquisition/spikeglx/${dataset}/expected.json`);
  const input = (await folderInput(`acquisition/spikeglx/${dataset}/${expected.folder_path}`, kind)) as any;
  return input && typeof input === 'object' && 'url' in input ? readSpikeglxEvents(input.url, { files: input.files }) : readSpikeglxEvents(input);
}

describe('readSpikeglxEvents', () => {
  it.each(SOURCE_KINDS)('gives the NI-DAQ digital line events SpikeInterface gave (%s)', async (kind) => {
    const want = (await readFixtureJson('acquisition/spikeglx/nidq_2triggers/expected.json')).read_spikeglx_event;
    expect(want.error).toBeNull();
    const events = await open('nidq_2triggers', kind);
    try {
      expect(events.getChannelIds()).toEqual(want.channel_ids);
      expect(events.getNumSegments()).toBe(want.num_segments);
      for (const [key, entry] of Object.entries<any>(want.events)) {
        const [seg, channelId] = key.split(':');
        const got = await events.getEvents({ channelId, segmentIndex: Number(seg.slice(3)) });
        expect(Array.from(got.time), key).toEqual(entry.values.map((v: any[]) => v[0]));
        expect(Array.from(got.duration).every(Number.isNaN), key).toBe(true);
        expect(entry.values.every((v: any[]) => v[1] === 'NaN')).toBe(true);
        expect(got.label, key).toEqual(entry.values.map((v: any[]) => v[2]));
      }
    } finally {
      await events.close();
    }
  });

  it('filters by time and checks its arguments', async () => {
    const events = await open('nidq_2triggers');
    try {
      const all = await events.getEvents({ channelId: 'nidq#XD3', segmentIndex: 0 });
      expect(all.label).toEqual(['XD3 ON', 'XD3 OFF']);
      const late = await events.getEvents({ channelId: 'nidq#XD3', segmentIndex: 1, startTime: all.time[1] });
      expect(late.label).toEqual(['XD3 OFF']);
      const early = await events.getEvents({ channelId: 'nidq#XD3', segmentIndex: 1, endTime: all.time[1] });
      expect(early.label).toEqual(['XD3 ON']);
      await expect(events.getEvents({ channelId: 'nidq#XD3' })).rejects.toMatchObject({ code: 'SEGMENT_INDEX_REQUIRED' });
      await expect(events.getEvents({ channelId: 'nidq#XD3', segmentIndex: 2 })).rejects.toMatchObject({ code: 'OUT_OF_RANGE' });
      await expect(events.getEvents({ channelId: 'nidq#XA0', segmentIndex: 0 })).rejects.toMatchObject({ code: 'CHANNEL_NOT_FOUND' });
    } finally {
      await events.close();
    }
  });

  it.each(DATASETS.filter((d) => d !== 'nidq_2triggers'))('has no channels without an NI-DAQ stream (%s)', async (dataset) => {
    const events = await open(dataset);
    expect(events.getChannelIds()).toEqual([]);
    await events.close();
  });
});

// readOpenephysEvents against SpikeInterface's read_openephys_event on the Open Ephys fixtures:
// channel ids, segments, and per segment and channel the (time, duration, label) events.
import { describe, expect, it } from 'vitest';
import { readOpenephysEvents, SpikewireError } from '../../src/index.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { DATASETS, expected } from './openephys-shared.js';

const picked = async (ds: string) => pickedFiles('data', await readFixtureFolder(`acquisition/openephys/${ds}/data`));

describe.each(DATASETS)('readOpenephysEvents(%s)', (ds) => {
  it('gives the events SpikeInterface gives', async () => {
    const e = expected[ds].read_openephys_event;
    expect(e.error).toBeNull();
    // acq_board_2exp has two experiments: SpikeInterface's event reader was given the first
    const opts = expected[ds].get_available_experiments.length > 1 ? { blockIndex: 0 } : {};
    const events = await readOpenephysEvents(await picked(ds), opts);
    expect(events.getChannelIds()).toEqual(e.channel_ids);
    expect(events.getNumSegments()).toBe(e.num_segments);
    for (const [key, entry] of Object.entries(e.events) as [string, any][]) {
      const [seg, channelId] = [Number(key.slice(3, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
      expect(entry.dtype_descr).toEqual([['time', '<f8'], ['duration', '<f8'], ['label', '<U100']]);
      const got = events.getEvents({ channelId, segmentIndex: seg });
      const rows = Array.from(got.time, (t, i) => [t, Number.isNaN(got.duration[i]) ? 'NaN' : got.duration[i], got.label[i]]);
      expect(rows, key).toEqual(entry.values);
    }
  });
});

describe('readOpenephysEvents options', () => {
  it('selects experiments as the recording reader does, and checks its arguments', async () => {
    const input = await picked('acq_board_2exp');
    await expectCodeAsync(readOpenephysEvents(input), 'INVALID_ARGUMENT', /Multiple experiments found/);
    await expectCodeAsync(readOpenephysEvents(input, { experimentName: 'experiment9' }), 'INVALID_ARGUMENT', /experimentName 'experiment9' not found/);
    await expectCodeAsync(readOpenephysEvents(input, { experimentName: 'experiment2', blockIndex: 1 }), 'INVALID_ARGUMENT', /Cannot specify both/);
    const two = await readOpenephysEvents(input, { experimentName: 'experiment2' });
    expect(two.getChannelIds()).toEqual(expected.acq_board_2exp.read_openephys_event.channel_ids);
    expect(two.getNumSegments()).toBe(2);
    const one = await readOpenephysEvents(await picked('np1_pxi_nidaq'));
    expect(() => one.getEvents({ channelId: 'nope', segmentIndex: 0 })).toThrow(SpikewireError);
    expect(() => one.getEvents({ channelId: 'Messages' })).toThrow(/segmentIndex/);
    const window = one.getEvents({ channelId: 'PXIe-6341Digital Input Line', segmentIndex: 0, startTime: 150 });
    expect(window.time.length).toBe(0);
  });
});

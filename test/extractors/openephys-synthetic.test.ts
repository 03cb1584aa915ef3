// neo's stream rules on folders the fixtures do not have, built here: ids sorted as strings past ten
// streams, an ADC block beside neural channels in one continuous.dat, OneBox streams (ADC channels kept),
// ADC channels that are not contiguous and a SYNC channel that is not last (refused). The expected
// values follow neo's OpenEphysBinaryRawIO code, worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { getOpenephysStreams, readOpenephys, writeNpy } from '../../src/index.js';
import { pickedFiles, type FolderFiles } from '../helpers/folders.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { withRec } from './openephys-shared.js';

interface StreamSpec {
  folder: string;
  channels: string[];
  units?: string;
  firstSample?: number;
}

const NUM_SAMPLES = 20;
const RATE = 30000;

/** One record node, one experiment, one recording; column k of a stream holds 100 * sample + k. */
function folder(streams: StreamSpec[]): FolderFiles {
  const files: FolderFiles = new Map();
  const rec = 'Record Node 7/experiment1/recording1';
  const oebin = {
    'GUI version': '0.6.7',
    continuous: streams.map((s) => ({
      folder_name: `${s.folder}/`,
      sample_rate: RATE,
      channels: s.channels.map((name) => ({ channel_name: name, bit_volts: 0.5, units: s.units ?? '' })),
    })),
    events: [],
  };
  files.set(`${rec}/structure.oebin`, new TextEncoder().encode(JSON.stringify(oebin)));
  for (const s of streams) {
    const n = s.channels.length;
    const dat = Int16Array.from({ length: NUM_SAMPLES * n }, (_, i) => 100 * Math.floor(i / n) + (i % n));
    files.set(`${rec}/continuous/${s.folder}/continuous.dat`, new Uint8Array(dat.buffer));
    const first = s.firstSample ?? 0;
    files.set(`${rec}/continuous/${s.folder}/sample_numbers.npy`, writeNpy({ dtype: '<i8', shape: [NUM_SAMPLES], values: BigInt64Array.from({ length: NUM_SAMPLES }, (_, i) => BigInt(first + i)) }));
  }
  return files;
}

const node = (name: string) => `Record Node 7#${name}`;

describe('Open Ephys streams built here', () => {
  it('ids are sorted as strings past ten streams (neo sorts them with np.unique)', async () => {
    const streams = Array.from({ length: 11 }, (_, i) => ({ folder: `Source-1${String(i).padStart(2, '0')}.S`, channels: ['CH1'] }));
    const got = await getOpenephysStreams(pickedFiles('run', folder(streams)));
    // names sorted: Source-100.S ... Source-110.S get ids '0' ... '10'; the list is ordered by id text
    const ids = ['0', '1', '10', '2', '3', '4', '5', '6', '7', '8', '9'];
    expect(got.streamIds).toEqual(ids);
    expect(got.streamNames).toEqual(ids.map((id) => node(`Source-1${id.padStart(2, '0')}.S`)));
  });

  it('an ADC block in one file with neural channels: two streams over its columns', async () => {
    const files = folder([
      { folder: 'Board-100.Rhythm Data', channels: ['CH1', 'CH2', 'ADC1', 'ADC2'], firstSample: 300 },
      { folder: 'Other-101.Data', channels: ['A', 'B'], firstSample: 600 },
    ]);
    const input = pickedFiles('run', files);
    // ids: CH* '0' (stream 0), ADC* '0 + 2 streams' = '2', Other '1'
    expect(await getOpenephysStreams(input)).toEqual({
      streamIds: ['0', '1', '2'],
      streamNames: [node('Board-100.Rhythm Data'), node('Other-101.Data'), node('Board-100.Rhythm Data_ADC')],
    });
    const columnsOf = async (streamId: string) =>
      withRec(readOpenephys(input, { streamId }), async (rec) => {
        const t = await rec.getTraces({ startFrame: 3, endFrame: 4 });
        return { ids: rec.getChannelIds(), row: Array.from(t.data), start: rec.getStartTime(0), units: rec.getProperty('physical_unit') };
      });
    // neural: slice(0, 2); ADC: slice(2, None) of the 4 columns; the ADC stream, at position 2 of the
    // list, takes the start time of continuous stream 2 - 2 = 0: its own file's
    expect(await columnsOf('0')).toEqual({ ids: ['CH1', 'CH2'], row: [300, 301], start: 300 / RATE, units: ['uV', 'uV'] });
    expect(await columnsOf('2')).toEqual({ ids: ['ADC1', 'ADC2'], row: [302, 303], start: 300 / RATE, units: ['V', 'V'] });
    expect(await columnsOf('1')).toEqual({ ids: ['A', 'B'], row: [300, 301], start: 600 / RATE, units: ['uV', 'uV'] });
  });

  it('a SYNC channel after ADC channels is refused, as neo (a non-ADC channel after the ADC block)', async () => {
    const input = pickedFiles('run', folder([{ folder: 'Board-100.Data', channels: ['CH1', 'ADC1', 'X_SYNC'] }]));
    await expectCodeAsync(getOpenephysStreams(input), 'FORMAT', /ADC channels must be contiguous/);
  });

  it('OneBox streams keep their ADC channels', async () => {
    const input = pickedFiles('run', folder([{ folder: 'OneBox-100.ADC', channels: ['ADC1', 'ADC2'] }]));
    expect(await getOpenephysStreams(input)).toEqual({ streamIds: ['0'], streamNames: [node('OneBox-100.ADC')] });
    await withRec(readOpenephys(input), async (rec) => {
      expect(rec.getChannelIds()).toEqual(['ADC1', 'ADC2']);
      expect(Array.from(rec.getChannelGains())).toEqual([0.5e6, 0.5e6]); // units '' of an ADC name: V
    });
  });

  it('refuses ADC channels that are not contiguous and a SYNC channel that is not last, as neo', async () => {
    const interleaved = pickedFiles('run', folder([{ folder: 'Board-100.Data', channels: ['ADC1', 'CH1', 'ADC2'] }]));
    await expectCodeAsync(getOpenephysStreams(interleaved), 'FORMAT', /ADC channels must be contiguous/);
    const syncFirst = pickedFiles('run', folder([{ folder: 'Probe-100.AP', channels: ['AP_SYNC', 'AP1'] }]));
    await expectCodeAsync(getOpenephysStreams(syncFirst), 'FORMAT', /SYNC channel must be the last/);
  });

  it('picks the neural stream of a neural + SYNC pair and records its name, as SpikeInterface', async () => {
    const input = pickedFiles('run', folder([{ folder: 'Probe-100.AP', channels: ['AP1', 'AP2', 'AP_SYNC'], units: 'mV' }]));
    await withRec(readOpenephys(input), async (rec) => {
      expect(rec.getChannelIds()).toEqual(['AP1', 'AP2']);
      expect(rec.getKwargs().stream_name).toBe(node('Probe-100.AP'));
      expect(Array.from(rec.getChannelGains())).toEqual([500, 500]); // 0.5 mV per bit
    });
  });
});

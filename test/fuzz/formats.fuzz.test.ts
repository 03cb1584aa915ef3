// Fuzzing the formats layer, in Node and in Chromium: real SpikeInterface output (dict dumps, JSON
// text, pickles, .npy files, a saved folder zipped) damaged in many seeded ways, binary-recording
// options and getTraces arguments drawn at random. Every input must give a value or a
// SpikewireError: never another error, never a hang (see test/helpers/fuzz.ts). Recordings that
// load are read a little and closed. On-disk targets (paths, saves): formats.fuzz.node.test.ts.
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BinaryRecordingExtractor, MemorySource, NumpyArray, load, loadFromDict, npyToColumn, numpyToPlain, pickle, readBinary, readNpy, unpickle,
  type BaseRecording,
} from '../../src/index.js';
import { fixturePath, inBrowser, readFixtureBytes, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { fuzz } from '../helpers/fuzz.js';
import { hostileValue, mutatedBytes, mutatedFolderFile, mutatedJson, type Range } from './mutate.js';

const LONG = 60_000;

// Damaged files warn (partial frames, skipped properties) thousands of times: keep the output to the tallies.
beforeAll(async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  // Node: the file system, so that the dumps' file paths open (a hidden specifier: the browser
  // build never sees Node's entry).
  const nodeEntry = '../../src/node.js';
  if (!inBrowser) await import(/* @vite-ignore */ nodeEntry);
});
afterAll(() => {
  vi.restoreAllMocks();
});

/** Reads a few frames of a recording that loaded, then closes it (a read may fail with a code). */
async function touch(rec: BaseRecording): Promise<void> {
  try {
    if (rec.getNumSegments() > 0) await rec.getTraces({ segmentIndex: 0, endFrame: Math.min(8, rec.getNumSamples(0)) });
  } finally {
    await rec.close();
  }
}

/** The folder relative paths of a case's dumps resolve against (Node); a folder that is not there in the browser. */
const baseOf = async (rel: string) => (inBrowser ? '/nowhere' : fixturePath(rel.slice(0, rel.lastIndexOf('/'))));

const DUMPS = [
  'recordings/int16_gain_offset/source.dump.json',
  'recordings/properties_annotations_zoo/source.dump.json',
  'recordings/probegroup_2probes/source.dump.json',
  'recordings/saved_from_channel_slice/saved/provenance.json',
  'recordings/float64_t_starts/source.dump.json',
  'recordings/many_segments_1ch/loaded.dump.json',
  'tutorial_small/my_recording_relative.json',
];
const PICKLES = [
  'recordings/int16_gain_offset/source.dump.pkl',
  'recordings/properties_annotations_zoo/source.dump.pkl',
  'recordings/probegroup_2probes/source.dump.pkl',
  'tutorial_small/my_recording.pkl',
];
const ZOO = 'recordings/properties_annotations_zoo/saved';

describe('fuzz: SpikeInterface dicts and JSON dumps', () => {
  it('loadFromDict of mutated fixture dumps', async () => {
    const dumps = await Promise.all(DUMPS.map(async (rel) => ({ dict: await readFixtureJson(rel), base: await baseOf(rel) })));
    const input = fc.integer({ min: 0, max: dumps.length - 1 }).chain((i) => mutatedJson(dumps[i].dict).map((dict) => ({ dict, base: dumps[i].base })));
    const tally = await fuzz('loadFromDict(mutated dump)', input, async ({ dict, base }) => touch(await loadFromDict(dict, { baseFolder: base })), { numRuns: 1200 });
    expect(tally.inputs).toBeGreaterThan(0);
  }, LONG);

  it('load of mutated JSON text', async () => {
    const texts = await Promise.all(DUMPS.slice(0, 4).map(async (rel) => ({ bytes: new TextEncoder().encode(await readFixtureText(rel)), base: await baseOf(rel) })));
    const input = fc.integer({ min: 0, max: texts.length - 1 }).chain((i) => mutatedBytes(texts[i].bytes, [], 6).map((bytes) => ({ bytes, base: texts[i].base })));
    await fuzz('load(mutated JSON text)', input, async ({ bytes, base }) => {
      const text = new TextDecoder().decode(bytes).trimStart();
      // JSON text only: load() takes any other string as a path or URL
      await touch(await load(text.startsWith('{') ? text : `{${text}`, { baseFolder: base }));
    }, { numRuns: 900 });
  }, LONG);

  it('loadFromDict of hostile kwargs for every class', async () => {
    const classes = [
      'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', 'spikeinterface.core.binaryfolder.BinaryFolderRecording',
      'spikeinterface.core.channelslice.ChannelSliceRecording', 'spikeinterface.core.frameslicerecording.FrameSliceRecording',
      'spikeinterface.core.segmentutils.SelectSegmentRecording', 'spikeinterface.core.segmentutils.AppendSegmentRecording',
      'spikeinterface.core.segmentutils.ConcatenateSegmentRecording', 'spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording',
      'spikeinterface.core.numpyextractors.NumpyRecording', '__proto__', 'constructor',
    ];
    const keys = ['file_paths', 'folder_path', 'parent_recording', 'recording', 'recording_list', 'recording_list_or_dict', 'channel_ids',
      'renamed_channel_ids', 'start_frame', 'end_frame', 'segment_indices', 'num_channels', 'num_chan', 'dtype', 'sampling_frequency',
      'file_offset', 'time_axis', 't_starts', 'gain_to_uV', 'offset_to_uV', 'is_filtered', '__proto__'];
    const kwargs = fc.dictionary(fc.constantFrom(...keys), hostileValue, { maxKeys: 6 });
    const dict = fc.record({ class: fc.constantFrom(...classes), kwargs, properties: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), hostileValue, { maxKeys: 2 })) });
    await fuzz('loadFromDict(hostile kwargs)', dict, async (d) => touch(await loadFromDict(d, { baseFolder: '/nowhere' })), { numRuns: 1200 });
  }, LONG);
});

describe('fuzz: pickles', () => {
  it('unpickle + loadFromDict of mutated fixture pickles (flips, cuts, inserted opcodes)', async () => {
    const pickles = await Promise.all(PICKLES.map(async (rel) => ({ bytes: await readFixtureBytes(rel), base: await baseOf(rel) })));
    const input = fc.integer({ min: 0, max: pickles.length - 1 }).chain((i) => mutatedBytes(pickles[i].bytes, [[0, 64]], 2).map((bytes) => ({ bytes, base: pickles[i].base })));
    await fuzz('unpickle(mutated pickle)', input, async ({ bytes, base }) => {
      const plain = numpyToPlain(unpickle(bytes));
      if (plain && typeof plain === 'object' && !Array.isArray(plain)) await touch(await loadFromDict(plain, { baseFolder: base }));
    }, { numRuns: 1500 });
  }, LONG);

  it('unpickle of mutated numpy array pickles of every dtype', async () => {
    const arrays = [
      new NumpyArray('<f8', [3], Float64Array.of(1, 2.5, -3)),
      new NumpyArray('<i8', [2, 2], BigInt64Array.of(1n, -2n, 3n, 4n)),
      new NumpyArray('>i2', [2], Int16Array.of(1, -2)),
      new NumpyArray('|b1', [3], [true, false, true]),
      new NumpyArray('<U3', [2], ['abc', 'µ']),
      new NumpyArray('|S2', [2], ['ab', 'c']),
      new NumpyArray('<c16', [1], Float64Array.of(1, -1)),
      new NumpyArray('|O', [2], [{ radius: 6 }, 'x']),
      new NumpyArray('<f4', [2, 1], Float32Array.of(1, 2), true),
    ];
    const pickles = arrays.map((a) => pickle({ value: a }));
    const input = fc.integer({ min: 0, max: pickles.length - 1 }).chain((i) => mutatedBytes(pickles[i], [], 3));
    await fuzz('unpickle(mutated numpy arrays)', input, (bytes) => numpyToPlain(unpickle(bytes)), { numRuns: 1500 });
  }, LONG);

  it('unpickle of random opcode streams', async () => {
    const op = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x28, 0x29, 0x2e, 0x5d, 0x61, 0x65, 0x71, 0x68, 0x7d, 0x73, 0x75, 0x85, 0x86, 0x87, 0x8c, 0x94, 0x52, 0x62, 0x93));
    const stream = fc.array(op, { minLength: 1, maxLength: 300 }).map((ops) => Uint8Array.from([0x80, 4, ...ops]));
    await fuzz('unpickle(random opcodes)', stream, (bytes) => numpyToPlain(unpickle(bytes)), { numRuns: 2400 });
  }, LONG);
});

describe('fuzz: .npy', () => {
  it('readNpy + npyToColumn of mutated fixture .npy files (header and data)', async () => {
    const names = ['brain_area', 'group', 'impedance_kohm', 'is_reference', 'label_obj', 'partial_str', 'quality', 'serial', 'xy_custom'];
    const files = await Promise.all(names.map((n) => readFixtureBytes(`${ZOO}/properties/${n}.npy`)));
    files.push(await readFixtureBytes('recordings/int16_time_vector/saved/times_cached_seg0.npy'));
    const input = fc.integer({ min: 0, max: files.length - 1 }).chain((i) => mutatedBytes(files[i], [[0, 128]], 4));
    await fuzz('readNpy(mutated .npy)', input, (bytes) => npyToColumn(readNpy(bytes, { name: 'fuzz.npy' })), { numRuns: 1800 });
  }, LONG);

  it('readNpy of headers with random shapes, dtypes and orders', async () => {
    const dim = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom(2 ** 31, 2 ** 40, 2 ** 53, -1));
    const descr = fc.constantFrom("'<f8'", "'<U0'", "'|V0'", "'<U99999999'", "'|O'", "'>i2'", "'|b1'", "[('a', '<f8', (1000000,))]", "[('', '|V0')]", "'<c16'", "'x'", '[]');
    const header = fc.record({ descr, fortran: fc.boolean(), shape: fc.array(dim, { maxLength: 4 }), data: fc.integer({ min: 0, max: 64 }) }).map(({ descr: d, fortran, shape, data }) => {
      const text = `{'descr': ${d}, 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`.padEnd(245) + '\n';
      const head = new TextEncoder().encode(text);
      return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, head.length & 0xff, head.length >> 8, ...head, ...new Uint8Array(data)]);
    });
    await fuzz('readNpy(random header)', header, (bytes) => readNpy(bytes), { numRuns: 1500 });
  }, LONG);
});

describe('fuzz: saved folders picked in a browser', () => {
  it('load(picked files) of a saved folder with one JSON or .npy file mutated', async () => {
    const files = await readFixtureFolder(ZOO);
    const input = mutatedFolderFile(files).map(({ name, bytes }) => new Map([...files, [name, bytes]]));
    await fuzz('load(mutated picked folder)', input, async (folder) => touch(await load(pickedFiles('saved', folder))), { numRuns: 400 });
  }, LONG);

  it('save to a zip Blob and to memory with hostile property keys', async () => {
    const rec = await load(pickedFiles('saved', await readFixtureFolder('recordings/multi_columns_probe/saved')));
    const key = fc.oneof(fc.constantFrom('../../../x', 'a/b', 'a\\b', '/abs', 'nul\u0000', '__proto__', '..', 'x'.repeat(300)), fc.string({ maxLength: 10 }));
    const input = fc.record({ keys: fc.array(key, { maxLength: 3 }), format: fc.constantFrom('zip', 'memory') });
    await fuzz('save(zip Blob / memory, hostile keys)', input, async ({ keys, format }) => {
      const view = rec.frameSlice(0, 20);
      for (const k of keys) if (k !== '') view.setProperty(k, new Array(13).fill(0));
      await touch(await view.save({ format: format as 'zip' }));
    }, { numRuns: 150 });
    await rec.close();
  }, LONG);
});

describe('fuzz: zips', () => {
  /** The fixture folder zipped, stored or deflated, with the byte ranges of its directory and local headers. */
  async function zipWithRanges(deflate: boolean): Promise<{ zip: Uint8Array; hot: Range[] }> {
    const files = await readFixtureFolder('recordings/multi_columns_probe/saved');
    const zip = zipSync(Object.fromEntries([...files].map(([p, b]) => [p, [b, { level: deflate && !p.endsWith('.raw') ? 6 : 0 }]])) as never);
    const view = new DataView(zip.buffer);
    const eocd = zip.length - 22;
    const dirOffset = view.getUint32(eocd + 16, true);
    const hot: Range[] = [[dirOffset, zip.length]];
    for (let p = dirOffset; p < eocd; ) {
      const n = view.getUint16(p + 28, true);
      const header = view.getUint32(p + 42, true);
      hot.push([header, header + 30 + n]);
      p += 46 + n + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    }
    return { zip, hot };
  }

  for (const deflate of [false, true]) {
    it(`load of a mutated zip of a saved folder (${deflate ? 'deflated' : 'stored'}): cuts and flips in the directory and local headers`, async () => {
      const { zip, hot } = await zipWithRanges(deflate);
      await fuzz(`load(mutated ${deflate ? 'deflated' : 'stored'} zip)`, mutatedBytes(zip, hot, 4), async (bytes) => touch(await load(bytes)), { numRuns: 700 });
    }, LONG);
  }
});

describe('fuzz: binary recordings', () => {
  it('BinaryRecordingExtractor.open / readBinary with random options on memory sources', async () => {
    // Mostly plausible values (so that many inputs open and are read), some hostile ones.
    const options = fc.record({
      numChannels: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 16 }) }, fc.integer({ min: -2, max: 400 }), fc.constantFrom(2 ** 20, 2 ** 20 + 1, 2 ** 31, 2 ** 53, 1.5, Number.NaN)),
      dtype: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('int16', '<i2', '>f4', '|u1', 'float64', '>u2', 'i4', 'uint8', '<f8') }, fc.constantFrom('u8', '<c8', '__proto__', 'constructor', 7)),
      fileOffset: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) }, fc.constantFrom(-1, 1e9, 2 ** 53, 0.5, undefined)),
      timeAxis: fc.constantFrom(0, 1, 0, 1, 2, -1, undefined),
      samplingFrequency: fc.oneof({ weight: 4, arbitrary: fc.double({ min: 1, max: 1e6, noNaN: true }) }, fc.constantFrom(0, -1, Number.NaN, Infinity)),
      tStarts: fc.option(fc.array(fc.oneof(fc.double(), fc.constant(null)), { maxLength: 3 }), { freq: 3 }),
      sizes: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 1, maxLength: 3 }),
      viaReadBinary: fc.boolean(),
    });
    await fuzz('BinaryRecordingExtractor.open(random options)', options, async (o) => {
      const sources = o.sizes.map((n, i) => new MemorySource(Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) & 0xff), `seg${i}.raw`));
      const opts = { sources, samplingFrequency: o.samplingFrequency, numChannels: o.numChannels, dtype: o.dtype as string, fileOffset: o.fileOffset, timeAxis: o.timeAxis as 0, tStarts: o.tStarts };
      const rec = await (o.viaReadBinary ? readBinary(opts) : BinaryRecordingExtractor.open(opts));
      for (let s = 0; s < rec.getNumSegments(); s++) await rec.getTraces({ segmentIndex: s, startFrame: 0, endFrame: Math.min(3, rec.getNumSamples(s)) });
      await rec.close();
    }, { numRuns: 1500 });
  }, LONG);

  let shared: BaseRecording | undefined;
  afterAll(() => shared?.close());

  it('getTraces with random arguments (3 segments, int ids, gains)', async () => {
    shared = await load(pickedFiles('saved', await readFixtureFolder('recordings/int16_per_channel_gains_int_ids_3seg/saved')));
    const rec = shared;
    const ids = rec.getChannelIds();
    // Mostly arguments that read (so that reads with every combination happen), some hostile ones.
    const frame = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 0, max: 400 }) }, fc.integer({ min: -10, max: 3000 }),
      fc.constantFrom(undefined, null, 2 ** 53, Number.NaN, 1.5, '5', Infinity));
    const channelIds = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 5, arbitrary: fc.shuffledSubarray([...ids], { minLength: 1 }) },
      fc.array(fc.oneof(fc.constantFrom(...ids), fc.integer({ min: -5, max: 100 }), fc.string({ maxLength: 3 })), { maxLength: 8 }),
      fc.constantFrom('abc', null, [], {}),
    );
    const out = fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      fc.tuple(fc.constantFrom(Int16Array, Float32Array, Float64Array, Uint8Array), fc.integer({ min: 0, max: 20_000 })).map(([Ctor, n]) => new Ctor(n)),
      fc.constantFrom(null, [], 'out'),
    );
    const args = fc.record({
      segmentIndex: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) }, fc.integer({ min: -2, max: 4 }), fc.constantFrom(undefined, 1.5, Number.NaN, '0')),
      startFrame: frame, endFrame: frame, channelIds,
      returnInUV: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, fc.constantFrom(undefined, 'yes', 1)), out,
    }, { requiredKeys: [] });
    await fuzz('getTraces(random arguments)', args, (a) => rec.getTraces(a as never), { numRuns: 1800 });
  }, LONG);
});

// Bad input to load(), in both projects: malformed JSON, dicts that are not SpikeInterface dicts,
// unknown classes, binary folders whose binary.json does not match their files, properties/*.npy of
// the wrong length, a probegroup.json that is not ProbeInterface, zips that are not zips or are
// truncated. Each is a SpikewireError with its code and a message naming the file (or field) and the
// problem; and nothing partially constructed escapes: every byte source opened is closed again.
// Folders are built in memory as picked File[] (what a browser gives); paths: bad-input.node.test.ts.
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MemorySource, SpikewireError, load, loadFolder, loadFromDict, writeNpy, type BaseRecording } from '../../src/index.js';
import { pickedFolder } from '../../src/store/browser-folders.js';
import { openZip } from '../../src/store/zip-folder.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { SpySource, jsonOf, pickedFiles, readFixtureFolder, spyFolder, withFiles, type FolderFiles } from '../helpers/folders.js';

const CASE = 'multi_columns_probe'; // 13 channels int16, 1,000 samples, probegroup.json, properties/
const saved = readFixtureFolder(`recordings/${CASE}/saved`);
const TRACES = 'traces_cached_seg0.raw';

/** The saved folder with some files changed; `json` edits a JSON file's parsed value. */
async function variant(changes: Record<string, Uint8Array | string | null> = {}, json: Record<string, (v: any) => void> = {}): Promise<FolderFiles> {
  const files = await saved;
  const edits: Record<string, Uint8Array | string | null> = { ...changes };
  for (const [path, edit] of Object.entries(json)) {
    const value = jsonOf(files, path);
    edit(value);
    edits[path] = JSON.stringify(value);
  }
  return withFiles(files, edits);
}

/**
 * Loads `files` three ways that must all fail alike: load(File[]), and loadFolder() of a reader whose
 * byte sources are spied on (every one opened must be closed again).
 */
async function expectBadFolder(files: FolderFiles, code: string, ...patterns: RegExp[]): Promise<SpikewireError> {
  const error = await expectCodeAsync(load(pickedFiles('saved', files)), code);
  for (const p of patterns) expect(error.message).toMatch(p);
  const reader = spyFolder(pickedFolder(pickedFiles('saved', files)));
  const again = await expectCodeAsync(loadFolder(reader), code);
  expect(again.message).toBe(error.message);
  for (const source of reader.opened) expect(source.closed, `${source.name} left open`).toBeGreaterThan(0);
  return error;
}

describe('malformed JSON', () => {
  it('JSON text: FORMAT naming the JSON text and the parser error', async () => {
    await expectCodeAsync(load('{"class": "spikeinterface.core.binaryfolder.BinaryFolderRecording", '), 'FORMAT', /the JSON text is not valid JSON/);
    await expectCodeAsync(load('{ not json }'), 'FORMAT', /the JSON text is not valid JSON/);
  });

  it('si_folder.json, binary.json and probegroup.json of a folder: FORMAT naming the file', async () => {
    await expectBadFolder(await variant({ 'si_folder.json': '{"class": ' }), 'FORMAT', /saved\/si_folder\.json is not valid JSON/);
    await expectBadFolder(await variant({ 'si_folder.json': null, 'binary.json': '{"kwargs": {' }), 'FORMAT', /saved\/binary\.json is not valid JSON/);
    await expectBadFolder(await variant({ 'binary.json': '[1, 2' }), 'FORMAT', /saved\/binary\.json is not valid JSON/);
    await expectBadFolder(await variant({ 'probegroup.json': '{"specification": "probeinterface", "probes": [' }), 'FORMAT', /saved\/probegroup\.json/);
  });
});

describe('dicts that are not SpikeInterface extractor dicts', () => {
  it('no class, no kwargs: FORMAT naming what is missing', async () => {
    await expectCodeAsync(load({ kwargs: {} }), 'FORMAT', /not a SpikeInterface extractor dict: it has no class/);
    await expectCodeAsync(load({ class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording' }), 'FORMAT', /it has no kwargs/);
    await expectCodeAsync(load({ module: 'spikeinterface' }), 'FORMAT', /it has no class or kwargs/);
    await expectCodeAsync(loadFromDict([1, 2]), 'FORMAT', /not a SpikeInterface extractor dict/);
    await expectCodeAsync(load('{"kwargs": {}}'), 'FORMAT', /^the JSON text is not a SpikeInterface extractor dict: it has no class/);
  });

  it('a nested dict without class: FORMAT', async () => {
    const dict = {
      class: 'spikeinterface.core.channelslice.ChannelSliceRecording', module: 'spikeinterface', version: '0.105.0',
      kwargs: { parent_recording: { kwargs: {} }, channel_ids: [0] }, relative_paths: false,
    };
    await expectCodeAsync(load(dict), 'FORMAT', /a nested dict is not a SpikeInterface extractor dict: it has no class/);
  });

  it('an unknown class: UNSUPPORTED naming it', async () => {
    await expectCodeAsync(load({ class: 'spikeinterface.extractors.neoextractors.OpenEphysBinaryRecordingExtractor', kwargs: {} }),
      'UNSUPPORTED', /OpenEphysBinaryRecordingExtractor/);
    await expectCodeAsync(load('{"class": "my.own.Recording", "kwargs": {"folder_path": "x"}}'), 'UNSUPPORTED', /my\.own\.Recording/);
  });

  it('a folder whose si_folder.json names another class: UNSUPPORTED naming it and the folder', async () => {
    const files = await variant({}, { 'si_folder.json': (d) => (d.class = 'spikeinterface.core.zarrextractors.ZarrRecordingExtractor') });
    await expectBadFolder(files, 'UNSUPPORTED', /^saved holds a spikeinterface\.core\.zarrextractors\.ZarrRecordingExtractor/);
  });

  it('a folder whose si_folder.json or binary.json is not a dict: FORMAT naming the file', async () => {
    await expectBadFolder(await variant({ 'si_folder.json': '{"kwargs": {}}' }), 'FORMAT', /saved\/si_folder\.json is not a SpikeInterface extractor dict/);
    await expectBadFolder(await variant({ 'binary.json': '[]' }), 'FORMAT', /saved\/binary\.json does not describe a BinaryRecordingExtractor/);
    await expectBadFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.file_paths = []) }), 'FORMAT', /saved\/binary\.json: kwargs\.file_paths must list the traces files/);
  });

  it('a folder with neither si_folder.json nor binary.json: FORMAT naming the folder', async () => {
    await expectBadFolder(await variant({ 'si_folder.json': null, 'binary.json': null }), 'FORMAT', /^saved is not a SpikeInterface folder/);
  });
});

describe('a binary.json that does not match its files', () => {
  it('lists 2 traces files for a folder with 1: NOT_FOUND naming the missing file', async () => {
    const files = await variant({}, { 'binary.json': (d) => d.kwargs.file_paths.push('traces_cached_seg1.raw') });
    await expectBadFolder(files, 'NOT_FOUND', /saved\/traces_cached_seg1\.raw is missing/);
  });

  it('a traces file that is not a whole number of frames: FORMAT naming the file and the sizes', async () => {
    const traces = (await saved).get(TRACES)!;
    const error = await expectBadFolder(await variant({ [TRACES]: traces.subarray(0, traces.length - 3) }), 'FORMAT',
      /saved\/traces_cached_seg0\.raw/, /25997 bytes/, /13 channels/, /int16/);
    expect(error.message).toMatch(/binary\.json/);
    // num_channels that does not divide the file (12 × 2 bytes into 26,000)
    await expectBadFolder(await variant({}, {
      'binary.json': (d) => {
        d.kwargs.num_channels = 12;
        d.kwargs.channel_ids = d.kwargs.channel_ids.slice(0, 12);
      },
    }), 'FORMAT', /saved\/traces_cached_seg0\.raw/, /26000 bytes/, /12 channels/);
    // a file_offset that leaves a partial frame
    await expectBadFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.file_offset = 10) }), 'FORMAT', /saved\/traces_cached_seg0\.raw/, /file_offset 10/);
  });

  it('a traces file shorter than file_offset: FORMAT naming the file and the offset', async () => {
    await expectBadFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.file_offset = 26001) }), 'FORMAT',
      /saved\/traces_cached_seg0\.raw/, /26000 bytes/, /file_offset 26001/);
  });

  it('impossible kwargs (dtype, num_channels): FORMAT naming binary.json', async () => {
    await expectBadFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.dtype = '<c8') }), 'FORMAT', /saved\/binary\.json/, /c8/);
    await expectBadFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.num_channels = 0) }), 'FORMAT', /saved\/binary\.json/);
  });
});

describe('properties and probes that do not fit', () => {
  it('properties/x.npy with the wrong length: FORMAT naming the file and both lengths', async () => {
    const npy = writeNpy({ dtype: '<f8', shape: [5], values: new Float64Array(5) });
    await expectBadFolder(await variant({ 'properties/x.npy': npy }), 'FORMAT', /saved\/properties\/x\.npy holds 5 values; the recording has 13 channels/);
    const group = writeNpy({ dtype: '<i8', shape: [14], values: new Array(14).fill(0) });
    await expectBadFolder(await variant({ 'properties/group.npy': group }), 'FORMAT', /saved\/properties\/group\.npy holds 14 values/);
  });

  it('properties/x.npy that is not a .npy file: FORMAT naming it', async () => {
    await expectBadFolder(await variant({ 'properties/x.npy': 'not numpy' }), 'FORMAT', /saved\/properties\/x\.npy/);
  });

  it('si_folder.json main properties of the wrong length: FORMAT naming si_folder.json and the property', async () => {
    const files = await variant({}, { 'si_folder.json': (d) => (d.properties.gain_to_uV = [1, 2, 3]) });
    await expectBadFolder(files, 'FORMAT', /saved\/si_folder\.json/, /gain_to_uV/);
  });

  it('a times_cached_seg0.npy of the wrong length: FORMAT naming it', async () => {
    const times = writeNpy({ dtype: '<f8', shape: [10], values: new Float64Array(10) });
    await expectBadFolder(await variant({ 'times_cached_seg0.npy': times }), 'FORMAT', /saved\/times_cached_seg0\.npy: expected 1000 float64 times/);
  });

  it('a probegroup.json that is not ProbeInterface JSON: FORMAT naming the file', async () => {
    await expectBadFolder(await variant({ 'probegroup.json': '{"hello": "world"}' }), 'FORMAT', /saved\/probegroup\.json is not a ProbeInterface file/);
    await expectBadFolder(await variant({ 'probegroup.json': '[1, 2, 3]' }), 'FORMAT', /saved\/probegroup\.json is not a ProbeInterface file/);
    await expectBadFolder(await variant({}, { 'probegroup.json': (d) => (d.probes[0].contact_positions = 'here') }), 'FORMAT', /saved\/probegroup\.json/);
  });

  it('a ProbeInterface probegroup.json that does not fit the channels: FORMAT naming the file', async () => {
    const files = await variant({}, {
      'probegroup.json': (d) => {
        const p = d.probes[0];
        for (const key of Object.keys(p)) if (Array.isArray(p[key]) && p[key].length === 13) p[key] = p[key].slice(0, 12);
      },
    });
    await expectBadFolder(files, 'FORMAT', /saved\/probegroup\.json/);
  });
});

describe('zips that are not zips', () => {
  let good: Promise<Uint8Array> | undefined;
  const goodZip = () => (good ??= (async () => {
    const rec = await load(pickedFiles('saved', await saved));
    const zipped = await rec.save({ format: 'zip' });
    await zipped.close();
    await rec.close();
    return new Uint8Array(await ((zipped as { archive?: Blob }).archive as Blob).arrayBuffer());
  })());

  /**
   * load() of the bytes, of a Blob and of a File named `name` fail alike; openZip (or, for a zip that
   * opens, the folder inside it) fails the same way and its source is closed.
   */
  async function expectBadZip(bytes: Uint8Array, code: string, pattern: RegExp, name = 'bad.zip', opens = false) {
    await expectCodeAsync(load(bytes), code, pattern);
    await expectCodeAsync(load(new Blob([bytes as Uint8Array<ArrayBuffer>])), code, pattern);
    const e = await expectCodeAsync(load(new File([bytes as Uint8Array<ArrayBuffer>], name)), code, pattern);
    expect(e.message).toContain(name);
    const spy = new SpySource(new MemorySource(bytes, name));
    if (opens) {
      const reader = await openZip(spy);
      await expectCodeAsync(loadFolder(reader), code, pattern);
      await reader.close();
    } else {
      await expectCodeAsync(openZip(spy), code, pattern);
    }
    expect(spy.closed).toBeGreaterThan(0);
  }

  it('not a zip at all: FORMAT', async () => {
    await expectBadZip(new Uint8Array(0), 'FORMAT', /is not a zip/);
    await expectBadZip(new TextEncoder().encode('just some text, long enough to hold an end record but none'), 'FORMAT', /is not a zip: no end of central directory/);
    await expectBadZip((await saved).get(TRACES)!, 'FORMAT', /is not a zip/, 'traces.zip');
  });

  it('a truncated zip: FORMAT', async () => {
    const zip = await goodZip();
    await expectBadZip(zip.subarray(0, zip.length - 10), 'FORMAT', /is not a zip|damaged|past the end/);
    await expectBadZip(zip.subarray(0, zip.length >> 1), 'FORMAT', /is not a zip|damaged|past the end/);
    // the end record kept, the entries before it cut: the central directory points past the end
    const end = zip.subarray(zip.length - 22);
    await expectBadZip(new Uint8Array([...zip.subarray(0, 1000), ...end]), 'FORMAT', /central directory lies past the end/);
  });

  it('a zip whose traces entry runs past the end of the file: FORMAT naming the entry', async () => {
    // the central directory intact, the traces cut short (the entry's bytes removed, offsets fixed)
    const zip = (await goodZip()).slice();
    const view = new DataView(zip.buffer);
    const eocd = zip.length - 22;
    const dirOffset = view.getUint32(eocd + 16, true);
    // shrink nothing but claim more: make the traces entry (the first) 1 MB long
    expect(view.getUint32(dirOffset, true)).toBe(0x02014b50);
    const entryName = new TextDecoder().decode(zip.subarray(dirOffset + 46, dirOffset + 46 + view.getUint16(dirOffset + 28, true)));
    expect(entryName).toBe(TRACES);
    view.setUint32(dirOffset + 20, 1 << 20, true);
    view.setUint32(dirOffset + 24, 1 << 20, true);
    await expectBadZip(zip, 'FORMAT', new RegExp(`${TRACES.replace('.', '\\.')}: its 1048576 bytes at \\d+ run past the end of the zip`), 'bad.zip', true);
  });

  it('a zip without a recording: FORMAT naming the zip', async () => {
    const zip = zipSync({ 'notes.txt': new TextEncoder().encode('hello') });
    await expectBadZip(zip, 'FORMAT', /is not a SpikeInterface folder/, 'notes.zip', true);
  });

  it('a zip holding a bad folder: the folder error, naming the file inside the zip', async () => {
    const files = await variant({ 'properties/x.npy': writeNpy({ dtype: '<f8', shape: [2], values: new Float64Array(2) }) });
    const zip = zipSync(Object.fromEntries([...files].map(([path, bytes]) => [path, [bytes, { level: 0 }]])) as never);
    await expectCodeAsync(load(new File([zip], 'rec.zip')), 'FORMAT', /rec\.zip\/properties\/x\.npy holds 2 values/);
    // through openZip + loadFolder with a spy: the traces entry is read from the zip's source, which
    // the recording never got to own: closing the reader releases it
    const spy = new SpySource(new MemorySource(zip, 'rec.zip'));
    const reader = await openZip(spy);
    await expectCodeAsync(loadFolder(reader), 'FORMAT', /rec\.zip\/properties\/x\.npy/);
    await reader.close();
    expect(spy.closed).toBeGreaterThan(0);
  });
});

describe('load() of things it does not take', () => {
  it('INVALID_ARGUMENT naming what it got', async () => {
    await expectCodeAsync(load(42), 'INVALID_ARGUMENT', /got/);
    await expectCodeAsync(load(null), 'INVALID_ARGUMENT', /got/);
    await expectCodeAsync(load([]), 'FORMAT', /not a SpikeInterface extractor dict/);
  });

  it('a recording loaded and closed after a failure elsewhere still works (nothing shared)', async () => {
    // a good load after failures: nothing left in a broken state
    await expectCodeAsync(load(pickedFiles('saved', await variant({ 'properties/x.npy': 'bad' }))), 'FORMAT');
    const rec: BaseRecording = await load(pickedFiles('saved', await saved));
    expect(rec.getNumChannels()).toBe(13);
    expect((await rec.getTraces({ endFrame: 5 })).shape).toEqual([5, 13]);
    await rec.close();
  });
});

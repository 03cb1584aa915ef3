// Hostile input to the formats layer, in both projects: dicts whose kwargs have the wrong type or
// size a computation (channel counts, nesting), pickles that nest 100,000 levels or claim terabytes,
// zips whose directory lies or whose names leave the folder, .npy headers that claim huge shapes.
// Each is a SpikewireError with a code and a message naming the value, found before any large
// allocation; nothing half-built escapes. Saving names that would leave a folder: hostile-input.node.test.ts.
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  BinaryRecordingExtractor, MemorySource, NumpyArray, NumpyRecording, load, loadFolder, loadFromDict, pickle, readNpy, unpickle,
} from '../../src/index.js';
import { openZip } from '../../src/store/zip-folder.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { SpySource, readFixtureFolder } from '../helpers/folders.js';

const saved = readFixtureFolder('recordings/multi_columns_probe/saved'); // 13 int16 channels, 1,000 samples
const CLASS = {
  append: 'spikeinterface.core.segmentutils.AppendSegmentRecording',
  concatenate: 'spikeinterface.core.segmentutils.ConcatenateSegmentRecording',
  aggregate: 'spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording',
  folder: 'spikeinterface.core.binaryfolder.BinaryFolderRecording',
  frameSlice: 'spikeinterface.core.frameslicerecording.FrameSliceRecording',
  binary: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor',
};
const dict = (cls: string, kwargs: Record<string, unknown>) => ({ class: cls, module: 'spikeinterface', kwargs });
const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(new TextEncoder().encode(p)) : p)));

describe('dicts whose kwargs have the wrong type', () => {
  it('recording_list null or a string (Append, Concatenate): FORMAT naming the key and the value', async () => {
    for (const cls of [CLASS.append, CLASS.concatenate]) {
      await expectCodeAsync(loadFromDict(dict(cls, { recording_list: null })), 'FORMAT', /loadFromDict: kwargs\.recording_list .* must be a non-empty list of recording dicts, got null/);
      await expectCodeAsync(loadFromDict(dict(cls, { recording_list: 'abc' })), 'FORMAT', /kwargs\.recording_list .*got "abc"/);
      await expectCodeAsync(load(dict(cls, { recording_list: [] })), 'FORMAT', /kwargs\.recording_list/);
    }
  });

  it('recording_list_or_dict null, a string or empty (Aggregation): FORMAT naming the key', async () => {
    await expectCodeAsync(loadFromDict(dict(CLASS.aggregate, { recording_list_or_dict: null })), 'FORMAT', /kwargs\.recording_list_or_dict .* list or dict of recording dicts, got null/);
    await expectCodeAsync(loadFromDict(dict(CLASS.aggregate, { recording_list_or_dict: 'xyz' })), 'FORMAT', /kwargs\.recording_list_or_dict .*got "xyz"/);
    await expectCodeAsync(loadFromDict(dict(CLASS.aggregate, { recording_list_or_dict: {} })), 'FORMAT', /kwargs\.recording_list_or_dict/);
    await expectCodeAsync(loadFromDict(dict(CLASS.aggregate, { recording_list: 7 })), 'FORMAT', /kwargs\.recording_list .*got 7/);
  });

  it('folder_path given as an object or a number: FORMAT naming folder_path', async () => {
    await expectCodeAsync(loadFromDict(dict(CLASS.folder, { folder_path: { a: 1 } })), 'FORMAT', /kwargs\.folder_path of a BinaryFolderRecording must be a path, got Object/);
    await expectCodeAsync(load(dict(CLASS.folder, { folder_path: 12 })), 'FORMAT', /kwargs\.folder_path .*got 12/);
  });

  it('loadFolder / BinaryFolderRecording.open of something that is no folder: INVALID_ARGUMENT naming what it got', async () => {
    const { BinaryFolderRecording } = await import('../../src/index.js');
    for (const folder of [{ a: 1 }, 12, null, '']) {
      await expectCodeAsync(loadFolder(folder as never), 'INVALID_ARGUMENT', /loadFolder expects a folder path or a folder reader, got/);
      await expectCodeAsync(BinaryFolderRecording.open(folder as never), 'INVALID_ARGUMENT', /BinaryFolderRecording\.open expects a folder path or a folder reader/);
    }
  });

  it('a directory handle that is none, a listing that throws, a URL that is none: coded errors', async () => {
    for (const handle of [{ kind: 'directory' }, { kind: 'directory', name: 'x', getFileHandle: () => 0, keys: 5 }]) {
      await expectCodeAsync(load(handle), 'INVALID_ARGUMENT', /expected a FileSystemDirectoryHandle/);
    }
    const failing = {
      kind: 'directory', name: 'broken', getDirectoryHandle: async () => failing, getFileHandle: async () => { throw new Error('gone'); },
      async *keys() {
        throw new Error('permission revoked');
      },
    };
    await expectCodeAsync(load(failing), 'IO', /cannot list broken\/: permission revoked/);
    await expectCodeAsync(load('http://'), 'INVALID_ARGUMENT', /"http:\/\/" is not a valid URL/);
  });

  it("dtype '__proto__' / 'constructor' / 'toString': INVALID_ARGUMENT naming the dtype, not a prototype member", async () => {
    for (const dtype of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      await expectCodeAsync(loadFromDict(dict(CLASS.binary, { file_paths: ['x.raw'], sampling_frequency: 1000, num_channels: 2, dtype })),
        'INVALID_ARGUMENT', new RegExp(`dtype "${dtype}" is not a sample type`));
      await expectCodeAsync(BinaryRecordingExtractor.open({ sources: [new MemorySource(new Uint8Array(8))], samplingFrequency: 1, numChannels: 2, dtype }),
        'INVALID_ARGUMENT', new RegExp(`dtype "${dtype}"`));
    }
  });

  it('a 1 MB string as gain_to_uV (kwarg or property): a short coded message, no stack overflow', async () => {
    const long = 'x'.repeat(1 << 20);
    const a = await expectCodeAsync(loadFromDict(dict(CLASS.binary, { file_paths: ['x.raw'], sampling_frequency: 1000, num_channels: 2, dtype: '<i2', gain_to_uV: long })),
      'INVALID_ARGUMENT', /gainToUV must be a number or one number per channel, got "x{200}"… \(1048576 characters\)/);
    expect(a.message.length).toBeLessThan(400);
    const rec = new NumpyRecording({ tracesList: [new Int16Array(4)], samplingFrequency: 1000, numChannels: 2 });
    const b = expectCode(() => rec.setProperty('gain_to_uV', long as never), 'INVALID_ARGUMENT', /property "gain_to_uV" must be an array or a typed array/);
    expect(b.message.length).toBeLessThan(400);
    // a long list of strings (numpy's '<U' width is computed without a spread over the list)
    expectCode(() => rec.setProperty('names', new Array(200_000).fill('ab')), 'INVALID_ARGUMENT', /has 200000 values, expected 2/);
  });

  it('nested recordings deeper than 100 levels: FORMAT saying the limit', async () => {
    let d: unknown = dict(CLASS.binary, { file_paths: ['x.raw'], sampling_frequency: 1000, num_channels: 2, dtype: '<i2' });
    for (let i = 0; i < 150; i++) d = dict(CLASS.frameSlice, { parent_recording: d, start_frame: 0, end_frame: 1 });
    await expectCodeAsync(loadFromDict(d), 'FORMAT', /recordings nest more than 100 levels deep/);
  });

  it('lists nested 100,000 deep (a dict or JSON text): FORMAT, no stack overflow', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const d = { ...dict(CLASS.folder, { folder_path: 'x' }), annotations: { deep } };
    await expectCodeAsync(loadFromDict(d), 'FORMAT', /the dict nests lists and dicts more than 1000 levels deep/);
    const text = `{"class": "${CLASS.folder}", "kwargs": {"folder_path": "x"}, "annotations": {"deep": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    await expectCodeAsync(load(text), 'FORMAT', /the JSON text nests lists and dicts more than 1000 levels deep/);
  });

  it('a nested recording that fails: the recordings already built are closed', async () => {
    const good = await load((await zipOf()).slice());
    await good.close();
    // Append of a good zip folder and a bad one: the good one's zip is opened, then must be closed.
    const spy = new SpySource(new MemorySource(await zipOf(), 'good.zip'));
    const reader = await openZip(spy);
    const { registerRecordingClass } = await import('../../src/index.js');
    registerRecordingClass('test.hostile.ZipFolder', async () => loadFolder(reader));
    const d = dict(CLASS.append, { recording_list: [dict('test.hostile.ZipFolder', {}), dict(CLASS.folder, { folder_path: null })] });
    await expectCodeAsync(loadFromDict(d), 'FORMAT', /folder_path/);
    expect(spy.closed, 'the good recording was closed').toBeGreaterThan(0);
    await reader.close();
  });
});

describe("'__proto__' and other prototype names as keys", () => {
  it('annotations: own keys only, the prototype never changes', () => {
    const rec = new NumpyRecording({ tracesList: [new Int16Array(4)], samplingFrequency: 1000, numChannels: 2 });
    rec.annotate(JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}'));
    expect(rec.getAnnotation('__proto__')).toEqual({ polluted: true });
    expect(rec.getAnnotation('polluted')).toBeUndefined();
    expect(rec.getAnnotationKeys()).toContain('__proto__');
    for (const key of ['toString', 'constructor', 'hasOwnProperty']) expect(rec.getAnnotation(key), key).toBeUndefined();
    rec.setAnnotation('constructor', 1); // not "already an annotation key"
    expect(rec.getAnnotation('constructor')).toBe(1);
  });

  it("a '__proto__' kwarg stays a kwarg: it cannot supply folder_path", async () => {
    const d = JSON.parse(`{"class": "${CLASS.folder}", "kwargs": {"__proto__": {"folder_path": "elsewhere"}}, "relative_paths": true}`);
    await expectCodeAsync(loadFromDict(d, { baseFolder: '/base' }), 'FORMAT', /kwargs\.folder_path of a BinaryFolderRecording must be a path, got undefined/);
  });
});

describe('channel counts that size a computation', () => {
  const source = (n: number) => new MemorySource(new Uint8Array(n), 'traces.raw');

  it('numChannels 2**53 and 2**31: INVALID_ARGUMENT saying the limit, at once', async () => {
    for (const numChannels of [2 ** 53, 2 ** 31, 2 ** 20 + 1]) {
      const t0 = Date.now();
      await expectCodeAsync(BinaryRecordingExtractor.open({ sources: [source(16_000)], samplingFrequency: 1, numChannels, dtype: 'int16' }),
        'INVALID_ARGUMENT', new RegExp(`numChannels ${numChannels} is more than spikewire's limit of 1048576 channels`));
      expect(Date.now() - t0).toBeLessThan(1000);
    }
    await expectCodeAsync(loadFromDict(dict(CLASS.binary, { file_paths: ['x.raw'], sampling_frequency: 1000, num_channels: 2 ** 53, dtype: '<i2', channel_ids: null })),
      'INVALID_ARGUMENT', /numChannels 9007199254740992 is more than spikewire's limit/);
  });

  it('NumpyRecording with numChannels 2**31 and empty traces: INVALID_ARGUMENT saying the limit', () => {
    expectCode(() => new NumpyRecording({ tracesList: [new Int16Array(0)], samplingFrequency: 1000, numChannels: 2 ** 31 }),
      'INVALID_ARGUMENT', /numChannels 2147483648 is more than spikewire's limit of 1048576 channels/);
  });

  it('more channels than the file holds for one sample: INVALID_ARGUMENT naming the file and what it holds', async () => {
    // 16,000 bytes of int16 hold at most 8,000 channels of one sample
    await expectCodeAsync(BinaryRecordingExtractor.open({ sources: [source(16_000)], samplingFrequency: 1, numChannels: 8001, dtype: 'int16' }),
      'INVALID_ARGUMENT', /numChannels 8001 does not fit "traces\.raw": its 16000 bytes after fileOffset 0 hold at most 8000 int16 channels/);
    const rec = await BinaryRecordingExtractor.open({ sources: [source(16_000)], samplingFrequency: 1, numChannels: 8000, dtype: 'int16' });
    expect([rec.getNumChannels(), rec.getNumSamples()]).toEqual([8000, 1]);
  });

  it('an empty file is a zero-sample segment for any count up to the limit (as SpikeInterface)', async () => {
    const rec = await BinaryRecordingExtractor.open({ sources: [source(0)], samplingFrequency: 1, numChannels: 1000, dtype: 'float32' });
    expect([rec.getNumChannels(), rec.getNumSamples()]).toEqual([1000, 0]);
  });
});

describe('pickles', () => {
  it('100,000 nested lists, and a dict key of 100,000 nested tuples: FORMAT, no stack overflow', () => {
    const lists = [0x80, 4, ...new Array(100_000).fill(0x5d), ...new Array(99_999).fill(0x61), 0x2e];
    expectCode(() => unpickle(Uint8Array.from(lists)), 'FORMAT', /nests containers more than 1000 levels deep/);
    const key = [0x80, 4, 0x7d, 0x4e, ...new Array(100_000).fill(0x85), 0x4e, 0x73, 0x2e];
    expectCode(() => unpickle(Uint8Array.from(key)), 'FORMAT', /nests tuples more than 1000 levels deep/);
  });

  it('protocol 0 \\U00110000 (beyond Unicode): FORMAT naming the escape', () => {
    expectCode(() => unpickle(bytes('V\\U00110000\n.')), 'FORMAT', /\\U00110000 is not a Unicode code point/);
    expect(unpickle(bytes('V\\U0010ffff\n.'))).toBe('\u{10ffff}');
  });

  it('lengths beyond the data (BINUNICODE8, BINBYTES8, BYTEARRAY8, BINBYTES): FORMAT before any allocation', () => {
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0];
    for (const op of [0x8d, 0x8e, 0x96]) expectCode(() => unpickle(Uint8Array.from([0x80, 4, op, ...huge, 0x2e])), 'FORMAT', /truncated: .*needs 281474976710655 more bytes/);
    expectCode(() => unpickle(Uint8Array.from([0x80, 4, 0x42, 0xff, 0xff, 0xff, 0xff, 0x2e])), 'FORMAT', /needs 4294967295 more bytes/);
  });

  it('an array shape of 2**40 items with no data: FORMAT before any allocation', () => {
    const p = bytes("cnumpy.core.multiarray\n_reconstruct\n(cnumpy\nndarray\n(I1099511627776\ntS'b'\ntR.");
    expectCode(() => unpickle(p), 'FORMAT', /an array of 1099511627776 items of 1 bytes, more than the 1 bytes left/);
  });

  it("text too long for Python: a 1 MB global name, a 1 MB INT, a memo index of 20 digits", () => {
    const global = expectCode(() => unpickle(bytes(`c${'a'.repeat(1 << 20)}\nb\n.`)), 'UNSUPPORTED', /refers to the global "a{200}"… \(1048578 characters\)/);
    expect(global.message.length).toBeLessThan(1000);
    expectCode(() => unpickle(bytes(`I${'1'.repeat(5000)}\n.`)), 'FORMAT', /more than 4300 decimal digits/);
    expectCode(() => unpickle(bytes('g99999999999999999999\n.')), 'FORMAT', /"99999999999999999999" is not a memo index/);
  });

  it('a unicode dtype whose item size splits a code point: FORMAT', () => {
    const p = pickle(new NumpyArray('<U3', [4], ['abc', 'de', 'f', '']));
    // the dtype's BUILD state holds elsize 12 then alignment 4 (BININT1 12, BININT1 4)
    const at = p.findIndex((_, i) => p[i] === 0x4b && p[i + 1] === 12 && p[i + 2] === 0x4b && p[i + 3] === 4);
    expect(at).toBeGreaterThan(0);
    for (const elsize of [6, 5, 3]) {
      const bad = p.slice();
      bad[at + 1] = elsize;
      expectCode(() => unpickle(bad), 'FORMAT', new RegExp(`dtype item size ${elsize} for kind U`));
    }
  });

  it('an APPENDS of 300,000 items: the list, no stack overflow', () => {
    const p = Uint8Array.from([0x80, 4, 0x5d, 0x28, ...new Array(300_000).fill(0x4e), 0x65, 0x2e]);
    const list = unpickle(p) as unknown[];
    expect(list.length).toBe(300_000);
    expect(list[299_999]).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------
// Zips

/** The fixture folder zipped (stored; `deflate` deflates the small files). */
async function zipOf(deflate = false): Promise<Uint8Array> {
  const files = await saved;
  return zipSync(Object.fromEntries([...files].map(([p, b]) => [p, [b, { level: deflate && !p.endsWith('.raw') ? 6 : 0 }]])) as never);
}

/** The offsets of the end record and the central directory of a zip. */
function layout(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  return { view, eocd, count: view.getUint16(eocd + 10, true), dirSize: view.getUint32(eocd + 12, true), dirOffset: view.getUint32(eocd + 16, true) };
}

/** The central directory records of a zip: name, record offset, local header offset. */
function records(zip: Uint8Array) {
  const { view, count, dirOffset } = layout(zip);
  const out: { name: string; at: number; header: number }[] = [];
  for (let p = dirOffset, i = 0; i < count; i++) {
    const n = view.getUint16(p + 28, true);
    out.push({ name: new TextDecoder().decode(zip.subarray(p + 46, p + 46 + n)), at: p, header: view.getUint32(p + 42, true) });
    p += 46 + n + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return out;
}

describe('zips that lie', () => {
  it('an end record that claims more entries than the directory holds: FORMAT, not a RangeError', async () => {
    const zip = (await zipOf()).slice();
    const { view, eocd, count } = layout(zip);
    view.setUint16(eocd + 8, count + 5, true);
    view.setUint16(eocd + 10, count + 5, true);
    await expectCodeAsync(openZip(zip), 'FORMAT', /damaged central directory/);
  });

  it('a central directory cut short, or with a name running past its end: FORMAT', async () => {
    const zip = (await zipOf()).slice();
    const { view, eocd, dirSize } = layout(zip);
    const cut = zip.slice();
    new DataView(cut.buffer).setUint32(eocd + 12, dirSize - 30, true);
    await expectCodeAsync(openZip(cut), 'FORMAT', /damaged central directory/);
    const last = records(zip).at(-1)!;
    view.setUint16(last.at + 28, 0xfff0, true);
    await expectCodeAsync(openZip(zip), 'FORMAT', /damaged central directory/);
  });

  it('entry names with "..", absolute paths, drive letters or backslashes: FORMAT naming the entry', async () => {
    for (const name of ['../binary.json', 'properties/../../x.npy', '/etc/binary.json', 'C:/binary.json', 'properties\\x.npy', 'a/./b.json']) {
      const zip = zipSync({ 'binary.json': bytes('{}'), [name]: bytes('x') });
      const error = await expectCodeAsync(openZip(new MemorySource(zip, 'names.zip')), 'FORMAT', /names\.zip holds an entry named/);
      expect(error.message).toContain(JSON.stringify(name));
    }
  });

  it('a corrupt deflated entry: FORMAT naming the entry (fflate errors wrapped)', async () => {
    const zip = (await zipOf(true)).slice();
    const entry = records(zip).find((r) => r.name === 'binary.json')!;
    const { view } = layout(zip);
    expect(view.getUint16(entry.header + 8, true)).toBe(8); // deflated
    const data = entry.header + 30 + view.getUint16(entry.header + 26, true) + view.getUint16(entry.header + 28, true);
    zip.fill(0xff, data, data + 8); // an invalid block
    await expectCodeAsync(load(new File([zip], 'bad.zip')), 'FORMAT', /bad\.zip\/binary\.json (is damaged|holds|fails)/);
  });

  it('a deflated entry that claims 4 GB: FORMAT before inflating', async () => {
    const zip = (await zipOf(true)).slice();
    const entry = records(zip).find((r) => r.name === 'binary.json')!;
    layout(zip).view.setUint32(entry.at + 24, 0xfffffff0, true);
    await expectCodeAsync(load(new File([zip], 'bomb.zip')), 'FORMAT', /bomb\.zip\/binary\.json claims 4294967280 bytes from \d+ deflated bytes/);
  });

  it('a byte flipped in a stored JSON entry: FORMAT (CRC-32)', async () => {
    const zip = (await zipOf()).slice();
    const entry = records(zip).find((r) => r.name === 'binary.json')!;
    const { view } = layout(zip);
    const data = entry.header + 30 + view.getUint16(entry.header + 26, true) + view.getUint16(entry.header + 28, true);
    zip[data + 20] ^= 0x01;
    await expectCodeAsync(load(new File([zip], 'flip.zip')), 'FORMAT', /flip\.zip\/binary\.json fails its CRC-32 check/);
  });

  it('deflated entries that inflate to their sizes load as before', async () => {
    const rec = await load(await zipOf(true));
    expect([rec.getNumChannels(), rec.getNumSamples()]).toEqual([13, 1000]);
    await rec.close();
    // fflate's own deflate of one entry, as a sanity check of the helper's input
    expect(deflateSync(bytes('{}')).length).toBeGreaterThan(0);
  });
});

describe('.npy headers that claim huge shapes', () => {
  const npy = (header: string, data = new Uint8Array(0)) => {
    const text = `${header}`.padEnd(117, ' ') + '\n';
    return bytes([0x93], 'NUMPY', [1, 0, text.length & 0xff, text.length >> 8], text, Array.from(data));
  };

  it('a shape of 2**40 float64s over 8 bytes: FORMAT before allocating', () => {
    expectCode(() => readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776,), }")), 'FORMAT', /more than spikewire holds in one array/);
    expectCode(() => readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000,), }", new Uint8Array(8))), 'FORMAT', /needs 8000000 bytes of data, 8 follow/);
  });

  it('2**30 items of a zero-byte dtype: FORMAT saying the limit', () => {
    expectCode(() => readNpy(npy("{'descr': '<U0', 'fortran_order': False, 'shape': (1073741824,), }")), 'FORMAT', /claims 1073741824 items of zero bytes/);
    expect(readNpy(npy("{'descr': '<U0', 'fortran_order': False, 'shape': (3,), }")).values).toEqual(['', '', '']);
  });
});

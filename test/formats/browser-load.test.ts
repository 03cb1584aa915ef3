// load() of what a browser has at hand, in both projects (the browser project in real Chromium):
// a saved folder picked as File[] (webkitRelativePath), a FileSystemDirectoryHandle (the real OPFS in
// the browser, a look-alike in Node), the folder served over HTTP (with and without an index page),
// and a zip made by save({format: 'zip'}) loaded from its Blob and from bytes, read by range; then
// save({format: 'memory'}). Each result is compared with SpikeInterface's description of the reloaded
// folder (expected.loaded).
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryFolderRecording, MemorySource, NumpyRecording, load, loadFolder, type BaseRecording } from '../../src/index.js';
import { openZip } from '../../src/store/zip-folder.js';
import { pickedFolder } from '../../src/store/browser-folders.js';
import { expectDescription, bytesOf } from '../helpers/describe-recording.js';
import { inBrowser, readFixtureJson } from '../helpers/fixtures.js';
import { rangeServerUrl } from '../helpers/http.js';
import {
  SpySource, memoryDirectoryHandle, opfsFolder, pickedFiles, readFixtureFolder, spyFolder, type FolderFiles,
} from '../helpers/folders.js';

// A probe case, the time-vector case, the property zoo (2 segments, object and string properties),
// and a few more shapes: 3 segments of int ids, float32 with string ids, t_starts, 2 probes.
const CASES = [
  'multi_columns_probe', 'int16_time_vector', 'properties_annotations_zoo', 'linear_probe_permuted',
  'int16_per_channel_gains_int_ids_3seg', 'float32_string_ids', 'float64_t_starts', 'probegroup_2probes',
];
// Their properties are all among the names a folder without an index page is probed for.
const KNOWN_PROPERTIES_ONLY = new Set(['multi_columns_probe', 'int16_time_vector', 'linear_probe_permuted', 'float32_string_ids']);

const folderCache = new Map<string, Promise<FolderFiles>>();
const savedFiles = (name: string) => {
  let p = folderCache.get(name);
  if (!p) folderCache.set(name, (p = readFixtureFolder(`recordings/${name}/saved`)));
  return p;
};
const expectedOf = (name: string) => readFixtureJson(`recordings/${name}/expected.json`);

async function withRecording<T>(rec: BaseRecording, fn: (rec: BaseRecording) => Promise<T>): Promise<T> {
  try {
    return await fn(rec);
  } finally {
    await rec.close();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => {});
});

describe.each(CASES)('fixture case %s', (name) => {
  it('loads the saved folder picked as File[] with webkitRelativePath', async () => {
    const expected = await expectedOf(name);
    const files = pickedFiles('saved', await savedFiles(name));
    const rec = await load(files);
    expect(rec).toBeInstanceOf(BinaryFolderRecording);
    expect((rec as BinaryFolderRecording).folder.name).toBe('saved');
    await withRecording(rec, (r) => expectDescription(r, expected.loaded, { view: true }));
    if (inBrowser) {
      // a real FileList (what <input webkitdirectory> gives), made through DataTransfer
      const transfer = new DataTransfer();
      for (const f of files) transfer.items.add(f);
      expect(transfer.files).toBeInstanceOf(FileList);
      expect((transfer.files[0] as File & { webkitRelativePath: string }).webkitRelativePath).toMatch(/^saved\//);
      await withRecording(await load(transfer.files), (r) => expectDescription(r, expected.loaded, { view: true }));
    }
  });

  it('loads a FileSystemDirectoryHandle (OPFS in the browser, a look-alike in Node)', async () => {
    const expected = await expectedOf(name);
    const files = await savedFiles(name);
    if (inBrowser) {
      const dir = await opfsFolder(`spikewire-${name}-${Math.random().toString(36).slice(2, 8)}`, files);
      cleanups.push(dir.remove);
      expect(dir.handle).toBeInstanceOf(FileSystemDirectoryHandle);
      await withRecording(await load(dir.handle), (r) => expectDescription(r, expected.loaded, { view: true }));
      await dir.remove();
    }
    const handle = memoryDirectoryHandle('saved', files);
    await withRecording(await load(handle), (r) => expectDescription(r, expected.loaded, { view: true }));
  });

  it('loads the folder over HTTP from a server with index pages', async () => {
    const expected = await expectedOf(name);
    const url = `${await rangeServerUrl()}/index/recordings/${name}/saved`;
    await withRecording(await load(url), (r) => expectDescription(r, expected.loaded, { view: true }));
    // a URL object and a trailing slash too
    await withRecording(await load(new URL(`${url}/`)), async (r) => {
      expect(r.getChannelIds()).toEqual(expected.loaded.channel_ids.data);
      expect([...r.getPropertyKeys()].sort()).toEqual([...expected.loaded.property_keys].sort());
    });
  });

  it('loads the folder over HTTP from a server without index pages (the known file names)', async () => {
    const expected = await expectedOf(name);
    const url = `${await rangeServerUrl()}/range/recordings/${name}/saved/`;
    await withRecording(await load(url), async (r) => {
      if (KNOWN_PROPERTIES_ONLY.has(name)) {
        await expectDescription(r, expected.loaded, { view: true });
        return;
      }
      // Only the properties SpikeInterface always writes can be found without a listing; the rest
      // of the recording is whole.
      const known = ['gain_to_uV', 'offset_to_uV', 'group', 'location', 'contact_vector'];
      const want = expected.loaded.property_keys.filter((k: string) => known.includes(k));
      expect([...r.getPropertyKeys()].sort()).toEqual([...want].sort());
      const d = { ...expected.loaded, property_keys: want };
      await expectDescription(r, d, { view: true });
    });
  });

  it('save({format: "zip"}) gives a Blob that load() opens from the Blob and from bytes', async () => {
    const expected = await expectedOf(name);
    const source = await load(pickedFiles('saved', await savedFiles(name)));
    const saved = (await source.save({ format: 'zip' })) as BinaryFolderRecording;
    try {
      expect(saved).toBeInstanceOf(BinaryFolderRecording);
      expect(saved.archive).toBeInstanceOf(Blob);
      const archive = saved.archive as Blob;
      expect(archive.type).toBe('application/zip');
      await expectDescription(saved, expected.loaded, { view: true });
      await source.close();

      const fromBlob = (await load(archive)) as BinaryFolderRecording;
      expect(fromBlob.archive).toBe(archive);
      await withRecording(fromBlob, (r) => expectDescription(r, expected.loaded, { view: true }));

      const bytes = new Uint8Array(await archive.arrayBuffer());
      await withRecording(await load(bytes), (r) => expectDescription(r, expected.loaded, { view: true }));
      await withRecording(await load(bytes.buffer), (r) => expectDescription(r, expected.loaded, { view: true }));
      // a File named .zip, as picked with <input type=file>
      await withRecording(await load(new File([archive], `${name}.zip`)), (r) => expectDescription(r, expected.loaded, { view: true }));
    } finally {
      await saved.close();
      await source.close();
    }
  });

  it('save({format: "memory"}) is an in-memory copy with the same samples and metadata', async () => {
    const expected = await expectedOf(name);
    const source = await load(pickedFiles('saved', await savedFiles(name)));
    const copy = await source.save({ format: 'memory' });
    await source.close(); // the copy needs nothing of its source
    expect(copy).toBeInstanceOf(NumpyRecording);
    await withRecording(copy, async (r) => {
      await expectDescription(r, expected.loaded, { view: true, repr: false });
      expect(r.toString()).toMatch(/^(\S+ \()?NumpyRecording\)?: /);
    });
  });
});

/** A Blob that records the ranges sliced out of it. */
class CountingBlob extends Blob {
  slices: [start: number, end: number][] = [];
  override slice(start?: number, end?: number, contentType?: string): Blob {
    this.slices.push([start ?? 0, end ?? this.size]);
    return super.slice(start, end, contentType);
  }
  get bytesSliced() {
    return this.slices.reduce((n, [a, b]) => n + (b - a), 0);
  }
}

describe('an HTTP folder: small files fetched, traces read by range', () => {
  it('never GETs a traces file whole', async () => {
    const name = 'numpy_source_neuropixels_384';
    const traces = (await savedFiles(name)).get('traces_cached_seg0.raw')!;
    const requests: { url: string; method: string; range: string | null }[] = [];
    const realFetch = globalThis.fetch;
    const recording = ((input: RequestInfo | URL, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      requests.push({ url: String(input instanceof Request ? input.url : input), method: init?.method ?? 'GET', range: headers.get('range') });
      return realFetch(input, init);
    }) as typeof fetch;
    globalThis.fetch = recording;
    let rec: BaseRecording;
    try {
      rec = await load(`${await rangeServerUrl()}/index/recordings/${name}/saved`);
    } finally {
      globalThis.fetch = realFetch;
    }
    try {
      const fetched = (file: string) => requests.filter((r) => r.url.endsWith(`/saved/${file}`));
      expect(fetched('si_folder.json').map((r) => r.method)).toContain('GET');
      expect(fetched('binary.json').map((r) => r.method)).toContain('GET');
      // the traces file: its size (HEAD or a small range), then nothing until traces are asked for
      const onTraces = () => fetched('traces_cached_seg0.raw');
      expect(onTraces().every((r) => r.method === 'HEAD' || r.range !== null)).toBe(true);
      const frameBytes = rec.getNumChannels() * 2;
      globalThis.fetch = recording;
      const before = onTraces().length;
      const t = await rec.getTraces({ startFrame: 10, endFrame: 20 });
      expect(bytesOf(t.data)).toEqual(traces.subarray(10 * frameBytes, 20 * frameBytes));
      const reads = onTraces().slice(before);
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) {
        const m = /^bytes=(\d+)-(\d+)$/.exec(r.range ?? '');
        expect(m, `a range request, got ${r.method} ${r.range}`).not.toBeNull();
        expect(Number(m![2]) - Number(m![1]) + 1).toBeLessThanOrEqual(10 * frameBytes);
      }
    } finally {
      globalThis.fetch = realFetch;
      await rec!.close();
    }
  });
});

describe('zips are read lazily: a trace window reads its bytes by range, never the whole entry', () => {
  const archives = new Map<string, Promise<Blob>>();
  const makeZip = async (name: string) => {
    const source = await load(pickedFiles('saved', await savedFiles(name)));
    const saved = (await source.save({ format: 'zip' })) as BinaryFolderRecording;
    await saved.close();
    await source.close();
    return saved.archive as Blob;
  };
  const zipOf = (name: string) => {
    if (!archives.has(name)) archives.set(name, makeZip(name));
    return archives.get(name)!;
  };

  it('load(Blob): opening reads the small files, a window slices only its frames', async () => {
    const name = 'numpy_source_neuropixels_384'; // 460,800 bytes of traces: more than the 64 KiB tail read
    const expected = await expectedOf(name);
    const traces = (await savedFiles(name)).get('traces_cached_seg0.raw')!;
    const blob = new CountingBlob([await zipOf(name)], { type: 'application/zip' });
    const rec = await load(blob);
    try {
      expect((rec as BinaryFolderRecording).archive).toBe(blob);
      // opening: the tail (≤ 64 KiB + 22, to find the central directory), the JSON and .npy files
      // and local headers, never the traces
      // opening reads the tail (to find the central directory), the JSON and .npy files and local
      // headers: never a byte of the traces, the zip's first entry
      const header = new DataView(await (await zipOf(name)).slice(0, 30).arrayBuffer());
      expect(header.getUint32(0, true)).toBe(0x04034b50);
      expect(header.getUint16(8, true)).toBe(0); // stored, not deflated
      const start = 30 + header.getUint16(26, true) + header.getUint16(28, true);
      const overlapsTraces = ([a, b]: [number, number]) => a < start + traces.length && b > start;
      expect(blob.slices.filter(overlapsTraces)).toEqual([]);
      expect(blob.slices.every(([a, b]) => b - a <= 65557 || a >= start + traces.length)).toBe(true);
      blob.slices.length = 0;
      const frameBytes = rec.getNumChannels() * 2;
      const t = await rec.getTraces({ startFrame: 100, endFrame: 150 });
      expect(t.shape).toEqual([50, rec.getNumChannels()]);
      expect(blob.bytesSliced).toBe(50 * frameBytes);
      expect(blob.slices.every((r) => overlapsTraces(r))).toBe(true);
      // the same samples as the folder's own file
      expect(bytesOf(t.data)).toEqual(traces.subarray(100 * frameBytes, 150 * frameBytes));
      blob.slices.length = 0;
      const one = await rec.getTraces({ startFrame: 599, endFrame: 600, channelIds: [rec.getChannelIds()[3]] });
      expect(one.shape).toEqual([1, 1]);
      expect(blob.bytesSliced).toBeLessThanOrEqual(frameBytes);
      expect(rec.getNumSamples(0)).toBe(expected.loaded.segments[0].num_samples);
    } finally {
      await rec.close();
    }
  });

  it('openZip(ByteSource): stored entries, a window reads only its frames', async () => {
    const name = 'multi_columns_probe';
    const bytes = new Uint8Array(await (await zipOf(name)).arrayBuffer());
    const traces = (await savedFiles(name)).get('traces_cached_seg0.raw')!;
    const spy = new SpySource(new MemorySource(bytes, 'rec.zip'));
    const reader = await openZip(spy);
    expect(reader.name).toBe('rec.zip');
    expect((await reader.list()).sort()).toEqual(
      ['binary.json', 'probegroup.json', 'properties', 'provenance.json', 'si_folder.json', 'traces_cached_seg0.raw'],
    );
    expect((await reader.list('properties')).sort()).toEqual(['gain_to_uV.npy', 'group.npy', 'offset_to_uV.npy']);
    // the traces entry is stored: its source reads by range inside the zip, the zip never read whole
    const entry = await reader.openSource('traces_cached_seg0.raw');
    expect(entry.size).toBe(traces.length);
    spy.reads.length = 0;
    const window = new Uint8Array(64);
    await entry.read(1000, window);
    expect(window).toEqual(traces.subarray(1000, 1064));
    expect(spy.reads).toHaveLength(1);
    expect(spy.reads[0][1]).toBe(64);
    await expect(entry.read(traces.length - 10, new Uint8Array(11))).rejects.toMatchObject({ code: 'IO' });

    const rec = await loadFolder(reader);
    spy.reads.length = 0;
    await rec.getTraces({ startFrame: 10, endFrame: 20 });
    expect(spy.bytesRead).toBe(10 * rec.getNumChannels() * 2);
    expect(spy.closed).toBe(0);
    await rec.close();
    expect(spy.closed).toBeGreaterThan(0); // closing the recording releases the zip
  });

  it('a recording loaded from picked files closes every source it opened', async () => {
    const reader = spyFolder(pickedFolder(pickedFiles('saved', await savedFiles('int16_per_channel_gains_int_ids_3seg'))));
    const rec = await loadFolder(reader);
    expect(reader.opened.map((s) => s.name)).toEqual(['saved/traces_cached_seg0.raw', 'saved/traces_cached_seg1.raw', 'saved/traces_cached_seg2.raw']);
    expect(reader.opened.every((s) => s.closed === 0)).toBe(true);
    await rec.close();
    expect(reader.opened.every((s) => s.closed > 0)).toBe(true);
  });
});

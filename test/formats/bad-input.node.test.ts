// Bad input given by path (Node): JSON and pickle dumps, saved folders and zips on disk that are
// broken in the ways bad-input.test.ts covers in memory. Each is a SpikewireError naming the file and
// the problem, and no file descriptor stays open after a failed load (counted in /proc/self/fd).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { load, writeNpy, type BaseRecording } from '../../src/node.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fdsUnder, fileFds } from '../helpers/fds.js';
import { jsonOf, readFixtureFolder, withFiles, type FolderFiles } from '../helpers/folders.js';
import type { SpikewireError } from '../../src/index.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-bad-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const haveProcFds = existsSync('/proc/self/fd');
/** Expects load(path) to fail with `code` (message matching every pattern) leaving no descriptor open. */
async function expectBadLoad(path: string, code: string, ...patterns: RegExp[]): Promise<SpikewireError> {
  const before = haveProcFds ? fileFds() : [];
  const beforeHere = haveProcFds ? fdsUnder(work) : [];
  const error = await expectCodeAsync(load(path), code);
  for (const p of patterns) expect(error.message).toMatch(p);
  if (haveProcFds) {
    expect(fdsUnder(work), 'descriptors left open').toEqual(beforeHere);
    const after = fileFds();
    expect(after.length, `new descriptors: ${after.filter((f) => !before.includes(f)).join(', ')}`).toBeLessThanOrEqual(before.length);
  }
  return error;
}

let counter = 0;
/** Writes `files` as a folder under the temp dir; returns its path. */
async function writeFolder(files: FolderFiles, name = `folder${++counter}`): Promise<string> {
  const root = join(work, name);
  for (const [rel, bytes] of files) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), bytes);
  }
  return root;
}
async function writeText(name: string, text: string | Uint8Array): Promise<string> {
  const path = join(work, name);
  await writeFile(path, text);
  return path;
}

// Read up front: fixture reads in flight would show up as open descriptors in the counts.
const saved = Promise.resolve(await readFixtureFolder('recordings/multi_columns_probe/saved'));
async function variant(changes: Record<string, Uint8Array | string | null>, json: Record<string, (v: any) => void> = {}) {
  const files = await saved;
  const edits = { ...changes };
  for (const [path, edit] of Object.entries(json)) {
    const value = jsonOf(files, path);
    edit(value);
    edits[path] = JSON.stringify(value);
  }
  return withFiles(files, edits);
}
const zipOf = (files: FolderFiles) => zipSync(Object.fromEntries([...files].map(([p, b]) => [p, [b, { level: 0 }]])) as never);

describe('dumps given by path', () => {
  it('malformed JSON: FORMAT naming the file', async () => {
    const path = await writeText('broken.json', '{"class": "spikeinterface.core.binaryfolder.BinaryFolderRecording", "kwargs": {');
    await expectBadLoad(path, 'FORMAT', new RegExp(`${path.replace(/[.]/g, '\\.')} is not valid JSON`));
  });

  it('a JSON dict without class or kwargs: FORMAT naming the file and what is missing', async () => {
    const noClass = await writeText('noclass.json', '{"kwargs": {}, "module": "spikeinterface"}');
    await expectBadLoad(noClass, 'FORMAT', /noclass\.json is not a SpikeInterface extractor dict: it has no class/);
    const noKwargs = await writeText('nokwargs.json', '{"class": "spikeinterface.core.binaryfolder.BinaryFolderRecording"}');
    await expectBadLoad(noKwargs, 'FORMAT', /nokwargs\.json is not a SpikeInterface extractor dict: it has no kwargs/);
    const list = await writeText('list.json', '[1, 2, 3]');
    await expectBadLoad(list, 'FORMAT', /list\.json is not a SpikeInterface extractor dict/);
  });

  it('an unknown class: UNSUPPORTED naming it', async () => {
    const path = await writeText('unknown.json', '{"class": "spikeinterface.extractors.Nope", "module": "spikeinterface", "kwargs": {}}');
    await expectBadLoad(path, 'UNSUPPORTED', /spikeinterface\.extractors\.Nope/);
  });

  it('a pickle that is not a pickle: FORMAT naming the file', async () => {
    const path = await writeText('garbage.pkl', 'this is not a pickle');
    await expectBadLoad(path, 'FORMAT', /garbage\.pkl|pickle/);
  });

  it('a missing path: NOT_FOUND; a file of another kind: UNSUPPORTED', async () => {
    await expectBadLoad(join(work, 'nothing-here'), 'NOT_FOUND', /nothing-here/);
    await expectBadLoad(await writeText('notes.txt', 'hello'), 'UNSUPPORTED', /notes\.txt/);
  });
});

describe('saved folders on disk', () => {
  it('a good folder loads and closes its descriptors (the baseline of these tests)', async () => {
    const path = await writeFolder(await saved, 'good');
    const rec: BaseRecording = await load(path);
    await rec.getTraces({ endFrame: 10 });
    await rec.close();
    if (haveProcFds) expect(fdsUnder(work)).toEqual([]);
  });

  it('malformed si_folder.json / binary.json: FORMAT naming the file', async () => {
    const a = await writeFolder(await variant({ 'si_folder.json': '{"class": ' }));
    await expectBadLoad(a, 'FORMAT', new RegExp(`${a}/si_folder\\.json is not valid JSON`));
    const b = await writeFolder(await variant({ 'si_folder.json': null, 'binary.json': '{' }));
    await expectBadLoad(b, 'FORMAT', new RegExp(`${b}/binary\\.json is not valid JSON`));
  });

  it('binary.json listing 2 files for a folder with 1: NOT_FOUND naming the missing file', async () => {
    const path = await writeFolder(await variant({}, { 'binary.json': (d) => d.kwargs.file_paths.push('traces_cached_seg1.raw') }));
    await expectBadLoad(path, 'NOT_FOUND', /traces_cached_seg1\.raw/);
  });

  it('binary.json whose num_channels does not divide the file size: FORMAT naming the file', async () => {
    const path = await writeFolder(await variant({}, {
      'binary.json': (d) => {
        d.kwargs.num_channels = 12;
        d.kwargs.channel_ids = d.kwargs.channel_ids.slice(0, 12);
      },
    }));
    await expectBadLoad(path, 'FORMAT', new RegExp(`${path}/traces_cached_seg0\\.raw holds 26000 bytes`), /12 channels/);
  });

  it('a truncated traces file, and one shorter than file_offset: FORMAT naming the file', async () => {
    const traces = (await saved).get('traces_cached_seg0.raw')!;
    const a = await writeFolder(await variant({ 'traces_cached_seg0.raw': traces.subarray(0, 20001) }));
    await expectBadLoad(a, 'FORMAT', /traces_cached_seg0\.raw holds 20001 bytes/, /truncated/);
    const b = await writeFolder(await variant({}, { 'binary.json': (d) => (d.kwargs.file_offset = 30000) }));
    await expectBadLoad(b, 'FORMAT', /traces_cached_seg0\.raw holds 26000 bytes, fewer than the file_offset 30000/);
  });

  it('properties/x.npy with the wrong length: FORMAT naming the file (after the traces were opened)', async () => {
    const npy = writeNpy({ dtype: '<i4', shape: [12], values: new Int32Array(12) });
    const path = await writeFolder(await variant({ 'properties/x.npy': npy }));
    await expectBadLoad(path, 'FORMAT', new RegExp(`${path}/properties/x\\.npy holds 12 values; the recording has 13 channels`));
  });

  it('si_folder.json properties of the wrong length: FORMAT naming si_folder.json', async () => {
    const path = await writeFolder(await variant({}, { 'si_folder.json': (d) => (d.properties.offset_to_uV = [0]) }));
    await expectBadLoad(path, 'FORMAT', new RegExp(`${path}/si_folder\\.json`), /offset_to_uV/);
  });

  it('a probegroup.json that is not ProbeInterface: FORMAT naming the file', async () => {
    const a = await writeFolder(await variant({ 'probegroup.json': '{"specification": "something else"}' }));
    await expectBadLoad(a, 'FORMAT', new RegExp(`${a}/probegroup\\.json is not a ProbeInterface file`));
    const b = await writeFolder(await variant({ 'probegroup.json': 'not json at all' }));
    await expectBadLoad(b, 'FORMAT', new RegExp(`${b}/probegroup\\.json`));
  });
});

describe('zips on disk', () => {
  it('not a zip, and a truncated zip: FORMAT naming the file', async () => {
    await expectBadLoad(await writeText('text.zip', 'hello, I am no zip at all, not even a little bit'), 'FORMAT', /text\.zip is not a zip/);
    await expectBadLoad(await writeText('empty.zip', ''), 'FORMAT', /empty\.zip is not a zip/);
    const zip = zipOf(await saved);
    await expectBadLoad(await writeText('cut.zip', zip.subarray(0, zip.length - 30)), 'FORMAT', /cut\.zip/);
    await expectBadLoad(await writeText('half.zip', zip.subarray(0, zip.length >> 1)), 'FORMAT', /half\.zip/);
  });

  it('a zip holding a bad folder: the folder error naming the entry, the zip closed', async () => {
    const npy = writeNpy({ dtype: '<f8', shape: [3], values: new Float64Array(3) });
    const zip = zipOf(await variant({ 'properties/x.npy': npy }));
    await expectBadLoad(await writeText('badprop.zip', zip), 'FORMAT', /badprop\.zip\/properties\/x\.npy holds 3 values/);
    const noRec = zipSync({ 'readme.txt': new TextEncoder().encode('hi') });
    await expectBadLoad(await writeText('norec.zip', noRec), 'FORMAT', /norec\.zip is not a SpikeInterface folder/);
  });

  it('a good zip loads, and closing it releases the file', async () => {
    const path = await writeText('good.zip', zipOf(await saved));
    const rec = await load(path);
    expect((await rec.getTraces({ startFrame: 5, endFrame: 6 })).shape).toEqual([1, 13]);
    if (haveProcFds) expect(fdsUnder(work)).toEqual([path]);
    await rec.close();
    if (haveProcFds) expect(fdsUnder(work)).toEqual([]);
    expect((await readFile(path)).length).toBeGreaterThan(26000);
  });
});

// Hostile names and dumps on disk (Node): property keys that would write outside the save folder
// ('../../../x'), folder writers given names that leave the folder, and the pickles we dump, whose
// properties must be numpy arrays as in SpikeInterface's own pickles (a uint8 property pickled as
// Python bytes makes SpikeInterface's set_property fail).
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NumpyArray, load, loadFromDict, pickle, unpickle, type BaseRecording } from '../../src/node.js';
import { fileSystemFolderWriter } from '../../src/store/folder-access.js';
import { zipFolderWriter } from '../../src/store/zip-writer.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fixturePath, readFixtureBytes } from '../helpers/fixtures.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-hostile-'));
afterAll(() => rm(work, { recursive: true, force: true }));

let counter = 0;
/** A fresh parent folder; saves go into `<parent>/a/out` so that '..' keys have room to escape. */
async function parent(): Promise<string> {
  const dir = join(work, `p${++counter}`);
  await mkdir(join(dir, 'a'), { recursive: true });
  return dir;
}

/** Every file and folder under `dir`, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

async function source(): Promise<BaseRecording> {
  return load(await fixturePath('recordings/multi_columns_probe/saved'));
}

describe('property keys that cannot be file names are refused at save, naming the key', () => {
  for (const key of ['../../../x', '../../../tmp/x', 'a/b', 'back\\slash', 'nul\u0000', 'x'.repeat(260)]) {
    it(`${JSON.stringify(key.slice(0, 20))}: INVALID_ARGUMENT, nothing written anywhere (folder and zip)`, async () => {
      const rec = await source();
      rec.setProperty(key, new Array(13).fill(1));
      for (const format of ['binary', 'zip'] as const) {
        const dir = await parent();
        const error = await expectCodeAsync(rec.save({ folder: join(dir, 'a', 'out'), format }), 'INVALID_ARGUMENT', /save: property .* cannot be saved as the file "properties\//);
        expect(error.message).toContain(JSON.stringify(key.slice(0, 20)).slice(0, -1));
        expect(await tree(dir), format).toEqual(['a']);
      }
      // a zip in memory (no folder): refused alike
      await expectCodeAsync(rec.save({ format: 'zip' }), 'INVALID_ARGUMENT', /cannot be saved as the file/);
      // in memory nothing becomes a path: the key travels as it is
      const copy = await rec.save({ format: 'memory' });
      expect(copy.getPropertyKeys()).toContain(key);
      await rec.close();
    });
  }

  it('keys that are plain file names (dots, spaces, unicode, "__proto__") save and load back', async () => {
    const rec = await source();
    for (const key of ['..', '.hidden', 'a b', 'µ-ßeta', '__proto__', 'constructor']) rec.setProperty(key, new Array(13).fill(2));
    const dir = await parent();
    const saved = await rec.save({ folder: join(dir, 'a', 'out') });
    expect(await tree(dir)).toContain(join('a', 'out', 'properties', '...npy'));
    for (const key of ['..', '.hidden', 'a b', 'µ-ßeta', '__proto__', 'constructor']) expect(Array.from(saved.getProperty(key) as ArrayLike<unknown>), key).toEqual(new Array(13).fill(2));
    await Promise.all([saved.close(), rec.close()]);
  });
});

describe('folder writers refuse names that leave the folder', () => {
  it('file system: writeFile / createSink / mkdir / filePath of "../x", "/abs", "a\\\\b"', async () => {
    const dir = await parent();
    const writer = await fileSystemFolderWriter(join(dir, 'a', 'out'), false);
    for (const rel of ['../x', '../../x', '/abs', 'a\\b', 'properties/../../x', '']) {
      await expectCodeAsync(writer.writeFile(rel, 'x'), 'INVALID_ARGUMENT', /not a plain relative path inside the folder/);
      await expectCodeAsync(writer.createSink(rel), 'INVALID_ARGUMENT', /not a plain relative path/);
      await expectCodeAsync(writer.mkdir(rel), 'INVALID_ARGUMENT', /not a plain relative path/);
      await expectCodeAsync(Promise.resolve().then(() => writer.filePath!(rel)), 'INVALID_ARGUMENT', /not a plain relative path/);
    }
    await writer.abort();
    expect(await tree(dir)).toEqual(['a']);
  });

  it('zip: entries named "../x" or "/abs" are refused', async () => {
    const writer = zipFolderWriter('out.zip', null);
    await expectCodeAsync(writer.writeFile('../x.json', '{}'), 'INVALID_ARGUMENT', /cannot write "\.\.\/x\.json" into out\.zip/);
    await expectCodeAsync(writer.createSink('/abs.raw'), 'INVALID_ARGUMENT', /cannot write "\/abs\.raw"/);
    await writer.abort();
  });
});

describe('a dict load that fails closes the files it opened', () => {
  const haveProcFds = existsSync('/proc/self/fd');
  const openUnder = (dir: string) => readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });

  it('Append of a good folder and a bad dict: no descriptor left on the good one', async () => {
    const folder = await fixturePath('recordings/multi_columns_probe/saved');
    const good = { class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording', kwargs: { folder_path: folder } };
    const bad = { class: 'spikeinterface.core.binaryfolder.BinaryFolderRecording', kwargs: { folder_path: { not: 'a path' } } };
    await expectCodeAsync(loadFromDict({ class: 'spikeinterface.core.segmentutils.AppendSegmentRecording', kwargs: { recording_list: [good, good, bad] } }),
      'FORMAT', /folder_path/);
    // a good recording whose dict then sets a property that does not fit
    await expectCodeAsync(loadFromDict({ ...good, properties: { x: [1, 2] } }), 'INVALID_ARGUMENT', /property "x" has 2 values, expected 13/);
    if (haveProcFds) expect(openUnder(folder)).toEqual([]);
  });
});

describe('the properties of our pickles are numpy arrays, as in SpikeInterface’s pickles', () => {
  // Fixture cases whose dump_to_pickle holds properties (float64 gains and offsets, int64 groups).
  const CASES = ['int16_gain_offset', 'multi_columns_probe', 'probegroup_2probes', 'linear_probe_permuted', 'properties_annotations_zoo'];

  for (const name of CASES) {
    it(`${name}: the same keys, dtypes, shapes, values and pickle bytes per property`, async () => {
      const theirs = unpickle(await readFixtureBytes(`recordings/${name}/source.dump.pkl`)) as { properties: Record<string, unknown> };
      const rec = await load(await fixturePath(`recordings/${name}/source.dump.json`));
      const file = join(work, `${name}.pkl`);
      await rec.dumpToPickle(file);
      await rec.close();
      const ours = unpickle(new Uint8Array(await readFile(file))) as { properties: Record<string, unknown> };
      expect(Object.keys(ours.properties).sort()).toEqual(Object.keys(theirs.properties).sort());
      for (const [key, value] of Object.entries(theirs.properties)) {
        expect(value, key).toBeInstanceOf(NumpyArray);
        expect(ours.properties[key], key).toEqual(value);
        expect(pickle(ours.properties[key]), key).toEqual(pickle(value));
      }
    });
  }

  it('uint8, int32, bool, string and 2-D properties: arrays of the dtype the recording holds, never bytes or lists', async () => {
    const rec = await source();
    rec.setProperty('u8', Uint8Array.from({ length: 13 }, (_, i) => i));
    rec.setProperty('i4', Int32Array.from({ length: 13 }, (_, i) => -i));
    rec.setProperty('ok', new Array(13).fill(true));
    rec.setProperty('label', Array.from({ length: 13 }, (_, i) => `ch${i}`));
    rec.setProperty('xy', Array.from({ length: 13 }, (_, i) => [i, 2 * i]));
    const file = join(work, 'dtypes.pkl');
    await rec.dumpToPickle(file);
    const props = (unpickle(new Uint8Array(await readFile(file))) as { properties: Record<string, NumpyArray> }).properties;
    expect(props.u8).toEqual(new NumpyArray('|u1', [13], Uint8Array.from({ length: 13 }, (_, i) => i)));
    expect(props.i4).toEqual(new NumpyArray('<i4', [13], Int32Array.from({ length: 13 }, (_, i) => -i)));
    expect(props.ok).toEqual(new NumpyArray('|b1', [13], new Array(13).fill(true)));
    // numpy's '<U' width is the longest string: 'ch10' has 4 characters
    expect(props.label).toEqual(new NumpyArray('<U4', [13], Array.from({ length: 13 }, (_, i) => `ch${i}`)));
    expect(props.xy.dtype).toBe('<i8');
    expect(props.xy.shape).toEqual([13, 2]);
    expect(Array.from(props.xy.values as BigInt64Array).slice(0, 4)).toEqual([0n, 0n, 1n, 2n]);
    // and it loads back with the same values
    const back = await load(file);
    expect(Array.from(back.getProperty('u8') as Uint8Array)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    expect(back.getProperty('label')).toEqual(Array.from({ length: 13 }, (_, i) => `ch${i}`));
    await Promise.all([back.close(), rec.close()]);
  });
});

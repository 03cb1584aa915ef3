// What spikewire saves, real SpikeInterface loads: for every fixture case, the folder we write from
// the same recording holds the same files as SpikeInterface's saved/, with the same JSON values
// (paths aside) and byte-identical .raw and .npy files; and it loads back with the same samples.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { load, readNpy, type BaseRecording } from '../../src/node.js';
import { parsePythonJson } from '../../src/python/pyjson.js';
import { filesUnder, withoutPaths } from '../helpers/saved-folders.js';
import { fixturePath, readFixtureJson, sha256Hex } from '../helpers/fixtures.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { CASES, buildCase } from '../core/fixture-build.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-save-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** The recording SpikeInterface saved: the source reopened from its pickle dump (all properties). */
async function sourceOf(name: string): Promise<BaseRecording> {
  const expected = await readFixtureJson(`recordings/${name}/expected.json`);
  if (!expected.source_dump_reload?.ok) return (await buildCase(name)).recording;
  const source = await load(await fixturePath(`recordings/${name}/source.dump.pkl`));
  // Dumps carry no time vectors (SpikeInterface's neither): set them as the fixture did.
  for (let i = 0; i < source.getNumSegments(); i++) {
    if (!expected.source.segments[i].has_time_vector) continue;
    const npy = readNpy(new Uint8Array(await readFile(await fixturePath(`recordings/${name}/saved/times_cached_seg${i}.npy`))));
    source.setTimes(npy.values as Float64Array, i);
  }
  // SpikeInterface's pickle holds the main properties only: the others as the fixture set them.
  const built = (await buildCase(name)).recording;
  for (const key of built.getPropertyKeys()) {
    if (!source.getPropertyKeys().includes(key)) source.setProperty(key, built.getProperty(key) as unknown[]);
  }
  if (expected.saved_channel_slice_ids) return source.selectChannels(expected.saved_channel_slice_ids);
  return source;
}

describe.each(CASES)('save() of fixture case %s', (name) => {
  it('writes the files SpikeInterface wrote, with the same values', async () => {
    const fixture = await fixturePath(`recordings/${name}/saved`);
    const folder = join(work, name);
    const source = await sourceOf(name);
    const saved = await source.save({ folder });
    try {
      // git keeps no empty folders, so the fixture copy has no empty properties/: compare files only
      const ours = (await filesUnder(folder)).filter((f) => !f.endsWith('/'));
      const theirs = (await filesUnder(fixture)).filter((f) => !f.endsWith('/'));
      expect(ours).toEqual(theirs);
      for (const file of theirs) {
        if (file.endsWith('/')) continue;
        const [a, b] = await Promise.all([readFile(join(folder, file)), readFile(join(fixture, file))]);
        if (file.endsWith('.json')) {
          const ja = parsePythonJson(a.toString('utf8')) as any;
          const jb = parsePythonJson(b.toString('utf8')) as any;
          expect(withoutPaths(ja), file).toEqual(withoutPaths(jb));
        } else {
          expect(await sha256Hex(a), file).toBe(await sha256Hex(b));
        }
      }
      const expected = await readFixtureJson(`recordings/${name}/expected.json`);
      expect(saved.getChannelIds()).toEqual(expected.loaded.channel_ids.data);
      for (let i = 0; i < saved.getNumSegments(); i++) {
        const t = await saved.getTraces({ segmentIndex: i });
        expect(await sha256Hex(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(expected.loaded.segment_hashes[i].raw_sha256);
      }
    } finally {
      await saved.close();
      await source.close();
    }
  });
});

describe('save() safety', () => {
  it('refuses an existing folder without overwrite and keeps it intact', async () => {
    const { recording } = await buildCase('many_segments_1ch');
    const folder = join(work, 'exists');
    const first = await recording.save({ folder });
    await first.close();
    const before = await filesUnder(folder);
    await expectCodeAsync(recording.save({ folder }), 'INVALID_ARGUMENT');
    expect(await filesUnder(folder)).toEqual(before);
    const again = await recording.save({ folder, overwrite: true });
    await again.close();
    expect(await filesUnder(folder)).toEqual(before);
  });

  it('leaves nothing behind when aborted', async () => {
    const { recording } = await buildCase('int16_gain_offset');
    const folder = join(work, 'aborted');
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expectCodeAsync(recording.save({ folder, signal: controller.signal }), 'ABORTED');
    expect((await readdir(work)).filter((n) => n.includes('aborted'))).toEqual([]);
  });

  it('saves to a zip and to memory with the same samples', async () => {
    const { recording } = await buildCase('float64_t_starts');
    const zipped = await recording.save({ format: 'zip', folder: join(work, 'rec.zip') });
    const memory = await recording.save({ format: 'memory' });
    for (let i = 0; i < recording.getNumSegments(); i++) {
      const want = (await recording.getTraces({ segmentIndex: i })).data;
      expect((await zipped.getTraces({ segmentIndex: i })).data).toEqual(want);
      expect((await memory.getTraces({ segmentIndex: i })).data).toEqual(want);
      expect(zipped.getStartTime(i)).toBe(recording.getStartTime(i));
    }
    expect(String(zipped)).toBe((await readFixtureJson('recordings/float64_t_starts/expected.json')).loaded.repr);
    await zipped.close();
    const reopened = await load(join(work, 'rec.zip'));
    expect(reopened.getNumSamples(1)).toBe(recording.getNumSamples(1));
    await reopened.close();
  });
});

// save() of preprocessed recordings with nJobs 2: each worker rebuilds the chain from its dict with its
// own kernel, and the files are byte for byte those of one job. Workers run dist/parallel-worker.mjs,
// so this file tests the built package (`npm run build` first; `npm test` builds). Node-only.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as Spikewire from '../../src/node.js';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';
import { DIR } from './helpers.js';

const dist = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist');
let sw: typeof Spikewire;
let tmp = '';

beforeAll(async () => {
  for (const f of ['node.mjs', 'parallel-worker.mjs']) {
    if (!existsSync(join(dist, f))) throw new Error(`dist/${f} is missing: nJobs > 1 runs workers from the built package. Run \`npm run build\` first.`);
  }
  sw = (await import(/* @vite-ignore */ join(dist, 'node.mjs'))) as typeof Spikewire;
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-pp-parallel-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A fixture source opened from its files on disk (workers reopen them by path), with its probe and properties. */
async function openSource(name: string): Promise<Spikewire.BaseRecording> {
  const path = await fixturePath(`${DIR}/sources/${name}/source.dump.json`);
  const probegroup = await readFixtureJson(`${DIR}/sources/${name}/probegroup.to_dict.json`);
  // the Neuropixels dump keeps its probegroup once, as a {"$ref": file} beside it
  const dump = await readFixtureJson(`${DIR}/sources/${name}/source.dump.json`);
  if (dump.probegroup?.$ref) dump.probegroup = probegroup;
  const rec = await sw.load(dump, { baseFolder: path.slice(0, path.lastIndexOf('/')) });
  rec.setProbegroup(probegroup);
  const full = await readFixtureJson(`${DIR}/sources/${name}/source.to_dict_full.json`);
  if (full.properties.inter_sample_shift) rec.setProperty('inter_sample_shift', Float64Array.from(full.properties.inter_sample_shift));
  return rec;
}

/** save() with nJobs 1 and 2: every file of the two folders, and whether the parallel one warned. */
async function saveBoth(rec: Spikewire.BaseRecording, name: string, chunkSize: number) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const folders = [join(tmp, `${name}-1`), join(tmp, `${name}-2`)];
    for (const [i, folder] of folders.entries()) {
      warn.mockClear();
      const saved = await rec.save({ folder, chunkSize, nJobs: i + 1 });
      await saved.close();
    }
    const fellBack = warn.mock.calls.some((c) => /nJobs 2/.test(String(c[0])));
    return { folders, fellBack };
  } finally {
    warn.mockRestore();
  }
}

async function expectSameFolders([a, b]: string[]) {
  const files = (await readdir(a)).filter((f) => f.endsWith('.raw')).sort();
  expect(files.length).toBeGreaterThan(0);
  expect((await readdir(b)).filter((f) => f.endsWith('.raw')).sort()).toEqual(files);
  for (const f of files) expect(Buffer.compare(await readFile(join(a, f)), await readFile(join(b, f))), f).toBe(0);
}

describe('save() of a preprocessed recording with nJobs 2', () => {
  it('bandpassFilter → commonReference: workers rebuild the chain; the files are those of one job, and the fixture\'s', async () => {
    const rec = sw.commonReference(sw.bandpassFilter(await openSource('s16')));
    expect(rec.workerProblem(() => true)).toBeNull();
    const { folders, fellBack } = await saveBoth(rec, 'bp-cmr', 2000);
    expect(fellBack).toBe(false);
    await expectSameFolders(folders);
    for (const s of [0, 1]) {
      const want = await readFile(await fixturePath(`${DIR}/chains/bandpass_cmr_saved/saved/traces_cached_seg${s}.raw`));
      expect(Buffer.compare(await readFile(join(folders[1], `traces_cached_seg${s}.raw`)), want)).toBe(0);
    }
    await rec.close();
  }, 60_000);

  it('highpassFilter → phaseShift → commonReference local median travels too (the shifts are a property in the dict)', async () => {
    const rec = sw.commonReference(sw.phaseShift(sw.highpassFilter(await openSource('np384'))), { reference: 'local' });
    const { folders, fellBack } = await saveBoth(rec, 'np-destripe', 300);
    expect(fellBack).toBe(false);
    await expectSameFolders(folders);
    await rec.close();
  }, 60_000);

  it('gaussianFilter → interpolateBadChannels → silencePeriods → depthOrder → resample travels too', async () => {
    const chain = sw.silencePeriods(sw.interpolateBadChannels(sw.gaussianFilter(await openSource('s16')), [11, 5]), { periods: [[0, 100, 400], [1, 10, 20]] });
    const rec = sw.resample(sw.depthOrder(chain), 10000);
    expect(rec.workerProblem(() => true)).toBeNull();
    const { folders, fellBack } = await saveBoth(rec, 'reshape', 700);
    expect(fellBack).toBe(false);
    await expectSameFolders(folders);
    await rec.close();
  }, 60_000);

  it('a phaseShift whose dtype is not its parent\'s falls back to one job (its dict has no dtype)', async () => {
    const rec = sw.phaseShift(await openSource('np384'), { dtype: 'float32' });
    expect(rec.workerProblem(() => true)).toMatch(/PhaseShiftRecording of dtype "float32" rebuilds from its dict as "int16"/);
    const { folders, fellBack } = await saveBoth(rec, 'ps-f32', 300);
    expect(fellBack).toBe(true);
    await expectSameFolders(folders);
    await rec.close();
  }, 60_000);
});

// Fuzzing the formats layer on disk (Node): saves with hostile property keys and options must write
// nothing outside their target; dumps, saved folders and zips damaged on disk must load or fail with
// a code and leave no file descriptor open. Each save goes into a fresh parent folder, which must
// hold nothing but the target afterwards.
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { load, type BaseRecording } from '../../src/node.js';
import { fixturePath, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { readFixtureFolder } from '../helpers/folders.js';
import { fuzz } from '../helpers/fuzz.js';
import { hostileValue, mutatedBytes, mutatedFolderFile, mutatedJson } from './mutate.js';

const LONG = 60_000;
const work = await mkdtemp(join(tmpdir(), 'spikewire-fuzz-'));
afterAll(() => rm(work, { recursive: true, force: true }));
beforeAll(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
});

const haveProcFds = existsSync('/proc/self/fd');
/** Fails when a descriptor into `dir` (default: the work folder) is still open after an input. */
function noDescriptorLeft(dir = work): void {
  if (!haveProcFds) return;
  const open = readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });
  if (open.length) throw new Error(`descriptors left open: ${open.join(', ')}`);
}

async function touch(rec: BaseRecording): Promise<void> {
  try {
    if (rec.getNumSegments() > 0) await rec.getTraces({ segmentIndex: 0, endFrame: Math.min(8, rec.getNumSamples(0)) });
  } finally {
    await rec.close();
  }
}

/** Writes `bytes` to `path`, then loads it, reads a little and closes it. */
async function loadWritten(path: string, bytes: Uint8Array): Promise<void> {
  await writeFile(path, bytes);
  await touch(await load(path));
}

let counter = 0;
const fresh = (tag: string) => join(work, `${tag}${++counter}`);

describe('fuzz: saves never write outside their target', () => {
  let source: BaseRecording;
  beforeAll(async () => {
    source = await load(await fixturePath('recordings/multi_columns_probe/saved'));
  });
  afterAll(() => source.close());

  it('save (folder, zip) with hostile property keys and options', async () => {
    const key = fc.oneof(
      fc.constantFrom('../../../x', '../x', '..', '.', '/abs', 'a/b', 'a\\b', '..\\..\\x', 'C:x', 'nul\u0000', '\n', '__proto__', 'constructor', 'x'.repeat(300)),
      fc.string({ maxLength: 12 }),
      fc.tuple(fc.constantFrom('../', '/', './', '..\\', ''), fc.string({ maxLength: 6 })).map(([a, b]) => a + b),
    );
    const input = fc.record({
      keys: fc.array(key, { maxLength: 3 }),
      format: fc.constantFrom('binary', 'zip'),
      dtype: fc.constantFrom(undefined, 'int16', 'float32', '>i2', '__proto__', 'x'),
      chunkSize: fc.constantFrom(undefined, 1, 100, 0, -1, 1.5, 2 ** 53),
    });
    let parent = '';
    await fuzz('save(hostile keys, options)', input, async ({ keys, format, dtype, chunkSize }) => {
      parent = fresh('save');
      await mkdir(parent);
      const rec = source.frameSlice(0, 50);
      for (const k of keys) if (k !== '') rec.setProperty(k, new Array(13).fill(1));
      const saved = await rec.save({ folder: join(parent, 'out'), format: format as 'binary', dtype: dtype as never, chunkSize: chunkSize as number });
      await saved.close();
    }, {
      numRuns: 250,
      async check() {
        const left = await readdir(parent);
        if (left.some((name) => name !== 'out' && name !== 'out.zip')) throw new Error(`written beside the target: ${left.join(', ')}`);
        await rm(parent, { recursive: true, force: true });
        noDescriptorLeft();
      },
    });
  }, LONG);
});

describe('fuzz: damaged files on disk load or fail, closing what they opened', () => {
  it('load(path) of mutated JSON dumps and pickles (relative paths to the fixture files)', async () => {
    // The case folder is copied so that the dumps' relative paths find its raw files.
    const caseDir = fresh('case');
    await cp(await fixturePath('recordings/properties_annotations_zoo'), caseDir, { recursive: true });
    const json = await readFixtureJson('recordings/properties_annotations_zoo/source.dump.json');
    const pkl = await readFixtureBytes('recordings/properties_annotations_zoo/source.dump.pkl');
    const input = fc.oneof(
      mutatedJson(json).map((d) => ({ name: 'dump.json', bytes: new TextEncoder().encode(JSON.stringify(d)) })),
      mutatedBytes(pkl, [[0, 64]], 2).map((bytes) => ({ name: 'dump.pkl', bytes })),
    );
    await fuzz('load(mutated dump file)', input, ({ name, bytes }) => loadWritten(join(caseDir, name), bytes), { numRuns: 300, check: () => noDescriptorLeft() });
  }, LONG);

  it('load(folder) of saved folders with mutated binary.json / si_folder.json / .npy files', async () => {
    const files = await readFixtureFolder('recordings/properties_annotations_zoo/saved');
    await fuzz('load(mutated saved folder)', mutatedFolderFile(files), async ({ name, bytes }) => {
      const folder = fresh('folder');
      for (const [rel, b] of files) {
        await mkdir(join(folder, rel, '..'), { recursive: true });
        await writeFile(join(folder, rel), rel === name ? bytes : b);
      }
      try {
        await touch(await load(folder));
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    }, { numRuns: 150, check: () => noDescriptorLeft() });
  }, LONG);

  it('load(path) of mutated zips on disk', async () => {
    const files = await readFixtureFolder('recordings/multi_columns_probe/saved');
    const zip = zipSync(Object.fromEntries([...files].map(([p, b]) => [p, [b, { level: p.endsWith('.raw') ? 0 : 6 }]])) as never);
    const dirOffset = new DataView(zip.buffer).getUint32(zip.length - 6, true);
    await fuzz('load(mutated zip file)', mutatedBytes(zip, [[dirOffset, zip.length], [0, 64]], 3), (bytes) => loadWritten(`${fresh('z')}.zip`, bytes),
      { numRuns: 200, check: () => noDescriptorLeft() });
  }, LONG);

  it('loadFromDict of hostile kwargs with real paths', async () => {
    const folder = await fixturePath('recordings/multi_columns_probe/saved');
    const raw = await fixturePath('recordings/multi_columns_probe/saved/traces_cached_seg0.raw');
    const kwargs = fc.record({
      file_paths: fc.oneof(fc.constant([raw]), fc.constant([raw, raw]), hostileValue),
      folder_path: fc.oneof(fc.constant(folder), hostileValue),
      num_channels: fc.oneof(fc.constantFrom(13, 1, 26, 8000, 13_001), hostileValue),
      dtype: fc.oneof(fc.constantFrom('<i2', 'int16', '<f8'), hostileValue),
      sampling_frequency: fc.oneof(fc.constant(30000), hostileValue),
      file_offset: fc.oneof(fc.constantFrom(0, 2, 26_000), hostileValue),
    }, { requiredKeys: [] });
    const classes = ['spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor', 'spikeinterface.core.binaryfolder.BinaryFolderRecording'];
    const input = fc.record({ class: fc.constantFrom(...classes), kwargs });
    const { loadFromDict } = await import('../../src/node.js');
    const tally = await fuzz('loadFromDict(hostile kwargs, real paths)', input, async (d) => touch(await loadFromDict(d)), { numRuns: 300, check: () => noDescriptorLeft(folder) });
    expect(tally.values).toBeGreaterThan(0);
  }, LONG);
});

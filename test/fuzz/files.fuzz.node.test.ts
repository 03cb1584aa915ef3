// Fuzzing local files: saved folders where entries drawn by fast-check are missing, truncated, named
// pipes, folders, symlinks out of the folder (to a file, to nothing, to themselves), opened with load()
// and, for the traces file, BinaryRecordingExtractor.open(). Each gives a recording or a SpikewireError
// soon (a FIFO must never block), and afterwards no descriptor stays open on the folder and the
// process has no more file descriptors than before.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryRecordingExtractor, load } from '../../src/node.js';
import { readFixtureFolder } from '../helpers/folders.js';
import { fileFds } from '../helpers/fds.js';
import { fuzz } from '../helpers/fuzz.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-fuzz-files-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const outside = join(work, 'outside.bin');
await writeFile(outside, new Uint8Array(1234).fill(9));
const files = await readFixtureFolder('recordings/multi_columns_probe/saved');
const canFifo = existsSync('/usr/bin/mkfifo') && existsSync('/proc/self/fd');

type Kind = 'keep' | 'missing' | 'truncated' | 'fifo' | 'folder' | 'linkOut' | 'linkNowhere' | 'linkLoop' | 'empty';
const ENTRIES = ['binary.json', 'si_folder.json', 'traces_cached_seg0.raw', 'probegroup.json', 'properties/group.npy', 'properties'];
// mostly whole entries, so that loads get past the first file and meet the broken ones later
const kind = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Kind>('keep') },
  { weight: 1, arbitrary: fc.constantFrom<Kind>('missing', 'truncated', 'fifo', 'folder', 'linkOut', 'linkNowhere', 'linkLoop', 'empty') },
);
const input = fc.record({ kinds: fc.array(kind, { minLength: ENTRIES.length, maxLength: ENTRIES.length }), cut: fc.double({ min: 0, max: 1, noNaN: true }) });

let counter = 0;
/** Writes the fixture folder with each of ENTRIES made into what `kinds` says; returns its path. */
async function makeFolder({ kinds, cut }: { kinds: Kind[]; cut: number }): Promise<string> {
  const root = join(work, `f${++counter}`);
  await mkdir(join(root, 'properties'), { recursive: true });
  for (const [rel, bytes] of files) await writeFile(join(root, rel), bytes);
  for (let i = 0; i < ENTRIES.length; i++) {
    const rel = ENTRIES[i];
    const path = join(root, rel);
    const k = kinds[i];
    if (k === 'keep') continue;
    const original = files.get(rel);
    await rm(path, { recursive: true, force: true });
    if (k === 'truncated' && original) await writeFile(path, original.subarray(0, Math.floor(original.byteLength * cut)));
    if (k === 'empty' && rel !== 'properties') await writeFile(path, new Uint8Array(0));
    if (k === 'fifo') execFileSync('mkfifo', [path]);
    if (k === 'folder' || (k === 'empty' && rel === 'properties')) await mkdir(path);
    if (k === 'linkOut') await symlink(outside, path);
    if (k === 'linkNowhere') await symlink(join(work, 'nothing-here'), path);
    if (k === 'linkLoop') await symlink(path, path);
  }
  return root;
}

async function use(recording: { getNumSamples(): number; getTraces(o: object): Promise<unknown>; close(): Promise<void> }): Promise<void> {
  try {
    await recording.getTraces({ endFrame: Math.min(50, recording.getNumSamples()) });
  } finally {
    await recording.close();
  }
}

describe.runIf(canFifo)('file fuzz', () => {
  let baseline: string[] = [];
  let current = '';
  const check = async () => {
    const open = fileFds();
    expect(open.filter((f) => f.startsWith(current)), 'descriptors left open on the folder').toEqual([]);
    expect(open.length, `new descriptors: ${open.filter((f) => !baseline.includes(f)).join(', ')}`).toBeLessThanOrEqual(baseline.length);
  };

  it('load() of saved folders with broken entries', async () => {
    baseline = fileFds();
    await fuzz('load() of a folder with FIFOs, folders, truncations, symlinks', input, async (drawn) => {
      current = await makeFolder(drawn);
      await use(await load(current));
    }, { numRuns: 120, timeoutMs: 3000, check });
  }, 30_000);

  it('BinaryRecordingExtractor.open() of the traces file, whatever it is', async () => {
    baseline = fileFds();
    const traces = fc.record({ kind: fc.constantFrom<Kind>('keep', 'missing', 'truncated', 'fifo', 'folder', 'linkOut', 'linkNowhere', 'linkLoop', 'empty'), cut: input.map((i) => i.cut) });
    await fuzz('BinaryRecordingExtractor.open of a FIFO, folder, symlink or truncated file', traces, async ({ kind: k, cut }) => {
      current = await makeFolder({ kinds: ENTRIES.map((e) => (e === 'traces_cached_seg0.raw' ? k : 'keep')), cut });
      const controller = new AbortController();
      await use(await BinaryRecordingExtractor.open({
        filePaths: [join(current, 'traces_cached_seg0.raw')], samplingFrequency: 30000, numChannels: 13, dtype: 'int16', signal: controller.signal,
      }));
    }, { numRuns: 80, timeoutMs: 3000, check });
  }, 30_000);
});

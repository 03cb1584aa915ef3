// Fuzzing the Open Ephys reader (Node and Chromium): damaged structure.oebin files (structural JSON
// edits and byte edits), damaged .npy files beside continuous.dat and in events/, and folder trees
// whose paths are made of the names discovery gives meaning to. Every input gives a recording whose
// samples read, or a SpikewireError; never another error, never a hang (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { getOpenephysStreams, readOpenephys, readOpenephysEvents } from '../../src/index.js';
import { fuzz } from '../helpers/fuzz.js';
import { pickedFiles, readFixtureFolder, withFiles, type FolderFiles } from '../helpers/folders.js';
import { mutatedBytes, mutatedJson } from './mutate.js';

const FUZZ_TIMEOUT = 120_000;
const base = await readFixtureFolder('acquisition/openephys/bad_inputs/reference_ok');
const OEBIN = 'Record Node 105/experiment1/recording1/structure.oebin';

/** Opens the folder's first stream and reads every sample of every segment; also lists its events. */
async function readAll(files: FolderFiles): Promise<void> {
  const input = pickedFiles('run', files);
  const { streamIds } = await getOpenephysStreams(input);
  const rec = await readOpenephys(input, { streamId: streamIds[0] ?? '0' });
  try {
    for (let i = 0; i < rec.getNumSegments(); i++) {
      const t = await rec.getTraces({ segmentIndex: i, returnInUV: true });
      expect(t.shape).toEqual([rec.getNumSamples(i), rec.getNumChannels()]);
      expect(Number.isFinite(rec.getStartTime(i))).toBe(true);
    }
  } finally {
    await rec.close();
  }
  await readOpenephysEvents(input);
}

/** Quiet: discovery warns (as neo) about stream folders an oebin lists and the folder lacks. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    return await fn();
  } finally {
    warn.mockRestore();
  }
}

describe('Open Ephys fuzz', () => {
  it('structure.oebin: structural JSON edits', async () => {
    const oebin = JSON.parse(new TextDecoder().decode(base.get(OEBIN)!));
    const tally = await quietly(() =>
      fuzz('readOpenephys edited structure.oebin', mutatedJson(oebin, 4), (value) => readAll(withFiles(base, { [OEBIN]: JSON.stringify(value) })), {
        numRuns: 120,
      }),
    );
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('structure.oebin and .npy files: byte edits', async () => {
    const names = [...base.keys()].filter((n) => n.endsWith('.npy') || n.endsWith('.oebin'));
    const damaged = fc.constantFrom(...names).chain((name) => mutatedBytes(base.get(name)!, [[0, 160]], 3).map((bytes) => ({ name, bytes })));
    const tally = await quietly(() =>
      fuzz('readOpenephys damaged .npy / .oebin bytes', damaged, ({ name, bytes }) => readAll(withFiles(base, { [name]: bytes })), { numRuns: 150 }),
    );
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('discovery: folder trees made of record nodes, experiments, recordings and oebins', async () => {
    const recordingFiles = [...base.keys()]
      .filter((p) => p.startsWith('Record Node 105/experiment1/recording1/'))
      .map((p) => [p.slice('Record Node 105/experiment1/recording1/'.length), base.get(p)!] as const);
    const junk = fc.constantFrom('experiment', 'experimentX', 'experiment 3', 'experiment_1', 'recording', 'recording-1', 'recording1.x',
      '..', '.', 'continuous', 'events', 'Record Node 1');
    // Mostly node/experiment/recording paths, some with a name discovery refuses, some of any shape.
    const shaped = fc.tuple(
      fc.constantFrom('', 'Record Node 1', 'Record Node 2', 'Node'),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('experiment1', 'experiment2', 'experiment10') }, { weight: 1, arbitrary: junk }),
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom('recording1', 'recording2', 'recording3') }, { weight: 1, arbitrary: junk }),
    ).map((parts) => parts.filter((p) => p !== ''));
    const dirOf = fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fc.array(junk, { maxLength: 4 }) });
    const tree = fc.array(dirOf, { minLength: 1, maxLength: 4 }).map((dirs) => {
      const files: FolderFiles = new Map();
      for (const dir of dirs) for (const [rel, bytes] of recordingFiles) files.set([...dir, rel].join('/'), bytes);
      return files;
    });
    const tally = await quietly(() => fuzz('readOpenephys folder trees', tree, readAll, { numRuns: 120 }));
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);
});

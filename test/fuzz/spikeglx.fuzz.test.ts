// Fuzzing the SpikeGLX reader (Node and Chromium): .meta files with lines dropped, duplicated or
// given hostile values (keys neo reads: nSavedChans, fileName, snsChanMap, imroTbl, gains, rates,
// firstSample, niXDChans1...), .bin files cut to any length, pairs renamed. Opening, listing the
// streams, reading every stream and the events give a value or a SpikewireError, never another error
// and never a hang (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getSpikeglxStreams, readSpikeglx, readSpikeglxEvents } from '../../src/index.js';
import { pickedFiles, readFixtureFolder, type FolderFiles } from '../helpers/folders.js';
import { fuzz } from '../helpers/fuzz.js';

const FUZZ_TIMEOUT = 120_000;
/** A small intact imec run (AP 24 samples + LF 2 samples) and the NI-DAQ run. */
const RUNS = ['acquisition/spikeglx/bad_inputs/unknown_stream_id/bad_g0', 'acquisition/spikeglx/nidq_2triggers/data/M40_trig_g0'];
let runs: FolderFiles[] = [];

beforeAll(async () => {
  runs = await Promise.all(RUNS.map(readFixtureFolder));
  // damaged metas warn (a missing firstSample, no AP meta): expected here, not worth the noise
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
});

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Keys neo reads, and values that stress them. */
const KEYS = ['nSavedChans', 'fileName', '~snsChanMap', '~imroTbl', 'imAiRangeMax', 'imSampRate', 'niSampRate', 'firstSample',
  'snsApLfSy', 'snsMnMaXaDw', 'niMNGain', 'niMAGain', 'niAiRangeMax', 'niXDChans1', 'imDatPrb_pn', 'imMaxInt', 'imChan0apGain',
  'typeThis', 'snsSaveChanSubset', '__proto__', 'constructor'];
const VALUES = fc.oneof(
  fc.constantFrom('', '0', '-1', '1', '2', '385', '1e308', 'nan', 'inf', '-inf', '999999999999999999999', '1:99999999', '0:7,9',
    'D:/x/run_g0_t0.imec0.ap.bin', 'run_g0_tcat.imec1.lf', 'run.nidq', 'noDots', '(0,0,1)(AP0;0:0)', '(384,384,1)(SY0;768:768)',
    '(0,384)(0 0 0 0 250 1)', 'imec', 'nidq', 'obx', 'NP9999', 'all', '=', '==', '((()))', '\u0000', 'é'),
  fc.string({ maxLength: 40 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }).map(String),
);

type Edit =
  | { op: 'set'; file: number; key: string; value: string }
  | { op: 'drop'; file: number; line: number }
  | { op: 'dup'; file: number; line: number }
  | { op: 'cut'; file: number; length: number }
  | { op: 'rename'; file: number; to: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), file: fc.nat(), key: fc.constantFrom(...KEYS), value: VALUES }) },
  fc.record({ op: fc.constant('drop' as const), file: fc.nat(), line: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), file: fc.nat(), line: fc.nat() }),
  fc.record({ op: fc.constant('cut' as const), file: fc.nat(), length: fc.nat({ max: 40_000 }) }),
  fc.record({ op: fc.constant('rename' as const), file: fc.nat(), to: fc.constantFrom('x.meta', 'sub/y.meta', '.meta', 'a.b.c.meta', 'x.bin', 'deep/er/z.bin') }),
);

/** A damaged copy of one of the runs. */
const damagedRun = fc.record({ run: fc.nat(), edits: fc.array(edit, { minLength: 1, maxLength: 4 }) }).map(({ run, edits }) => {
  const files = new Map(runs[run % runs.length]);
  for (const e of edits) {
    const names = [...files.keys()].sort();
    if (names.length === 0) break;
    const metas = names.filter((n) => n.endsWith('.meta'));
    if (e.op === 'cut') {
      const bins = names.filter((n) => n.endsWith('.bin'));
      if (bins.length === 0) continue;
      const name = bins[e.file % bins.length];
      files.set(name, files.get(name)!.slice(0, e.length));
    } else if (e.op === 'rename') {
      const name = names[e.file % names.length];
      const bytes = files.get(name)!;
      files.delete(name);
      files.set(e.to, bytes);
    } else if (metas.length > 0) {
      const name = metas[e.file % metas.length];
      const lines = decoder.decode(files.get(name)).split('\r\n');
      if (e.op === 'set') {
        const at = lines.findIndex((l) => l.startsWith(`${e.key}=`));
        const line = `${e.key}=${e.value}`;
        if (at >= 0) lines[at] = line;
        else lines.push(line);
      } else if (e.op === 'drop') lines.splice(e.line % lines.length, 1);
      else lines.splice(e.line % lines.length, 0, lines[e.line % lines.length]);
      files.set(name, encoder.encode(lines.join('\r\n')));
    }
  }
  return files;
});

/** Everything a user does with a folder: list, open each stream, read it all, read the events. */
async function useFolder(files: FolderFiles): Promise<void> {
  const picked = () => pickedFiles('run', files);
  const { streamIds } = await getSpikeglxStreams(picked());
  for (const streamId of streamIds) {
    const rec = await readSpikeglx(picked(), { streamId });
    try {
      for (let i = 0; i < rec.getNumSegments(); i++) {
        await rec.getTraces({ segmentIndex: i, returnInUV: rec.hasScaleableTraces() });
        await rec.getTimes(i);
      }
    } finally {
      await rec.close();
    }
  }
  const events = await readSpikeglxEvents(picked());
  try {
    for (const channelId of events.getChannelIds()) await events.getEvents({ channelId, segmentIndex: 0 });
  } finally {
    await events.close();
  }
}

describe('SpikeGLX fuzz', () => {
  it('intact runs read without error', async () => {
    for (const files of runs) await useFolder(files);
  }, FUZZ_TIMEOUT);

  it('damaged .meta and .bin files give values or SpikewireErrors', async () => {
    const tally = await fuzz('readSpikeglx damaged runs', damagedRun, useFolder, { numRuns: 150, timeoutMs: 10_000 });
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);
});

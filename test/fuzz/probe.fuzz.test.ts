// Fuzzing the probe layer (Node and Chromium): .prb text (edits of files written from the fixture
// probes, and random Python literals), ProbeInterface JSON (edits and structural damage of the
// fixture files), memory sizes and durations, and setProbe with damaged wiring. Every input gives a
// value or a SpikewireError, never another error and never a hang (test/helpers/fuzz.ts).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { NumpyRecording, parseDuration, parseMemory } from '../../src/index.js';
import { parseProbeinterface } from '../../src/probe/io-json.js';
import { parsePrb, writePrbText } from '../../src/probe/prb.js';
import type { ProbeGroup } from '../../src/probe/probegroup.js';
import { listFixtureDir, readFixtureText } from '../helpers/fixtures.js';
import { fuzz } from '../helpers/fuzz.js';
import { damagedJson, editedText, prbFromLiterals, sizeText } from './probe-inputs.js';

/** Per test: the runs take a few seconds alone, more beside the rest of the suite on a busy machine. */
const FUZZ_TIMEOUT = 60_000;

/** The ProbeInterface files written by ProbeInterface itself (expected.json is not one). */
let jsonTexts: string[] = [];
/** .prb texts written from every wired fixture probe group. */
let prbTexts: string[] = [];

beforeAll(async () => {
  const files = (await listFixtureDir('probes')).filter((f) => f.endsWith('.json') && f !== 'expected.json');
  jsonTexts = await Promise.all(files.map((f) => readFixtureText(`probes/${f}`)));
  prbTexts = jsonTexts.flatMap((text) => {
    const group = parseProbeinterface(text);
    return group.probes.every((p) => p.deviceChannelIndices !== null) ? [writePrbText(group)] : [];
  });
});

/** What a parsed group must look like: contacts with finite-or-NaN numbers, one device channel each. */
function checkGroup(group: ProbeGroup): void {
  for (const p of group.probes) {
    expect(p.contactPositions!.length).toBe(p.getContactCount());
    if (p.deviceChannelIndices !== null) expect(p.deviceChannelIndices.length).toBe(p.getContactCount());
  }
}

describe('probe fuzz', () => {
  it('parsePrb: edited .prb files written from the fixture probes', async () => {
    expect(prbTexts.length).toBeGreaterThanOrEqual(4);
    const tally = await fuzz('parsePrb edited files', editedText(prbTexts, 'python'), (text) => checkGroup(parsePrb(text)), { numRuns: 400 });
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('parsePrb: random Python literals (numbers in every notation, strings, ranges with huge bounds, deep nesting)', async () => {
    const tally = await fuzz('parsePrb literals', prbFromLiterals, (text) => checkGroup(parsePrb(text)), { numRuns: 500 });
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('parseProbeinterface: fixture JSON with keys dropped or retyped, arrays cut or grown, NaN / Infinity, __proto__', async () => {
    const tally = await fuzz('parseProbeinterface damaged', damagedJson(jsonTexts), (text) => checkGroup(parseProbeinterface(text)), { numRuns: 400 });
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('parseProbeinterface: edited JSON text', async () => {
    const tally = await fuzz('parseProbeinterface edited text', editedText(jsonTexts, 'json'), (text) => checkGroup(parseProbeinterface(text)), { numRuns: 300 });
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);

  it('parseMemory / parseDuration: SpikeInterface forms, near misses and noise', async () => {
    const positive = (v: number) => expect(v > 0 && Number.isFinite(v)).toBe(true);
    await fuzz('parseMemory', sizeText, (text) => positive(parseMemory(text)), { numRuns: 600 });
    await fuzz('parseDuration', sizeText, (text) => positive(parseDuration(text)), { numRuns: 600 });
  }, FUZZ_TIMEOUT);

  it('setProbe / setProbegroup on a small recording with damaged wiring, counts and group modes', async () => {
    const input = fc.record({
      file: fc.nat(),
      // as written, reversed, a random permutation (sorted by random keys), or random numbers
      wiring: fc.oneof(
        fc.constantFrom('keep' as const, 'reverse' as const),
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 40 }).map((keys) => ({ keys })),
        fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 40 }),
      ),
      extraChannels: fc.oneof(fc.constant(0), fc.integer({ min: -2, max: 2 })),
      groupMode: fc.constantFrom(undefined, 'auto', 'by_probe', 'by_shank', 'by_side', 'by_color'),
    });
    // After a refusal the recording must be as before: no probe, no 'group' property.
    let last: { recording: NumpyRecording; refused: boolean } | null = null;
    const tally = await fuzz(
      'setProbe damaged wiring',
      input,
      (c) => {
        last = null;
        const group = parseProbeinterface(jsonTexts[c.file % jsonTexts.length]!);
        const total = group.getContactCount();
        const w = c.wiring;
        if (w === 'reverse') group.setGlobalDeviceChannelIndices(Array.from({ length: total }, (_, i) => total - 1 - i));
        else if (Array.isArray(w)) group.setGlobalDeviceChannelIndices(Array.from({ length: total }, (_, i) => w[i] ?? i));
        else if (w !== 'keep') {
          const key = (i: number) => w.keys[i % w.keys.length]! + i * 1e-9;
          group.setGlobalDeviceChannelIndices(Array.from({ length: total }, (_, i) => i).sort((a, b) => key(a) - key(b)));
        }
        const numChannels = Math.max(1, total + c.extraChannels);
        const recording = new NumpyRecording({ tracesList: [new Float32Array(numChannels * 3)], samplingFrequency: 1000, numChannels });
        last = { recording, refused: true };
        const opts = { groupMode: c.groupMode as 'auto' };
        if (group.probes.length === 1) recording.setProbe(group.probes[0]!, opts);
        else recording.setProbegroup(group, opts);
        last.refused = false;
        expect(recording.getChannelLocations().length).toBe(2 * numChannels);
        expect((recording.getProperty('group') as ArrayLike<number>).length).toBe(numChannels);
      },
      {
        numRuns: 300,
        check: () => {
          if (last?.refused) {
            expect(last.recording.hasProbe()).toBe(false);
            expect(last.recording.getPropertyKeys()).toEqual([]);
          }
        },
      },
    );
    expect(tally.values).toBeGreaterThan(0);
    expect(tally.coded).toBeGreaterThan(0);
  }, FUZZ_TIMEOUT);
});

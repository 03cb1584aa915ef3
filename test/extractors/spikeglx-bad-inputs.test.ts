// What readSpikeglx does with the broken SpikeGLX folders of the fixtures (bad_inputs/expected.json):
// where SpikeInterface succeeded, the same recording (ids, samples, start times, probe, annotations,
// warnings); where it failed, a SpikewireError with a code and a message in spikewire's names.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpikewireError, getSpikeglxStreams, readSpikeglx, type SpikeGLXRecordingExtractor } from '../../src/index.js';
import { readFixtureJson, sha256Hex } from '../helpers/fixtures.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { MAIN_KIND, folderInput } from './spikeglx-source.js';

const BASE = 'acquisition/spikeglx/bad_inputs';
const expected = await readFixtureJson(`${BASE}/expected.json`);

/** The options of each call the fixture made. */
const CALLS: Record<string, Record<string, string>> = {
  read: { streamId: 'imec0.ap' },
  read_ap: { streamId: 'imec0.ap' },
  read_ok_reference: { streamId: 'imec0.ap' },
  read_lf: { streamId: 'imec0.lf' },
  read_lf_stream: { streamId: 'imec0.lf' },
  read_imec1_ap: { streamId: 'imec1.ap' },
  read_stream_name_nidq: { streamName: 'nidq' },
  read_no_stream: {},
};

/** SpikeInterface's exception → our code, and a piece of our message. */
function ourError(pythonError: string, message: string): { code: string; text: RegExp } {
  if (pythonError === 'FileNotFoundError') return { code: 'NOT_FOUND', text: /no SpikeGLX \.meta\/\.bin pair/ };
  // SpikeInterface's own messages, in our option names
  if (pythonError === 'AssertionError') return { code: 'INVALID_ARGUMENT', text: new RegExp(`^${message.replace('stream_id', 'streamId').replace('stream_name', 'streamName').replace(/[[\]().]/g, '\\$&')}$`) };
  if (message.startsWith('This reader have several streams')) return { code: 'INVALID_ARGUMENT', text: /^This reader have several streams: \n`stream_names`: \['imec0.ap', 'imec0.lf', 'imec0.ap-SYNC', 'imec0.lf-SYNC'\]/ };
  if (message.startsWith('Size of available data')) return { code: 'FORMAT', text: /not a whole number of int16 samples/ };
  if (message.startsWith('Two SpikeGLX file pairs')) return { code: 'FORMAT', text: /two SpikeGLX file pairs resolve to the same stream .imec0.ap. in segment 0/ };
  if (message === "'imroTbl'") return { code: 'FORMAT', text: /imroTbl/ };
  if (message === "(1, 'imec0.lf')") return { code: 'FORMAT', text: /stream .imec0.lf. has no \.meta\/\.bin pair in segment 1/ };
  throw new Error(`no mapping for ${pythonError}: ${message}`);
}

const cases = Object.entries<any>(expected.cases);
const calls = cases.flatMap(([name, c]) => Object.keys(c).filter((k) => k in CALLS || k === 'get_neo_streams').map((call) => [name, call] as const));

/** The calls whose stream has a .bin of another size than its .meta's fileSizeBytes (one file each). */
const SIZE_WARNINGS: Record<string, number> = {
  'truncated_mid_frame_even: read': 1,
  'filesize_mismatch: read_ap': 1,
  'filesize_mismatch: read_lf': 1,
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readSpikeglx on broken folders', () => {
  it('covers every call of every case', () => {
    expect(new Set(calls.map(([name]) => name)).size).toBe(cases.length);
  });

  it.each(calls)('%s: %s', async (name, call) => {
    const c = expected.cases[name];
    const want = c[call];
    const input = (await folderInput(`${BASE}/${c.folder}/bad_g0`, MAIN_KIND)) as any;
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
    if (call === 'get_neo_streams') {
      expect(await getSpikeglxStreams(input)).toEqual({ streamNames: want.stream_names, streamIds: want.stream_ids });
      return;
    }
    const reading = readSpikeglx(input, CALLS[call]);
    if (!want.ok) {
      const { code, text } = ourError(want.error, want.message);
      const error = await reading.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(SpikewireError);
      expect(error).toMatchObject({ code });
      expect((error as Error).message).toMatch(text);
      return;
    }
    const rec: SpikeGLXRecordingExtractor = await reading;
    try {
      const s = want.summary;
      expect(rec.toString()).toBe(s.repr);
      expect(rec.getChannelIds()).toEqual(s.channel_ids);
      expect(rec.getNumSegments()).toBe(s.num_segments);
      expect(rec.getSamplingFrequency()).toBe(s.sampling_frequency);
      expect(Array.from({ length: s.num_segments }, (_, i) => rec.getNumSamples(i))).toEqual(s.num_samples_per_segment);
      expect(Array.from({ length: s.num_segments }, (_, i) => rec.getStartTime(i))).toEqual(s.start_times);
      expect(rec.hasProbe()).toBe(s.has_probe);
      expect(Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]))).toEqual(s.annotations);
      expect(rec.getPropertyKeys()).toEqual(s.property_keys);
      for (let i = 0; i < s.num_segments; i++) {
        const raw = await rec.getTraces({ segmentIndex: i });
        expect(await sha256Hex(bytesOf(raw.data))).toBe(want.segment_hashes_raw[i]);
      }
      // spikewire's own warning where SpikeInterface reads a .bin of another size than its .meta
      // says without a word (the read is the same): once per file of the stream read
      const sizeWarning = /^spikewire: .*\.(ap|lf)\.bin has \d+ bytes, but fileSizeBytes of its \.meta says \d+.*: reading the \d+ whole frames the file holds, as SpikeInterface does$/;
      const own = warnings.filter((w) => sizeWarning.test(w));
      expect(own.length, 'fileSizeBytes warnings').toBe(SIZE_WARNINGS[`${name}: ${call}`] ?? 0);
      const others = warnings.filter((w) => !sizeWarning.test(w));
      // the same warnings as SpikeInterface, in spikewire's words
      expect(others.length).toBe(want.warnings.length);
      want.warnings.forEach((w: string, i: number) => {
        if (w.includes("'firstSample' missing")) expect(others[i]).toMatch(/'firstSample' missing from .*\.(ap|lf)\.meta; defaulting to 0/);
        else expect(others[i]).toMatch(/probe information will not be loaded/);
      });
    } finally {
      await rec.close();
    }
  });
});

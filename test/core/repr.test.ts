// SpikeInterface's recording repr, checked against every repr text the real Python libraries wrote into
// the fixtures, plus the Python number / string formatting it is built from. Runs in Node and in the
// browser project (no node: imports; fixtures come through test/helpers/fixtures.ts).
import { describe, expect, it } from 'vitest';
import { listFixtureDir, readFixtureJson } from '../helpers/fixtures.js';
import {
  PyFloat,
  PyTuple,
  formatBytes,
  formatDictRepr,
  formatDuration,
  formatFixed,
  formatRecordingRepr,
  formatSamplingFrequency,
  formatThousands,
  pyFloat,
  pyTuple,
  pythonRepr,
  segmentDuration,
  type ReprInput,
} from '../../src/core/repr.js';
import { SpikewireError } from '../../src/errors.js';

// ---------------------------------------------------------------------------------------------------
// Fixture plumbing

/** The part of a fixture "recording description" the repr depends on. */
interface Description {
  class: string;
  repr: string;
  name: string;
  num_channels: number;
  sampling_frequency: number;
  num_samples_per_segment: number[];
  dtype: string;
  dtype_name: string;
  annotations?: { name?: string | null };
  segments: { num_samples: number; duration: number; start_time: number; has_time_vector: boolean; memory_size: number }[];
  total_duration: number;
  total_memory_size: number;
  binary_description?: { file_paths?: string[] } | null;
}

/** Bytes per item from a numpy `.str` such as '<i2' or '<f8'. */
function itemSizeOf(numpyStr: string): number {
  const m = /^[<>|=]?[a-zA-Z](\d+)$/.exec(numpyStr);
  if (!m) throw new Error(`unexpected numpy dtype string ${numpyStr}`);
  return Number(m[1]);
}

// Only BinaryRecordingExtractor among the fixture classes has a `file_paths` kwarg (BinaryFolderRecording
// has folder_path, the slices and NumpyRecording none), so only its repr ends with the file_paths line.
const CLASSES_WITH_FILE_PATHS = new Set(['BinaryRecordingExtractor']);

type DurationMode = 'fixture' | 'computed';

/**
 * The ReprInput of a description, from its own fields. 'fixture' takes segments[i].duration as is;
 * 'computed' lets the repr derive durations from t_start (start_time) and keeps the fixture value only for
 * segments with a time vector. `dropTimeVectors` mimics a reload from a dump, which does not keep set_times().
 */
function inputOf(
  desc: Description,
  mode: DurationMode,
  overrides: { className?: string; dropTimeVectors?: boolean } = {},
): ReprInput {
  const className = overrides.className ?? desc.class;
  const fs = desc.sampling_frequency;
  const input: ReprInput = {
    className,
    name: desc.annotations?.name ?? null,
    numChannels: desc.num_channels,
    samplingFrequency: fs,
    numSamples: desc.num_samples_per_segment,
    itemSize: itemSizeOf(desc.dtype),
    dtype: desc.dtype_name,
    filePaths: CLASSES_WITH_FILE_PATHS.has(className) ? (desc.binary_description?.file_paths ?? null) : null,
  };
  if (mode === 'fixture' && !overrides.dropTimeVectors) {
    input.durations = desc.segments.map((s) => s.duration);
    return input;
  }
  const timeVector = desc.segments.map((s) => s.has_time_vector && !overrides.dropTimeVectors);
  input.tStarts = desc.segments.map((s, i) => (timeVector[i] || s.has_time_vector ? null : s.start_time));
  if (timeVector.some(Boolean)) {
    input.durations = desc.segments.map((s, i) =>
      timeVector[i] ? s.duration : segmentDuration(s.num_samples, fs, input.tStarts![i] ?? null),
    );
  }
  return input;
}

interface ReprCase {
  /** `<expected.json path>:<key path>` */
  where: string;
  expected: string;
  actual: () => string;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDescription = (v: unknown): v is Description =>
  isObject(v) && typeof v.repr === 'string' && Array.isArray(v.num_samples_per_segment);

/** Python prints an int key of split_by('group') as an int; the JSON made it a string. */
const pythonKey = (k: string): unknown => (/^-?\d+$/.test(k) ? Number(k) : k);

/**
 * Every repr text in one expected.json, paired with how to rebuild it. Throws on a `repr` it does not
 * know how to rebuild, so a new kind of fixture entry cannot be skipped silently.
 */
function collectCases(file: string, root: unknown): ReprCase[] {
  const cases: ReprCase[] = [];
  const walk = (node: unknown, path: string, parent: Record<string, any> | null, key: string): void => {
    if (Array.isArray(node)) {
      node.forEach((v, i) => walk(v, `${path}[${i}]`, null, String(i)));
      return;
    }
    if (!isObject(node)) return;
    const where = `${file}:${path}`;
    if (isDescription(node)) {
      for (const mode of ['fixture', 'computed'] as const) {
        cases.push({ where: `${where} (${mode} durations)`, expected: node.repr, actual: () => formatRecordingRepr(inputOf(node, mode)) });
      }
    } else if (typeof node.repr === 'string') {
      if (key === 'save_return' && isDescription(parent?.loaded)) {
        // save() returns the folder recording that `loaded` describes.
        const loaded = parent.loaded as Description;
        cases.push({ where, expected: node.repr, actual: () => formatRecordingRepr(inputOf(loaded, 'fixture', { className: node.class })) });
      } else if (key === 'source_dump_reload' && isDescription(parent?.source)) {
        // load(source.dump()): the same extractor and kwargs (t_starts), without set_times() vectors.
        const source = parent.source as Description;
        cases.push({ where, expected: node.repr, actual: () => formatRecordingRepr(inputOf(source, 'computed', { dropTimeVectors: true })) });
      } else if (typeof node.num_contacts === 'number') {
        // A ProbeInterface Probe summary ('Probe - 16ch'): not a recording.
      } else {
        throw new Error(`${where}: a repr this test does not know how to rebuild`);
      }
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === 'split_by_group_print' && typeof v === 'string') {
        const groups = (node as Record<string, any>).split_by_group as Record<string, Description>;
        cases.push({
          where: `${where}.${k}`,
          expected: v,
          // print(dict) = repr(dict) + '\n'
          actual: () =>
            formatDictRepr(Object.entries(groups).map(([g, d]) => [pythonKey(g), formatRecordingRepr(inputOf(d, 'fixture'))])) + '\n',
        });
      }
      walk(v, path ? `${path}.${k}` : k, node, k);
    }
  };
  walk(root, '', null, '');
  return cases;
}

/**
 * The tutorial's printed steps (`print(x)` = repr + '\n'), rebuilt from the tutorial's own numbers:
 * getters, channel id lists, and the `recording2` / `my_recording_loaded` descriptions.
 */
function tutorialCases(file: string, tutorial: Record<string, any>): ReprCase[] {
  const steps = tutorial.steps as Record<string, any>;
  const binary = tutorial.recording2 as Description;
  const folder = tutorial.my_recording_loaded as Description;
  const base = {
    samplingFrequency: tutorial.sampling_frequency as number,
    numSamples: [steps.getters['get_num_frames(0)'], steps.getters['get_num_frames(1)']] as number[],
    itemSize: itemSizeOf(binary.dtype),
    dtype: binary.dtype_name,
  };
  const numpyRepr = () => formatRecordingRepr({ ...base, className: 'NumpyRecording', numChannels: tutorial.num_channels });
  const sliceRepr = (numChannels: number) => formatRecordingRepr({ ...base, className: 'ChannelSliceRecording', numChannels });
  const binaryRepr = () => formatRecordingRepr(inputOf(binary, 'computed'));
  const folderRepr = () => formatRecordingRepr(inputOf(folder, 'computed'));
  const groupSizes = () =>
    (steps['split_by keys'] as number[]).map((k) => [k, steps['split_by channel ids'][String(k)].shape[0] as number] as const);

  const printed: Record<string, () => string> = {
    'print(recording) NumpyRecording': numpyRepr,
    'print(recording2) BinaryRecordingExtractor': binaryRepr,
    'print(recording4) select_channels': () => sliceRepr(steps['recording4.get_channel_ids()'].shape[0]),
    "print(ChannelSliceRecording(recording3, ['a','c','e']))": () => sliceRepr(3),
    "print(recording3.split_by('group'))": () => formatDictRepr(groupSizes().map(([k, n]) => [k, sliceRepr(n)])),
    'print(load(d))': binaryRepr,
    "print(load('my_recording.json'))": binaryRepr,
    "print(load('my_recording_relative.json', base_folder=True))": binaryRepr,
    "print(recording2.save(folder='./my_recording'))": folderRepr,
    "print(load('my_recording'))": folderRepr,
  };
  const cases: ReprCase[] = [];
  for (const [key, value] of Object.entries(steps)) {
    if (!key.startsWith('print(')) continue;
    const build = printed[key];
    if (!build) throw new Error(`${file}: printed step ${JSON.stringify(key)} is not rebuilt by this test`);
    cases.push({ where: `${file}:steps[${JSON.stringify(key)}]`, expected: value, actual: () => build() + '\n' });
  }
  const listed = steps["split_by(outputs='list') reprs"] as string[];
  listed.forEach((text, i) =>
    cases.push({ where: `${file}:steps["split_by(outputs='list') reprs"][${i}]`, expected: text, actual: () => sliceRepr(groupSizes()[i]![1]) }),
  );
  // 0.104.8's set_probe returned a new recording (main: None): its repr is the NumpyRecording's.
  const setProbe = steps.set_probe?.return_value_repr;
  if (typeof setProbe === 'string') cases.push({ where: `${file}:steps.set_probe.return_value_repr`, expected: setProbe, actual: numpyRepr });
  return cases;
}

/** expected.json files of both fixture sets: recordings/<case>/, tutorial_small/, tutorial_full/, write_recording/. */
async function expectedFiles(): Promise<string[]> {
  const files: string[] = [];
  for (const root of ['', 'release-0.104.8/']) {
    const top = await listFixtureDir(root || '.');
    for (const folder of ['tutorial_small', 'tutorial_full', 'write_recording']) {
      if (top.includes(folder)) files.push(`${root}${folder}/expected.json`);
    }
    for (const name of await listFixtureDir(`${root}recordings`)) files.push(`${root}recordings/${name}/expected.json`);
  }
  return files;
}

const fixtureCases: ReprCase[] = [];
for (const file of await expectedFiles()) {
  const json = await readFixtureJson(file);
  fixtureCases.push(...collectCases(file, json));
  if (isObject(json) && isObject(json.steps)) fixtureCases.push(...tutorialCases(file, json));
}

describe('formatRecordingRepr against every repr in the fixtures', () => {
  it('finds the fixture reprs (both fixture sets, all recording cases, tutorials)', () => {
    // Today: 216 repr texts (114 descriptions, each checked twice: 330 cases) from 14 + 14 recording cases,
    // write_recording x2, tutorial_small x2 and tutorial_full. A helper that found nothing must not pass.
    expect(fixtureCases.length).toBeGreaterThanOrEqual(330);
    expect(fixtureCases.some((c) => c.where.startsWith('release-0.104.8/'))).toBe(true);
    expect(fixtureCases.some((c) => c.where.startsWith('tutorial_full/'))).toBe(true);
  });

  for (const c of fixtureCases) {
    it(c.where, () => {
      expect(c.actual()).toBe(c.expected);
    });
  }
});

describe('segment durations', () => {
  it('segmentDuration matches segments[i].duration bit for bit (segments without a time vector)', async () => {
    let checked = 0;
    for (const file of await expectedFiles()) {
      const visit = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(visit);
        if (!isObject(node)) return;
        if (isDescription(node)) {
          node.segments.forEach((s) => {
            if (s.has_time_vector) return;
            expect(Object.is(segmentDuration(s.num_samples, node.sampling_frequency, s.start_time), s.duration)).toBe(true);
            checked++;
          });
        }
        Object.values(node).forEach(visit);
      };
      visit(await readFixtureJson(file));
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('the t_start path moves the last bits like SpikeInterface', () => {
    // seg_dur(n, fs, t) = ((n - 1) / fs (+ t)) - (t or 0.0) + 1 / fs, in this order (SpikeInterface's get_duration)
    expect(segmentDuration(3000, 30000)).toBe(0.09999999999999999); // (2999 / 30000.0) - 0.0 + 1 / 30000.0
    expect(segmentDuration(3000, 30000, 0)).toBe(0.09999999999999999); // t_start 0.0 gives the same float as None
    expect(segmentDuration(500, 2500)).toBe(0.2); // (499 / 2500.0) - 0.0 + 1 / 2500.0
    expect(segmentDuration(500, 2500, 100.0)).toBe(0.20000000000000379); // (499 / 2500.0 + 100.0) - 100.0 + 1 / 2500.0 (float64_t_starts, segment 0)
  });
});

// ---------------------------------------------------------------------------------------------------
// Python formatting rules, with the Python expression each expected value comes from

describe('formatFixed = format(x, ".Nf") / format(x, ",.Nf")', () => {
  it('rounds the exact binary value half to even', () => {
    expect(formatFixed(0.125, 2)).toBe('0.12'); // format(0.125, '.2f'): exact tie -> even (JS toFixed: '0.13')
    expect(formatFixed(0.375, 2)).toBe('0.38'); // format(0.375, '.2f'): exact tie -> even
    expect(formatFixed(2.675, 2)).toBe('2.67'); // format(2.675, '.2f'): 2.67499999999999982236431605997495353221893310546875
    expect(formatFixed(1.005, 2)).toBe('1.00'); // format(1.005, '.2f'): 1.00499999999999989341858963598497211933135986328125
    expect(formatFixed(-2.675, 2)).toBe('-2.67'); // format(-2.675, '.2f')
    expect(formatFixed(2.5, 0)).toBe('2'); // format(2.5, '.0f')
    expect(formatFixed(3.5, 0)).toBe('4'); // format(3.5, '.0f')
    expect(formatFixed(0.5, 0)).toBe('0'); // format(0.5, '.0f')
    expect(formatFixed(0.1, 20)).toBe('0.10000000000000000555'); // format(0.1, '.20f')
    expect(formatFixed(0.000125 * 1000, 2)).toBe('0.12'); // format(0.000125 * 1000, '.2f'): the product is exactly 0.125
  });

  it('keeps the sign of negative zero and of negatives that round to zero', () => {
    expect(formatFixed(-0, 2)).toBe('-0.00'); // format(-0.0, '.2f')
    expect(formatFixed(-0.001, 2)).toBe('-0.00'); // format(-0.001, '.2f')
  });

  it('handles huge, tiny and non-finite values', () => {
    expect(formatFixed(1e21, 2)).toBe('1000000000000000000000.00'); // format(1e21, '.2f') (JS toFixed switches to '1e+21')
    expect(formatFixed(1e22, 2, true)).toBe('10,000,000,000,000,000,000,000.00'); // format(1e22, ',.2f')
    expect(formatFixed(1e300, 1).slice(0, 20)).toBe('10000000000000000525'); // format(1e300, '.1f')[:20]
    expect(formatFixed(5e-324, 2)).toBe('0.00'); // format(5e-324, '.2f')
    expect(formatFixed(NaN, 2)).toBe('nan'); // format(float('nan'), '.2f')
    expect(formatFixed(Infinity, 2, true)).toBe('inf'); // format(float('inf'), ',.2f')
    expect(formatFixed(-Infinity, 2)).toBe('-inf'); // format(-float('inf'), '.2f')
  });

  it('groups thousands after rounding', () => {
    expect(formatFixed(999.995, 2, true)).toBe('1,000.00'); // format(999.995, ',.2f'): 999.9950000000000045... rounds up
    expect(formatFixed(1234567.891, 2, true)).toBe('1,234,567.89'); // format(1234567.891, ',.2f')
  });

  it('rejects a bad digit count', () => {
    expect(() => formatFixed(1, -1)).toThrow(SpikewireError);
  });
});

describe('formatThousands = format(n, ",")', () => {
  it('groups integers, including beyond 2**53', () => {
    expect(formatThousands(0)).toBe('0'); // format(0, ',')
    expect(formatThousands(999)).toBe('999'); // format(999, ',')
    expect(formatThousands(1000)).toBe('1,000'); // format(1000, ',')
    expect(formatThousands(1234567)).toBe('1,234,567'); // format(1234567, ',')
    expect(formatThousands(-1234)).toBe('-1,234'); // format(-1234, ',')
    expect(formatThousands(1e21)).toBe('1,000,000,000,000,000,000,000'); // format(10**21, ',')
    expect(formatThousands(2n ** 64n)).toBe('18,446,744,073,709,551,616'); // format(2**64, ',')
  });

  it('formats a non-integer like a Python float with ","', () => {
    expect(formatThousands(1234.5)).toBe('1,234.5'); // format(1234.5, ',')
  });
});

describe('formatDuration = convert_seconds_to_str(s)', () => {
  it.each([
    [0, '0.00s (0.00 ms)'], // f"{0:,.2f}s ({0 * 1000:.2f} ms)"
    [0.0005, '0.00s (0.50 ms)'], // f"{0.0005:,.2f}s ({0.0005 * 1000:.2f} ms)"
    [0.000125, '0.00s (0.12 ms)'], // 0.000125 * 1000 == 0.125 -> '0.12' (half to even)
    [0.06666555557407376, '0.07s (66.67 ms)'], // float32_string_ids: 2000 samples at 30000.5 Hz
    [0.5, '0.50s (500.00 ms)'],
    [0.9999, '1.00s (999.90 ms)'], // still < 1 s, so ms although it prints '1.00s'
    [1.0, '1.00s'], // 1 <= s < 60: no suffix
    [59.994, '59.99s'],
    [59.999, '60.00s'], // f"{59.999:,.2f}s", no suffix since 59.999 < 60
    [60, '60.00s (1.00 minutes)'], // f"{60:,.2f}s ({60 / 60:.2f} minutes)"
    [90, '90.00s (1.50 minutes)'],
    [3599.99, '3,599.99s (60.00 minutes)'], // f"{3599.99:,.2f}s ({3599.99 / 60:.2f} minutes)"
    [3600, '3,600.00s (1.00 hours)'], // f"{3600:,.2f}s ({3600 / 3600:.2f} hours)"
    [7200, '7,200.00s (2.00 hours)'],
    [172799, '172,799.00s (48.00 hours)'], // < 86400 * 2
    [172800, '172,800.00s (2.00 days)'], // f"{172800:,.2f}s ({172800 / 86400:.2f} days)"
    [259200, '259,200.00s (3.00 days)'],
    [1e6, '1,000,000.00s (11.57 days)'], // f"{1e6 / 86400:.2f}" == '11.57'
    [-1.5, '-1.50s (-1500.00 ms)'], // negatives are < 1.0
    [NaN, 'nans (nan days)'], // every comparison with nan is False -> the days branch
  ])('%s s -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatBytes = convert_bytes_to_str(n)', () => {
  it.each([
    [0, '0.00 B'], // f"{0:.2f} B"
    [1023, '1023.00 B'],
    [1024, '1.00 KiB'], // f"{1024 / 1024:.2f} KiB"
    [1152, '1.12 KiB'], // 1152 / 1024 == 1.125 exactly -> '1.12' (half to even; JS toFixed gives '1.13')
    [1536, '1.50 KiB'],
    [45056, '44.00 KiB'], // 45056 / 1024 == 44.0 (SpikeInterface's docstring says '43.99 KiB'; the code gives 44.00)
    [1048575, '1024.00 KiB'], // < 1024**2 stays KiB: f"{1048575 / 1024:.2f}" == '1024.00'
    [1048576, '1.00 MiB'],
    [1024 ** 3 - 1, '1024.00 MiB'],
    [1024 ** 3, '1.00 GiB'],
    [3 * 1024 ** 3 + 5 * 1024 ** 2, '3.00 GiB'], // 3.0048828125 GiB
    [216_000_000 * 384 * 2, '154.50 GiB'], // 2 h of Neuropixels int16: 165888000000 / 1024**3 == 154.4952...
    [1.5 * 1024 ** 4, '1.50 TiB'],
    [1024 ** 5, '1024.00 TiB'], // TiB is the last unit
    [1024 ** 6, '1048576.00 TiB'],
  ])('%s bytes -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('takes bigints beyond 2**53 as Python ints', () => {
    expect(formatBytes(2n ** 70n)).toBe('1073741824.00 TiB'); // convert_bytes_to_str(2**70)
    expect(formatBytes(1000n)).toBe('1000.00 B');
  });
});

describe('formatSamplingFrequency', () => {
  it.each([
    [30000.5, '30000.500000 Hz'], // not fs.is_integer(): f"{30000.5:f} Hz"
    [2500.0, '2500.0Hz'], // integral, <= 10 kHz: f"{2500.0:0.1f}Hz"
    [10000.0, '10000.0Hz'], // 10 kHz is not > 10_000.0
    [44100, '44.1kHz'], // f"{44100 / 1000.0:0.1f}kHz"
    [32000.0, '32.0kHz'],
    [30000, '30.0kHz'],
    [10001, '10.0kHz'], // 10.001 -> '10.0'
    [10050, '10.1kHz'], // 10.05 is 10.0500000000000007105... -> '10.1'
    [10250, '10.2kHz'], // 10.25 exactly: half to even -> '10.2' (JS toFixed: '10.3')
    [10150, '10.2kHz'], // 10.15 is 10.1500000000000003552... -> '10.2'
    [30000.123456789, '30000.123457 Hz'], // f"{30000.123456789:f}"
    [20000.0000005, '20000.000001 Hz'],
    [30000.0000000001, '30000.000000 Hz'], // not integral, prints as if it were
    [32000.25, '32000.250000 Hz'],
    [0.5, '0.500000 Hz'],
    [1.0, '1.0Hz'],
    [1e20, '100000000000000000.0kHz'], // f"{1e20 / 1000.0:0.1f}kHz"
    [NaN, 'nan Hz'], // nan.is_integer() is False
    [Infinity, 'inf Hz'],
  ])('%s -> %s', (fs, text) => {
    expect(formatSamplingFrequency(fs)).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------------
// Whole reprs beyond the fixtures (expected strings from SpikeInterface's __repr__ rules, see comments)

describe('formatRecordingRepr beyond the fixtures', () => {
  const base = { className: 'NumpyRecording', numChannels: 4, samplingFrequency: 30000, numSamples: [1000], itemSize: 2, dtype: 'int16' };

  it('hours, GiB and a file_paths line (2 h Neuropixels)', () => {
    expect(
      formatRecordingRepr({
        className: 'BinaryRecordingExtractor',
        numChannels: 384,
        samplingFrequency: 30000,
        numSamples: [216_000_000],
        itemSize: 2,
        dtype: 'int16',
        filePaths: ['/data/np/continuous.dat'],
      }),
    ).toBe(
      'BinaryRecordingExtractor: 384 channels - 30.0kHz - 1 segments - 216,000,000 samples \n' +
        '                          7,200.00s (2.00 hours) - int16 dtype - 154.50 GiB\n' +
        "  file_paths: ['/data/np/continuous.dat']",
    );
  });

  it('days and GiB per segment', () => {
    expect(formatRecordingRepr({ ...base, numChannels: 64, numSamples: [3 * 86400 * 30000, 3600 * 30000] })).toBe(
      'NumpyRecording: 64 channels - 30.0kHz - 2 segments - 7,884,000,000 samples \n' +
        '                262,800.00s (3.04 days) - int16 dtype - 939.85 GiB\n' +
        'Segments:\n' +
        'Samples:   7,776,000,000 | 108,000,000\n' +
        'Durations: 259,200.00s (3.00 days) | 3,600.00s (1.00 hours)\n' +
        'Memory:    926.97 GiB | 12.87 GiB',
    );
  });

  it('TiB', () => {
    expect(
      formatRecordingRepr({ ...base, className: 'ChannelSliceRecording', numChannels: 1024, itemSize: 4, dtype: 'float32', numSamples: [30000 * 86400 * 10, 12345] }),
    ).toBe(
      'ChannelSliceRecording: 1024 channels - 30.0kHz - 2 segments - 25,920,012,345 samples \n' +
        '                       864,000.41s (10.00 days) - float32 dtype - 96.56 TiB\n' +
        'Segments:\n' +
        'Samples:   25,920,000,000 | 12,345\n' +
        'Durations: 864,000.00s (10.00 days) | 0.41s (411.50 ms)\n' +
        'Memory:    96.56 TiB | 48.22 MiB',
    );
  });

  it('elides the middle segments past 6, not at 6', () => {
    const seven = { ...base, numChannels: 2, samplingFrequency: 1000, itemSize: 8, dtype: 'float64' };
    expect(formatRecordingRepr({ ...seven, numSamples: [1000, 2000, 3000, 4000, 5000, 6000, 70000] })).toBe(
      'NumpyRecording: 2 channels - 1000.0Hz - 7 segments - 91,000 samples - 91.00s (1.52 minutes) \n' +
        '                float64 dtype - 1.39 MiB\n' +
        'Segments:\n' +
        'Samples:   1,000 | 2,000 | 3,000 | ... | 5,000 | 6,000 | 70,000\n' +
        'Durations: 1.00s | 2.00s | 3.00s | ... | 5.00s | 6.00s | 70.00s (1.17 minutes)\n' +
        'Memory:    15.62 KiB | 31.25 KiB | 46.88 KiB | ... | 78.12 KiB | 93.75 KiB | 1.07 MiB',
    );
    expect(formatRecordingRepr({ ...seven, numSamples: [1000, 2000, 3000, 4000, 5000, 6000] })).toBe(
      'NumpyRecording: 2 channels - 1000.0Hz - 6 segments - 21,000 samples - 21.00s - float64 dtype \n' +
        '                328.12 KiB\n' +
        'Segments:\n' +
        'Samples:   1,000 | 2,000 | 3,000 | 4,000 | 5,000 | 6,000\n' +
        'Durations: 1.00s | 2.00s | 3.00s | 4.00s | 5.00s | 6.00s\n' +
        'Memory:    15.62 KiB | 31.25 KiB | 46.88 KiB | 62.50 KiB | 78.12 KiB | 93.75 KiB',
    );
  });

  it('counts the header in code points, and indents by the bare name', () => {
    // name 'rec-🧠-🧠' is 7 code points (9 UTF-16 units): indent 7 + 2; split at the last '-' of txt[:100].
    expect(formatRecordingRepr({ ...base, samplingFrequency: 44100, numSamples: [44100], name: 'rec-\u{1F9E0}-\u{1F9E0}' })).toBe(
      'rec-\u{1F9E0}-\u{1F9E0} (NumpyRecording): 4 channels - 44.1kHz - 1 segments - 44,100 samples - 1.00s - int16 dtype \n' +
        '         344.53 KiB',
    );
  });

  it('shows a name equal to the class name once', () => {
    expect(formatRecordingRepr({ ...base, samplingFrequency: 44100, numSamples: [44100], name: 'NumpyRecording' })).toBe(
      'NumpyRecording: 4 channels - 44.1kHz - 1 segments - 44,100 samples - 1.00s - int16 dtype \n                344.53 KiB',
    );
  });

  it('wraps only above 100 characters, and only at a "-" within the first 100', () => {
    const header = (className: string) => formatRecordingRepr({ ...base, className });
    const length = Array.from(header('A')).length;
    const exactly100 = 'A'.repeat(1 + 100 - length);
    expect(header(exactly100)).not.toContain('\n'); // len(txt) == 100 is not > 100
    expect(header(exactly100).length).toBe(100);
    expect(header(exactly100 + 'A')).toContain(' \n'); // 101: split, first line keeps its trailing space
    // No '-' in txt[:100] (a 120-character name): rfind gives -1 and the line stays whole.
    expect(header('x'.repeat(120))).toBe('x'.repeat(120) + ': 4 channels - 30.0kHz - 1 segments - 1,000 samples - 0.03s (33.33 ms) - int16 dtype - 7.81 KiB');
  });

  it('handles zero samples and a single channel', () => {
    // (0 - 1) / 32000.0 - 0.0 + 1 / 32000.0 == 0.0
    expect(formatRecordingRepr({ ...base, numChannels: 1, samplingFrequency: 32000, numSamples: [0], itemSize: 1, dtype: 'int8' })).toBe(
      'NumpyRecording: 1 channels - 32.0kHz - 1 segments - 0 samples - 0.00s (0.00 ms) - int8 dtype \n                0.00 B',
    );
  });

  it('prints file_paths as a Python list, quotes and backslashes included', () => {
    expect(
      formatRecordingRepr({
        ...base,
        className: 'BinaryRecordingExtractor',
        numChannels: 2,
        samplingFrequency: 30000.5,
        numSamples: [100],
        filePaths: ["/tmp/it's here.raw", 'C:\\data\\x.raw'],
      }),
    ).toBe(
      'BinaryRecordingExtractor: 2 channels - 30000.500000 Hz - 1 segments - 100 samples \n' +
        '                          0.00s (3.33 ms) - int16 dtype - 400.00 B\n' +
        `  file_paths: ["/tmp/it's here.raw", 'C:\\\\data\\\\x.raw']`,
    );
  });

  it('appends a file_path line with str() of the path', () => {
    expect(formatRecordingRepr({ ...base, className: 'X', filePath: '/a/b.nwb' }).endsWith('\n  file_path: /a/b.nwb')).toBe(true);
  });

  it('rejects inconsistent input', () => {
    expect(() => formatRecordingRepr({ ...base, durations: [1, 2] })).toThrow(SpikewireError);
    expect(() => formatRecordingRepr({ ...base, numSamples: [1.5] })).toThrow(SpikewireError);
    expect(() => formatRecordingRepr({ ...base, numChannels: -1 })).toThrow(SpikewireError);
  });
});

// ---------------------------------------------------------------------------------------------------
// pythonRepr / formatDictRepr

describe('pythonRepr', () => {
  it('strings: quote choice and escapes', () => {
    expect(pythonRepr('abc')).toBe("'abc'"); // repr('abc')
    expect(pythonRepr("it's")).toBe(`"it's"`); // repr("it's"): ' and no " -> double quotes
    expect(pythonRepr('say "hi"')).toBe(`'say "hi"'`); // repr('say "hi"')
    expect(pythonRepr(`both ' and "`)).toBe(`'both \\' and "'`); // repr('both \' and "')
    expect(pythonRepr('back\\slash')).toBe("'back\\\\slash'"); // repr('back\\slash')
    expect(pythonRepr('tab\tnl\ncr\r')).toBe("'tab\\tnl\\ncr\\r'"); // repr('tab\tnl\ncr\r')
    expect(pythonRepr('\x00\x1f\x7f')).toBe("'\\x00\\x1f\\x7f'"); // repr('\x00\x1f\x7f')
    expect(pythonRepr('')).toBe("''");
  });

  it('strings: printable vs escaped non-ASCII', () => {
    expect(pythonRepr('caf\u00e9')).toBe("'caf\u00e9'"); // repr('café') prints é
    expect(pythonRepr('\u{1F600}')).toBe("'\u{1F600}'"); // repr('😀')
    expect(pythonRepr('nb\u00a0sp')).toBe("'nb\\xa0sp'"); // repr('nb\xa0sp'): Zs -> \xa0
    expect(pythonRepr('\x85')).toBe("'\\x85'"); // repr('\x85'): Cc
    expect(pythonRepr('zw\u200bsp')).toBe("'zw\\u200bsp'"); // repr('zw\u200bsp'): Cf
    expect(pythonRepr('\u2028')).toBe("'\\u2028'"); // repr('\u2028'): Zl
    expect(pythonRepr('\u3000')).toBe("'\\u3000'"); // repr('\u3000'): Zs
    expect(pythonRepr('\u0378')).toBe("'\\u0378'"); // repr('\u0378'): unassigned (Cn)
    expect(pythonRepr('\ud800')).toBe("'\\ud800'"); // repr('\ud800'): lone surrogate (Cs)
    expect(pythonRepr('\u{E0001}')).toBe("'\\U000e0001'"); // repr('\U000E0001'): Cf, astral
  });

  it('ints and floats', () => {
    expect(pythonRepr(1)).toBe('1'); // repr(1)
    expect(pythonRepr(-7)).toBe('-7');
    expect(pythonRepr(9007199254740992)).toBe('9007199254740992'); // repr(2**53)
    expect(pythonRepr(1e22)).toBe('10000000000000000000000'); // an integral JS number is an int: repr(10**22)
    expect(pythonRepr(10n ** 30n)).toBe('1000000000000000000000000000000'); // repr(10**30)
    expect(pythonRepr(pyFloat(1))).toBe('1.0'); // repr(1.0)
    expect(pythonRepr(new PyFloat(123))).toBe('123.0'); // repr(123.0)
    expect(pythonRepr(0.1)).toBe('0.1'); // repr(0.1)
    expect(pythonRepr(0.1 + 0.2)).toBe('0.30000000000000004'); // repr(0.1 + 0.2)
    expect(pythonRepr(1 / 3)).toBe('0.3333333333333333'); // repr(1/3)
    expect(pythonRepr(1.5)).toBe('1.5');
    expect(pythonRepr(123456789.123)).toBe('123456789.123');
    expect(pythonRepr(0.0001)).toBe('0.0001'); // repr(0.0001): positional down to 1e-4
    expect(pythonRepr(1e-5)).toBe('1e-05'); // repr(1e-05): exponent, two digits
    expect(pythonRepr(0.00001234)).toBe('1.234e-05'); // repr(0.00001234)
    expect(pythonRepr(pyFloat(1e15))).toBe('1000000000000000.0'); // repr(1e15)
    expect(pythonRepr(pyFloat(9999999999999998))).toBe('9999999999999998.0'); // repr(9999999999999998.0)
    expect(pythonRepr(pyFloat(1e16))).toBe('1e+16'); // repr(1e16): exponent from 1e16 on
    expect(pythonRepr(pyFloat(1.5e16))).toBe('1.5e+16'); // repr(1.5e16)
    expect(pythonRepr(pyFloat(1e22))).toBe('1e+22'); // repr(1e22)
    expect(pythonRepr(5e-324)).toBe('5e-324'); // repr(5e-324)
    expect(pythonRepr(pyFloat(1.7976931348623157e308))).toBe('1.7976931348623157e+308'); // repr(sys.float_info.max)
    expect(pythonRepr(1.7976931348623157e308)).toBe(BigInt(1.7976931348623157e308).toString()); // integral JS number: int(sys.float_info.max)
    expect(pythonRepr(-0)).toBe('-0.0'); // repr(-0.0): only a float can be negative zero
    expect(pythonRepr(NaN)).toBe('nan'); // repr(float('nan'))
    expect(pythonRepr(Infinity)).toBe('inf'); // repr(float('inf'))
    expect(pythonRepr(-Infinity)).toBe('-inf');
  });

  it('True / False / None', () => {
    expect(pythonRepr(true)).toBe('True');
    expect(pythonRepr(false)).toBe('False');
    expect(pythonRepr(null)).toBe('None');
    expect(pythonRepr(undefined)).toBe('None');
  });

  it('containers', () => {
    expect(pythonRepr([1, 'a', [pyFloat(2)]])).toBe("[1, 'a', [2.0]]"); // repr([1, 'a', [2.0]])
    expect(pythonRepr([])).toBe('[]');
    expect(pythonRepr(pyTuple([]))).toBe('()'); // repr(())
    expect(pythonRepr(pyTuple([1]))).toBe('(1,)'); // repr((1,))
    expect(pythonRepr(new PyTuple([1, 2]))).toBe('(1, 2)'); // repr((1, 2))
    expect(pythonRepr({ a: 1, b: [true] })).toBe("{'a': 1, 'b': [True]}"); // repr({'a': 1, 'b': [True]})
    expect(pythonRepr({})).toBe('{}');
    expect(pythonRepr(new Map<unknown, unknown>([[0, 'x'], [pyFloat(1), null]]))).toBe("{0: 'x', 1.0: None}"); // repr({0: 'x', 1.0: None})
    expect(pythonRepr(new Set())).toBe('set()'); // repr(set())
    expect(pythonRepr(new Set([1]))).toBe('{1}'); // repr({1})
  });

  it('self-containing containers', () => {
    const a: unknown[] = [];
    a.push(a);
    expect(pythonRepr(a)).toBe('[[...]]'); // a = []; a.append(a); repr(a)
    const d: Record<string, unknown> = {};
    d.self = d;
    expect(pythonRepr(d)).toBe("{'self': {...}}"); // d = {}; d['self'] = d; repr(d)
    const shared = [1];
    expect(pythonRepr([shared, shared])).toBe('[[1], [1]]'); // shared, not recursive
  });

  it('refuses values Python has no plain repr for', () => {
    expect(() => pythonRepr(() => 1)).toThrow(SpikewireError);
    expect(() => pythonRepr(Symbol('s'))).toThrow(SpikewireError);
    expect(() => pythonRepr(new Date(0))).toThrow(SpikewireError);
  });
});

describe('formatDictRepr', () => {
  it('keys through pythonRepr, values as given', () => {
    expect(formatDictRepr([[0, 'A: x'], [1, 'B: y']])).toBe('{0: A: x, 1: B: y}'); // repr({0: a, 1: b}) with repr(a) == 'A: x'
    expect(formatDictRepr([['g1', 'R']])).toBe("{'g1': R}");
    expect(formatDictRepr([])).toBe('{}');
    expect(formatDictRepr(new Map([[2, 'r']]))).toBe('{2: r}');
  });
});

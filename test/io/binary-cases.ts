// The fixture cases whose source is a BinaryRecordingExtractor: the options SpikeInterface opened them
// with (from source.dump.json), and the metadata the fixture added afterwards (annotations,
// properties, times), so that a recording opened by spikewire can be compared with expected.source.
import { expect } from 'vitest';
import type { BaseRecording, BinaryRecordingOptions } from '../../src/index.js';
import { CASES, attachCaseProbe, npyFloat64, propertyValues } from '../core/fixture-build.js';
import { readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';

/** Every case with raw files under source/ (all but the NumpyRecording one). */
export const BINARY_CASES = CASES.filter((c) => c !== 'numpy_source_neuropixels_384');

/** SpikeInterface kwargs (snake_case) -> BinaryRecordingExtractor.open options, without the files. */
export function optionsFromKwargs(k: any): Omit<BinaryRecordingOptions, 'filePaths' | 'sources'> {
  return {
    samplingFrequency: k.sampling_frequency,
    numChannels: k.num_channels,
    dtype: k.dtype,
    timeAxis: k.time_axis,
    fileOffset: k.file_offset,
    channelIds: k.channel_ids,
    tStarts: k.t_starts,
    gainToUV: k.gain_to_uV,
    offsetToUV: k.offset_to_uV,
    isFiltered: k.is_filtered,
  };
}

export interface BinaryCase {
  name: string;
  expected: any;
  /** The kwargs of source.dump.json (file paths relative to the case folder). */
  kwargs: any;
  options: Omit<BinaryRecordingOptions, 'filePaths' | 'sources'>;
  /** Fixture-relative paths of the raw files, one per segment. */
  files: string[];
}

export async function loadBinaryCase(name: string): Promise<BinaryCase> {
  const dir = `recordings/${name}`;
  const expected = await readFixtureJson(`${dir}/expected.json`);
  const dump = await readFixtureJson(`${dir}/source.dump.json`);
  const kwargs = dump.kwargs;
  return { name, expected, kwargs, options: optionsFromKwargs(kwargs), files: kwargs.file_paths.map((p: string) => `${dir}/${p}`) };
}

/** Adds what the fixture set after opening: annotations, the other properties, the probe, time vectors. */
export async function applyCaseExtras(rec: BaseRecording, c: BinaryCase): Promise<void> {
  const src = c.expected.source;
  const { is_filtered: _f, ...annotations } = src.annotations;
  rec.annotate(annotations);
  // The zoo case set two properties on a subset of channels (SpikeInterface filled in missing values).
  const partial: Record<string, number[]> = c.name === 'properties_annotations_zoo' ? { partial_str: [0, 1], partial_float: [1, 2] } : {};
  const present = new Set(rec.getPropertyKeys());
  for (const key of src.property_keys as string[]) {
    if (present.has(key) || key in partial) continue;
    // With a probe, 'group' comes from attaching it below (it is the last key in those cases).
    if (key === 'group' && src.has_probe) continue;
    rec.setProperty(key, propertyValues(src.properties[key]) as unknown[]);
  }
  const ids = rec.getChannelIds();
  if (c.name === 'properties_annotations_zoo') {
    rec.setProperty('partial_str', ['p', 'qq'], [ids[0], ids[1]]);
    rec.setProperty('partial_float', [1.5, 2.5], [ids[1], ids[2]]);
  }
  await attachCaseProbe(rec, c.name, c.expected);
  for (let i = 0; i < src.num_segments; i++) {
    if (src.segments[i].has_time_vector) {
      const times = npyFloat64(await readFixtureBytes(`recordings/${c.name}/saved/times_cached_seg${i}.npy`));
      rec.setTimes(times, src.num_segments > 1 ? i : undefined);
    }
  }
}

/** Python's repr of a list of strings (the `file_paths:` line). */
export function pyStrList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** Checks the repr: SpikeInterface's text with its file_paths line replaced by `paths`. */
export function expectReprWithPaths(rec: BaseRecording, expectedRepr: string, paths: readonly string[]): void {
  const cut = expectedRepr.lastIndexOf('\n  file_paths: ');
  expect(cut).toBeGreaterThan(0);
  expect(rec.toString()).toBe(`${expectedRepr.slice(0, cut)}\n  file_paths: ${pyStrList(paths)}`);
}

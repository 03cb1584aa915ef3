// Rebuilds fixture cases in memory: a NumpyRecording over the raw samples SpikeInterface wrote, with
// the ids, gains, properties, annotations and times the fixture describes, and, for the probe cases,
// the fixture's input probe attached with setProbe / setProbegroup (which sets 'group').
import { NumpyRecording, type BaseRecording, type DType, type TypedArray } from '../../src/index.js';
import { arrayType } from '../../src/dtype.js';
import { readProbeinterface } from '../../src/formats/probe-files.js';
import type { ProbeGroup } from '../../src/probe/probegroup.js';
import { decodeArrayEntry, fixtureExists, readFixtureBytes, readFixtureJson, readFixtureText, type ArrayEntry } from '../helpers/fixtures.js';

/** Values of an array entry as setProperty should receive them (typed arrays keep their dtype). */
export function propertyValues(entry: ArrayEntry): unknown[] | TypedArray {
  const d = decodeArrayEntry(entry, { int64: 'number' });
  if (entry.shape.length === 2) return entry.data as unknown[][];
  if (entry.dtype === '|O') return d.flat;
  return d.values as unknown[] | TypedArray;
}

/** Parses the float64 data of a small .npy file (v1 header). */
export function npyFloat64(bytes: Uint8Array): Float64Array {
  const headerLength = bytes[8] | (bytes[9] << 8);
  const offset = 10 + headerLength;
  return new Float64Array(bytes.slice(offset).buffer);
}

/**
 * The probe (group) a case passed to set_probe / set_probegroup: input_probe.json as
 * readProbeinterface gives it, wired with probe_input.info when the file carries no wiring.
 */
export async function readCaseInputProbegroup(name: string, expected?: any): Promise<ProbeGroup> {
  const dir = `recordings/${name}`;
  const e = expected ?? (await readFixtureJson(`${dir}/expected.json`));
  const group = await readProbeinterface(await readFixtureText(`${dir}/input_probe.json`));
  const info = e.probe_input?.info ?? {};
  const wiring: number[] | undefined = info.global_wiring ?? info.device_channel_indices;
  if (group.probes.some((p) => p.deviceChannelIndices === null)) {
    if (!wiring) throw new Error(`${name}: input_probe.json has no wiring and probe_input.info gives none`);
    group.setGlobalDeviceChannelIndices(wiring);
  }
  return group;
}

/**
 * Attaches a case's input probe as the fixture did: setProbe for one probe, setProbegroup for a
 * group. Nothing for cases without a probe.
 */
export async function attachCaseProbe(recording: BaseRecording, name: string, expected?: any): Promise<void> {
  const e = expected ?? (await readFixtureJson(`recordings/${name}/expected.json`));
  if (!e.source.has_probe) return;
  const group = await readCaseInputProbegroup(name, e);
  if (group.probes.length === 1) recording.setProbe(group.probes[0]!);
  else recording.setProbegroup(group);
}

export interface BuiltCase {
  expected: any;
  recording: BaseRecording;
}

/** The raw file of segment `i` of a case: the source's, or the saved folder's for NumpyRecording sources. */
async function rawSegment(dir: string, i: number): Promise<Uint8Array> {
  const source = `${dir}/source/traces_seg${i}.raw`;
  if (await fixtureExists(source)) return readFixtureBytes(source);
  return readFixtureBytes(`${dir}/saved/traces_cached_seg${i}.raw`);
}

/** Builds recordings/<name> in memory. */
export async function buildCase(name: string): Promise<BuiltCase> {
  const dir = `recordings/${name}`;
  const expected = await readFixtureJson(`${dir}/expected.json`);
  const src = expected.source;
  const dtype = src.dtype_name as DType;
  const tracesList: TypedArray[] = [];
  for (let i = 0; i < src.num_segments; i++) {
    const bytes = await rawSegment(dir, i);
    tracesList.push(new (arrayType(dtype))(bytes.slice().buffer) as TypedArray);
  }
  const recording = new NumpyRecording({
    tracesList,
    samplingFrequency: src.sampling_frequency,
    numChannels: src.num_channels,
    channelIds: decodeArrayEntry(src.channel_ids, { int64: 'number' }).flat as (number | string)[],
    tStarts: expected.spec.t_starts ?? null,
  });
  const zooPartial: Record<string, { ids: number[] }> = {};
  if (name === 'properties_annotations_zoo') {
    // Set the way the fixture did: on a subset of channels, so SpikeInterface's missing values fill the rest.
    const ids = recording.getChannelIds();
    recording.setProperty('partial_str', ['p', 'qq'], [ids[0], ids[1]]);
    recording.setProperty('partial_float', [1.5, 2.5], [ids[1], ids[2]]);
    zooPartial.partial_str = { ids: [0, 1] };
    zooPartial.partial_float = { ids: [1, 2] };
  }
  for (const key of src.property_keys as string[]) {
    if (key in zooPartial) continue;
    // With a probe, 'group' comes from setProbe below (it is the last key in those cases).
    if (key === 'group' && src.has_probe) continue;
    recording.setProperty(key, propertyValues(src.properties[key]) as unknown[]);
  }
  // Re-insert the partial properties in the fixture's key order.
  for (const key of Object.keys(zooPartial)) {
    const col = recording.getProperty(key)!;
    recording.deleteProperty(key);
    recording.setProperty(key, col as unknown[]);
  }
  await attachCaseProbe(recording, name, expected);
  const annotations = { ...src.annotations };
  recording.annotate(annotations);
  for (let i = 0; i < src.num_segments; i++) {
    if (src.segments[i].has_time_vector) {
      const times = npyFloat64(await readFixtureBytes(`${dir}/saved/times_cached_seg${i}.npy`));
      recording.setTimes(times, src.num_segments > 1 ? i : undefined);
    }
  }
  return { expected, recording };
}

/** Names of every case folder under recordings/. */
export const CASES = [
  'float32_string_ids', 'float64_t_starts', 'int16_gain_offset', 'int16_per_channel_gains_int_ids_3seg',
  'int16_time_vector', 'linear_probe_permuted', 'many_segments_1ch', 'multi_columns_probe', 'multi_shank_groups',
  'numpy_source_neuropixels_384', 'probegroup_2probes', 'properties_annotations_zoo', 'saved_from_channel_slice',
  'uint16_centered',
];

// Shared by the preprocessing tests: the fixtures' sources rebuilt in memory, kwargs in this API's
// names, dicts compared without this machine's file paths, full segments against traces_seg1.npy.
import { expect, vi } from 'vitest';
import { BinaryRecordingExtractor, readNpy, type BaseRecording } from '../../src/index.js';
import { base64ToBytes, fixturePath, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';

/** The preprocessing fixtures, relative to the fixtures root. */
export const DIR = 'preprocessing';

/** Every case of common_reference/. */
export const COMMON_REFERENCE_CASES = [
  'car_global_average', 'car_local_average', 'cmr_global_float32', 'cmr_global_median', 'cmr_groups',
  'cmr_local_median', 'cmr_out_of_group', 'ref_global_subset_average', 'ref_single', 'ref_single_groups',
];

/** sources/<name> as SpikeInterface built it: the raw segments, gains/offsets, and the probe (which sets 'group'). */
export async function openSource(name: string): Promise<BaseRecording> {
  const dir = `${DIR}/sources/${name}`;
  const k = (await readFixtureJson(`${dir}/source.dump.json`)).kwargs;
  const sources = await Promise.all(k.file_paths.map(async (p: string) => new Blob([(await readFixtureBytes(`${dir}/${p}`)) as Uint8Array<ArrayBuffer>])));
  const rec = await BinaryRecordingExtractor.open({
    sources, samplingFrequency: k.sampling_frequency, numChannels: k.num_channels, dtype: k.dtype,
    channelIds: k.channel_ids, gainToUV: k.gain_to_uV, offsetToUV: k.offset_to_uV,
  });
  rec.setProbegroup(await readFixtureJson(`${dir}/probegroup.to_dict.json`));
  return rec;
}

/** SpikeInterface keyword arguments with camelCase names (`ref_channel_ids` → `refChannelIds`). */
export function camelOptions<T>(kwargs: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v])) as T;
}

/** Typed arrays as plain arrays, recursively (dicts compare with the fixtures' JSON). */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** A dict without its nested recording under `key` (whose file paths are this machine's). */
export function withoutNested(dict: any, key = 'recording') {
  const { [key]: _nested, ...kwargs } = dict.kwargs;
  return plain({ ...dict, kwargs });
}

/** Full segment 1 of a case vs its traces_seg1.npy: max |diff|, max relative diff, share identical. */
export async function compareFullSegment(rec: BaseRecording, caseDir: string) {
  const npy = readNpy(await readFixtureBytes(`${DIR}/${caseDir}/traces_seg1.npy`));
  const want = npy.values as ArrayLike<number>;
  const traces = await rec.getTraces({ segmentIndex: 1 });
  expect(traces.shape).toEqual(npy.shape);
  const got = traces.data;
  let maxAbs = 0;
  let maxRel = 0;
  let same = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs(got[i] - want[i]);
    if (d === 0) same++;
    maxAbs = Math.max(maxAbs, d);
    if (want[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(want[i]));
  }
  return { maxAbs, maxRel, identical: same / got.length, dtype: npy.dtype };
}

/** Runs `fn` with console.warn silenced (SpikeInterface's construction warnings are tested elsewhere). */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    return await fn();
  } finally {
    warn.mockRestore();
  }
}

/**
 * Loads `<group>/<case>/dump.json` and checks what every reloaded case shares: the class, the repr
 * and dtype SpikeInterface's reload had, and to_dict without the nested source. `load` is Node's
 * (src/node.js, kept out of the browser tests' imports). The caller closes the recording.
 */
export async function loadCaseDump(
  load: (path: string) => Promise<BaseRecording>, group: string, name: string, cls: abstract new (...args: never[]) => BaseRecording,
) {
  const e = await readFixtureJson(`${DIR}/${group}/${name}/expected.json`);
  const path = await fixturePath(`${DIR}/${group}/${name}/dump.json`);
  const rec: BaseRecording = await quietly(() => load(path));
  expect(rec).toBeInstanceOf(cls);
  expect(rec.toString()).toBe(e.dump_reload.repr);
  expect(rec.getDtype()).toBe(e.recording.dtype_name);
  const dict = rec.toDict({ recursive: true });
  const nested = 'parent_recording' in e.to_dict.kwargs ? 'parent_recording' : 'recording';
  expect(withoutNested(dict, nested)).toEqual(withoutNested(e.to_dict, nested));
  return { e, path, rec, dict, folder: path.slice(0, path.lastIndexOf('/')) };
}

const ARRAYS: Record<string, new (b: ArrayBuffer) => ArrayLike<number | bigint>> = {
  '<i2': Int16Array, '<i4': Int32Array, '<i8': BigInt64Array, '<f4': Float32Array, '<f8': Float64Array,
};

/** Array entries whose data the fixtures omitted (`data_omitted`, b64 only) get it back, recursively. */
export function withData(value: any): any {
  if (Array.isArray(value)) return value.map(withData);
  if (value === null || typeof value !== 'object') return value;
  if (value.data_omitted && typeof value.b64 === 'string' && ARRAYS[value.dtype]) {
    return { ...value, data: Array.from(new ARRAYS[value.dtype](base64ToBytes(value.b64).slice().buffer), Number) };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withData(v)]));
}

/** `{"$ref": path}` objects (probegroups the fixtures keep once) replaced by the JSON they point to, relative to `folder`. */
export async function resolveRefs(value: any, folder: string): Promise<any> {
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveRefs(v, folder)));
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.$ref === 'string') return readFixtureJson(`${folder}/${value.$ref}`.replace(/[^/]+\/[^/]+\/\.\.\/\.\.\//, ''));
  const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveRefs(v, folder)]));
  return Object.fromEntries(entries);
}

/** How far `got` is from `want`: share of identical values, max |diff|, max |diff| over the RMS of `want`. */
export function closeness(got: ArrayLike<number>, want: ArrayLike<number>) {
  const diffs = Float64Array.from(want, (w, i) => Math.abs(got[i] - w));
  const maxAbs = diffs.reduce((a, b) => Math.max(a, b), 0);
  const rms = Math.sqrt(Float64Array.from(want).reduce((a, w) => a + w * w, 0) / Math.max(want.length, 1));
  const identical = want.length === 0 ? 1 : diffs.filter((d) => d === 0).length / want.length;
  return { identical, maxAbs, relRms: rms === 0 ? maxAbs : maxAbs / rms };
}

/** The exactness required: integers ≥ 99.99% identical and never off by more than 1; floats relative to the RMS. */
export function expectClose(c: ReturnType<typeof closeness>, dtype: string, what: string) {
  if (dtype.startsWith('<i') || dtype.startsWith('|i')) {
    expect(c.identical, what).toBeGreaterThanOrEqual(0.9999);
    expect(c.maxAbs, what).toBeLessThanOrEqual(1);
  } else {
    expect(c.relRms, what).toBeLessThanOrEqual(dtype === '<f4' ? 1e-5 : 1e-9);
  }
}

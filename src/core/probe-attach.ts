// How a probe is attached to a recording, with SpikeInterface main's rules (0.105): the probegroup is
// checked against the recording's channels, sorted to channel order (contact k belongs to channel k,
// device channel indices 0..n-1), and the 'group' property is derived from it. Views slice, copy or
// combine the attached group. Pure functions over ProbeGroup: BaseRecording's "probes" section calls
// them and owns the stored group.
import { SpikewireError, describe } from '../errors.js';
import { Probe } from '../probe/probe.js';
import { ProbeGroup } from '../probe/probegroup.js';
import type { ChannelId } from './ids.js';
import { pyStrRepr } from '../python/pyliteral.js';

/**
 * How `setProbe` / `setProbegroup` fill the 'group' property (SpikeInterface's `group_mode`):
 * 'auto' splits by everything present at once (probe, then shank when any probe has shank ids, then
 * side when any probe has contact sides); 'by_probe' one group per probe; 'by_shank' per probe and
 * shank; 'by_side' per probe and contact side.
 */
export type GroupMode = 'auto' | 'by_probe' | 'by_shank' | 'by_side';

/** The group modes, in SpikeInterface's order. */
export const GROUP_MODES: readonly GroupMode[] = ['auto', 'by_probe', 'by_shank', 'by_side'];

/** Options of `setProbe`. */
export interface SetProbeOptions {
  /** How to derive the 'group' property (default 'auto', as SpikeInterface main). */
  groupMode?: GroupMode;
}

/** Options of `setProbegroup`. */
export interface SetProbegroupOptions {
  /**
   * How to derive the 'group' property (default 'auto'), or 'keep' to leave it as it is: for a
   * group that was saved with the recording (a reloaded folder or dict), as SpikeInterface restores
   * the probegroup without touching the saved properties.
   */
  groupMode?: GroupMode | 'keep';
  /**
   * Check that the probes do not overlap in space (default true). Aggregations of channels split
   * from one probe turn it off, as SpikeInterface does.
   */
  checkOverlap?: boolean;
}

/** The axes `getChannelLocations` can return. */
export type LocationAxes = 'xy' | 'yz' | 'xz' | 'xyz';

/** Options of `setDummyProbeFromLocations` (ProbeInterface names in camelCase, SpikeInterface's defaults). */
export interface DummyProbeFromLocationsOptions {
  /** Contact shape (default 'circle'). */
  shape?: 'circle' | 'square' | 'rect';
  /** Contact size (default `{ radius: 1 }`). */
  shapeParams?: Record<string, number>;
  /** For 3d locations: the plane of the contacts (default 'xy'). */
  axes?: 'xy' | 'yz' | 'xz';
}

/** Checks a group mode option ('keep' only where `allowKeep`). */
export function checkGroupMode(mode: unknown, allowKeep = false): GroupMode | 'keep' {
  if (mode === undefined || mode === null) return 'auto';
  if (allowKeep && mode === 'keep') return 'keep';
  if (!GROUP_MODES.includes(mode as GroupMode)) {
    throw new SpikewireError('INVALID_ARGUMENT', `groupMode ${describe(mode)} must be one of 'auto', 'by_probe', 'by_shank', 'by_side'${allowKeep ? " (or 'keep')" : ''}`);
  }
  return mode as GroupMode;
}

/**
 * The text numpy prints for a 1-d array (`str(np.array(values))`): integers right-aligned to one width,
 * strings quoted, lines wrapped at 75 characters, more than 1000 items summarised with '...'.
 */
export function numpyArrayStr(values: readonly (number | string | bigint)[]): string {
  if (values.length === 0) return '[]';
  const summary = values.length > 1000;
  const shown = summary ? [...values.slice(0, 3), ...values.slice(-3)] : values.slice();
  const strings = shown.some((v) => typeof v === 'string');
  let words = shown.map((v) => (typeof v === 'string' ? pyStrRepr(v) : String(v)));
  if (!strings) {
    const width = Math.max(...words.map((w) => w.length));
    words = words.map((w) => w.padStart(width));
  }
  if (summary) words = [...words.slice(0, 3), '...', ...words.slice(3)];
  const hanging = ' ';
  const elemWidth = 75 - 1; // max(len(separator.rstrip()), len(']'))
  let s = '';
  let line = hanging;
  const extend = (word: string) => {
    let wrap = line.length + word.length > elemWidth;
    if (line.length <= hanging.length) wrap = false;
    if (wrap) {
      s += `${line.trimEnd()}\n`;
      line = hanging;
    }
    line += word;
  };
  words.forEach((w, i) => {
    extend(w);
    if (i < words.length - 1) line += ' ';
  });
  s += line;
  return `[${s.slice(hanging.length)}]`;
}

/** A copy of a group with every probe's wiring, ids, annotations and number kinds (ints stay ints). */
export function copyProbegroup(pg: ProbeGroup): ProbeGroup {
  const out = new ProbeGroup();
  for (const p of pg.probes) out.addProbe(p.getSlice(range(p.getContactCount())));
  return out;
}

/**
 * SpikeInterface's check that the probes of a group can be told apart in space: no contact of a later
 * probe lies strictly inside the x / y bounding box of an earlier one.
 */
export function checkProbesDoNotOverlap(probes: readonly Probe[]): void {
  for (let i = 0; i < probes.length; i++) {
    const pos = probes[i]!.contactPositions ?? [];
    if (pos.length === 0) continue;
    // Loops, not Math.min(...xs): spreading a quarter million contacts overflows the call stack.
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const r of pos) {
      x0 = Math.min(x0, r[0]!);
      x1 = Math.max(x1, r[0]!);
      y0 = Math.min(y0, r[1]!);
      y1 = Math.max(y1, r[1]!);
    }
    for (let j = i + 1; j < probes.length; j++) {
      const inside = (probes[j]!.contactPositions ?? []).some((c) => x0 < c[0]! && c[0]! < x1 && y0 < c[1]! && c[1]! < y1);
      if (inside) {
        throw new SpikewireError('INVALID_ARGUMENT', `Probes are overlapping! Retrieve locations of single probes separately (probe ${j} has contacts inside the bounds of probe ${i})`);
      }
    }
  }
}

/**
 * SpikeInterface's `_get_probegroup_based_on_device_channel_indices`: a new group without the
 * unconnected contacts (device channel -1), its contacts taken in device channel order (each probe
 * keeps its own contacts: `ProbeGroup.getSlice`), after checking that no device channel is past the
 * recording's channels. The input group is not changed.
 */
export function sortProbegroupByDeviceChannels(pg: ProbeGroup, numChannels: number, channelIds: readonly ChannelId[]): ProbeGroup {
  if (!(pg instanceof ProbeGroup)) {
    throw new SpikewireError('INVALID_ARGUMENT', `The input must be a ProbeGroup or dict, got ${describe(pg)}`);
  }
  pg.probes.forEach((p, i) => {
    if (p.deviceChannelIndices === null) {
      throw new SpikewireError('INVALID_ARGUMENT', `Probe must have deviceChannelIndices (probe ${i} is not wired: call probe.setDeviceChannelIndices() first)`);
    }
  });
  let group = pg;
  let dci = pg.getGlobalDeviceChannelIndices().deviceChannelIndices;
  const keep = dci.flatMap((c, i) => (c >= 0 ? [i] : []));
  if (keep.length < dci.length) {
    if (keep.length === 0) dci = [];
    else {
      group = group.getSlice(keep);
      dci = keep.map((i) => dci[i]!);
    }
  }
  if (dci.length === 0) return new ProbeGroup();
  const max = dci.reduce((m, c) => Math.max(m, c), 0);
  const order = range(dci.length).sort((a, b) => dci[a]! - dci[b]!);
  if (max >= numChannels) {
    const sorted = order.map((i) => dci[i]!);
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `The given Probe either has 'device_channel_indices' that does not match channel count \n` +
        `${dci.length} vs ${numChannels} \n` +
        `or it's max index ${max} is the same as the number of channels ${numChannels} \n` +
        `If using all channels remember that python is 0-indexed so max device_channel_index should be ${numChannels - 1} \n` +
        `device_channel_indices are the following: ${numpyArrayStr(sorted)} \n` +
        `recording channels are the following: ${numpyArrayStr(channelIds as (number | string)[])} \n`,
    );
  }
  return group.getSlice(order);
}

/**
 * SpikeInterface's `set_probegroup` checks, without changing anything: the group sorted to channel
 * order, or an `INVALID_ARGUMENT` error with SpikeInterface's message.
 */
export function prepareProbegroup(pg: ProbeGroup, channelIds: readonly ChannelId[], opts: { checkOverlap?: boolean } = {}): ProbeGroup {
  if (!(pg instanceof ProbeGroup)) {
    throw new SpikewireError('INVALID_ARGUMENT', `setProbegroup needs a ProbeGroup, got ${describe(pg)} (use setProbe for a single Probe)`);
  }
  const n = channelIds.length;
  if ((opts.checkOverlap ?? true) && pg.probes.length > 0) checkProbesDoNotOverlap(pg.probes);
  const sorted = sortProbegroupByDeviceChannels(pg, n, channelIds);
  if (sorted.getContactCount() !== n) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      'The probe/probegroup must have the same number of connected contacts ' +
        `as the number of channels as the recording, but the probe has ${pg.getContactCount()} ` +
        `connected channels and the recording has ${n} channels. ` +
        'Use the `recording.selectChannelsWithProbegroup()` method instead to return a new recording with ' +
        'a channel selection to match the probe/probegroup.',
    );
  }
  const dci = sorted.getGlobalDeviceChannelIndices().deviceChannelIndices;
  if (!dci.every((c, i) => c === i)) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      '`device_channel_indices` is wrong! ' +
        'It should contain only values [0...n-1] after ordering, ' +
        `but they are: ${numpyArrayStr(dci)}`,
    );
  }
  return sorted;
}

/**
 * SpikeInterface's `_set_group_property_based_on_probegroup`: one int64 group number per contact of a
 * sorted group (= per channel), numbering the distinct (probe index[, shank id][, side]) keys in
 * numpy's sorted order.
 */
export function groupsFromProbegroup(pg: ProbeGroup, mode: GroupMode): number[] {
  const probes = pg.probes;
  let useShank: boolean;
  let useSide: boolean;
  if (mode === 'auto') {
    useShank = probes.some((p) => p.shankIds !== null);
    useSide = probes.some((p) => p.contactSides !== null);
  } else if (mode === 'by_probe') {
    useShank = false;
    useSide = false;
  } else if (mode === 'by_shank') {
    if (!probes.every((p) => p.shankIds !== null)) {
      throw new SpikewireError('INVALID_ARGUMENT', "shankIds is null in probe, you cannot group by shank (groupMode 'by_shank')");
    }
    useShank = true;
    useSide = false;
  } else {
    if (!probes.every((p) => p.contactSides !== null)) {
      throw new SpikewireError('INVALID_ARGUMENT', "contactSides is null in probe, you cannot group by side (groupMode 'by_side')");
    }
    useShank = false;
    useSide = true;
  }
  const keys: [number, string, string][] = [];
  probes.forEach((p, probeIndex) => {
    const n = p.getContactCount();
    const shanks = p.shankIds;
    const sides = p.contactSides;
    for (let k = 0; k < n; k++) {
      keys.push([probeIndex, useShank ? (shanks?.[k] ?? '') : '', useSide ? (sides?.[k] ?? '') : '']);
    }
  });
  const id = (k: [number, string, string]) => JSON.stringify(k);
  const unique = [...new Map(keys.map((k) => [id(k), k])).values()].sort(
    (a, b) => a[0] - b[0] || compareCodePoints(a[1], b[1]) || compareCodePoints(a[2], b[2]),
  );
  const number = new Map(unique.map((k, i) => [id(k), i]));
  return keys.map((k) => number.get(id(k))!);
}

/** numpy's unicode order (by code point). */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * The group a channel view stores (SpikeInterface's ChannelSliceRecording): the contacts of
 * `parentIndices` (`ProbeGroup.getSlice`: each probe's contacts stay with their probe, in probe
 * order), wired 0..n-1. With several probes the contacts follow probe order, not the view's channel
 * order, exactly as SpikeInterface does. Null for an empty selection.
 */
export function sliceProbegroup(pg: ProbeGroup, parentIndices: ArrayLike<number>): ProbeGroup | null {
  if (parentIndices.length === 0) return null;
  const sliced = pg.getSlice(Array.from(parentIndices));
  sliced.setGlobalDeviceChannelIndices(range(parentIndices.length));
  return sliced;
}

/**
 * The group of a channel aggregation: the probes of every recording's group, in order, wired 0..n-1
 * over the aggregated channels. Null unless every recording has a probe.
 */
export function combineProbegroups(groups: readonly (ProbeGroup | null)[]): ProbeGroup | null {
  if (groups.length === 0 || groups.some((g) => g === null)) return null;
  const out = new ProbeGroup();
  for (const g of groups as ProbeGroup[]) {
    for (const p of g.probes) {
      try {
        out.addProbe(p.copy()); // without wiring: the aggregation wires all contacts below
      } catch (e) {
        if (e instanceof SpikewireError) throw new SpikewireError('INVALID_ARGUMENT', `aggregateChannels: cannot combine the recordings' probes: ${e.message}`, { cause: e });
        throw e;
      }
    }
  }
  out.setGlobalDeviceChannelIndices(range(out.getContactCount()));
  return out;
}

/** The contact positions of every probe, probe after probe (ProbeGroup.get_global_contact_positions). */
export function globalContactPositions(pg: ProbeGroup): number[][] {
  return pg.probes.flatMap((p) => p.contactPositions ?? []);
}

/**
 * `select_axes(positions, axes)[indices]` as a flat row-major Float64Array of
 * `[indices.length, axes.length]`.
 */
export function selectLocations(positions: readonly (readonly number[])[], ndim: number, indices: ArrayLike<number>, axes: unknown): Float64Array {
  if (axes !== 'xy' && axes !== 'yz' && axes !== 'xz' && axes !== 'xyz') {
    throw new SpikewireError('INVALID_ARGUMENT', `axes ${describe(axes)} must be one of 'xy', 'yz', 'xz', 'xyz'`);
  }
  const dims = Array.from(axes, (a) => 'xyz'.indexOf(a));
  if (dims.some((d) => d >= ndim)) {
    throw new SpikewireError('INVALID_ARGUMENT', `axes '${axes}' needs 3d positions, but the probe is ${ndim}d`);
  }
  const out = new Float64Array(indices.length * dims.length);
  for (let i = 0; i < indices.length; i++) {
    const row = positions[indices[i]!];
    if (row === undefined) {
      throw new SpikewireError('OUT_OF_RANGE', `channel index ${indices[i]} has no contact in the attached probegroup (${positions.length} contacts)`);
    }
    dims.forEach((d, k) => (out[i * dims.length + k] = row[d]!));
  }
  return out;
}

/**
 * SpikeInterface's `create_dummy_probe_from_locations`: a probe with one contact per location (2d, or
 * 3d placed on `axes`), wired 0..n-1.
 */
export function dummyProbeFromLocations(locations: unknown, numChannels: number, opts: DummyProbeFromLocationsOptions = {}): Probe {
  const rows = toRows(locations);
  if (rows.length !== numChannels) {
    throw new SpikewireError('INVALID_ARGUMENT', `locations has ${rows.length} rows, expected ${numChannels} (one per channel)`);
  }
  const ndim = rows.length > 0 ? rows[0]!.length : 2;
  if (ndim !== 2 && ndim !== 3) {
    throw new SpikewireError('INVALID_ARGUMENT', `locations must have 2 or 3 columns (x, y[, z]), got ${ndim}`);
  }
  if (rows.some((r) => r.length !== ndim)) {
    throw new SpikewireError('INVALID_ARGUMENT', `locations rows must all have ${ndim} numbers`);
  }
  const axes = opts.axes ?? 'xy';
  if (axes !== 'xy' && axes !== 'yz' && axes !== 'xz') {
    throw new SpikewireError('INVALID_ARGUMENT', `axes ${describe(axes)} must be 'xy', 'yz' or 'xz'`);
  }
  const dims = Array.from(axes, (a) => 'xyz'.indexOf(a));
  const positions2d = ndim === 3 ? rows.map((r) => dims.map((d) => r[d]!)) : rows;
  let probe = new Probe({ ndim: 2 });
  probe.setContacts({ positions: positions2d, shapes: opts.shape ?? 'circle', shapeParams: opts.shapeParams ?? { radius: 1 } });
  probe.setDeviceChannelIndices(range(numChannels));
  if (ndim === 3) probe = probe.to3d(axes);
  return probe;
}

/** Rows of a location array: nested arrays, or a flat typed array of n*2 values. */
function toRows(locations: unknown): number[][] {
  if (ArrayBuffer.isView(locations) && !(locations instanceof DataView)) {
    const flat = Array.from(locations as unknown as ArrayLike<number>, Number);
    if (flat.length % 2 !== 0) throw new SpikewireError('INVALID_ARGUMENT', `a flat locations array needs n*2 values, got ${flat.length}`);
    return range(flat.length / 2).map((i) => [flat[2 * i]!, flat[2 * i + 1]!]);
  }
  if (!Array.isArray(locations)) {
    throw new SpikewireError('INVALID_ARGUMENT', `locations must be an array of [x, y] or [x, y, z] rows, got ${describe(locations)}`);
  }
  return locations.map((r, i) => {
    const row = Array.isArray(r) || ArrayBuffer.isView(r) ? Array.from(r as ArrayLike<unknown>) : null;
    if (row === null || row.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw new SpikewireError('INVALID_ARGUMENT', `locations[${i}] must be a row of finite numbers, got ${describe(r)}`);
    }
    return row as number[];
  });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

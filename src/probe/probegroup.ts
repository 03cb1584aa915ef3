// ProbeInterface's ProbeGroup: several probes side by side, wired to one device. The group owns
// the rule that a device channel is used by at most one contact across all its probes.
import { SpikewireError, describe } from '../errors.js';
import { fail, indicesByKey, isArrayLike } from './shapes.js';
import { Probe, structuredArray, structuredColumns, type ProbeDict, type ProbeNumpyArray, type ProbeNumpyInput } from './probe.js';

/** ProbeInterface's dict of a group (`ProbeGroup.to_dict(array_as_list=True)`): `{ probes: [...] }`. */
export interface ProbeGroupDict {
  probes: ProbeDict[];
}

/** The wiring of every contact of a group, in probe order (numpy's structured array as two columns). */
export interface GlobalDeviceChannelIndices {
  /** The index of the probe in `ProbeGroup.probes`, per contact. */
  probeIndex: number[];
  /** The device channel, per contact (-1 = not connected, also for probes without wiring). */
  deviceChannelIndices: number[];
}

/** Options of the random id generators (ProbeInterface's `generate_unique_ids` bounds: [min, max)). */
export interface UniqueIdOptions {
  /** Smallest id (default 1e7). */
  min?: number;
  /** Ids stay below this (default 1e8). */
  max?: number;
  /** Attempts before giving up (default 20). */
  trials?: number;
}

/** `n` unique random integers in [min, max) as strings; `INVALID_ARGUMENT` when they cannot be found. */
function uniqueIds(n: number, opts: UniqueIdOptions): string[] {
  const min = opts.min ?? 1e7;
  const max = opts.max ?? 1e8;
  const trials = opts.trials ?? 20;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min) {
    throw new SpikewireError('INVALID_ARGUMENT', `min / max: expected integers with min < max, got ${describe(min)} / ${describe(max)}`);
  }
  // Each trial draws n numbers: bounded, so that a huge count of trials cannot hang the caller.
  if (!Number.isInteger(trials) || trials < 0 || trials > 1000) {
    throw new SpikewireError('INVALID_ARGUMENT', `trials: expected an integer from 0 to 1000, got ${describe(trials)}`);
  }
  if (n > max - min) throw new SpikewireError('INVALID_ARGUMENT', `cannot generate ${n} unique ids between ${min} and ${max}: there are only ${max - min}`);
  for (let t = 0; t <= trials; t++) {
    const ids = Array.from({ length: n }, () => Math.floor(min + Math.random() * (max - min)));
    if (new Set(ids).size === n) return ids.map(String);
  }
  throw new SpikewireError('INVALID_ARGUMENT', `cannot generate ${n} unique ids between ${min} and ${max} in ${trials} trials`);
}

/** Where a connected device channel is used a second time: by probe `other` first, again by `probeIndex`. */
interface Repeat {
  channel: number;
  other: number;
  probeIndex: number;
}

/** The first connected device channel that repeats across `probes` (with `pending` wiring replacing a probe's own). */
function firstRepeat(probes: readonly Probe[], pending: Map<Probe, readonly number[] | null>): Repeat | null {
  const seen = new Map<number, number>();
  for (let probeIndex = 0; probeIndex < probes.length; probeIndex++) {
    const p = probes[probeIndex]!;
    const dev = pending.has(p) ? pending.get(p)! : p.deviceChannelIndices;
    if (dev === null) continue;
    for (const channel of dev) {
      if (channel < 0) continue;
      const other = seen.get(channel);
      if (other !== undefined) return { channel, other, probeIndex };
      seen.set(channel, probeIndex);
    }
  }
  return null;
}

function repeatMessage(r: Repeat): string {
  return `device channel indices are not unique across probes: channel ${r.channel} is used by probe ${r.other} and probe ${r.probeIndex}`;
}

/**
 * A group of probes and their global wiring to a device (ProbeInterface's `ProbeGroup`). Probes keep
 * their own coordinates (move them apart with `probe.move`); all must have the same ndim, and the
 * connected device channels must be unique across the group.
 */
export class ProbeGroup {
  /** The probes, in the order they were added. */
  readonly probes: Probe[] = [];

  /**
   * Adds a probe. Refused (`INVALID_ARGUMENT`) when the probe already belongs to a group, when its
   * ndim differs from the group's, or when its device channels overlap the group's.
   */
  addProbe(probe: Probe): void {
    if (!(probe instanceof Probe)) throw new SpikewireError('INVALID_ARGUMENT', `addProbe: expected a Probe, got ${describe(probe)}`);
    if (probe._probeGroup !== null) {
      throw new SpikewireError('INVALID_ARGUMENT', 'addProbe: this probe is already attached to a ProbeGroup; add probe.copy() instead');
    }
    if (this.probes.length > 0) {
      if (probe.ndim !== this.probes[this.probes.length - 1]!.ndim) {
        throw new SpikewireError('INVALID_ARGUMENT', `addProbe: ndim are not compatible: probe.ndim ${probe.ndim} != probegroup ndim ${this.ndim}`);
      }
      this.checkUnique([...this.probes, probe], new Map());
    }
    this.attach(probe);
  }

  private attach(probe: Probe): void {
    this.probes.push(probe);
    probe._probeGroup = { checkWiring: (p, indices) => this.checkUnique(this.probes, new Map([[p, indices]])) };
  }

  /**
   * @internal A group of probes just read from a file, checked once as a whole: adding them one by
   * one checks the whole group at every step, quadratic in the number of probes. A refusal is the
   * `FORMAT` error addProbe would have given for the first probe it refuses, prefixed by `label(i)`.
   */
  static _fromProbes(probes: readonly Probe[], label: (index: number) => string): ProbeGroup {
    const ndimAt = probes.findIndex((p) => p.ndim !== probes[0]!.ndim);
    const repeat = firstRepeat(probes, new Map());
    // addProbe skips the check for the first probe, so a repeat inside it shows when the second comes.
    const repeatAt = repeat === null ? -1 : Math.max(1, repeat.probeIndex);
    if (ndimAt >= 0 && (repeatAt < 0 || repeatAt >= probes.length || ndimAt <= repeatAt)) {
      throw new SpikewireError('FORMAT', `${label(ndimAt)}: addProbe: ndim are not compatible: probe.ndim ${probes[ndimAt]!.ndim} != probegroup ndim ${probes[0]!.ndim}`);
    }
    if (repeat !== null && repeatAt < probes.length) throw new SpikewireError('FORMAT', `${label(repeatAt)}: ${repeatMessage(repeat)}`);
    const group = new ProbeGroup();
    for (const p of probes) group.attach(p);
    return group;
  }

  /** Throws when connected device channels repeat across `probes` (with `pending` wiring replacing a probe's own). */
  private checkUnique(probes: readonly Probe[], pending: Map<Probe, readonly number[] | null>): void {
    const repeat = firstRepeat(probes, pending);
    if (repeat !== null) throw new SpikewireError('INVALID_ARGUMENT', repeatMessage(repeat));
  }

  /** The probes' ndim (2 or 3); an `INVALID_ARGUMENT` error for an empty group. */
  get ndim(): 2 | 3 {
    if (this.probes.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'the ProbeGroup has no probe yet');
    return this.probes[0]!.ndim;
  }

  /** The total number of contacts over all probes. */
  getContactCount(): number {
    return this.probes.reduce((s, p) => s + p.getContactCount(), 0);
  }

  /** The wiring of every contact, probe after probe (-1 where a probe is not wired). */
  getGlobalDeviceChannelIndices(): GlobalDeviceChannelIndices {
    const probeIndex: number[] = [];
    const deviceChannelIndices: number[] = [];
    this.probes.forEach((p, i) => {
      const n = p.getContactCount();
      const dev = p.deviceChannelIndices;
      for (let k = 0; k < n; k++) {
        probeIndex.push(i);
        deviceChannelIndices.push(dev === null ? -1 : dev[k]!);
      }
    });
    return { probeIndex, deviceChannelIndices };
  }

  /**
   * Wires all contacts at once: one device channel per contact, probe after probe (-1 = not
   * connected). Checked as a whole before any probe changes.
   */
  setGlobalDeviceChannelIndices(channels: ArrayLike<number>): void {
    const total = this.getContactCount();
    if (!isArrayLike(channels) || channels.length !== total) {
      throw new SpikewireError('INVALID_ARGUMENT', `channels: expected ${total} values (one per contact of the group), got ${describe(channels)}`);
    }
    const list = Array.from(channels as ArrayLike<unknown>);
    list.forEach((c, i) => {
      if (typeof c !== 'number' || !Number.isInteger(c) || c < -1) {
        throw new SpikewireError('INVALID_ARGUMENT', `channels[${i}]: expected an integer >= -1, got ${describe(c)}`);
      }
    });
    const perProbe = new Map<Probe, number[]>();
    let at = 0;
    for (const p of this.probes) {
      const n = p.getContactCount();
      perProbe.set(p, (list as number[]).slice(at, at + n));
      at += n;
    }
    this.checkUnique(this.probes, perProbe);
    // Clear first (as ProbeInterface does), so the per-probe checks never see the old wiring.
    for (const p of this.probes) p.setDeviceChannelIndices(new Array<number>(p.getContactCount()).fill(-1));
    for (const p of this.probes) p.setDeviceChannelIndices(perProbe.get(p)!);
  }

  /** The contact ids of all probes, probe after probe ('' for probes without ids). */
  getGlobalContactIds(): string[] {
    return this.probes.flatMap((p) => p.contactIds ?? new Array<string>(p.getContactCount()).fill(''));
  }

  /** Annotates each probe with a unique random `probe_id` (refused when one already has one). */
  autoGenerateProbeIds(opts: UniqueIdOptions = {}): void {
    if (this.probes.some((p) => 'probe_id' in p.annotations)) {
      throw new SpikewireError('INVALID_ARGUMENT', 'autoGenerateProbeIds: a probe already has a probe_id annotation');
    }
    const ids = uniqueIds(this.probes.length, opts);
    this.probes.forEach((p, i) => p.annotate({ probe_id: ids[i] }));
  }

  /** Gives every contact of the group a unique random contact id. */
  autoGenerateContactIds(opts: UniqueIdOptions = {}): void {
    const ids = uniqueIds(this.getContactCount(), opts);
    let at = 0;
    for (const p of this.probes) {
      const n = p.getContactCount();
      p.setContactIds(ids.slice(at, at + n));
      at += n;
    }
  }

  /**
   * A new group with the contacts picked by `selection` over the group's global contact order
   * (a boolean mask or unique indices). Each probe that keeps contacts is sliced with
   * `Probe.getSlice` (wiring, ids, annotations and contour kept), in probe order; within a probe the
   * contacts follow the order of `selection`.
   */
  getSlice(selection: ArrayLike<boolean> | ArrayLike<number>): ProbeGroup {
    const total = this.getContactCount();
    const list = isArrayLike(selection) ? Array.from(selection as ArrayLike<unknown>) : null;
    if (list === null) throw new SpikewireError('INVALID_ARGUMENT', `selection: expected a boolean mask or contact indices, got ${describe(selection)}`);
    let indices: number[];
    if (list.length > 0 && list.every((v) => typeof v === 'boolean')) {
      if (list.length !== total) throw new SpikewireError('INVALID_ARGUMENT', `selection: a boolean mask needs ${total} values, got ${list.length}`);
      indices = list.flatMap((v, i) => (v ? [i] : []));
    } else {
      for (const v of list) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= total) {
          throw new SpikewireError('OUT_OF_RANGE', `selection: contact index ${describe(v)} is not in [0, ${total})`);
        }
      }
      indices = list as number[];
      if (new Set(indices).size !== indices.length) throw new SpikewireError('INVALID_ARGUMENT', `selection: contact indices must be unique`);
    }
    if (indices.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'selection: an empty selection is not handled (as in ProbeInterface)');
    const starts: number[] = [];
    let at = 0;
    for (const p of this.probes) {
      starts.push(at);
      at += p.getContactCount();
    }
    const local = this.probes.map(() => [] as number[]);
    for (const g of indices) {
      let pi = starts.length - 1;
      while (starts[pi]! > g) pi--;
      local[pi]!.push(g - starts[pi]!);
    }
    const out = new ProbeGroup();
    this.probes.forEach((p, i) => {
      if (local[i]!.length > 0) out.addProbe(p.getSlice(local[i]!));
    });
    return out;
  }

  /**
   * ProbeInterface's `ProbeGroup.to_numpy(complete)`: `probe_index` then the union of the probes'
   * fields (in order of first appearance), one record per contact, probe after probe; a field a
   * probe lacks is 0 / '' / false there. This is SpikeInterface 0.104's `contact_vector`.
   */
  toNumpy(opts: { complete?: boolean } = {}): ProbeNumpyArray {
    const parts = this.probes.map((p) => p.toNumpy(opts));
    const fields: [string, string][] = [['probe_index', '<i8']];
    for (const part of parts) for (const f of part.fields) if (!fields.some(([name]) => name === f.name)) fields.push([f.name, f.dtype]);
    const zero = (dtype: string) => (/U/.test(dtype) ? '' : /b/.test(dtype) ? false : /O/.test(dtype) ? null : 0);
    const records = parts.flatMap((part, probeIndex) =>
      part.values.map((r) => ({ probe_index: probeIndex, ...r })),
    );
    const cols = fields.map(([name, dtype]) => [name, dtype, records.map((r) => (name in r ? (r as Record<string, unknown>)[name] : zero(dtype)))] as const);
    return structuredArray(cols, records.length);
  }

  /**
   * A group from ProbeInterface's structured array (`ProbeGroup.from_numpy`): one probe per
   * `probe_index` value (sorted), each read by `Probe.fromNumpy`. Without `probe_index`, one probe.
   */
  static fromNumpy(arr: ProbeNumpyInput): ProbeGroup {
    const { columns, dtypes } = structuredColumns(arr);
    const index = columns.get('probe_index')?.map(Number);
    const n = columns.get('x')?.length ?? 0;
    const keys = index ? [...new Set(index)].sort((a, b) => a - b) : [0];
    const byIndex = index ? indicesByKey(index) : null;
    const fields = [...columns.keys()].map((name) => ({ name, dtype: dtypes.get(name) ?? '' }));
    const probes = keys.map((key) => {
      const rows = byIndex ? byIndex.get(key)! : Array.from({ length: n }, (_, i) => i);
      const values = rows.map((i) => Object.fromEntries([...columns].map(([name, col]) => [name, col[i]])));
      return Probe.fromNumpy({ fields, values });
    });
    return ProbeGroup._fromProbes(probes, (i) => `probe_index ${keys[i]}`);
  }

  /** A copy of the group: each probe copied with its wiring. */
  copy(): ProbeGroup {
    return ProbeGroup.fromDict(this.toDict());
  }

  /** ProbeInterface's dict of the group: `{ probes: [probe.toDict(), ...] }`. */
  toDict(): ProbeGroupDict {
    return { probes: this.probes.map((p) => p.toDict()) };
  }

  /**
   * A group from ProbeInterface's dict or JSON object (`{ probes: [...] }`; `specification` and
   * `version` are not needed). A field of the wrong size or type is a `FORMAT` error naming it.
   */
  static fromDict(d: ProbeGroupDict | Record<string, unknown>): ProbeGroup {
    if (d === null || typeof d !== 'object' || Array.isArray(d)) fail('FORMAT', 'probegroup', `expected an object with "probes", got ${describe(d)}`);
    const probes = (d as Record<string, unknown>).probes;
    if (!Array.isArray(probes)) fail('FORMAT', 'probes', `expected a list of probe dicts, got ${describe(probes)}`);
    return ProbeGroup._fromProbes(
      probes.map((pd, i) => Probe.fromDict(pd as Record<string, unknown>, `probes[${i}].`)),
      (i) => `probes[${i}]`,
    );
  }
}

// SpikeInterface's BaseRecordingSnippets, the part of a recording that knows channels but not samples:
// channel ids, sampling frequency, properties, annotations, gains and offsets, and the probe wiring
// (attaching a Probe / ProbeGroup, channel locations, the 'group' property). BaseRecording extends it
// with segments, traces, times, views and dicts. The rules of the probe wiring live in probe-attach.ts.
import { SpikewireError, check, describe } from '../errors.js';
import { ChannelIndex, allIndices, checkChannelIds, type ChannelId } from './ids.js';
import { PropertyStore, toColumn, type PropertyColumn, type PropertyValues } from './properties.js';
import type { BaseRecording } from './recording.js';
import { Probe } from '../probe/probe.js';
import { ProbeGroup, type ProbeGroupDict } from '../probe/probegroup.js';
import {
  checkGroupMode,
  combineProbegroups,
  copyProbegroup,
  dummyProbeFromLocations,
  globalContactPositions,
  groupsFromProbegroup,
  prepareProbegroup,
  selectLocations,
  sliceProbegroup,
  sortProbegroupByDeviceChannels,
  type DummyProbeFromLocationsOptions,
  type GroupMode,
  type LocationAxes,
  type SetProbeOptions,
  type SetProbegroupOptions,
} from './probe-attach.js';

export abstract class BaseRecordingSnippets {
  protected _channelIds: readonly ChannelId[];
  protected _index: ChannelIndex;
  protected readonly _properties: PropertyStore;
  protected _annotations: Record<string, unknown> = { is_filtered: false };
  /** The constructor arguments in SpikeInterface's names, for dicts. */
  protected _kwargs: Record<string, unknown> = {};

  protected constructor(
    protected readonly _samplingFrequency: number,
    channelIds: ArrayLike<ChannelId>,
  ) {
    this._channelIds = checkChannelIds(channelIds);
    this._index = new ChannelIndex(this._channelIds);
    this._properties = new PropertyStore(() => this._channelIds.length);
  }

  /** A lazy view of some channels (BaseRecording's ChannelSliceRecording). */
  abstract selectChannels(ids: readonly ChannelId[]): BaseRecording;

  // ---------------------------------------------------------------- ids
  /** Channel ids, in channel order. */
  getChannelIds(): ChannelId[] {
    return [...this._channelIds];
  }
  /** Number of channels. */
  getNumChannels(): number {
    return this._channelIds.length;
  }
  /** Sampling frequency in Hz. */
  getSamplingFrequency(): number {
    return this._samplingFrequency;
  }
  /** Channel positions of `ids`, in the order given (`CHANNEL_NOT_FOUND` for unknown ids). */
  idsToIndices(ids: readonly ChannelId[]): Int32Array {
    if (!Array.isArray(ids)) throw new SpikewireError('INVALID_ARGUMENT', `channel ids must be an array, got ${describe(ids)}`);
    return this._index.indicesOf(ids);
  }

  // ---------------------------------------------------------------- properties, annotations
  /**
   * Sets a channel property for every channel, or only for `ids` (the others get `missingValue`, or
   * NaN / '' / null by dtype, as SpikeInterface). `null` values delete the property.
   */
  setProperty(key: string, values: PropertyValues | readonly unknown[] | null, ids?: readonly ChannelId[], missingValue?: unknown): void {
    this._properties.set(key, values, ids === undefined || ids === null ? undefined : this.idsToIndices(ids), missingValue);
  }
  /** A copy of a property's values (for `ids` only when given), or undefined. */
  getProperty(key: string, ids?: readonly ChannelId[]): PropertyValues | undefined {
    return this._properties.get(key, ids === undefined || ids === null ? undefined : this.idsToIndices(ids));
  }
  /** A property with its numpy dtype and shape. */
  getPropertyColumn(key: string): PropertyColumn | undefined {
    return this._properties.column(key);
  }
  /** Property names. */
  getPropertyKeys(): string[] {
    return this._properties.keys();
  }
  /** Removes a property (`INVALID_ARGUMENT` if absent). */
  deleteProperty(key: string): void {
    this._properties.delete(key);
  }
  /** Adds or replaces annotations. */
  annotate(values: Record<string, unknown>): void {
    check(values !== null && typeof values === 'object', 'INVALID_ARGUMENT', () => `annotate expects an object of annotations, got ${describe(values)}`);
    for (const [key, value] of Object.entries(values)) this.defineAnnotation(key, value);
  }
  /** Sets one annotation; an existing key needs `overwrite`. */
  setAnnotation(key: string, value: unknown, overwrite = false): void {
    check(overwrite || !Object.hasOwn(this._annotations, key), 'INVALID_ARGUMENT', () => `${describe(key)} is already an annotation key: pass overwrite to replace it`);
    this.defineAnnotation(key, value);
  }
  /** A copy of one annotation (undefined when absent). */
  getAnnotation(key: string): unknown {
    // Own keys only: 'constructor' or 'toString' are no annotations.
    const v = Object.hasOwn(this._annotations, key) ? this._annotations[key] : undefined;
    return v === undefined ? undefined : structuredClone(v);
  }
  /** Keys come from files and dicts: '__proto__' must be an annotation, never the object's prototype. */
  private defineAnnotation(key: string, value: unknown): void {
    Object.defineProperty(this._annotations, key, { value, enumerable: true, writable: true, configurable: true });
  }
  /** Annotation names. */
  getAnnotationKeys(): string[] {
    return Object.keys(this._annotations);
  }
  /** The `is_filtered` annotation. */
  isFiltered(): boolean {
    return Boolean(this._annotations.is_filtered);
  }

  // ---------------------------------------------------------------- gains
  /** True when both gain_to_uV and offset_to_uV are set. */
  hasScaleableTraces(): boolean {
    return this._properties.has('gain_to_uV') && this._properties.has('offset_to_uV');
  }
  /** gain_to_uV per channel (float32, as the kernel applies it); ones when unset. */
  getChannelGains(channelIds?: readonly ChannelId[]): Float32Array {
    return this.scaleProperty('gain_to_uV', 1, channelIds);
  }
  /** offset_to_uV per channel (float32); zeros when unset. */
  getChannelOffsets(channelIds?: readonly ChannelId[]): Float32Array {
    return this.scaleProperty('offset_to_uV', 0, channelIds);
  }
  private scaleProperty(key: string, fallback: number, channelIds?: readonly ChannelId[]): Float32Array {
    const values = this.getProperty(key, channelIds);
    const n = channelIds ? channelIds.length : this.getNumChannels();
    if (!values) return new Float32Array(n).fill(fallback);
    return Float32Array.from(values as ArrayLike<number>, Number);
  }
  /** Sets gain_to_uV: one number for every channel, or one per channel. */
  setChannelGains(gains: number | ArrayLike<number>, channelIds?: readonly ChannelId[]): void {
    this.setProperty('gain_to_uV', this.scaleValues('gains', gains, channelIds), channelIds);
  }
  /** Sets offset_to_uV: one number for every channel, or one per channel. */
  setChannelOffsets(offsets: number | ArrayLike<number>, channelIds?: readonly ChannelId[]): void {
    this.setProperty('offset_to_uV', this.scaleValues('offsets', offsets, channelIds), channelIds);
  }
  private scaleValues(what: string, v: number | ArrayLike<number>, channelIds?: readonly ChannelId[]): Float64Array {
    const n = channelIds ? channelIds.length : this.getNumChannels();
    const values = typeof v === 'number' ? new Float64Array(n).fill(v) : Float64Array.from(v, Number);
    check(values.length === n, 'INVALID_ARGUMENT', () => `${what} has ${values.length} values, expected ${n} (one per channel)`);
    check(values.every(Number.isFinite), 'INVALID_ARGUMENT', () => `${what} must be finite numbers, got ${describe(Array.from(values))}`);
    return values;
  }

  // ---------------------------------------------------------------- probes
  // SpikeInterface main (0.105): the attached ProbeGroup is an object on the recording (not a
  // property), sorted to channel order (contact k is channel k, device channel indices 0..n-1);
  // `setProbe` / `setProbegroup` work in place and set the 'group' property. The rules live in
  // probe-attach.ts; views copy, slice or combine the group (see copyProbegroupTo).

  /** The attached group, sorted to channel order; null without a probe. */
  protected _probegroup: ProbeGroup | null = null;

  /**
   * Attaches a probe, in place (SpikeInterface main): its connected contacts
   * (`deviceChannelIndices` >= 0) must be exactly the recording's channels. The stored probe is a
   * copy reordered to channel order and wired 0..n-1; the 'group' property is set by `groupMode`
   * (default 'auto'). The probe passed in is not changed. Returns the recording.
   */
  setProbe(probe: Probe, opts: SetProbeOptions = {}): this {
    checkGroupMode(opts?.groupMode);
    if (!(probe instanceof Probe)) {
      throw new SpikewireError('INVALID_ARGUMENT', `The input must be a Probe object, got ${describe(probe)} (use setProbegroup for a ProbeGroup)`);
    }
    const group = new ProbeGroup();
    group.addProbe(probe.getSlice(Array.from({ length: probe.getContactCount() }, (_, i) => i)));
    return this.setProbegroup(group, opts);
  }

  /**
   * Attaches a ProbeGroup (or ProbeInterface's dict of one), in place: as {@link setProbe}, over
   * the global wiring of all its probes. Nothing changes when the group is refused. `groupMode`
   * 'keep' leaves the 'group' property alone (a probegroup saved with the recording, reloaded).
   */
  setProbegroup(probegroup: ProbeGroup | ProbeGroupDict, opts: SetProbegroupOptions = {}): this {
    const mode = checkGroupMode(opts?.groupMode, true);
    const pg = probegroup instanceof ProbeGroup ? probegroup
      : probegroup !== null && typeof probegroup === 'object' && Array.isArray((probegroup as ProbeGroupDict).probes) ? ProbeGroup.fromDict(probegroup)
        : null;
    if (pg === null) throw new SpikewireError('INVALID_ARGUMENT', `setProbegroup needs a ProbeGroup, got ${describe(probegroup)}`);
    const sorted = prepareProbegroup(pg, this._channelIds, { checkOverlap: opts?.checkOverlap ?? true });
    const groups = mode === 'keep' ? null : groupsFromProbegroup(sorted, mode); // may refuse the mode: before anything changes
    this._probegroup = sorted;
    if (groups !== null) this._properties.setColumn('group', toColumn(groups, '<i8'));
    return this;
  }

  /**
   * A channel view that matches a probe (SpikeInterface's `select_channels_with_probe`): the
   * channels its connected contacts are wired to, in wiring order, with the probe attached.
   */
  selectChannelsWithProbe(probe: Probe, opts: SetProbeOptions = {}): BaseRecording {
    if (!(probe instanceof Probe)) throw new SpikewireError('INVALID_ARGUMENT', `The input must be a Probe object, got ${describe(probe)}`);
    const group = new ProbeGroup();
    group.addProbe(probe.getSlice(Array.from({ length: probe.getContactCount() }, (_, i) => i)));
    return this.selectChannelsWithProbegroup(group, opts);
  }

  /** As {@link selectChannelsWithProbe}, for a ProbeGroup (SpikeInterface's `select_channels_with_probegroup`). */
  selectChannelsWithProbegroup(probegroup: ProbeGroup, opts: SetProbeOptions = {}): BaseRecording {
    const mode = checkGroupMode(opts?.groupMode) as GroupMode;
    const sorted = sortProbegroupByDeviceChannels(probegroup, this.getNumChannels(), this._channelIds);
    const dci = sorted.getGlobalDeviceChannelIndices().deviceChannelIndices;
    const ids = dci.map((c) => this._channelIds[c]!);
    sorted.setGlobalDeviceChannelIndices(ids.map((_, i) => i));
    const sub = this.selectChannels(ids);
    const groups = groupsFromProbegroup(sorted, mode);
    sub._probegroup = sorted;
    sub._properties.setColumn('group', toColumn(groups, '<i8'));
    return sub;
  }

  /** True when a probe is attached. */
  hasProbe(): boolean {
    return this._probegroup !== null;
  }

  /** True when the attached probes are 3d (false without a probe). */
  has3dProbe(): boolean {
    return this._probegroup !== null && this._probegroup.probes.length > 0 && this._probegroup.probes[0]!.ndim === 3;
  }

  /** Removes the attached probe (the 'group' property stays, as in SpikeInterface). */
  removeProbe(): void {
    this._probegroup = null;
  }

  /**
   * The attached ProbeGroup itself (as SpikeInterface: changes to it change the recording's probe).
   * `INVALID_ARGUMENT` without a probe.
   */
  getProbegroup(): ProbeGroup {
    if (this._probegroup === null) {
      throw new SpikewireError('INVALID_ARGUMENT', 'There is no Probe attached to this recording. Use setProbe(probe) to attach one.');
    }
    return this._probegroup;
  }

  /** The attached probes. */
  getProbes(): Probe[] {
    return [...this.getProbegroup().probes];
  }

  /** The attached probe; `INVALID_ARGUMENT` when there are several (use getProbegroup). */
  getProbe(): Probe {
    const probes = this.getProbes();
    if (probes.length !== 1) {
      throw new SpikewireError('INVALID_ARGUMENT', `There are several probes: use getProbes() or getProbegroup() (${probes.length} probes attached)`);
    }
    return probes[0]!;
  }

  /**
   * Positions of channels (all, or `channelIds` in the order given) from the attached probes:
   * a flat row-major Float64Array of shape `[n, axes.length]` (default axes 'xy').
   */
  getChannelLocations(channelIds?: readonly ChannelId[] | null, axes: LocationAxes = 'xy'): Float64Array {
    const indices = channelIds === undefined || channelIds === null ? allIndices(this.getNumChannels()) : this.idsToIndices(channelIds);
    if (this._probegroup === null) {
      throw new SpikewireError('INVALID_ARGUMENT', 'getChannelLocations() needs a probe to be attached to the recording');
    }
    const ndim = this._probegroup.probes.length > 0 ? this._probegroup.ndim : 2;
    return selectLocations(globalContactPositions(this._probegroup), ndim, indices, axes);
  }

  /**
   * Attaches a "dummy" probe made from channel locations (SpikeInterface's
   * `set_dummy_probe_from_locations`): one contact per channel at `locations[i]` (rows of 2 or 3
   * numbers, or a flat array of n*2), shape 'circle' radius 1 unless given.
   */
  setDummyProbeFromLocations(locations: ArrayLike<ArrayLike<number>> | ArrayLike<number>, opts: DummyProbeFromLocationsOptions = {}): this {
    return this.setProbe(dummyProbeFromLocations(locations, this.getNumChannels(), opts ?? {}));
  }

  /** SpikeInterface's deprecated `set_channel_locations`: a dummy probe at these locations (axes 'xy'). */
  setChannelLocations(locations: ArrayLike<ArrayLike<number>> | ArrayLike<number>): this {
    return this.setDummyProbeFromLocations(locations, { axes: 'xy' });
  }

  /**
   * Gives a view the probe of this recording: a copy (frame / segment views, appends, concatenations),
   * or, with `indices`, the contacts of those channels wired 0..n-1 with 'group' re-derived (channel
   * views, as SpikeInterface's ChannelSliceRecording). Nothing without a probe.
   */
  copyProbegroupTo(other: BaseRecording, indices?: ArrayLike<number>): void {
    if (this._probegroup === null) return;
    if (indices === undefined) {
      other._probegroup = copyProbegroup(this._probegroup);
      return;
    }
    const sliced = sliceProbegroup(this._probegroup, indices);
    // A subset cannot overlap where the whole did not (and an aggregation's group skipped that check).
    if (sliced !== null) other.setProbegroup(sliced, { checkOverlap: false });
  }

  /**
   * Attaches to an aggregation (`this`) the probes of the recordings it aggregates, wired over its
   * channels, when every one of them has a probe (SpikeInterface main); 'group' is re-derived.
   */
  protected attachCombinedProbegroup(recordings: readonly BaseRecording[]): void {
    const combined = combineProbegroups(recordings.map((r) => r._probegroup));
    if (combined !== null) this.setProbegroup(combined, { checkOverlap: false });
  }
  // ---------------------------------------------------------------- metadata copies for views
  /** Copies annotations and the properties of `indices` (all when undefined) onto `other`. */
  copyMetadataTo(other: BaseRecording, indices?: ArrayLike<number>): void {
    other._annotations = structuredClone(this._annotations);
    for (const key of this._properties.keys()) {
      const column = indices === undefined ? this._properties.sliceColumn(key, allIndices(this.getNumChannels())) : this._properties.sliceColumn(key, indices);
      if (column) other._properties.setColumn(key, column);
    }
    this.copyProbegroupTo(other, indices); // probes: as SpikeInterface's copy_metadata (sliced for channel views)
  }
}

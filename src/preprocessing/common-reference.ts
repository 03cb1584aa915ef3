import type { DType } from '../dtype.js';
import { itemSize, numpyDTypeString } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { int16MedianScratchBytes, int16MedianShiftAt, localShiftAt, localShiftScratchBytes } from '../kernel/index.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, fixDtype, isIntegerDtype } from './base.js';

const FN = 'commonReference';
const REFERENCES = ['global', 'single', 'local'] as const;
const OPERATORS = ['median', 'average'] as const;

/** Options of {@link commonReference}: SpikeInterface's `common_reference` keyword arguments, camelCased. */
export interface CommonReferenceOptions {
  /** 'global' (default): all channels (or `refChannelIds`); 'single': one channel (per group); 'local': an annulus around each channel. */
  reference?: 'global' | 'single' | 'local';
  /** 'median' (default, CMR) or 'average' (CAR). */
  operator?: 'median' | 'average';
  /** Lists of channel ids referenced separately (not with 'local'). */
  groups?: readonly (readonly ChannelId[])[] | null;
  /**
   * 'global': the channels the reference is taken over (with groups: one list per group, or
   * 'out_of_group' for each group's complement); 'single': one id, or one id per group.
   */
  refChannelIds?: readonly ChannelId[] | readonly (readonly ChannelId[])[] | ChannelId | 'out_of_group' | null;
  /** 'local': the annulus (inner exclusion radius, outer inclusion radius) in µm; default [30, 55]. */
  localRadius?: readonly [number, number] | readonly number[];
  /** 'local': fewer neighbours in the annulus than this → the closest ones beyond the inner radius (default 5). */
  minLocalNeighbors?: number;
  /** Output sample type (default: the parent's); unsigned types are refused. */
  dtype?: DType | string | null;
}

/** How a segment computes its reference: channel indices resolved once, shared by every segment. */
interface ReferencePlan {
  readonly reference: 'global' | 'single' | 'local';
  readonly operator: 'median' | 'average';
  readonly numChannels: number;
  readonly allChannels: Int32Array;
  /** Without groups: reference columns ('global' subset or the 'single' channel); null = all. */
  readonly refIndices: Int32Array | null;
  /** Group channel indices, or null. */
  readonly groupIndices: Int32Array[] | null;
  /** With groups: the reference columns of each group. */
  readonly groupRefs: Int32Array[] | null;
  /** 'local': the neighbours of each channel, ascending. */
  readonly neighbours: Int32Array[] | null;
  /** numpy reduces a float32 parent in float32. */
  readonly float32: boolean;
  /** The parent's dtype: 'single' without groups subtracts in it (integers wrap around). */
  readonly parentDtype: DType;
}

/**
 * SpikeInterface's CommonReferenceRecording: each frame minus a reference taken across channels,
 * the median (CMR) or mean (CAR) of all channels, of a subset, of one channel, per group, or of the
 * channels in an annulus around each channel. Integer outputs are rounded half to even, except with
 * groups, where SpikeInterface truncates toward zero.
 */
export class CommonReferenceRecording extends BasePreprocessor {
  static override readonly className: string = 'CommonReferenceRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.common_reference.CommonReferenceRecording';

  constructor(recording: BaseRecording, opts: CommonReferenceOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const reference = checkChoice(FN, 'reference', opts.reference ?? 'global', REFERENCES);
    const operator = checkChoice(FN, 'operator', opts.operator ?? 'median', OPERATORS);
    const groups = opts.groups ?? null;
    let refIds: unknown = opts.refChannelIds ?? null;
    const localRadius = opts.localRadius ?? [30.0, 55.0];
    const minLocalNeighbors = opts.minLocalNeighbors ?? 5;
    if (groups !== null) {
      check(Array.isArray(groups) && groups.every((g) => Array.isArray(g)), 'INVALID_ARGUMENT',
        () => `${FN}: groups must be a list of lists of channel ids, got ${describe(groups)}`);
    }
    const channelIds = recording.getChannelIds();

    if (reference === 'global') {
      if (refIds === 'out_of_group') {
        check(groups !== null, 'INVALID_ARGUMENT', () => `${FN}: refChannelIds 'out_of_group' needs groups`);
        refIds = groups.map((g) => {
          const inGroup = new Set<ChannelId>(g);
          return channelIds.filter((c) => !inGroup.has(c));
        });
      }
      if (refIds !== null) {
        check(Array.isArray(refIds), 'INVALID_ARGUMENT', () => `${FN}: with reference 'global', refChannelIds must be a list of channel ids, got ${describe(refIds)}`);
        if (groups !== null) {
          check(refIds.length === groups.length, 'INVALID_ARGUMENT',
            () => `${FN}: with reference 'global' and groups, refChannelIds must hold one list of channel ids per group (${groups.length}), got ${describe(refIds)}`);
          check(refIds.every((r) => Array.isArray(r)), 'INVALID_ARGUMENT',
            () => `${FN}: with reference 'global' and groups, each element of refChannelIds must be a list of channel ids, got ${describe(refIds)}`);
        }
      }
    } else if (reference === 'single') {
      check(refIds !== null, 'INVALID_ARGUMENT', () => `${FN}: reference 'single' needs refChannelIds`);
      if (groups !== null) {
        check(Array.isArray(refIds) && refIds.length === groups.length, 'INVALID_ARGUMENT',
          () => `${FN}: refChannelIds ${describe(refIds)} must hold one channel id per group (${groups.length})`);
      } else {
        if (!Array.isArray(refIds)) refIds = [refIds];
        check((refIds as unknown[]).length === 1, 'INVALID_ARGUMENT',
          () => `${FN}: refChannelIds ${describe(refIds)} without groups must be one channel id or a list of one id`);
      }
    } else {
      check(groups === null, 'INVALID_ARGUMENT', () => `${FN}: groups cannot be used with reference 'local'`);
    }
    // checked whatever the reference: they are stored in the kwargs and written to dicts
    check(Array.isArray(localRadius) && localRadius.length === 2 && localRadius.every((r) => typeof r === 'number' && !Number.isNaN(r)),
      'INVALID_ARGUMENT', () => `${FN}: localRadius must be two numbers [inner, outer] in µm, got ${describe(localRadius)}`);
    check(Number.isInteger(minLocalNeighbors) && minLocalNeighbors >= 1, 'INVALID_ARGUMENT',
      () => `${FN}: minLocalNeighbors must be a positive integer, got ${describe(minLocalNeighbors)}`);
    const dtype = fixDtype(FN, recording, opts.dtype);
    super(recording, { dtype });

    const n = this.getNumChannels();
    const toIndices = (ids: unknown, what: string): Int32Array => {
      check(Array.isArray(ids), 'INVALID_ARGUMENT', () => `${FN}: ${what} must be a list of channel ids, got ${describe(ids)}`);
      return this.idsToIndices(ids as ChannelId[]);
    };
    const groupIndices = groups === null ? null : groups.map((g, i) => toIndices(g, `groups[${i}]`));
    let refIndices: Int32Array | null = null;
    let groupRefs: Int32Array[] | null = null;
    if (refIds !== null) {
      const list = refIds as unknown[];
      if (groups !== null) {
        groupRefs = reference === 'global'
          ? list.map((r, i) => toIndices(r, `refChannelIds[${i}]`))
          : list.map((r) => toIndices([r], 'refChannelIds'));
      } else {
        refIndices = toIndices(list, 'refChannelIds');
      }
    }
    if (groupIndices !== null && groupRefs === null) groupRefs = groupIndices;
    // numpy would return NaN for the median or mean of no channel: refuse it here instead
    check(refIndices === null || refIndices.length > 0, 'INVALID_ARGUMENT', () => `${FN}: refChannelIds is empty: the reference needs at least one channel`);
    groupRefs?.forEach((r, g) => check(r.length > 0, 'INVALID_ARGUMENT', () => `${FN}: group ${g} has no reference channel (groups[${g}] or refChannelIds[${g}] is empty)`));
    const neighbours = reference === 'local' ? localNeighbours(this, localRadius as [number, number], minLocalNeighbors) : null;

    const plan: ReferencePlan = {
      reference, operator, numChannels: n, allChannels: Int32Array.from({ length: n }, (_, i) => i),
      refIndices, groupIndices, groupRefs, neighbours, float32: recording.getDtype() === 'float32', parentDtype: recording.getDtype(),
    };
    for (const segment of recording.segments) this.addRecordingSegment(new CommonReferenceRecordingSegment(segment, dtype, plan));
    this._kwargs = {
      recording,
      reference,
      groups: groups === null ? null : groups.map((g) => [...g]),
      operator,
      ref_channel_ids: refIds === null ? null : (refIds as unknown[]).map((r) => (Array.isArray(r) ? [...r] : r)),
      local_radius: [...localRadius],
      min_local_neighbors: minLocalNeighbors,
      dtype: numpyDTypeString(dtype),
    };
  }
}

/**
 * SpikeInterface's annulus neighbours (get_closest_channels, then the annulus, then the closest
 * `minLocalNeighbors` beyond the inner radius for channels with too few), ascending, with its warning.
 */
function localNeighbours(recording: BaseRecording, [inner, outer]: [number, number], minLocalNeighbors: number): Int32Array[] {
  const n = recording.getNumChannels();
  const locations = recording.getChannelLocations();
  const dims = locations.length / Math.max(n, 1);
  const result: Int32Array[] = [];
  const short: string[] = [];
  const ids = recording.getChannelIds();
  for (let i = 0; i < n; i++) {
    const distance = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      // np.linalg.norm along the axis: sqrt of the sum of squares, summed in axis order
      let s = 0;
      for (let d = 0; d < dims; d++) {
        const delta = locations[i * dims + d] - locations[j * dims + d];
        s += delta * delta;
      }
      distance[j] = Math.sqrt(s);
    }
    // argsort (stable), without the first entry (the channel itself)
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => distance[a] - distance[b] || a - b).slice(1);
    let chosen = order.filter((j) => distance[j] > inner && distance[j] <= outer);
    if (chosen.length < minLocalNeighbors) {
      short.push(String(ids[i]));
      chosen = order.filter((j) => distance[j] > inner).slice(0, minLocalNeighbors);
    }
    if (chosen.length === 0) {
      throw new SpikewireError('INVALID_ARGUMENT', `${FN}: channel ${describe(ids[i])} has no channel beyond the inner radius ${inner} µm of localRadius`);
    }
    result.push(Int32Array.from(chosen.sort((a, b) => a - b)));
  }
  if (short.length > 0) {
    console.warn(
      `spikewire: The following channels did not have enough neighbors in the annulus and used the closest ` +
        `${minLocalNeighbors} channels beyond the inner radius instead: ${short.join(', ')}`,
    );
  }
  return result;
}

/** Computes one segment's re-referenced frames in the kernel. */
class CommonReferenceRecordingSegment extends BasePreprocessorSegment {
  constructor(parentSegment: BaseRecordingSegment, dtype: DType, private readonly plan: ReferencePlan) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const plan = this.plan;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    if (plan.reference === 'global' && plan.operator === 'median' && plan.groupIndices === null && plan.parentDtype === 'int16') {
      await this.int16Median(request, out);
      return;
    }
    // Every channel is needed for the reference: the parent's frames, all channels, as float64.
    const chunk = await this.readParentChunk(request, 0, { channelIndices: plan.allChannels });
    let shift = -1;
    try {
      const scratchBytes = kernel.referenceScratchBytes(plan.numChannels);
      shift = await kernel.alloc(frames * 8 + scratchBytes);
      const scratch = shift + Math.ceil((frames * 8) / 16) * 16;
      const src = chunk.address;
      const stride = plan.numChannels;
      const op = plan.operator === 'median' ? 'median' : 'mean';
      const f32 = plan.float32;
      const round = isIntegerDtype(this.dtype);
      const reduce = (refs: ArrayLike<number>, how: 'median' | 'mean' | 'weighted' = op, weight = 0) =>
        kernel.referenceShift({ src, numFrames: frames, stride, refs, op: how, float32: f32 && how !== 'weighted', weight, out: shift, scratch });
      const subtract = (columns: ArrayLike<number>, dst: number, flags: { float32?: boolean; storeFloat32?: boolean; round?: boolean }) =>
        kernel.subtractShift({ src, numFrames: frames, stride, columns, shift, dst, dstStride: k, scratch, ...flags });

      if (plan.groupIndices !== null) {
        // SpikeInterface's grouped path: a float64 buffer of zeros (channels in no group stay 0), and
        // astype without rounding afterwards.
        (kernel.view('float64', out, frames * k) as Float64Array).fill(0);
        plan.groupIndices.forEach((group, g) => {
          const members = new Set(group);
          const positions: number[] = [];
          for (let j = 0; j < k; j++) if (members.has(channelIndices[j])) positions.push(j);
          if (positions.length === 0) return;
          reduce(plan.groupRefs![g]);
          for (const j of positions) subtract([channelIndices[j]], out + j * 8, { float32: f32 });
        });
        return;
      }
      if (plan.reference === 'local') {
        // numpy: the median of the neighbours, the difference stored in a float32 array, then rounded;
        // or traces.dot(kernel.T) with equal weights 1/n over the neighbours, in float64
        const median = plan.operator === 'median';
        const neighbours = Array.from(channelIndices, (c) => plan.neighbours![c]);
        const local = await kernel.alloc(localShiftScratchBytes(k, neighbours));
        try {
          localShiftAt(kernel, {
            src, numFrames: frames, stride, columns: channelIndices, neighbours, op: median ? 'median' : 'weighted', dst: out,
            float32: median && f32, storeFloat32: median, round,
          }, local);
        } finally {
          kernel.free(local);
        }
        return;
      }
      // 'global' (all channels or a subset) and 'single' (the median of one channel is that channel)
      reduce(plan.refIndices ?? plan.allChannels);
      subtract(channelIndices, out, { float32: f32, round });
      if (plan.reference === 'single' && isIntegerDtype(plan.parentDtype)) {
        // numpy subtracts the reference channel in the parent's integer type, and casts integers to
        // an integer dtype: both wrap around
        const values = kernel.view('float64', out, frames * k) as Float64Array;
        wrapToDtype(values, plan.parentDtype);
        if (round) wrapToDtype(values, this.dtype);
      }
    } finally {
      if (shift >= 0) kernel.free(shift);
      kernel.free(chunk.address);
    }
  }
  /**
   * The global median of an int16 parent, on its samples as they are (no float64 block): the median
   * by counting in the kernel, the difference and np.round in float64 as numpy computes them.
   */
  private async int16Median(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const plan = this.plan;
    const chunk = await this.readParentChunk(request, 0, { channelIndices: plan.allChannels, dtype: 'int16' });
    let scratch = -1;
    try {
      const refs = plan.refIndices ?? plan.allChannels;
      scratch = await kernel.alloc(int16MedianScratchBytes(kernel, refs.length, channelIndices.length));
      int16MedianShiftAt(kernel, {
        src: chunk.address, numFrames: endFrame - startFrame, stride: plan.numChannels, refs, columns: channelIndices, dst: out, round: isIntegerDtype(this.dtype),
      }, scratch);
    } finally {
      if (scratch >= 0) kernel.free(scratch);
      kernel.free(chunk.address);
    }
  }
}

/** Wraps integer values into the range of an integer dtype, as numpy's integer arithmetic does. */
function wrapToDtype(values: Float64Array, dtype: DType): void {
  const bits = itemSize(dtype) * 8;
  const span = 2 ** bits;
  const low = dtype.startsWith('u') ? 0 : -(2 ** (bits - 1));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < low || v >= low + span) values[i] = ((((v - low) % span) + span) % span) + low;
  }
}

/**
 * SpikeInterface's `common_reference`: a lazy {@link CommonReferenceRecording} of `recording`.
 * Errors (`INVALID_ARGUMENT`, `CHANNEL_NOT_FOUND`) name the option in this API's names.
 */
export function commonReference(recording: BaseRecording, opts: CommonReferenceOptions = {}): CommonReferenceRecording {
  return new CommonReferenceRecording(recording, opts);
}

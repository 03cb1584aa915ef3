import { check, describe } from '../errors.js';
import { BaseRecording, ChannelSliceRecording } from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import { checkPreprocessorArgs } from './base.js';

const FN = 'depthOrder';
const AXES = ['x', 'y', 'z'] as const;

/** A probe axis. */
export type Axis = (typeof AXES)[number];

/** Options of {@link orderChannelsByDepth} and {@link depthOrder}: SpikeInterface's keyword arguments, camelCased. */
export interface DepthOrderOptions {
  /** Only order these channels (default: all). */
  channelIds?: readonly ChannelId[] | null;
  /**
   * One axis (a stable sort along it), or several (numpy's lexsort: the last axis sorts first, ties
   * broken by the ones before). Default ['x', 'y']: by depth, then by x.
   */
  dimensions?: Axis | readonly Axis[];
  /** Upper channels first instead of the tip's (default false). */
  flip?: boolean;
}

/** The index of an axis among a recording's location columns, or `INVALID_ARGUMENT` naming `fn`. */
export function axisIndex(fn: string, name: string, axis: unknown, ndim: number): number {
  const dim = AXES.indexOf(axis as Axis);
  check(dim >= 0, 'INVALID_ARGUMENT', () => `${fn}: ${name} ${describe(axis)} must be 'x', 'y' or 'z'`);
  check(dim < ndim, 'INVALID_ARGUMENT', () => `${fn}: ${name} '${String(axis)}' is not an axis of the recording's ${ndim}-d channel locations`);
  return dim;
}

/**
 * SpikeInterface's `order_channels_by_depth`: `order` lists positions (among `channelIds`, all
 * channels by default) from the tip of the probe up (down with `flip`), and `reverse` undoes it
 * (`order[reverse[i]] === i`). Needs a probe.
 */
export function orderChannelsByDepth(recording: BaseRecording, opts: DepthOrderOptions = {}): { order: Int32Array; reverse: Int32Array } {
  const fn = 'orderChannelsByDepth';
  checkPreprocessorArgs(fn, recording, opts);
  check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${fn}: the recording has no probe: channel locations are needed`);
  const ndim = recording.getProbegroup().ndim;
  const axes = recording.getChannelLocations(opts.channelIds ?? null, ndim === 3 ? 'xyz' : 'xy');
  const n = axes.length / ndim;
  const dims = opts.dimensions ?? ['x', 'y'];
  check(typeof dims === 'string' || Array.isArray(dims), 'INVALID_ARGUMENT', () => `${fn}: dimensions must be an axis or a list of axes, got ${describe(dims)}`);
  // numpy's lexsort sorts by the last key first; a single axis is argsort(kind='stable')
  const keys = (typeof dims === 'string' ? [dims] : [...dims]).map((d) => axisIndex(fn, 'dimension', d, ndim)).reverse();
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    for (const k of keys) {
      const d = axes[a * ndim + k] - axes[b * ndim + k];
      if (d !== 0) return d;
    }
    return a - b;
  });
  if (opts.flip === true) order.reverse();
  const reverse = new Int32Array(n);
  order.forEach((o, i) => (reverse[o] = i));
  return { order, reverse };
}

/**
 * SpikeInterface's DepthOrderRecording: a channel view of the parent with its channels sorted by
 * their location (see {@link orderChannelsByDepth}). As in SpikeInterface, with `channelIds` the
 * positions found among those channels pick from all of the parent's channel ids.
 */
export class DepthOrderRecording extends ChannelSliceRecording {
  static override readonly className: string = 'DepthOrderRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.depth_order.DepthOrderRecording';

  constructor(recording: BaseRecording, opts: DepthOrderOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    check(opts.flip === undefined || typeof opts.flip === 'boolean', 'INVALID_ARGUMENT', () => `${FN}: flip must be true or false, got ${describe(opts.flip)}`);
    const { order } = orderChannelsByDepth(recording, opts);
    const ids = recording.getChannelIds();
    super(recording, Array.from(order, (i) => ids[i]));
    this._kwargs = {
      parent_recording: recording,
      channel_ids: opts.channelIds === undefined || opts.channelIds === null ? null : [...opts.channelIds],
      dimensions: opts.dimensions === undefined ? ['x', 'y'] : typeof opts.dimensions === 'string' ? opts.dimensions : [...opts.dimensions],
      flip: opts.flip ?? false,
    };
  }
}

/** SpikeInterface's `depth_order`: a lazy {@link DepthOrderRecording} of `recording` (which needs a probe). */
export function depthOrder(recording: BaseRecording, opts: DepthOrderOptions = {}): DepthOrderRecording {
  return new DepthOrderRecording(recording, opts);
}

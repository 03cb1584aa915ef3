import { check, describe } from '../errors.js';
import { BaseRecording, ChannelSliceRecording } from '../core/index.js';
import type { ChannelId } from '../core/ids.js';
import { checkPreprocessorArgs } from './base.js';
import { detectBadChannels, detectBadChannelsKwargs, type ChannelLabel, type DetectBadChannelsOptions } from './detect-bad-channels.js';
import { InterpolateBadChannelsRecording } from './interpolate-bad-channels.js';

/** Options of the detect-and-… recordings: the bad channels when already known, else how to detect them. */
export interface DetectAndFixBadChannelsOptions extends DetectBadChannelsOptions {
  /** The bad channels; when given, nothing is detected. */
  badChannelIds?: readonly ChannelId[] | null;
  /** The labels the detection gave (kept in the dict). */
  channelLabels?: readonly ChannelLabel[] | null;
}

/** The detection's options alone (without the known ids and labels). */
function detectionOptions(opts: DetectAndFixBadChannelsOptions): DetectBadChannelsOptions {
  const { badChannelIds: _ids, channelLabels: _labels, ...rest } = opts;
  return rest;
}

/** The known bad channels, or those detected now (with their labels). */
async function badChannelsOf(recording: BaseRecording, opts: DetectAndFixBadChannelsOptions): Promise<DetectAndFixBadChannelsOptions> {
  if (opts.badChannelIds !== undefined && opts.badChannelIds !== null) return opts;
  const { badChannelIds, channelLabels } = await detectBadChannels(recording, detectionOptions(opts));
  return { ...opts, badChannelIds, channelLabels };
}

function knownIds(fn: string, opts: DetectAndFixBadChannelsOptions): ChannelId[] {
  check(Array.isArray(opts.badChannelIds), 'INVALID_ARGUMENT',
    () => `${fn}: badChannelIds must be a list of channel ids (detect them with the ${fn.replace(/Recording$/, '')} function), got ${describe(opts.badChannelIds)}`);
  return [...opts.badChannelIds!];
}

/**
 * SpikeInterface's DetectAndRemoveBadChannelsRecording: a channel view of the parent without its
 * bad channels. Built from known ids (a dict's); {@link detectAndRemoveBadChannels} detects them.
 * As SpikeInterface, labels are kept in the dict only when the detection ran here.
 */
export class DetectAndRemoveBadChannelsRecording extends ChannelSliceRecording {
  static override readonly className: string = 'DetectAndRemoveBadChannelsRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.detect_bad_channels.DetectAndRemoveBadChannelsRecording';

  /** The channels removed. */
  readonly badChannelIds: ChannelId[];

  constructor(recording: BaseRecording, opts: DetectAndFixBadChannelsOptions, detectedLabels: readonly ChannelLabel[] | null = null) {
    const fn = 'DetectAndRemoveBadChannelsRecording';
    checkPreprocessorArgs(fn, recording, opts);
    const bad = knownIds(fn, opts);
    recording.idsToIndices(bad);
    const kept = recording.getChannelIds().filter((id) => !bad.includes(id));
    super(recording, kept);
    this.badChannelIds = bad;
    this._kwargs = {
      parent_recording: recording, bad_channel_ids: bad,
      ...(detectedLabels === null ? {} : { channel_labels: [...detectedLabels] }),
      ...detectBadChannelsKwargs(detectionOptions(opts)),
    };
  }
}

/**
 * SpikeInterface's DetectAndInterpolateBadChannelsRecording: the bad channels interpolated from the
 * good ones (kriging weights with SpikeInterface's default sigma and p; see
 * InterpolateBadChannelsRecording). Built from known ids; {@link detectAndInterpolateBadChannels}
 * detects them.
 */
export class DetectAndInterpolateBadChannelsRecording extends InterpolateBadChannelsRecording {
  static override readonly className: string = 'DetectAndInterpolateBadChannelsRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.interpolate_bad_channels.DetectAndInterpolateBadChannelsRecording';

  /**
   * `storedKwargs`: other kwargs of a SpikeInterface dict, kept in this one as SpikeInterface keeps
   * them (its reload stores the p, sigma_um and weights it is given, without using them: the weights
   * are computed again with the defaults).
   */
  constructor(recording: BaseRecording, opts: DetectAndFixBadChannelsOptions, storedKwargs: Record<string, unknown> = {}) {
    const fn = 'DetectAndInterpolateBadChannelsRecording';
    checkPreprocessorArgs(fn, recording, opts);
    super(recording, knownIds(fn, opts), {}, fn);
    const labels = opts.channelLabels ?? null;
    this._kwargs = {
      ...this._kwargs,
      ...(labels === null ? {} : { channel_labels: [...labels] }),
      ...storedKwargs,
      ...detectBadChannelsKwargs(detectionOptions(opts)),
    };
  }
}

/**
 * SpikeInterface's `detect_and_remove_bad_channels`: detects the bad channels (see
 * detectBadChannels; skipped when `badChannelIds` is given) and returns the recording without them.
 */
export async function detectAndRemoveBadChannels(recording: BaseRecording, opts: DetectAndFixBadChannelsOptions = {}): Promise<DetectAndRemoveBadChannelsRecording> {
  checkPreprocessorArgs('detectAndRemoveBadChannels', recording, opts);
  const given = opts.badChannelIds !== undefined && opts.badChannelIds !== null;
  const found = await badChannelsOf(recording, opts);
  return new DetectAndRemoveBadChannelsRecording(recording, found, given ? null : found.channelLabels ?? null);
}

/**
 * SpikeInterface's `detect_and_interpolate_bad_channels`: detects the bad channels (skipped when
 * `badChannelIds` is given) and returns the recording with them interpolated.
 */
export async function detectAndInterpolateBadChannels(
  recording: BaseRecording, opts: DetectAndFixBadChannelsOptions = {},
): Promise<DetectAndInterpolateBadChannelsRecording> {
  checkPreprocessorArgs('detectAndInterpolateBadChannels', recording, opts);
  return new DetectAndInterpolateBadChannelsRecording(recording, await badChannelsOf(recording, opts));
}

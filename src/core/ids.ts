import { SpikewireError, describe } from '../errors.js';

/**
 * The most channels a recording may have. Far above any probe or system in use (65,536-channel
 * arrays exist), and low enough that ids, gains and per-channel tables built from a count read out
 * of a file or a dict stay small.
 */
export const MAX_CHANNELS = 1 << 20;

/** `INVALID_ARGUMENT` when `numChannels` is over {@link MAX_CHANNELS}: before any per-channel table is built. */
export function checkChannelLimit(numChannels: number): void {
  if (numChannels > MAX_CHANNELS) {
    throw new SpikewireError('INVALID_ARGUMENT', `numChannels ${numChannels} is more than spikewire's limit of ${MAX_CHANNELS} channels per recording`);
  }
}

/** A channel id: SpikeInterface allows integers or strings (never a mix). */
export type ChannelId = number | string;

/**
 * Checks a list of channel ids the way SpikeInterface does when a recording is built: every id an
 * integer or a string, all of one kind, none repeated. Returns a frozen copy.
 */
export function checkChannelIds(ids: ArrayLike<unknown>, expectedLength?: number): readonly ChannelId[] {
  const list = Array.from(ids);
  if (expectedLength !== undefined && list.length !== expectedLength) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `channelIds has ${list.length} ids, expected ${expectedLength} (one per channel)`,
    );
  }
  let kind: 'number' | 'string' | undefined;
  const seen = new Set<ChannelId>();
  for (const id of list) {
    const k = typeof id === 'number' && Number.isInteger(id) ? 'number' : typeof id === 'string' ? 'string' : undefined;
    if (!k) throw new SpikewireError('INVALID_ARGUMENT', `channel id ${describe(id)} is not an integer or a string`);
    if (kind && k !== kind) {
      throw new SpikewireError('INVALID_ARGUMENT', `channel ids mix integers and strings (${describe(list)}): use one kind`);
    }
    kind = k;
    if (seen.has(id as ChannelId)) throw new SpikewireError('INVALID_ARGUMENT', `channel id ${describe(id)} appears twice: ids must be unique`);
    seen.add(id as ChannelId);
  }
  return Object.freeze(list as ChannelId[]);
}

/** Maps channel ids to their positions, with SpikeInterface's error for ids that are not there. */
export class ChannelIndex {
  private readonly positions = new Map<ChannelId, number>();

  constructor(readonly ids: readonly ChannelId[]) {
    ids.forEach((id, i) => this.positions.set(id, i));
  }

  /** Position of each id, in the order given; `CHANNEL_NOT_FOUND` names the ids that are missing. */
  indicesOf(ids: readonly ChannelId[] | ArrayLike<ChannelId>): Int32Array {
    const out = new Int32Array(ids.length);
    const missing: ChannelId[] = [];
    for (let i = 0; i < ids.length; i++) {
      const p = this.positions.get(ids[i]);
      if (p === undefined) missing.push(ids[i]);
      else out[i] = p;
    }
    if (missing.length) {
      throw new SpikewireError(
        'CHANNEL_NOT_FOUND',
        `channel ids ${describe(missing)} are not channel ids of this recording; available ids are ${describe(this.ids as ChannelId[])}`,
      );
    }
    return out;
  }

  /** True when `id` is one of the ids. */
  has(id: ChannelId): boolean {
    return this.positions.has(id);
  }
}

/** 0, 1, …, n-1 as channel indices. */
export function allIndices(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

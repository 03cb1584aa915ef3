// A small cache of windows (traces or envelopes) with prefetch of the next ones and abort of the
// requests nobody waits for any more: what keeps scrolling smooth without reading ahead blindly.
import { abortedError } from '../abort.js';
import type { ChannelId } from '../core/ids.js';
import { SpikewireError, describe } from '../errors.js';

/** Where a window lies: the cache key. `variant` tells apart what differs beyond the range (µV, filtering, columns). */
export interface WindowKey {
  segmentIndex: number;
  startFrame: number;
  endFrame: number;
  /** Channels in order (default: all). */
  channelIds?: readonly ChannelId[];
  /** Anything else that changes the result, as text (e.g. `'uV|columns=1200|highpass 300'`). */
  variant?: string;
}

/** Loads one window; must stop (reject) when `signal` aborts. */
export type WindowLoader<T> = (key: WindowKey, signal: AbortSignal) => Promise<T>;

/** Options of {@link WindowCache}. */
export interface WindowCacheOptions<T> {
  /** Reads a window (e.g. `(key, signal) => proxy.getEnvelopes({ ...key, columns, signal })`). */
  load: WindowLoader<T>;
  /** Windows kept after they are loaded (least recently used dropped first); default 16. */
  maxEntries?: number;
}

interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Settled with a value (failures are dropped from the cache). */
  done: boolean;
  /** Callers waiting on it; a prefetch nobody waits for has 0. */
  waiters: number;
  /** Started by prefetch() and not asked for since. */
  prefetched: boolean;
}

/** The text of a key: the cache's map key. */
export function windowKeyText(key: WindowKey): string {
  if (key === null || typeof key !== 'object') {
    throw new SpikewireError('INVALID_ARGUMENT', `expected a window { segmentIndex, startFrame, endFrame }, got ${describe(key)}`);
  }
  for (const name of ['segmentIndex', 'startFrame', 'endFrame'] as const) {
    const v = key[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new SpikewireError('INVALID_ARGUMENT', `window ${name} must be an integer ≥ 0, got ${describe(v)}`);
    }
  }
  const channels = key.channelIds ? key.channelIds.map((id) => `${typeof id === 'number' ? 'n' : 's'}${id}`).join(',') : '*';
  return `${key.segmentIndex}|${key.startFrame}|${key.endFrame}|${channels}|${key.variant ?? ''}`;
}

/**
 * Windows by (segment, frame range, channels, variant): `get` answers from the cache, joins a load in
 * flight, or starts one; `prefetch` starts loads of windows likely to come next and aborts earlier
 * prefetches that are no longer wanted; a `get` whose signal aborts gives up its wait, and the load is
 * aborted once no one waits for it (unless it is a prefetch still wanted).
 */
export class WindowCache<T> {
  private readonly loader: WindowLoader<T>;
  private readonly maxEntries: number;
  private readonly entries = new Map<string, Entry<T>>();

  constructor(opts: WindowCacheOptions<T>) {
    if (!opts || typeof opts.load !== 'function') throw new SpikewireError('INVALID_ARGUMENT', `WindowCache: expected { load: function }, got ${describe(opts)}`);
    const max = opts.maxEntries ?? 16;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 4096) {
      throw new SpikewireError('INVALID_ARGUMENT', `WindowCache: maxEntries must be an integer from 1 to 4096, got ${describe(max)}`);
    }
    this.loader = opts.load;
    this.maxEntries = max;
  }

  /** Windows cached or loading. */
  get size(): number {
    return this.entries.size;
  }

  /** True when the window is loaded (a `get` answers at once). */
  has(key: WindowKey): boolean {
    return this.entries.get(windowKeyText(key))?.done === true;
  }

  /** The window: cached, joined while loading, or loaded now. `signal` stops this caller's wait (`ABORTED`). */
  get(key: WindowKey, opts: { signal?: AbortSignal } = {}): Promise<T> {
    const text = windowKeyText(key);
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(abortedError('window read', signal));
    const entry = this.entries.get(text) ?? this.start(text, key);
    entry.prefetched = false;
    this.touch(text, entry);
    if (entry.done) return entry.promise;
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        entry.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        leave();
        reject(abortedError('window read', signal));
        // nobody else waits: stop the load
        if (entry.waiters === 0 && !entry.prefetched && !entry.done) this.drop(text, entry);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error) => {
          leave();
          reject(error);
        },
      );
    });
  }

  /**
   * Starts loading `keys` (the windows likely to come next) unless cached or loading, and aborts the
   * earlier prefetches not among them that nobody waits for.
   */
  prefetch(keys: readonly WindowKey[]): void {
    const wanted = new Set(keys.map(windowKeyText));
    for (const [text, entry] of this.entries) {
      if (entry.prefetched && !entry.done && entry.waiters === 0 && !wanted.has(text)) this.drop(text, entry);
    }
    for (const key of keys) {
      const text = windowKeyText(key);
      if (this.entries.has(text)) continue;
      const entry = this.start(text, key);
      entry.prefetched = true;
      entry.promise.catch(() => {}); // a failed prefetch is dropped; a later get tries again
    }
  }

  /** Aborts every load in flight and forgets every window. */
  clear(): void {
    for (const [text, entry] of this.entries) this.drop(text, entry);
  }

  private start(text: string, key: WindowKey): Entry<T> {
    const controller = new AbortController();
    const entry: Entry<T> = { promise: Promise.resolve() as Promise<T>, controller, done: false, waiters: 0, prefetched: false };
    entry.promise = Promise.resolve()
      .then(() => this.loader(key, controller.signal))
      .then(
        (value) => {
          entry.done = true;
          this.trim();
          return value;
        },
        (error) => {
          if (this.entries.get(text) === entry) this.entries.delete(text);
          throw error;
        },
      );
    this.entries.set(text, entry);
    return entry;
  }

  private touch(text: string, entry: Entry<T>): void {
    this.entries.delete(text);
    this.entries.set(text, entry);
  }

  private drop(text: string, entry: Entry<T>): void {
    if (this.entries.get(text) === entry) this.entries.delete(text);
    if (!entry.done) entry.controller.abort(new SpikewireError('ABORTED', 'the window is no longer wanted'));
  }

  /** Drops the least recently used loaded windows beyond maxEntries (loads in flight stay). */
  private trim(): void {
    let excess = this.entries.size - this.maxEntries;
    for (const [text, entry] of this.entries) {
      if (excess <= 0) break;
      if (!entry.done) continue;
      this.entries.delete(text);
      excess--;
    }
  }
}

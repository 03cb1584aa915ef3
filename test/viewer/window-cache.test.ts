// WindowCache: answers from the cache, joins loads in flight, prefetches and aborts stale prefetches,
// aborts a load nobody waits for, keeps the most recent windows, and refuses bad keys.
import { describe, expect, it } from 'vitest';
import { WindowCache, type WindowKey } from '../../src/index.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';

/** A loader whose loads finish when told to, recording each start and abort. */
function controlledLoader() {
  const loads: { key: WindowKey; signal: AbortSignal; finish(v?: string): void; aborted: boolean }[] = [];
  const load = (key: WindowKey, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      const entry = { key, signal, aborted: false, finish: (v?: string) => resolve(v ?? `${key.startFrame}-${key.endFrame}`) };
      signal.addEventListener('abort', () => {
        entry.aborted = true;
        reject(signal.reason);
      });
      loads.push(entry);
    });
  return { loads, load };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const w = (startFrame: number, extra: Partial<WindowKey> = {}): WindowKey => ({ segmentIndex: 0, startFrame, endFrame: startFrame + 100, ...extra });

describe('WindowCache', () => {
  it('loads a window once: joined while loading, answered from the cache afterwards', async () => {
    const { loads, load } = controlledLoader();
    const cache = new WindowCache({ load });
    const a = cache.get(w(0));
    const b = cache.get(w(0));
    await tick();
    expect(loads).toHaveLength(1);
    loads[0].finish();
    expect(await a).toBe('0-100');
    expect(await b).toBe('0-100');
    expect(cache.has(w(0))).toBe(true);
    expect(await cache.get(w(0))).toBe('0-100');
    expect(loads).toHaveLength(1);
    // channels and variant are part of the key
    cache.get(w(0, { channelIds: [1, '1'] }));
    cache.get(w(0, { variant: 'uV' }));
    await tick();
    expect(loads).toHaveLength(3);
  });

  it('prefetches the next windows and aborts the prefetches that are no longer wanted', async () => {
    const { loads, load } = controlledLoader();
    const cache = new WindowCache({ load });
    cache.prefetch([w(100), w(200)]);
    await tick();
    expect(loads.map((l) => l.key.startFrame)).toEqual([100, 200]);
    // the view moved on: 200 is still wanted, 100 is not
    cache.prefetch([w(200), w(300)]);
    await tick();
    expect(loads[0].aborted).toBe(true);
    expect(loads[1].aborted).toBe(false);
    expect(loads.map((l) => l.key.startFrame)).toEqual([100, 200, 300]);
    // asking for a prefetched window joins its load; a later prefetch list no longer aborts it
    const got = cache.get(w(300));
    cache.prefetch([]);
    await tick();
    expect(loads[2].aborted).toBe(false);
    expect(loads[1].aborted).toBe(true);
    loads[2].finish();
    expect(await got).toBe('300-400');
    expect(loads).toHaveLength(3);
  });

  it('aborts a load once every caller waiting for it has given up', async () => {
    const { loads, load } = controlledLoader();
    const cache = new WindowCache({ load });
    const one = new AbortController();
    const two = new AbortController();
    const a = cache.get(w(0), { signal: one.signal });
    const b = cache.get(w(0), { signal: two.signal });
    await tick();
    one.abort();
    await expectCodeAsync(a, 'ABORTED');
    expect(loads[0].aborted).toBe(false);
    two.abort();
    await expectCodeAsync(b, 'ABORTED');
    expect(loads[0].aborted).toBe(true);
    expect(cache.size).toBe(0);
    // a fresh get starts again
    const c = cache.get(w(0));
    await tick();
    loads[1].finish('again');
    expect(await c).toBe('again');
    await expectCodeAsync(cache.get(w(0), { signal: AbortSignal.abort() }), 'ABORTED');
  });

  it('keeps the most recently used windows, drops failures, and clears', async () => {
    const { loads, load } = controlledLoader();
    const cache = new WindowCache({ load, maxEntries: 2 });
    for (const start of [0, 100, 200]) {
      const p = cache.get(w(start));
      await tick();
      loads.at(-1)!.finish();
      await p;
      if (start === 100) await cache.get(w(0)); // 0 is used again: 100 is the oldest
    }
    expect(cache.has(w(0))).toBe(true);
    expect(cache.has(w(100))).toBe(false);
    expect(cache.has(w(200))).toBe(true);

    const failing = new WindowCache<string>({ load: async () => Promise.reject(new Error('no network')) });
    await expect(failing.get(w(0))).rejects.toThrow('no network');
    expect(failing.size).toBe(0);

    const pending = cache.get(w(900));
    await tick();
    cache.clear();
    expect(loads.at(-1)!.aborted).toBe(true);
    await expect(pending).rejects.toThrow(/no longer wanted/);
  });

  it('refuses bad keys and options', () => {
    expectCode(() => new WindowCache({} as never), 'INVALID_ARGUMENT', /load/);
    expectCode(() => new WindowCache({ load: async () => 1, maxEntries: 0 }), 'INVALID_ARGUMENT', /maxEntries/);
    const cache = new WindowCache({ load: async () => 1 });
    expectCode(() => cache.get({ segmentIndex: 0, startFrame: -1, endFrame: 3 }), 'INVALID_ARGUMENT', /startFrame/);
    expectCode(() => cache.prefetch([null as never]), 'INVALID_ARGUMENT', /window/);
  });
});

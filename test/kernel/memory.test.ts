// The kernel's allocator over linear memory and the io()/growth handshake. Node and browser.
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/errors.js';
import { ALIGNMENT, type Kernel, createKernel } from '../../src/kernel/index.js';
import { rng } from '../helpers/random.js';
import { expectCode } from '../helpers/expect-error.js';


/** Resolves after a few macrotask turns: long enough for any pending promise chain to settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

interface Region {
  address: number;
  size: number;
  tag: number;
}

function fillRegion(kernel: Kernel, r: Region): void {
  const bytes = kernel.bytes(r.address, r.size);
  for (let i = 0; i < r.size; i++) bytes[i] = (r.tag * 31 + i) & 0xff;
}

function checkRegion(kernel: Kernel, r: Region): void {
  const bytes = kernel.bytes(r.address, r.size);
  for (let i = 0; i < r.size; i++) {
    if (bytes[i] !== ((r.tag * 31 + i) & 0xff)) {
      expect.fail(`region ${r.tag} at ${r.address} (${r.size} B) was overwritten at byte ${i}`);
    }
  }
}

function expectDisjoint(regions: Region[]): void {
  const sorted = [...regions].sort((a, b) => a.address - b.address);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const end = prev.address + Math.max(prev.size, 1);
    if (end > sorted[i].address) expect.fail(`regions ${prev.tag} and ${sorted[i].tag} overlap`);
  }
}


async function expectRejects(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe(code);
    return;
  }
  expect.fail(`expected a rejection with SpikewireError ${code}`);
}

for (const simd of [true, false]) {
  describe(`kernel memory (${simd ? 'SIMD' : 'scalar'} build)`, () => {
    it('200 concurrent alloc/free of random sizes never overlap', async () => {
      const kernel = await createKernel({ simd });
      const r = rng(simd ? 1 : 2);
      const sizes = Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? 0 : Math.floor(r() ** 3 * 300_000)));
      // All at once: many of them need memory to grow.
      const addresses = await Promise.all(sizes.map((size) => kernel.alloc(size)));
      const live: Region[] = addresses.map((address, tag) => ({ address, size: sizes[tag], tag }));
      for (const region of live) {
        expect(region.address % ALIGNMENT).toBe(0);
        expect(region.address).toBeGreaterThan(0);
      }
      expectDisjoint(live);
      for (const region of live) fillRegion(kernel, region);
      for (const region of live) checkRegion(kernel, region);

      // Interleave frees with a second wave of concurrent allocations.
      let tag = 1000;
      const survivors: Region[] = [];
      const pending: Promise<Region>[] = [];
      for (const region of live) {
        if (r() < 0.5) {
          kernel.free(region.address);
          const size = Math.floor(r() ** 2 * 200_000);
          const t = tag++;
          pending.push(kernel.alloc(size).then((address) => ({ address, size, tag: t })));
        } else {
          survivors.push(region);
        }
      }
      const fresh = await Promise.all(pending);
      const all = [...survivors, ...fresh];
      expectDisjoint(all);
      for (const region of fresh) fillRegion(kernel, region);
      for (const region of all) checkRegion(kernel, region);
      for (const region of all) kernel.free(region.address);
    });

    it('alloc(0) gives distinct valid addresses; freed space is reused and coalesced', async () => {
      const kernel = await createKernel({ simd });
      const a = await kernel.alloc(0);
      const b = await kernel.alloc(0);
      expect(a).not.toBe(b);
      expect(kernel.bytes(a, 0).length).toBe(0);
      kernel.free(a);
      kernel.free(b);
      const size = kernel.memory.buffer.byteLength;
      const x = await kernel.alloc(1000);
      const y = await kernel.alloc(1000);
      const z = await kernel.alloc(1000);
      kernel.free(y);
      kernel.free(x);
      kernel.free(z);
      const big = await kernel.alloc(3000);
      expect(big).toBe(Math.min(x, y, z));
      expect(kernel.memory.buffer.byteLength).toBe(size);
      kernel.free(big);
    });

    it('growth keeps previously written data, and views are re-derived', async () => {
      const kernel = await createKernel({ simd });
      const before = kernel.memory.buffer.byteLength;
      const small: Region = { address: await kernel.alloc(5000), size: 5000, tag: 7 };
      fillRegion(kernel, small);
      const oldView = kernel.bytes(small.address, small.size);
      const huge = await kernel.alloc(20 * 1024 * 1024);
      expect(before).toBeLessThan(20 * 1024 * 1024);
      expect(kernel.memory.buffer.byteLength).toBeGreaterThanOrEqual(huge + 20 * 1024 * 1024);
      expect(oldView.byteLength).toBe(0); // detached by memory.grow
      checkRegion(kernel, small);
      const hugeView = kernel.bytes(huge, 20 * 1024 * 1024);
      hugeView[hugeView.length - 1] = 42;
      expect(kernel.bytes(huge + 20 * 1024 * 1024 - 1, 1)[0]).toBe(42);
      kernel.free(huge);
      kernel.free(small.address);
    });

    it('io() in flight blocks growth; io() started while a growth waits runs after it', async () => {
      const kernel = await createKernel({ simd });
      const sizeBefore = kernel.memory.buffer.byteLength;
      const target = await kernel.alloc(4096);
      const gate = deferred();
      const events: string[] = [];
      let viewAtEnd = -1;
      const first = kernel.io(async () => {
        const view = kernel.bytes(target, 4096);
        events.push('io1 start');
        await gate.promise;
        view.fill(9); // still attached: no growth happened meanwhile
        viewAtEnd = view.byteLength;
        events.push('io1 end');
        return 'first';
      });
      await settle();
      const grow = kernel.alloc(sizeBefore * 4);
      // An alloc that fits does not wait.
      const fits = await kernel.alloc(64);
      events.push('small alloc');
      const second = kernel.io(async () => {
        events.push(`io2 start ${kernel.memory.buffer.byteLength > sizeBefore ? 'after' : 'before'} growth`);
        await settle();
        return 'second';
      });
      await settle();
      expect(kernel.memory.buffer.byteLength).toBe(sizeBefore);
      expect(events).toEqual(['io1 start', 'small alloc']);
      gate.resolve();
      expect(await first).toBe('first');
      const big = await grow;
      expect(await second).toBe('second');
      expect(viewAtEnd).toBe(4096);
      expect(events).toEqual(['io1 start', 'small alloc', 'io1 end', 'io2 start after growth']);
      expect(kernel.memory.buffer.byteLength).toBeGreaterThan(sizeBefore);
      expect(Array.from(kernel.bytes(target, 4))).toEqual([9, 9, 9, 9]);
      kernel.free(big);
      kernel.free(fits);
      kernel.free(target);
    });

    it('io() passes through results and errors and releases the gate on failure', async () => {
      const kernel = await createKernel({ simd });
      await expect(kernel.io(async () => 5)).resolves.toBe(5);
      await expect(
        kernel.io(async () => {
          throw new Error('read failed');
        }),
      ).rejects.toThrow('read failed');
      // a synchronous throw inside fn is a rejection too
      await expect(kernel.io((() => { throw new Error('sync'); }) as () => Promise<void>)).rejects.toThrow('sync');
      // growth is not blocked by the failed io() calls
      const address = await kernel.alloc(kernel.memory.buffer.byteLength * 2);
      kernel.free(address);
    });

    it('free of an unknown or already freed address is INVALID_ARGUMENT', async () => {
      const kernel = await createKernel({ simd });
      const a = await kernel.alloc(100);
      kernel.free(a);
      expectCode(() => kernel.free(a), 'INVALID_ARGUMENT', new RegExp(String(a)));
      expectCode(() => kernel.free(12345), 'INVALID_ARGUMENT', /12345/);
      expectCode(() => kernel.free(a + 16), 'INVALID_ARGUMENT');
    });

    it('bad byte counts and impossible sizes', async () => {
      const kernel = await createKernel({ simd });
      await expectRejects(kernel.alloc(-1), 'INVALID_ARGUMENT');
      await expectRejects(kernel.alloc(1.5), 'INVALID_ARGUMENT');
      await expectRejects(kernel.alloc(NaN), 'INVALID_ARGUMENT');
      await expectRejects(kernel.alloc('10' as unknown as number), 'INVALID_ARGUMENT');
      await expectRejects(kernel.alloc(2 ** 32), 'OUT_OF_RANGE');
      // still usable
      const a = await kernel.alloc(10);
      kernel.free(a);
    });

    it('bytes() and view() check their ranges and alignment', async () => {
      const kernel = await createKernel({ simd });
      const a = await kernel.alloc(64);
      expect(kernel.view('float64', a, 8)).toBeInstanceOf(Float64Array);
      expect(kernel.view('int16', a, 32).length).toBe(32);
      expectCode(() => kernel.view('float32', a + 2, 4), 'INVALID_ARGUMENT', /aligned/);
      expectCode(() => kernel.view('nope' as never, a, 4), 'INVALID_ARGUMENT', /nope/);
      const size = kernel.memory.buffer.byteLength;
      expectCode(() => kernel.bytes(size - 4, 8), 'INVALID_ARGUMENT', /outside/);
      expectCode(() => kernel.bytes(-1, 8), 'INVALID_ARGUMENT');
      kernel.free(a);
    });
  });
}

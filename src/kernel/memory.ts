import { SpikewireError, describe } from '../errors.js';

/** Alignment (bytes) of every address {@link FreeList.reserve} returns, and granularity of sizes. */
export const ALIGNMENT = 16;

/** Rounds `n` up to a multiple of {@link ALIGNMENT}. */
export const alignUp = (n: number): number => Math.ceil(n / ALIGNMENT) * ALIGNMENT;

/**
 * First-fit free list with coalescing over a range of addresses: the bookkeeping of the kernel's
 * allocator, kept in JS (nothing is stored in linear memory). Sizes are multiples of
 * {@link ALIGNMENT}; every region starts on an aligned address. Reservations happen synchronously,
 * so concurrent async callers can never receive overlapping regions.
 */
export class FreeList {
  // Free blocks, sorted by start, never adjacent (coalesced).
  private readonly starts: number[] = [];
  private readonly sizes: number[] = [];
  // Live regions: start -> size.
  private readonly live = new Map<number, number>();
  /** One past the last address managed. */
  end: number;

  /** Manages [base, end); `base` must be aligned. */
  constructor(base: number, end: number) {
    this.end = base;
    this.extend(end);
  }

  /** Address of a free region of `size` bytes (a multiple of {@link ALIGNMENT}), or -1 when none fits. */
  reserve(size: number): number {
    const { starts, sizes } = this;
    for (let i = 0; i < starts.length; i++) {
      if (sizes[i] < size) continue;
      const address = starts[i];
      if (sizes[i] === size) {
        starts.splice(i, 1);
        sizes.splice(i, 1);
      } else {
        starts[i] += size;
        sizes[i] -= size;
      }
      this.live.set(address, size);
      return address;
    }
    return -1;
  }

  /** Returns the region at `address` (as given by {@link reserve}); its size, or -1 for an unknown address. */
  release(address: number): number {
    const size = this.live.get(address);
    if (size === undefined) return -1;
    this.live.delete(address);
    this.insertFree(address, size);
    return size;
  }

  /** Size of the live region starting at `address`, or undefined. */
  sizeOf(address: number): number | undefined {
    return this.live.get(address);
  }

  /** Number of live regions. */
  get liveCount(): number {
    return this.live.size;
  }

  /** Free bytes at the top of the managed range (the block that ends at {@link end}, if any). */
  get tailFree(): number {
    const last = this.starts.length - 1;
    return last >= 0 && this.starts[last] + this.sizes[last] === this.end ? this.sizes[last] : 0;
  }

  /** Adds [end, newEnd) to the free space (after memory growth). */
  extend(newEnd: number): void {
    if (newEnd <= this.end) return;
    const start = this.end;
    this.end = newEnd;
    this.insertFree(start, newEnd - start);
  }

  private insertFree(start: number, size: number): void {
    const { starts, sizes } = this;
    // binary search: first block starting after `start`
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const prev = lo - 1;
    const mergesPrev = prev >= 0 && starts[prev] + sizes[prev] === start;
    const mergesNext = lo < starts.length && start + size === starts[lo];
    if (mergesPrev && mergesNext) {
      sizes[prev] += size + sizes[lo];
      starts.splice(lo, 1);
      sizes.splice(lo, 1);
    } else if (mergesPrev) {
      sizes[prev] += size;
    } else if (mergesNext) {
      starts[lo] = start;
      sizes[lo] += size;
    } else {
      starts.splice(lo, 0, start);
      sizes.splice(lo, 0, size);
    }
  }
}

/** Checks that `bytes` is a byte count the allocator accepts. */
export function checkByteCount(bytes: unknown): asserts bytes is number {
  if (typeof bytes !== 'number' || !Number.isInteger(bytes) || bytes < 0 || bytes > 2 ** 32) {
    throw new SpikewireError('INVALID_ARGUMENT', `alloc: expected a byte count (an integer from 0 to 2**32), got ${describe(bytes)}`);
  }
}

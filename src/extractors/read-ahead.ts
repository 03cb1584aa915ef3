import type { Kernel } from '../kernel/index.js';

/**
 * Read-ahead for sequential reads (chunks(), long getTraces): while the kernel converts one block,
 * the next block's bytes are already being read into their own region of linear memory (on another
 * thread for files, on the network for URLs). Reading and converting then overlap instead of adding up.
 *
 * A block read ahead belongs to one owner (a segment) and one frame range. It is claimed by the read
 * that asks for exactly that range, and dropped otherwise: when its owner reads something else, when
 * more than {@link MAX_OUTSTANDING} blocks wait in the whole process (the oldest goes), or when its
 * owner closes. Dropping waits for the read to settle before it frees the memory, so no read ever
 * writes into a region that was handed to someone else.
 */
export interface ReadAhead {
  readonly owner: object;
  readonly kernel: Kernel;
  readonly start: number;
  readonly end: number;
  /** Address of the block once allocated (0 before). */
  address: number;
  /** Resolves true when the bytes are in place, false when allocating or reading failed. Never rejects. */
  readonly done: Promise<boolean>;
}

/** Blocks read ahead and not yet claimed, process-wide, oldest first. */
const outstanding: ReadAhead[] = [];
/** At most this many unclaimed blocks at any time (each at most one read's size). */
const MAX_OUTSTANDING = 4;

/** Frees a read-ahead block once its read has settled. */
function drop(r: ReadAhead): Promise<void> {
  return r.done.then(() => {
    if (r.address !== 0) {
      r.kernel.free(r.address);
      r.address = 0;
    }
  });
}

/**
 * Starts reading frames [start, end) ahead: `alloc(bytes)` then `read(address)` inside `kernel.io`.
 * Returns immediately.
 */
export function startReadAhead(
  owner: object,
  kernel: Kernel,
  start: number,
  end: number,
  bytes: number,
  read: (address: number) => Promise<void>,
): void {
  // one block ahead per owner: a newer one replaces an older one
  for (let i = outstanding.length - 1; i >= 0; i--) {
    if (outstanding[i].owner === owner) void drop(outstanding.splice(i, 1)[0]);
  }
  while (outstanding.length >= MAX_OUTSTANDING) void drop(outstanding.shift()!);
  const slot = { address: 0 };
  const done = (async () => {
    try {
      slot.address = await kernel.alloc(bytes);
      await read(slot.address);
      return true;
    } catch {
      return false;
    }
  })();
  outstanding.push({
    owner, kernel, start, end, done,
    get address() { return slot.address; },
    set address(v: number) { slot.address = v; },
  });
}

/**
 * The block read ahead for exactly `owner`, `kernel`, [start, end), awaited: its address (the caller
 * now owns it and frees it), or 0 when there is none or its read failed. Any other block of `owner`
 * is dropped.
 */
export async function claimReadAhead(owner: object, kernel: Kernel, start: number, end: number): Promise<number> {
  let found: ReadAhead | null = null;
  for (let i = outstanding.length - 1; i >= 0; i--) {
    const r = outstanding[i];
    if (r.owner !== owner) continue;
    outstanding.splice(i, 1);
    if (found === null && r.kernel === kernel && r.start === start && r.end === end) found = r;
    else void drop(r);
  }
  if (found === null) return 0;
  if (await found.done) return found.address;
  await drop(found);
  return 0;
}

/** Drops every block of `owner` and waits until their reads have settled. */
export async function dropReadAheads(owner: object): Promise<void> {
  const mine: Promise<void>[] = [];
  for (let i = outstanding.length - 1; i >= 0; i--) {
    if (outstanding[i].owner === owner) mine.push(drop(outstanding.splice(i, 1)[0]));
  }
  await Promise.all(mine);
}

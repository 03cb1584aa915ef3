// Python tuples as JS arrays: one mark for every reader and writer of Python values (pickle, the
// literals of .npy headers). Tuples come back as plain arrays; this set remembers which arrays were
// tuples, so that writing them back gives tuples again, without adding anything to the arrays that
// deep-equality would see.
const TUPLES = new WeakSet<object>();

/** Marks `items` as a Python tuple (returns the same array). */
export function markTuple<T extends unknown[]>(items: T): T {
  TUPLES.add(items);
  return items;
}

/** A new array that stands for a Python tuple (pickle writes it as one). */
export function tuple<T>(...items: T[]): T[] {
  return markTuple(items);
}

/** True when `value` is an array that stands for a Python tuple (read as one, or made by {@link tuple}). */
export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && TUPLES.has(value);
}

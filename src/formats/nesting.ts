import { SpikewireError } from '../errors.js';

/**
 * How deep lists and dicts may nest in a dict, a JSON dump or a pickle. Python itself cannot write
 * deeper values (json.dumps and pickle.dump stop at its recursion limit of 1000), and every walk over
 * a loaded value (paths, floats, reprs, dumps) recurses: refusing deeper input up front keeps all of
 * them inside the call stack.
 */
export const MAX_NESTING = 1000;

/**
 * How many recordings may wrap one another in a dict (a ChannelSliceRecording of a FrameSliceRecording
 * of ...). SpikeInterface's own chains are a few levels; Python's recursion limit stops it near 100.
 */
export const MAX_RECORDING_NESTING = 100;

/** `FORMAT` naming `what` when arrays and objects in `value` nest deeper than {@link MAX_NESTING}. */
export function checkNesting(value: unknown, what: string): void {
  // Iterative: the point is to never recurse over input that may be 100,000 levels deep.
  const pending: [unknown, number][] = [[value, 0]];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const [v, depth] = pending.pop()!;
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) continue;
    if (depth >= MAX_NESTING) {
      throw new SpikewireError('FORMAT', `${what} nests lists and dicts more than ${MAX_NESTING} levels deep`);
    }
    seen.add(v);
    const children = v instanceof Map ? [...v.keys(), ...v.values()] : v instanceof Set ? [...v] : Object.values(v);
    for (const child of children) pending.push([child, depth + 1]);
  }
}

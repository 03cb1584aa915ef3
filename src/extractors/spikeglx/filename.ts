// The identity of a SpikeGLX file pair, as neo takes it: from the `fileName` key INSIDE the .meta
// (the path SpikeGLX wrote), never from the name the file has on disk.
import { SpikewireError, describe } from '../../errors.js';

/** What neo's `parse_spikeglx_fname` reads from a SpikeGLX file name (without its extension). */
export interface SpikeglxName {
  runName: string;
  /** The gate (`_g<G>`), null when the name has none. */
  gateNum: number | null;
  /** The trigger (`_t<T>`), "cat" for CatGT's `_tcat`, null when the name has none. */
  triggerNum: number | 'cat' | null;
  /** `imec0`, `nidq`, `obx0`, ... */
  device: string;
  /** `ap`, `lf`, `obx`, or null (NI-DAQ). */
  streamKind: 'ap' | 'lf' | 'obx' | null;
}

// neo's patterns, tried in this order; like Python's re.match they are anchored at the start only.
const PATTERNS: readonly [RegExp, (m: RegExpExecArray) => SpikeglxName][] = [
  [/^(\S+)_g(\d+)_t(\d+)\.(\S+)\.(ap|lf)/, (m) => named(m[1], Number(m[2]), Number(m[3]), m[4], m[5] as 'ap' | 'lf')],
  [/^(\S+)_g(\d+)_tcat\.(\S+)\.(ap|lf)/, (m) => named(m[1], Number(m[2]), 'cat', m[3], m[4] as 'ap' | 'lf')],
  [/^(\S+)_g(\d+)_t(\d+)\.(\S+)\.obx/, (m) => named(m[1], Number(m[2]), Number(m[3]), m[4], 'obx')],
  [/^(\S+)_g(\d+)_t(\d+)\.(\S+)/, (m) => named(m[1], Number(m[2]), Number(m[3]), m[4], null)],
  [/^(\S+)\.(\S+)\.(ap|lf)/, (m) => named(m[1], null, null, m[2], m[3] as 'ap' | 'lf')],
  [/^(\S+)\.(\S+)/, (m) => named(m[1], null, null, m[2], null)],
];

function named(runName: string, gateNum: number | null, triggerNum: number | 'cat' | null, device: string, streamKind: SpikeglxName['streamKind']): SpikeglxName {
  return { runName, gateNum, triggerNum, device, streamKind };
}

/**
 * neo's `parse_spikeglx_fname`: run name, gate, trigger, device and stream kind of a name such as
 * `Noise4Sam_g0_t0.imec0.ap`, `run_g0_tcat.imec1.lf`, `run_g0_t0.nidq` or `run.imec0.ap`.
 * `FORMAT` when no pattern matches.
 */
export function parseSpikeglxFname(fname: string): SpikeglxName {
  for (const [pattern, make] of PATTERNS) {
    const m = pattern.exec(fname);
    if (m) {
      const name = make(m);
      // Python's int() of a long digit run is exact; a gate or trigger beyond 2**53 is no real name.
      if ((name.gateNum !== null && !Number.isSafeInteger(name.gateNum)) || (typeof name.triggerNum === 'number' && !Number.isSafeInteger(name.triggerNum))) {
        throw new SpikewireError('FORMAT', `SpikeGLX file name ${describe(fname)}: gate or trigger number too large`);
      }
      return name;
    }
  }
  throw new SpikewireError('FORMAT', `cannot parse the SpikeGLX file name ${describe(fname)}: expected <run>_g<gate>_t<trigger>.<device>[.ap|.lf] or <run>.<device>[.ap|.lf]`);
}

/**
 * `Path(fileName).stem` on a POSIX system, as neo computes it from the meta's `fileName`: the last
 * '/'-separated part (a Windows path with backslashes stays whole), without its last extension.
 */
export function pathStem(fileName: string): string {
  const parts = fileName.split('/').filter((p) => p !== '' && p !== '.');
  const name = parts.length === 0 ? '' : parts[parts.length - 1];
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(0, dot) : name;
}

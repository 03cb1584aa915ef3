/**
 * SpikeInterface's text representation of a recording (`repr(recording)` / `print(recording)`),
 * reproduced character for character, plus the small pieces of Python formatting it relies on:
 * `format(x, ',.2f')`, `format(n, ',')`, `repr()` of plain values and of a dict of recordings.
 *
 * Why exactness matters: users compare our output with what SpikeInterface prints, and the
 * fixtures hold the real Python strings. Python's float formatting rounds the *exact* binary value
 * half-to-even, which `Number.prototype.toFixed` does not do for exact ties (0.125 → '0.13' in JS,
 * '0.12' in Python), so the fixed-point formatting below is done on the exact value with BigInt.
 *
 * Universal module: no Node or DOM APIs.
 */
import { PyFloat, floatRepr, nonFinite, pyFloat } from '../python/pyjson.js';
import { SpikewireError, describe } from '../errors.js';
import { pyStrRepr } from '../python/pyliteral.js';

/** What {@link formatRecordingRepr} needs to know about a recording. */
export interface ReprInput {
  /** The Python class name, e.g. `'NumpyRecording'`, `'ChannelSliceRecording'`, `'BinaryRecordingExtractor'`. */
  className: string;
  /**
   * The `name` annotation. When set (and different from the class name) the repr starts with
   * `'<name> (<className>)'`; the wrapped second line is then indented by `len(name) + 2`.
   */
  name?: string | null;
  /** Number of channels. */
  numChannels: number;
  /** Sampling frequency in Hz (a Python float in SpikeInterface). */
  samplingFrequency: number;
  /** Number of samples of each segment; its length is the number of segments. */
  numSamples: number[];
  /** Bytes per sample (numpy `dtype.itemsize`). */
  itemSize: number;
  /** The dtype as numpy prints it (`str(dtype)`), e.g. `'int16'`. */
  dtype: string;
  /**
   * The `file_paths` kwarg of the extractor, when it has one (BinaryRecordingExtractor): appended
   * as `'\n  file_paths: ' + repr(list)`.
   */
  filePaths?: string[] | null;
  /** The single `file_path` kwarg of extractors that have one: appended as `'\n  file_path: ' + str(value)`. */
  filePath?: string | null;
  /**
   * Per-segment `t_start` in seconds (`null` = none). It enters the default duration computation
   * (see {@link segmentDuration}), which can move the last bits of the float.
   */
  tStarts?: (number | null)[] | null;
  /**
   * Per-segment durations in seconds, overriding the computed ones. Needed for segments with a time
   * vector, whose duration is `times[-1] - times[0] + 1 / fs` rather than a function of the sample count.
   */
  durations?: number[] | null;
}

/** Marks an array as a Python `tuple` for {@link pythonRepr} (`(1,)`, `(1, 2)`, `()`). */
export class PyTuple {
  /** Wraps `items`. */
  constructor(readonly items: readonly unknown[]) {}
}


export { PyFloat, pyFloat };

/** Shorthand for `new PyTuple(items)`. */
export const pyTuple = (items: readonly unknown[]): PyTuple => new PyTuple(items);

// ---------------------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------------------

const BIG_TEN = 10n;

/** Splits a finite, non-negative double into `mantissa * 2 ** exponent` with an integer mantissa. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  // Subnormals have no implicit leading bit and the minimum exponent.
  if (biased === 0) return { mantissa, exponent: -1074 };
  mantissa |= 1n << 52n;
  return { mantissa, exponent: biased - 1075 };
}

/** Inserts ',' every three digits, as Python's `,` format option does for the integer part. */
function groupThousands(digits: string): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}


/**
 * Python's `format(value, '.{digits}f')` (or `',.{digits}f'` with `thousands`): the exact binary
 * value rounded half-to-even to `digits` decimals. Keeps the sign of negative values that round to
 * zero (`'-0.00'`), as Python does.
 */
export function formatFixed(value: number, digits: number, thousands = false): string {
  if (!Number.isInteger(digits) || digits < 0) {
    throw new SpikewireError('INVALID_ARGUMENT', `digits must be a non-negative integer, got ${describe(digits)}`);
  }
  if (!Number.isFinite(value)) return nonFinite(value);
  const negative = value < 0 || Object.is(value, -0);
  const { mantissa, exponent } = decompose(Math.abs(value));
  let scaled: bigint; // round(|value| * 10**digits), half to even
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * BIG_TEN ** BigInt(digits);
  } else {
    const numerator = mantissa * BIG_TEN ** BigInt(digits);
    const denominator = 1n << BigInt(-exponent);
    scaled = numerator / denominator;
    const twiceRemainder = (numerator % denominator) * 2n;
    if (twiceRemainder > denominator || (twiceRemainder === denominator && (scaled & 1n) === 1n)) scaled += 1n;
  }
  const text = scaled.toString().padStart(digits + 1, '0');
  let intPart = text.slice(0, text.length - digits);
  const fracPart = text.slice(text.length - digits);
  if (thousands) intPart = groupThousands(intPart);
  return (negative ? '-' : '') + intPart + (digits > 0 ? '.' + fracPart : '');
}

/**
 * Python's `format(n, ',')` for an integer `n` (all digits, never exponent notation). A non-integer
 * number is formatted as Python formats a float with `','` (its `repr` with a grouped integer part).
 */
export function formatThousands(n: number | bigint): string {
  if (typeof n === 'number' && !isPythonInt(n)) {
    const text = floatRepr(n);
    const match = /^(-?)(\d+)(.*)$/.exec(text);
    // Exponent forms keep their single leading digit, 'nan'/'inf' have none: nothing to group then.
    return match ? match[1] + groupThousands(match[2]) + match[3] : text;
  }
  const text = BigInt(n).toString();
  return text.startsWith('-') ? '-' + groupThousands(text.slice(1)) : groupThousands(text);
}

/**
 * SpikeInterface's `convert_bytes_to_str`: divide by 1024 while >= 1024 (up to TiB) and print
 * `'{v:.2f} {unit}'`, e.g. `'39.06 KiB'`. A bigint is divided as Python divides an int (correctly
 * rounded), so byte counts beyond 2**53 stay exact.
 */
export function formatBytes(n: number | bigint): string {
  const suffixes = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let value: number;
  if (typeof n === 'bigint') {
    if (n < 1024n) return `${formatFixed(Number(n), 2)} ${suffixes[0]}`;
    // Rounding the int to a double, then dividing by a power of two, is the correctly rounded
    // quotient Python's int / int gives (the division by 1024 is exact).
    value = Number(n) / 1024;
    i = 1;
  } else {
    value = n;
  }
  while (value >= 1024 && i < suffixes.length - 1) {
    value /= 1024;
    i += 1;
  }
  return `${formatFixed(value, 2)} ${suffixes[i]}`;
}

/**
 * SpikeInterface's `convert_seconds_to_str` (long notation): `'{s:,.2f}s'`, followed by
 * `' ({ms:.2f} ms)'` below 1 s, nothing below 60 s, `' ({m:.2f} minutes)'` below 1 h,
 * `' ({h:.2f} hours)'` below 2 days, else `' ({d:.2f} days)'`.
 */
export function formatDuration(seconds: number): string {
  const base = `${formatFixed(seconds, 2, true)}s`;
  // Same comparison chain as Python, so NaN also falls through to the 'days' branch.
  if (seconds < 1.0) return `${base} (${formatFixed(seconds * 1000, 2)} ms)`;
  if (seconds < 60) return base;
  if (seconds < 3600) return `${base} (${formatFixed(seconds / 60, 2)} minutes)`;
  if (seconds < 86400 * 2) return `${base} (${formatFixed(seconds / 3600, 2)} hours)`;
  return `${base} (${formatFixed(seconds / 86400, 2)} days)`;
}

/**
 * The sampling frequency as the recording header prints it: integral and above 10 kHz →
 * `'{fs/1000:.1f}kHz'`, integral up to 10 kHz → `'{fs:.1f}Hz'`, otherwise `'{fs:f} Hz'` (six decimals).
 */
export function formatSamplingFrequency(fs: number): string {
  // float.is_integer() is False for nan and inf, which therefore take the '{fs:f} Hz' branch.
  if (!Number.isInteger(fs)) return `${formatFixed(fs, 6)} Hz`;
  return fs > 10_000.0 ? `${formatFixed(fs / 1000.0, 1)}kHz` : `${formatFixed(fs, 1)}Hz`;
}

/**
 * The duration SpikeInterface reports for a segment without a time vector:
 * `end_time - start_time + 1 / fs`, with `end_time = (n - 1) / fs (+ t_start)` and
 * `start_time = t_start or 0.0`. Computed in the same order so the float is bit-identical.
 */
export function segmentDuration(numSamples: number, samplingFrequency: number, tStart: number | null = null): number {
  const start = tStart ?? 0.0;
  let end = (numSamples - 1) / samplingFrequency;
  if (tStart !== null) end += tStart;
  return end - start + 1 / samplingFrequency;
}

// ---------------------------------------------------------------------------------------------
// Recording repr
// ---------------------------------------------------------------------------------------------

// Python's str.isspace() set, used by str.lstrip(): JS's \s lacks \x1c-\x1f and \x85 and adds \ufeff.
const PY_LEADING_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Joins the per-segment cells, eliding the middle ones past 6 segments (`a | b | c | ... | x | y | z`). */
function listToString(cells: string[], maxSize = 6): string {
  if (cells.length <= maxSize) return cells.join(' | ');
  const half = Math.floor(maxSize / 2);
  return cells.slice(0, half).join(' | ') + ' | ... | ' + cells.slice(-half).join(' | ');
}

function checkInput(r: ReprInput): void {
  if (!Array.isArray(r.numSamples)) {
    throw new SpikewireError('INVALID_ARGUMENT', `numSamples must be an array (one entry per segment), got ${describe(r.numSamples)}`);
  }
  // Counts become BigInt for the byte arithmetic, which needs integers.
  const counts: [string, unknown][] = [['numChannels', r.numChannels], ['itemSize', r.itemSize]];
  r.numSamples.forEach((n, i) => counts.push([`numSamples[${i}]`, n]));
  for (const [key, n] of counts) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new SpikewireError('INVALID_ARGUMENT', `${key} must be a non-negative integer, got ${describe(n)}`);
    }
  }
  for (const [key, list] of [['durations', r.durations], ['tStarts', r.tStarts]] as const) {
    if (list != null && list.length !== r.numSamples.length) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `${key} has ${list.length} entries but the recording has ${r.numSamples.length} segments`,
      );
    }
  }
}

/**
 * Exactly the text SpikeInterface's `BaseRecording.__repr__` returns (no trailing newline;
 * `print()` adds one):
 *
 * `'<Name>: {C} channels - {fs} - {S} segments - {N:,} samples - {duration} - {dtype} dtype - {memory}'`,
 * wrapped at the last `'-'` before index 100 when longer than 100 characters, then per-segment
 * `Segments:` / `Samples:` / `Durations:` / `Memory:` rows for multi-segment recordings and the
 * `file_paths` / `file_path` lines.
 */
export function formatRecordingRepr(r: ReprInput): string {
  checkInput(r);
  const numSegments = r.numSamples.length;
  const durations = r.durations
    ? [...r.durations]
    : r.numSamples.map((n, i) => segmentDuration(n, r.samplingFrequency, r.tStarts?.[i] ?? null));
  // Byte counts as BigInt: Python ints never overflow, and formatBytes divides them exactly.
  const memory = r.numSamples.map((n) => BigInt(n) * BigInt(r.numChannels) * BigInt(r.itemSize));

  // Python's sum() starts at int 0 and adds left to right; so does this.
  const totalSamples = r.numSamples.reduce((a, n) => a + BigInt(n), 0n);
  const totalDuration = durations.reduce((a, d) => a + d, 0);
  const totalMemory = memory.reduce((a, m) => a + m, 0n);

  // `self.name` is the 'name' annotation, or the class name when it is unset.
  const name = r.name ?? r.className;
  const displayName = name !== r.className ? `${name} (${r.className})` : r.className;

  let txt =
    `${displayName}: ` +
    `${r.numChannels} channels - ` +
    `${formatSamplingFrequency(r.samplingFrequency)} - ` +
    `${numSegments} segments - ` +
    `${formatThousands(totalSamples)} samples - ` +
    `${formatDuration(totalDuration)} - ` +
    `${r.dtype} dtype - ` +
    `${formatBytes(totalMemory)}`;

  // Python measures and slices in code points; Array.from keeps astral characters whole.
  const chars = Array.from(txt);
  if (chars.length > 100) {
    const split = chars.slice(0, 100).lastIndexOf('-');
    if (split !== -1) {
      // The first line keeps the space before the '-'; the second is aligned past '<name>: '
      // (with the bare name, not the '<name> (<Class>)' display form, as SpikeInterface does).
      const indent = ' '.repeat(Array.from(name).length + 2);
      const rest = chars.slice(split + 1).join('').replace(PY_LEADING_SPACE, '');
      txt = chars.slice(0, split).join('') + '\n' + indent + rest;
    }
  }

  if (numSegments > 1) {
    txt +=
      '\nSegments:' +
      `\nSamples:   ${listToString(r.numSamples.map((n) => formatThousands(n)))}` +
      `\nDurations: ${listToString(durations.map(formatDuration))}` +
      `\nMemory:    ${listToString(memory.map((m) => formatBytes(m)))}`;
  }

  if (r.filePaths != null) txt += `\n  file_paths: ${pythonRepr(r.filePaths)}`;
  if (r.filePath != null) txt += `\n  file_path: ${r.filePath}`;
  return txt;
}

/**
 * Python's `repr()` of a dict whose values are already rendered (e.g. `print(recording.split_by('group'))`
 * without its trailing newline): `'{0: <repr>, 1: <repr>}'`. Keys go through {@link pythonRepr}.
 */
export function formatDictRepr(entries: Iterable<[unknown, string]>): string {
  const parts: string[] = [];
  for (const [key, rendered] of entries) parts.push(`${pythonRepr(key)}: ${rendered}`);
  return `{${parts.join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------
// Python repr of plain values
// ---------------------------------------------------------------------------------------------

/** A JS number prints as a Python int when it is integral (and not -0, which only a float can be). */
function isPythonInt(x: number): boolean {
  return Number.isInteger(x) && !Object.is(x, -0);
}


function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reprInner(value: unknown, active: Set<object>): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return pyStrRepr(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return isPythonInt(value) ? BigInt(value).toString() : floatRepr(value);
  if (value instanceof PyFloat) return floatRepr(value.value);
  if (typeof value !== 'object') {
    throw new SpikewireError('INVALID_ARGUMENT', `cannot give a Python repr of ${describe(value)}`);
  }
  // A container that contains itself prints as '[...]' / '{...}' / '(...)' in Python.
  const recursionMark = Array.isArray(value) ? '[...]' : value instanceof PyTuple ? '(...)' : '{...}';
  if (active.has(value)) return recursionMark;
  active.add(value);
  try {
    const inner = (v: unknown): string => reprInner(v, active);
    if (Array.isArray(value)) return `[${value.map(inner).join(', ')}]`;
    if (value instanceof PyTuple) {
      const items = value.items.map(inner);
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    if (value instanceof Map) {
      return `{${Array.from(value, ([k, v]) => `${inner(k)}: ${inner(v)}`).join(', ')}}`;
    }
    if (value instanceof Set) return value.size === 0 ? 'set()' : `{${Array.from(value, inner).join(', ')}}`;
    if (isPlainObject(value)) {
      return `{${Object.entries(value).map(([k, v]) => `${pyStrRepr(k)}: ${inner(v)}`).join(', ')}}`;
    }
    throw new SpikewireError('INVALID_ARGUMENT', `cannot give a Python repr of ${describe(value)}`);
  } finally {
    active.delete(value);
  }
}

/**
 * Python's `repr()` of a plain value:
 * - `string` → str repr (Python's quote choice and escapes);
 * - `number` → int repr when integral (`3`), else float repr (`0.1`, `1e-05`, `nan`, `inf`, `-0.0`);
 *   wrap it with {@link pyFloat} to force a float (`pyFloat(1)` → `1.0`, `pyFloat(1e16)` → `1e+16`);
 * - `bigint` → int; `true`/`false` → `True`/`False`; `null`/`undefined` → `None`;
 * - arrays → lists, {@link pyTuple} → tuples, `Map` and plain objects → dicts (insertion order),
 *   `Set` → sets.
 *
 * Anything else (functions, class instances, symbols) is an `INVALID_ARGUMENT` error.
 */
export function pythonRepr(value: unknown): string {
  return reprInner(value, new Set());
}

// Python's spelling of values, where spikewire must write what Python writes: float reprs (`1.0`,
// `1e-05`) and `json.dumps(..., indent=4)` text. A leaf module (like errors.ts) so that core, formats
// and probe can all use it.
import { SpikewireError, describe } from '../errors.js';

/** Marks a JS number as a Python `float` for {@link pythonRepr} (`pyFloat(1)` prints `1.0`, not `1`). */
export class PyFloat {
  /** Wraps `value`. */
  constructor(readonly value: number) {}
}


/** Shorthand for `new PyFloat(value)`. */
export const pyFloat = (value: number): PyFloat => new PyFloat(value);

/**
 * Python's `repr(float)`: the shortest digits that round-trip (JS's `Number#toString` picks the
 * same ones), laid out Python's way: exponent notation when the decimal exponent is < -4 or >= 16,
 * with a signed, at least two-digit exponent (`1e-05`, `1e+16`), else positional with at least one
 * decimal (`1.0`).
 */
export function floatRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  if (x < 0) return '-' + floatRepr(-x);
  const text = x.toString();
  const e = text.indexOf('e');
  const mantissa = e >= 0 ? text.slice(0, e) : text;
  const exp10 = e >= 0 ? Number(text.slice(e + 1)) : 0;
  const dot = mantissa.indexOf('.');
  const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  let digits = intPart + (dot >= 0 ? mantissa.slice(dot + 1) : '');
  // decpt: the value is 0.<digits> * 10**decpt.
  let decpt = intPart.length + exp10;
  const leadingZeros = /^0*/.exec(digits)![0].length;
  digits = digits.slice(leadingZeros).replace(/0+$/, '');
  decpt -= leadingZeros;
  if (decpt <= -4 || decpt > 16) {
    const exponent = decpt - 1;
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${mant}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** Python's spelling of non-finite floats in `repr()` / `format()`: `'nan'`, `'inf'`, `'-inf'`. */
export function nonFinite(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return x > 0 ? 'inf' : '-inf';
}

/** JSON's spelling of a float as Python's json module writes it (`NaN`, `Infinity` for non-finite). */
function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(x);
}

/**
 * `json.dumps(value, indent=indent)` as Python writes it: `", "`-free newlines with `indent` spaces,
 * `": "` after keys, non-ASCII escaped (`ensure_ascii`), integral numbers as ints unless wrapped in
 * {@link PyFloat} (or typed float arrays, which are floats), NaN / Infinity bare. `undefined` values
 * in objects are left out, as JSON.stringify does.
 */
export function stringifyPythonJson(value: unknown, indent = 4): string {
  const pad = (depth: number) => '\n' + ' '.repeat(indent * depth);
  const write = (v: unknown, depth: number, floats: boolean): string => {
    if (v === null || v === undefined) return 'null';
    if (v instanceof PyFloat) return jsonFloat(v.value);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number') return floats || !Number.isInteger(v) || Object.is(v, -0) ? jsonFloat(v) : String(v);
    if (typeof v === 'string') return quote(v);
    if (v instanceof Float32Array || v instanceof Float64Array) return write(Array.from(v), depth, true);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return write(Array.from(v as unknown as ArrayLike<number>), depth, false);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[' + v.map((x) => pad(depth + 1) + write(x, depth + 1, floats)).join(',') + pad(depth) + ']';
    }
    if (v instanceof Map) return write(Object.fromEntries(v), depth, false);
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      return '{' + entries.map(([k, x]) => pad(depth + 1) + quote(k) + ': ' + write(x, depth + 1, false)).join(',') + pad(depth) + '}';
    }
    throw new SpikewireError('INVALID_ARGUMENT', `cannot write ${describe(v)} as JSON`);
  };
  return write(value, 0, false);
}

/** A JSON string literal with Python's `ensure_ascii` escapes (`\u00b5` for µ, surrogate pairs for astral). */
function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/**
 * JSON.parse that also reads Python's bare `NaN`, `Infinity` and `-Infinity` (which Python's json
 * module writes for non-finite floats). Malformed text is a `FORMAT` error naming `source`.
 */
export function parsePythonJson(text: string, source = 'JSON text'): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    // Replace the bare tokens outside strings with sentinel strings, then restore them as numbers.
    const SENTINEL = '\u0000nonfinite:';
    let out = '';
    let changed = false;
    for (let i = 0; i < text.length; ) {
      const ch = text[i];
      if (ch === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        out += text.slice(i, j + 1);
        i = j + 1;
        continue;
      }
      const rest = text.slice(i, i + 9);
      const token = rest.startsWith('-Infinity') ? '-Infinity' : rest.startsWith('Infinity') ? 'Infinity' : rest.startsWith('NaN') ? 'NaN' : null;
      if (token) {
        out += JSON.stringify(SENTINEL + token);
        i += token.length;
        changed = true;
        continue;
      }
      out += ch;
      i++;
    }
    if (!changed) throw new SpikewireError('FORMAT', `${source} is not valid JSON: ${(first as Error).message}`, { cause: first });
    try {
      return JSON.parse(out, (_key, value) =>
        typeof value === 'string' && value.startsWith(SENTINEL) ? Number(value.slice(SENTINEL.length)) : value);
    } catch (second) {
      throw new SpikewireError('FORMAT', `${source} is not valid JSON: ${(second as Error).message}`, { cause: second });
    }
  }
}

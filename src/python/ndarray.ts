// numpy arrays as spikewire holds them in memory, shared by the .npy reader/writer and the pickle
// reader/writer: dtype strings, the bytes <-> values codec, Fortran <-> C reordering, and the
// conversion to property-column values. One module so that both formats agree to the byte.
import { SpikewireError, describe } from '../errors.js';
import { numericArrayType, type NumericArray, type NumericArrayConstructor } from '../dtype.js';

/**
 * The values of a numpy array, flat in C order:
 * - int8 … float64: the matching typed array; int64 / uint64: BigInt64Array / BigUint64Array;
 *   float16: Float32Array (exact); complex64 / complex128: Float32Array / Float64Array holding
 *   [re, im] pairs (twice as long); datetime64 / timedelta64: BigInt64Array of the raw ticks;
 * - bool: boolean[]; `<U` / `|S` strings: string[] (trailing NULs stripped, `|S` decoded as latin1);
 * - raw void (`|V16` without fields): one Uint8Array per element;
 * - structured (record) arrays: one plain object per element, `{field: value}` (see {@link NpyField});
 * - object (`|O`) arrays: the unpickled Python values.
 */
export type NpyValues = NumericArray | boolean[] | string[] | Uint8Array[] | Record<string, unknown>[] | unknown[];

/**
 * One field of a structured dtype (a record array such as SpikeInterface 0.104's
 * `contact_vector.npy`). In the values, each record is a plain object with one key per named field:
 * a scalar field gives a number (int64 → number when it is a safe integer, else bigint), boolean or
 * string; a sub-array field (`shape` not empty) gives nested arrays; a nested structured field gives
 * an object. Unnamed fields are padding and are left out of the records.
 */
export interface NpyField {
  /** The field name ('' for padding). */
  readonly name: string;
  /** numpy `dtype.str` of one item of the field: '<f8', '<U64', '|V16' for a nested struct. */
  readonly dtype: string;
  /** Sub-array shape; [] for a scalar field. */
  readonly shape: readonly number[];
  /** Byte offset of the field inside a record. */
  readonly offset: number;
  /** The fields of a nested structured field. */
  readonly fields?: readonly NpyField[];
}

/** A numpy array in memory: what `readNpy` returns and what `writeNpy` / `pickle` take. */
export interface NpyArray {
  /**
   * numpy `dtype.str`, little-endian after reading ('>f8' data comes back as '<f8' values); may be
   * '>…' when writing big-endian data. Structured arrays: '|V{itemsize}' with {@link fields}.
   */
  dtype: string;
  /** The array shape; [] for a 0-d array. */
  shape: number[];
  /** Whether the data is (or is to be) stored in Fortran order; `values` are always C order. */
  fortranOrder: boolean;
  /** The values, flat in C order (see {@link NpyValues}). */
  values: NpyValues;
  /** The fields of a structured dtype (records in `values`), else undefined. */
  fields?: NpyField[];
}

/**
 * A numpy ndarray rebuilt from a .npy file or a pickle (or built to be written to one). Plain data:
 * `values` in C order, `dtype` as numpy's `dtype.str`, `shape`, `fortranOrder`.
 */
export class NumpyArray implements NpyArray {
  /** numpy `dtype.str` ('<f8', '|b1', '<U5', '|O', '|V840' for structured). */
  dtype: string;
  /** The array shape; [] for a 0-d array. */
  shape: number[];
  /** The values, flat in C order. */
  values: NpyValues;
  /** Whether numpy stores the array in Fortran order (values stay C order here). */
  fortranOrder: boolean;
  /** Fields of a structured dtype, else undefined. */
  fields?: NpyField[];

  /** Wraps values that are already in C order; nothing is copied or checked. */
  constructor(dtype: string, shape: number[], values: NpyValues, fortranOrder = false, fields?: NpyField[]) {
    this.dtype = dtype;
    this.shape = shape;
    this.values = values;
    this.fortranOrder = fortranOrder;
    if (fields) this.fields = fields;
  }

  /** The number of elements (product of the shape; 1 for a 0-d array). */
  get size(): number {
    return elementCount(this.shape);
  }
}

// ---------------------------------------------------------------------------------------------------
// dtype descriptions

/** A parsed numpy dtype: what the codec needs to turn bytes into values and back. */
export interface Descr {
  /** numpy kind character: b i u f c U S V O M m. */
  readonly kind: string;
  /** Bytes per element. */
  readonly size: number;
  /** Byte order: '<', '>' or '|' (not applicable). */
  readonly order: '<' | '>' | '|';
  /** Datetime / timedelta unit with brackets, e.g. '[ns]' ('' for generic). */
  readonly unit?: string;
  /** Fields of a structured dtype, in offset order. */
  readonly fields?: readonly FieldDescr[];
}

/** One field of a structured {@link Descr}. */
export interface FieldDescr {
  readonly name: string;
  readonly descr: Descr;
  readonly shape: readonly number[];
  readonly offset: number;
}

/** The number of elements of `shape` (1 for a 0-d array). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// Kinds whose byte order matters only for multi-byte items.
const ORDERLESS_KINDS = new Set(['b', 'S', 'V', 'O']);

function orderFor(kind: string, size: number, order: string): '<' | '>' | '|' {
  if (ORDERLESS_KINDS.has(kind) || (size === 1 && kind !== 'U')) return '|';
  // '=' and no prefix are the native order, little-endian everywhere spikewire runs.
  return order === '>' ? '>' : '<';
}

/**
 * Parses a numpy dtype string as numpy writes it (`'<f8'`, `'>i4'`, `'|b1'`, `'<U6'`, `'|S5'`,
 * `'|O'`, `'|V16'`, `'<M8[ns]'`; `=` or no prefix = little-endian). `what` names the source in
 * errors. Malformed strings are `FORMAT` errors; real numpy types spikewire cannot hold (long double)
 * are `UNSUPPORTED`.
 */
export function parseDTypeStr(text: string, what: string): Descr {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(\[[a-zA-Z0-9]*\])?$/.exec(text);
  if (!m) throw new SpikewireError('FORMAT', `${what}: ${describe(text)} is not a numpy dtype string (expected e.g. '<f8', '|b1', '<U5', '|O')`);
  const [, order, rawKind, digits, unit] = m;
  const kind = rawKind === 'a' ? 'S' : rawKind;
  const n = digits === '' ? undefined : Number(digits);
  const bad = (why: string): never => {
    throw new SpikewireError('FORMAT', `${what}: numpy dtype ${describe(text)} ${why}`);
  };
  let size: number;
  switch (kind) {
    case 'b':
      if (n !== undefined && n !== 1) bad('has a bool size other than 1');
      size = 1;
      break;
    case 'i':
    case 'u':
      if (n === undefined || ![1, 2, 4, 8].includes(n)) bad('has no integer size of 1, 2, 4 or 8 bytes');
      size = n!;
      break;
    case 'f':
      if (n === 12 || n === 16) throw new SpikewireError('UNSUPPORTED', `${what}: numpy dtype ${describe(text)} (long double) has no JavaScript equivalent`);
      if (n === undefined || ![2, 4, 8].includes(n)) bad('has no float size of 2, 4 or 8 bytes');
      size = n!;
      break;
    case 'c':
      if (n === 24 || n === 32) throw new SpikewireError('UNSUPPORTED', `${what}: numpy dtype ${describe(text)} (complex long double) has no JavaScript equivalent`);
      if (n === undefined || ![8, 16].includes(n)) bad('has no complex size of 8 or 16 bytes');
      size = n!;
      break;
    case 'U':
      size = 4 * (n ?? 0);
      break;
    case 'S':
    case 'V':
      size = n ?? 0;
      break;
    case 'O':
      if (n !== undefined && n !== 8 && n !== 4) bad('has an object size other than 8');
      size = 8;
      break;
    case 'M':
    case 'm':
      if (n !== undefined && n !== 8) bad('has a datetime size other than 8');
      size = 8;
      break;
    default:
      throw new SpikewireError('UNSUPPORTED', `${what}: numpy dtype ${describe(text)} (kind ${describe(kind)}) is not one spikewire reads`);
  }
  if (unit !== undefined && kind !== 'M' && kind !== 'm') bad('has a unit but is not a datetime');
  const d: Descr = { kind, size, order: orderFor(kind, size, order) };
  return kind === 'M' || kind === 'm' ? { ...d, unit: unit ?? '' } : d;
}

/** numpy's `dtype.str` for a {@link Descr}. */
export function descrStr(d: Descr): string {
  if (d.fields) return `|V${d.size}`;
  switch (d.kind) {
    case 'U':
      return `${d.order}U${d.size / 4}`;
    case 'O':
      return '|O';
    case 'M':
    case 'm':
      return `${d.order}${d.kind}8${d.unit ?? ''}`;
    default:
      return `${d.order}${d.kind}${d.size}`;
  }
}

/** The same dtype with little-endian items (what readers return after swapping). */
export function littleEndian(d: Descr): Descr {
  if (d.fields) return { ...d, fields: d.fields.map((f) => ({ ...f, descr: littleEndian(f.descr) })) };
  return d.order === '>' ? { ...d, order: '<' } : d;
}

/** True when an array of this dtype holds Python objects (and so is stored as a pickle). */
export function hasObject(d: Descr): boolean {
  return d.kind === 'O' || (d.fields?.some((f) => hasObject(f.descr)) ?? false);
}

/** The public field list of a structured {@link Descr}. */
export function fieldsOf(d: Descr): NpyField[] | undefined {
  if (!d.fields) return undefined;
  return d.fields.map((f) => {
    const out: { name: string; dtype: string; shape: number[]; offset: number; fields?: NpyField[] } = {
      name: f.name,
      dtype: descrStr(f.descr),
      shape: [...f.shape],
      offset: f.offset,
    };
    const nested = fieldsOf(f.descr);
    if (nested) out.fields = nested;
    return out;
  });
}

/** Rebuilds a {@link Descr} from a dtype string plus, for structured dtypes, its field list. */
export function descrFrom(dtype: string, fields: readonly NpyField[] | undefined, what: string): Descr {
  const base = parseDTypeStr(dtype, what);
  if (!fields) return base;
  if (base.kind !== 'V') throw new SpikewireError('INVALID_ARGUMENT', `${what}: fields are given but dtype ${describe(dtype)} is not a '|V{itemsize}' structured dtype`);
  const list: FieldDescr[] = fields.map((f) => ({
    name: f.name,
    descr: descrFrom(f.dtype, f.fields, `${what} field ${describe(f.name)}`),
    shape: [...f.shape],
    offset: f.offset,
  }));
  for (const f of list) {
    if (f.offset < 0 || f.offset + f.descr.size * elementCount(f.shape) > base.size) {
      throw new SpikewireError('INVALID_ARGUMENT', `${what}: field ${describe(f.name)} does not fit in the ${base.size}-byte record`);
    }
  }
  list.sort((a, b) => a.offset - b.offset);
  return { ...base, fields: list };
}

// ---------------------------------------------------------------------------------------------------
// bytes -> values

function arrayTypeOf(d: Descr): NumericArrayConstructor | undefined {
  if (d.kind === 'M' || d.kind === 'm') return BigInt64Array;
  return numericArrayType(`${d.kind}${d.size}`);
}

/** A copy of `bytes` with each `width`-byte group reversed (big-endian <-> little-endian). */
function swapped(bytes: Uint8Array, width: number): Uint8Array {
  const out = bytes.slice();
  if (width > 1) for (let i = 0; i + width <= out.length; i += width) out.subarray(i, i + width).reverse();
  return out;
}

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

function floatToHalf(x: number): number {
  // Round to nearest even, as numpy's float -> float16 cast does.
  const f32 = new Float32Array([x]);
  const bits = new Uint32Array(f32.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && (m & 1))) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (m & 1))) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
      if (e >= 0x1f) return sign | 0x7c00;
    }
  }
  return sign | (e << 10) | m;
}

function decodeUtf32(bytes: Uint8Array, offset: number, chars: number, little: boolean, what: string): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, chars * 4);
  let end = chars;
  while (end > 0 && view.getUint32((end - 1) * 4, little) === 0) end--;
  let out = '';
  const points: number[] = [];
  for (let i = 0; i < end; i++) {
    const cp = view.getUint32(i * 4, little);
    if (cp > 0x10ffff) throw new SpikewireError('FORMAT', `${what}: 0x${cp.toString(16)} is not a Unicode code point`);
    points.push(cp);
    if (points.length === 4096) out += String.fromCodePoint(...points.splice(0));
  }
  return out + String.fromCodePoint(...points);
}

function decodeLatin1(bytes: Uint8Array, offset: number, length: number): string {
  let end = length;
  while (end > 0 && bytes[offset + end - 1] === 0) end--;
  let out = '';
  for (let i = 0; i < end; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(offset + i, offset + Math.min(end, i + 4096)));
  }
  return out;
}

/** A numeric value as a plain JS scalar: int64 → number when it is a safe integer, else bigint. */
function plainScalar(v: unknown): unknown {
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return v;
}

/** Nests a flat list into arrays of `shape` (C order). */
function nest(flat: readonly unknown[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return [...flat];
  const step = elementCount(shape.slice(1));
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
  return out;
}

/**
 * Decodes `count` elements of dtype `d` from `bytes` (exactly `count * d.size` bytes, any alignment)
 * into {@link NpyValues}; the bytes are copied, so the values own their memory. `what` names the
 * source in errors. Object dtypes have no byte form: that is the caller's (pickle's) job.
 */
export function decodeValues(d: Descr, bytes: Uint8Array, count: number, what: string): NpyValues {
  const little = d.order !== '>';
  if (d.fields) return decodeRecords(d, bytes, count, what);
  switch (d.kind) {
    case 'b': {
      const out = new Array<boolean>(count);
      for (let i = 0; i < count; i++) out[i] = bytes[i] !== 0;
      return out;
    }
    case 'U': {
      const chars = d.size / 4;
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = decodeUtf32(bytes, i * d.size, chars, little, what);
      return out;
    }
    case 'S': {
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = decodeLatin1(bytes, i * d.size, d.size);
      return out;
    }
    case 'V': {
      const out = new Array<Uint8Array>(count);
      for (let i = 0; i < count; i++) out[i] = bytes.slice(i * d.size, (i + 1) * d.size);
      return out;
    }
    case 'O':
      throw new SpikewireError('UNSUPPORTED', `${what}: object arrays are stored as pickles, not as raw bytes`);
    case 'f':
      if (d.size === 2) {
        const out = new Float32Array(count);
        const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
        for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, little));
        return out;
      }
      break;
    case 'c': {
      const raw = little ? bytes.slice(0, count * d.size) : swapped(bytes.subarray(0, count * d.size), d.size / 2);
      const buffer = raw.buffer as ArrayBuffer;
      return d.size === 8 ? new Float32Array(buffer, 0, count * 2) : new Float64Array(buffer, 0, count * 2);
    }
  }
  const Ctor = arrayTypeOf(d);
  if (!Ctor) throw new SpikewireError('UNSUPPORTED', `${what}: no typed array holds numpy dtype ${describe(descrStr(d))}`);
  const raw = little ? bytes.slice(0, count * d.size) : swapped(bytes.subarray(0, count * d.size), d.size);
  // slice() and swapped() return fresh, unshared, zero-offset buffers: aligned for any item size.
  return new Ctor(raw.buffer as ArrayBuffer, 0, count);
}

function decodeRecords(d: Descr, bytes: Uint8Array, count: number, what: string): Record<string, unknown>[] {
  const fields = d.fields!.filter((f) => f.name !== '');
  // Decode field by field (all records at once), then assemble the records.
  const columns = fields.map((f) => {
    const n = elementCount(f.shape);
    const width = f.descr.size * n;
    const packed = new Uint8Array(width * count);
    for (let i = 0; i < count; i++) packed.set(bytes.subarray(i * d.size + f.offset, i * d.size + f.offset + width), i * width);
    const values = decodeValues(f.descr, packed, n * count, `${what} field ${describe(f.name)}`);
    return { f, n, values: Array.from(values as ArrayLike<unknown>, plainScalar) };
  });
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const rec: Record<string, unknown> = {};
    for (const { f, n, values } of columns) {
      const value = f.shape.length === 0 ? values[i] : nest(values.slice(i * n, (i + 1) * n), f.shape);
      Object.defineProperty(rec, f.name, { value, enumerable: true, writable: true, configurable: true });
    }
    out.push(rec);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// values -> bytes

function badValue(what: string, index: number, value: unknown, expected: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', `${what}: value ${describe(value)} at index ${index} is not ${expected}`);
}

function toNumber(v: unknown, i: number, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return badValue(what, i, v, 'a number');
}

function toBigInt(v: unknown, i: number, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return badValue(what, i, v, 'an integer');
}

/** The longest string of `values` in Unicode code points (numpy's `<U{n}` width). */
export function maxCodePoints(values: ArrayLike<unknown>): number {
  let width = 0;
  for (let i = 0; i < values.length; i++) {
    const s = values[i];
    if (typeof s !== 'string') continue;
    let n = 0;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      // A surrogate pair is one code point.
      if (c >= 0xd800 && c <= 0xdbff && j + 1 < s.length && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) j++;
      n++;
    }
    if (n > width) width = n;
  }
  return width;
}

/**
 * Encodes `count` values (flat, C order) as dtype `d` into new bytes in `d`'s byte order. Numbers,
 * bigints and booleans convert as numpy's casts would for exact values; strings must fit the width
 * (`<U{n}` in code points, `|S{n}` in latin1 bytes). `INVALID_ARGUMENT` names the first bad value.
 */
export function encodeValues(d: Descr, values: ArrayLike<unknown>, count: number, what: string): Uint8Array {
  if (values.length !== count * (d.kind === 'c' && !d.fields ? 2 : 1)) {
    throw new SpikewireError('INVALID_ARGUMENT', `${what}: ${values.length} values for ${count} elements of ${descrStr(d)}`);
  }
  const little = d.order !== '>';
  const out = new Uint8Array(count * d.size);
  if (d.fields) {
    encodeRecords(d, values, count, out, what);
    return out;
  }
  switch (d.kind) {
    case 'b':
      for (let i = 0; i < count; i++) {
        const v = values[i];
        if (typeof v !== 'boolean' && typeof v !== 'number' && typeof v !== 'bigint') badValue(what, i, v, 'a boolean');
        out[i] = v ? 1 : 0;
      }
      return out;
    case 'U': {
      const chars = d.size / 4;
      const view = new DataView(out.buffer);
      for (let i = 0; i < count; i++) {
        const s = values[i];
        if (typeof s !== 'string') badValue(what, i, s, 'a string');
        let k = 0;
        for (const ch of s as string) {
          if (k === chars) badValue(what, i, s, `a string of at most ${chars} characters (${descrStr(d)})`);
          view.setUint32((i * chars + k++) * 4, ch.codePointAt(0)!, little);
        }
      }
      return out;
    }
    case 'S':
      for (let i = 0; i < count; i++) {
        const s = values[i];
        if (typeof s !== 'string') badValue(what, i, s, 'a string');
        const str = s as string;
        if (str.length > d.size) badValue(what, i, s, `a string of at most ${d.size} bytes (${descrStr(d)})`);
        for (let j = 0; j < str.length; j++) {
          const c = str.charCodeAt(j);
          if (c > 0xff) badValue(what, i, s, 'a latin-1 string (|S holds bytes)');
          out[i * d.size + j] = c;
        }
      }
      return out;
    case 'V':
      for (let i = 0; i < count; i++) {
        const v = values[i];
        if (!(v instanceof Uint8Array) || v.length > d.size) badValue(what, i, v, `a Uint8Array of at most ${d.size} bytes`);
        out.set(v as Uint8Array, i * d.size);
      }
      return out;
    case 'O':
      throw new SpikewireError('INVALID_ARGUMENT', `${what}: object arrays are written as pickles, not as raw bytes`);
    case 'f':
      if (d.size === 2) {
        const view = new DataView(out.buffer);
        for (let i = 0; i < count; i++) view.setUint16(i * 2, floatToHalf(toNumber(values[i], i, what)), little);
        return out;
      }
      break;
    case 'c': {
      const Part = d.size === 8 ? Float32Array : Float64Array;
      const parts = new Part(count * 2);
      for (let i = 0; i < count * 2; i++) parts[i] = toNumber(values[i], i, what);
      const raw = new Uint8Array(parts.buffer);
      return little ? raw : swapped(raw, d.size / 2);
    }
  }
  const Ctor = arrayTypeOf(d);
  if (!Ctor) throw new SpikewireError('UNSUPPORTED', `${what}: cannot write numpy dtype ${describe(descrStr(d))}`);
  let typed: NumericArray;
  if (values instanceof Ctor) typed = values;
  else if (Ctor === BigInt64Array || Ctor === BigUint64Array) {
    const big = new Ctor(count);
    for (let i = 0; i < count; i++) {
      const b = toBigInt(values[i], i, what);
      const wrapped = Ctor === BigInt64Array ? BigInt.asIntN(64, b) : BigInt.asUintN(64, b);
      if (wrapped !== b) badValue(what, i, values[i], `within the range of ${descrStr(d)}`);
      big[i] = wrapped;
    }
    typed = big;
  } else {
    const arr = new (Ctor as new (n: number) => Exclude<NumericArray, BigInt64Array | BigUint64Array>)(count);
    for (let i = 0; i < count; i++) arr[i] = toNumber(values[i], i, what);
    typed = arr;
  }
  const raw = new Uint8Array(typed.buffer, typed.byteOffset, count * d.size);
  return little ? raw.slice() : swapped(raw, d.size);
}

function encodeRecords(d: Descr, values: ArrayLike<unknown>, count: number, out: Uint8Array, what: string): void {
  for (const f of d.fields!) {
    if (f.name === '') continue;
    const n = elementCount(f.shape);
    const flat: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const rec = values[i];
      if (rec === null || typeof rec !== 'object' || !Object.prototype.hasOwnProperty.call(rec, f.name)) {
        badValue(what, i, rec, `a record with field ${describe(f.name)}`);
      }
      const v = (rec as Record<string, unknown>)[f.name];
      if (f.shape.length === 0) flat.push(v);
      else {
        const items = flattenNested(v, f.shape.length);
        if (items.length !== n) badValue(what, i, v, `a ${JSON.stringify(f.shape)} sub-array for field ${describe(f.name)}`);
        flat.push(...items);
      }
    }
    const bytes = encodeValues(f.descr, flat, n * count, `${what} field ${describe(f.name)}`);
    const width = f.descr.size * n;
    for (let i = 0; i < count; i++) out.set(bytes.subarray(i * width, (i + 1) * width), i * d.size + f.offset);
  }
}

function flattenNested(v: unknown, depth: number): unknown[] {
  if (depth === 0 || !(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))) return [v];
  const out: unknown[] = [];
  for (const x of Array.from(v as ArrayLike<unknown>)) out.push(...flattenNested(x, depth - 1));
  return out;
}

/**
 * The values of an array given flat (length = element count) or nested by rows (length = shape[0],
 * e.g. a 2-D property's rows): always flat C order. Typed arrays pass through.
 */
export function flatValues(values: ArrayLike<unknown>, shape: readonly number[]): ArrayLike<unknown> {
  const count = elementCount(shape);
  if (shape.length < 2 || ArrayBuffer.isView(values)) return values;
  const isRow = (v: unknown) => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  // Rows when there is one entry per first-axis index and they are arrays of the rest of the shape
  // (this also catches shapes like [n, 1], where flat and nested have the same length).
  const rows = values.length === shape[0] && shape[0] > 0 && Array.from(values).every((r) => isRow(r) && (r as ArrayLike<unknown>).length === shape[1]);
  if (values.length === count && !rows) return values;
  return flattenNested(values, shape.length);
}

// ---------------------------------------------------------------------------------------------------
// C <-> Fortran order

/** For each C-order position, the position of the same element in Fortran order. */
function fortranPositions(shape: readonly number[]): Int32Array | Float64Array {
  const count = elementCount(shape);
  const out = count < 2 ** 31 ? new Int32Array(count) : new Float64Array(count);
  const nd = shape.length;
  const strides = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    strides[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < count; c++) {
    out[c] = f;
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      f += strides[k];
      if (idx[k] < shape[k]) break;
      f -= strides[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Reorders values between C and Fortran order. `toC` true: `values` are in Fortran order and the
 * result is C order; false: the reverse. `group` > 1 moves groups of items together ([re, im]).
 */
export function reorder<T extends ArrayLike<unknown>>(values: T, shape: readonly number[], toC: boolean, group = 1): T {
  if (shape.length < 2) return values;
  const pos = fortranPositions(shape);
  const n = pos.length;
  const src = values as unknown as Record<number, unknown> & { length: number };
  const out: Record<number, unknown> = ArrayBuffer.isView(values)
    ? new (values.constructor as new (n: number) => Record<number, unknown>)(values.length)
    : new Array<unknown>(values.length);
  for (let c = 0; c < n; c++) {
    const f = pos[c];
    for (let g = 0; g < group; g++) {
      if (toC) out[c * group + g] = src[f * group + g];
      else out[f * group + g] = src[c * group + g];
    }
  }
  return out as unknown as T;
}

// ---------------------------------------------------------------------------------------------------
// property-column values

/**
 * The values of an array as a channel property holds them (SpikeInterface's set_property on the
 * loaded array): 1-D numbers stay typed arrays except int64 / uint64, which become plain numbers when
 * every value is a safe integer (properties use numbers for '<i8'); 2-D and up become rows of plain
 * arrays; bool, strings and objects plain arrays.
 */
export function columnValues(arr: NpyArray): unknown[] | NumericArray {
  const { shape, values } = arr;
  let flat: ArrayLike<unknown> = values;
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const nums = Array.from(values, Number);
    if (nums.every((n, i) => Number.isSafeInteger(n) && BigInt(n) === values[i])) flat = nums;
    else if (shape.length < 2) return values;
  }
  if (shape.length >= 2) {
    const plain = Array.from(flat as ArrayLike<unknown>, plainScalar);
    return nest(plain, shape);
  }
  if (ArrayBuffer.isView(flat)) return flat as NumericArray;
  return Array.isArray(flat) ? flat : Array.from(flat);
}

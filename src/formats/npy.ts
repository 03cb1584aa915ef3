// numpy's .npy format (v1.0 / v2.0 / v3.0), read and written exactly as numpy's np.load / np.save
// do: SpikeInterface stores every channel property as properties/<key>.npy and time vectors as
// times_cached_seg{i}.npy, and a folder written here must be byte-for-byte what numpy would write.
import { SpikewireError, describe } from '../errors.js';
import type { PropertyColumn, PropertyKind } from '../core/properties.js';
import {
  NumpyArray,
  columnValues,
  descrFrom,
  descrStr,
  elementCount,
  encodeValues,
  flatValues,
  hasObject,
  maxCodePoints,
  reorder,
  type Descr,
  type NpyArray,
  type NpyField,
  type NpyValues,
} from './ndarray.js';
import { pyStrRepr, pyTupleRepr } from '../python/pyliteral.js';
import { ARRAY_ALIGN, GROWTH_AXIS_MAX_DIGITS, MAGIC, decodeNpy, label, readNpyHeader, type NpyHeader, type ReadNpyOptions } from '../python/npy-read.js';
import { pickle, unpickle } from './pickle.js';

export { NumpyArray, readNpyHeader };
export type { NpyHeader, ReadNpyOptions };
export type { NpyArray, NpyField, NpyValues };

/**
 * Reads a .npy file (format 1.0, 2.0 or 3.0) into a {@link NumpyArray}: numeric, bool, `<U` / `|S`
 * strings, raw void, structured (record) and object arrays; C or Fortran order (values always come
 * back in C order, `fortranOrder` as stored); either byte order (values are swapped to native and
 * the dtype reported little-endian, '>f8' → '<f8'). See {@link NpyValues} for the value types.
 *
 * Object arrays hold a Python pickle; it is read with the restricted unpickler ({@link unpickle}),
 * which rebuilds plain values only: a pickle that needs any other global is an `UNSUPPORTED` error
 * (callers skip such a property with a warning naming it). Bad magic, a truncated file or a header
 * that lies about the data (shape needing more bytes than follow) are `FORMAT` errors naming the
 * problem; bytes after the data are ignored, as numpy ignores them.
 */
export function readNpy(bytes: Uint8Array, opts?: ReadNpyOptions): NumpyArray {
  return decodeNpy(bytes, opts, readPickledArray);
}

/** The payload of an object array: a pickled numpy object array, read by the restricted unpickler. */
function readPickledArray(payload: Uint8Array, { what, shape, fortranOrder }: { what: string; shape: number[]; fortranOrder: boolean }): NumpyArray {
  let value: unknown;
  try {
    value = unpickle(payload);
  } catch (error) {
    if (error instanceof SpikewireError) throw new SpikewireError(error.code, `${what} (object array, pickled): ${error.message}`, { cause: error });
    throw error;
  }
  if (!(value instanceof NumpyArray) || value.dtype !== '|O') {
    throw new SpikewireError('FORMAT', `${what}: the object array's pickle holds ${describe(value)}, not a numpy object array`);
  }
  if (value.shape.length !== shape.length || value.shape.some((n, i) => n !== shape[i])) {
    throw new SpikewireError('FORMAT', `${what}: the header says shape ${JSON.stringify(shape)}, the pickled array has ${JSON.stringify(value.shape)}`);
  }
  return new NumpyArray('|O', [...shape], value.values, fortranOrder);
}

/** `{field: values}` for a structured array read by {@link readNpy}: one array per named field. */
export function structuredFields(npy: NpyArray): Record<string, unknown[]> {
  if (!npy.fields) throw new SpikewireError('INVALID_ARGUMENT', `the array of ${describe(npy.dtype)} is not structured (it has no fields)`);
  const out: Record<string, unknown[]> = {};
  for (const f of npy.fields) {
    if (f.name === '') continue;
    Object.defineProperty(out, f.name, {
      value: (npy.values as Record<string, unknown>[]).map((r) => r[f.name]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** numpy's dtype.descr for a structured dtype: fields by offset, '' void padding for the gaps. */
function descrListRepr(d: Descr): string {
  const parts: string[] = [];
  let at = 0;
  for (const f of d.fields ?? []) {
    if (f.offset > at) parts.push(`('', '|V${f.offset - at}')`);
    const type = f.descr.fields ? descrListRepr(f.descr) : pyStrRepr(descrStr(f.descr));
    parts.push(f.shape.length ? `(${pyStrRepr(f.name)}, ${type}, ${pyTupleRepr(f.shape)})` : `(${pyStrRepr(f.name)}, ${type})`);
    at = Math.max(at, f.offset + f.descr.size * elementCount(f.shape));
  }
  if (d.size > at) parts.push(`('', '|V${d.size - at}')`);
  return `[${parts.join(', ')}]`;
}

/** numpy's _wrap_header / _wrap_header_guess_version: version 1.0 unless the header needs more. */
function wrapHeader(header: string): Uint8Array {
  const latin1 = !/[^\x00-\xff]/.test(header);
  const body = latin1 ? Uint8Array.from(header, (c) => c.charCodeAt(0)) : new TextEncoder().encode(header);
  const hlen = body.length + 1;
  const pad = (prefix: number) => ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
  let version: number;
  let prefix: number;
  if (latin1 && hlen + pad(10) <= 0xffff) [version, prefix] = [1, 10];
  else [version, prefix] = [latin1 ? 2 : 3, 12];
  const padlen = pad(prefix);
  const out = new Uint8Array(prefix + hlen + padlen);
  out.set(MAGIC);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, hlen + padlen, true);
  else view.setUint32(8, hlen + padlen, true);
  out.set(body, prefix);
  out.fill(0x20, prefix + body.length, out.length - 1);
  out[out.length - 1] = 0x0a;
  return out;
}

/** What {@link writeNpy} takes: a {@link NpyArray} whose `fortranOrder` may be left out. */
export interface NpyInput {
  /** numpy dtype string ('<f8', '>i4', '|b1', '<U5', '|S3', '|O', '|V{n}' with fields). */
  dtype: string;
  /** The array shape; [] for a 0-d array. */
  shape: readonly number[];
  /** Values in C order: flat, or nested by the first axis (rows). */
  values: NpyValues | ArrayLike<unknown>;
  /** Store the data in Fortran order (the header says so); default false. */
  fortranOrder?: boolean;
  /** Fields of a structured dtype (values are then records). */
  fields?: readonly NpyField[];
}

/**
 * Writes a .npy file exactly as numpy's `np.save` does: format 1.0 unless the header needs 2.0
 * (longer than 65535 bytes) or 3.0 (non-latin-1 field names); the header dict
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (6,), }`, numpy's growth spaces, then spaces
 * and a newline up to a 64-byte aligned data offset; then the data in the dtype's byte order (C or
 * Fortran order as asked). Object (`|O`) arrays are written as numpy writes them: a protocol 4
 * pickle of the array. Bad values are `INVALID_ARGUMENT` errors naming the first one.
 */
export function writeNpy(array: NpyInput): Uint8Array {
  const what = `writeNpy(${describe(array?.dtype)})`;
  if (!array || typeof array !== 'object') throw new SpikewireError('INVALID_ARGUMENT', `writeNpy expects {dtype, shape, values}, got ${describe(array)}`);
  if (typeof array.dtype !== 'string') throw new SpikewireError('INVALID_ARGUMENT', `writeNpy: dtype ${describe(array.dtype)} is not a numpy dtype string`);
  const shape = Array.from(array.shape ?? []);
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new SpikewireError('INVALID_ARGUMENT', `${what}: shape ${describe(shape)} is not a list of sizes`);
  const d = descrFrom(array.dtype, array.fields, what);
  const fortran = array.fortranOrder === true;
  const count = elementCount(shape);
  if (d.kind === 'U' && d.size === 0 && !d.fields) {
    throw new SpikewireError('INVALID_ARGUMENT', `${what}: give the string width ('<U5'); columnToNpy computes it from the values`);
  }
  const values = flatValues(array.values as ArrayLike<unknown>, shape);

  const descr = d.fields ? descrListRepr(d) : pyStrRepr(descrStr(d));
  let header = `{'descr': ${descr}, 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${pyTupleRepr(shape)}, }`;
  // numpy leaves room to grow the first (C) or last (Fortran) axis in place.
  if (shape.length > 0) header += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[fortran ? shape.length - 1 : 0]).length));
  const head = wrapHeader(header);

  let data: Uint8Array;
  if (hasObject(d)) {
    if (d.kind !== 'O') throw new SpikewireError('UNSUPPORTED', `${what}: structured arrays with object fields are not written`);
    if (values.length !== count) throw new SpikewireError('INVALID_ARGUMENT', `${what}: ${values.length} values for shape ${JSON.stringify(shape)}`);
    data = pickle(new NumpyArray('|O', shape, Array.from(values), fortran));
  } else {
    const ordered = fortran ? reorder(values, shape, false, d.kind === 'c' ? 2 : 1) : values;
    data = encodeValues(d, ordered, count, what);
  }
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Property columns

/** A property column of a structured dtype (SpikeInterface 0.104's contact_vector): records plus fields. */
export type StructuredColumn = PropertyColumn & { readonly fields: readonly NpyField[] };

const COLUMN_KINDS: Readonly<Record<string, PropertyKind>> = { b: 'b', i: 'i', u: 'u', f: 'f', U: 'U', S: 'U', O: 'O' };

/**
 * The {@link PropertyColumn} for a .npy array, as SpikeInterface's set_property of the loaded array
 * would hold it: 1-D numbers as typed arrays (int64 / uint64 as plain numbers when all are safe
 * integers, as properties use numbers for '<i8'); bool → boolean[]; `<U` / `|S` → string[]; object
 * arrays → their values; 2-D and up → rows (plain arrays) per channel. Structured arrays give a
 * {@link StructuredColumn} of records. 0-d arrays, complex, datetime and raw void arrays are no
 * channel property: `UNSUPPORTED` (callers skip them with a warning naming the property).
 */
export function npyToColumn(npy: NpyArray, opts?: ReadNpyOptions): PropertyColumn {
  const what = label(opts);
  if (npy.shape.length === 0) throw new SpikewireError('UNSUPPORTED', `${what}: a 0-d array is not a per-channel property`);
  if (npy.fields) {
    const column: StructuredColumn = { dtype: npy.dtype, kind: 'O', shape: [...npy.shape], values: npy.values as unknown[], fields: npy.fields };
    return column;
  }
  const kindChar = npy.dtype === '|O' ? 'O' : /^[<>|=]?([a-zA-Z])/.exec(npy.dtype)?.[1] ?? '';
  const kind = COLUMN_KINDS[kindChar];
  if (!kind) throw new SpikewireError('UNSUPPORTED', `${what}: numpy dtype ${describe(npy.dtype)} cannot be a channel property`);
  return { dtype: npy.dtype, kind, shape: [...npy.shape], values: columnValues(npy) };
}

/**
 * The {@link NumpyArray} that numpy would hold for a property column: the column's dtype, `<U`
 * widened to the longest string when needed (numpy's `<U{n}`, n = longest in code points), rows
 * flattened to C order.
 */
export function columnToNumpyArray(column: PropertyColumn): NumpyArray {
  if (!column || typeof column !== 'object' || typeof column.dtype !== 'string') {
    throw new SpikewireError('INVALID_ARGUMENT', `expected a property column {dtype, kind, shape, values}, got ${describe(column)}`);
  }
  const shape = [...column.shape];
  const values = flatValues(column.values as ArrayLike<unknown>, shape);
  let dtype = column.dtype;
  const fields = (column as Partial<StructuredColumn>).fields;
  const str = /^([<>|=]?)([US])(\d*)$/.exec(dtype);
  if (str) {
    const kind = str[2];
    const given = Number(str[3] || 0);
    let longest = 0;
    if (kind === 'U') longest = maxCodePoints(values);
    else for (let i = 0; i < values.length; i++) if (typeof values[i] === 'string') longest = Math.max(longest, (values[i] as string).length);
    const width = Math.max(given, longest, 1);
    dtype = kind === 'U' ? `${str[1] === '>' ? '>' : '<'}U${width}` : `|S${width}`;
  }
  return new NumpyArray(dtype, shape, values as NpyValues, false, fields ? [...fields] : undefined);
}

/** The .npy bytes numpy's `np.save` writes for a property column (SpikeInterface's properties/<key>.npy). */
export function columnToNpy(column: PropertyColumn): Uint8Array {
  return writeNpy(columnToNumpyArray(column));
}

// numpy's .npy format (v1.0 / v2.0 / v3.0), read and written exactly as numpy's np.load / np.save
// do: SpikeInterface stores every channel property as properties/<key>.npy and time vectors as
// times_cached_seg{i}.npy, and a folder written here must be byte-for-byte what numpy would write.
import { SpikewireError, describe } from '../errors.js';
import type { PropertyColumn, PropertyKind } from '../core/properties.js';
import {
  NumpyArray,
  columnValues,
  decodeValues,
  descrFrom,
  descrStr,
  elementCount,
  encodeValues,
  fieldsOf,
  flatValues,
  hasObject,
  littleEndian,
  maxCodePoints,
  parseDTypeStr,
  reorder,
  type Descr,
  type FieldDescr,
  type NpyArray,
  type NpyField,
  type NpyValues,
} from './ndarray.js';
import { parsePyLiteral, pyStrRepr, pyTupleRepr, type PyLiteral } from '../python/pyliteral.js';
import { isTuple } from '../python/tuple.js';
import { pickle, unpickle } from './pickle.js';

export { NumpyArray };
export type { NpyArray, NpyField, NpyValues };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
// Beyond this many elements a header is lying (or the array cannot be held in memory anyway).
const MAX_ELEMENTS = 2 ** 31 - 1;
const MAX_EMPTY_ITEMS = 1 << 20;

/** Options of {@link readNpy}. */
export interface ReadNpyOptions {
  /** A name for the data (file name, property key) used in error messages. */
  name?: string;
}

/** The header of a .npy file, as numpy wrote it. */
export interface NpyHeader {
  /** Format version: [1, 0], [2, 0] or [3, 0]. */
  version: [number, number];
  /** The header's 'descr': a dtype string, or a structured dtype's list of fields. */
  descr: PyLiteral;
  /** The header's 'fortran_order'. */
  fortranOrder: boolean;
  /** The header's 'shape'. */
  shape: number[];
  /** Byte offset of the data (magic + length + header). */
  dataOffset: number;
  /** The header dict text including its padding and final newline. */
  headerText: string;
}

function label(opts: ReadNpyOptions | undefined): string {
  return opts?.name ? `.npy file ${JSON.stringify(opts.name)}` : '.npy data';
}

/**
 * Reads the header of a .npy file. `FORMAT` errors for bad magic, a truncated header, a header that
 * is not the dict numpy writes (exactly 'descr', 'fortran_order', 'shape'), or invalid values.
 */
export function readNpyHeader(bytes: Uint8Array, opts?: ReadNpyOptions): NpyHeader {
  const what = label(opts);
  if (!(bytes instanceof Uint8Array)) throw new SpikewireError('INVALID_ARGUMENT', `readNpy expects a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    const head = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    if (bytes.length < 8 && MAGIC.slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
      throw new SpikewireError('FORMAT', `${what} is truncated: ${bytes.length} bytes, not even the 8-byte magic and version`);
    }
    throw new SpikewireError('FORMAT', `${what} is not a .npy file: bad magic (expected 93 4e 55 4d 50 59 = "\\x93NUMPY", got ${head || 'nothing'})`);
  }
  const major = bytes[6];
  const minor = bytes[7];
  if (major < 1 || major > 3 || minor !== 0) {
    throw new SpikewireError('UNSUPPORTED', `${what} has .npy format version ${major}.${minor}; spikewire reads 1.0, 2.0 and 3.0`);
  }
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) throw new SpikewireError('FORMAT', `${what} is truncated inside its header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthSize + headerLength;
  if (dataOffset > bytes.length) {
    throw new SpikewireError('FORMAT', `${what} is truncated: its header declares ${headerLength} bytes, only ${bytes.length - 8 - lengthSize} follow`);
  }
  const raw = bytes.subarray(8 + lengthSize, dataOffset);
  let headerText: string;
  if (major === 3) {
    try {
      headerText = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new SpikewireError('FORMAT', `${what}: the version 3.0 header is not valid UTF-8`);
    }
  } else {
    headerText = '';
    for (let i = 0; i < raw.length; i += 4096) headerText += String.fromCharCode(...raw.subarray(i, i + 4096));
  }
  const dict = parsePyLiteral(headerText, `${what} header`);
  if (!(dict instanceof Map)) throw new SpikewireError('FORMAT', `${what}: the header is not a dict: ${JSON.stringify(headerText.trim().slice(0, 200))}`);
  const keys = [...dict.keys()];
  const expected = ['descr', 'fortran_order', 'shape'];
  if (keys.length !== 3 || !expected.every((k) => dict.has(k))) {
    throw new SpikewireError('FORMAT', `${what}: the header has keys ${describe(keys)}; numpy writes exactly 'descr', 'fortran_order' and 'shape'`);
  }
  const shapeLit = dict.get('shape');
  const shape = isTuple(shapeLit) ? (shapeLit as PyLiteral[]) : undefined;
  if (!shape || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new SpikewireError('FORMAT', `${what}: the header's shape ${describe(shapeLit)} is not a tuple of non-negative integers`);
  }
  const fortranOrder = dict.get('fortran_order');
  if (typeof fortranOrder !== 'boolean') throw new SpikewireError('FORMAT', `${what}: the header's fortran_order ${describe(fortranOrder)} is not True or False`);
  return { version: [major, minor], descr: dict.get('descr')!, fortranOrder, shape: shape as number[], dataOffset, headerText };
}

/** numpy's descr_to_dtype: a dtype string, or a list of (name, descr[, shape]) with '' padding. */
function descrFromHeader(lit: PyLiteral, what: string, depth = 0): Descr {
  if (typeof lit === 'string') return parseDTypeStr(lit, what);
  if (!Array.isArray(lit) || isTuple(lit) || depth > 32) throw new SpikewireError('FORMAT', `${what}: descr ${describe(lit)} is neither a dtype string nor a list of fields`);
  const fields: FieldDescr[] = [];
  let offset = 0;
  const names = new Set<string>();
  for (const entry of lit) {
    const items = isTuple(entry) ? (entry as PyLiteral[]) : undefined;
    if (!items || (items.length !== 2 && items.length !== 3)) throw new SpikewireError('FORMAT', `${what}: field ${describe(entry)} is not a (name, dtype[, shape]) tuple`);
    let name = items[0];
    // (title, name): titles are an alias numpy allows; spikewire keeps the name.
    if (isTuple(name) && (name as PyLiteral[]).length === 2) name = (name as PyLiteral[])[1]!;
    if (typeof name !== 'string') throw new SpikewireError('FORMAT', `${what}: field name ${describe(items[0])} is not a string`);
    const fd = descrFromHeader(items[1], `${what} field ${JSON.stringify(name)}`, depth + 1);
    let shape: number[] = [];
    if (items.length === 3) {
      const s = items[2];
      const dims = isTuple(s) ? (s as PyLiteral[]) : typeof s === 'number' ? [s] : undefined;
      if (!dims || !dims.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
        throw new SpikewireError('FORMAT', `${what}: field ${JSON.stringify(name)} has sub-array shape ${describe(s)}`);
      }
      shape = dims as number[];
    }
    const isPadding = name === '' && fd.kind === 'V' && !fd.fields;
    if (!isPadding) {
      if (names.has(name)) throw new SpikewireError('FORMAT', `${what}: field name ${JSON.stringify(name)} appears twice`);
      names.add(name);
      fields.push({ name, descr: fd, shape, offset });
    }
    offset += fd.size * elementCount(shape);
  }
  return { kind: 'V', size: offset, order: '|', fields };
}

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
  const what = label(opts);
  const header = readNpyHeader(bytes, opts);
  const d = descrFromHeader(header.descr, what);
  const { shape, fortranOrder, dataOffset } = header;
  const count = elementCount(shape);
  if (count > MAX_ELEMENTS) throw new SpikewireError('FORMAT', `${what}: the header's shape ${JSON.stringify(shape)} has ${count} elements, more than spikewire holds in one array`);
  const payload = bytes.subarray(dataOffset);

  if (hasObject(d)) {
    if (d.kind !== 'O') throw new SpikewireError('UNSUPPORTED', `${what}: structured arrays with object fields are not supported`);
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

  // Items of zero bytes ('<U0', '|V0') take no data, so the byte count cannot vouch for the shape.
  if (d.size === 0 && count > MAX_EMPTY_ITEMS) {
    throw new SpikewireError('FORMAT', `${what}: the header's shape ${JSON.stringify(shape)} claims ${count} items of zero bytes (${descrStr(d)}), more than the ${MAX_EMPTY_ITEMS} spikewire reads`);
  }
  const need = count * d.size;
  if (payload.length < need) {
    throw new SpikewireError(
      'FORMAT',
      `${what} is truncated or its header lies: shape ${JSON.stringify(shape)} of ${descrStr(d)} needs ${need} bytes of data, ${payload.length} follow the ${dataOffset}-byte header`,
    );
  }
  let values = decodeValues(d, payload.subarray(0, need), count, what);
  if (fortranOrder) values = reorder(values, shape, true, d.kind === 'c' ? 2 : 1);
  const le = littleEndian(d);
  return new NumpyArray(descrStr(le), [...shape], values, fortranOrder, fieldsOf(le));
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

// Reading numpy's .npy format (v1.0 / v2.0 / v3.0) as np.load does. It sits in the python layer so
// that extractors (Open Ephys sample_numbers.npy, timestamps.npy, event arrays) and formats (saved
// folders) share one reader; object (pickled) arrays are handed to a reader the caller gives, since
// the restricted unpickler lives in the formats layer.
import { SpikewireError, describe } from '../errors.js';
import {
  NumpyArray,
  decodeValues,
  descrStr,
  elementCount,
  fieldsOf,
  hasObject,
  littleEndian,
  parseDTypeStr,
  reorder,
  type Descr,
  type FieldDescr,
} from './ndarray.js';
import { parsePyLiteral, type PyLiteral } from './pyliteral.js';
import { isTuple } from './tuple.js';

export const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
export const ARRAY_ALIGN = 64;
export const GROWTH_AXIS_MAX_DIGITS = 21;
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

/** How messages name the data. */
export function label(opts: ReadNpyOptions | undefined): string {
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

/** Reads the pickled payload of an object array (the formats layer's restricted unpickler). */
export type ObjectArrayReader = (payload: Uint8Array, info: { what: string; shape: number[]; fortranOrder: boolean }) => NumpyArray;

/**
 * Reads a .npy file (format 1.0, 2.0 or 3.0) into a {@link NumpyArray}: numeric, bool, `<U` / `|S`
 * strings, raw void, structured (record) and object arrays; C or Fortran order (values always come
 * back in C order, `fortranOrder` as stored); either byte order (values are swapped to native and
 * the dtype reported little-endian, '>f8' → '<f8'). See {@link NpyValues} for the value types.
 *
 * Object arrays hold a Python pickle: `readObject` reads it (formats' readNpy gives the restricted
 * unpickler); without one they are `UNSUPPORTED`. Bad magic, a truncated file or a header
 * that lies about the data (shape needing more bytes than follow) are `FORMAT` errors naming the
 * problem; bytes after the data are ignored, as numpy ignores them.
 */
export function decodeNpy(bytes: Uint8Array, opts?: ReadNpyOptions, readObject?: ObjectArrayReader): NumpyArray {
  const what = label(opts);
  const header = readNpyHeader(bytes, opts);
  const d = descrFromHeader(header.descr, what);
  const { shape, fortranOrder, dataOffset } = header;
  const count = elementCount(shape);
  if (count > MAX_ELEMENTS) throw new SpikewireError('FORMAT', `${what}: the header's shape ${JSON.stringify(shape)} has ${count} elements, more than spikewire holds in one array`);
  const payload = bytes.subarray(dataOffset);

  if (hasObject(d)) {
    if (d.kind !== 'O') throw new SpikewireError('UNSUPPORTED', `${what}: structured arrays with object fields are not supported`);
    if (!readObject) throw new SpikewireError('UNSUPPORTED', `${what} is an object (pickled) array, which is not read here`);
    return readObject(payload, { what, shape: [...shape], fortranOrder });
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


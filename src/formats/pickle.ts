// Python pickles as SpikeInterface writes them (dump_to_pickle: a dict with numpy arrays inside, and
// numpy's object-array .npy payloads). Reading is a restricted unpickler: it rebuilds containers,
// scalars and numpy arrays and refuses every other global, so a pickle never runs code here. Writing
// mirrors CPython's C pickler and numpy's __reduce__ byte for byte where JavaScript values allow it.
import { SpikewireError, describe } from '../errors.js';
import { PyFloat } from '../python/pyjson.js';
import { numericCodeOf } from '../dtype.js';
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
  parseDTypeStr,
  reorder,
  type Descr,
  type FieldDescr,
  type NpyValues,
} from './ndarray.js';
import { MAX_NESTING } from './nesting.js';

// Tuples: python/tuple.ts (the one mark of Python tuples), re-exported for the public API.
export { isTuple, markTuple, tuple } from '../python/tuple.js';
import { isTuple, markTuple } from '../python/tuple.js';

// ---------------------------------------------------------------------------------------------------
// The globals the unpickler accepts

type GlobalKind = 'reconstruct' | 'ndarray' | 'dtype' | 'scalar' | 'frombuffer';

// numpy 2 moved numpy.core to numpy._core; pickles from numpy 1.x name the old module. Nothing else
// is accepted: these rebuild plain data and run no code.
const ALLOWED_GLOBALS: ReadonlyMap<string, GlobalKind> = new Map<string, GlobalKind>([
  ['numpy._core.multiarray._reconstruct', 'reconstruct'],
  ['numpy.core.multiarray._reconstruct', 'reconstruct'],
  ['numpy.ndarray', 'ndarray'],
  ['numpy.dtype', 'dtype'],
  ['numpy._core.multiarray.scalar', 'scalar'],
  ['numpy.core.multiarray.scalar', 'scalar'],
  ['numpy._core.numeric._frombuffer', 'frombuffer'],
  ['numpy.core.numeric._frombuffer', 'frombuffer'],
]);

/** The globals (module.name) that {@link unpickle} accepts; every other one is refused. */
export const PICKLE_GLOBALS: readonly string[] = [...ALLOWED_GLOBALS.keys()];

/** A reference to one of the allowed numpy globals, as it sits on the unpickler's stack. */
class GlobalRef {
  constructor(readonly kind: GlobalKind, readonly fullName: string) {}
}

/** A numpy dtype being rebuilt: numpy.dtype(...) then BUILD with its state. */
class PickledDType {
  descr: Descr;
  subarray?: { base: Descr; shape: number[] };
  constructor(descr: Descr) {
    this.descr = descr;
  }
}

// Containers are first built as these, then turned into JS values once the whole pickle is read:
// a dict can only become a plain object or a Map when all of its keys are known.
class PyDict {
  readonly entries = new Map<string, [unknown, unknown]>();
}
class PySet {
  readonly items = new Map<string, unknown>();
  constructor(readonly frozen: boolean) {}
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /**
   * Return Python floats that hold an integral value (30000.0) as {@link PyFloat} instead of plain
   * numbers, so that writing them back gives floats again. Default false: every float is a number.
   */
  pyFloats?: boolean;
}

/**
 * Reads a Python pickle (protocols 0–5) with a restricted unpickler and returns plain JS values:
 * - dict → plain object when every key is a string (a Map otherwise, or when a key that looks like
 *   an array index would change the key order); list → array; tuple → array marked as a tuple
 *   ({@link isTuple}); set / frozenset → Set;
 * - int → number, or bigint beyond ±2^53; float → number; str → string; bytes / bytearray →
 *   Uint8Array; True/False → boolean; None → null;
 * - numpy arrays → {@link NumpyArray} (values as readNpy gives them); numpy scalars → number /
 *   bigint / boolean / string.
 *
 * Only numpy's `_reconstruct`, `ndarray`, `dtype`, `scalar` and `_frombuffer` globals are accepted
 * ({@link PICKLE_GLOBALS}, numpy 1.x and 2.x module names); any other global is an `UNSUPPORTED`
 * error naming it, raised when the pickle names it, before anything is built from it. Nothing in a
 * pickle is ever executed. Truncated or corrupt data is a `FORMAT` error.
 */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions = {}): unknown {
  if (!(bytes instanceof Uint8Array)) throw new SpikewireError('INVALID_ARGUMENT', `unpickle expects a Uint8Array, got ${describe(bytes)}`);
  return new Unpickler(bytes, opts.pyFloats === true).load();
}

const OPCODE_NAMES: Record<number, string> = {
  0x28: 'MARK', 0x2e: 'STOP', 0x30: 'POP', 0x31: 'POP_MARK', 0x32: 'DUP', 0x46: 'FLOAT', 0x49: 'INT', 0x4a: 'BININT',
  0x4b: 'BININT1', 0x4c: 'LONG', 0x4d: 'BININT2', 0x4e: 'NONE', 0x50: 'PERSID', 0x51: 'BINPERSID', 0x52: 'REDUCE',
  0x53: 'STRING', 0x54: 'BINSTRING', 0x55: 'SHORT_BINSTRING', 0x56: 'UNICODE', 0x58: 'BINUNICODE', 0x61: 'APPEND',
  0x62: 'BUILD', 0x63: 'GLOBAL', 0x64: 'DICT', 0x7d: 'EMPTY_DICT', 0x65: 'APPENDS', 0x67: 'GET', 0x68: 'BINGET',
  0x69: 'INST', 0x6a: 'LONG_BINGET', 0x6c: 'LIST', 0x5d: 'EMPTY_LIST', 0x6f: 'OBJ', 0x70: 'PUT', 0x71: 'BINPUT',
  0x72: 'LONG_BINPUT', 0x73: 'SETITEM', 0x74: 'TUPLE', 0x29: 'EMPTY_TUPLE', 0x75: 'SETITEMS', 0x47: 'BINFLOAT',
  0x80: 'PROTO', 0x81: 'NEWOBJ', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x85: 'TUPLE1', 0x86: 'TUPLE2',
  0x87: 'TUPLE3', 0x88: 'NEWTRUE', 0x89: 'NEWFALSE', 0x8a: 'LONG1', 0x8b: 'LONG4', 0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE', 0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL', 0x94: 'MEMOIZE', 0x95: 'FRAME',
  0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

// Python's default limit on decimal digits in int(text) (sys.get_int_max_str_digits()).
const MAX_INT_DIGITS = 4300;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 with lone surrogates allowed (Python's 'surrogatepass', which pickle uses both ways). */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Strict.decode(bytes);
  } catch {
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      let cp: number;
      let n: number;
      if (b < 0x80) [cp, n] = [b, 1];
      else if (b >= 0xc0 && b < 0xe0) [cp, n] = [b & 0x1f, 2];
      else if (b >= 0xe0 && b < 0xf0) [cp, n] = [b & 0x0f, 3];
      else if (b >= 0xf0 && b < 0xf8) [cp, n] = [b & 0x07, 4];
      else throw new SpikewireError('FORMAT', `pickle string is not valid UTF-8 (byte 0x${b.toString(16)})`);
      if (i + n > bytes.length) throw new SpikewireError('FORMAT', 'pickle string is not valid UTF-8 (truncated sequence)');
      for (let k = 1; k < n; k++) {
        const c = bytes[i + k];
        if ((c & 0xc0) !== 0x80) throw new SpikewireError('FORMAT', 'pickle string is not valid UTF-8');
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp > 0x10ffff) throw new SpikewireError('FORMAT', 'pickle string is not valid UTF-8 (code point out of range)');
      out += String.fromCodePoint(cp);
      i += n;
    }
    return out;
  }
}

const utf8Encoder = new TextEncoder();
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** UTF-8 bytes of `s`, lone surrogates encoded as themselves (Python's 'surrogatepass'). */
function encodeUtf8(s: string): Uint8Array {
  // TextEncoder would turn a lone surrogate into U+FFFD; only such strings take the slow path.
  if (!LONE_SURROGATE.test(s)) return utf8Encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Bytes as latin-1 text, in pieces: a spread of a long line would overflow the call stack. */
function latin1Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

function latin1ToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** A signed little-endian two's complement integer (LONG1 / LONG4) as number or bigint. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += bytes[i].toString(16).padStart(2, '0');
  let v = BigInt('0x' + hex);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return intValue(v);
}

function intValue(v: bigint): number | bigint {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

class Unpickler {
  private pos = 0;
  private stack: unknown[] = [];
  private marks: number[] = [];
  private readonly memo = new Map<number, unknown>();
  private opPos = 0;
  private opName = '';
  private readonly view: DataView;

  constructor(private readonly data: Uint8Array, private readonly pyFloats: boolean) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  private fail(why: string): never {
    throw new SpikewireError('FORMAT', `pickle data is corrupt: ${why} (opcode ${this.opName} at byte ${this.opPos})`);
  }

  private need(n: number): void {
    if (n > this.data.length - this.pos) this.take(n);
  }

  private take(n: number): Uint8Array {
    if (n > this.data.length - this.pos) {
      throw new SpikewireError(
        'FORMAT',
        `pickle data is truncated: opcode ${this.opName} at byte ${this.opPos} needs ${n} more bytes, ${this.data.length - this.pos} are left`,
      );
    }
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private u8(): number {
    this.need(1);
    return this.data[this.pos++];
  }
  private u16(): number {
    this.need(2);
    this.pos += 2;
    return this.view.getUint16(this.pos - 2, true);
  }
  private u32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getUint32(this.pos - 4, true);
  }
  private i32(): number {
    this.need(4);
    this.pos += 4;
    return this.view.getInt32(this.pos - 4, true);
  }
  private u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    const n = hi * 2 ** 32 + lo;
    if (n > this.data.length) this.take(n); // reports the truncation
    return n;
  }
  private line(): string {
    const end = this.data.indexOf(0x0a, this.pos);
    if (end < 0) this.take(this.data.length - this.pos + 1);
    const text = latin1Text(this.data.subarray(this.pos, end));
    this.pos = end + 1;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }

  private push(v: unknown): void {
    this.stack.push(v);
  }
  private pop(): unknown {
    if (this.stack.length === 0 || (this.marks.length > 0 && this.stack.length <= this.marks[this.marks.length - 1])) {
      this.fail('stack underflow');
    }
    return this.stack.pop();
  }
  private top(): unknown {
    if (this.stack.length === 0 || (this.marks.length > 0 && this.stack.length <= this.marks[this.marks.length - 1])) {
      this.fail('stack underflow');
    }
    return this.stack[this.stack.length - 1];
  }
  private popMark(): unknown[] {
    const m = this.marks.pop();
    if (m === undefined) this.fail('no MARK on the stack');
    return this.stack.splice(m!);
  }

  private float(v: number): number | PyFloat {
    return this.pyFloats && Number.isInteger(v) && !Object.is(v, -0) ? new PyFloat(v) : v;
  }

  private global(module: string, name: string): GlobalRef {
    const full = `${module}.${name}`;
    const kind = ALLOWED_GLOBALS.get(full);
    if (!kind) {
      throw new SpikewireError(
        'UNSUPPORTED',
        `pickle refers to the global ${full.length > 200 ? describe(full) : full} (${this.opName} at byte ${this.opPos}), which spikewire's restricted ` +
          `unpickler refuses: it only rebuilds containers, scalars and numpy arrays (${PICKLE_GLOBALS.join(', ')}); ` +
          'nothing was executed',
      );
    }
    return new GlobalRef(kind, full);
  }

  load(): unknown {
    const d = this.data;
    for (;;) {
      if (this.pos >= d.length) {
        throw new SpikewireError('FORMAT', `pickle data is truncated: it ends at byte ${d.length} without a STOP opcode`);
      }
      this.opPos = this.pos;
      const op = d[this.pos++];
      this.opName = OPCODE_NAMES[op] ?? `0x${op.toString(16).padStart(2, '0')}`;
      switch (op) {
        case 0x80: { // PROTO
          const proto = this.u8();
          if (proto > 5) throw new SpikewireError('UNSUPPORTED', `pickle protocol ${proto} is newer than the protocols spikewire reads (0-5)`);
          break;
        }
        case 0x95: // FRAME: frames only group opcodes for buffered reading
          this.u64();
          break;
        case 0x2e: { // STOP
          if (this.stack.length === 0) this.fail('STOP with an empty stack');
          return finish(this.stack[this.stack.length - 1]);
        }
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          break;
        case 0x30: // POP
          if (this.marks.length > 0 && this.stack.length === this.marks[this.marks.length - 1]) this.popMark();
          else this.pop();
          break;
        case 0x31: // POP_MARK
          this.popMark();
          break;
        case 0x32: // DUP
          this.push(this.top());
          break;
        // --- memo
        case 0x94: // MEMOIZE
          this.memo.set(this.memo.size, this.top());
          break;
        case 0x71: // BINPUT
          this.memo.set(this.u8(), this.top());
          break;
        case 0x72: // LONG_BINPUT
          this.memo.set(this.u32(), this.top());
          break;
        case 0x70: // PUT
          this.memo.set(this.decimal(this.line()), this.top());
          break;
        case 0x68: // BINGET
          this.push(this.memoGet(this.u8()));
          break;
        case 0x6a: // LONG_BINGET
          this.push(this.memoGet(this.u32()));
          break;
        case 0x67: // GET
          this.push(this.memoGet(this.decimal(this.line())));
          break;
        // --- atoms
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x4a: // BININT
          this.push(this.i32());
          break;
        case 0x4b: // BININT1
          this.push(this.u8());
          break;
        case 0x4d: // BININT2
          this.push(this.u16());
          break;
        case 0x8a: // LONG1
          this.push(decodeLong(this.take(this.u8())));
          break;
        case 0x8b: { // LONG4
          const len = this.i32();
          if (len < 0) this.fail('negative LONG4 length');
          this.push(decodeLong(this.take(len)));
          break;
        }
        case 0x47: // BINFLOAT
          this.need(8);
          this.pos += 8;
          this.push(this.float(this.view.getFloat64(this.pos - 8, false)));
          break;
        case 0x49: { // INT (protocol 0; "01"/"00" are True/False)
          const t = this.line();
          if (t === '01') this.push(true);
          else if (t === '00') this.push(false);
          else this.push(this.textInt(t));
          break;
        }
        case 0x4c: // LONG
          this.push(this.textInt(this.line().replace(/L$/, '')));
          break;
        case 0x46: { // FLOAT
          const t = this.line().trim();
          const v = Number(t);
          if (t === '' || (Number.isNaN(v) && !/^[-+]?nan$/i.test(t))) this.fail(`${describe(t)} is not a float`);
          this.push(this.float(v));
          break;
        }
        // --- strings and bytes
        case 0x8c: // SHORT_BINUNICODE
          this.push(decodeUtf8(this.take(this.u8())));
          break;
        case 0x58: // BINUNICODE
          this.push(decodeUtf8(this.take(this.u32())));
          break;
        case 0x8d: // BINUNICODE8
          this.push(decodeUtf8(this.take(this.u64())));
          break;
        case 0x56: // UNICODE (raw-unicode-escape text)
          this.push(rawUnicodeEscape(this.line(), (cp) => this.fail(`\\U${cp} is not a Unicode code point`)));
          break;
        case 0x43: // SHORT_BINBYTES
          this.push(this.take(this.u8()).slice());
          break;
        case 0x42: // BINBYTES
          this.push(this.take(this.u32()).slice());
          break;
        case 0x8e: // BINBYTES8
          this.push(this.take(this.u64()).slice());
          break;
        case 0x96: // BYTEARRAY8
          this.push(this.take(this.u64()).slice());
          break;
        // Python 2 str: latin-1 text (numpy reads such array data with encoding='latin1').
        case 0x55: // SHORT_BINSTRING
          this.push(String.fromCharCode(...this.take(this.u8())));
          break;
        case 0x54: { // BINSTRING
          const len = this.i32();
          if (len < 0) this.fail('negative BINSTRING length');
          this.push(latin1Text(this.take(len)));
          break;
        }
        case 0x53: { // STRING (a quoted repr)
          const t = this.line();
          if (t.length < 2 || (t[0] !== "'" && t[0] !== '"') || t[t.length - 1] !== t[0]) this.fail('STRING argument is not quoted');
          this.push(pyUnescape(t.slice(1, -1), () => this.fail('bad escape in STRING')));
          break;
        }
        // --- containers
        case 0x29: // EMPTY_TUPLE
          this.push(markTuple([]));
          break;
        case 0x85: // TUPLE1
          this.push(markTuple([this.pop()]));
          break;
        case 0x86: { // TUPLE2
          const b = this.pop();
          const a = this.pop();
          this.push(markTuple([a, b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = this.pop();
          const b = this.pop();
          const a = this.pop();
          this.push(markTuple([a, b, c]));
          break;
        }
        case 0x74: // TUPLE
          this.push(markTuple(this.popMark()));
          break;
        case 0x5d: // EMPTY_LIST
          this.push([]);
          break;
        case 0x6c: // LIST
          this.push(this.popMark());
          break;
        case 0x61: { // APPEND
          const v = this.pop();
          this.list(this.top()).push(v);
          break;
        }
        case 0x65: { // APPENDS
          const items = this.popMark();
          const list = this.list(this.top());
          for (const item of items) list.push(item); // no spread: a batch may be long
          break;
        }
        case 0x7d: // EMPTY_DICT
          this.push(new PyDict());
          break;
        case 0x64: { // DICT
          const items = this.popMark();
          const dict = new PyDict();
          for (let i = 0; i + 1 < items.length; i += 2) this.setItem(dict, items[i], items[i + 1]);
          this.push(dict);
          break;
        }
        case 0x73: { // SETITEM
          const v = this.pop();
          const k = this.pop();
          this.setItem(this.top(), k, v);
          break;
        }
        case 0x75: { // SETITEMS
          const items = this.popMark();
          if (items.length % 2) this.fail('SETITEMS with an odd number of items');
          const dict = this.top();
          for (let i = 0; i < items.length; i += 2) this.setItem(dict, items[i], items[i + 1]);
          break;
        }
        case 0x8f: // EMPTY_SET
          this.push(new PySet(false));
          break;
        case 0x90: { // ADDITEMS
          const items = this.popMark();
          const set = this.top();
          if (!(set instanceof PySet) || set.frozen) this.fail(`ADDITEMS on a ${kindName(set)}`);
          for (const item of items) (set as PySet).items.set(keyId(item, () => this.fail('unhashable set item')), item);
          break;
        }
        case 0x91: { // FROZENSET
          const set = new PySet(true);
          for (const item of this.popMark()) set.items.set(keyId(item, () => this.fail('unhashable set item')), item);
          this.push(set);
          break;
        }
        // --- globals and objects
        case 0x63: { // GLOBAL
          const module = this.line();
          const name = this.line();
          this.push(this.global(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string') this.fail('STACK_GLOBAL needs two strings');
          this.push(this.global(module as string, name as string));
          break;
        }
        case 0x69: { // INST
          const ref = this.global(this.line(), this.line());
          this.push(this.call(ref, this.popMark()));
          break;
        }
        case 0x6f: { // OBJ
          const items = this.popMark();
          if (items.length === 0) this.fail('OBJ without a class');
          this.push(this.call(items[0], items.slice(1)));
          break;
        }
        case 0x52: { // REDUCE
          const args = this.pop();
          const fn = this.pop();
          if (!isTuple(args)) this.fail('REDUCE arguments are not a tuple');
          this.push(this.call(fn, args as unknown[]));
          break;
        }
        case 0x81: { // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          if (!isTuple(args)) this.fail('NEWOBJ arguments are not a tuple');
          this.push(this.newObject(cls, args as unknown[]));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!isTuple(args)) this.fail('NEWOBJ_EX arguments are not a tuple');
          if (!(kwargs instanceof PyDict) || kwargs.entries.size > 0) this.fail('NEWOBJ_EX with keyword arguments');
          this.push(this.newObject(cls, args as unknown[]));
          break;
        }
        case 0x62: { // BUILD
          const state = this.pop();
          this.build(this.top(), state);
          break;
        }
        case 0x98: // READONLY_BUFFER: the buffer's contents are what matter here
          this.top();
          break;
        case 0x97: // NEXT_BUFFER
          throw new SpikewireError('UNSUPPORTED', `pickle uses out-of-band buffers (NEXT_BUFFER at byte ${this.opPos}), which need the buffers it was written with`);
        case 0x50: // PERSID
        case 0x51: // BINPERSID
          throw new SpikewireError('UNSUPPORTED', `pickle uses persistent ids (${this.opName} at byte ${this.opPos}), which only the program that wrote it can resolve`);
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: // EXT4
          throw new SpikewireError('UNSUPPORTED', `pickle uses the copyreg extension registry (${this.opName} at byte ${this.opPos}), which spikewire's restricted unpickler refuses`);
        default:
          throw new SpikewireError('FORMAT', `pickle data is corrupt: unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${this.opPos}`);
      }
    }
  }

  private decimal(text: string): number {
    if (!/^\d{1,15}$/.test(text)) this.fail(`${describe(text)} is not a memo index`);
    return Number(text);
  }

  private textInt(text: string): number | bigint {
    if (!/^[-+]?\d+$/.test(text.trim())) this.fail(`${describe(text)} is not an integer`);
    // Python refuses to convert longer decimal texts (sys.get_int_max_str_digits); so does this reader.
    if (text.trim().replace(/^[-+]/, '').length > MAX_INT_DIGITS) this.fail(`an integer of more than ${MAX_INT_DIGITS} decimal digits`);
    return intValue(BigInt(text.trim()));
  }

  private memoGet(i: number): unknown {
    if (!this.memo.has(i)) this.fail(`memo entry ${i} was never stored`);
    return this.memo.get(i);
  }

  private list(target: unknown): unknown[] {
    if (!Array.isArray(target) || isTuple(target)) this.fail(`appending to a ${kindName(target)}`);
    return target as unknown[];
  }

  private setItem(dict: unknown, key: unknown, value: unknown): void {
    if (!(dict instanceof PyDict)) this.fail(`setting an item on a ${kindName(dict)}`);
    const id = keyId(key, () => this.fail(`unhashable dict key (${kindName(key)})`));
    const existing = (dict as PyDict).entries.get(id);
    // Python keeps the first key object of equal keys and replaces the value in place.
    (dict as PyDict).entries.set(id, [existing ? existing[0] : key, value]);
  }

  private call(fn: unknown, args: unknown[]): unknown {
    if (!(fn instanceof GlobalRef)) this.fail(`calling a ${kindName(fn)}`);
    const ref = fn as GlobalRef;
    switch (ref.kind) {
      case 'reconstruct': {
        // _reconstruct(ndarray, (0,), b'b'): an empty int8 array that BUILD then fills.
        const [cls, shape] = args;
        if (!(cls instanceof GlobalRef) || cls.kind !== 'ndarray') this.fail(`${ref.fullName} of something other than numpy.ndarray`);
        const dims = this.shape(shape);
        return new NumpyArray('|i1', dims, new Int8Array(this.claimed(elementCount(dims), 1)));
      }
      case 'ndarray':
        return this.newObject(ref, args);
      case 'dtype':
        return this.dtype(args);
      case 'scalar':
        return this.scalar(args);
      case 'frombuffer':
        return this.fromBuffer(args);
    }
  }

  private newObject(cls: unknown, args: unknown[]): unknown {
    if (!(cls instanceof GlobalRef)) this.fail(`instantiating a ${kindName(cls)}`);
    const ref = cls as GlobalRef;
    if (ref.kind === 'dtype') return this.dtype(args);
    if (ref.kind !== 'ndarray') this.fail(`instantiating ${ref.fullName}`);
    // ndarray.__new__(ndarray, shape, dtype=float): an uninitialised array that BUILD fills.
    const shape = this.shape(args[0] ?? markTuple([0]));
    const dt = args[1] instanceof PickledDType ? args[1].descr : parseDTypeStr('<f8', 'numpy.ndarray');
    return this.arrayFrom(dt, shape, false, new Uint8Array(this.claimed(elementCount(shape), dt.size)), 'numpy.ndarray()');
  }

  /**
   * The bytes of `count` items of `size` bytes, for an array the pickle will fill later: its data must
   * follow in the pickle, so more than the bytes left is a lie, refused before anything is allocated.
   */
  private claimed(count: number, size: number): number {
    const bytes = count * size;
    if (bytes > this.data.length - this.pos) this.fail(`an array of ${count} items of ${size} bytes, more than the ${this.data.length - this.pos} bytes left`);
    return bytes;
  }

  private shape(v: unknown): number[] {
    if (!Array.isArray(v)) this.fail(`array shape ${describe(v)} is not a tuple`);
    const out = (v as unknown[]).map((d) => (typeof d === 'bigint' ? Number(d) : d));
    if (!out.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) this.fail(`array shape ${describe(v)} is not a tuple of sizes`);
    return out as number[];
  }

  private dtype(args: unknown[]): PickledDType {
    const spec = args[0];
    if (spec instanceof PickledDType) return spec;
    if (typeof spec !== 'string') this.fail(`numpy.dtype of ${describe(spec)}`);
    return new PickledDType(parseDTypeStr(spec as string, 'pickled numpy dtype'));
  }

  private build(target: unknown, state: unknown): void {
    if (target instanceof PickledDType) return this.buildDType(target, state);
    if (target instanceof NumpyArray) return this.buildArray(target, state);
    this.fail(`BUILD on a ${kindName(target)}`);
  }

  // numpy's dtype.__setstate__: (version, endian, subarray, names, fields, elsize, alignment, flags[, metadata]).
  private buildDType(dt: PickledDType, state: unknown): void {
    if (!isTuple(state) || ((state as unknown[]).length !== 8 && (state as unknown[]).length !== 9)) {
      throw new SpikewireError('UNSUPPORTED', `pickled numpy dtype state ${describe(state)} is not the (version 3/4) layout spikewire reads`);
    }
    const [, endian, subarray, names, fields, elsize, , , metadata] = state as unknown[];
    let d = dt.descr;
    if (typeof elsize === 'number' && elsize >= 0 && (d.kind === 'U' || d.kind === 'S' || d.kind === 'V')) {
      // UTF-32 items are whole code points: any other size would split one.
      if (!Number.isSafeInteger(elsize) || (d.kind === 'U' && elsize % 4 !== 0)) this.fail(`dtype item size ${elsize} for kind ${d.kind}`);
      d = { ...d, size: elsize };
    }
    if (endian === '>' || endian === '<' || endian === '=' || endian === '|') {
      d = { ...d, order: d.kind === 'V' || d.kind === 'b' || d.kind === 'S' || d.kind === 'O' || (d.size === 1 && d.kind !== 'U') ? '|' : endian === '>' ? '>' : '<' };
    }
    if ((d.kind === 'M' || d.kind === 'm') && Array.isArray(metadata)) {
      // (metadata dict, (unit, count)) in numpy 2; older: (unit, count, ...).
      const info = Array.isArray(metadata[metadata.length - 1]) ? (metadata[metadata.length - 1] as unknown[]) : metadata;
      const unitRaw = info[0];
      const unit = unitRaw instanceof Uint8Array ? latin1Text(unitRaw) : unitRaw;
      const count = typeof info[1] === 'number' ? info[1] : 1;
      if (typeof unit === 'string') d = { ...d, unit: unit === 'generic' ? '' : `[${count === 1 ? '' : count}${unit}]` };
    }
    if (Array.isArray(subarray)) {
      const [base, shape] = subarray as unknown[];
      if (!(base instanceof PickledDType)) this.fail('dtype sub-array without a base dtype');
      dt.subarray = { base: (base as PickledDType).descr, shape: this.shape(shape) };
    }
    if (Array.isArray(names) && fields instanceof PyDict) {
      const list: FieldDescr[] = [];
      for (const name of names as unknown[]) {
        if (typeof name !== 'string') this.fail('dtype field name is not a string');
        const entry = fields.entries.get(keyId(name, () => this.fail('bad field name')));
        if (!entry || !Array.isArray(entry[1])) this.fail(`dtype field ${describe(name)} has no (dtype, offset)`);
        const [fdt, offset] = entry![1] as unknown[];
        if (!(fdt instanceof PickledDType) || typeof offset !== 'number') this.fail(`dtype field ${describe(name)} has no (dtype, offset)`);
        const f = fdt as PickledDType;
        list.push(f.subarray
          ? { name: name as string, descr: f.subarray.base, shape: f.subarray.shape, offset: offset as number }
          : { name: name as string, descr: f.descr, shape: [], offset: offset as number });
      }
      list.sort((a, b) => a.offset - b.offset);
      d = { ...d, fields: list };
    }
    dt.descr = d;
  }

  // numpy's ndarray.__setstate__: (version, shape, dtype, is_fortran, rawdata) or without version.
  private buildArray(arr: NumpyArray, state: unknown): void {
    if (!isTuple(state)) this.fail('ndarray state is not a tuple');
    let items = state as unknown[];
    if (items.length === 5) items = items.slice(1);
    if (items.length !== 4) this.fail(`ndarray state has ${items.length} items, expected 4 or 5`);
    const [shapeV, dtypeV, fortranV, raw] = items;
    const shape = this.shape(shapeV);
    if (!(dtypeV instanceof PickledDType)) this.fail('ndarray state has no dtype');
    const d = (dtypeV as PickledDType).descr;
    const built = this.arrayFrom(d, shape, fortranV === true || fortranV === 1, raw, 'pickled numpy array');
    Object.assign(arr, { dtype: built.dtype, shape: built.shape, values: built.values, fortranOrder: built.fortranOrder });
    if (built.fields) arr.fields = built.fields;
    else delete arr.fields;
  }

  private arrayFrom(d: Descr, shape: number[], fortran: boolean, raw: unknown, what: string): NumpyArray {
    const count = elementCount(shape);
    if (d.kind === 'O') {
      if (!Array.isArray(raw) || raw.length !== count) this.fail(`object array data is not a list of ${count} items`);
      // numpy pickles object arrays as a list in C order whatever their layout.
      return new NumpyArray('|O', shape, raw as unknown[], fortran);
    }
    if (hasObject(d)) throw new SpikewireError('UNSUPPORTED', `${what}: structured arrays with object fields are not supported`);
    const bytes = typeof raw === 'string' ? latin1ToBytes(raw) : raw;
    if (!(bytes instanceof Uint8Array)) this.fail(`array data is a ${kindName(raw)}, not bytes`);
    const b = bytes as Uint8Array;
    if (b.length !== count * d.size) this.fail(`array data holds ${b.length} bytes; shape ${JSON.stringify(shape)} of ${descrStr(d)} needs ${count * d.size}`);
    let values: NpyValues = decodeValues(d, b, count, what);
    if (fortran) values = reorder(values, shape, true, d.kind === 'c' ? 2 : 1);
    const le = littleEndian(d);
    return new NumpyArray(descrStr(le), shape, values, fortran, fieldsOf(le));
  }

  private fromBuffer(args: unknown[]): NumpyArray {
    const [buf, dt, shapeV, order] = args;
    if (!(buf instanceof Uint8Array)) this.fail('_frombuffer without a buffer');
    if (!(dt instanceof PickledDType)) this.fail('_frombuffer without a dtype');
    return this.arrayFrom((dt as PickledDType).descr, this.shape(shapeV), order === 'F', buf, 'pickled numpy array');
  }

  private scalar(args: unknown[]): unknown {
    const [dt, data] = args;
    if (!(dt instanceof PickledDType)) this.fail('numpy scalar without a dtype');
    const d = (dt as PickledDType).descr;
    if (d.kind === 'O') return data;
    if (!(data instanceof Uint8Array) && typeof data !== 'string') this.fail('numpy scalar data is not bytes');
    const bytes = typeof data === 'string' ? latin1ToBytes(data) : (data as Uint8Array);
    if (bytes.length !== d.size) this.fail(`numpy scalar of ${descrStr(d)} has ${bytes.length} bytes`);
    const values = decodeValues(d, bytes, 1, 'pickled numpy scalar');
    if (d.kind === 'c') return [values[0], values[1]];
    const v = values[0];
    if (typeof v === 'bigint') return intValue(v);
    if (typeof v === 'number' && d.kind === 'f') return this.float(v);
    return v;
  }
}

function kindName(v: unknown): string {
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PySet) return v.frozen ? 'frozenset' : 'set';
  if (v instanceof GlobalRef) return v.fullName;
  if (v instanceof PickledDType) return 'numpy.dtype';
  if (v instanceof NumpyArray) return 'numpy.ndarray';
  if (isTuple(v)) return 'tuple';
  return describe(v);
}

/** Python's hash equality for keys: 1 == 1.0 == True; strings; tuples of keys; None. */
function keyId(key: unknown, unhashable: () => never, depth = 0): string {
  if (depth > MAX_NESTING) throw new SpikewireError('FORMAT', `pickle data nests tuples more than ${MAX_NESTING} levels deep in a dict key`);
  if (typeof key === 'string') return 's' + key;
  if (typeof key === 'boolean') return 'n' + (key ? 1 : 0);
  if (typeof key === 'number') return Number.isNaN(key) ? 'nan' : 'n' + String(Object.is(key, -0) ? 0 : key);
  if (typeof key === 'bigint') return 'n' + String(intValue(key));
  if (key instanceof PyFloat) return 'n' + String(key.value);
  if (key === null) return 'None';
  if (key instanceof Uint8Array) return 'b' + Array.from(key).join(',');
  if (isTuple(key)) return 't(' + (key as unknown[]).map((k) => keyId(k, unhashable, depth + 1)).join(',') + ')';
  if (key instanceof PySet && key.frozen) return 'f{' + [...key.items.keys()].sort().join(',') + '}';
  return unhashable();
}

/** raw-unicode-escape decoding of protocol 0 UNICODE text (only \uXXXX and \UXXXXXXXX escape). */
function rawUnicodeEscape(text: string, bad: (escape: string) => never): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, a: string, b: string) => {
    const cp = parseInt(a ?? b, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : bad(b);
  });
}

function pyUnescape(body: string, bad: () => never): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/gs, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (e in simple) return simple[e];
    return bad();
  });
}

/**
 * Turns the unpickler's containers into JS values, keeping shared references shared (a dict that
 * the pickle references twice becomes one object referenced twice).
 */
function finish(root: unknown): unknown {
  const done = new Map<object, unknown>();
  const visit = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (done.has(v)) return done.get(v);
    // The reader itself is a loop, but this walk and every later one recurse: bound the depth.
    if (depth > MAX_NESTING) throw new SpikewireError('FORMAT', `pickle data nests containers more than ${MAX_NESTING} levels deep`);
    if (v instanceof PyDict) {
      const keys = [...v.entries.values()].map(([k]) => k);
      if (keys.every((k) => typeof k === 'string')) {
        const obj: Record<string, unknown> = {};
        done.set(v, obj);
        for (const [k, x] of v.entries.values()) {
          // defineProperty: a '__proto__' key must be data, never the prototype.
          Object.defineProperty(obj, k as string, { value: visit(x, depth + 1), enumerable: true, writable: true, configurable: true });
        }
        const order = Object.keys(obj);
        if (order.every((k, i) => k === keys[i])) return obj;
      }
      // Non-string keys, or integer-like string keys that a plain object would reorder: a Map.
      const map = new Map<unknown, unknown>();
      done.set(v, map);
      for (const [k, x] of v.entries.values()) map.set(visit(k, depth + 1), visit(x, depth + 1));
      return map;
    }
    if (v instanceof PySet) {
      const set = new Set<unknown>();
      done.set(v, set);
      for (const x of v.items.values()) set.add(visit(x, depth + 1));
      return set;
    }
    if (Array.isArray(v)) {
      done.set(v, v);
      for (let i = 0; i < v.length; i++) v[i] = visit(v[i], depth + 1);
      return v;
    }
    if (v instanceof NumpyArray) {
      done.set(v, v);
      if (v.dtype === '|O') {
        const items = v.values as unknown[];
        for (let i = 0; i < items.length; i++) items[i] = visit(items[i], depth + 1);
      }
      return v;
    }
    if (v instanceof PickledDType) {
      // A bare dtype as a value: its numpy type string is the useful part.
      const s = descrStr(v.descr);
      done.set(v, s);
      return s;
    }
    if (v instanceof GlobalRef) throw new SpikewireError('UNSUPPORTED', `pickle holds the global ${v.fullName} itself as a value`);
    return v;
  };
  return visit(root, 0);
}

/**
 * A copy of an unpickled value with every {@link NumpyArray} replaced by the plain values that
 * SpikeInterface's JSON dumps hold for it, in the form channel properties use: 1-D numbers as typed
 * arrays (int64 as numbers when safe), strings / bools / objects as arrays, 2-D and up as rows, 0-d
 * arrays as their scalar. Use it to hand a dump_to_pickle dict to code that expects the JSON form.
 * Shared references stay shared; tuples stay marked.
 */
export function numpyToPlain(value: unknown): unknown {
  const done = new Map<object, unknown>();
  const visit = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (done.has(v)) return done.get(v);
    if (v instanceof NumpyArray) {
      const plain = columnValues(v);
      const out = v.shape.length === 0 ? (plain as ArrayLike<unknown>)[0] : plain;
      done.set(v, out);
      if (Array.isArray(out)) for (let i = 0; i < out.length; i++) out[i] = visit(out[i]);
      return typeof out === 'bigint' && Number.isSafeInteger(Number(out)) ? Number(out) : out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = isTuple(v) ? markTuple([]) : [];
      done.set(v, out);
      for (const x of v) out.push(visit(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      done.set(v, out);
      for (const [k, x] of v) out.set(k, visit(x));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      done.set(v, out);
      for (const x of v) out.add(visit(x));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    done.set(v, out);
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: visit(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return visit(value);
}

// ---------------------------------------------------------------------------------------------------
// Writing

/** Options of {@link pickle}. */
export interface PickleOptions {
  /** Pickle protocol: 4 (default, what SpikeInterface's dump_to_pickle and numpy's np.save write) or 3. */
  protocol?: 3 | 4;
  /**
   * The module numpy's array globals are named from: 'numpy._core' (numpy 2, default; numpy 1.26
   * reads it too) or 'numpy.core' (numpy 1.x).
   */
  numpyCore?: 'numpy._core' | 'numpy.core';
}

const FRAME_SIZE_TARGET = 64 * 1024;
const FRAME_SIZE_MIN = 4;
const BATCH_SIZE = 1000;

/**
 * Writes `value` as a Python pickle (protocol 4 by default) that Python and SpikeInterface load:
 * - null / undefined → None (undefined object members are left out); boolean → bool; safe-integer
 *   numbers and bigints → int; other numbers and {@link PyFloat} → float; string → str;
 *   Uint8Array → bytes;
 * - arrays → list, or tuple when marked ({@link tuple}, {@link isTuple}); plain objects and Maps →
 *   dict; Sets → set (protocol 4);
 * - {@link NumpyArray} and the other typed arrays → numpy arrays, written as numpy's own pickles
 *   are (`numpy._core.multiarray._reconstruct` + `numpy.dtype` + BUILD states);
 * - anything else → `INVALID_ARGUMENT`.
 *
 * The bytes follow CPython's C pickler: the same opcodes, memo, batches and frames. Python memoizes
 * by object identity, which JavaScript strings do not have; equal strings are written once and then
 * referenced, which Python reads back as the same values.
 */
export function pickle(value: unknown, opts: PickleOptions = {}): Uint8Array {
  const protocol = opts.protocol ?? 4;
  if (protocol !== 3 && protocol !== 4) throw new SpikewireError('INVALID_ARGUMENT', `pickle protocol ${describe(protocol)}: expected 3 or 4`);
  const core = opts.numpyCore ?? 'numpy._core';
  if (core !== 'numpy._core' && core !== 'numpy.core') throw new SpikewireError('INVALID_ARGUMENT', `numpyCore ${describe(core)}: expected 'numpy._core' or 'numpy.core'`);
  return new Pickler(protocol, core).dump(value);
}

class Pickler {
  private buf = new Uint8Array(256);
  private len = 0;
  private framing = false;
  private frameStart = -1;
  private memoSize = 0;
  private readonly objMemo = new Map<object, number>();
  private readonly strMemo = new Map<string, number>();
  private readonly globalStrMemo = new Map<string, number>();
  private readonly globalMemo = new Map<string, number>();
  private readonly dtypeMemo = new Map<string, number>();
  private readonly smallBytesMemo = new Map<number, number>();
  private readonly tuplesInProgress = new Set<object>();

  constructor(private readonly proto: 3 | 4, private readonly core: string) {}

  dump(value: unknown): Uint8Array {
    this.raw([0x80, this.proto]);
    if (this.proto >= 4) this.framing = true;
    this.save(value);
    this.write([0x2e]);
    this.commitFrame();
    return this.buf.slice(0, this.len);
  }

  // --- output and frames (CPython's _Pickler_Write / _Pickler_CommitFrame / _Pickler_OpcodeBoundary)

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private raw(bytes: ArrayLike<number>): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  private write(bytes: ArrayLike<number>): void {
    if (this.framing && this.frameStart < 0) {
      // Reserve the 9-byte FRAME header; it is filled in (or dropped) when the frame is committed.
      this.frameStart = this.len;
      this.ensure(9);
      this.len += 9;
    }
    this.raw(bytes);
  }

  private commitFrame(): void {
    if (this.frameStart < 0) return;
    const size = this.len - this.frameStart - 9;
    if (size >= FRAME_SIZE_MIN) {
      this.buf[this.frameStart] = 0x95;
      new DataView(this.buf.buffer).setBigUint64(this.frameStart + 1, BigInt(size), true);
    } else {
      this.buf.copyWithin(this.frameStart, this.frameStart + 9, this.len);
      this.len -= 9;
    }
    this.frameStart = -1;
  }

  private opcodeBoundary(): void {
    if (this.framing && this.frameStart >= 0 && this.len - this.frameStart - 9 >= FRAME_SIZE_TARGET) this.commitFrame();
  }

  /** A header plus payload; payloads of a frame's size or more go outside any frame, as CPython does. */
  private writeBytes(header: ArrayLike<number>, payload: Uint8Array): void {
    if (this.framing && payload.length >= FRAME_SIZE_TARGET) {
      this.commitFrame();
      this.framing = false;
      this.write(header);
      this.raw(payload);
      this.framing = true;
      return;
    }
    this.write(header);
    this.write(payload);
  }

  // --- memo

  private memoize(): number {
    const index = this.memoSize++;
    if (this.proto >= 4) this.write([0x94]);
    else if (index < 256) this.write([0x71, index]);
    else this.write([0x72, ...u32(index)]);
    return index;
  }

  private get(index: number): void {
    if (index < 256) this.write([0x68, index]);
    else this.write([0x6a, ...u32(index)]);
  }

  // --- values

  private save(v: unknown): void {
    this.saveValue(v);
    this.opcodeBoundary();
  }

  private saveValue(v: unknown): void {
    if (v === null || v === undefined) return this.write([0x4e]);
    if (v === true) return this.write([0x88]);
    if (v === false) return this.write([0x89]);
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return this.saveFloat(v);
      return v >= -0x80000000 && v <= 0x7fffffff ? this.saveSmallInt(v) : this.saveInt(BigInt(v));
    }
    if (typeof v === 'bigint') return this.saveInt(v);
    if (v instanceof PyFloat) return this.saveFloat(v.value);
    if (typeof v === 'string') return this.saveStr(v, this.strMemo);
    if (typeof v !== 'object') throw new SpikewireError('INVALID_ARGUMENT', `cannot pickle ${describe(v)} (${typeof v})`);
    const seen = this.objMemo.get(v);
    if (seen !== undefined) return this.get(seen);
    if (v instanceof Uint8Array) return this.saveBytes(v, v);
    if (v instanceof NumpyArray) return this.saveArray(v, v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const code = numericCodeOf(v);
      if (!code) throw new SpikewireError('INVALID_ARGUMENT', `cannot pickle a ${v.constructor.name}`);
      const dtype = `${code.endsWith('1') ? '|' : '<'}${code}`;
      const values = v as unknown as NpyValues;
      return this.saveArray(new NumpyArray(dtype, [(values as ArrayLike<unknown>).length], values), v);
    }
    if (Array.isArray(v)) return isTuple(v) ? this.saveTuple(v) : this.saveList(v);
    if (v instanceof Map) return this.saveDict([...v.entries()], v);
    if (v instanceof Set) return this.saveSet(v);
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      return this.saveDict(entries, v);
    }
    throw new SpikewireError('INVALID_ARGUMENT', `cannot pickle a ${describe(v)}: expected plain data (objects, arrays, Maps, numbers, strings, typed arrays, NumpyArray)`);
  }

  /** BININT1 / BININT2 / BININT for a number in the int32 range. */
  private saveSmallInt(n: number): void {
    if (n >= 0 && n <= 0xff) return this.write([0x4b, n]);
    if (n >= 0 && n <= 0xffff) return this.write([0x4d, n & 0xff, n >> 8]);
    return this.write([0x4a, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]);
  }

  private saveInt(v: bigint): void {
    if (v >= -(2n ** 31n) && v < 2n ** 31n) return this.saveSmallInt(Number(v));
    // LONG1 / LONG4: little-endian two's complement, as short as Python makes it.
    const abs = v < 0n ? -v : v;
    let nbytes = (abs.toString(2).length >> 3) + 1;
    const wrapped = BigInt.asUintN(nbytes * 8, v);
    const bytes: number[] = [];
    for (let i = 0; i < nbytes; i++) bytes.push(Number((wrapped >> BigInt(8 * i)) & 0xffn));
    if (v < 0n && nbytes > 1 && bytes[nbytes - 1] === 0xff && (bytes[nbytes - 2] & 0x80) !== 0) {
      bytes.pop();
      nbytes--;
    }
    if (nbytes < 256) this.write([0x8a, nbytes, ...bytes]);
    else this.writeBytes([0x8b, ...u32(nbytes)], Uint8Array.from(bytes));
  }

  private readonly floatBytes = new Uint8Array(9);
  private readonly floatView = new DataView(this.floatBytes.buffer);

  private saveFloat(v: number): void {
    this.floatBytes[0] = 0x47;
    this.floatView.setFloat64(1, v, false);
    this.write(this.floatBytes);
  }

  private saveStr(s: string, memo: Map<string, number> | undefined): void {
    const seen = memo?.get(s);
    if (seen !== undefined) return this.get(seen);
    const data = encodeUtf8(s);
    if (this.proto >= 4 && data.length <= 0xff) this.writeBytes([0x8c, data.length], data);
    else if (data.length > 0xffffffff) this.writeBytes([0x8d, ...u64(data.length)], data);
    else this.writeBytes([0x58, ...u32(data.length)], data);
    const index = this.memoize();
    memo?.set(s, index);
  }

  private saveBytes(b: Uint8Array, identity: object | undefined): void {
    // CPython shares one object for b'' and for each one-byte bytes value.
    if (b.length <= 1) {
      const key = b.length === 0 ? -1 : b[0];
      const seen = this.smallBytesMemo.get(key);
      if (seen !== undefined) return this.get(seen);
    }
    if (b.length <= 0xff) this.writeBytes([0x43, b.length], b);
    else if (b.length > 0xffffffff && this.proto >= 4) this.writeBytes([0x8e, ...u64(b.length)], b);
    else this.writeBytes([0x42, ...u32(b.length)], b);
    const index = this.memoize();
    if (b.length <= 1) this.smallBytesMemo.set(b.length === 0 ? -1 : b[0], index);
    if (identity) this.objMemo.set(identity, index);
  }

  private saveTuple(items: readonly unknown[], identity?: object): void {
    if (items.length === 0) return this.write([0x29]);
    const key = identity ?? items;
    if (this.tuplesInProgress.has(key)) throw new SpikewireError('INVALID_ARGUMENT', 'cannot pickle a tuple that contains itself');
    this.tuplesInProgress.add(key);
    if (items.length <= 3 && this.proto >= 2) {
      for (const x of items) this.save(x);
      this.write([0x84 + items.length]);
    } else {
      this.write([0x28]);
      for (const x of items) this.save(x);
      this.write([0x74]);
    }
    this.tuplesInProgress.delete(key);
    this.objMemo.set(key, this.memoize());
  }

  private saveList(items: readonly unknown[], identity: object | undefined = items): void {
    this.write([0x5d]);
    const index = this.memoize();
    if (identity) this.objMemo.set(identity, index);
    if (items.length === 1) {
      this.save(items[0]);
      this.write([0x61]);
      return;
    }
    for (let start = 0; start < items.length; start += BATCH_SIZE) {
      this.write([0x28]);
      for (let i = start; i < Math.min(items.length, start + BATCH_SIZE); i++) this.save(items[i]);
      this.write([0x65]);
    }
  }

  private saveDict(entries: readonly (readonly [unknown, unknown])[], identity: object | undefined): void {
    this.write([0x7d]);
    const index = this.memoize();
    if (identity) this.objMemo.set(identity, index);
    if (entries.length === 0) return;
    if (entries.length === 1) {
      this.save(entries[0][0]);
      this.save(entries[0][1]);
      this.write([0x73]);
      return;
    }
    // CPython's batch_dict_exact: batches of 1000, and an empty last batch when the size is a multiple.
    let i = 0;
    let inBatch: number;
    do {
      inBatch = 0;
      this.write([0x28]);
      while (i < entries.length) {
        this.save(entries[i][0]);
        this.save(entries[i][1]);
        i++;
        if (++inBatch === BATCH_SIZE) break;
      }
      this.write([0x75]);
    } while (inBatch === BATCH_SIZE);
  }

  private saveSet(set: Set<unknown>): void {
    if (this.proto < 4) throw new SpikewireError('INVALID_ARGUMENT', 'sets need pickle protocol 4');
    this.write([0x8f]);
    this.objMemo.set(set, this.memoize());
    const items = [...set];
    if (items.length === 0) return;
    let i = 0;
    let inBatch: number;
    do {
      inBatch = 0;
      this.write([0x28]);
      while (i < items.length) {
        this.save(items[i++]);
        if (++inBatch === BATCH_SIZE) break;
      }
      this.write([0x90]);
    } while (inBatch === BATCH_SIZE);
  }

  /** A global (module.name) as CPython writes it, memoized so later uses are BINGETs. */
  private saveGlobal(module: string, name: string): void {
    const full = `${module}.${name}`;
    const seen = this.globalMemo.get(full);
    if (seen !== undefined) {
      this.get(seen);
      this.opcodeBoundary();
      return;
    }
    if (this.proto >= 4) {
      // The module and name strings are objects of their own in CPython, apart from data strings.
      this.saveStr(module, this.globalStrMemo);
      this.opcodeBoundary();
      this.saveStr(name, this.globalStrMemo);
      this.opcodeBoundary();
      this.write([0x93]);
    } else {
      this.write([0x63, ...encodeUtf8(`${module}\n${name}\n`)]);
    }
    this.globalMemo.set(full, this.memoize());
    this.opcodeBoundary();
  }

  /** A fresh tuple (never shared), saved item by item, as numpy builds its reduce tuples. */
  private freshTuple(items: (() => void)[]): void {
    if (items.length === 0) {
      this.write([0x29]);
      this.opcodeBoundary();
      return;
    }
    if (items.length <= 3) {
      for (const item of items) item();
      this.write([0x84 + items.length]);
    } else {
      this.write([0x28]);
      for (const item of items) item();
      this.write([0x74]);
    }
    this.memoize();
    this.opcodeBoundary();
  }

  private atom(v: unknown): () => void {
    return () => this.save(v);
  }

  private freshStr(s: string): () => void {
    return () => {
      this.saveStr(s, undefined);
      this.opcodeBoundary();
    };
  }

  // numpy's ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, is_fortran, data).
  private saveArray(arr: NumpyArray, identity: object): void {
    const what = `pickling a numpy array of ${describe(arr.dtype)}`;
    const d = descrFrom(arr.dtype, arr.fields, what);
    if ((d.kind === 'M' || d.kind === 'm') && !d.fields) throw new SpikewireError('UNSUPPORTED', `${what}: datetime arrays are not written to pickles`);
    if (hasObject(d) && d.kind !== 'O') throw new SpikewireError('UNSUPPORTED', `${what}: structured arrays with object fields are not written`);
    const shape = [...arr.shape];
    if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new SpikewireError('INVALID_ARGUMENT', `${what}: shape ${describe(shape)} is not a list of sizes`);
    const count = elementCount(shape);
    const flat = flatValues(arr.values as ArrayLike<unknown>, shape);
    if (flat.length !== count * (d.kind === 'c' ? 2 : 1)) {
      throw new SpikewireError('INVALID_ARGUMENT', `${what}: ${flat.length} values for shape ${JSON.stringify(shape)}`);
    }
    // numpy calls an array Fortran-ordered only when it is not also C-contiguous.
    const fortran = arr.fortranOrder && count > 0 && shape.filter((n) => n > 1).length >= 2;

    this.saveGlobal(`${this.core}.multiarray`, '_reconstruct');
    this.freshTuple([
      () => this.saveGlobal('numpy', 'ndarray'),
      () => this.freshTuple([this.atom(0)]),
      () => {
        this.saveBytes(Uint8Array.of(0x62), undefined);
        this.opcodeBoundary();
      },
    ]);
    this.write([0x52]);
    this.objMemo.set(identity, this.memoize());
    this.freshTuple([
      this.atom(1),
      () => this.freshTuple(shape.map((n) => this.atom(n))),
      () => this.saveDType(d),
      this.atom(fortran),
      () => {
        if (d.kind === 'O') {
          this.saveList(Array.from(flat), undefined);
        } else {
          const ordered = fortran ? reorder(flat, shape, false, d.kind === 'c' ? 2 : 1) : flat;
          this.saveBytes(encodeValues(d, ordered, count, what), undefined);
        }
        this.opcodeBoundary();
      },
    ]);
    this.write([0x62]);
  }

  // numpy's dtype.__reduce__: numpy.dtype('f8', False, True) then BUILD (3, endian, subarray, names,
  // fields, elsize, alignment, flags). Built-in dtypes are singletons in numpy, so they are memoized.
  private saveDType(d: Descr, subarray?: { shape: readonly number[] }): void {
    const flexible = d.kind === 'U' || d.kind === 'S' || d.kind === 'V' || d.fields !== undefined;
    const key = descrStr(d);
    const shared = !flexible && !subarray && d.order !== '>';
    if (shared) {
      const seen = this.dtypeMemo.get(key);
      if (seen !== undefined) {
        this.get(seen);
        this.opcodeBoundary();
        return;
      }
    }
    const size = subarray ? d.size * elementCount(subarray.shape) : d.size;
    const spec = subarray ? `V${size}` : d.kind === 'U' ? `U${d.size / 4}` : d.kind === 'M' || d.kind === 'm' ? `${d.kind}8` : `${d.kind}${d.size}`;
    this.saveGlobal('numpy', 'dtype');
    this.freshTuple([this.freshStr(spec), this.atom(false), this.atom(true)]);
    this.write([0x52]);
    const index = this.memoize();
    if (shared) this.dtypeMemo.set(key, index);
    const endian = subarray || d.fields ? '|' : d.order;
    const named = d.fields?.filter((f) => f.name !== '');
    this.freshTuple([
      this.atom(3),
      this.atom(endian),
      subarray
        ? () => this.freshTuple([() => this.saveDType(d), () => this.freshTuple(subarray.shape.map((n) => this.atom(n)))])
        : this.atom(null),
      named ? () => this.freshTuple(named.map((f) => this.atom(f.name))) : this.atom(null),
      named
        ? () => {
            this.write([0x7d]);
            this.memoize();
            const entries = named.map((f) => () => {
              this.save(f.name);
              this.freshTuple([() => (f.shape.length ? this.saveDType(f.descr, { shape: f.shape }) : this.saveDType(f.descr)), this.atom(f.offset)]);
            });
            if (entries.length === 1) {
              entries[0]();
              this.write([0x73]);
            } else if (entries.length > 1) {
              for (let s = 0, n = 0; ; ) {
                this.write([0x28]);
                for (n = 0; s < entries.length && n < BATCH_SIZE; n++) entries[s++]();
                this.write([0x75]);
                if (n < BATCH_SIZE) break;
              }
            }
            this.opcodeBoundary();
          }
        : this.atom(null),
      this.atom(flexible || subarray ? size : -1),
      this.atom(flexible || subarray ? alignmentOf(d) : -1),
      this.atom(flagsOf(d)),
    ]);
    this.write([0x62]);
    this.opcodeBoundary();
  }
}

function alignmentOf(d: Descr): number {
  if (d.fields) return 1; // packed (align=False) structs, as np.dtype(list) and .npy descrs build them
  switch (d.kind) {
    case 'U':
      return 4;
    case 'S':
    case 'V':
    case 'b':
      return 1;
    case 'c':
      return d.size / 2;
    default:
      return d.size;
  }
}

// numpy's dtype flags: object 63 (refcounted, list-pickled, ...); strings need zero-initialising (8);
// structs take the flags of their fields.
function flagsOf(d: Descr): number {
  if (d.fields) return d.fields.reduce((acc, f) => acc | (flagsOf(f.descr) & (0x01 | 0x02 | 0x08 | 0x10)), 0);
  if (d.kind === 'O') return 63;
  if (d.kind === 'U' || d.kind === 'S') return 8;
  return 0;
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

function u64(n: number): number[] {
  return [...u32(n >>> 0), ...u32(Math.floor(n / 2 ** 32))];
}

export { NumpyArray };

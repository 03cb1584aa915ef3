import { SpikewireError, describe } from './errors.js';

/** The sample types spikewire reads and writes. */
export type DType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** Any of the typed arrays that hold samples of a {@link DType}. */
export type TypedArray =
  | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** The typed array that holds samples of `D` (a union for a union of dtypes). */
export interface TypedArrayByDType {
  int8: Int8Array;
  uint8: Uint8Array;
  int16: Int16Array;
  uint16: Uint16Array;
  int32: Int32Array;
  uint32: Uint32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** The typed array of samples of `D`: `TypedArrayOf<'int16'>` is `Int16Array`. */
export type TypedArrayOf<D extends DType> = TypedArrayByDType[D];

/**
 * The dtype of the samples a typed array holds: `DTypeOf<Int16Array>` is `'int16'` (typed arrays differ
 * by their `Symbol.toStringTag`, so each matches one branch).
 */
export type DTypeOf<A extends TypedArray> =
  A extends Int8Array ? 'int8' : A extends Uint8Array ? 'uint8' : A extends Int16Array ? 'int16' : A extends Uint16Array ? 'uint16'
    : A extends Int32Array ? 'int32' : A extends Uint32Array ? 'uint32' : A extends Float32Array ? 'float32' : 'float64';

/** The constructor of a {@link TypedArray}. */
export type TypedArrayConstructor =
  | Int8ArrayConstructor | Uint8ArrayConstructor | Int16ArrayConstructor | Uint16ArrayConstructor
  | Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

interface DTypeInfo {
  readonly ctor: TypedArrayConstructor;
  /** numpy's little-endian type string (`dtype.str`). */
  readonly numpy: string;
  readonly size: number;
  readonly kind: 'i' | 'u' | 'f';
  /** The code the WebAssembly kernel uses for this type. */
  readonly code: number;
}

// The one place where dtype names meet typed-array constructors, numpy strings and kernel codes.
const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  int8: { ctor: Int8Array, numpy: '|i1', size: 1, kind: 'i', code: 0 },
  uint8: { ctor: Uint8Array, numpy: '|u1', size: 1, kind: 'u', code: 1 },
  int16: { ctor: Int16Array, numpy: '<i2', size: 2, kind: 'i', code: 2 },
  uint16: { ctor: Uint16Array, numpy: '<u2', size: 2, kind: 'u', code: 3 },
  int32: { ctor: Int32Array, numpy: '<i4', size: 4, kind: 'i', code: 4 },
  uint32: { ctor: Uint32Array, numpy: '<u4', size: 4, kind: 'u', code: 5 },
  float32: { ctor: Float32Array, numpy: '<f4', size: 4, kind: 'f', code: 6 },
  float64: { ctor: Float64Array, numpy: '<f8', size: 8, kind: 'f', code: 7 },
};

/** Every {@link DType} name, in kernel-code order. */
export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];

/** True when `name` is one of spikewire's {@link DType} names. */
export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name);
}

function info(dtype: DType): DTypeInfo {
  if (!isDType(dtype)) {
    throw new SpikewireError('INVALID_ARGUMENT', `unknown dtype ${describe(dtype)}: expected one of ${DTYPE_NAMES.join(', ')}`);
  }
  return DTYPES[dtype];
}

/** Bytes per sample of `dtype`. */
export const itemSize = (dtype: DType): number => info(dtype).size;
/** The typed-array constructor that holds `dtype`. */
export const arrayType = (dtype: DType): TypedArrayConstructor => info(dtype).ctor;
/** numpy's `dtype.str` for `dtype` (little-endian). */
export const numpyDTypeString = (dtype: DType): string => info(dtype).numpy;
/** The kernel's numeric code for `dtype`. */
export const kernelCode = (dtype: DType): number => info(dtype).code;
/** True for float32 / float64. */
export const isFloat = (dtype: DType): boolean => info(dtype).kind === 'f';

/** The {@link DType} of a typed array, or an `INVALID_ARGUMENT` error for anything else. */
export function dtypeOf(array: unknown): DType {
  for (const name of DTYPE_NAMES) if (array instanceof DTYPES[name].ctor) return name;
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `expected a typed array of samples (Int8Array … Float64Array), got ${describe(array)}`,
  );
}

/** A new typed array of `dtype` with `length` elements. */
export function allocate(dtype: DType, length: number): TypedArray {
  return new (arrayType(dtype))(length);
}

/** Any typed array that holds numpy numbers: the sample types plus the 64-bit integer arrays. */
export type NumericArray = TypedArray | BigInt64Array | BigUint64Array;

/** The constructor of a {@link NumericArray}. */
export type NumericArrayConstructor = TypedArrayConstructor | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

// numpy kind + item size ('i2', 'u8', 'f4') -> typed array, derived from DTYPES so the sample types
// stay defined in one table; int64 / uint64 exist only here because samples are never 64-bit ints.
const NUMERIC_BY_CODE: ReadonlyMap<string, NumericArrayConstructor> = new Map<string, NumericArrayConstructor>([
  ...DTYPE_NAMES.map((name) => [DTYPES[name].numpy.slice(1), DTYPES[name].ctor] as [string, NumericArrayConstructor]),
  ['i8', BigInt64Array],
  ['u8', BigUint64Array],
]);

/**
 * The typed-array constructor for a numpy numeric type code without byte order (`'i2'`, `'u8'`,
 * `'f4'`: kind + item size), or undefined when no typed array holds that type (float16, complex, ...).
 */
export function numericArrayType(code: string): NumericArrayConstructor | undefined {
  return NUMERIC_BY_CODE.get(code);
}

/** The numpy type code (`'f8'`, `'i8'`, ...) of a typed array, or undefined for other values. */
export function numericCodeOf(array: unknown): string | undefined {
  for (const [code, ctor] of NUMERIC_BY_CODE) if (array instanceof ctor) return code;
  return undefined;
}

/** numpy's little-endian `dtype.str` (`'<f8'`, `'|u1'`, `'<i8'`) of a typed array, or undefined for other values. */
export function numericDTypeString(array: unknown): string | undefined {
  const code = numericCodeOf(array);
  return code === undefined ? undefined : `${code.endsWith('1') ? '|' : '<'}${code}`;
}

/** A sample type with its byte order, as read from a numpy type string such as `'<i2'` or `'>f4'`. */
export interface ParsedDType {
  /** The sample type. */
  readonly dtype: DType;
  /** Byte order of the samples in the file: true for little-endian (and for one-byte types). */
  readonly littleEndian: boolean;
  /** numpy's `dtype.str` for it: `'<i2'`, `'>f4'`, `'|u1'`. */
  readonly numpy: string;
}

// numpy kind + item size ('i2') -> DType, from the table above
const BY_CODE: ReadonlyMap<string, DType> = new Map(DTYPE_NAMES.map((name) => [DTYPES[name].numpy.slice(1), name]));
// A few other numpy spellings of the same types.
const ALIASES: Readonly<Record<string, DType>> = {
  b: 'int8', B: 'uint8', h: 'int16', H: 'uint16', f: 'float32', d: 'float64',
  single: 'float32', double: 'float64', float: 'float64', byte: 'int8', ubyte: 'uint8', short: 'int16', ushort: 'uint16',
};

function numpyString(dtype: DType, littleEndian: boolean): string {
  const { numpy, size } = DTYPES[dtype];
  return size === 1 || littleEndian ? numpy : `>${numpy.slice(1)}`;
}

/**
 * Parses a sample type given as one of spikewire's names (`'int16'`) or as a numpy type string with
 * or without byte order (`'<i2'`, `'>f4'`, `'|u1'`, `'=i2'`, `'i2'`). `=` and no prefix mean the
 * native order, which is little-endian on every platform spikewire runs on. Anything else is an
 * `INVALID_ARGUMENT` error that names the value and lists the accepted forms.
 */
export function parseDTypeString(value: unknown): ParsedDType {
  if (isDType(value)) return { dtype: value, littleEndian: true, numpy: numpyString(value, true) };
  if (typeof value === 'string') {
    const text = value.trim();
    // Own keys only: a dtype of '__proto__' or 'constructor' must not find Object.prototype's members.
    const alias = Object.hasOwn(ALIASES, text) ? ALIASES[text] : undefined;
    if (alias) return { dtype: alias, littleEndian: true, numpy: numpyString(alias, true) };
    const m = /^([<>=|]?)([iuf])(\d+)$/.exec(text);
    if (m) {
      const code = `${m[2]}${m[3]}`;
      const dtype = BY_CODE.get(code);
      if (dtype) {
        const littleEndian = m[1] !== '>' || m[3] === '1';
        return { dtype, littleEndian, numpy: numpyString(dtype, littleEndian) };
      }
    }
  }
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `dtype ${describe(value)} is not a sample type spikewire reads: expected one of ${DTYPE_NAMES.join(', ')}, ` +
      `or a numpy type string such as '<i2', '>f4', '|u1', '=i4', 'f8' (byte order < > = |, kinds i u f, sizes i1 i2 i4 u1 u2 u4 f4 f8)`,
  );
}

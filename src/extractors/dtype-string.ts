import { DTYPE_NAMES, isDType, type DType } from '../dtype.js';
import { SpikewireError, describe } from '../errors.js';

/** A sample type with its byte order, as read from a numpy type string such as `'<i2'` or `'>f4'`. */
export interface ParsedDType {
  /** The sample type. */
  readonly dtype: DType;
  /** Byte order of the samples in the file: true for little-endian (and for one-byte types). */
  readonly littleEndian: boolean;
  /** numpy's `dtype.str` for it: `'<i2'`, `'>f4'`, `'|u1'`. */
  readonly numpy: string;
}

// numpy kind + item size -> DType
const BY_CODE: Readonly<Record<string, DType>> = {
  i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', f4: 'float32', f8: 'float64',
};
const CODE_OF: Readonly<Record<DType, string>> = {
  int8: 'i1', uint8: 'u1', int16: 'i2', uint16: 'u2', int32: 'i4', uint32: 'u4', float32: 'f4', float64: 'f8',
};
// A few other numpy spellings of the same types.
const ALIASES: Readonly<Record<string, DType>> = {
  b: 'int8', B: 'uint8', h: 'int16', H: 'uint16', f: 'float32', d: 'float64',
  single: 'float32', double: 'float64', float: 'float64', byte: 'int8', ubyte: 'uint8', short: 'int16', ushort: 'uint16',
};

function numpyString(dtype: DType, littleEndian: boolean): string {
  const code = CODE_OF[dtype];
  return `${code.endsWith('1') ? '|' : littleEndian ? '<' : '>'}${code}`;
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
      const dtype = Object.hasOwn(BY_CODE, code) ? BY_CODE[code] : undefined;
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

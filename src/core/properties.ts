import { SpikewireError, describe } from '../errors.js';
import { numericDTypeString, type TypedArray } from '../dtype.js';

/** numpy's dtype kinds, which drive SpikeInterface's missing-value rules. */
export type PropertyKind = 'f' | 'i' | 'u' | 'b' | 'U' | 'O';

/**
 * One channel's value of a property, as {@link BaseRecording.splitBy} keys its groups: a number
 * (int64 ones as numbers), a string, a boolean or null; a row of a 2-D property or an object value
 * is its own key (by identity).
 */
export type PropertyValue = number | string | boolean | null | object;

/** The values of one property: a typed array for numbers, a plain array otherwise (rows for 2-D). */
export type PropertyValues = TypedArray | BigInt64Array | BigUint64Array | unknown[];

/** One channel property: its values and the numpy dtype they stand for. */
export interface PropertyColumn {
  /** numpy `dtype.str`: '<f8', '<i8', '|b1', '<U5', '|O', ... */
  readonly dtype: string;
  readonly kind: PropertyKind;
  /** [numChannels] or [numChannels, k] for 2-D properties (rows are arrays). */
  readonly shape: readonly number[];
  readonly values: PropertyValues;
}

// SpikeInterface fills channels that a partial set_property leaves out with these, by dtype kind;
// other kinds (int, bool) need an explicit missing value.
const DEFAULT_MISSING: Partial<Record<PropertyKind, unknown>> = { f: NaN, U: '', O: null };

function kindOf(dtype: string): PropertyKind {
  const k = dtype[1];
  if (k === 'f' || k === 'i' || k === 'u' || k === 'b' || k === 'U' || k === 'O') return k;
  return 'O';
}

function isTyped(v: unknown): v is TypedArray | BigInt64Array | BigUint64Array {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function utf32Length(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** The numpy dtype `np.asarray` would give a list of scalar values. */
function inferScalarDType(values: readonly unknown[]): string {
  if (values.length === 0) return '<f8';
  if (values.every((v) => typeof v === 'boolean')) return '|b1';
  if (values.every((v) => typeof v === 'bigint')) return '<i8';
  if (values.every((v) => typeof v === 'number')) {
    return values.every((v) => Number.isInteger(v) && !Object.is(v, -0)) ? '<i8' : '<f8';
  }
  if (values.every((v) => typeof v === 'string')) {
    // A loop, not Math.max(...values): a spread of a long list overflows the call stack.
    let width = 1;
    for (const v of values) width = Math.max(width, utf32Length(v as string));
    return `<U${width}`;
  }
  return '|O';
}

/**
 * Turns what a caller passes to setProperty into a column, as `np.asarray(values)` would: typed arrays
 * keep their type, integers become int64, other numbers float64, strings `<U{n}`, lists of equal-length
 * rows a 2-D property, anything else an object property.
 */
export function toColumn(values: PropertyValues | readonly unknown[], dtypeHint?: string): PropertyColumn {
  if (isTyped(values)) {
    const dtype = dtypeHint ?? numericDTypeString(values)!;
    return { dtype, kind: kindOf(dtype), shape: [values.length], values: values.slice() as PropertyValues };
  }
  const list = Array.from(values as ArrayLike<unknown>);
  const rows = list.length > 0 && list.every((v) => Array.isArray(v) || isTyped(v));
  if (rows) {
    const widths = new Set(list.map((r) => (r as ArrayLike<unknown>).length));
    if (widths.size === 1) {
      const flat = list.flatMap((r) => Array.from(r as ArrayLike<unknown>));
      const dtype = dtypeHint ?? inferScalarDType(flat);
      const width = [...widths][0];
      return { dtype, kind: kindOf(dtype), shape: [list.length, width], values: list.map((r) => Array.from(r as ArrayLike<unknown>)) };
    }
    return { dtype: '|O', kind: 'O', shape: [list.length], values: list };
  }
  const dtype = dtypeHint ?? inferScalarDType(list);
  const kind = kindOf(dtype);
  const stored = kind === 'f' && dtype === '<f8' ? Float64Array.from(list as number[]) : list;
  return { dtype, kind, shape: [list.length], values: stored };
}

function take(values: PropertyValues, indices: ArrayLike<number>): PropertyValues {
  if (isTyped(values)) {
    const ctor = values.constructor as new (n: number) => TypedArray | BigInt64Array | BigUint64Array;
    const out = new ctor(indices.length);
    for (let i = 0; i < indices.length; i++) (out as unknown as unknown[])[i] = (values as unknown as unknown[])[indices[i]];
    return out as PropertyValues;
  }
  return Array.from(indices, (i) => copyValue(values[i]));
}

function copyValue(v: unknown): unknown {
  return Array.isArray(v) ? v.slice() : v;
}

function widerString(a: string, b: string): string {
  // Assigning longer strings into a <U{n} array truncates in numpy; SpikeInterface users rarely rely
  // on it, so keep the wider width instead of losing text.
  const wa = Number(a.slice(2)), wb = Number(b.slice(2));
  return `<U${Math.max(wa, wb)}`;
}

/**
 * Channel properties with SpikeInterface's rules: a full set replaces, a partial set (with ids) fills the
 * other channels with a missing value (NaN for floats, '' for strings, null for objects; ints and bools
 * need one given) and keeps the dtype kind of an existing property.
 */
export class PropertyStore {
  private readonly columns = new Map<string, PropertyColumn>();

  constructor(private readonly size: () => number) {}

  /** Sets `key` for all channels (`indices` undefined) or for the channels at `indices`. */
  set(key: string, values: PropertyValues | readonly unknown[] | null | undefined, indices?: Int32Array, missingValue?: unknown): void {
    if (typeof key !== 'string' || key === '') {
      throw new SpikewireError('INVALID_ARGUMENT', `property key ${describe(key)} must be a non-empty string`);
    }
    if (values === null || values === undefined) {
      this.columns.delete(key);
      return;
    }
    if (typeof values !== 'object' || typeof (values as ArrayLike<unknown>).length !== 'number') {
      // A string would otherwise become one value per character.
      throw new SpikewireError('INVALID_ARGUMENT', `property ${describe(key)} must be an array or a typed array (one value per channel), got ${describe(values)}`);
    }
    const incoming = toColumn(values);
    const n = this.size();
    if (indices === undefined) {
      if (incoming.shape[0] !== n) {
        throw new SpikewireError(
          'INVALID_ARGUMENT',
          `property ${describe(key)} has ${incoming.shape[0]} values, expected ${n} (one per channel)`,
        );
      }
      this.columns.set(key, incoming);
      return;
    }
    if (incoming.shape[0] !== indices.length) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `property ${describe(key)} has ${incoming.shape[0]} values for ${indices.length} ids: expected one value per id`,
      );
    }
    if (new Set(indices).size !== indices.length) {
      throw new SpikewireError('INVALID_ARGUMENT', `ids given for property ${describe(key)} are not unique`);
    }
    let base = this.columns.get(key);
    if (!base || indices.length === n) {
      if (indices.length < n) {
        let fill = missingValue;
        if (fill === undefined || fill === null) {
          if (!(incoming.kind in DEFAULT_MISSING)) {
            throw new SpikewireError(
              'INVALID_ARGUMENT',
              `property ${describe(key)} is set on ${indices.length} of ${n} channels and its values are ${incoming.dtype}: ` +
                'for dtypes other than float, string or object the missing value cannot be inferred; pass missingValue',
            );
          }
          fill = DEFAULT_MISSING[incoming.kind];
        } else if (toColumn([fill]).kind !== incoming.kind && !(incoming.kind === 'f' && typeof fill === 'number')) {
          throw new SpikewireError(
            'INVALID_ARGUMENT',
            `missingValue ${describe(fill)} does not match the ${incoming.dtype} values of property ${describe(key)}`,
          );
        }
        base = fillColumn(incoming, n, fill);
      } else {
        base = fillColumn(incoming, n, undefined);
      }
    } else if (base.kind !== incoming.kind && !(base.kind === 'f' && (incoming.kind === 'i' || incoming.kind === 'u'))) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `property ${describe(key)} holds ${base.dtype} values; the new values are ${incoming.dtype}`,
      );
    } else if (base.kind === 'U' && incoming.kind === 'U') {
      base = { ...base, dtype: widerString(base.dtype, incoming.dtype) };
    }
    const target = base.values as unknown[];
    const source = incoming.values as unknown[];
    for (let i = 0; i < indices.length; i++) target[indices[i]] = copyValue(source[i]);
    this.columns.set(key, base);
  }

  /** Sets a column as it is (already checked), e.g. one copied from another recording. */
  setColumn(key: string, column: PropertyColumn): void {
    this.columns.set(key, column);
  }

  /** The column of `key`, or undefined. */
  column(key: string): PropertyColumn | undefined {
    return this.columns.get(key);
  }

  /** A copy of the values of `key` (all channels, or those at `indices`). */
  get(key: string, indices?: ArrayLike<number>): PropertyValues | undefined {
    const col = this.columns.get(key);
    if (!col) return undefined;
    if (indices === undefined) return isTyped(col.values) ? (col.values.slice() as PropertyValues) : col.values.map(copyValue);
    return take(col.values, indices);
  }

  /** The column restricted to `indices`, for views that keep a subset of channels. */
  sliceColumn(key: string, indices: ArrayLike<number>): PropertyColumn | undefined {
    const col = this.columns.get(key);
    if (!col) return undefined;
    return { ...col, shape: [indices.length, ...col.shape.slice(1)], values: take(col.values, indices) };
  }

  /** Property names in insertion order, as SpikeInterface lists them. */
  keys(): string[] {
    return [...this.columns.keys()];
  }

  has(key: string): boolean {
    return this.columns.has(key);
  }

  /** Removes `key`; `INVALID_ARGUMENT` when it is not a property. */
  delete(key: string): void {
    if (!this.columns.delete(key)) {
      throw new SpikewireError('INVALID_ARGUMENT', `${describe(key)} is not a property key; keys are ${describe(this.keys())}`);
    }
  }
}

function fillColumn(incoming: PropertyColumn, n: number, fill: unknown): PropertyColumn {
  const { values } = incoming;
  let out: PropertyValues;
  if (isTyped(values)) {
    const ctor = values.constructor as new (n: number) => TypedArray;
    out = new ctor(n) as PropertyValues;
    if (fill !== undefined) (out as TypedArray).fill(fill as never);
  } else {
    const width = incoming.shape[1];
    out = Array.from({ length: n }, () => (width !== undefined ? new Array(width).fill(fill) : fill));
  }
  return { ...incoming, shape: [n, ...incoming.shape.slice(1)], values: out };
}

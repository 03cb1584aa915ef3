// ProbeInterface's Probe: the geometry of one probe (contacts, their shapes and planes, the probe's
// contour), its wiring to a device and its annotations. Semantics and dict keys follow ProbeInterface
// 0.3.2 (the version that wrote the fixtures); method names are its snake_case names in camelCase.
import { SpikewireError, describe, type SpikewireErrorCode } from '../errors.js';
import { floatRepr } from '../python/pyjson.js';
import {
  cloneJson,
  containsFloat,
  isParsedText,
  isPyFloat,
  markAllFloat,
  markAllNumbersFloat,
  markFloat,
  setOwn,
} from './json-floats.js';
import { MAX_CONTACTS } from './limits.js';
import {
  CONTACT_SHAPES,
  autoShape,
  checkCount,
  checkShapeParams,
  contactVertices,
  fail,
  isArrayLike,
  matrix,
  perContact,
  planeDims,
  pyStr,
  rotationMatrix2d,
  rotationMatrix3d,
  to2dRows,
  to3dRows,
  uniqueSorted,
  vecMat,
  type AutoShapeType,
  type ContactShape,
  type ContactShapeParams,
  type PlaneAxes,
} from './shapes.js';

/** The side of a contact on a double-sided probe. */
export type ContactSide = 'front' | 'back';

/**
 * One per-contact annotation, typed the way numpy's `np.asarray` would type it: `Float64Array` for
 * floats, `number[]` for ints, `boolean[]`, `string[]`, or plain values (`unknown[]`) otherwise.
 */
export type ContactAnnotationValues = Float64Array | number[] | boolean[] | string[] | unknown[];

/** What `Probe.setContacts` takes (ProbeInterface's `set_contacts` keywords in camelCase). */
export interface SetContactsOptions {
  /** (num_contacts, ndim) contact centres: nested rows, or a flat C-order array of n*ndim numbers. */
  positions: ArrayLike<ArrayLike<number>> | ArrayLike<number>;
  /** One shape for all contacts, or one per contact. Default 'circle'. */
  shapes?: ContactShape | readonly ContactShape[];
  /** One params object for all contacts, or one per contact. Default `{ radius: 10 }`. */
  shapeParams?: ContactShapeParams | readonly ContactShapeParams[];
  /** (num_contacts, 2, ndim) plane axes of each contact; required for 3d, default x/y axes in 2d. */
  planeAxes?: ArrayLike<ArrayLike<ArrayLike<number>>>;
  /** Contact ids (converted to strings). Default none. */
  contactIds?: ArrayLike<string | number> | null;
  /** Shank ids (converted to strings). Default none (one shank). */
  shankIds?: ArrayLike<string | number> | null;
  /** 'front' / 'back' per contact for double-sided probes. Default none. */
  contactSides?: ArrayLike<ContactSide> | null;
}

/** The options of the `Probe` constructor (ProbeInterface's `Probe(...)` keywords in camelCase). */
export interface ProbeOptions {
  /** 2 or 3. Default 2. */
  ndim?: 2 | 3;
  /** 'um' | 'mm' | 'm'. Default 'um'. */
  siUnits?: string;
  name?: string;
  serialNumber?: string;
  modelName?: string;
  manufacturer?: string;
}

/**
 * ProbeInterface's dict of one probe (`Probe.to_dict(array_as_list=True)`): snake_case keys, plain
 * arrays, optional keys present only when set. This is also one entry of a ProbeInterface JSON file.
 */
export interface ProbeDict {
  ndim: number;
  si_units: string;
  annotations: Record<string, unknown>;
  contact_annotations: Record<string, unknown[]>;
  contact_positions: number[][];
  contact_plane_axes: number[][][];
  contact_shapes: ContactShape[];
  contact_shape_params: ContactShapeParams[];
  probe_planar_contour?: number[][];
  device_channel_indices?: number[];
  contact_ids?: string[];
  shank_ids?: string[];
  contact_sides?: ContactSide[];
}

/** One field of a structured numpy dtype (name, numpy `dtype.str`, sub-array shape, byte offset). */
export interface ProbeNumpyField {
  name: string;
  dtype: string;
  shape: number[];
  offset: number;
}

/**
 * ProbeInterface's `to_numpy()` structured array (SpikeInterface 0.104's `contact_vector`), laid out
 * as spikewire's .npy reader and writer take it: `dtype` '|V<itemsize>', `shape` [num_contacts],
 * `fields` in numpy's order with packed offsets, and one record object per contact in `values`.
 */
export interface ProbeNumpyArray {
  dtype: string;
  shape: number[];
  fields: ProbeNumpyField[];
  values: Record<string, unknown>[];
}

/** A structured array to read back: `{ fields?, values: records }` (as .npy readers give) or `{ field: column }`. */
export type ProbeNumpyInput = { values: readonly Record<string, unknown>[]; fields?: readonly { name: string; dtype: string }[] } | Record<string, ArrayLike<unknown>>;

/** Byte size of one item of a numpy dtype string used in contact vectors. */
function itemSize(dtype: string): number {
  const m = /^[<>|=]?([a-zA-Z])(\d+)$/.exec(dtype);
  if (!m) return 8;
  return m[1] === 'U' ? 4 * Number(m[2]) : Number(m[2]);
}

/** @internal Builds the structured array from (name, dtype, column) triples: packed fields, one record per row. */
export function structuredArray(columns: readonly (readonly [string, string, readonly unknown[]])[], n: number): ProbeNumpyArray {
  const fields: ProbeNumpyField[] = [];
  let offset = 0;
  for (const [name, dtype] of columns) {
    fields.push({ name, dtype, shape: [], offset });
    offset += itemSize(dtype);
  }
  const values: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, unknown> = {};
    for (const [name, , col] of columns) rec[name] = col[i];
    values.push(rec);
  }
  return { dtype: `|V${offset}`, shape: [n], fields, values };
}

/** @internal Column view of a structured input: name -> values, and name -> numpy dtype when known. */
export function structuredColumns(arr: ProbeNumpyInput): { columns: Map<string, unknown[]>; dtypes: Map<string, string> } {
  const columns = new Map<string, unknown[]>();
  const dtypes = new Map<string, string>();
  const a = arr as { values?: unknown; fields?: unknown };
  if (Array.isArray(a.values) && (a.values.length === 0 || (typeof a.values[0] === 'object' && a.values[0] !== null && !Array.isArray(a.values[0])))) {
    const records = a.values as Record<string, unknown>[];
    const names = Array.isArray(a.fields)
      ? (a.fields as { name: string; dtype: string }[]).filter((f) => f.name !== '').map((f) => {
          if (f.dtype) dtypes.set(f.name, f.dtype);
          return f.name;
        })
      : Object.keys(records[0] ?? {});
    for (const name of names) columns.set(name, records.map((r) => r[name]));
  } else if (arr !== null && typeof arr === 'object') {
    for (const [name, col] of Object.entries(arr as Record<string, ArrayLike<unknown>>)) {
      if (!isArrayLike(col)) fail('FORMAT', name, `expected a column of values, got ${describe(col)}`);
      columns.set(name, Array.from(col));
    }
  } else {
    fail('INVALID_ARGUMENT', 'fromNumpy', `expected a structured array or a {field: column} object, got ${describe(arr)}`);
  }
  for (const [name, col] of columns) columns.set(name, col.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
  return { columns, dtypes };
}

/** The numpy dtype `np.asarray` gives a per-contact annotation. */
function annotationDtype(values: ContactAnnotationValues): string {
  if (values instanceof Float64Array) return '<f8';
  const list = values as unknown[];
  if (list.length > 0 && list.every((v) => typeof v === 'boolean')) return '|b1';
  if (list.length > 0 && list.every((v) => typeof v === 'number')) return '<i8';
  if (list.length > 0 && list.every((v) => typeof v === 'string')) {
    // reduce, not Math.max(...): spreading a quarter million contacts overflows the call stack
    return `<U${list.reduce<number>((width, v) => Math.max(width, [...(v as string)].length), 1)}`;
  }
  return '|O';
}

/** Main fields of ProbeInterface's contact vector; any other field is a contact annotation. */
const NUMPY_MAIN_FIELDS = new Set([
  'x', 'y', 'z', 'contact_shapes', 'shank_ids', 'contact_ids', 'contact_sides', 'device_channel_indices',
  'radius', 'width', 'height', 'plane_axis_x_0', 'plane_axis_x_1', 'plane_axis_y_0', 'plane_axis_y_1',
  'plane_axis_z_0', 'plane_axis_z_1', 'si_units', 'probe_index', 'probe_id',
]);

/** Whether a numeric field came as Python ints or floats (numpy's dtype), so it is written back the same way. */
type NumberKind = 'float' | 'int';

/** How errors name fields: the API's option names or the dict's keys, with the right code. */
interface Context {
  code: SpikewireErrorCode;
  name(dictKey: string): string;
}

const API_NAMES: Record<string, string> = {
  contact_positions: 'positions',
  contact_plane_axes: 'planeAxes',
  contact_shapes: 'shapes',
  contact_shape_params: 'shapeParams',
  contact_ids: 'contactIds',
  shank_ids: 'shankIds',
  contact_sides: 'contactSides',
  probe_planar_contour: 'contour',
  device_channel_indices: 'deviceChannelIndices',
};

const API: Context = { code: 'INVALID_ARGUMENT', name: (k) => API_NAMES[k] ?? k };

/** Python ints read from text stay ints; anything else (floats, or no way to tell) is a float array. */
function numberKind(value: unknown): NumberKind {
  return isParsedText(value) && !containsFloat(value) ? 'int' : 'float';
}

/** A row that is written as Python floats. */
function floatRow<T extends unknown[]>(row: T, kind: NumberKind): T {
  if (kind === 'float') markAllFloat(row);
  return row;
}

/** A rotation/translation result stays int only when everything involved is an integer. */
function kindAfter(kind: NumberKind, values: readonly number[]): NumberKind {
  return kind === 'int' && values.every((v) => Number.isInteger(v)) ? 'int' : 'float';
}

/**
 * numpy's `np.asarray(values)` for a per-contact annotation: all floats or mixed ints and floats ->
 * Float64Array; all ints -> number[]; all booleans -> boolean[]; any string -> string[] (numbers
 * converted as Python's `str`); anything else kept as plain values.
 */
function asContactAnnotation(values: unknown, n: number, code: SpikewireErrorCode, field: string): ContactAnnotationValues {
  if (values instanceof Float32Array || values instanceof Float64Array) {
    if (values.length !== n) fail(code, field, `expected ${n} values (one per contact), got ${values.length}`);
    return Float64Array.from(values);
  }
  const list = perContact<unknown>(values, n, code, field);
  if (ArrayBuffer.isView(values)) return list.map((v) => (typeof v === 'bigint' ? Number(v) : v)) as number[];
  const container = values as unknown[];
  if (list.every((v) => typeof v === 'boolean')) return list.slice() as boolean[];
  if (list.every((v) => typeof v === 'number' || typeof v === 'boolean')) {
    const anyFloat = list.some((v, i) => isPyFloat(container, i, v));
    if (anyFloat) return Float64Array.from(list, (v) => Number(v));
    return list.map((v) => Number(v));
  }
  if (list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
    return list.map((v, i) => (typeof v === 'number' && isPyFloat(container, i, v) ? floatRepr(v) : pyStr(v)));
  }
  const copy = cloneJson(container);
  // numpy promotes a nested numeric array as a whole: one float makes every number a float.
  if (copy.some((v) => isArrayLike(v)) && containsFloat(container)) markAllNumbersFloat(copy);
  return copy;
}

/** A per-contact annotation as plain JSON values (numpy's `tolist()`), floats marked as floats. */
function contactAnnotationToList(values: ContactAnnotationValues): unknown[] {
  if (values instanceof Float64Array) {
    const out = Array.from(values);
    markAllFloat(out);
    return out;
  }
  return cloneJson(values as unknown[]);
}

/** A copy of a per-contact annotation, keeping its type. */
function cloneContactAnnotation(values: ContactAnnotationValues): ContactAnnotationValues {
  return values instanceof Float64Array ? values.slice() : cloneJson(values as unknown[]);
}

/** Picks `indices` out of a per-contact annotation, keeping its type. */
function sliceContactAnnotation(values: ContactAnnotationValues, indices: readonly number[]): ContactAnnotationValues {
  if (values instanceof Float64Array) return Float64Array.from(indices, (i) => values[i]!);
  return cloneJson(indices.map((i) => (values as unknown[])[i])) as ContactAnnotationValues;
}

/** Strings from a list of ids, converted as Python's `str` does. */
function stringIds(values: unknown, n: number, ctx: Context, key: string): string[] {
  const list = perContact<unknown>(values, n, ctx.code, ctx.name(key));
  return list.map((v, i) => {
    if (typeof v === 'number' && isArrayLike(values) && Array.isArray(values) && isPyFloat(values, i, v)) return floatRepr(v);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean') {
      fail(ctx.code, ctx.name(key), `expected strings or numbers, got ${describe(v)} at index ${i}`);
    }
    return pyStr(v);
  });
}

/**
 * One group of contacts of a {@link Probe} (ProbeInterface's `Shank`): the contacts whose shank id is
 * `shankId`, or all contacts when the probe has no shank ids.
 */
export class Shank {
  /**
   * @param probe the probe the shank belongs to
   * @param shankId the shank id, or null for the single shank of a probe without shank ids
   */
  constructor(
    readonly probe: Probe,
    readonly shankId: string | null,
  ) {}

  /** The indices of this shank's contacts in the probe. */
  getIndices(): number[] {
    const n = this.probe.getContactCount();
    const ids = this.probe.shankIds;
    if (this.shankId === null || ids === null) return Array.from({ length: n }, (_, i) => i);
    return ids.flatMap((s, i) => (s === this.shankId ? [i] : []));
  }

  /** The number of contacts on this shank. */
  getContactCount(): number {
    return this.getIndices().length;
  }

  /** This shank's contact positions (copies). */
  get contactPositions(): number[][] {
    const pos = this.probe.contactPositions!;
    return this.getIndices().map((i) => pos[i]!.slice());
  }

  /** This shank's contact plane axes (copies). */
  get contactPlaneAxes(): number[][][] {
    const axes = this.probe.contactPlaneAxes!;
    return this.getIndices().map((i) => axes[i]!.map((a) => a.slice()));
  }

  /** This shank's contact shapes. */
  get contactShapes(): ContactShape[] {
    const shapes = this.probe.contactShapes!;
    return this.getIndices().map((i) => shapes[i]!);
  }

  /** This shank's contact shape params (copies). */
  get contactShapeParams(): ContactShapeParams[] {
    const params = this.probe.contactShapeParams!;
    return this.getIndices().map((i) => cloneJson(params[i]!));
  }

  /** This shank's contact ids, or null when the probe has none. */
  get contactIds(): string[] | null {
    const ids = this.probe.contactIds;
    return ids === null ? null : this.getIndices().map((i) => ids[i]!);
  }

  /** This shank's device channel indices, or null when the probe is not wired. */
  get deviceChannelIndices(): number[] | null {
    const dev = this.probe.deviceChannelIndices;
    return dev === null ? null : this.getIndices().map((i) => dev[i]!);
  }
}

/**
 * The geometry of one probe (ProbeInterface's `Probe`): contact positions in 2d or 3d, contact shapes
 * and planes, the probe's planar contour, shank ids, wiring to a device (`deviceChannelIndices`,
 * -1 = not connected), contact ids and annotations.
 *
 * The arrays returned by the getters are the probe's own (as in ProbeInterface): copy them before
 * changing them, or use the setters.
 */
export class Probe {
  /** 2 or 3: the number of coordinates per position. */
  readonly ndim: 2 | 3;
  /** Units of the positions: 'um', 'mm' or 'm'. */
  siUnits: string;
  /** Free-form annotations of the probe, including name / manufacturer / model_name / serial_number. */
  annotations: Record<string, unknown> = {};
  /** Per-contact annotations: one array of num_contacts values per key. */
  contactAnnotations: Record<string, ContactAnnotationValues> = {};

  private _positions: number[][] | null = null;
  private _planeAxes: number[][][] | null = null;
  private _shapes: ContactShape[] | null = null;
  private _shapeParams: ContactShapeParams[] | null = null;
  private _contactIds: string[] | null = null;
  private _shankIds: string[] | null = null;
  private _contactSides: ContactSide[] | null = null;
  private _contour: number[][] | null = null;
  private _deviceChannelIndices: number[] | null = null;
  private _kinds: { positions: NumberKind; planeAxes: NumberKind; contour: NumberKind } = {
    positions: 'float',
    planeAxes: 'float',
    contour: 'float',
  };
  /** @internal The ProbeGroup this probe was added to (wiring must stay unique across it). */
  _probeGroup: { checkWiring(probe: Probe, indices: readonly number[] | null): void } | null = null;

  /** A probe without contacts yet: call {@link setContacts}. */
  constructor(opts: ProbeOptions = {}) {
    const ndim = opts.ndim ?? 2;
    if (ndim !== 2 && ndim !== 3) throw new SpikewireError('INVALID_ARGUMENT', `ndim: expected 2 or 3, got ${describe(ndim)}`);
    this.ndim = ndim;
    this.siUnits = String(opts.siUnits ?? 'um');
    // Same order as ProbeInterface's constructor, so annotations are written in the same order.
    this.name = opts.name ?? null;
    this.serialNumber = opts.serialNumber ?? null;
    this.modelName = opts.modelName ?? null;
    this.manufacturer = opts.manufacturer ?? null;
  }

  // ---- annotations with their own names ----

  /** The 'name' annotation, or null. Setting null removes it. */
  get name(): string | null {
    return (this.annotations.name as string | undefined) ?? null;
  }
  set name(value: string | null) {
    this.setKeyAnnotation('name', value);
  }

  /** The 'serial_number' annotation, or null. Setting null removes it. */
  get serialNumber(): string | null {
    return (this.annotations.serial_number as string | undefined) ?? null;
  }
  set serialNumber(value: string | null) {
    this.setKeyAnnotation('serial_number', value);
  }

  /** The 'model_name' annotation, or null. Setting null removes it. */
  get modelName(): string | null {
    return (this.annotations.model_name as string | undefined) ?? null;
  }
  set modelName(value: string | null) {
    this.setKeyAnnotation('model_name', value);
  }

  /** The 'manufacturer' annotation, or null. Setting null removes it. */
  get manufacturer(): string | null {
    return (this.annotations.manufacturer as string | undefined) ?? null;
  }
  set manufacturer(value: string | null) {
    this.setKeyAnnotation('manufacturer', value);
  }

  /** The 'description' annotation, or null. Setting null removes it. */
  get description(): string | null {
    return (this.annotations.description as string | undefined) ?? null;
  }
  set description(value: string | null) {
    this.setKeyAnnotation('description', value);
  }

  private setKeyAnnotation(key: string, value: string | null): void {
    if (value === null || value === undefined) delete this.annotations[key];
    else this.annotate({ [key]: value });
  }

  // ---- contact arrays (read-only views; use the setters) ----

  /** (num_contacts, ndim) contact centres, or null before {@link setContacts}. */
  get contactPositions(): number[][] | null {
    return this._positions;
  }
  /** (num_contacts, 2, ndim) the two axes of each contact's plane, or null before {@link setContacts}. */
  get contactPlaneAxes(): number[][][] | null {
    return this._planeAxes;
  }
  /** The shape of each contact, or null before {@link setContacts}. */
  get contactShapes(): ContactShape[] | null {
    return this._shapes;
  }
  /** The size params of each contact, or null before {@link setContacts}. */
  get contactShapeParams(): ContactShapeParams[] | null {
    return this._shapeParams;
  }
  /** Contact ids (strings), or null when none were set. */
  get contactIds(): string[] | null {
    return this._contactIds;
  }
  /** Shank ids (strings), or null for a single shank. */
  get shankIds(): string[] | null {
    return this._shankIds;
  }
  /** 'front' / 'back' per contact for double-sided probes, else null. */
  get contactSides(): ContactSide[] | null {
    return this._contactSides;
  }
  /** The probe's outline: (num_vertices, ndim), or null. */
  get probePlanarContour(): number[][] | null {
    return this._contour;
  }
  /** The device channel of each contact (-1 = not connected), or null when not wired. */
  get deviceChannelIndices(): number[] | null {
    return this._deviceChannelIndices;
  }

  /** ProbeInterface's title: "name - manufacturer - model - serial - Nch[ - Kshanks][ - 2 sides]". */
  getTitle(): string {
    if (this._positions === null) return 'Undefined probe';
    let txt = this.name ?? 'Probe';
    if (this.manufacturer !== null) txt += ` - ${this.manufacturer}`;
    if (this.modelName !== null) txt += ` - ${this.modelName}`;
    if (this.serialNumber !== null) txt += ` - ${this.serialNumber}`;
    txt += ` - ${this.getContactCount()}ch`;
    if (this._shankIds !== null) txt += ` - ${this.getShankCount()}shanks`;
    if (this._contactSides !== null) txt += ' - 2 sides';
    return txt;
  }

  /** ProbeInterface's repr: the title. */
  toString(): string {
    return this.getTitle();
  }

  /** Adds annotations (e.g. `{ brain_area: 'CA1' }`); 'first_index' must be 0 or 1. */
  annotate(values: Record<string, unknown>): void {
    if (values.first_index !== undefined && values.first_index !== 0 && values.first_index !== 1) {
      throw new SpikewireError('INVALID_ARGUMENT', `first_index: must be 0 or 1, got ${describe(values.first_index)}`);
    }
    const copy = cloneJson(values);
    for (const [k, v] of Object.entries(copy)) {
      setOwn(this.annotations, k, v);
      // A float read from a file (30000.0) stays a float on the probe's own annotations.
      if (typeof v === 'number' && isPyFloat(copy, k, v)) markFloat(this.annotations, k);
    }
  }

  /** Adds per-contact annotations: each value an array of num_contacts values. */
  annotateContacts(values: Record<string, ArrayLike<unknown>>): void {
    this.annotateContactsWith(values, API, 'contact annotation');
  }

  private annotateContactsWith(values: Record<string, unknown>, ctx: Context, what: string): void {
    const n = this.getContactCount();
    const next: [string, ContactAnnotationValues][] = [];
    for (const [k, v] of Object.entries(values)) next.push([k, asContactAnnotation(v, n, ctx.code, `${what} ${JSON.stringify(k)}`)]);
    for (const [k, v] of next) setOwn(this.contactAnnotations, k, v);
  }

  /** The number of contacts (an `INVALID_ARGUMENT` error before {@link setContacts}). */
  getContactCount(): number {
    if (this._positions === null) throw new SpikewireError('INVALID_ARGUMENT', 'the probe has no contacts yet: call setContacts() first');
    return this._positions.length;
  }

  /** The number of shanks (1 without shank ids). */
  getShankCount(): number {
    return this._shankIds === null ? 1 : new Set(this._shankIds).size;
  }

  /**
   * Sets the contacts (ProbeInterface's `set_contacts`): positions, shapes and their params, plane
   * axes, and optionally contact ids, shank ids and sides. Replaces any previous contacts.
   */
  setContacts(opts: SetContactsOptions): void {
    if (opts === null || typeof opts !== 'object' || !('positions' in opts)) {
      throw new SpikewireError('INVALID_ARGUMENT', `setContacts: expected an options object with positions, got ${describe(opts)}`);
    }
    this.assignContacts(
      {
        contact_positions: opts.positions,
        contact_plane_axes: opts.planeAxes,
        contact_shapes: opts.shapes ?? 'circle',
        contact_shape_params: opts.shapeParams ?? { radius: 10 },
        contact_ids: opts.contactIds ?? null,
        shank_ids: opts.shankIds ?? null,
        contact_sides: opts.contactSides ?? null,
      },
      API,
    );
  }

  /** The shared body of setContacts and fromDict; validates everything before changing the probe. */
  private assignContacts(d: Record<string, unknown>, ctx: Context): void {
    const nd = this.ndim;
    const rawPositions = d.contact_positions;
    if (!isArrayLike(rawPositions)) {
      fail(ctx.code, ctx.name('contact_positions'), `expected (num_contacts, ${nd}) numbers, got ${describe(rawPositions)}`);
    }
    checkCount(rawPositions.length, MAX_CONTACTS * nd, ctx.code, ctx.name('contact_positions'));
    if (rawPositions.length > 0 && Array.from(rawPositions).every((r) => isArrayLike(r) && r.length !== nd)) {
      const width = (rawPositions[0] as ArrayLike<unknown>).length;
      fail(ctx.code, ctx.name('contact_positions'), `rows have ${width} coordinates but the probe has ndim ${nd}`);
    }
    const positions = matrix(rawPositions, nd, ctx.code, ctx.name('contact_positions'));
    const n = positions.length;

    let planeAxes: number[][][];
    const rawAxes = d.contact_plane_axes;
    if (rawAxes === undefined || rawAxes === null) {
      if (nd === 3) fail(ctx.code, ctx.name('contact_plane_axes'), 'a 3d probe needs plane axes for its contacts');
      planeAxes = positions.map(() => [
        [1, 0],
        [0, 1],
      ]);
    } else {
      const rows = perContact<unknown>(rawAxes, n, ctx.code, ctx.name('contact_plane_axes'));
      planeAxes = rows.map((r, i) => matrix(r, nd, ctx.code, `${ctx.name('contact_plane_axes')}[${i}]`, 2));
    }

    const rawShapes = d.contact_shapes;
    const shapes: ContactShape[] =
      typeof rawShapes === 'string' ? positions.map(() => rawShapes as ContactShape) : perContact<ContactShape>(rawShapes, n, ctx.code, ctx.name('contact_shapes'));
    shapes.forEach((s, i) => {
      if (!CONTACT_SHAPES.includes(s)) {
        fail(ctx.code, `${ctx.name('contact_shapes')}[${i}]`, `expected one of 'circle', 'square', 'rect', got ${describe(s)}`);
      }
    });

    const rawParams = d.contact_shape_params;
    const params: ContactShapeParams[] =
      rawParams !== null && typeof rawParams === 'object' && !isArrayLike(rawParams)
        ? positions.map(() => cloneJson(rawParams as ContactShapeParams))
        : perContact<ContactShapeParams>(rawParams, n, ctx.code, ctx.name('contact_shape_params')).map((p) => cloneJson(p));
    params.forEach((p, i) => checkShapeParams(shapes[i]!, p, ctx.code, `${ctx.name('contact_shape_params')}[${i}]`));

    const contactIds = d.contact_ids === undefined || d.contact_ids === null ? null : this.checkContactIds(d.contact_ids, n, ctx);

    let shankIds = d.shank_ids === undefined || d.shank_ids === null ? null : stringIds(d.shank_ids, n, ctx, 'shank_ids');

    let sides: ContactSide[] | null = null;
    if (d.contact_sides !== undefined && d.contact_sides !== null) {
      sides = perContact<unknown>(d.contact_sides, n, ctx.code, ctx.name('contact_sides')).map((s, i) => {
        if (s !== 'front' && s !== 'back') fail(ctx.code, `${ctx.name('contact_sides')}[${i}]`, `expected 'front' or 'back', got ${describe(s)}`);
        return s;
      });
    }
    if (shankIds !== null && shankIds.length === 0) shankIds = null;

    this._kinds.positions = numberKind(rawPositions);
    this._positions = positions.map((r) => floatRow(r, this._kinds.positions));
    this._kinds.planeAxes = rawAxes === undefined || rawAxes === null ? 'float' : numberKind(rawAxes);
    this._planeAxes = planeAxes.map((a) => a.map((r) => floatRow(r, this._kinds.planeAxes)));
    this._shapes = shapes.slice();
    this._shapeParams = params;
    this._contactIds = contactIds;
    this._shankIds = shankIds;
    this._contactSides = sides;
  }

  private checkContactIds(values: unknown, n: number, ctx: Context): string[] {
    const ids = stringIds(values, n, ctx, 'contact_ids');
    // Older files wrote unset ids as ''; only real ids must be unique.
    const real = ids.filter((s) => s !== '');
    if (new Set(real).size !== real.length) {
      const dup = real.find((s, i) => real.indexOf(s) !== i);
      fail(ctx.code, ctx.name('contact_ids'), `contact ids must be unique within a probe, ${JSON.stringify(dup)} repeats`);
    }
    return ids;
  }

  /** Sets the probe's outline (ProbeInterface's `set_planar_contour`): (num_vertices, ndim) points; null removes it. */
  setPlanarContour(polygon: ArrayLike<ArrayLike<number>> | null): void {
    this.assignContour(polygon, API);
  }

  private assignContour(polygon: unknown, ctx: Context): void {
    if (polygon === null || polygon === undefined) {
      this._contour = null;
      return;
    }
    const rows = matrix(polygon, this.ndim, ctx.code, ctx.name('probe_planar_contour'));
    const kind = numberKind(polygon);
    this._kinds.contour = kind;
    this._contour = rows.map((r) => floatRow(r, kind));
  }

  /**
   * Creates the planar contour from the contact positions (ProbeInterface's `create_auto_shape`):
   * 'tip' (a rectangle with a tip 4 × margin below), 'rect' or 'circular', `margin` around the contacts.
   */
  createAutoShape(probeType: AutoShapeType = 'tip', margin = 20): void {
    if (this.ndim !== 2) throw new SpikewireError('INVALID_ARGUMENT', `createAutoShape: only 2d probes have an auto shape, this one has ndim ${this.ndim}`);
    if (typeof margin !== 'number' || !Number.isFinite(margin)) throw new SpikewireError('INVALID_ARGUMENT', `margin: expected a number, got ${describe(margin)}`);
    this.getContactCount();
    const polygon = autoShape(this._positions!, this._shankIds, probeType, margin);
    this._kinds.contour = 'float';
    this._contour = polygon.map((r) => floatRow(r, 'float'));
  }

  /**
   * Sets the device channel of each contact (-1 = not connected), or removes the wiring with null.
   * Inside a ProbeGroup, the connected channels must stay unique across all its probes.
   */
  setDeviceChannelIndices(channelIndices: ArrayLike<number> | null): void {
    this.assignDeviceChannelIndices(channelIndices, API);
  }

  private assignDeviceChannelIndices(channelIndices: unknown, ctx: Context): void {
    if (channelIndices === null) {
      this._deviceChannelIndices = null;
      return;
    }
    const n = this.getContactCount();
    const list = perContact<unknown>(channelIndices, n, ctx.code, ctx.name('device_channel_indices')).map((v, i) => {
      const x = typeof v === 'bigint' ? Number(v) : v;
      if (typeof x !== 'number' || !Number.isInteger(x) || x < -1) {
        fail(ctx.code, `${ctx.name('device_channel_indices')}[${i}]`, `expected an integer >= -1 (-1 = not connected), got ${describe(v)}`);
      }
      return x;
    });
    // Check before changing anything, so a refused wiring leaves the old one in place.
    this._probeGroup?.checkWiring(this, list);
    this._deviceChannelIndices = list;
  }

  /** Sets the contact ids (converted to strings; unique within the probe). */
  setContactIds(contactIds: ArrayLike<string | number>): void {
    this._contactIds = this.checkContactIds(contactIds, this.getContactCount(), API);
  }

  /** Sets the shank ids (converted to strings). */
  setShankIds(shankIds: ArrayLike<string | number>): void {
    this._shankIds = stringIds(shankIds, this.getContactCount(), API, 'shank_ids');
  }

  /** The shanks of the probe, in sorted shank-id order (one shank when there are no shank ids). */
  getShanks(): Shank[] {
    if (this._shankIds === null) return [new Shank(this, null)];
    return uniqueSorted(this._shankIds).map((id) => new Shank(this, id));
  }

  /** The outline of each contact (ProbeInterface's `get_contact_vertices`): 360 points per circle, 4 corners per square / rect. */
  getContactVertices(): number[][][] {
    const n = this.getContactCount();
    const out: number[][][] = [];
    for (let i = 0; i < n; i++) {
      out.push(contactVertices(this._shapes![i]!, this._shapeParams![i]!, this._positions![i]!, this._planeAxes![i]!));
    }
    return out;
  }

  /**
   * A copy of the probe with its contacts, ids, shanks, sides, contour and annotations, but without
   * the wiring (ProbeInterface's identity-preserving `copy`: wiring is attached at use time).
   */
  copy(): Probe {
    const other = this.cloneWith(null);
    other._deviceChannelIndices = null;
    return other;
  }

  /** A full copy, or a copy of the contacts at `indices` (in that order). */
  private cloneWith(indices: readonly number[] | null): Probe {
    const other = new Probe({ ndim: this.ndim, siUnits: this.siUnits });
    other.annotations = cloneJson(this.annotations);
    other._kinds = { ...this._kinds };
    if (this._positions === null) return other;
    const pick = <T>(list: T[]): T[] => (indices === null ? list.slice() : indices.map((i) => list[i]!));
    const rows = (list: number[][], kind: NumberKind) => pick(list).map((r) => floatRow(r.slice(), kind));
    other._positions = rows(this._positions, this._kinds.positions);
    other._planeAxes = pick(this._planeAxes!).map((a) => a.map((r) => floatRow(r.slice(), this._kinds.planeAxes)));
    other._shapes = pick(this._shapes!);
    other._shapeParams = pick(this._shapeParams!).map((p) => cloneJson(p));
    other._contactIds = this._contactIds && pick(this._contactIds);
    other._shankIds = this._shankIds && pick(this._shankIds);
    other._contactSides = this._contactSides && pick(this._contactSides);
    other._deviceChannelIndices = this._deviceChannelIndices && pick(this._deviceChannelIndices);
    other._contour = this._contour && this._contour.map((r) => floatRow(r.slice(), this._kinds.contour));
    for (const [k, v] of Object.entries(this.contactAnnotations)) {
      setOwn(other.contactAnnotations, k, indices === null ? cloneContactAnnotation(v) : sliceContactAnnotation(v, indices));
    }
    return other;
  }

  /** Translates the contacts and the contour by `translationVector` (ndim numbers). */
  move(translationVector: ArrayLike<number>): void {
    const v = Array.from(translationVector ?? []);
    if (v.length !== this.ndim || v.some((x) => typeof x !== 'number')) {
      throw new SpikewireError('INVALID_ARGUMENT', `translationVector: expected ${this.ndim} numbers, got ${describe(v)}`);
    }
    this.getContactCount();
    this._kinds.positions = kindAfter(this._kinds.positions, v);
    this._positions = this._positions!.map((r) => floatRow(r.map((x, k) => x + v[k]!), this._kinds.positions));
    if (this._contour !== null) {
      this._kinds.contour = kindAfter(this._kinds.contour, v);
      this._contour = this._contour.map((r) => floatRow(r.map((x, k) => x + v[k]!), this._kinds.contour));
    }
  }

  /**
   * Rotates the probe by `theta` degrees about `center` (default: the mean contact position), with
   * ProbeInterface's formula `new = (p - center) @ R + center`, R = [[cos, -sin], [sin, cos]] in 2d.
   * A 3d probe needs `axis`, the rotation axis as 3 numbers (R is then Euler-Rodrigues' matrix,
   * transposed as ProbeInterface does). Contact plane axes turn with the contacts.
   */
  rotate(theta: number, center?: ArrayLike<number> | null, axis?: ArrayLike<number> | null): void {
    const n = this.getContactCount();
    if (typeof theta !== 'number' || !Number.isFinite(theta)) throw new SpikewireError('INVALID_ARGUMENT', `theta: expected degrees, got ${describe(theta)}`);
    const nd = this.ndim;
    const pos = this._positions!;
    let c: number[];
    if (center === undefined || center === null) {
      c = [];
      for (let k = 0; k < nd; k++) c.push(pos.reduce((s, p) => s + p[k]!, 0) / n);
    } else {
      c = Array.from(center);
      if (c.length !== nd) throw new SpikewireError('INVALID_ARGUMENT', `center: expected ${nd} numbers, got ${describe(c)}`);
    }
    const rad = (theta * Math.PI) / 180;
    let R: number[][];
    if (nd === 2) {
      if (axis !== undefined && axis !== null) throw new SpikewireError('INVALID_ARGUMENT', 'axis: must be left out for a 2d probe');
      R = rotationMatrix2d(rad);
    } else {
      const ax = axis === undefined || axis === null ? null : Array.from(axis);
      if (ax === null || ax.length !== 3 || ax.every((x) => x === 0)) {
        throw new SpikewireError('INVALID_ARGUMENT', `axis: a 3d probe needs a rotation axis of 3 numbers, got ${describe(ax)}`);
      }
      const M = rotationMatrix3d(ax, rad);
      R = M[0]!.map((_, j) => M.map((row) => row[j]!));
    }
    const sub = (a: readonly number[], b: readonly number[]) => a.map((x, k) => x - b[k]!);
    const add = (a: readonly number[], b: readonly number[]) => a.map((x, k) => x + b[k]!);
    const newPos = pos.map((p) => add(vecMat(sub(p, c), R), c));
    // ProbeInterface turns each axis as the point p + axis and takes the difference again.
    const newAxes = this._planeAxes!.map((axes, i) => axes.map((a) => sub(add(vecMat(add(sub(a, c), pos[i]!), R), c), newPos[i]!)));
    this._kinds.positions = 'float';
    this._kinds.planeAxes = 'float';
    this._positions = newPos.map((r) => floatRow(r, 'float'));
    this._planeAxes = newAxes.map((a) => a.map((r) => floatRow(r, 'float')));
    if (this._contour !== null) {
      this._kinds.contour = 'float';
      this._contour = this._contour.map((v) => floatRow(add(vecMat(sub(v, c), R), c), 'float'));
    }
  }

  /** Rotates each contact in its plane by `thetas` degrees (one number for all, or one per contact); 2d only. */
  rotateContacts(thetas: number | ArrayLike<number>): void {
    if (this.ndim === 3) throw new SpikewireError('INVALID_ARGUMENT', 'rotateContacts: only 2d probes');
    const n = this.getContactCount();
    const list = typeof thetas === 'number' ? new Array<number>(n).fill(thetas) : perContact<number>(thetas, n, 'INVALID_ARGUMENT', 'thetas');
    this._kinds.planeAxes = 'float';
    this._planeAxes = this._planeAxes!.map((axes, e) => {
      const R = rotationMatrix2d((list[e]! * Math.PI) / 180);
      return axes.map((a) => floatRow(vecMat(a, R), 'float'));
    });
  }

  /**
   * A new probe with the contacts picked by `selection` (ProbeInterface's `get_slice`): a boolean
   * mask of num_contacts values, or unique contact indices (in the order given). Wiring, ids, shanks,
   * sides and contact annotations are sliced; the contour and annotations are kept.
   */
  getSlice(selection: ArrayLike<boolean> | ArrayLike<number>): Probe {
    const n = this.getContactCount();
    const list = isArrayLike(selection) ? Array.from(selection as ArrayLike<unknown>) : null;
    if (list === null) throw new SpikewireError('INVALID_ARGUMENT', `selection: expected a boolean mask or contact indices, got ${describe(selection)}`);
    let indices: number[];
    if (list.length > 0 && list.every((v) => typeof v === 'boolean')) {
      if (list.length !== n) throw new SpikewireError('INVALID_ARGUMENT', `selection: a boolean mask needs ${n} values (one per contact), got ${list.length}`);
      indices = list.flatMap((v, i) => (v ? [i] : []));
    } else {
      for (const v of list) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
          throw new SpikewireError('OUT_OF_RANGE', `selection: contact index ${describe(v)} is not in [0, ${n})`);
        }
      }
      indices = list as number[];
      if (new Set(indices).size !== indices.length) throw new SpikewireError('INVALID_ARGUMENT', `selection: contact indices must be unique, got ${describe(indices)}`);
    }
    return this.cloneWith(indices);
  }

  /**
   * The 3d probe with this 2d probe placed on the plane `axes` (ProbeInterface's `to_3d`): positions,
   * plane axes and contour get a 0 third coordinate; shapes, params and wiring are kept (contact ids
   * and annotations are not, as in ProbeInterface 0.3.2).
   */
  to3d(axes: PlaneAxes = 'xz'): Probe {
    if (this.ndim !== 2) throw new SpikewireError('INVALID_ARGUMENT', `to3d: start from a 2d probe, this one has ndim ${this.ndim}`);
    planeDims(axes);
    this.getContactCount();
    const p3 = new Probe({ ndim: 3, siUnits: this.siUnits });
    p3.setContacts({
      positions: to3dRows(this._positions!, axes),
      planeAxes: this._planeAxes!.map((a) => to3dRows(a, axes)),
      shapes: this._shapes!.slice(),
      shapeParams: this._shapeParams!.map((p) => cloneJson(p)),
    });
    if (this._contour !== null) p3.setPlanarContour(to3dRows(this._contour, axes));
    if (this._deviceChannelIndices !== null) p3._deviceChannelIndices = this._deviceChannelIndices.slice();
    return p3;
  }

  /**
   * The 2d probe seen on the plane `axes` of this 3d probe (ProbeInterface's `to_2d`): positions and
   * contour keep those two coordinates; plane axes are the default 2d ones; wiring is kept.
   */
  to2d(axes: PlaneAxes = 'xy'): Probe {
    if (this.ndim !== 3) throw new SpikewireError('INVALID_ARGUMENT', `to2d: start from a 3d probe, this one has ndim ${this.ndim}`);
    planeDims(axes);
    this.getContactCount();
    const p2 = new Probe({ ndim: 2, siUnits: this.siUnits });
    p2.setContacts({
      positions: to2dRows(this._positions!, axes),
      shapes: this._shapes!.slice(),
      shapeParams: this._shapeParams!.map((p) => cloneJson(p)),
    });
    if (this._contour !== null) p2.setPlanarContour(to2dRows(this._contour, axes));
    if (this._deviceChannelIndices !== null) p2._deviceChannelIndices = this._deviceChannelIndices.slice();
    return p2;
  }

  /**
   * ProbeInterface's `to_numpy(complete)`: one record per contact with x, y(, z), contact_shapes,
   * the shape params (0 where a contact lacks one), shank_ids, contact_ids ('' when unset),
   * contact_sides; with `complete` also device_channel_indices (-1 when unwired), si_units, the
   * plane axes and the contact annotations. Field order and dtypes are ProbeInterface's.
   */
  toNumpy(opts: { complete?: boolean } = {}): ProbeNumpyArray {
    const n = this.getContactCount();
    const pos = this._positions!;
    const cols: [string, string, unknown[]][] = [];
    const dims = this.ndim === 3 ? ['x', 'y', 'z'] : ['x', 'y'];
    dims.forEach((d, k) => cols.push([d, '<f8', pos.map((r) => r[k]!)]));
    cols.push(['contact_shapes', '<U64', this._shapes!.slice()]);
    const keys: string[] = [];
    for (const p of this._shapeParams!) for (const k of Object.keys(p)) if (!keys.includes(k)) keys.push(k);
    for (const k of keys) cols.push([k, '<f8', this._shapeParams!.map((p) => (typeof p[k] === 'number' ? p[k] : 0))]);
    if (this._shankIds !== null) cols.push(['shank_ids', '<U64', this._shankIds.slice()]);
    cols.push(['contact_ids', '<U64', this._contactIds ? this._contactIds.slice() : new Array<string>(n).fill('')]);
    if (this._contactSides !== null) cols.push(['contact_sides', '<U8', this._contactSides.slice()]);
    if (opts.complete) {
      cols.push(['device_channel_indices', '<i8', this._deviceChannelIndices ? this._deviceChannelIndices.slice() : new Array<number>(n).fill(-1)]);
      cols.push(['si_units', '<U64', new Array<string>(n).fill(this.siUnits)]);
      dims.forEach((d, k) => {
        cols.push([`plane_axis_${d}_0`, '<f8', this._planeAxes!.map((a) => a[0]![k]!)]);
        cols.push([`plane_axis_${d}_1`, '<f8', this._planeAxes!.map((a) => a[1]![k]!)]);
      });
      for (const [k, v] of Object.entries(this.contactAnnotations)) cols.push([k, annotationDtype(v), Array.from(v as ArrayLike<unknown>)]);
    }
    return structuredArray(cols, n);
  }

  /**
   * A probe from ProbeInterface's structured array (`Probe.from_numpy`), e.g. a SpikeInterface 0.104
   * `contact_vector`: records with fields (as a .npy reader gives them) or `{ field: column }`.
   * Shape params come back as floats, unknown fields as contact annotations; wiring is set unless all
   * -1, contact ids unless all ''.
   */
  static fromNumpy(arr: ProbeNumpyInput): Probe {
    const { columns, dtypes } = structuredColumns(arr);
    const col = (name: string) => columns.get(name);
    if (!col('x') || !col('y')) fail('FORMAT', 'contact vector', "needs the fields 'x' and 'y'");
    const ndim = col('z') ? 3 : 2;
    const units = col('si_units') ? [...new Set(col('si_units')!.map(String))] : ['um'];
    if (units.length !== 1) fail('FORMAT', 'si_units', `expected one unit for all contacts, got ${describe(units)}`);
    const probe = new Probe({ ndim, siUnits: units[0] });
    const n = col('x')!.length;
    const dims = ndim === 3 ? ['x', 'y', 'z'] : ['x', 'y'];
    const positions = Array.from({ length: n }, (_, i) => dims.map((d) => Number(col(d)![i])));
    const shapes = col('contact_shapes')?.map(String) ?? new Array<string>(n).fill('circle');
    const param = (name: string, i: number) => Number(col(name)?.[i] ?? 0);
    const shapeParams = shapes.map((shape, i) => {
      const p: ContactShapeParams =
        shape === 'circle' ? { radius: param('radius', i) } : shape === 'square' ? { width: param('width', i) } : { width: param('width', i), height: param('height', i) };
      // ProbeInterface rebuilds them with float(): 6 comes back as 6.0
      for (const k of Object.keys(p)) markFloat(p, k);
      return p;
    });
    let planeAxes: number[][][] | undefined;
    if (col('plane_axis_x_0')) {
      planeAxes = Array.from({ length: n }, (_, i) => [0, 1].map((j) => dims.map((d) => Number(col(`plane_axis_${d}_${j}`)?.[i] ?? 0))));
    }
    const ids = col('contact_ids')?.map(String);
    probe.assignContacts(
      {
        contact_positions: positions,
        contact_plane_axes: planeAxes,
        contact_shapes: shapes,
        contact_shape_params: shapeParams,
        contact_ids: ids && ids.some((s) => s !== '') ? ids : null,
        shank_ids: col('shank_ids')?.map(String) ?? null,
        contact_sides: col('contact_sides')?.map(String) ?? null,
      },
      { code: 'FORMAT', name: (k) => k },
    );
    const dev = col('device_channel_indices')?.map(Number);
    if (dev && !dev.every((c) => c === -1)) probe.assignDeviceChannelIndices(dev, { code: 'FORMAT', name: (k) => k });
    const annotations: Record<string, unknown> = {};
    for (const [name, values] of columns) {
      if (NUMPY_MAIN_FIELDS.has(name)) continue;
      const kind = dtypes.get(name)?.replace(/^[<>|=]/, '')[0];
      annotations[name] = kind === 'f' ? Float64Array.from(values, Number) : values;
    }
    probe.annotateContactsWith(annotations, { code: 'FORMAT', name: (k) => k }, 'contact vector field');
    return probe;
  }

  /**
   * ProbeInterface's dict of this probe (`to_dict(array_as_list=True)`): snake_case keys in
   * ProbeInterface's order, plain arrays, keys left out when unset. Float-valued fields remember that
   * they are floats, so writing the dict gives `20.0` where ProbeInterface writes `20.0`.
   */
  toDict(): ProbeDict {
    const d: Record<string, unknown> = {
      ndim: this.ndim,
      si_units: this.siUnits,
      annotations: cloneJson(this.annotations),
      contact_annotations: Object.fromEntries(Object.entries(this.contactAnnotations).map(([k, v]) => [k, contactAnnotationToList(v)])),
    };
    if (this._positions !== null) {
      d.contact_positions = this._positions.map((r) => floatRow(r.slice(), this._kinds.positions));
      d.contact_plane_axes = this._planeAxes!.map((a) => a.map((r) => floatRow(r.slice(), this._kinds.planeAxes)));
      d.contact_shapes = this._shapes!.slice();
      d.contact_shape_params = this._shapeParams!.map((p) => cloneJson(p));
    }
    if (this._contour !== null) d.probe_planar_contour = this._contour.map((r) => floatRow(r.slice(), this._kinds.contour));
    if (this._deviceChannelIndices !== null) d.device_channel_indices = this._deviceChannelIndices.slice();
    if (this._contactIds !== null) d.contact_ids = this._contactIds.slice();
    if (this._shankIds !== null) d.shank_ids = this._shankIds.slice();
    if (this._contactSides !== null) d.contact_sides = this._contactSides.slice();
    return d as unknown as ProbeDict;
  }

  /**
   * A probe from ProbeInterface's dict (`Probe.from_dict`), read leniently: missing annotations,
   * contact annotations, si_units (default 'um'), ndim (taken from the positions) and 2d plane axes
   * are fine, and ids written as '' by older versions mean "none" for shanks. A field of the wrong
   * size or type is a `FORMAT` error naming it (`where` prefixes the name, e.g. 'probes[1].').
   */
  static fromDict(d: ProbeDict | Record<string, unknown>, where = ''): Probe {
    const ctx: Context = { code: 'FORMAT', name: (k) => `${where}${k}` };
    if (d === null || typeof d !== 'object' || Array.isArray(d)) fail('FORMAT', where || 'probe', `expected a probe dict, got ${describe(d)}`);
    const dict = d as Record<string, unknown>;
    const positions = dict.contact_positions;
    if (positions === undefined) fail('FORMAT', ctx.name('contact_positions'), 'missing (every probe needs contact positions)');
    let ndim = dict.ndim;
    if (ndim === undefined || ndim === null) {
      const first = isArrayLike(positions) && positions.length > 0 ? positions[0] : undefined;
      ndim = isArrayLike(first) ? first.length : 2;
    }
    if (ndim !== 2 && ndim !== 3) fail('FORMAT', ctx.name('ndim'), `expected 2 or 3, got ${describe(ndim)}`);
    const siUnits = dict.si_units ?? 'um';
    if (typeof siUnits !== 'string') fail('FORMAT', ctx.name('si_units'), `expected a string, got ${describe(siUnits)}`);
    const probe = new Probe({ ndim, siUnits });

    let shankIds = dict.shank_ids;
    // ProbeInterface's backward-compatible hack: all-'' shank ids (older files) mean one shank.
    if (isArrayLike(shankIds) && Array.from(shankIds).every((s) => s === '')) shankIds = null;
    probe.assignContacts(
      {
        contact_positions: positions,
        contact_plane_axes: dict.contact_plane_axes,
        contact_shapes: dict.contact_shapes ?? 'circle',
        contact_shape_params: dict.contact_shape_params ?? { radius: 10 },
        contact_ids: dict.contact_ids ?? null,
        shank_ids: shankIds ?? null,
        contact_sides: dict.contact_sides ?? null,
      },
      ctx,
    );
    probe.assignContour(dict.probe_planar_contour ?? null, ctx);
    if (dict.device_channel_indices !== undefined && dict.device_channel_indices !== null) {
      probe.assignDeviceChannelIndices(dict.device_channel_indices, ctx);
    }
    const annotations = dict.annotations;
    if (annotations !== undefined && annotations !== null) {
      if (typeof annotations !== 'object' || Array.isArray(annotations)) fail('FORMAT', ctx.name('annotations'), `expected an object, got ${describe(annotations)}`);
      probe.annotations = cloneJson(annotations as Record<string, unknown>);
    }
    const contactAnnotations = dict.contact_annotations;
    if (contactAnnotations !== undefined && contactAnnotations !== null) {
      if (typeof contactAnnotations !== 'object' || Array.isArray(contactAnnotations)) {
        fail('FORMAT', ctx.name('contact_annotations'), `expected an object, got ${describe(contactAnnotations)}`);
      }
      probe.annotateContactsWith(contactAnnotations as Record<string, unknown>, ctx, ctx.name('contact_annotations'));
    }
    return probe;
  }
}


// Contact shapes, probe contours and the small linear algebra that ProbeInterface does with numpy:
// vertices of each contact, the automatic planar contour, rotations, 2d <-> 3d axes.
import { SpikewireError, describe, type SpikewireErrorCode } from '../errors.js';
import { MAX_CONTACTS } from './limits.js';

/** The contact shapes ProbeInterface knows. */
export type ContactShape = 'circle' | 'square' | 'rect';

/** The contact shapes ProbeInterface knows, in its order. */
export const CONTACT_SHAPES: readonly ContactShape[] = ['circle', 'square', 'rect'];

/**
 * The size of one contact: `radius` for a circle, `width` for a square, `width` and `height` for a
 * rect (µm, or the probe's si_units). Other keys are kept and written back as they came.
 */
export interface ContactShapeParams {
  radius?: number;
  width?: number;
  height?: number;
  [key: string]: unknown;
}

/** The planes a 2d probe can be placed in, or projected onto, in 3d. */
export type PlaneAxes = 'xy' | 'yz' | 'xz';

/** The automatic contour kinds of `createAutoShape`. */
export type AutoShapeType = 'tip' | 'rect' | 'circular';

/** Throws `code` with a message that names `field` and what it should have been. */
export function fail(code: SpikewireErrorCode, field: string, message: string): never {
  throw new SpikewireError(code, `${field}: ${message}`);
}

/** Checks that `value` is a finite-or-not JS number array of length `len` (a row of a numpy array). */
function numberRow(value: unknown, len: number, code: SpikewireErrorCode, field: string): number[] {
  if (!isArrayLike(value)) fail(code, field, `expected an array of ${len} numbers, got ${describe(value)}`);
  if (value.length !== len) fail(code, field, `expected ${len} numbers, got ${value.length} (${describe(value)})`);
  const row = Array.from(value as ArrayLike<unknown>);
  for (const v of row) {
    if (typeof v !== 'number') fail(code, field, `expected numbers, got ${describe(v)}`);
  }
  return row as number[];
}

/** True for arrays and typed arrays (what numpy would turn into an array). */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * A 2-D numeric array of shape (rows, `cols`) as nested JS arrays: nested arrays, or a flat
 * array / typed array of rows*cols numbers (C order). `rows` is checked when given.
 */
export function matrix(value: unknown, cols: number, code: SpikewireErrorCode, field: string, rows?: number): number[][] {
  if (!isArrayLike(value)) fail(code, field, `expected an array of [${cols} numbers] rows, got ${describe(value)}`);
  checkCount(value.length, MAX_CONTACTS * cols, code, field);
  const list = Array.from(value as ArrayLike<unknown>);
  let out: number[][];
  if (list.length > 0 && list.every((v) => typeof v === 'number')) {
    // A flat C-order buffer (e.g. a Float64Array of n*ndim values).
    if (list.length % cols !== 0) {
      fail(code, field, `a flat array of ${list.length} numbers cannot be split into rows of ${cols}`);
    }
    out = [];
    for (let r = 0; r < list.length / cols; r++) out.push(list.slice(r * cols, (r + 1) * cols) as number[]);
  } else {
    out = list.map((row, r) => numberRow(row, cols, code, `${field}[${r}]`));
  }
  if (rows !== undefined && out.length !== rows) {
    fail(code, field, `expected ${rows} rows (one per contact), got ${out.length}`);
  }
  return out;
}

/** A list of `len` values (one per contact) from an array-like; anything else names `field` in the error. */
export function perContact<T>(value: unknown, len: number, code: SpikewireErrorCode, field: string): T[] {
  if (!isArrayLike(value)) fail(code, field, `expected an array of ${len} values (one per contact), got ${describe(value)}`);
  if (value.length !== len) fail(code, field, `expected ${len} values (one per contact), got ${value.length}`);
  return Array.from(value as ArrayLike<T>);
}

/** Refuses an array longer than `max` before anything is copied out of it (a probe has at most MAX_CONTACTS contacts). */
export function checkCount(length: number, max: number, code: SpikewireErrorCode, field: string): void {
  if (length > max) fail(code, field, `${length} values is more than a probe can have (at most ${MAX_CONTACTS} contacts)`);
}

/** Checks one contact's shape params against its shape (ProbeInterface's pairing: radius / width / width+height). */
export function checkShapeParams(shape: ContactShape, params: unknown, code: SpikewireErrorCode, field: string): ContactShapeParams {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    fail(code, field, `expected an object like {radius: 6}, got ${describe(params)}`);
  }
  const p = params as ContactShapeParams;
  const need: (keyof ContactShapeParams)[] = shape === 'circle' ? ['radius'] : shape === 'square' ? ['width'] : ['width', 'height'];
  for (const key of need) {
    const v = p[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      fail(code, field, `a ${shape} contact needs a non-negative number '${String(key)}', got ${describe(v)}`);
    }
  }
  return p;
}

/** Python's `str()` of a value that becomes a contact / shank id (numbers as Python prints them). */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
    if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
    // Non-integral floats: JS and Python pick the same shortest digits; only the layout differs
    // for very large / small exponents, which ids do not use.
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Geometry

/** numpy's `np.linspace(start, stop, num, endpoint)`: `start + i * step`. */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(start + i * step);
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** Row vector times matrix (`v @ R`), as numpy computes it for one row. */
export function vecMat(v: readonly number[], R: readonly (readonly number[])[]): number[] {
  const out: number[] = [];
  for (let j = 0; j < R[0]!.length; j++) {
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[k]! * R[k]![j]!;
    out.push(s);
  }
  return out;
}

/** ProbeInterface's 2d rotation matrix for `theta` radians: [[cos, -sin], [sin, cos]]. */
export function rotationMatrix2d(theta: number): number[][] {
  return [
    [Math.cos(theta), -Math.sin(theta)],
    [Math.sin(theta), Math.cos(theta)],
  ];
}

/** ProbeInterface's 3d rotation matrix (Euler-Rodrigues, from MEAutility) about `axis` by `theta` radians. */
export function rotationMatrix3d(axis: readonly number[], theta: number): number[][] {
  const norm = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  const u = axis.map((v) => v / norm);
  const a = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  const b = -u[0]! * s;
  const c = -u[1]! * s;
  const d = -u[2]! * s;
  const aa = a * a, bb = b * b, cc = c * c, dd = d * d;
  const bc = b * c, ad = a * d, ac = a * c, ab = a * b, bd = b * d, cd = c * d;
  return [
    [aa + bb - cc - dd, 2 * (bc + ad), 2 * (bd - ac)],
    [2 * (bc - ad), aa + cc - bb - dd, 2 * (cd + ab)],
    [2 * (bd + ac), 2 * (cd - ab), aa + dd - bb - cc],
  ];
}

/** The column indices of a plane name: 'xz' -> [0, 2]. */
export function planeDims(axes: string, code: SpikewireErrorCode = 'INVALID_ARGUMENT'): [number, number] {
  if (axes !== 'xy' && axes !== 'yz' && axes !== 'xz') fail(code, 'axes', `expected 'xy', 'yz' or 'xz', got ${describe(axes)}`);
  return [ 'xyz'.indexOf(axes[0]!), 'xyz'.indexOf(axes[1]!) ];
}

/** `_2d_to_3d`: each 2d row placed on the plane `axes` of a 3d row (the third coordinate 0). */
export function to3dRows(rows: readonly (readonly number[])[], axes: PlaneAxes): number[][] {
  const [d0, d1] = planeDims(axes);
  return rows.map((r) => {
    const out = [0, 0, 0];
    out[d0] = r[0]!;
    out[d1] = r[1]!;
    return out;
  });
}

/** `_3d_to_2d`: the two columns `axes` of each 3d row. */
export function to2dRows(rows: readonly (readonly number[])[], axes: PlaneAxes): number[][] {
  const [d0, d1] = planeDims(axes);
  return rows.map((r) => [r[d0]!, r[d1]!]);
}

/**
 * The outline of one contact as ProbeInterface draws it (`get_contact_vertices`): 360 points of a
 * circle (`np.linspace(0, 2π, 360)`, so the first and last coincide), or the 4 corners of a square /
 * rect, laid on the contact's plane axes.
 */
export function contactVertices(
  shape: ContactShape,
  params: ContactShapeParams,
  position: readonly number[],
  planeAxes: readonly (readonly number[])[],
  circlePoints = 360,
): number[][] {
  const [a0, a1] = planeAxes as [readonly number[], readonly number[]];
  const nd = position.length;
  if (shape === 'circle') {
    const r = params.radius!;
    return linspace(0, 2 * Math.PI, circlePoints).map((t) => {
      const c = Math.cos(t);
      const s = Math.sin(t);
      const v: number[] = [];
      for (let k = 0; k < nd; k++) v.push(position[k]! + r * c * a0[k]! + r * s * a1[k]!);
      return v;
    });
  }
  const w = params.width!;
  const h = shape === 'square' ? w : params.height!;
  const corner = (sw: number, sh: number) => {
    const v: number[] = [];
    for (let k = 0; k < nd; k++) v.push(position[k]! + sw * (w / 2) * a0[k]! + sh * (h / 2) * a1[k]!);
    return v;
  };
  return [corner(-1, -1), corner(-1, 1), corner(1, 1), corner(1, -1)];
}

/**
 * ProbeInterface's automatic planar contour (`create_auto_shape`), one polygon piece per shank in
 * sorted shank-id order: the x extent of each shank's contacts, the y extent of all contacts, widened
 * by `margin`; 'tip' adds a point `4 * margin` below the middle, 'circular' is 100 points on a circle.
 */
export function autoShape(
  positions: readonly (readonly number[])[],
  shankIds: readonly string[] | null,
  probeType: AutoShapeType,
  margin: number,
): number[][] {
  const groups: number[][] = [];
  if (shankIds === null) groups.push(positions.map((_, i) => i));
  else {
    const byShank = indicesByKey(shankIds);
    for (const id of uniqueSorted(shankIds)) groups.push(byShank.get(id)!);
  }
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const p of positions) {
    y0 = Math.min(y0, p[1]!);
    y1 = Math.max(y1, p[1]!);
  }
  y0 -= margin;
  y1 += margin;
  const polygon: number[][] = [];
  for (const group of groups) {
    let x0 = Infinity;
    let x1 = -Infinity;
    for (const i of group) {
      x0 = Math.min(x0, positions[i]![0]!);
      x1 = Math.max(x1, positions[i]![0]!);
    }
    x0 -= margin;
    x1 += margin;
    if (probeType === 'rect') {
      polygon.push([x0, y1], [x0, y0], [x1, y0], [x1, y1]);
    } else if (probeType === 'tip') {
      polygon.push([x0, y1], [x0, y0], [(x0 + x1) * 0.5, y0 - margin * 4], [x1, y0], [x1, y1]);
    } else if (probeType === 'circular') {
      const rx = (x1 - x0) / 2;
      const ry = (y1 - y0) / 2;
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      const radius = Math.max(rx, ry) + margin;
      for (const t of linspace(0, 2 * Math.PI, 100, false)) polygon.push([cx + radius * Math.cos(t), cy + radius * Math.sin(t)]);
    } else {
      fail('INVALID_ARGUMENT', 'probeType', `expected 'tip', 'rect' or 'circular', got ${describe(probeType)}`);
    }
  }
  return polygon;
}

/**
 * The indices of each distinct value of `keys`, in one pass (a filter per value would be quadratic
 * for a probe whose every contact has its own shank or probe index).
 */
export function indicesByKey<K>(keys: readonly K[]): Map<K, number[]> {
  const out = new Map<K, number[]>();
  keys.forEach((k, i) => {
    const list = out.get(k);
    if (list === undefined) out.set(k, [i]);
    else list.push(i);
  });
  return out;
}

/** numpy's `np.unique` of strings: sorted by code point, duplicates removed. */
export function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

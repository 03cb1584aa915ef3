// ProbeInterface's probe generators, with its defaults and its arithmetic (so positions and contours
// come out bit for bit as numpy computes them). One options object per generator: ProbeInterface's
// keyword names in camelCase.
import { SpikewireError, describe } from '../errors.js';
import { cloneJson } from './json-floats.js';
import { MAX_CONTACTS } from './limits.js';
import { Probe } from './probe.js';
import { ProbeGroup } from './probegroup.js';
import type { ContactShape, ContactShapeParams } from './shapes.js';

/** The param each shape must have (ProbeInterface's `_default_shape_to_params`). */
const SHAPE_PARAM: Record<ContactShape, string> = { circle: 'radius', square: 'width', rect: 'height' };

function checkShape(contactShapes: ContactShape, contactShapeParams: ContactShapeParams): void {
  const key = SHAPE_PARAM[contactShapes];
  if (key === undefined) throw new SpikewireError('INVALID_ARGUMENT', `contactShapes: expected 'circle', 'square' or 'rect', got ${describe(contactShapes)}`);
  if (contactShapeParams === null || typeof contactShapeParams !== 'object' || !(key in contactShapeParams)) {
    throw new SpikewireError(
      'INVALID_ARGUMENT',
      `contactShapeParams: a ${contactShapes} contact needs '${key}' (circle: radius, square: width, rect: width and height), got ${describe(contactShapeParams)}`,
    );
  }
}

/** A count of contacts, columns or shanks: an integer from 1 to MAX_CONTACTS (no probe has more). */
function positiveInt(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONTACTS) {
    throw new SpikewireError('INVALID_ARGUMENT', `${name}: expected a positive integer (at most ${MAX_CONTACTS}), got ${describe(value)}`);
  }
  return value;
}

/** A distance or offset: a finite number (NaN or Infinity would place contacts nowhere). */
function finite(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new SpikewireError('INVALID_ARGUMENT', `${name}: expected a finite number, got ${describe(value)}`);
  }
  return value;
}

/** Refuses a probe of more than MAX_CONTACTS contacts before any of them is made. */
function checkTotal(total: number, what: string): void {
  if (total > MAX_CONTACTS) {
    throw new SpikewireError('INVALID_ARGUMENT', `${what}: ${total} contacts in all, more than a probe can have (at most ${MAX_CONTACTS})`);
  }
}

/** Options of {@link generateMultiColumnsProbe} (ProbeInterface's `generate_multi_columns_probe`). */
export interface MultiColumnsProbeOptions {
  /** Default 3. */
  numColumns?: number;
  /** Contacts per column: one number for all, or one per column. Default 10. */
  numContactPerColumn?: number | readonly number[];
  /** Column spacing (µm). Default 20. */
  xpitch?: number;
  /** Row spacing (µm). Default 20. */
  ypitch?: number;
  /** y offset of each column. Default 0 for all. */
  yShiftPerColumn?: readonly number[] | null;
  /** Default 'circle'. */
  contactShapes?: ContactShape;
  /** Default `{ radius: 6 }`. */
  contactShapeParams?: ContactShapeParams;
}

/**
 * A probe with several columns of contacts (ProbeInterface's `generate_multi_columns_probe`): column
 * i at x = xpitch * i, contacts at y = k * ypitch + yShiftPerColumn[i]; a 'tip' contour with margin
 * 25; contact ids '0', '1', ...
 */
export function generateMultiColumnsProbe(opts: MultiColumnsProbeOptions = {}): Probe {
  const numColumns = positiveInt(opts.numColumns ?? 3, 'numColumns');
  const xpitch = opts.xpitch ?? 20;
  const ypitch = opts.ypitch ?? 20;
  const contactShapes = opts.contactShapes ?? 'circle';
  const contactShapeParams = opts.contactShapeParams ?? { radius: 6 };
  checkShape(contactShapes, contactShapeParams);
  const perColumnIn = opts.numContactPerColumn ?? 10;
  if (typeof perColumnIn !== 'number' && !Array.isArray(perColumnIn)) {
    throw new SpikewireError('INVALID_ARGUMENT', `numContactPerColumn: expected a number or one number per column, got ${describe(perColumnIn)}`);
  }
  if (typeof perColumnIn !== 'number' && perColumnIn.length !== numColumns) {
    throw new SpikewireError('INVALID_ARGUMENT', `numContactPerColumn: expected ${numColumns} values (one per column), got ${describe(perColumnIn)}`);
  }
  const perColumn = typeof perColumnIn === 'number' ? new Array<number>(numColumns).fill(perColumnIn) : Array.from(perColumnIn);
  perColumn.forEach((n, i) => positiveInt(n, typeof perColumnIn === 'number' ? 'numContactPerColumn' : `numContactPerColumn[${i}]`));
  checkTotal(perColumn.reduce((a, b) => a + b, 0), 'numColumns x numContactPerColumn');
  const shifts = opts.yShiftPerColumn ?? new Array<number>(numColumns).fill(0);
  if (!Array.isArray(shifts) || shifts.length !== numColumns) {
    throw new SpikewireError('INVALID_ARGUMENT', `yShiftPerColumn: expected ${numColumns} numbers (one per column), got ${describe(shifts)}`);
  }
  shifts.forEach((v, i) => finite(v, `yShiftPerColumn[${i}]`));
  finite(xpitch, 'xpitch');
  finite(ypitch, 'ypitch');

  const positions: number[][] = [];
  for (let i = 0; i < numColumns; i++) {
    // numpy: np.ones(n) * xpitch * i and np.arange(n) * ypitch + shift, in that order of operations.
    const x = 1 * xpitch * i;
    for (let k = 0; k < perColumn[i]!; k++) positions.push([x, k * ypitch + shifts[i]!]);
  }
  const probe = new Probe({ ndim: 2, siUnits: 'um' });
  probe.setContacts({ positions, shapes: contactShapes, shapeParams: cloneJson(contactShapeParams) });
  probe.createAutoShape('tip', 25);
  probe.setContactIds(positions.map((_, i) => String(i)));
  return probe;
}

/** Options of {@link generateLinearProbe} (ProbeInterface's `generate_linear_probe`). */
export interface LinearProbeOptions {
  /** Number of contacts. Default 16. */
  numElec?: number;
  /** Contact spacing (µm). Default 20. */
  ypitch?: number;
  /** Default 'circle'. */
  contactShapes?: ContactShape;
  /** Default `{ radius: 6 }`. */
  contactShapeParams?: ContactShapeParams;
}

/** A one-column probe (ProbeInterface's `generate_linear_probe`): a multi-columns probe with one column. */
export function generateLinearProbe(opts: LinearProbeOptions = {}): Probe {
  return generateMultiColumnsProbe({
    numColumns: 1,
    numContactPerColumn: opts.numElec ?? 16,
    xpitch: 0,
    ypitch: opts.ypitch ?? 20,
    contactShapes: opts.contactShapes ?? 'circle',
    contactShapeParams: opts.contactShapeParams ?? { radius: 6 },
  });
}

/** Options of {@link generateTetrode} (ProbeInterface's `generate_tetrode`). */
export interface TetrodeOptions {
  /** Distance of the 4 contacts from the centre (µm). Default 10. */
  r?: number;
}

/** A tetrode (ProbeInterface's `generate_tetrode`): 4 circles of radius 6 at angles 0, 90, 180, 270° and distance r; no ids, no contour. */
export function generateTetrode(opts: TetrodeOptions = {}): Probe {
  const r = opts.r ?? 10;
  if (typeof r !== 'number' || !Number.isFinite(r)) throw new SpikewireError('INVALID_ARGUMENT', `r: expected a number, got ${describe(r)}`);
  // np.arange(0, 2π, π/2): start + i * step.
  const step = Math.PI / 2;
  const positions = [0, 1, 2, 3].map((i) => {
    const phi = i * step;
    return [Math.cos(phi) * r, Math.sin(phi) * r];
  });
  const probe = new Probe({ ndim: 2, siUnits: 'um' });
  probe.setContacts({ positions, shapes: 'circle', shapeParams: { radius: 6 } });
  return probe;
}

/** Options of {@link generateMultiShank}: ProbeInterface's `generate_multi_shank` plus the multi-columns options for each shank. */
export interface MultiShankOptions extends MultiColumnsProbeOptions {
  /** Number of shanks. Default 2. */
  numShank?: number;
  /** Offset between shanks (ndim numbers). Default [150, 0]. */
  shankPitch?: readonly number[];
}

/**
 * A multi-shank probe (ProbeInterface's `generate_multi_shank`): `numShank` multi-columns probes,
 * shank i moved by shankPitch * i, combined into one probe with shank ids '0', '1', ... and one
 * contour joining the shanks' contours (40 µm above the first and last points), as
 * ProbeInterface's `combine_probes` does. No contact ids (as in ProbeInterface 0.3.2).
 */
export function generateMultiShank(opts: MultiShankOptions = {}): Probe {
  const { numShank: numShankIn, shankPitch: pitchIn, ...columns } = opts;
  const numShank = positiveInt(numShankIn ?? 2, 'numShank');
  const shankPitch = pitchIn ?? [150, 0];
  if (!Array.isArray(shankPitch) || shankPitch.length !== 2) throw new SpikewireError('INVALID_ARGUMENT', `shankPitch: expected 2 numbers, got ${describe(shankPitch)}`);
  shankPitch.forEach((v, i) => finite(v, `shankPitch[${i}]`));
  // One shank first: its options are checked and its size known before numShank copies are made.
  const first = generateMultiColumnsProbe(columns);
  checkTotal(first.getContactCount() * numShank, 'numShank x contacts per shank');
  const shanks: Probe[] = [];
  for (let i = 0; i < numShank; i++) {
    const p = i === 0 ? first : generateMultiColumnsProbe(columns);
    p.move(shankPitch.map((v) => v * i));
    shanks.push(p);
  }
  return combineProbes(shanks);
}

/**
 * Several 2d probes combined into one multi-shank probe (ProbeInterface's `combine_probes`): contacts
 * concatenated, shank ids '0', '1', ... by probe, and with `connectShape` one contour through all
 * the probes' contours plus a point 40 µm above the first and the last.
 */
export function combineProbes(probes: readonly Probe[], connectShape = true): Probe {
  if (probes.length === 0) throw new SpikewireError('INVALID_ARGUMENT', 'combineProbes: no probe given');
  if (!probes.every((p) => p.ndim === 2)) throw new SpikewireError('INVALID_ARGUMENT', 'combineProbes: all probes must be 2d');
  const positions = probes.flatMap((p) => p.contactPositions!.map((r) => r.slice()));
  const planeAxes = probes.flatMap((p) => p.contactPlaneAxes!.map((a) => a.map((r) => r.slice())));
  const shapes = probes.flatMap((p) => p.contactShapes!.slice());
  const shapeParams = probes.flatMap((p) => p.contactShapeParams!.map((sp) => cloneJson(sp)));
  const shankIds = probes.flatMap((p, i) => new Array<string>(p.getContactCount()).fill(String(i)));
  const out = new Probe({ ndim: 2, siUnits: probes[0]!.siUnits });
  out.setContacts({ positions, planeAxes, shapes, shapeParams, shankIds });
  if (connectShape && probes.every((p) => p.probePlanarContour !== null)) {
    const verts = probes.flatMap((p) => p.probePlanarContour!.map((r) => r.slice()));
    const first = verts[0]!;
    const last = verts[verts.length - 1]!;
    out.setPlanarContour([[first[0]! + 0, first[1]! + 40], ...verts, [last[0]! + 0, last[1]! + 40]]);
  }
  return out;
}

/** Options of {@link generateDummyProbe} (ProbeInterface's `generate_dummy_probe`). */
export interface DummyProbeOptions {
  /** Default 'circle' (radius 6); 'square' has width 7, 'rect' 6 × 4.5. */
  elecShapes?: ContactShape;
}

/**
 * ProbeInterface's test probe (`generate_dummy_probe`): 3 columns of 10, 12 and 10 contacts, pitch
 * 25 µm, the middle column shifted down 12.5 µm; annotated manufacturer 'me' and a contact annotation
 * `quality` of 1000.0 for each contact.
 */
export function generateDummyProbe(opts: DummyProbeOptions = {}): Probe {
  const elecShapes = opts.elecShapes ?? 'circle';
  const params: Record<ContactShape, ContactShapeParams> = {
    circle: { radius: 6 },
    square: { width: 7 },
    rect: { width: 6, height: 4.5 },
  };
  if (!(elecShapes in params)) throw new SpikewireError('INVALID_ARGUMENT', `elecShapes: expected 'circle', 'square' or 'rect', got ${describe(elecShapes)}`);
  const probe = generateMultiColumnsProbe({
    numColumns: 3,
    numContactPerColumn: [10, 12, 10],
    xpitch: 25,
    ypitch: 25,
    yShiftPerColumn: [0, -12.5, 0],
    contactShapes: elecShapes,
    contactShapeParams: params[elecShapes],
  });
  probe.annotate({ manufacturer: 'me' });
  probe.annotateContacts({ quality: new Float64Array(probe.getContactCount()).fill(1000) });
  return probe;
}

/** ProbeInterface's `generate_dummy_probe_group`: a dummy probe and a rect-contact one moved by [150, -50]. */
export function generateDummyProbeGroup(): ProbeGroup {
  const probe0 = generateDummyProbe();
  const probe1 = generateDummyProbe({ elecShapes: 'rect' });
  probe1.move([150, -50]);
  const group = new ProbeGroup();
  group.addProbe(probe0);
  group.addProbe(probe1);
  return group;
}

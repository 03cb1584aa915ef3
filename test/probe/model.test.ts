// Probe and ProbeGroup operations against values computed by hand from ProbeInterface's formulas
// (rotate: new = (p - c) @ R + c with R = [[cos, -sin], [sin, cos]]; create_auto_shape; to_3d / to_2d).
import { describe, expect, it } from 'vitest';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import { generateLinearProbe, generateMultiColumnsProbe, generateMultiShank } from '../../src/probe/generators.js';
import { parseProbeinterface, writeProbeinterfaceText } from '../../src/probe/io-json.js';
import { writeProbeinterface } from '../../src/formats/probe-files.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

/** Element-wise closeness of nested number arrays. */
function expectClose(actual: unknown, expected: unknown, eps = 1e-9): void {
  const a = (actual as unknown[]).flat(3) as number[];
  const e = (expected as unknown[]).flat(3) as number[];
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => expect(Math.abs(v - e[i]!), `index ${i}: ${v} vs ${e[i]}`).toBeLessThan(eps));
}

function twoContacts(): Probe {
  const p = new Probe();
  p.setContacts({ positions: [[0, 0], [0, 20]], shapes: 'circle', shapeParams: { radius: 5 } });
  return p;
}

describe('Probe basics', () => {
  it('constructor annotations, title and defaults of setContacts', () => {
    const p = new Probe({ name: 'A', manufacturer: 'M', modelName: 'X1', serialNumber: 'S7' });
    expect(p.annotations).toEqual({ name: 'A', serial_number: 'S7', model_name: 'X1', manufacturer: 'M' });
    expect(p.getTitle()).toBe('Undefined probe');
    p.setContacts({ positions: [[0, 0], [10, 0], [20, 0]] });
    expect(p.contactShapes).toEqual(['circle', 'circle', 'circle']);
    expect(p.contactShapeParams).toEqual([{ radius: 10 }, { radius: 10 }, { radius: 10 }]);
    expect(p.contactPlaneAxes![0]).toEqual([[1, 0], [0, 1]]);
    expect(p.contactIds).toBeNull();
    expect(p.getTitle()).toBe('A - M - X1 - S7 - 3ch');
    p.name = null;
    expect(p.name).toBeNull();
    expect(p.getTitle()).toBe('Probe - M - X1 - S7 - 3ch');
    p.setContacts({ positions: new Float64Array([0, 0, 5, 5]) }); // flat C-order buffer
    expect(p.contactPositions).toEqual([[0, 0], [5, 5]]);
  });

  it('refuses wrong sizes with INVALID_ARGUMENT naming the option', () => {
    const p = new Probe();
    expectCode(() => p.setContacts({ positions: [[0, 0, 0]] }), 'INVALID_ARGUMENT', /positions: rows have 3 coordinates but the probe has ndim 2/);
    expectCode(() => p.setContacts({ positions: [[0, 0], [1, 1]], shapes: ['circle'] }), 'INVALID_ARGUMENT', /shapes: expected 2 values/);
    expectCode(() => p.setContacts({ positions: [[0, 0]], shapes: 'rect', shapeParams: { width: 1 } }), 'INVALID_ARGUMENT', /shapeParams\[0\]: a rect contact needs a non-negative number 'height'/);
    expectCode(() => new Probe({ ndim: 3 }).setContacts({ positions: [[0, 0, 0]] }), 'INVALID_ARGUMENT', /planeAxes: a 3d probe needs plane axes/);
    expectCode(() => p.getContactCount(), 'INVALID_ARGUMENT', /no contacts yet/);
    const q = twoContacts();
    expectCode(() => q.setContactIds(['a', 'a']), 'INVALID_ARGUMENT', /contactIds: contact ids must be unique/);
    expectCode(() => q.setDeviceChannelIndices([0]), 'INVALID_ARGUMENT', /deviceChannelIndices: expected 2 values/);
    expectCode(() => q.setDeviceChannelIndices([0, -2]), 'INVALID_ARGUMENT', /deviceChannelIndices\[1\]: expected an integer >= -1/);
    expectCode(() => q.annotate({ first_index: 2 }), 'INVALID_ARGUMENT', /first_index: must be 0 or 1/);
    expectCode(() => q.annotateContacts({ q: [1, 2, 3] }), 'INVALID_ARGUMENT', /contact annotation "q": expected 2 values/);
    expectCode(() => new Probe({ ndim: 4 as 2 }), 'INVALID_ARGUMENT', /ndim: expected 2 or 3/);
  });

  it('ids become strings as Python str() makes them; contact annotations are typed as numpy would', () => {
    const p = twoContacts();
    p.setContactIds([3, 4]);
    expect(p.contactIds).toEqual(['3', '4']);
    p.setShankIds([1, 1]);
    expect(p.shankIds).toEqual(['1', '1']);
    p.annotateContacts({ ints: [1, 2], floats: [1, 2.5], bools: [true, false], strs: ['a', 1], objs: [null, 'x'] });
    expect(p.contactAnnotations.ints).toEqual([1, 2]);
    expect(p.contactAnnotations.floats).toEqual(Float64Array.from([1, 2.5]));
    expect(p.contactAnnotations.bools).toEqual([true, false]);
    expect(p.contactAnnotations.strs).toEqual(['a', '1']);
    expect(p.contactAnnotations.objs).toEqual([null, 'x']);
    // np.asarray([1, 2.5]).tolist() -> [1.0, 2.5]
    expect(writeProbeinterfaceText(p)).toContain('"floats": [\n                    1.0,\n                    2.5\n                ]');
    expect(writeProbeinterfaceText(p)).toContain('"ints": [\n                    1,\n                    2\n                ]');
  });

  it('shanks: sorted shank ids (as numpy sorts strings), counts, per-shank views', () => {
    const p = new Probe();
    p.setContacts({ positions: [[0, 0], [0, 10], [100, 0], [100, 10], [200, 0]], shankIds: ['2', '2', '10', '10', '1'] });
    expect(p.getShankCount()).toBe(3);
    const shanks = p.getShanks();
    expect(shanks.map((s) => s.shankId)).toEqual(['1', '10', '2']);
    expect(shanks.map((s) => s.getIndices())).toEqual([[4], [2, 3], [0, 1]]);
    expect(shanks[1]!.contactPositions).toEqual([[100, 0], [100, 10]]);
    expect(shanks[1]!.getContactCount()).toBe(2);
    expect(shanks[1]!.deviceChannelIndices).toBeNull();
    p.setDeviceChannelIndices([0, 1, 2, 3, -1]);
    expect(shanks[0]!.deviceChannelIndices).toEqual([-1]);
    expect(p.getTitle()).toBe('Probe - 5ch - 3shanks');
    const single = twoContacts().getShanks();
    expect(single.length).toBe(1);
    expect(single[0]!.shankId).toBeNull();
    expect(single[0]!.getIndices()).toEqual([0, 1]);
    const ms = generateMultiShank({ numShank: 3 });
    expect(ms.getShanks().map((s) => [s.shankId, s.getContactCount()])).toEqual([['0', 30], ['1', 30], ['2', 30]]);
  });
});

describe('geometry operations', () => {
  it('move translates contacts and contour', () => {
    const p = generateLinearProbe({ numElec: 2 });
    p.move([10, -5]);
    expect(p.contactPositions).toEqual([[10, -5], [10, 15]]);
    expect(p.probePlanarContour).toEqual([[-15, 40], [-15, -30], [10, -130], [35, -30], [35, 40]]);
    expectCode(() => p.move([1]), 'INVALID_ARGUMENT', /translationVector: expected 2 numbers/);
  });

  it("rotate in 2d follows ProbeInterface's formula (p - c) @ R + c about the mean position", () => {
    const p = twoContacts();
    p.setPlanarContour([[-5, -5], [5, -5], [5, 25], [-5, 25]]);
    p.rotate(90);
    // c = (0, 10); [x, y] @ [[cos, -sin], [sin, cos]] = [y, -x] at 90 degrees
    expectClose(p.contactPositions, [[-10, 10], [10, 10]]);
    expectClose(p.contactPlaneAxes, [[[0, -1], [1, 0]], [[0, -1], [1, 0]]]);
    expectClose(p.probePlanarContour, [[-15, 15], [-15, 5], [15, 5], [15, 15]]);
    const q = twoContacts();
    q.rotate(30, [0, 0]);
    const c = Math.cos(Math.PI / 6);
    const s = Math.sin(Math.PI / 6);
    expectClose(q.contactPositions, [[0, 0], [20 * s, 20 * c]]);
    expectCode(() => q.rotate(10, null, [0, 0, 1]), 'INVALID_ARGUMENT', /axis: must be left out for a 2d probe/);
  });

  it('rotate in 3d uses the transposed Euler-Rodrigues matrix about an axis', () => {
    const p = new Probe({ ndim: 3 });
    p.setContacts({ positions: [[1, 0, 0], [0, 0, 5]], planeAxes: [[[1, 0, 0], [0, 0, 1]], [[1, 0, 0], [0, 0, 1]]] });
    p.rotate(90, [0, 0, 0], [0, 0, 1]);
    expectClose(p.contactPositions, [[0, 1, 0], [0, 0, 5]]);
    expectClose(p.contactPlaneAxes![0], [[0, 1, 0], [0, 0, 1]]);
    expectCode(() => p.rotate(90), 'INVALID_ARGUMENT', /axis: a 3d probe needs a rotation axis/);
  });

  it('rotateContacts turns each contact plane', () => {
    const p = twoContacts();
    p.rotateContacts([90, 0]);
    expectClose(p.contactPlaneAxes, [[[0, -1], [1, 0]], [[1, 0], [0, 1]]]);
    expect(p.contactPositions).toEqual([[0, 0], [0, 20]]);
  });

  it("createAutoShape: 'tip', 'rect' and 'circular' with ProbeInterface's margins", () => {
    const p = new Probe();
    p.setContacts({ positions: [[0, 0], [20, 0], [0, 40]] });
    p.createAutoShape('rect', 10);
    expect(p.probePlanarContour).toEqual([[-10, 50], [-10, -10], [30, -10], [30, 50]]);
    p.createAutoShape();
    expect(p.probePlanarContour).toEqual([[-20, 60], [-20, -20], [10, -100], [40, -20], [40, 60]]);
    p.createAutoShape('circular', 5);
    const contour = p.probePlanarContour!;
    expect(contour.length).toBe(100);
    // extents widened by the margin first: x -5..25, y -5..45; centre (10, 20),
    // radius max(15, 25) + 5 = 30 (the margin counts twice, as in ProbeInterface); first point at angle 0
    expectClose([contour[0]], [[40, 20]]);
    expectClose([contour[25]], [[10, 50]]);
    expectCode(() => p.createAutoShape('star' as 'tip'), 'INVALID_ARGUMENT', /probeType/);
    expectCode(() => generateLinearProbe().to3d().createAutoShape(), 'INVALID_ARGUMENT', /only 2d probes/);
  });

  it('contact vertices: squares and rects by their plane axes, circles of 360 points', () => {
    const p = new Probe();
    p.setContacts({ positions: [[0, 0], [10, 10], [50, 50]], shapes: ['square', 'rect', 'circle'], shapeParams: [{ width: 4 }, { width: 2, height: 6 }, { radius: 3 }] });
    const v = p.getContactVertices();
    expect(v[0]).toEqual([[-2, -2], [-2, 2], [2, 2], [2, -2]]);
    expect(v[1]).toEqual([[9, 7], [9, 13], [11, 13], [11, 7]]);
    expect(v[2]!.length).toBe(360);
    expectClose([v[2]![0], v[2]![359]], [[53, 50], [53, 50]]);
  });

  it('to3d places the probe on a plane; to2d projects it back (wiring kept, ids not)', () => {
    const p = generateLinearProbe({ numElec: 3 });
    p.setDeviceChannelIndices([2, 0, 1]);
    const p3 = p.to3d('yz');
    expect(p3.ndim).toBe(3);
    expect(p3.contactPositions).toEqual([[0, 0, 0], [0, 0, 20], [0, 0, 40]]);
    expect(p3.contactPlaneAxes![0]).toEqual([[0, 1, 0], [0, 0, 1]]);
    expect(p3.probePlanarContour![0]).toEqual([0, -25, 65]);
    expect(p3.deviceChannelIndices).toEqual([2, 0, 1]);
    expect(p3.contactIds).toBeNull();
    const p2 = p3.to2d('yz');
    expect(p2.contactPositions).toEqual(p.contactPositions);
    expect(p2.probePlanarContour).toEqual(p.probePlanarContour);
    expect(p2.deviceChannelIndices).toEqual([2, 0, 1]);
    expectCode(() => p.to2d(), 'INVALID_ARGUMENT', /start from a 3d probe/);
    expectCode(() => p3.to3d(), 'INVALID_ARGUMENT', /start from a 2d probe/);
    expectCode(() => p.to3d('xx' as 'xy'), 'INVALID_ARGUMENT', /axes: expected 'xy', 'yz' or 'xz'/);
  });

  it('getSlice by mask or indices keeps wiring, ids, annotations and the contour', () => {
    const p = generateMultiColumnsProbe({ numColumns: 2, numContactPerColumn: 3 });
    p.setDeviceChannelIndices([5, 4, 3, 2, 1, 0]);
    p.annotate({ name: 'x' });
    p.annotateContacts({ imp: [0.5, 1, 1.5, 2, 2.5, 3] });
    const s = p.getSlice([4, 0]);
    expect(s.contactPositions).toEqual([[20, 20], [0, 0]]);
    expect(s.contactIds).toEqual(['4', '0']);
    expect(s.deviceChannelIndices).toEqual([1, 5]);
    expect(s.contactAnnotations.imp).toEqual(Float64Array.from([2.5, 0.5]));
    expect(s.probePlanarContour).toEqual(p.probePlanarContour);
    expect(s.name).toBe('x');
    const m = p.getSlice([true, false, false, false, false, true]);
    expect(m.contactIds).toEqual(['0', '5']);
    expectCode(() => p.getSlice([0, 0]), 'INVALID_ARGUMENT', /unique/);
    expectCode(() => p.getSlice([6]), 'OUT_OF_RANGE', /contact index 6 is not in \[0, 6\)/);
    expectCode(() => p.getSlice([true]), 'INVALID_ARGUMENT', /boolean mask needs 6 values/);
  });

  it('copy keeps the identity (ids, annotations, contour) but not the wiring', () => {
    const p = generateLinearProbe({ numElec: 4 });
    p.setDeviceChannelIndices([0, 1, 2, 3]);
    p.annotate({ name: 'orig', gain: 2.0 });
    const c = p.copy();
    expect(c.deviceChannelIndices).toBeNull();
    expect(c.contactIds).toEqual(p.contactIds);
    expect(c.annotations).toEqual(p.annotations);
    c.move([1, 1]);
    expect(p.contactPositions![0]).toEqual([0, 0]);
  });

  it('toDict / fromDict round-trip, with floats remembered', async () => {
    const text = await readFixtureText('probes/neuropixels_NP1000_bank0_384.json');
    const probe = parseProbeinterface(text).probes[0]!;
    const again = Probe.fromDict(probe.toDict());
    expect(again.toDict()).toEqual(probe.toDict());
    expect(writeProbeinterfaceText(again)).toBe(text);
    // a dict from JSON.parse has no int/float memory: positions are still floats, annotations ints
    const plain = Probe.fromDict(JSON.parse(text).probes[0]);
    expect(writeProbeinterface(plain)).toEqual(JSON.parse(text));
    expect(writeProbeinterfaceText(plain)).toContain('"ap_sample_frequency_hz": 30000,');
    expect(writeProbeinterfaceText(plain)).toContain('"contact_positions": [\n                [\n                    16.0,');
  });
});

describe('ProbeGroup', () => {
  it('addProbe checks: one group per probe, same ndim, no shared device channel', () => {
    const g = new ProbeGroup();
    const a = twoContacts();
    a.setDeviceChannelIndices([0, 1]);
    g.addProbe(a);
    const b = twoContacts();
    b.move([100, 0]);
    b.setDeviceChannelIndices([1, 2]);
    expectCode(() => g.addProbe(b), 'INVALID_ARGUMENT', /device channel indices are not unique across probes: channel 1/);
    expect(g.probes.length).toBe(1);
    b.setDeviceChannelIndices([2, -1]);
    g.addProbe(b);
    const c = new Probe({ ndim: 3 });
    c.setContacts({ positions: [[0, 0, 0]], planeAxes: [[[1, 0, 0], [0, 1, 0]]] });
    expectCode(() => g.addProbe(c), 'INVALID_ARGUMENT', /ndim are not compatible/);
    expectCode(() => new ProbeGroup().addProbe(a), 'INVALID_ARGUMENT', /already attached/);
    // rewiring a member that would collide is refused and leaves the old wiring
    expectCode(() => b.setDeviceChannelIndices([0, 3]), 'INVALID_ARGUMENT', /channel 0 is used by probe 0 and probe 1/);
    expect(b.deviceChannelIndices).toEqual([2, -1]);
    expect(g.getGlobalDeviceChannelIndices()).toEqual({ probeIndex: [0, 0, 1, 1], deviceChannelIndices: [0, 1, 2, -1] });
  });

  it('global wiring and ids, probe after probe', () => {
    const g = new ProbeGroup();
    const a = generateLinearProbe({ numElec: 3 });
    const b = twoContacts();
    g.addProbe(a);
    g.addProbe(b);
    expect(g.getContactCount()).toBe(5);
    expect(g.getGlobalDeviceChannelIndices().deviceChannelIndices).toEqual([-1, -1, -1, -1, -1]);
    expect(g.getGlobalContactIds()).toEqual(['0', '1', '2', '', '']);
    g.setGlobalDeviceChannelIndices([4, 3, 2, 1, 0]);
    expect(a.deviceChannelIndices).toEqual([4, 3, 2]);
    expect(b.deviceChannelIndices).toEqual([1, 0]);
    expectCode(() => g.setGlobalDeviceChannelIndices([0, 1]), 'INVALID_ARGUMENT', /expected 5 values/);
    expectCode(() => g.setGlobalDeviceChannelIndices([0, 1, 2, 3, 3]), 'INVALID_ARGUMENT', /not unique/);
    expect(b.deviceChannelIndices).toEqual([1, 0]);
    g.autoGenerateContactIds();
    const ids = g.getGlobalContactIds();
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(Number(id) >= 1e7 && Number(id) < 1e8).toBe(true);
    g.autoGenerateProbeIds();
    expect(new Set(g.probes.map((p) => p.annotations.probe_id)).size).toBe(2);
    expectCode(() => g.autoGenerateProbeIds(), 'INVALID_ARGUMENT', /already has a probe_id/);
    expectCode(() => g.autoGenerateContactIds({ min: 0, max: 2 }), 'INVALID_ARGUMENT', /cannot generate 5 unique ids/);
  });

  it('getSlice picks contacts across probes by global index', async () => {
    const g = parseProbeinterface(await readFixtureText('probes/probegroup_2probes.json'));
    const s = g.getSlice([9, 1, 8, 0]);
    expect(s.probes.length).toBe(2);
    expect(s.probes[0]!.contactIds).toEqual(['1', '0']);
    expect(s.probes[1]!.contactIds).toEqual(['1', '0']);
    expect(s.getGlobalDeviceChannelIndices().deviceChannelIndices).toEqual([15, 4, 9, 1]);
    expect(s.probes[1]!.contactPositions).toEqual([[300, 20], [300, 0]]);
    expect(s.probes[1]!.probePlanarContour).toEqual(g.probes[1]!.probePlanarContour);
    const only = g.getSlice(Array.from({ length: 16 }, (_, i) => i >= 8));
    expect(only.probes.length).toBe(1);
    expectCode(() => g.getSlice([]), 'INVALID_ARGUMENT', /empty selection/);
    expectCode(() => g.getSlice([16]), 'OUT_OF_RANGE', /not in \[0, 16\)/);
  });

  it('toDict / fromDict / copy', async () => {
    const text = await readFixtureText('probes/probegroup_2probes.json');
    const g = parseProbeinterface(text);
    expect(ProbeGroup.fromDict(g.toDict()).toDict()).toEqual(g.toDict());
    expect(writeProbeinterfaceText(g.copy())).toBe(text);
    expect(g.ndim).toBe(2);
    expectCode(() => new ProbeGroup().ndim, 'INVALID_ARGUMENT', /no probe yet/);
  });
});

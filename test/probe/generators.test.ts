// The generators rebuild the fixture probes exactly: positions, shapes, params, ids, contours and
// (after the same wiring calls the fixture script made) device indices, down to the written bytes.
import { describe, expect, it } from 'vitest';
import {
  combineProbes,
  generateDummyProbe,
  generateDummyProbeGroup,
  generateLinearProbe,
  generateMultiColumnsProbe,
  generateMultiShank,
  generateTetrode,
} from '../../src/probe/generators.js';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import { writeProbeinterfaceText } from '../../src/probe/io-json.js';
import { writeProbeinterface } from '../../src/formats/probe-files.js';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

/** Checks a generated probe / group against a fixture file: the JSON object and the exact text. */
async function expectFixture(made: Probe | ProbeGroup, file: string): Promise<void> {
  const text = await readFixtureText(`probes/${file}`);
  expect(writeProbeinterface(made)).toEqual(JSON.parse(text));
  expect(writeProbeinterfaceText(made)).toBe(text);
}

describe('generators equal the fixtures ProbeInterface wrote', () => {
  it('linear: generateLinearProbe({ numElec: 16, ypitch: 20 })', async () => {
    const p = generateLinearProbe({ numElec: 16, ypitch: 20 });
    await expectFixture(p, 'linear.json');
    // the defaults are ProbeInterface's
    expect(writeProbeinterface(generateLinearProbe())).toEqual(writeProbeinterface(p));
  });

  it('linear_rect_wired: rect contacts 8 x 12 and a permuted wiring', async () => {
    const p = generateLinearProbe({ contactShapes: 'rect', contactShapeParams: { width: 8, height: 12 } });
    p.setDeviceChannelIndices([2, 11, 3, 10, 0, 4, 7, 5, 14, 12, 6, 9, 13, 8, 1, 15]);
    await expectFixture(p, 'linear_rect_wired.json');
  });

  it('multi_columns: 3 columns [10, 12, 10], pitch 22 x 18, shifted middle column, squares', async () => {
    const p = generateMultiColumnsProbe({
      numColumns: 3,
      numContactPerColumn: [10, 12, 10],
      xpitch: 22,
      ypitch: 18,
      yShiftPerColumn: [0, -9, 0],
      contactShapes: 'square',
      contactShapeParams: { width: 12 },
    });
    await expectFixture(p, 'multi_columns.json');
  });

  it('multi_columns_wired_annotated: 2 x 8, reversed wiring, probe and contact annotations', async () => {
    const expected = await readFixtureJson('probes/multi_columns_wired_annotated.json');
    const p = generateMultiColumnsProbe({ numColumns: 2, numContactPerColumn: 8, xpitch: 16, ypitch: 20 });
    p.setDeviceChannelIndices(Array.from({ length: 16 }, (_, i) => 15 - i));
    p.annotate({ name: 'wired-2col' });
    p.annotate({ manufacturer: 'acme' });
    p.annotate({ model_name: 'A2x8' });
    p.annotate({ serial_number: 'SN-0042' });
    p.annotateContacts({ impedance: expected.probes[0].contact_annotations.impedance });
    await expectFixture(p, 'multi_columns_wired_annotated.json');
    expect(p.getTitle()).toBe('wired-2col - acme - A2x8 - SN-0042 - 16ch');
  });

  it('multi_shank: 4 shanks of 2 x 4, shank pitch [200, 0]', async () => {
    const p = generateMultiShank({ numShank: 4, shankPitch: [200, 0], numColumns: 2, numContactPerColumn: 4 });
    expect(p.deviceChannelIndices).toBeNull();
    expect(p.contactIds).toBeNull(); // combine_probes leaves ids unset in ProbeInterface 0.3.2
    expect(p.getShankCount()).toBe(4);
    p.setDeviceChannelIndices(Array.from({ length: 32 }, (_, i) => i));
    await expectFixture(p, 'multi_shank.json');
    expect(p.getTitle()).toBe('Probe - 32ch - 4shanks');
  });

  it('tetrode: generateTetrode() with wiring [3, 2, 1, 0] (cos/sin values bit for bit)', async () => {
    const p = generateTetrode();
    expect(p.contactIds).toBeNull();
    expect(p.probePlanarContour).toBeNull();
    p.setDeviceChannelIndices([3, 2, 1, 0]);
    await expectFixture(p, 'tetrode.json');
  });

  it('probegroup_2probes: linear 8 + 2-column 8 moved by 300 µm, global wiring', async () => {
    const a = generateLinearProbe({ numElec: 8 });
    const b = generateMultiColumnsProbe({ numColumns: 2, numContactPerColumn: 4 });
    b.move([300, 0]);
    const group = new ProbeGroup();
    group.addProbe(a);
    group.addProbe(b);
    group.setGlobalDeviceChannelIndices([4, 15, 2, 3, 8, 7, 11, 13, 1, 9, 5, 10, 0, 12, 6, 14]);
    await expectFixture(group, 'probegroup_2probes.json');
  });

  it('linear_3d: generateLinearProbe({ numElec: 4 }).to3d("xz")', async () => {
    await expectFixture(generateLinearProbe({ numElec: 4 }).to3d('xz'), 'linear_3d.json');
    await expectFixture(generateLinearProbe({ numElec: 4 }).to3d(), 'linear_3d.json');
  });

  it('the neuropixels bank-0 fixture is the full probe sliced to 384 contacts and wired 0..383', async () => {
    const full = (await import('../../src/probe/io-json.js')).parseProbeinterface(await readFixtureText('probes/neuropixels_NP1000_full.json'));
    const bank0 = full.probes[0]!.getSlice(Array.from({ length: 384 }, (_, i) => i));
    bank0.setDeviceChannelIndices(Array.from({ length: 384 }, (_, i) => i));
    await expectFixture(bank0, 'neuropixels_NP1000_bank0_384.json');
  });
});

describe('other generators', () => {
  it('generateDummyProbe: 32 contacts, 3 columns, manufacturer "me", quality 1000.0', () => {
    const p = generateDummyProbe();
    expect(p.getContactCount()).toBe(32);
    expect(p.manufacturer).toBe('me');
    expect(p.contactAnnotations.quality).toEqual(new Float64Array(32).fill(1000));
    expect(p.contactPositions!.slice(9, 12)).toEqual([
      [0, 225],
      [25, -12.5],
      [25, 12.5],
    ]);
    expect(p.probePlanarContour).toEqual([
      [-25, 287.5],
      [-25, -37.5],
      [25, -137.5],
      [75, -37.5],
      [75, 287.5],
    ]);
    expect(writeProbeinterfaceText(p)).toContain('"quality": [\n                    1000.0,');
    expect(generateDummyProbe({ elecShapes: 'rect' }).contactShapeParams![0]).toEqual({ width: 6, height: 4.5 });
    expect(generateDummyProbe({ elecShapes: 'square' }).contactShapeParams![0]).toEqual({ width: 7 });
  });

  it('generateDummyProbeGroup: two dummy probes, the second with rect contacts moved by [150, -50]', () => {
    const g = generateDummyProbeGroup();
    expect(g.probes.length).toBe(2);
    expect(g.probes[1]!.contactShapes![0]).toBe('rect');
    expect(g.probes[1]!.contactPositions![0]).toEqual([150, -50]);
  });

  it('combineProbes without connecting shapes leaves the contour unset', () => {
    const a = generateLinearProbe({ numElec: 2 });
    const b = generateLinearProbe({ numElec: 2 });
    b.move([100, 0]);
    const c = combineProbes([a, b], false);
    expect(c.shankIds).toEqual(['0', '0', '1', '1']);
    expect(c.probePlanarContour).toBeNull();
  });

  it('refuses shapes without their params and bad counts', () => {
    expectCode(() => generateLinearProbe({ contactShapes: 'square' }), 'INVALID_ARGUMENT', /contactShapeParams: a square contact needs 'width'/);
    expectCode(() => generateMultiColumnsProbe({ numColumns: 2, numContactPerColumn: [1, 2, 3] }), 'INVALID_ARGUMENT', /numContactPerColumn: expected 2 values/);
    expectCode(() => generateMultiColumnsProbe({ numColumns: 2, yShiftPerColumn: [0] }), 'INVALID_ARGUMENT', /yShiftPerColumn/);
    expectCode(() => generateMultiShank({ numShank: 0 }), 'INVALID_ARGUMENT', /numShank: expected a positive integer/);
  });
});

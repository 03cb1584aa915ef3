// ProbeInterface's to_numpy(complete=True) / from_numpy: the contact vector that SpikeInterface 0.104
// saves as properties/contact_vector.npy next to probe.json (release fixtures: the same probe twice).
import { describe, expect, it } from 'vitest';
import { parseProbeinterface } from '../../src/probe/io-json.js';
import { writeProbeinterface } from '../../src/formats/probe-files.js';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import { generateDummyProbe } from '../../src/probe/generators.js';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';

const CASES = ['linear_probe_permuted', 'multi_columns_probe', 'multi_shank_groups', 'numpy_source_neuropixels_64', 'probegroup_2probes'];

describe.each(CASES)('release-0.104.8 %s', (name) => {
  it("probe.json's group gives the saved contact_vector (fields, dtypes, values)", async () => {
    const dir = `release-0.104.8/recordings/${name}`;
    const expected = (await readFixtureJson(`${dir}/expected.json`)).saved_npy['properties/contact_vector.npy'].values;
    const group = parseProbeinterface(await readFixtureText(`${dir}/saved/probe.json`));
    const arr = group.toNumpy({ complete: true });
    expect(arr.fields.map((f) => [f.name, f.dtype])).toEqual(expected.dtype_descr);
    expect(arr.dtype).toBe(expected.dtype);
    expect(arr.shape).toEqual(expected.shape);
    const names = arr.fields.map((f) => f.name);
    expect(arr.values.map((r) => names.map((k) => r[k]))).toEqual(expected.data);
  });

  it('fromNumpy(contact_vector) gives back the probes (shape params as floats)', async () => {
    const dir = `release-0.104.8/recordings/${name}`;
    const expected = (await readFixtureJson(`${dir}/expected.json`)).saved_npy['properties/contact_vector.npy'].values;
    const names = (expected.dtype_descr as string[][]).map((d) => d[0]!);
    const records = (expected.data as unknown[][]).map((row) => Object.fromEntries(names.map((k, i) => [k, row[i]])));
    const fields = (expected.dtype_descr as string[][]).map(([fname, dtype]) => ({ name: fname!, dtype: dtype! }));
    const back = ProbeGroup.fromNumpy({ fields, values: records });
    const group = parseProbeinterface(await readFixtureText(`${dir}/saved/probe.json`));
    const want = writeProbeinterface(group);
    const got = writeProbeinterface(back);
    expect(got.probes.map((p) => p.contact_positions)).toEqual(want.probes.map((p) => p.contact_positions));
    expect(got.probes.map((p) => p.device_channel_indices)).toEqual(want.probes.map((p) => p.device_channel_indices));
    expect(got.probes.map((p) => p.contact_ids)).toEqual(want.probes.map((p) => p.contact_ids));
    expect(got.probes.map((p) => p.shank_ids)).toEqual(want.probes.map((p) => p.shank_ids));
    expect(got.probes.map((p) => p.contact_shape_params)).toEqual(want.probes.map((p) => p.contact_shape_params));
    expect(back.toNumpy({ complete: true })).toEqual(group.toNumpy({ complete: true }));
  });
});

describe('toNumpy details', () => {
  it('without complete: geometry, shapes, params and ids only; contact annotations typed', () => {
    const p = generateDummyProbe();
    expect(p.toNumpy().fields.map((f) => [f.name, f.dtype, f.offset])).toEqual([
      ['x', '<f8', 0],
      ['y', '<f8', 8],
      ['contact_shapes', '<U64', 16],
      ['radius', '<f8', 272],
      ['contact_ids', '<U64', 280],
    ]);
    const full = p.toNumpy({ complete: true });
    expect(full.fields.at(-1)).toEqual({ name: 'quality', dtype: '<f8', shape: [], offset: 832 });
    expect(full.dtype).toBe('|V840');
    const back = Probe.fromNumpy(full);
    expect(back.contactAnnotations.quality).toEqual(new Float64Array(32).fill(1000));
    expect(back.deviceChannelIndices).toBeNull();
    // the {field: column} form works too
    const columns = Object.fromEntries(full.fields.map((f) => [f.name, full.values.map((r) => r[f.name])]));
    expect(Probe.fromNumpy(columns).contactPositions).toEqual(p.contactPositions);
  });
});

// Probes on recordings, with SpikeInterface main's semantics, against the fixtures: setProbe /
// setProbegroup in place (the stored group sorted to channel order, wired 0..n-1, 'group' derived by
// groupMode), getChannelLocations, getProbe / getProbegroup, the error SpikeInterface gives for an
// interleaved probegroup wiring, the views (channel slices re-derive 'group' from the sliced probe;
// frame / segment views, appends and concatenations keep a copy; aggregations combine), dicts'
// top-level "probegroup", dummy probes from locations, and the tutorial's probe step.
import { describe, expect, it } from 'vitest';
import {
  BinaryRecordingExtractor,
  NumpyRecording,
  Probe,
  ProbeGroup,
  aggregateChannels,
  appendRecordings,
  concatenateRecordings,
  generateLinearProbe,
  generateMultiShank,
  parseProbeinterface,
  writeProbeinterfaceText,
  type BaseRecording,
} from '../../src/index.js';
import { numpyArrayStr } from '../../src/core/probe-attach.js';
import { expectCode } from '../helpers/expect-error.js';
import { decodeArrayEntry, readFixtureBytes, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { expectProbeDescription } from '../helpers/describe-recording.js';
import { buildCase, readCaseInputProbegroup } from './fixture-build.js';

const PROBE_CASES = ['linear_probe_permuted', 'multi_columns_probe', 'multi_shank_groups', 'probegroup_2probes', 'numpy_source_neuropixels_384'];
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A recording of `n` channels (int16 zeros) with ids 0..n-1, no probe. */
function blank(n: number, ids?: (number | string)[], segments = 1): NumpyRecording {
  return new NumpyRecording({ tracesList: range(segments).map(() => new Int16Array(10 * n)), samplingFrequency: 30000, numChannels: n, channelIds: ids });
}

/** The recording of a probe case without its probe (properties other than 'group' set). */
async function withoutProbe(name: string) {
  const built = await buildCase(name);
  const e = built.expected;
  const ids = decodeArrayEntry(e.source.channel_ids, { int64: 'number' }).flat as (number | string)[];
  const traces = await Promise.all(range(e.source.num_segments).map(async (s) => (await built.recording.getTraces({ segmentIndex: s })).data));
  const rec = new NumpyRecording({ tracesList: traces as Int16Array[], samplingFrequency: e.source.sampling_frequency, numChannels: ids.length, channelIds: ids });
  for (const key of built.recording.getPropertyKeys()) if (key !== 'group') rec.setProperty(key, built.recording.getProperty(key) as unknown[]);
  return { rec, expected: e, built: built.recording };
}

describe.each(PROBE_CASES)('probe case %s', (name) => {
  it('setProbe / setProbegroup attaches in place: locations, group, stored probegroup as SpikeInterface', async () => {
    const { rec, expected: e } = await withoutProbe(name);
    expect(rec.hasProbe()).toBe(false);
    const input = await readCaseInputProbegroup(name, e);
    const inputText = writeProbeinterfaceText(input);
    const ret = input.probes.length === 1 ? rec.setProbe(input.probes[0]!) : rec.setProbegroup(input);
    expect(ret).toBe(rec); // in place
    expect(rec.getChannelIds()).toEqual(decodeArrayEntry(e.set_probe_effect.channel_ids_after, { int64: 'number' }).flat);
    expect(rec.hasProbe()).toBe(true);
    expectProbeDescription(rec, e.source);
    expect(rec.getPropertyKeys()).toEqual(e.source.property_keys);
    expect(rec.getPropertyColumn('group')!.dtype).toBe('<i8');
    expect(rec.getProperty('group')).toEqual(e.source.properties.group.data);
    // the probe that was passed in is not changed (SpikeInterface stores a reordered copy)
    expect(writeProbeinterfaceText(input)).toBe(inputText);
    expect(rec.getProbegroup().probes.every((p) => !input.probes.includes(p))).toBe(true);
  });

  it('writes the stored probegroup byte for byte as saved/probegroup.json', async () => {
    const { recording } = await buildCase(name);
    expect(writeProbeinterfaceText(recording.getProbegroup())).toBe(await readFixtureText(`recordings/${name}/saved/probegroup.json`));
  });

  it('getProbe / getProbes / getChannelLocations(ids, axes)', async () => {
    const { expected: e, recording } = await buildCase(name);
    const pg = recording.getProbegroup();
    expect(recording.getProbes()).toEqual(pg.probes);
    if (pg.probes.length === 1) expect(recording.getProbe()).toBe(pg.probes[0]);
    else expectCode(() => recording.getProbe(), 'INVALID_ARGUMENT', /There are several probes: use getProbes\(\) or getProbegroup\(\)/);
    const all = decodeArrayEntry(e.source.channel_locations).values as Float64Array;
    const ids = recording.getChannelIds();
    const pick = [ids.length - 1, 0, Math.floor(ids.length / 2)];
    const sub = recording.getChannelLocations(pick.map((i) => ids[i]!));
    expect(Array.from(sub)).toEqual(pick.flatMap((i) => [all[2 * i]!, all[2 * i + 1]!]));
    const yx = recording.getChannelLocations(null, 'xy');
    expect(Array.from(yx)).toEqual(Array.from(all));
    expectCode(() => recording.getChannelLocations(undefined, 'xyz'), 'INVALID_ARGUMENT', /needs 3d positions/);
    expectCode(() => recording.getChannelLocations(undefined, 'zz' as never), 'INVALID_ARGUMENT', /axes "zz"/);
    expectCode(() => recording.getChannelLocations(['nope']), 'CHANNEL_NOT_FOUND');
  });
});

describe('setProbe / setProbegroup refusals (SpikeInterface messages), nothing changed', () => {
  it('probegroup_2probes: an interleaved global wiring is refused with SpikeInterface\'s message', async () => {
    const { rec, expected: e } = await withoutProbe('probegroup_2probes');
    const attempt = e.interleaved_probegroup_wiring_attempt;
    const group = await readCaseInputProbegroup('probegroup_2probes', e);
    group.setGlobalDeviceChannelIndices(attempt.info.global_wiring);
    const err = expectCode(() => rec.setProbegroup(group), 'INVALID_ARGUMENT');
    expect(err.message).toBe(attempt.error.message);
    expect(attempt.channel_locations).toBeNull();
    expect(rec.hasProbe()).toBe(false);
    expect(rec.getPropertyKeys()).not.toContain('group');
    expectCode(() => rec.getChannelLocations(), 'INVALID_ARGUMENT', /^getChannelLocations\(\) needs a probe to be attached to the recording$/);
    expectCode(() => rec.getProbegroup(), 'INVALID_ARGUMENT', /There is no Probe attached to this recording\. Use setProbe\(probe\) to attach one\./);
  });

  it('a probe without wiring, too few or too many connected contacts, a device channel past the end', () => {
    const rec = blank(6);
    const probe = generateLinearProbe({ numElec: 6 });
    expectCode(() => rec.setProbe(probe), 'INVALID_ARGUMENT', /Probe must have deviceChannelIndices/);
    probe.setDeviceChannelIndices([0, 1, 2, 3, 4, -1]);
    expectCode(() => rec.setProbe(probe), 'INVALID_ARGUMENT',
      /^The probe\/probegroup must have the same number of connected contacts as the number of channels as the recording, but the probe has 6 connected channels and the recording has 6 channels\./);
    probe.setDeviceChannelIndices([0, 1, 2, 3, 4, 6]);
    const err = expectCode(() => rec.setProbe(probe), 'INVALID_ARGUMENT', /does not match channel count/);
    expect(err.message).toContain('device_channel_indices are the following: [0 1 2 3 4 6] \n');
    expect(err.message).toContain('recording channels are the following: [0 1 2 3 4 5] \n');
    expect(err.message).toContain("or it's max index 6 is the same as the number of channels 6");
    expect(rec.hasProbe()).toBe(false);
    expect(rec.getPropertyKeys()).toEqual([]);
  });

  it('wrong inputs and modes', () => {
    const rec = blank(4);
    const probe = generateLinearProbe({ numElec: 4 });
    probe.setDeviceChannelIndices([0, 1, 2, 3]);
    expectCode(() => rec.setProbe({} as never), 'INVALID_ARGUMENT', /The input must be a Probe object/);
    expectCode(() => rec.setProbe(new ProbeGroup() as never), 'INVALID_ARGUMENT', /The input must be a Probe object/);
    expectCode(() => rec.setProbegroup(probe as never), 'INVALID_ARGUMENT', /needs a ProbeGroup/);
    expectCode(() => rec.setProbe(probe, { groupMode: 'by_color' as never }), 'INVALID_ARGUMENT', /groupMode "by_color"/);
    expectCode(() => rec.setProbe(probe, { groupMode: 'by_shank' }), 'INVALID_ARGUMENT', /shankIds is null in probe, you cannot group by shank/);
    expectCode(() => rec.setProbe(probe, { groupMode: 'by_side' }), 'INVALID_ARGUMENT', /contactSides is null in probe/);
    expect(rec.hasProbe()).toBe(false);
    expect(rec.getPropertyKeys()).toEqual([]);
  });

  it('overlapping probes of a group are refused unless checkOverlap is false', () => {
    const wide = new Probe();
    wide.setContacts({ positions: [[0, 0], [100, 0], [0, 100], [100, 100]] });
    const inside = new Probe();
    inside.setContacts({ positions: [[50, 50], [60, 50], [50, 60], [60, 60]] });
    const g = new ProbeGroup();
    g.addProbe(wide);
    g.addProbe(inside);
    g.setGlobalDeviceChannelIndices(range(8));
    const rec = blank(8);
    expectCode(() => rec.setProbegroup(g), 'INVALID_ARGUMENT', /^Probes are overlapping! Retrieve locations of single probes separately/);
    expect(rec.hasProbe()).toBe(false);
    rec.setProbegroup(g, { checkOverlap: false });
    expect(rec.getProperty('group')).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });
});

describe('group modes', () => {
  it("multi-shank probe: 'auto' and 'by_shank' split by shank, 'by_probe' gives one group", () => {
    const probe = generateMultiShank({ numShank: 3, numColumns: 1, numContactPerColumn: 2 });
    probe.setDeviceChannelIndices([5, 4, 3, 2, 1, 0]);
    const rec = blank(6);
    rec.setProbe(probe);
    expect(rec.getProperty('group')).toEqual([2, 2, 1, 1, 0, 0]);
    rec.setProbe(probe, { groupMode: 'by_shank' });
    expect(rec.getProperty('group')).toEqual([2, 2, 1, 1, 0, 0]);
    rec.setProbe(probe, { groupMode: 'by_probe' });
    expect(rec.getProperty('group')).toEqual([0, 0, 0, 0, 0, 0]);
    expect(rec.getProbe().shankIds).toEqual(['2', '2', '1', '1', '0', '0']);
  });

  it('shank ids are ordered as numpy orders strings ("10" before "2")', () => {
    const probe = new Probe();
    probe.setContacts({ positions: range(4).map((i) => [i * 100, 0]), shankIds: ['2', '10', '2', '1'] });
    probe.setDeviceChannelIndices(range(4));
    const rec = blank(4);
    rec.setProbe(probe);
    expect(rec.getProperty('group')).toEqual([2, 1, 2, 0]);
  });

  it("contact sides: 'auto' splits probe x shank x side, 'by_side' probe x side", () => {
    const probe = new Probe();
    probe.setContacts({
      positions: range(8).map((i) => [i < 4 ? 0 : 200, (i % 4) * 20]),
      shankIds: ['0', '0', '0', '0', '1', '1', '1', '1'],
      contactSides: ['front', 'back', 'front', 'back', 'front', 'back', 'front', 'back'],
    });
    probe.setDeviceChannelIndices(range(8));
    const rec = blank(8);
    rec.setProbe(probe);
    expect(rec.getProperty('group')).toEqual([1, 0, 1, 0, 3, 2, 3, 2]);
    rec.setProbe(probe, { groupMode: 'by_side' });
    expect(rec.getProperty('group')).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    rec.setProbe(probe, { groupMode: 'by_shank' });
    expect(rec.getProperty('group')).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(rec.getProbe().contactSides).toEqual(['front', 'back', 'front', 'back', 'front', 'back', 'front', 'back']);
  });

  it('unconnected contacts (-1) are left out of the stored probe', () => {
    const probe = generateLinearProbe({ numElec: 8, ypitch: 10 });
    probe.setDeviceChannelIndices([-1, 3, 0, -1, 1, 2, 5, 4]);
    const rec = blank(6);
    rec.setProbe(probe);
    expect(rec.getProbe().getContactCount()).toBe(6);
    expect(rec.getProbe().contactIds).toEqual(['2', '4', '5', '1', '7', '6']);
    expect(Array.from(rec.getChannelLocations())).toEqual([0, 20, 0, 40, 0, 50, 0, 10, 0, 70, 0, 60]);
    expect(rec.getProbe().deviceChannelIndices).toEqual(range(6));
  });
});

describe('views', () => {
  it('channel slices keep the matching contacts in view order, re-wired 0..n-1 (selectChannels, removeChannels, channelSlice)', async () => {
    const { expected: e, recording } = await buildCase('linear_probe_permuted');
    const view = recording.selectChannels(e.channel_slice.channel_ids);
    expectProbeDescription(view, e.channel_slice.result);
    const removed = recording.removeChannels([1, 2, 4]);
    expect(removed.getChannelIds()).toEqual([0, 3, 5]);
    expect(Array.from(removed.getChannelLocations())).toEqual([0, 80, 0, 60, 0, 0]);
    expect(removed.getProbe().deviceChannelIndices).toEqual([0, 1, 2]);
    const renamed = recording.channelSlice([5, 0], ['x', 'y']);
    expect(Array.from(renamed.getChannelLocations(['y']))).toEqual([0, 80]);
    // the parent keeps its probe unchanged
    expect(writeProbeinterfaceText(recording.getProbegroup())).toBe(await readFixtureText('recordings/linear_probe_permuted/saved/probegroup.json'));
  });

  it("probegroup_2probes channel slice: contacts follow probe order and 'group' is re-derived, as SpikeInterface", async () => {
    const { expected: e, recording } = await buildCase('probegroup_2probes');
    const view = recording.channelSlice(e.channel_slice.channel_ids);
    expect(view.getChannelIds()).toEqual([15, 0, 8]);
    expect(view.getProperty('group')).toEqual([0, 1, 1]);
    expect(view.getProbegroup().probes.map((p) => p.getContactCount())).toEqual([1, 2]);
    expectProbeDescription(view, e.channel_slice.result);
  });

  it("multi_shank_groups splitBy('group'): every shank alone gets group 0 and its own probe", async () => {
    const { expected: e, recording } = await buildCase('multi_shank_groups');
    const parts = recording.splitBy('group');
    expect([...parts.keys()]).toEqual([0, 1, 2, 3]);
    for (const [key, part] of parts) {
      expect(part.getProperty('group')).toEqual([0, 0, 0, 0]);
      expect(part.getProbe().shankIds).toEqual(new Array(4).fill(String(key)));
      expectProbeDescription(part, e.split_by_group[String(key)]);
    }
  });

  it('frame slices, segment selections, appends and concatenations keep a copy of the probegroup', async () => {
    const { recording } = await buildCase('multi_shank_groups');
    const text = writeProbeinterfaceText(recording.getProbegroup());
    const one = recording.selectSegments(0);
    const views: BaseRecording[] = [one, one.frameSlice(10, 100), recording.selectSegments([1, 0]), appendRecordings([recording, recording]), concatenateRecordings([recording, recording])];
    for (const v of views) {
      expect(v.hasProbe()).toBe(true);
      expect(writeProbeinterfaceText(v.getProbegroup())).toBe(text);
      expect(v.getProbegroup()).not.toBe(recording.getProbegroup());
      expect(Array.from(v.getChannelLocations())).toEqual(Array.from(recording.getChannelLocations()));
      expect(v.getProperty('group')).toEqual(recording.getProperty('group'));
    }
    // a change to a view's probe does not reach the parent
    one.getProbe().move([1000, 0]);
    expect(writeProbeinterfaceText(recording.getProbegroup())).toBe(text);
    expect(blank(3).frameSlice(0, 5).hasProbe()).toBe(false);
  });

  it('aggregateChannels combines the probes when every recording has one, else attaches none', async () => {
    const { recording } = await buildCase('multi_shank_groups');
    const parts = [...recording.splitBy('group').values()];
    const agg = aggregateChannels(parts);
    expect(agg.hasProbe()).toBe(true);
    expect(agg.getProbegroup().probes.length).toBe(4);
    expect(agg.getProbegroup().getGlobalDeviceChannelIndices().deviceChannelIndices).toEqual(range(16));
    expect(Array.from(agg.getChannelLocations())).toEqual(Array.from(recording.getChannelLocations()));
    expect(agg.getProperty('group')).toEqual(recording.getProperty('group'));
    expect(agg.getPropertyColumn('group')!.dtype).toBe('<i8');
    const mixed = aggregateChannels([parts[0]!, parts[1]!.renameChannels(['a', 'b', 'c', 'd'])]);
    expect(mixed.getChannelIds()).toEqual(range(8).map(String));
    expect(Array.from(mixed.getChannelLocations())).toEqual(Array.from(recording.getChannelLocations()).slice(0, 16));
    const noProbe = new NumpyRecording({ tracesList: [new Float32Array(800 * 4), new Float32Array(400 * 4)], samplingFrequency: 30000, numChannels: 4, channelIds: [100, 101, 102, 103] });
    expect(aggregateChannels([parts[0]!, noProbe]).hasProbe()).toBe(false);
    // the inputs keep their own probes
    expect(parts[0]!.getProbe().deviceChannelIndices).toEqual([0, 1, 2, 3]);
    // probes in the same space are combined without the overlap check, and views of the result work
    const a = blank(3, [1, 2, 3]);
    const b = blank(3, [4, 5, 6]);
    a.setDummyProbeFromLocations([[0, 0], [50, 50], [100, 100]]);
    b.setDummyProbeFromLocations([[40, 40], [60, 60], [10, 90]]);
    const both = aggregateChannels([a, b]);
    expect(both.getProperty('group')).toEqual([0, 0, 0, 1, 1, 1]);
    const view = both.selectChannels([5, 1]);
    expect(Array.from(view.getChannelLocations())).toEqual([0, 0, 60, 60]);
    expect(view.getProperty('group')).toEqual([0, 1]);
  });

  it('selectChannelsWithProbe: a view of the wired channels, in wiring order, with the probe', () => {
    const rec = blank(6, ['a', 'b', 'c', 'd', 'e', 'f']);
    const probe = generateLinearProbe({ numElec: 3, ypitch: 20 });
    probe.setDeviceChannelIndices([4, 1, 2]);
    const sub = rec.selectChannelsWithProbe(probe);
    expect(sub.getChannelIds()).toEqual(['b', 'c', 'e']);
    expect(Array.from(sub.getChannelLocations())).toEqual([0, 20, 0, 40, 0, 0]);
    expect(sub.getProbe().deviceChannelIndices).toEqual([0, 1, 2]);
    expect(sub.getProperty('group')).toEqual([0, 0, 0]);
    expect(rec.hasProbe()).toBe(false);
    expect(probe.deviceChannelIndices).toEqual([4, 1, 2]);
  });
});

describe('setProbegroup inputs and modes', () => {
  it("accepts ProbeInterface's dict of a group; 'keep' leaves 'group' as it is (a reloaded probegroup)", async () => {
    const { expected: e } = await buildCase('multi_shank_groups');
    const rec = blank(16);
    rec.setProperty('group', new Array(16).fill(7));
    rec.setProbegroup(e.source.probegroup, { groupMode: 'keep' });
    expect(rec.getProperty('group')).toEqual(new Array(16).fill(7));
    expect(rec.getProbegroup().toDict()).toEqual(e.source.probegroup);
    rec.setProbegroup(e.source.probegroup);
    expect(rec.getProperty('group')).toEqual(e.source.properties.group.data);
    expectCode(() => rec.setProbe(rec.getProbe(), { groupMode: 'keep' as never }), 'INVALID_ARGUMENT', /groupMode "keep"/);
    expectCode(() => rec.setProbegroup({ nope: 1 } as never), 'INVALID_ARGUMENT', /needs a ProbeGroup/);
  });

  it('copyMetadataTo brings a copy of the probegroup (as SpikeInterface copy_metadata), sliced for channel indices', async () => {
    const { recording } = await buildCase('linear_probe_permuted');
    const copy = blank(6, recording.getChannelIds());
    recording.copyMetadataTo(copy);
    expect(copy.getProbegroup().toDict()).toEqual(recording.getProbegroup().toDict());
    expect(copy.getProbegroup()).not.toBe(recording.getProbegroup());
    const two = blank(2, ['p', 'q']);
    recording.copyMetadataTo(two, [5, 0]);
    expect(Array.from(two.getChannelLocations())).toEqual([0, 0, 0, 80]);
    expect(two.getProbe().deviceChannelIndices).toEqual([0, 1]);
  });
});

describe('dummy probes from locations, removeProbe', () => {
  it('setDummyProbeFromLocations: 2d and 3d, circles of radius 1, wired 0..n-1', () => {
    const rec = blank(3);
    rec.setDummyProbeFromLocations([[0, 0], [10, 20], [30, 40]]);
    const probe = rec.getProbe();
    expect(probe.ndim).toBe(2);
    expect(probe.contactShapes).toEqual(['circle', 'circle', 'circle']);
    expect(probe.contactShapeParams).toEqual([{ radius: 1 }, { radius: 1 }, { radius: 1 }]);
    expect(probe.deviceChannelIndices).toEqual([0, 1, 2]);
    expect(Array.from(rec.getChannelLocations())).toEqual([0, 0, 10, 20, 30, 40]);
    expect(rec.getProperty('group')).toEqual([0, 0, 0]);

    const rec3 = blank(2);
    rec3.setDummyProbeFromLocations([[1, 2, 3], [4, 5, 6]], { axes: 'xz', shape: 'square', shapeParams: { width: 5 } });
    expect(rec3.has3dProbe()).toBe(true);
    expect(Array.from(rec3.getChannelLocations(undefined, 'xyz'))).toEqual([1, 0, 3, 4, 0, 6]);
    expect(Array.from(rec3.getChannelLocations(undefined, 'yz'))).toEqual([0, 3, 0, 6]);
    expect(rec3.getProbe().contactShapes).toEqual(['square', 'square']);

    const flat = blank(2);
    flat.setChannelLocations(new Float64Array([1, 2, 3, 4]));
    expect(Array.from(flat.getChannelLocations())).toEqual([1, 2, 3, 4]);
    expectCode(() => blank(2).setDummyProbeFromLocations([[0, 0]]), 'INVALID_ARGUMENT', /locations has 1 rows, expected 2/);
    expectCode(() => blank(1).setDummyProbeFromLocations([['x', 0]] as never), 'INVALID_ARGUMENT', /locations\[0\]/);
  });

  it('removeProbe detaches the probe; getProbegroup then throws', () => {
    const rec = blank(2);
    rec.setChannelLocations([[0, 0], [0, 10]]);
    expect(rec.hasProbe()).toBe(true);
    rec.removeProbe();
    expect(rec.hasProbe()).toBe(false);
    expect(rec.has3dProbe()).toBe(false);
    expectCode(() => rec.getProbe(), 'INVALID_ARGUMENT', /There is no Probe attached/);
  });
});

describe('dicts carry the probegroup at top level (SpikeInterface main)', () => {
  it('dictExtras / toDict: "probegroup" = ProbeGroup.toDict of the stored group, last key; none without a probe', async () => {
    for (const name of ['linear_probe_permuted', 'multi_columns_probe', 'multi_shank_groups', 'probegroup_2probes']) {
      const { recording } = await buildCase(name);
      const toDict = await readFixtureJson(`recordings/${name}/source.to_dict.json`);
      expect(recording.dictExtras()).toEqual({ probegroup: toDict.probegroup });
    }
    expect(blank(2).dictExtras()).toEqual({});
  });

  it('a BinaryRecordingExtractor with a probe: toDict() ends with the probegroup; nested views carry their own', async () => {
    const name = 'linear_probe_permuted';
    const e = await readFixtureJson(`recordings/${name}/expected.json`);
    const dump = await readFixtureJson(`recordings/${name}/source.dump.json`);
    const k = dump.kwargs;
    const sources = await Promise.all(k.file_paths.map(async (p: string) => new Blob([(await readFixtureBytes(`recordings/${name}/${p}`)) as Uint8Array<ArrayBuffer>])));
    const rec = await BinaryRecordingExtractor.open({ sources, samplingFrequency: k.sampling_frequency, numChannels: k.num_channels, dtype: k.dtype, channelIds: k.channel_ids, gainToUV: k.gain_to_uV, offsetToUV: k.offset_to_uV });
    try {
      rec.setProbe((await readCaseInputProbegroup(name, e)).probes[0]!);
      const d = rec.toDict();
      expect(Object.keys(d)).toEqual(Object.keys(dump));
      expect(d.probegroup).toEqual(dump.probegroup);
      const slice = await readFixtureJson(`recordings/${name}/channel_slice.dump.json`);
      const view = rec.channelSlice(e.channel_slice.channel_ids).toDict({ recursive: true });
      expect(view.probegroup).toEqual(slice.probegroup);
      expect((view.kwargs.parent_recording as { probegroup: unknown }).probegroup).toEqual(slice.kwargs.parent_recording.probegroup);
    } finally {
      await rec.close();
    }
  });
});

describe("the tutorial's probe step", () => {
  it('generateLinearProbe(7, ypitch 20, circles radius 6), wired 0..6, setProbe: has_probe and tutorial_probe.json', async () => {
    const expected = await readFixtureJson('tutorial_small/expected.json');
    const recording = new NumpyRecording({ tracesList: [new Float64Array(7 * 100)], samplingFrequency: 30000, numChannels: 7 });
    const probe = generateLinearProbe({ numElec: 7, ypitch: 20, contactShapes: 'circle', contactShapeParams: { radius: 6 } });
    probe.setDeviceChannelIndices(range(7));
    recording.setProbe(probe);
    expect(recording.hasProbe()).toBe(expected.steps.set_probe['recording.has_probe() after']);
    const text = await readFixtureText('tutorial_small/tutorial_probe.json');
    expect(writeProbeinterfaceText(recording.getProbegroup())).toBe(text);
    expect(writeProbeinterfaceText(probe)).toBe(text);
    expect(recording.getProbegroup().toDict()).toEqual(parseProbeinterface(text).toDict());
  });
});

describe('numpyArrayStr (arrays in SpikeInterface messages)', () => {
  it('prints as numpy str() does: aligned, wrapped at 75, summarised past 1000, strings quoted', () => {
    expect(numpyArrayStr(range(40))).toBe('[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39]');
    expect(numpyArrayStr(range(384).reverse().slice(0, 60))).toBe(
      '[383 382 381 380 379 378 377 376 375 374 373 372 371 370 369 368 367 366\n 365 364 363 362 361 360 359 358 357 356 355 354 353 352 351 350 349 348\n 347 346 345 344 343 342 341 340 339 338 337 336 335 334 333 332 331 330\n 329 328 327 326 325 324]',
    );
    expect(numpyArrayStr(range(1200))).toBe('[   0    1    2 ... 1197 1198 1199]');
    expect(numpyArrayStr(['a', 'bb', 'c'])).toBe("['a' 'bb' 'c']");
    expect(numpyArrayStr([-5, 100, 3])).toBe('[ -5 100   3]');
    expect(numpyArrayStr([])).toBe('[]');
  });
});

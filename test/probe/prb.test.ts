// .prb channel groups: ProbeInterface's write_prb layout, read back as read_prb builds probes
// (circles of radius 5, 'tip' auto shape, channels as device indices), and the literal subset of
// Python that real .prb files use.
import { describe, expect, it } from 'vitest';
import { generateLinearProbe, generateMultiShank } from '../../src/probe/generators.js';
import { parseProbeinterface } from '../../src/probe/io-json.js';
import { parsePrb, writePrbText } from '../../src/probe/prb.js';
import { readPrb, writePrb } from '../../src/formats/probe-files.js';
import { Probe } from '../../src/probe/probe.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { withoutFilePlatform } from '../helpers/platform.js';

describe('writePrb', () => {
  it("writes ProbeInterface's layout: connected channels and their positions", () => {
    const p = generateLinearProbe({ numElec: 3 });
    p.setDeviceChannelIndices([2, -1, 0]);
    const want =
      'total_nb_channels = 3\n' +
      'radius = 100\n' +
      'channel_groups = {\n' +
      '    0:\n' +
      '        {\n' +
      "           'channels': [2, 0],\n" +
      "           'geometry':  {\n" +
      '               2: [0.0, 0.0],\n' +
      '               0: [0.0, 40.0],\n' +
      '           }\n' +
      '       },\n' +
      '}\n';
    expect(writePrb(p, undefined, { totalNbChannels: 3, radius: 100 })).toBe(want);
    expect(writePrbText(p, { totalNbChannels: 3, radius: 100 })).toBe(want);
  });

  it('round-trips every wired fixture probe group (positions and wiring), by probe and by shank', async () => {
    for (const file of ['probegroup_2probes.json', 'multi_shank.json', 'linear_rect_wired.json', 'tetrode.json', 'neuropixels_NP1000_bank0_384.json']) {
      const group = parseProbeinterface(await readFixtureText(`probes/${file}`));
      const back = parsePrb(writePrb(group));
      expect(back.probes.length, file).toBe(group.probes.length);
      back.probes.forEach((p, i) => {
        const src = group.probes[i]!;
        expect(p.contactPositions, file).toEqual(src.contactPositions);
        expect(p.deviceChannelIndices, file).toEqual(src.deviceChannelIndices);
        expect(p.contactShapeParams![0], file).toEqual({ radius: 5 });
        expect(p.probePlanarContour, file).not.toBeNull();
      });
    }
    const ms = generateMultiShank({ numShank: 3, numColumns: 1, numContactPerColumn: 2 });
    ms.setDeviceChannelIndices([0, 1, 2, 3, 4, 5]);
    const byShank = parsePrb(writePrb(ms, undefined, { groupMode: 'by_shank' }));
    expect(byShank.probes.map((p) => p.deviceChannelIndices)).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(byShank.probes[2]!.contactPositions).toEqual([[300, 0], [300, 20]]);
  });

  it('refuses unwired probes and unknown group modes; a path needs a file platform', async () => {
    expectCode(() => writePrb(generateLinearProbe()), 'INVALID_ARGUMENT', /device_channel_indices must be set/);
    const p = generateLinearProbe({ numElec: 2 });
    p.setDeviceChannelIndices([0, 1]);
    expectCode(() => writePrb(p, undefined, { groupMode: 'by_side' as 'by_probe' }), 'INVALID_ARGUMENT', /groupMode/);
    await withoutFilePlatform(() => expectCodeAsync(writePrb(p, 'x.prb'), 'UNSUPPORTED', /writing PRB file "x\.prb"/));
  });
});

describe('readPrb', () => {
  it('reads a hand-written klusta-style file: comments, range(), names, tuples, arithmetic', async () => {
    const text = `
# a tetrode and a stereotrode
import numpy as np
total_nb_channels = 6
radius = 100
geom = {0: (0, 0), 1: (0, 20), 2: (20, 0), 3: (20, 20)}
channel_groups = {
    # first group
    0: {
        'channels': list(range(4)),
        'graph': [(0, 1), (1, 2)],
        'geometry': geom,
    },
    1: {"channels": [4, 5],
        "geometry": {4: [100.0, -1e1], 5: (100, 2 * 10 - 5)}},
}
`;
    const g = await readPrb(text);
    expect(g.probes.length).toBe(2);
    expect(g.probes[0]!.contactPositions).toEqual([[0, 0], [0, 20], [20, 0], [20, 20]]);
    expect(g.probes[0]!.deviceChannelIndices).toEqual([0, 1, 2, 3]);
    expect(g.probes[1]!.contactPositions).toEqual([[100, -10], [100, 15]]);
    // read_prb: circles of radius 5 and a 'tip' auto shape with margin 20
    expect(g.probes[1]!.probePlanarContour).toEqual([[80, 35], [80, -30], [100, -110], [120, -30], [120, 35]]);
    expect(await readPrb(new Blob([text]))).toBeDefined();
    expect((await readPrb(new TextEncoder().encode(text))).getContactCount()).toBe(6);
  });

  it('keys are case-insensitive as in ProbeInterface (CHANNEL_GROUPS)', () => {
    const g = parsePrb("CHANNEL_GROUPS = {1: {'channels': [7], 'geometry': {7: [1.5, 2.5]}}}");
    expect(g.probes[0]!.contactPositions).toEqual([[1.5, 2.5]]);
    expect(g.probes[0]!.deviceChannelIndices).toEqual([7]);
  });

  it('bad files are FORMAT errors that say where; code is never run', async () => {
    expectCode(() => parsePrb('x = 1\n'), 'FORMAT', /no channel_groups dict/);
    expectCode(() => parsePrb("channel_groups = {0: {'channels': [0], 'geometry': {}}}"), 'FORMAT', /no position for channel 0/);
    expectCode(() => parsePrb("channel_groups = {0: {'channels': [0, 1], 'geometry': {0: [0, 0], 1: [0, 0, 0]}}}"), 'FORMAT', /geometry\[1\]: expected \(x, y\)/);
    expectCode(() => parsePrb("channel_groups = {0: {'channels': 'abc'}}"), 'FORMAT', /channels: expected a list of channel numbers/);
    expectCode(() => parsePrb('channel_groups = {}\nfor i in range(3):\n    pass\n'), 'FORMAT', /line 2: expected "name = value"/);
    expectCode(() => parsePrb("channel_groups = __import__('os').system('true')"), 'FORMAT', /calling __import__\(\) is not supported/);
    expectCode(() => parsePrb('channel_groups = {0: undefined_name}'), 'FORMAT', /unknown name undefined_name/);
    expectCode(() => parsePrb('channel_groups = {0: [1, 2'), 'FORMAT', /expected '\]'/);
    expectCode(
      () => parsePrb("channel_groups = {0: {'channels': [0], 'geometry': {0: [0, 0]}}, 1: {'channels': [0], 'geometry': {0: [5, 0]}}}"),
      'FORMAT',
      /channel_groups\[1\]: device channel indices are not unique/,
    );
    await withoutFilePlatform(() => expectCodeAsync(readPrb('some/file.prb'), 'UNSUPPORTED', /reading PRB file "some\/file\.prb"/));
    expect(new Probe()).toBeDefined();
  });
});

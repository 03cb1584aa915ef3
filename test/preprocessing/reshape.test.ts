// The channel reshapers (depthOrder, zeroChannelPad, averageAcrossDirection, directionalDerivative,
// interpolateBadChannels) against SpikeInterface's preprocessing fixtures (misc/*): description,
// every window, full segment 1 and to_dict; their options and refusals.
import { describe, expect, it } from 'vitest';
import {
  depthOrder, directionalDerivative, interpolateBadChannels, krigingChannelWeights, orderChannelsByDepth, zeroChannelPad, averageAcrossDirection,
  SpikewireError,
} from '../../src/index.js';
import { expectCode } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { expectCase, readCase } from './case-check.js';
import { DIR, openSource } from './helpers.js';
import { RESHAPE_CASES, buildReshapeCase } from './reshape-cases.js';

describe.each(RESHAPE_CASES)('misc/%s', (c, exact) => {
  it('builds as SpikeInterface: description, windows, full segment, to_dict', async () => {
    const e = await readCase('misc', c);
    const rec = await buildReshapeCase(e);
    expect(rec.className).toBe(e.recording.class);
    // average_across_direction's dummy probe has float32 locations (compared as values below)
    const float32Probe = c === 'average_across_direction';
    const got = await expectCase(rec, 'misc', c, { exact, probe: !float32Probe, closeKwargs: ['weights'] });
    if (float32Probe) {
      expect(Array.from(rec.getChannelLocations())).toEqual(e.recording.channel_locations.data.flat());
      expect(rec.getProbegroup().toDict()).toEqual(e.recording.probegroup);
    }
    if (!exact) console.log(`${c}: windows ${JSON.stringify(got.windows)}; full segment 1 ${JSON.stringify(got.full)}`);
  });
});

describe('channel reshapers: what SpikeInterface used', () => {
  it('zeroChannelPad: the mapping sorts by y, the samples keep their columns; float64 samples under an int16 dtype', async () => {
    const e = await readCase('misc', 'zero_channel_pad');
    const source = await openSource('s16');
    source.annotate({ name: 'named-source' });
    const rec = zeroChannelPad(source, 18);
    // numpy's argsort (a SIMD quicksort) orders channels at the same depth its own way: the same depths here
    const xy = source.getChannelLocations();
    const depths = (m: ArrayLike<number>) => Array.from(m, (c) => xy[2 * c + 1]);
    expect(depths(rec.channelMapping)).toEqual(depths(e.level_info[0].channel_mapping));
    expect([...rec.channelMapping].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(rec.getDtype()).toBe('int16');
    expect((await rec.getTraces({ segmentIndex: 0, endFrame: 2 })).data).toBeInstanceOf(Float64Array);
  });

  it('directionalDerivative: the columns SpikeInterface found', async () => {
    const e = await readCase('misc', 'directional_derivative');
    const rec = directionalDerivative(await openSource('s16'));
    expect(Array.from(rec.columnIndices)).toEqual(e.level_info[0].column_inds);
  });

  it('interpolateBadChannels: the kriging weights SpikeInterface stored, and given weights give the same samples', async () => {
    const e = await readCase('misc', 'interpolate_bad_channels');
    const source = await openSource('s16');
    const rec = interpolateBadChannels(source, [11, 5]);
    const want = e.to_dict.kwargs.weights as number[][];
    want.flat().forEach((w, i) => expect(rec.weights[i]).toBeCloseTo(w, 14));
    const given = interpolateBadChannels(source, [11, 5], { weights: want, sigmaUm: 20 });
    expect(Array.from((await given.getTraces({ segmentIndex: 1 })).data)).toEqual(Array.from((await rec.getTraces({ segmentIndex: 1 })).data));
    // the kernel by hand: one bad channel between two good ones at equal distance shares its weight
    const w = krigingChannelWeights([0, 0, 0, 40], [0, 20], 20, 1.3);
    expect(Array.from(w)).toEqual([0.5, 0.5]);
  });

  it('depthOrder over a subset of channels orders the subset, and orderChannelsByDepth undoes itself', async () => {
    const source = await openSource('s16');
    const { order, reverse } = orderChannelsByDepth(source, { dimensions: 'y' });
    order.forEach((o, i) => expect(reverse[o]).toBe(i));
    const xy = source.getChannelLocations();
    for (let i = 1; i < order.length; i++) expect(xy[2 * order[i] + 1]).toBeGreaterThanOrEqual(xy[2 * order[i - 1] + 1]);
  });
});

describe('channel reshapers refuse what SpikeInterface refuses', () => {
  it("errors.json: zero_channel_pad without a 'name' annotation, and with a channel mapping", async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const byName = Object.fromEntries(errors.map((x: any) => [x.name, x]));
    expect(byName.zero_channel_pad_unnamed.error).toEqual({ error: 'KeyError', message: "'name'" });
    expect(byName.zero_channel_pad_mapping.error.error).toBe('AttributeError');
    const source = await openSource('s16');
    expectCode(() => zeroChannelPad(source, 20), 'INVALID_ARGUMENT', /zeroChannelPad: the recording has no 'name' annotation/);
    source.annotate({ name: 'x' });
    expectCode(() => zeroChannelPad(source, 20, { channelMapping: Array.from({ length: 16 }, (_, i) => i) }), 'UNSUPPORTED', /channelMapping/);
    expectCode(() => zeroChannelPad(source, 3), 'INVALID_ARGUMENT', /numChannels must be an integer of at least the recording's 16 channels, got 3/);
  });

  it('bad options are coded errors naming them', async () => {
    const source = await openSource('s16');
    expectCode(() => depthOrder(source, { dimensions: 'w' as never }), 'INVALID_ARGUMENT', /dimension "w" must be 'x', 'y' or 'z'/);
    expectCode(() => depthOrder(source, { flip: 1 as never }), 'INVALID_ARGUMENT', /flip must be true or false/);
    expectCode(() => depthOrder(source, { dimensions: 'z' }), 'INVALID_ARGUMENT', /'z' is not an axis/);
    expectCode(() => averageAcrossDirection(source, { direction: 'q' as never }), 'INVALID_ARGUMENT', /direction "q"/);
    expectCode(() => directionalDerivative(source, { order: -1 }), 'INVALID_ARGUMENT', /order must be an integer/);
    expectCode(() => directionalDerivative(source, { edgeOrder: 3 as never }), 'INVALID_ARGUMENT', /edgeOrder must be 1 or 2, got 3/);
    expectCode(() => interpolateBadChannels(source, [99]), 'CHANNEL_NOT_FOUND');
    expectCode(() => interpolateBadChannels(source, [5], { weights: [[1]] }), 'INVALID_ARGUMENT', /weights must be 15 rows/);
    expectCode(() => interpolateBadChannels(source, [5], { sigmaUm: -1 }), 'INVALID_ARGUMENT', /sigmaUm must be a positive number/);
    expectCode(() => interpolateBadChannels(source, 5 as never), 'INVALID_ARGUMENT', /badChannelIds must be a list/);
    expect(() => depthOrder(null as never)).toThrow(SpikewireError);
  });
});

// Probe files and options that ask for more than any probe needs (huge ranges, deep nesting, lists
// doubled line after line, a quarter million contacts and more) or carry odd data (`__proto__` keys,
// objects that contain themselves) are coded errors or plain data: never a crash, a hang or a
// changed prototype.
import { describe, expect, it } from 'vitest';
import { NumpyRecording } from '../../src/index.js';
import { generateLinearProbe, generateMultiColumnsProbe, generateMultiShank, generateTetrode } from '../../src/probe/generators.js';
import { parseProbeinterface, writeProbeinterfaceText } from '../../src/probe/io-json.js';
import { plotProbe } from '../../src/probe/plot.js';
import { parsePrb } from '../../src/probe/prb.js';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import { readFixtureText } from '../helpers/fixtures.js';
import { expectCode } from '../helpers/expect-error.js';

/** A .prb text with one group: `channels` and `geometry` as given (Python source). */
function prb(channels: string, geometry = '{}'): string {
  return `channel_groups = {0: {'channels': ${channels}, 'geometry': ${geometry}}}\n`;
}

describe('parsePrb: limits on what the text can ask for', () => {
  it('range(1000000000000) is a FORMAT error, not an out-of-memory crash', () => {
    expectCode(() => parsePrb(prb('range(1000000000000)')), 'FORMAT', /range\(1000000000000\) builds too many values/);
    expectCode(() => parsePrb(prb('list(range(0, 10**12))')), 'FORMAT');
    expectCode(() => parsePrb(prb('range(1e300)')), 'FORMAT', /range\(\) takes integers/);
    expectCode(() => parsePrb(prb('range(0, 9007199254740993, 1)')), 'FORMAT', /range\(\) takes integers/);
    // repetition of lists and strings (`*`) is not part of what a .prb file may compute: nothing is built
    expectCode(() => parsePrb(prb('[0] * 1000000000000')), 'FORMAT', /cannot compute \[0\] \* 1000000000000/);
    expectCode(() => parsePrb(prb("'ab' * 1000000000000")), 'FORMAT', /cannot compute "ab" \* 1000000000000/);
  });

  it('a list or a string doubled on every line stops at the limit', () => {
    const lists = `a = [0, 1]\n${'a = a + a\n'.repeat(40)}${prb('a')}`;
    expectCode(() => parsePrb(lists), 'FORMAT', /list \+ builds too many values/);
    const strings = `s = 'ab'\n${'s = s + s\n'.repeat(40)}${prb('[]')}`;
    expectCode(() => parsePrb(strings), 'FORMAT', /string \+ builds a string longer than/);
  });

  it('deep nesting and long sign chains are FORMAT errors, not stack overflows', () => {
    expectCode(() => parsePrb(`x = ${'['.repeat(100_000)}`), 'FORMAT', /nesting deeper than 200 levels/);
    expectCode(() => parsePrb(`x = ${'('.repeat(100_000)}`), 'FORMAT', /nesting deeper than 200 levels/);
    expectCode(() => parsePrb(`x = ${'{0: '.repeat(100_000)}`), 'FORMAT', /nesting deeper than 200 levels/);
    expectCode(() => parsePrb(`x = ${'-'.repeat(100_000)}1`), 'FORMAT', /nesting deeper than 200 levels/);
    // 150 levels are fine (Python's own parser allows up to 200)
    expect(parsePrb(`x = ${'['.repeat(150)}${']'.repeat(150)}\n${prb('[0]', '{0: (1, 2)}')}`).probes.length).toBe(1);
  });

  it('a large geometry of tuples is read in linear time', () => {
    const n = 20_000;
    const geometry = `{${Array.from({ length: n }, (_, i) => `${i}: (${i}, ${2 * i})`).join(', ')}}`;
    const started = Date.now();
    const group = parsePrb(prb(`list(range(${n}))`, geometry));
    expect(Date.now() - started).toBeLessThan(15_000); // quadratic before: minutes
    const positions = group.probes[0]!.contactPositions!;
    expect(positions.length).toBe(n);
    expect(positions[n - 1]).toEqual([n - 1, 2 * (n - 1)]);
    // (x) is x, (x,) is a tuple
    expectCode(() => parsePrb(prb('[0]', '{0: (1,)}')), 'FORMAT', /geometry\[0\]: expected \(x, y\), got \[1\]/);
    expect(parsePrb(prb('[0]', '{0: ((1), (2))}')).probes[0]!.contactPositions).toEqual([[1, 2]]);
  }, 30_000);

  it('what the model refuses in a file is a FORMAT error naming the group', () => {
    expectCode(() => parsePrb(prb('[-3]', '{-3: (0, 0)}')), 'FORMAT', /channel_groups\[0\]: deviceChannelIndices\[0\]: expected an integer >= -1 .*got -3/);
  });

  it("reads Python's integer notations: 0x, 0o, 0b and _ separators", () => {
    const group = parsePrb(prb('[0x10, 0o17, 0b11, 1_000]', '{16: (0x1_0, 1_0.5), 15: (0, 1e1_0), 3: (.5, 5.), 1000: (0, 0)}'));
    expect(group.probes[0]!.deviceChannelIndices).toEqual([16, 15, 3, 1000]);
    expect(group.probes[0]!.contactPositions).toEqual([[16, 10.5], [0, 1e10], [0.5, 5], [0, 0]]);
  });
});

describe('parseProbeinterface: hostile JSON', () => {
  it('JSON nested deeper than 1000 levels is a FORMAT error, not a stack overflow', async () => {
    expectCode(() => parseProbeinterface('['.repeat(100_000)), 'FORMAT', /nested deeper than 1000 levels/);
    const text = (await readFixtureText('probes/linear.json')).replace('"annotations": {}', `"annotations": {"deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
    expectCode(() => parseProbeinterface(text), 'FORMAT', /nested deeper than 1000 levels/);
  });

  it("'__proto__' keys are data, as in Python: kept, written back, no prototype changed", async () => {
    const text = (await readFixtureText('probes/linear.json')).replace('"annotations": {}', '"annotations": {"__proto__": {"polluted": 1}}');
    const probe = parseProbeinterface(text).probes[0]!;
    expect(Object.getPrototypeOf(probe.annotations)).toBe(Object.prototype);
    expect(Object.keys(probe.annotations)).toContain('__proto__');
    expect(Object.getOwnPropertyDescriptor(probe.annotations, '__proto__')!.value).toEqual({ polluted: 1 });
    expect((probe.annotations as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(writeProbeinterfaceText(probe)).toContain('"__proto__": {\n');
    // the same key in contact annotations stays a per-contact annotation
    const contacts = (await readFixtureText('probes/tetrode.json')).replace('"contact_annotations": {}', '"contact_annotations": {"__proto__": [1, 2, 3, 4]}');
    const tetrode = parseProbeinterface(contacts).probes[0]!;
    expect(Object.getOwnPropertyDescriptor(tetrode.contactAnnotations, '__proto__')!.value).toEqual([1, 2, 3, 4]);
    expect(Object.getPrototypeOf(tetrode.contactAnnotations)).toBe(Object.prototype);
  });

  it('more contacts than a probe can have are refused before anything is copied', () => {
    const sparse = new Array<number[]>(2 ** 32 - 1);
    expectCode(() => parseProbeinterface({ probes: [{ contact_positions: sparse }] }), 'FORMAT', /contact_positions: 4294967295 values is more than a probe can have/);
    const positions = [[0, 0]];
    expectCode(() => parseProbeinterface({ probes: [{ contact_positions: positions, contact_shapes: new Array(2 ** 32 - 1) }] }), 'FORMAT', /contact_shapes: expected 1 values/);
    expectCode(() => parseProbeinterface({ probes: [{ ndim: 2, contact_positions: [new Array(2 ** 30)] }] }), 'FORMAT', /contact_positions: rows have 1073741824 coordinates/);
  });

  it('data that contains itself is a coded error, not a stack overflow', () => {
    const annotations: Record<string, unknown> = {};
    annotations.self = annotations;
    expectCode(() => parseProbeinterface({ probes: [{ contact_positions: [[0, 0]], annotations }] }), 'INVALID_ARGUMENT', /nested more than 1000 levels deep \(or containing itself\)/);
    const probe = generateTetrode();
    expectCode(() => probe.annotate({ loop: annotations }), 'INVALID_ARGUMENT', /containing itself/);
  });

  it('NaN and Infinity where numbers must be finite are FORMAT errors naming the field', async () => {
    const text = await readFixtureText('probes/tetrode.json');
    expectCode(() => parseProbeinterface(text.replace('"ndim": 2', '"ndim": NaN')), 'FORMAT', /probes\[0\]\.ndim: expected 2 or 3, got NaN/);
    expectCode(() => parseProbeinterface(text.replace('"radius": 6', '"radius": Infinity')), 'FORMAT', /contact_shape_params\[0\]: a circle contact needs a non-negative number 'radius', got Infinity/);
  });
});

describe('generators and plotProbe: hostile options', () => {
  it('huge, negative or NaN counts and NaN distances are INVALID_ARGUMENT errors', () => {
    expectCode(() => generateLinearProbe({ numElec: 1e9 }), 'INVALID_ARGUMENT', /numContactPerColumn: expected a positive integer \(at most 262144\), got 1000000000/);
    expectCode(() => generateLinearProbe({ numElec: -3 }), 'INVALID_ARGUMENT', /got -3/);
    expectCode(() => generateLinearProbe({ numElec: NaN }), 'INVALID_ARGUMENT', /got NaN/);
    expectCode(() => generateLinearProbe({ ypitch: NaN }), 'INVALID_ARGUMENT', /ypitch: expected a finite number, got NaN/);
    expectCode(() => generateMultiColumnsProbe({ numColumns: 1000, numContactPerColumn: 1000 }), 'INVALID_ARGUMENT', /1000000 contacts in all/);
    expectCode(() => generateMultiColumnsProbe({ numColumns: 2, yShiftPerColumn: [0, Infinity] }), 'INVALID_ARGUMENT', /yShiftPerColumn\[1\]: expected a finite number/);
    expectCode(() => generateMultiShank({ numShank: 100_000, numContactPerColumn: 10 }), 'INVALID_ARGUMENT', /numShank x contacts per shank: 3000000 contacts/);
    expectCode(() => generateMultiShank({ shankPitch: [NaN, 0] }), 'INVALID_ARGUMENT', /shankPitch\[0\]: expected a finite number/);
  });

  it('random id options: NaN bounds, too few ids, countless trials are refused at once', () => {
    const group = parseProbeinterface({ probes: [{ contact_positions: [[0, 0], [0, 1], [0, 2]] }] });
    expectCode(() => group.autoGenerateContactIds({ min: NaN }), 'INVALID_ARGUMENT', /min \/ max: expected integers with min < max, got NaN \/ 100000000/);
    expectCode(() => group.autoGenerateContactIds({ min: 0, max: 2, trials: 1e12 }), 'INVALID_ARGUMENT', /trials: expected an integer from 0 to 1000, got 1000000000000/);
    expectCode(() => group.autoGenerateContactIds({ min: 0, max: 2 }), 'INVALID_ARGUMENT', /cannot generate 3 unique ids between 0 and 2: there are only 2/);
    group.autoGenerateContactIds({ min: 0, max: 3 });
    expect([...group.probes[0]!.contactIds!].sort()).toEqual(['0', '1', '2']);
  });

  it('plotProbe: limits far from 0, infinite limits, huge or NaN sizes end with an answer', () => {
    const probe = generateLinearProbe({ numElec: 4 });
    // a tick step below the precision of the limits used to loop forever
    const svg = plotProbe(probe, { xlims: [1e20, 1e20 + 1e5], ylims: [0, 100] });
    expect(svg).toContain('data-xlims="100000000000000000000 100000000000000100000"');
    expectCode(() => plotProbe(probe, { xlims: [-Infinity, 0] }), 'INVALID_ARGUMENT', /xlims \/ ylims: expected increasing limits/);
    expectCode(() => plotProbe(probe, { width: 1e9 }), 'INVALID_ARGUMENT', /width \/ height: expected sizes in \(0, 100000\] px, got 1000000000 x 720/);
    expectCode(() => plotProbe(probe, { fontSize: NaN }), 'INVALID_ARGUMENT', /fontSize: expected a positive number of px, got NaN/);
    expectCode(() => plotProbe(probe, { fontSize: -4 }), 'INVALID_ARGUMENT', /fontSize/);
    const colorbar = plotProbe(probe, { contactsValues: [1e20, 1e20 + 1, 1e20 + 2, 1e20 + 3] });
    expect(colorbar).toContain('data-role="colorbar"');
    // option text that lands in attributes is escaped
    expect(plotProbe(probe, { contactsKargs: { lw: '1"/><script>' as never } })).not.toContain('<script>');
  });

  // Math.max(...list) overflows the call stack from about 130,000 items on (V8); a probe may have more.
  it('a probe of 150,000 contacts plots and attaches (no argument spreading that overflows the stack)', () => {
    const n = 150_000;
    const probe = new Probe();
    probe.setContacts({ positions: Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? i % 7 : i)), shapeParams: { radius: 1 } });
    probe.setDeviceChannelIndices(Array.from({ length: n }, (_, i) => i));
    const svg = plotProbe(probe, { contactsValues: new Float64Array(n).fill(1), width: 200, height: 200 });
    expect(svg.match(/data-contact-index=/g)!.length).toBe(n);
    const recording = new NumpyRecording({ tracesList: [new Int16Array(n)], samplingFrequency: 1000, numChannels: n });
    recording.setProbe(probe);
    expect(recording.getChannelLocations([n - 1])).toEqual(Float64Array.from([(2 * n - 2) % 7, 2 * n - 1]));
    probe.annotateContacts({ label: Array.from({ length: n }, (_, i) => `c${i}`) });
    expect(probe.toNumpy({ complete: true }).fields.find((f) => f.name === 'label')!.dtype).toBe('<U7');
  }, 60_000);
});

describe('many probes or shanks: linear time', () => {
  const n = 30_000;
  /** Runs `fn` and expects it to take less than `ms` (the quadratic versions took minutes; the margin is for a busy machine). */
  function quick<T>(fn: () => T, ms = 20_000): T {
    const started = Date.now();
    const out = fn();
    expect(Date.now() - started).toBeLessThan(ms);
    return out;
  }

  it('a ProbeInterface file of 30,000 one-contact probes', () => {
    const probes = Array.from({ length: n }, (_, i) => ({ ndim: 2, contact_positions: [[i, 0]], device_channel_indices: [i] }));
    const group = quick(() => parseProbeinterface({ probes }));
    expect(group.probes.length).toBe(n);
    expect(group.getGlobalDeviceChannelIndices().deviceChannelIndices[n - 1]).toBe(n - 1);
    // the refusal is the one adding the probes one by one gives: the first probe that repeats a channel
    probes[n - 1]!.device_channel_indices = [7];
    expectCode(() => parseProbeinterface({ probes }), 'FORMAT', new RegExp(`^probes\\[${n - 1}\\]: device channel indices are not unique across probes: channel 7 is used by probe 7 and probe ${n - 1}$`));
    probes[3] = { ndim: 3, contact_positions: [[0, 0, 0]], contact_plane_axes: [[[1, 0, 0], [0, 1, 0]]], device_channel_indices: [3] } as never;
    expectCode(() => parseProbeinterface({ probes }), 'FORMAT', /^probes\[3\]: addProbe: ndim are not compatible: probe.ndim 3 != probegroup ndim 2$/);
  }, 60_000);

  it('a .prb file of 30,000 channel groups', () => {
    const groups = Array.from({ length: n }, (_, i) => `${i}: {'channels': [${i}], 'geometry': {${i}: (${i}, 0)}}`).join(',\n');
    const group = quick(() => parsePrb(`channel_groups = {\n${groups}\n}\n`));
    expect(group.probes.length).toBe(n);
    expect(group.probes[n - 1]!.contactPositions).toEqual([[n - 1, 0]]);
  }, 60_000);

  it('an auto shape over 50,000 shanks, and a contact vector of 10,000 probe indices', () => {
    const m = 50_000;
    const probe = new Probe();
    probe.setContacts({ positions: Float64Array.from({ length: 2 * m }, (_, i) => (i % 2 === 0 ? i / 2 : 0)), shankIds: Array.from({ length: m }, (_, i) => i) });
    quick(() => probe.createAutoShape('rect', 1));
    // one rectangle per shank, in sorted shank-id order ('0', '1', '10', '100', ...)
    expect(probe.probePlanarContour!.length).toBe(4 * m);
    expect(probe.probePlanarContour!.slice(8, 12)).toEqual([[9, 1], [9, -1], [11, -1], [11, 1]]);
    // (each probe of a contact vector costs some 50 µs to build: 10,000 keep the test short)
    const k = 10_000;
    const columns = { probe_index: Array.from({ length: k }, (_, i) => k - 1 - i), x: Array.from({ length: k }, (_, i) => i), y: new Array<number>(k).fill(0) };
    const group = quick(() => ProbeGroup.fromNumpy(columns));
    expect(group.probes.length).toBe(k);
    expect(group.probes[0]!.contactPositions).toEqual([[k - 1, 0]]);
  }, 60_000);
});

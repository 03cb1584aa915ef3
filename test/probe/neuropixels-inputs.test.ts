// The Neuropixels readers' inputs: parseSpikeglxMeta as neo and ProbeInterface parse .meta text, the
// full catalogue probe, and bad input (unknown part numbers, malformed IMRO tables and channel
// subsets, settings without Neuropixels probes, ambiguous selections), each a SpikewireError.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildNeuropixelsProbe,
  getSavedChannelIndicesFromOpenephysSettings,
  getSavedChannelIndicesFromSpikeglxMeta,
  hasNeuropixelsProbes,
  parseProbeinterface,
  parseSpikeglxMeta,
  readOpenephysProbe,
  readSpikeglxProbe,
  writeProbeinterfaceText,
} from '../../src/index.js';
import { readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';

const SGLX = 'acquisition/spikeglx';
const NP1_SUBSET = `${SGLX}/np1_subset/data/M31_subset_g0/M31_subset_g0_imec0/M31_subset_g0_t0.imec0.ap.meta`;
const NP2 = `${SGLX}/np2_4shank/data/M27_np2_g0/M27_np2_g0_imec0/M27_np2_g0_t0.imec0.ap.meta`;
const OE = 'acquisition/openephys/np1_pxi_nidaq';
const OE_STREAM = 'Neuropix-PXI-100.ProbeA-AP';

let np1: string;
let np2: string;
let settings: string;

/** `text` with the value of the .meta key `key` replaced (or the line removed when value is null). */
function withMeta(text: string, key: string, value: string | null): string {
  const line = new RegExp(`^${key.replace('~', '\\~')}=.*\\r\\n`, 'm');
  expect(line.test(text), key).toBe(true);
  return text.replace(line, value === null ? '' : `${key}=${value}\r\n`);
}

beforeAll(async () => {
  np1 = await readFixtureText(NP1_SUBSET);
  np2 = await readFixtureText(NP2);
  settings = await readFixtureText(`${OE}/data/Record Node 101/settings.xml`);
});

describe('parseSpikeglxMeta', () => {
  it("parses as neo does: '~' tables become their entries without the header", async () => {
    const expected = await readFixtureJson(`${SGLX}/np1_subset/expected.json`);
    const meta = parseSpikeglxMeta(np1);
    expect(meta.imDatPrb_pn).toBe(expected.probe_config.part_number);
    expect(meta.imDatPrb_type).toBe(expected.probe_config.imDatPrb_type);
    const imro = meta.imroTbl as string[];
    expect(imro.length).toBe(384);
    const first = expected.probe_config.imro_rows_first[0];
    expect(imro[0]).toBe([first.channel, first.bank, first.ref, first.ap_gain, first.lf_gain, first.hp].join(' '));
    // one snsChanMap entry per saved channel (192 neural + SY0)
    expect((meta.snsChanMap as string[]).length).toBe(Number(meta.nSavedChans));
    expect((meta.snsChanMap as string[])[0]).toBe('AP0;0:0');
  });

  it('drops lines with a second "=" (neo) or keeps everything after the first (ProbeInterface)', () => {
    const text = 'a=1\r\nb=x=y\r\n~t=(h)(1 2)(3 4)\r\nno equals\r\n~e=\r\n';
    expect({ ...parseSpikeglxMeta(text) }).toEqual({ a: '1', t: ['1 2', '3 4'], e: [] });
    expect({ ...parseSpikeglxMeta(text, { tables: 'text' }) }).toEqual({ a: '1', b: 'x=y', t: '(h)(1 2)(3 4)', 'no equals': '', e: '' });
    expect(Object.getPrototypeOf(parseSpikeglxMeta('__proto__=x'))).toBeNull();
    expectCode(() => parseSpikeglxMeta(3 as unknown as string), 'INVALID_ARGUMENT');
    expectCode(() => parseSpikeglxMeta('a=1', { tables: 'x' as 'text' }), 'INVALID_ARGUMENT');
  });
});

describe('buildNeuropixelsProbe', () => {
  it('builds every electrode of a part number, where the recorded probe has them', async () => {
    const full = await buildNeuropixelsProbe('NP2013');
    expect(full.getContactCount()).toBe(4 * 1280);
    expect(full.getShankCount()).toBe(4);
    // the fixture probe (ProbeInterface's slice of the same catalogue probe) has its contacts where the full one has them
    const recorded = parseProbeinterface(await readFixtureText(`${SGLX}/np2_4shank/dumps/imec0.ap.probe.json`)).probes[0]!;
    const at = new Map(full.contactIds!.map((id, i) => [id, full.contactPositions![i]]));
    recorded.contactIds!.forEach((id, i) => expect(at.get(id), id).toEqual(recorded.contactPositions![i]));
    expect(full.probePlanarContour).toEqual(recorded.probePlanarContour);
    await expectCodeAsync(buildNeuropixelsProbe('NP9999'), 'UNSUPPORTED', /NP9999.*not in the Neuropixels catalogue/);
    await expectCodeAsync(buildNeuropixelsProbe('constructor'), 'UNSUPPORTED');
  });
});

describe('readSpikeglxProbe: bad input', () => {
  it('refuses a part number the catalogue does not have', async () => {
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'imDatPrb_pn', 'NP9999')), 'UNSUPPORTED', /"NP9999"/);
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'imDatPrb_pn', null)), 'UNSUPPORTED', /undefined/);
  });

  it('refuses a .meta without ~imroTbl (the fixture case missing_imroTbl)', async () => {
    const text = await readFixtureText(`${SGLX}/bad_inputs/missing_imroTbl/bad_g0/bad_g0_imec0/bad_g0_t0.imec0.ap.meta`);
    await expectCodeAsync(readSpikeglxProbe(text), 'FORMAT', /no imroTbl/);
  });

  it('refuses malformed IMRO tables', async () => {
    const cases: [string, string, RegExp][] = [
      ['(0,384)(0 0 0 500 250)', 'FORMAT', /has 5 values, expected 6/],
      ['(0,384)(0 0 0 500 x 1)', 'FORMAT', /lf_gain "x" is not an integer/],
      ['(0,a)(0 0 0 500 250 1)', 'FORMAT', /header value "a"/],
      ['(77,384)(0 0 0 500 250 1)', 'UNSUPPORTED', /unknown header first field "77"/],
      ['(0,384)(0 9 0 500 250 1)', 'FORMAT', /"e3456" .* is not an electrode/],
      ['(0,384)(0 0 0 500 250 1)(0 0 0 500 250 1)', 'FORMAT', /"e0" is selected twice/],
      ['nothing', 'FORMAT', /expected "\(header\)\(entry\)/],
    ];
    for (const [imro, code, message] of cases) await expectCodeAsync(readSpikeglxProbe(withMeta(np1, '~imroTbl', imro)), code, message);
    // NP2 tables carry shank and electrode: an electrode past the shank is not on the probe
    await expectCodeAsync(readSpikeglxProbe(withMeta(np2, '~imroTbl', '(2013,384)(0 0 0 0 5000)')), 'FORMAT', /"s0e5000"/);
  });

  it('refuses bad saved-channel subsets before building them', async () => {
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'snsSaveChanSubset', '0:abc')), 'FORMAT', /"0:abc" is not a channel index/);
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'snsSaveChanSubset', '0:999999999')), 'FORMAT', /more than 262144 channels/);
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'snsSaveChanSubset', '0,0')), 'FORMAT', /channel 0 twice/);
    await expectCodeAsync(readSpikeglxProbe(withMeta(np1, 'snsSaveChanSubset', null)), 'FORMAT', /no snsSaveChanSubset/);
    expectCode(() => getSavedChannelIndicesFromSpikeglxMeta(withMeta(withMeta(np1, 'snsSaveChanSubset', 'all'), 'nSavedChans', '1e9')), 'FORMAT', /nSavedChans/);
    expect(getSavedChannelIndicesFromSpikeglxMeta(withMeta(np1, 'snsSaveChanSubset', 'all'))).toEqual(Array.from({ length: 193 }, (_, i) => i));
  });

  it("refuses neo's dict (its tables lost their header) and values that are not a meta", async () => {
    await expectCodeAsync(readSpikeglxProbe(parseSpikeglxMeta(np1)), 'INVALID_ARGUMENT', /tables: 'text'/);
    await expectCodeAsync(readSpikeglxProbe(42 as unknown as string), 'INVALID_ARGUMENT');
    await expectCodeAsync(readSpikeglxProbe([] as unknown as string), 'INVALID_ARGUMENT');
  });
});

describe('readOpenephysProbe: bad input and saved-channel subsets', () => {
  it('refuses settings without Neuropixels probes, text that is not XML, and an unknown part number', async () => {
    const acq = await readFixtureText('acquisition/openephys/acq_board_2exp/data/Record Node 102/settings.xml');
    await expectCodeAsync(readOpenephysProbe(acq), 'FORMAT', /no Neuropixels probe geometry/);
    await expectCodeAsync(readOpenephysProbe('<SETTINGS>'), 'FORMAT', /not closed/);
    expect(hasNeuropixelsProbes('<SETTINGS>')).toBe(false);
    await expectCodeAsync(readOpenephysProbe(settings.replace('probe_part_number="PRB_1_4_0480_1_C"', 'probe_part_number="NP9999"')), 'UNSUPPORTED', /NP9999/);
    await expectCodeAsync(readOpenephysProbe(settings.replace('<VERSION>0.6.7</VERSION>', '<VERSION>six</VERSION>')), 'FORMAT', /INFO\/VERSION "six"/);
    await expectCodeAsync(readOpenephysProbe(settings.replace('libraryVersion="0.7.0"', 'libraryVersion="0.3.2"')), 'UNSUPPORTED', /0\.3\.3/);
    await expectCodeAsync(readOpenephysProbe(settings.replace('ELECTRODE_XPOS CH0="27"', 'ELECTRODE_XPOS CH0="x"')), 'FORMAT', /ELECTRODE_XPOS CH0 "x"/);
    await expectCodeAsync(readOpenephysProbe(settings.replace('ELECTRODE_YPOS CH0="0"', 'ELECTRODE_YPOS CH0="99980"')), 'FORMAT', /"e9998" \(entry 0\) is not an electrode/);
  });

  it('refuses ambiguous or unknown selections', async () => {
    await expectCodeAsync(readOpenephysProbe(settings, { streamName: OE_STREAM, probeName: 'ProbeA' }), 'INVALID_ARGUMENT', /one of streamName.*got streamName ".*" and probeName "ProbeA"/);
    await expectCodeAsync(readOpenephysProbe(settings, null as unknown as {}), 'INVALID_ARGUMENT', /options must be an object/);
    await expectCodeAsync(readOpenephysProbe(settings, { streamName: 3 as unknown as string }), 'INVALID_ARGUMENT', /streamName must be a string/);
    await expectCodeAsync(readOpenephysProbe(7 as unknown as string), 'INVALID_ARGUMENT', /settings must be/);
    await expectCodeAsync(readOpenephysProbe(settings, { streamName: 'Neuropix-PXI-100.ProbeB-AP' }), 'NOT_FOUND', /ProbeA/);
    await expectCodeAsync(readOpenephysProbe(settings, { probeName: 'ProbeB' }), 'NOT_FOUND');
    await expectCodeAsync(readOpenephysProbe(settings, { serialNumber: 1 }), 'NOT_FOUND');
    const byName = await readOpenephysProbe(settings, { probeName: 'ProbeA' });
    const bySerial = await readOpenephysProbe(settings, { serialNumber: '19076614471' });
    expect(writeProbeinterfaceText(bySerial)).toBe(writeProbeinterfaceText(byName));
  });

  it('keeps only the channels a Record Node recording_state saves, wired 0..n-1', async () => {
    const all = await readOpenephysProbe(settings, { streamName: OE_STREAM });
    // every third neural channel; the SYNC channel (index 384, past the probe's contacts) not saved
    const state = Array.from({ length: 385 }, (_, i) => (i % 3 === 0 && i < 384 ? '1' : '0')).join('');
    const subset = settings.replace(/(name="ProbeA-AP" source_node_id="100"[^>]*recording_state=)"ALL"/, `$1"${state}"`);
    expect(subset).not.toBe(settings);
    const kept = Array.from({ length: 384 }, (_, i) => i).filter((i) => i % 3 === 0);
    expect(getSavedChannelIndicesFromOpenephysSettings(subset, OE_STREAM)).toEqual(kept);
    const probe = await readOpenephysProbe(subset, { streamName: OE_STREAM });
    // ProbeInterface's get_slice of the full probe with those indices, then wired 0..n-1
    const expected = all.getSlice(kept);
    expected.setDeviceChannelIndices(kept.map((_, i) => i));
    expect(writeProbeinterfaceText(probe)).toBe(writeProbeinterfaceText(expected));
    // a saved channel past the probe's contacts (Python fails with an IndexError)
    const withSync = settings.replace(/(name="ProbeA-AP" source_node_id="100"[^>]*recording_state=)"ALL"/, `$1"${'1'.repeat(385)}"`);
    await expectCodeAsync(readOpenephysProbe(withSync, { streamName: OE_STREAM }), 'FORMAT', /saves channel 384, but probe ProbeA has 384 channels/);
  });
});

// readOpenephysProbe on the other settings.xml layouts ProbeInterface reads, made from the fixture's
// GUI 0.6.7 file: GUI >= 0.9 (NP_PROBE under EDITOR/CUSTOM_PARAMETERS, SELECTED_ELECTRODES instead
// of positions) and a Channel Map processor before the Record Node. The reference is the fixture
// probe that ProbeInterface wrote, changed the way ProbeInterface's code changes it for that layout.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseProbeinterface, readOpenephysProbe, writeProbeinterfaceText, type Probe } from '../../src/index.js';
import { readFixtureText } from '../helpers/fixtures.js';

const OE = 'acquisition/openephys/np1_pxi_nidaq';
const STREAM = 'Neuropix-PXI-100.ProbeA-AP';
let settings: string;
let recorded: Probe;

beforeAll(async () => {
  settings = await readFixtureText(`${OE}/data/Record Node 101/settings.xml`);
  recorded = parseProbeinterface(await readFixtureText(`${OE}/dumps/Record_Node_101_Neuropix-PXI-100.ProbeA-AP.probe.json`)).probes[0]!;
});

/** `text` with `from` replaced by `to`, which must be found. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out, String(from)).not.toBe(text);
  return out;
}

describe('readOpenephysProbe: other settings layouts', () => {
  it('GUI >= 0.9: NP_PROBE in EDITOR/CUSTOM_PARAMETERS with SELECTED_ELECTRODES', async () => {
    const electrodes = recorded.contactIds!.map((id) => Number(id.slice(1)));
    const selected = `<SELECTED_ELECTRODES ${electrodes.map((e, i) => `CH${i}="${e}"`).join(' ')}/>`;
    let text = edit(settings, '<VERSION>0.6.7</VERSION>', '<VERSION>1.0.0</VERSION>');
    // the NP_PROBE element keeps its attributes; its positions give way to electrode indices
    text = edit(text, /(<NP_PROBE [^>]*>)[\s\S]*?<\/NP_PROBE>/, `<CUSTOM_PARAMETERS>$1${selected}</NP_PROBE></CUSTOM_PARAMETERS>`);
    const probe = await readOpenephysProbe(text, { streamName: STREAM });
    // the same probe without settings_channel_key (only the position-based reader has channel keys)
    const expected = recorded.copy();
    delete expected.contactAnnotations.settings_channel_key;
    expected.setDeviceChannelIndices(recorded.deviceChannelIndices!);
    expect(writeProbeinterfaceText(probe)).toBe(writeProbeinterfaceText(expected));
  });

  it('a Channel Map before the Record Node reorders the contacts (still wired 0..n-1)', async () => {
    const order = Array.from({ length: 384 }, (_, i) => 383 - i);
    const channelMap =
      '<PROCESSOR name="Channel Map" pluginName="Channel Map" nodeId="104">' +
      '<STREAM name="ProbeA-AP" sample_rate="30000.0" channel_count="385"/>' +
      `<CUSTOM_PARAMETERS><STREAM name="ProbeA-AP">${[...order, 384].map((i) => `<CH index="${i}" enabled="1"/>`).join('')}</STREAM></CUSTOM_PARAMETERS>` +
      '<EDITOR/></PROCESSOR>\n    ';
    const text = edit(settings, '<PROCESSOR name="Record Node"', `${channelMap}<PROCESSOR name="Record Node"`);
    const probe = await readOpenephysProbe(text, { streamName: STREAM });
    // ProbeInterface slices the catalogue probe in map order, then numbers the ADC slots by position
    const expected = recorded.getSlice(order);
    expected.contactAnnotations.adc_group = recorded.contactAnnotations.adc_group!;
    expected.contactAnnotations.adc_sample_order = recorded.contactAnnotations.adc_sample_order!;
    expected.setDeviceChannelIndices(order.map((_, i) => i));
    expect(probe.contactIds![0]).toBe('e383');
    expect(writeProbeinterfaceText(probe)).toBe(writeProbeinterfaceText(expected));
  });

  it('a Channel Map after the Record Node changes nothing', async () => {
    const channelMap = '<PROCESSOR name="Channel Map" nodeId="104"><CUSTOM_PARAMETERS/><EDITOR/></PROCESSOR>\n    ';
    const text = edit(settings, '<PROCESSOR name="LFP Viewer"', `${channelMap}<PROCESSOR name="LFP Viewer"`);
    expect(writeProbeinterfaceText(await readOpenephysProbe(text, { streamName: STREAM }))).toBe(writeProbeinterfaceText(recorded));
  });
});

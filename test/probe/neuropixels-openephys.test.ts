// Open Ephys probes: readOpenephysProbe / hasNeuropixelsProbes / getSavedChannelIndicesFromOpenephysSettings
// on every settings file of the acquisition fixtures give what ProbeInterface returned
// (expected.json probeinterface[<settings file>]) and the probe it wrote (dumps/*.probe.json, byte
// for byte), plus the values SpikeInterface's reader derived from it.
import { describe, expect, it } from 'vitest';
import {
  NumpyRecording,
  computeSaturationThresholdFromProbe,
  getNeuropixelsSampleShiftsFromProbe,
  getSavedChannelIndicesFromOpenephysSettings,
  hasNeuropixelsProbes,
  parseXml,
  readOpenephysProbe,
  writeProbeinterfaceText,
} from '../../src/index.js';
import { decodeArrayEntry, listFixtureDir, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';

const DATASETS = ['np1_pxi_nidaq', 'acq_board_2exp'];

/** The folder of the settings files of a dataset (the Record Node folder). */
async function settingsFolder(base: string): Promise<string> {
  const expected = await readFixtureJson(`${base}/expected.json`);
  const files: string[] = (expected.files ?? []).map((f: any) => f.path);
  const one = files.find((f) => /(^|\/)settings(_\d+)?\.xml$/.test(f));
  expect(one, 'a settings file in expected.json files').toBeDefined();
  return one!.slice(0, one!.lastIndexOf('/'));
}

describe.each(DATASETS)('openephys/%s', (dataset) => {
  const base = `acquisition/openephys/${dataset}`;

  it('answers every probeinterface[<settings file>] entry as ProbeInterface did', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const folder = await settingsFolder(base);
    const cases = Object.entries<any>(expected.probeinterface);
    expect(cases.length).toBeGreaterThan(0);
    for (const [file, c] of cases) {
      const text = await readFixtureText(`${base}/data/${folder}/${file}`);
      expect(hasNeuropixelsProbes(text), file).toBe(c.has_neuropixels_probes);
      let variants = 0;
      for (const [key, value] of Object.entries<any>(c)) {
        const m = /^has_neuropixels_probes\(stream_name='(.*)'\)$/.exec(key);
        if (m === null) continue;
        expect(hasNeuropixelsProbes(text, m[1]), `${file} ${key}`).toBe(value);
        variants++;
      }
      expect(variants, file).toBeGreaterThan(0);
      if (c.read_openephys_neuropixels === undefined) continue;
      const r = c.read_openephys_neuropixels;
      expect(r.error, file).toBeNull();
      const probe = await readOpenephysProbe(text, { streamName: r.stream_name });
      expect(String(probe), file).toBe(r.repr);
      expect(probe.getContactCount(), file).toBe(r.num_contacts);
      expect(probe.name, file).toBe(r.name);
      expect(probe.serialNumber, file).toBe(r.serial_number);
      expect(probe.modelName, file).toBe(r.model_name);
      expect(probe.annotations, file).toEqual(r.annotations);
      expect(Object.keys(probe.contactAnnotations).sort(), file).toEqual(r.contact_annotation_keys);
      const written = await readFixtureText(`${base}/${r.file}`);
      expect(writeProbeinterfaceText(probe), file).toBe(written);
      // parsed XML reads the same
      expect(writeProbeinterfaceText(await readOpenephysProbe(parseXml(text), { streamName: r.stream_name })), file).toBe(written);
      expect(getSavedChannelIndicesFromOpenephysSettings(text, r.stream_name), file).toEqual(c.get_saved_channel_indices_from_openephys_settings);
    }
  });

  it('covers every dumps/*.probe.json of the dataset', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const dumps = (await listFixtureDir(`${base}/dumps`)).filter((f) => f.endsWith('.probe.json')).map((f) => `dumps/${f}`);
    expect(new Set(Object.values<any>(expected.probeinterface).flatMap((c) => (c.read_openephys_neuropixels ? [c.read_openephys_neuropixels.file] : [])))).toEqual(new Set(dumps));
  });

  it('gives the channel locations, inter_sample_shift and saturation_threshold_uV of every probe stream', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const folder = await settingsFolder(base);
    const text = await readFixtureText(`${base}/data/${folder}/settings.xml`);
    let checked = 0;
    for (const [streamName, s] of Object.entries<any>(expected.streams)) {
      const rec = s.recording;
      if (!rec.has_probe) continue;
      // SpikeInterface passes the stream's folder name ("<source>-<id>.<stream>")
      const oeStream = streamName.split('#').pop()!;
      const probe = await readOpenephysProbe(text, { streamName: oeStream });
      const locations = decodeArrayEntry(rec.channel_locations);
      expect(probe.contactPositions!.flat(), streamName).toEqual(Array.from(locations.values as Float64Array));
      expect(getNeuropixelsSampleShiftsFromProbe(probe), streamName).toEqual(decodeArrayEntry(rec.properties.inter_sample_shift).values);
      expect(computeSaturationThresholdFromProbe(probe, oeStream), streamName).toBe(rec.annotations.saturation_threshold_uV);
      // attached as SpikeInterface's reader attaches it: by shank when the probe has shanks
      const n = probe.getContactCount();
      const recording = new NumpyRecording({ tracesList: [new Int16Array(n)], samplingFrequency: rec.sampling_frequency, numChannels: n });
      recording.setProbe(probe, probe.shankIds !== null ? { groupMode: 'by_shank' } : {});
      expect(Array.from(recording.getProperty('group') as ArrayLike<number>), streamName).toEqual(decodeArrayEntry(rec.properties.group, { int64: 'number' }).values);
      checked++;
    }
    expect(checked > 0).toBe(dataset === 'np1_pxi_nidaq');
  });
});

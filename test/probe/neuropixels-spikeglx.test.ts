// SpikeGLX probes: readSpikeglxProbe on every imec .meta of the acquisition fixtures gives the probe
// ProbeInterface's read_spikeglx gave (dumps/*.probe.json, byte for byte as write_probeinterface
// wrote it), with its repr, annotations and saved channels (expected.json probeinterface_read_spikeglx),
// and the values SpikeInterface's reader derived from it (channel locations, inter_sample_shift,
// saturation_threshold_uV).
import { describe, expect, it } from 'vitest';
import {
  NumpyRecording,
  computeSaturationThresholdFromProbe,
  getNeuropixelsSampleShiftsFromProbe,
  getSavedChannelIndicesFromSpikeglxMeta,
  parseSpikeglxMeta,
  readSpikeglxProbe,
  writeProbeinterfaceText,
} from '../../src/index.js';
import { decodeArrayEntry, listFixtureDir, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';

const DATASETS = ['np1_ap_lf', 'np2_4shank', 'np1_subset', 'nidq_2triggers'];

describe.each(DATASETS)('spikeglx/%s', (dataset) => {
  const base = `acquisition/spikeglx/${dataset}`;

  it('reads the probe of every probeinterface_read_spikeglx entry as ProbeInterface did', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const cases = Object.entries<any>(expected.probeinterface_read_spikeglx);
    expect(cases.length).toBeGreaterThan(0);
    for (const [meta, c] of cases) {
      expect(c.error, meta).toBeNull();
      const text = await readFixtureText(`${base}/data/${meta}`);
      const probe = await readSpikeglxProbe(text);
      expect(String(probe), meta).toBe(c.repr);
      expect(probe.getContactCount(), meta).toBe(c.num_contacts);
      expect(probe.annotations, meta).toEqual(c.annotations);
      expect(Object.keys(probe.contactAnnotations).sort(), meta).toEqual(c.contact_annotation_keys);
      expect(getSavedChannelIndicesFromSpikeglxMeta(text), meta).toEqual(c.get_saved_channel_indices_from_spikeglx_meta);
      const file = await readFixtureText(`${base}/${c.file}`);
      expect(writeProbeinterfaceText(probe), meta).toBe(file);
      // the dict ProbeInterface's own meta parser makes reads the same
      const again = await readSpikeglxProbe(parseSpikeglxMeta(text, { tables: 'text' }));
      expect(writeProbeinterfaceText(again), meta).toBe(file);
    }
  });

  it('covers every dumps/*.probe.json of the dataset', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    const dumps = (await listFixtureDir(`${base}/dumps`)).filter((f) => f.endsWith('.probe.json')).map((f) => `dumps/${f}`);
    expect(new Set(Object.values<any>(expected.probeinterface_read_spikeglx).map((c) => c.file))).toEqual(new Set(dumps));
  });

  it('gives the channel locations, inter_sample_shift and saturation_threshold_uV of every probe stream', async () => {
    const expected = await readFixtureJson(`${base}/expected.json`);
    let checked = 0;
    for (const [streamId, s] of Object.entries<any>(expected.streams)) {
      const rec = s.recording;
      if (!rec.has_probe) continue;
      // SpikeInterface reads the AP .meta for both bands of a probe
      const written = expected.written.files.find((f: any) => f.stream === streamId);
      const probe = await readSpikeglxProbe(await readFixtureText(`${base}/data/${written.meta.replace('.lf.meta', '.ap.meta')}`));
      const locations = decodeArrayEntry(rec.channel_locations);
      expect(probe.contactPositions!.flat(), streamId).toEqual(Array.from(locations.values as Float64Array));
      const shifts = decodeArrayEntry(rec.properties.inter_sample_shift);
      expect(getNeuropixelsSampleShiftsFromProbe(probe), streamId).toEqual(shifts.values);
      expect(computeSaturationThresholdFromProbe(probe, streamId), streamId).toBe(rec.annotations.saturation_threshold_uV);
      // attached as SpikeInterface's reader attaches it: by shank when the probe has shanks
      const n = probe.getContactCount();
      const recording = new NumpyRecording({ tracesList: [new Int16Array(n)], samplingFrequency: rec.sampling_frequency, numChannels: n });
      recording.setProbe(probe, probe.shankIds !== null ? { groupMode: 'by_shank' } : {});
      const group = decodeArrayEntry(rec.properties.group, { int64: 'number' });
      expect(Array.from(recording.getProperty('group') as ArrayLike<number>), streamId).toEqual(group.values);
      expect(Array.from(recording.getChannelLocations()), streamId).toEqual(Array.from(locations.values as Float64Array));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

// SpikeGLX probes: readSpikeglxProbe on every imec .meta of the acquisition fixtures gives the probe
// ProbeInterface's read_spikeglx gave (dumps/*.probe.json, byte for byte as write_probeinterface
// wrote it), with its repr, annotations and saved channels (expected.json probeinterface_read_spikeglx),
// and the values SpikeInterface's reader derived from it (channel locations, inter_sample_shift,
// saturation_threshold_uV).
import { describe, expect, it } from 'vitest';
import {
  computeSaturationThresholdFromProbe,
  getNeuropixelsSampleShiftsFromProbe,
  getSavedChannelIndicesFromSpikeglxMeta,
  parseSpikeglxMeta,
  readSpikeglxProbe,
  writeProbeinterfaceText,
} from '../../src/index.js';
import { decodeArrayEntry, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';

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
      // group = shank on multi-shank probes (set_probe(group_mode="by_shank")), else 0
      const group = decodeArrayEntry(rec.properties.group, { int64: 'number' });
      expect((probe.shankIds ?? probe.contactIds!.map(() => '0')).map(Number), streamId).toEqual(group.values);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

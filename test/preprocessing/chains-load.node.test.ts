// The chains' dump.json files: filters/unsigned_to_signed_bandpass reloads as SpikeInterface reloads it
// (the same repr, to_dict and traces); the Neuropixels chains do not (phaseShift took its shifts from the
// 'inter_sample_shift' property, which the dump lacks), and our load refuses them the same way.
import { describe, expect, it } from 'vitest';
import { BandpassFilterRecording, SpikewireError, UnsignedToSignedRecording } from '../../src/index.js';
import { load } from '../../src/node.js';
import { fixturePath, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, compareFullSegment, loadCaseDump } from './helpers.js';

describe('chains dump.json', () => {
  it('filters/unsigned_to_signed_bandpass reloads: repr, dtype, to_dict, full segment bit for bit', async () => {
    const { e, rec } = await loadCaseDump(load, 'filters', 'unsigned_to_signed_bandpass', BandpassFilterRecording);
    try {
      expect(e.dump_reload).toMatchObject({ ok: true, same_dtype: true });
      expect((rec as BandpassFilterRecording).parent).toBeInstanceOf(UnsignedToSignedRecording);
      expect(await compareFullSegment(rec, 'filters/unsigned_to_signed_bandpass')).toMatchObject({ maxAbs: 0, identical: 1 });
    } finally {
      await rec.close();
    }
  });

  it.each(['phase_shift/np_highpass_phase_shift', 'chains/np_highpass_phase_shift_cmr_local'])('%s does not reload, as in SpikeInterface', async (c) => {
    const e = await readFixtureJson(`${DIR}/${c}/expected.json`);
    expect(e.dump_reload).toMatchObject({ ok: false, error: { error: 'AssertionError', message: "'inter_sample_shift' is not a property!" } });
    const dump = await readFixtureJson(`${DIR}/${c}/dump.json`);
    const probegroup = await readFixtureJson(`${DIR}/sources/np384/probegroup.to_dict.json`);
    const resolve = (d: any): any => {
      if (d === null || typeof d !== 'object') return d;
      if (Array.isArray(d)) return d.map(resolve);
      if (typeof d.$ref === 'string') return probegroup;
      return Object.fromEntries(Object.entries(d).map(([k, v]) => [k, resolve(v)]));
    };
    const path = await fixturePath(`${DIR}/${c}/dump.json`);
    const error = await load(resolve(dump), { baseFolder: path.slice(0, path.lastIndexOf('/')) }).then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).message).toMatch(/phaseShift: the recording has no 'inter_sample_shift' property: pass interSampleShift/);
  });
});

// The fixtures' phase_shift dump.json files: shifts given as a kwarg reload (with the parent's dtype,
// since SpikeInterface does not store dtype), shifts taken from the 'inter_sample_shift' property do
// not (the property is not in the dump), and what we dump is the fixture's dump.
import { describe, expect, it } from 'vitest';
import { PhaseShiftRecording, SpikewireError, dumpJsonText, readNpy } from '../../src/index.js';
import { load } from '../../src/node.js';
import { fixturePath, readFixtureBytes, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { DIR, withoutNested } from './helpers.js';

describe('phase_shift dump.json', () => {
  it('phase_shift_kwarg_float32 reloads as SpikeInterface reloads it: int16, the same kwargs, the same dump', async () => {
    const c = 'phase_shift_kwarg_float32';
    const e = await readFixtureJson(`${DIR}/phase_shift/${c}/expected.json`);
    const path = await fixturePath(`${DIR}/phase_shift/${c}/dump.json`);
    const rec = await load(path);
    try {
      expect(rec).toBeInstanceOf(PhaseShiftRecording);
      expect(e.dump_reload.ok).toBe(true);
      expect(rec.toString()).toBe(e.dump_reload.repr);
      expect(rec.getDtype()).toBe('int16');
      expect(e.dump_reload.same_dtype).toBe(false);
      expect(withoutNested(rec.toDict({ recursive: true }))).toEqual(withoutNested(e.to_dict));
      // the reloaded int16 traces are the float32 ones rounded: never more than 0.5 apart (SpikeInterface's figure)
      const want = e.dump_reload.full_segments_vs_original[1];
      expect(want.max_abs_diff).toBeLessThanOrEqual(0.5);
      const npy = readNpy(await readFixtureBytes(`${DIR}/phase_shift/${c}/traces_seg1.npy`));
      const reloaded = (await rec.getTraces({ segmentIndex: 1 })).data;
      const original = npy.values as Float32Array;
      let maxAbs = 0;
      for (let i = 0; i < original.length; i++) maxAbs = Math.max(maxAbs, Math.abs(reloaded[i] - original[i]));
      expect(maxAbs).toBeLessThanOrEqual(0.5 + 1e-9);
      expect(maxAbs).toBeGreaterThan(want.max_abs_diff - 1e-3);
      const folder = path.slice(0, path.lastIndexOf('/'));
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/phase_shift/${c}/dump.json`));
      // margin_ms and the shifts are Python floats in the dump
      const raw = await readFixtureText(`${DIR}/phase_shift/${c}/dump.json`);
      expect(raw).toContain('"margin_ms":40.0');
      expect(text).toContain('"margin_ms": 40.0');
      expect(text.replace(/\s+/g, '')).toContain(raw.match(/"inter_sample_shift":\[[^\]]*\]/)![0]);
    } finally {
      await rec.close();
    }
  });

  it("np_phase_shift does not reload: its shifts came from the 'inter_sample_shift' property, which the dump lacks", async () => {
    const c = 'np_phase_shift';
    const e = await readFixtureJson(`${DIR}/phase_shift/${c}/expected.json`);
    expect(e.dump_reload).toMatchObject({ ok: false, error: { error: 'AssertionError', message: "'inter_sample_shift' is not a property!" } });
    const dump = await readFixtureJson(`${DIR}/phase_shift/${c}/dump.json`);
    expect(dump.kwargs.inter_sample_shift).toBeNull();
    // the fixture keeps the probegroup once, in the source's folder
    const probegroup = await readFixtureJson(`${DIR}/sources/np384/probegroup.to_dict.json`);
    expect(dump.probegroup.$ref).toBe('../../sources/np384/probegroup.to_dict.json');
    dump.probegroup = probegroup;
    dump.kwargs.recording.probegroup = probegroup;
    const path = await fixturePath(`${DIR}/phase_shift/${c}/dump.json`);
    const error = await load(dump, { baseFolder: path.slice(0, path.lastIndexOf('/')) }).then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).message).toMatch(/phaseShift: the recording has no 'inter_sample_shift' property: pass interSampleShift/);
  });
});

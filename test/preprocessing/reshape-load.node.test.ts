// The fixtures' dump.json files of the channel reshapers, period removers, gaussianFilter and resample load into the same
// recording (class, repr, dtype, kwargs, samples), and what we dump relative to the case folder is
// the fixture's dump; zero_channel_pad's dump does not reload, in SpikeInterface nor here.
import { describe, expect, it } from 'vitest';
import {
  AverageAcrossDirectionRecording, DepthOrderRecording, GaussianFilterRecording, DirectionalDerivativeRecording, InterpolateBadChannelsRecording, RemoveArtifactsRecording, ResampleRecording,
  SpikewireError, dumpJsonText, type BaseRecording,
} from '../../src/index.js';
import { load } from '../../src/node.js';
import { fixturePath, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';
import { expectCase, numericKwargsText } from './case-check.js';
import { DIR, loadCaseDump } from './helpers.js';

const CLASSES: [string, abstract new (...args: never[]) => BaseRecording][] = [
  ['filters/gaussian', GaussianFilterRecording], ['depth_order', DepthOrderRecording], ['depth_order_y_flip', DepthOrderRecording], ['average_across_direction', AverageAcrossDirectionRecording],
  ['directional_derivative', DirectionalDerivativeRecording], ['interpolate_bad_channels', InterpolateBadChannelsRecording],
  ['remove_artifacts_linear', RemoveArtifactsRecording], ['resample', ResampleRecording],
];

describe.each(CLASSES)('%s dump.json', (name, cls) => {
  it('loads with the same repr, kwargs and samples; its own dump is the fixture\'s', async () => {
    const [group, c] = name.includes('/') ? name.split('/') : ['misc', name];
    const { rec, folder } = await loadCaseDump(load, group, c, cls);
    try {
      await expectCase(rec, group, c, { exact: true, probe: c !== 'average_across_direction' });
      const text = dumpJsonText(rec.toDict({ includeAnnotations: true, recursive: true, relativeTo: folder }));
      expect(JSON.parse(text)).toEqual(await readFixtureJson(`${DIR}/${group}/${c}/dump.json`));
      expect(numericKwargsText(text)).toEqual(numericKwargsText(await readFixtureText(`${DIR}/${group}/${c}/dump.json`)));
    } finally {
      await rec.close();
    }
  });
});

describe('misc/zero_channel_pad dump.json', () => {
  it('does not reload: SpikeInterface fails on its own dict (unexpected keyword parent_recording)', async () => {
    const e = await readFixtureJson(`${DIR}/misc/zero_channel_pad/expected.json`);
    expect(e.dump_reload.ok).toBe(false);
    expect(e.dump_reload.error.error).toBe('TypeError');
    const error = await load(await fixturePath(`${DIR}/misc/zero_channel_pad/dump.json`)).then(() => null, (err: unknown) => err);
    expect(error).toBeInstanceOf(SpikewireError);
    expect((error as SpikewireError).code).toBe('UNSUPPORTED');
  });
});

// Runs examples/node/tutorial.mjs as a user would (against the built package) and checks that every
// recording it prints is SpikeInterface's text for the same tutorial step (tutorial_full fixture).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { readFixtureJson } from '../helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('prints the tutorial reprs exactly as SpikeInterface', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/node/tutorial.mjs'], { cwd: root, maxBuffer: 1 << 24 });
  const steps = (await readFixtureJson('tutorial_full/expected.json')).steps;
  const printed = [
    'print(recording) NumpyRecording',
    'print(recording4) select_channels',
    "print(ChannelSliceRecording(recording3, ['a','c','e']))",
    "print(recording3.split_by('group'))",
  ];
  for (const step of printed) expect(stdout).toContain(steps[step]);
  const g = steps.getters;
  expect(stdout).toContain(`Number of segments: ${g['get_num_segments()']}`);
  expect(stdout).toContain(`Number of frames in segment 0: ${g['get_num_frames(0)']}`);
  expect(stdout).toContain(`Number of frames in segment 1: ${g['get_num_frames(1)']}`);
  expect(stdout).toContain(`[ ${steps['traces0.shape'].join(', ')} ]`);
  expect(stdout).toContain(`[ ${steps['traces1_short.shape'].join(', ')} ]`);
}, 60000);

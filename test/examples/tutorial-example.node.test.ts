// Runs examples/node/tutorial.mjs as a user would (against the built package) and checks that every
// recording it prints is SpikeInterface's text for the same tutorial step (tutorial_full fixture).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { generateLinearProbe, plotProbe } from '../../src/index.js';
import { readFixtureJson } from '../helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('prints the tutorial reprs exactly as SpikeInterface', async () => {
  // Run from a scratch folder: the example writes its files (probe.svg) into its working directory.
  const cwd = await mkdtemp(join(tmpdir(), 'spikewire-tutorial-'));
  let stdout: string;
  let svg: string;
  try {
    ({ stdout } = await promisify(execFile)(process.execPath, [join(root, 'examples/node/tutorial.mjs')], { cwd, maxBuffer: 1 << 24 }));
    svg = await readFile(join(cwd, 'probe.svg'), 'utf8');
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
  const steps = (await readFixtureJson('tutorial_full/expected.json')).steps;
  // set_probe: in place, the recording has a probe afterwards; plot_probe(probe) written as SVG
  expect(stdout).toContain(`Has probe: ${steps.set_probe['recording.has_probe() after']}`);
  expect(stdout).toContain('Probe plot written to probe.svg');
  const probe = generateLinearProbe({ numElec: 7, ypitch: 20, contactShapes: 'circle', contactShapeParams: { radius: 6 } });
  probe.setDeviceChannelIndices([0, 1, 2, 3, 4, 5, 6]);
  expect(svg).toBe(plotProbe(probe));
  expect(svg.startsWith('<svg')).toBe(true);
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
  // Files: the reprs name the files where this run wrote them, SpikeInterface's where it did.
  const here = (text: string) => text.split('/home/user/si-scratch/tutorial_full').join(cwd);
  const fileSteps = [
    'print(recording2) BinaryRecordingExtractor',
    'print(load(d))',
    "print(load('my_recording.json'))",
    "print(load('my_recording_relative.json', base_folder=True))",
    "print(recording2.save(folder='./my_recording'))",
    "print(load('my_recording'))",
  ];
  for (const step of fileSteps) expect(stdout, step).toContain(here(steps[step]));
  const listing = steps["os.listdir('./my_recording')"] as string[];
  for (const name of listing) expect(stdout).toContain(`'${name}'`);
}, 60000);

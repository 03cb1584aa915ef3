// Runs examples/node/tutorial.mjs as a user would (against the built package) and checks that it
// prints what SpikeInterface's "Recording objects" tutorial printed (tutorial_full fixture), line for
// line, writes its files only into the folder it is given, and prints no warning; then what it prints
// of the fixture SpikeGLX run (np1_ap_lf), against what SpikeInterface and ProbeInterface wrote.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { generateLinearProbe, plotProbe, readProbeinterface } from '../../src/index.js';
import { decodeArrayEntry, readFixtureJson, readFixtureText } from '../helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Python's print of a 1-D numpy array of ints or strs (short enough for one line). */
const ndarray = (values: (number | string)[]) => `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' ')}]`;
/** Python's pprint of a list of strs: one line if it fits in 80 columns, else one item a line. */
function pprintList(items: string[]): string {
  const one = `[${items.map((s) => `'${s}'`).join(', ')}]`;
  return one.length <= 80 ? one : `[${items.map((s) => `'${s}'`).join(',\n ')}]`;
}

it('prints what SpikeInterface printed for the tutorial, into a scratch folder, without warnings', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'spikewire-tutorial-'));
  const scratch = join(parent, 'scratch');
  let stdout: string;
  let stderr: string;
  let svg: string;
  let written: string[];
  try {
    ({ stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'examples/node/tutorial.mjs'), scratch], {
      cwd: parent, maxBuffer: 1 << 24,
    }));
    svg = await readFile(join(scratch, 'probe.svg'), 'utf8');
    written = (await readdir(parent)).sort();
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
  expect(stderr).toBe('');
  expect(written).toEqual(['scratch']);

  const expected = await readFixtureJson('tutorial_full/expected.json');
  const steps = expected.steps;
  // The reprs name the files where this run wrote them, SpikeInterface's where it wrote them.
  const here = (text: string) => text.split(expected.scratch_folder).join(scratch);
  const g = steps.getters;
  const ids = (step: string) => ndarray(steps[step].data);
  const before = [
    steps['print(recording) NumpyRecording'],
    `Number of channels = ${g['len(get_channel_ids())']}\n`,
    `Sampling frequency = ${(g['get_sampling_frequency()'] as number).toFixed(1)} Hz\n`,
    `Number of segments= ${g['get_num_segments()']}\n`,
    `Number of timepoints in seg0= ${g['get_num_frames(0)']}\n`,
    `Number of timepoints in seg1= ${g['get_num_frames(1)']}\n`,
    here(steps['print(recording2) BinaryRecordingExtractor']),
    `(${steps['traces0.shape'].join(', ')})\n`,
    `(${steps['traces1_short.shape'].join(', ')})\n`,
    `chan_ids (dtype=int): ${ids('recording.get_channel_ids()')}\n`,
    `chan_ids (dtype=str): ${ids('recording3.get_channel_ids()')}\n`,
    `(${steps["recording3.get_traces(segment_index=1, end_frame=50, channel_ids=['a','d'])"].shape.join(', ')})\n`,
    steps['print(recording4) select_channels'],
    `${ids('recording4.get_channel_ids()')}\n`,
    steps["print(recording3.split_by('group'))"],
    ...steps['split_by keys'].map((k: number) => `${ndarray(steps['split_by channel ids'][String(k)].data)}\n`),
  ].join('');
  const after = [
    here(steps['print(load(d))']),
    here(steps["print(load('my_recording.json'))"]),
    `${pprintList(steps["os.listdir('./my_recording')"])}\n`,
    here(steps["print(load('my_recording.json'))"]),
  ].join('');

  // The SpikeGLX section: the AP stream's repr, channels, probe and a window in µV.
  const sglx = await readFixtureJson('acquisition/spikeglx/np1_ap_lf/expected.json');
  const ap = sglx.streams['imec0.ap'].recording;
  const probeJson = await readFixtureJson(`acquisition/spikeglx/np1_ap_lf/${sglx.streams['imec0.ap'].probe_file}`);
  const apProbe = probeJson.probes[0];
  const xs = apProbe.contact_positions.map((p: number[]) => p[0]);
  const ys = apProbe.contact_positions.map((p: number[]) => p[1]);
  const window = ap.windows.find((w: any) => w.start_frame === 200 && w.end_frame === 206 && w.return_in_uV);
  expect(window.channel_ids).toEqual(['imec0.ap#AP2', 'imec0.ap#AP0', 'imec0.ap#AP383']);
  const values = Array.from(decodeArrayEntry(window.traces).values as ArrayLike<number>);
  const spikeglx = [
    `${ap.repr}\n`,
    `Number of channels = ${ap.num_channels}\n`,
    `${String((await readProbeinterface(probeJson)).probes[0])}\n`,
    `${apProbe.annotations.description}: ${apProbe.contact_positions.length} contacts, x ${Math.min(...xs)}..${Math.max(...xs)} µm, y ${Math.min(...ys)}..${Math.max(...ys)} µm\n`,
    `(${window.traces.shape.join(', ')})\n`,
    ...Array.from({ length: window.traces.shape[0] }, (_, t) => `${JSON.stringify(values.slice(t * 3, t * 3 + 3))}\n`),
  ].join('');

  // Between them, the dict of recording2 (Python pprints it; the example prints the JSON a dump writes).
  expect(stdout.startsWith(before), `stdout begins:\n${stdout.slice(0, before.length)}`).toBe(true);
  expect(stdout.endsWith(after + spikeglx), `stdout ends:\n${stdout.slice(-(after + spikeglx).length)}`).toBe(true);
  const dictText = stdout.slice(before.length, stdout.length - after.length - spikeglx.length);
  expect(dictText).toContain('"sampling_frequency": 30000.0,');
  const toDict = JSON.parse(here(JSON.stringify(JSON.parse(await readFixtureText('tutorial_full/expected.json')).steps['recording2.to_dict()'])));
  expect(JSON.parse(dictText)).toEqual(toDict);

  // The probe, plotted as SVG instead of matplotlib's figure.
  const probe = generateLinearProbe({ numElec: 7, ypitch: 20, contactShapes: 'circle', contactShapeParams: { radius: 6 } });
  probe.setDeviceChannelIndices([0, 1, 2, 3, 4, 5, 6]);
  expect(svg).toBe(plotProbe(probe));
}, 60000);

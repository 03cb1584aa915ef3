// SpikeInterface's "Recording objects" tutorial (examples/tutorials/core/plot_1_recording_extractor.py),
// step by step, with spikewire: it prints what the Python tutorial prints, line for line.
//
//   npm run example:node                         # builds the package first
//   node examples/node/tutorial.mjs [folder] [run]   # files go to [folder], default examples/node/scratch
//
// The tutorial writes files (raw traces, a JSON dump, a saved folder; here also the probe as SVG) into
// its working directory; this script works in a scratch folder instead, which git ignores. It ends by
// opening a SpikeGLX run ([run], default the NP1.0 run of the repository's test fixtures).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  BinaryRecordingExtractor, ChannelSliceRecording, NumpyRecording, dumpJsonText, generateLinearProbe, load, plotProbe, readSpikeglx,
} from 'spikewire/node';

const scratch = process.argv[2] ?? fileURLToPath(new URL('./scratch/', import.meta.url));
const spikeglxRun = process.argv[3] ?? fileURLToPath(new URL('../../test/fixtures/spikeinterface/acquisition/spikeglx/np1_ap_lf/data/M27_run1_g0', import.meta.url));
mkdirSync(scratch, { recursive: true });
process.chdir(scratch);

// How Python prints what the tutorial prints: shapes as tuples, 1-D numpy arrays, floats, lists.
const shape = ({ shape }) => `(${shape.join(', ')})`;
const pyStr = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ndarray = (ids) => `[${ids.map((id) => (typeof id === 'string' ? pyStr(id) : String(id))).join(' ')}]`;
const pyFloat = (x) => (Number.isInteger(x) ? x.toFixed(1) : String(x));
// pprint of a list of strings: one line when it fits in 80 columns, else one item per line.
const pprintList = (items) => {
  const oneLine = `[${items.map(pyStr).join(', ')}]`;
  return oneLine.length <= 80 ? oneLine : `[${items.map(pyStr).join(',\n ')}]`;
};

// numpy.random.normal(0, 10, ...) stand-in: a small seeded generator, so every run prints the same numbers.
function normal(seed, scale) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => scale * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

// The properties of the dataset, and pure-noise traces for 2 segments of different durations.
const numChannels = 7;
const samplingFrequency = 30000.0; // in Hz
const durations = [10.0, 15.0]; // in s for 2 segments
const numTimepoints = durations.map((d) => Math.trunc(samplingFrequency * d));
const randn = normal(0, 10);
const [traces0, traces1] = numTimepoints.map((n) => Float64Array.from({ length: n * numChannels }, randn));

// A NumpyRecording; every recording prints a summary.
const recording = new NumpyRecording({ tracesList: [traces0, traces1], samplingFrequency, numChannels });
console.log(String(recording));

console.log(`Number of channels = ${recording.getChannelIds().length}`);
console.log(`Sampling frequency = ${pyFloat(recording.getSamplingFrequency())} Hz`);
console.log(`Number of segments= ${recording.getNumSegments()}`);
console.log(`Number of timepoints in seg0= ${recording.getNumFrames(0)}`);
console.log(`Number of timepoints in seg1= ${recording.getNumFrames(1)}`);

// A linear probe of 7 circular contacts, wired to the channels, set on the recording (in place, as
// SpikeInterface main); the tutorial plots it with matplotlib, here it becomes an SVG file.
const probe = generateLinearProbe({ numElec: 7, ypitch: 20, contactShapes: 'circle', contactShapeParams: { radius: 6 } });
probe.setDeviceChannelIndices([0, 1, 2, 3, 4, 5, 6]);
recording.setProbe(probe);
writeFileSync('probe.svg', plotProbe(probe));

// Write the samples to binary files, and read them back lazily.
const filePaths = ['traces0.raw', 'traces1.raw'];
await BinaryRecordingExtractor.writeRecording(recording, filePaths);
const recording2 = await BinaryRecordingExtractor.open({ filePaths, samplingFrequency, numChannels, dtype: 'float64' });
console.log(String(recording2));

// Traces are read on demand: the whole of segment 0, and part of segment 1.
const segment0 = await recording2.getTraces({ segmentIndex: 0 });
const traces1Short = await recording2.getTraces({ segmentIndex: 1, endFrame: 50 });
console.log(shape(segment0));
console.log(shape(traces1Short));

// Channel ids are numbers or strings.
console.log('chan_ids (dtype=int):', ndarray(recording.getChannelIds()));
const recording3 = new NumpyRecording({
  tracesList: [segment0.data, traces1], samplingFrequency, channelIds: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
});
console.log('chan_ids (dtype=str):', ndarray(recording3.getChannelIds()));

// Channel ids select what is read...
const traces = await recording3.getTraces({ segmentIndex: 1, endFrame: 50, channelIds: ['a', 'd'] });
console.log(shape(traces));

// ...and what a lazy channel slice shows.
let recording4 = recording3.selectChannels(['a', 'c', 'e']);
console.log(String(recording4));
console.log(ndarray(recording4.getChannelIds()));
recording4 = new ChannelSliceRecording(recording3, ['a', 'c', 'e']); // the same, by its class

// Split a recording by a property.
recording3.setProperty('group', [0, 0, 0, 1, 1, 1, 2]);
const recordings = recording3.splitBy('group');
console.log(`{${[...recordings].map(([group, r]) => `${group}: ${r}`).join(', ')}}`);
for (const group of [0, 1, 2]) console.log(ndarray(recordings.get(group).getChannelIds()));

// A recording describes itself as a dict (printed here as the JSON a dump writes), and is rebuilt from it.
const d = recording2.toDict();
console.log(dumpJsonText(d));
let recording2Loaded = await load(d);
console.log(String(recording2Loaded));

// The dict, dumped to a JSON file: only how to rebuild the recording, not its samples.
await recording2.dumpToJson('my_recording.json');
recording2Loaded = await load('my_recording.json');
console.log(String(recording2Loaded));

// save() copies the samples too, into a folder.
await recording2.save({ folder: './my_recording', overwrite: true });
console.log(pprintList(readdirSync('./my_recording').sort()));
const recording2Cached = await load('my_recording.json');
console.log(String(recording2Cached));

// A SpikeGLX run: one stream of it (the AP band of probe imec0) is a recording like any other, read
// lazily from the .bin, with gains to µV and the probe from the .meta.
const ap = await readSpikeglx(spikeglxRun, { streamId: 'imec0.ap' });
console.log(String(ap));
console.log(`Number of channels = ${ap.getNumChannels()}`);
const apProbe = ap.getProbe();
console.log(String(apProbe));
const xs = apProbe.contactPositions.map(([x]) => x);
const ys = apProbe.contactPositions.map(([, y]) => y);
console.log(`${apProbe.annotations.description}: ${apProbe.contactPositions.length} contacts, x ${Math.min(...xs)}..${Math.max(...xs)} µm, y ${Math.min(...ys)}..${Math.max(...ys)} µm`);
// 6 frames of 3 channels, in µV (float32): samples × gain_to_uV + offset_to_uV
const window = await ap.getTraces({ startFrame: 200, endFrame: 206, channelIds: ['imec0.ap#AP2', 'imec0.ap#AP0', 'imec0.ap#AP383'], returnInUV: true });
console.log(shape(window));
for (let t = 0; t < window.shape[0]; t++) console.log(JSON.stringify(Array.from(window.data.subarray(t * 3, t * 3 + 3))));
await ap.close();

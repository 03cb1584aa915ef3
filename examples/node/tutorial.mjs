// SpikeInterface's "Recording objects" tutorial (core/plot_1_recording_extractor.py), step by step,
// with spikewire. Run it with `npm run example:node` (it builds the package first). It writes its
// files (traces, dumps, the saved folder, probe.svg) into the current directory, as the tutorial does.
import { readdir, writeFile } from 'node:fs/promises';
import {
  BinaryRecordingExtractor, ChannelSliceRecording, NumpyRecording, generateLinearProbe, load, plotProbe,
} from 'spikewire/node';

// A small seeded generator, so that every run prints the same numbers (numpy's randn is not available).
function gaussian(seed) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const step = (title) => console.log(`\n# ${title}`);

// ---------------------------------------------------------------------------------------------
step('Create a recording from arrays: 7 channels, 2 segments of 10 s and 15 s at 30 kHz');
const numChannels = 7;
const samplingFrequency = 30000.0;
const durations = [10.0, 15.0];
const randn = gaussian(0);
const tracesList = durations.map((d) => Float64Array.from({ length: samplingFrequency * d * numChannels }, randn));
const recording = new NumpyRecording({ tracesList, samplingFrequency, numChannels });
console.log(String(recording));

step('Getters');
const channelIds = recording.getChannelIds();
console.log('Channel ids:', channelIds);
console.log('Sampling frequency:', recording.getSamplingFrequency());
console.log('Number of channels:', recording.getNumChannels());
console.log('Number of segments:', recording.getNumSegments());
console.log('Number of frames in segment 0:', recording.getNumFrames(0));
console.log('Number of frames in segment 1:', recording.getNumFrames(1));

step('Attach a probe: a linear probe of 7 circular contacts (radius 6 µm, 20 µm apart), wired to channels 0..6');
const probe = generateLinearProbe({ numElec: 7, ypitch: 20, contactShapes: 'circle', contactShapeParams: { radius: 6 } });
probe.setDeviceChannelIndices([0, 1, 2, 3, 4, 5, 6]);
recording.setProbe(probe); // in place, as SpikeInterface main
console.log('Has probe:', recording.hasProbe());
await writeFile('probe.svg', plotProbe(probe));
console.log('Probe plot written to probe.svg');

step('Write the samples to binary files, and open them again with BinaryRecordingExtractor');
const filePaths = ['traces0.raw', 'traces1.raw'];
await BinaryRecordingExtractor.writeRecording(recording, filePaths);
const recording2 = await BinaryRecordingExtractor.open({ filePaths, samplingFrequency, numChannels, dtype: 'float64' });
console.log(String(recording2));

step('Read traces: a whole segment, and the first 50 frames of segment 1');
const traces0 = await recording2.getTraces({ segmentIndex: 0 });
const traces1Short = await recording2.getTraces({ segmentIndex: 1, endFrame: 50 });
console.log(traces0.shape);
console.log(traces1Short.shape);

step('Rename channels, then read two of them by id');
console.log(recording.getChannelIds());
const recording3 = recording.renameChannels(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
console.log(recording3.getChannelIds());
const traces = await recording3.getTraces({ segmentIndex: 1, endFrame: 50, channelIds: ['a', 'd'] });
console.log(traces.shape);

step('Select channels (a lazy ChannelSliceRecording)');
const recording4 = recording3.selectChannels(['a', 'c', 'e']);
console.log(String(recording4));
console.log(recording4.getChannelIds());
console.log(String(new ChannelSliceRecording(recording3, ['a', 'c', 'e'])));

step("Split by the 'group' property");
recording3.setProperty('group', [0, 0, 0, 1, 1, 1, 2]);
const recordings = recording3.splitBy('group');
console.log(`{${[...recordings].map(([k, r]) => `${k}: ${r}`).join(', ')}}`);
for (const [group, sub] of recordings) console.log(group, sub.getChannelIds());

step('Describe a recording as a dict, and rebuild it');
const d = recording2.toDict();
console.log(d);
console.log(String(await load(d)));

step('Dump to JSON (absolute and relative paths) and to a pickle, and load them');
await recording2.dumpToJson('my_recording.json');
console.log(String(await load('my_recording.json')));
await recording2.dumpToJson('my_recording_relative.json', { relativeTo: true });
console.log(String(await load('my_recording_relative.json', { baseFolder: true })));
await recording2.dumpToPickle('my_recording.pkl');
console.log(String(await load('my_recording.pkl')));

step('Save to a folder, list it, and load it');
const saved = await recording2.save({ folder: './my_recording', overwrite: true });
console.log(String(saved));
console.log((await readdir('./my_recording')).sort());
const reloaded = await load('my_recording');
console.log(String(reloaded));
await Promise.all([recording2.close(), saved.close(), reloaded.close()]);

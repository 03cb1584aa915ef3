// Run by fd-cycles.node.test.ts as `node --expose-gc fd-cycles-child.mjs <dist> <workdir> <cycles>`:
// opens recordings over and over, closed and never closed, and prints one JSON line with the open
// descriptor counts (from /proc/self/fd) and every process warning seen.
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, work, cyclesText] = process.argv.slice(2);
const cycles = Number(cyclesText);
const { BinaryRecordingExtractor, load, NumpyRecording } = await import(pathToFileURL(join(dist, 'node.mjs')).href);

const warnings = [];
process.on('warning', (w) => warnings.push(`${w.name}${w.code ? ` ${w.code}` : ''}: ${w.message}`));
const fds = () => readdirSync('/proc/self/fd').length;
const tick = () => new Promise((r) => setTimeout(r, 0));
/** Collects garbage and lets finalizers (and the closes they start) run. */
async function collect() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await tick();
  }
}

mkdirSync(work, { recursive: true });
const file = join(work, 'data.raw');
writeFileSync(file, new Uint8Array(4000));
const opts = { filePaths: [file], samplingFrequency: 1000, numChannels: 2, dtype: 'int16' };
const folder = join(work, 'saved');
const numpy = new NumpyRecording({ tracesList: [new Int16Array(200)], samplingFrequency: 1000, numChannels: 2 });
await (await numpy.save({ folder })).close();

// warm up: modules, the kernel, the first reads
const first = await BinaryRecordingExtractor.open(opts);
await first.getTraces({ endFrame: 10 });
await first.close();
await (await load(folder)).close();
await collect();
const baseline = fds();

for (let i = 0; i < cycles; i++) {
  const r = await BinaryRecordingExtractor.open(opts);
  await r.close();
}
await collect();
const afterClosed = fds();

let peak = 0;
for (let i = 0; i < cycles; i++) {
  const r = await BinaryRecordingExtractor.open(opts);
  if (i % 10 === 0) await r.getTraces({ endFrame: 5 });
  if (i % 1000 === 999) {
    peak = Math.max(peak, fds());
    await collect();
  }
}
const loads = Math.max(1, Math.floor(cycles / 10));
for (let i = 0; i < loads; i++) await load(folder);
peak = Math.max(peak, fds());
let afterForgotten = fds();
for (let i = 0; i < 50 && afterForgotten > baseline; i++) {
  await collect();
  await new Promise((r) => setTimeout(r, 20));
  afterForgotten = fds();
}
console.log(JSON.stringify({ baseline, afterClosed, peak, afterForgotten, loads, warnings }));

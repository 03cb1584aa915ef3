/**
 * The example's traces worker: it opens the same recording as the page (sent as a URL, File objects,
 * a directory handle or a raw file's options) and answers windows of its traces, raw or through
 * highpassFilter (+ commonReference), read and computed here, off the page's main thread. Each
 * answer's Float32Array is transferred, not copied.
 *
 * The package comes through the page's import map, sent first ({ type: 'init', imports }), since
 * import maps do not apply in workers (see worker-imports.js).
 *
 * Messages in:  { type: 'init', id, imports }  { type: 'open', id, source }  { type: 'traces', id, segmentIndex, startFrame, endFrame,
 *               channelIds, returnInUV, filter: null | { freqMin, reference: 'none' | 'median' | 'average' } }
 * Messages out: { id, ok: true, ... } or { id, ok: false, error: { message, name, code } }
 */
import { importWithMap } from './worker-imports.js';

let spikewire = null; // Promise of the package's module

let opening = null; // Promise of the recording opened last
let computed = 0; // filtered windows computed here
let read = 0; // raw windows read here
let busyMs = 0; // time spent on filtered windows
const pipelines = new Map(); // `${freqMin}|${reference}` -> the preprocessed recording

async function openSource(source) {
  const { BinaryRecordingExtractor, load } = await spikewire;
  switch (source.kind) {
    case 'url':
      return load(source.url);
    case 'file':
    case 'handle':
      return load(source.kind === 'file' ? source.file : source.handle);
    case 'files':
      // structured cloning keeps a File's name and bytes, not its place in the chosen folder
      return load(source.entries.map(({ path, file }) => Object.defineProperty(file, 'webkitRelativePath', { value: path })));
    case 'raw':
      return BinaryRecordingExtractor.open(source.options);
    default:
      throw new Error(`unknown source kind ${JSON.stringify(source.kind)}`);
  }
}

async function preprocessed(filter) {
  const recording = await opening;
  if (!filter) return recording;
  const { freqMin, reference } = filter;
  const { commonReference, highpassFilter } = await spikewire;
  const key = `${freqMin}|${reference}`;
  let out = pipelines.get(key);
  if (!out) {
    const filtered = highpassFilter(recording, { freqMin });
    out = reference === 'none' ? filtered : commonReference(filtered, { reference: 'global', operator: reference });
    pipelines.set(key, out);
  }
  return out;
}

async function answer(message) {
  if (message.type === 'init') {
    spikewire = importWithMap(message.imports)('spikewire');
    await spikewire;
    return {};
  }
  if (!spikewire) throw new Error('the worker was not given the package (init)');
  if (message.type === 'open') {
    const previous = opening;
    pipelines.clear();
    opening = openSource(message.source);
    opening.catch(() => {}); // reported to the traces requests that wait on it
    previous?.then((r) => r.close()).catch(() => {});
    await opening;
    return {};
  }
  if (message.type === 'traces') {
    if (!opening) throw new Error('no recording opened in the worker');
    const { segmentIndex, startFrame, endFrame, channelIds, returnInUV, filter } = message;
    const began = performance.now();
    const recording = await preprocessed(filter);
    const traces = await recording.getTraces({ segmentIndex, startFrame, endFrame, channelIds, returnInUV });
    // a copy unless the array owns its whole buffer (it may be a view of memory the library keeps)
    const own = traces.data instanceof Float32Array && traces.data.byteOffset === 0 && traces.data.byteLength === traces.data.buffer.byteLength && traces.data.buffer instanceof ArrayBuffer;
    const data = own ? traces.data : Float32Array.from(traces.data);
    if (filter) {
      computed++;
      busyMs += performance.now() - began;
    } else {
      read++;
    }
    return { data, shape: traces.shape, computed, read, busyMs, transfer: [data.buffer] };
  }
  throw new Error(`unknown message type ${JSON.stringify(message.type)}`);
}

self.addEventListener('message', async ({ data: message }) => {
  try {
    const { transfer = [], ...result } = await answer(message);
    self.postMessage({ id: message.id, ok: true, ...result }, transfer);
  } catch (error) {
    self.postMessage({ id: message.id, ok: false, error: { message: String(error?.message ?? error), name: error?.name, code: error?.code } });
  }
});
self.postMessage({ ready: true });

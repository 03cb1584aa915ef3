// Node-only: a worker thread of spikewire/node's parallel writer (see extractors/node/parallel-write.ts), built as its
// own bundle entry (dist/parallel-worker.mjs and .cjs, beside dist/node.*).
//
// It rebuilds the recording from its dict with its own kernel, then writes the chunks it is sent
// (whole chunks of one job: same reads, same conversion code) at their offsets in the temporary files,
// and says 'done' after each. On 'finish' it closes its files and exits; on 'stop' it drops the chunks
// it was given and exits after the one in hand; on an error it reports it and exits.
import { open, type FileHandle } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { itemSize } from './dtype.js';
import { SpikewireError, describe } from './errors.js';
import type { BaseRecording } from './core/index.js';
import { loadFromDict } from './formats/load.js';
import { getKernel } from './kernel/index.js';
import { installFilePlatform } from './store/platform.js';
import { ChunkEncoder } from './extractors/write-binary.js';
import { fsError } from './store/node/file-source.js';
import type { FromWorker, ParallelWorkerData, ToWorker } from './extractors/node/parallel-write.js';
import { nodeFilePlatform } from './store/node/platform.js';

installFilePlatform(nodeFilePlatform);

const port = parentPort;
const data = workerData as ParallelWorkerData;
const queue: ToWorker[] = [];
let stopping = false;
let wake: (() => void) | null = null;

/** The next message, or null once told to stop. */
async function nextMessage(): Promise<ToWorker | null> {
  while (queue.length === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
  return stopping ? null : queue.shift()!;
}

function post(msg: FromWorker): void {
  port!.postMessage(msg);
}

/** The recording from its dict, checked against what the main thread plans to write. */
async function rebuild(): Promise<BaseRecording> {
  // The main thread has seen the warnings of this load already (when it opened the recording).
  const warn = console.warn;
  console.warn = () => {};
  let recording: BaseRecording;
  try {
    recording = await loadFromDict(data.dict);
  } finally {
    console.warn = warn;
  }
  const frames = Array.from({ length: recording.getNumSegments() }, (_, i) => recording.getNumSamples(i));
  const same = recording.getNumChannels() === data.numChannels && recording.getDtype() === data.srcDtype
    && frames.length === data.segmentFrames.length && frames.every((n, i) => n === data.segmentFrames[i]);
  if (!same) {
    await recording.close().catch(() => {});
    throw new SpikewireError(
      'IO',
      `the recording rebuilt from its dict in a worker (${data.numChannels === recording.getNumChannels() ? '' : `${recording.getNumChannels()} channels, `}` +
        `${recording.getDtype()}, frames ${describe(frames)}) is not the one being written (${data.numChannels} channels, ${data.srcDtype}, ` +
        `frames ${describe(data.segmentFrames)}): did its files change? Write it with nJobs 1`,
    );
  }
  return recording;
}

/** Writes all of `bytes` at `position`. */
async function writeAt(fh: FileHandle, bytes: Uint8Array, position: number, name: string): Promise<void> {
  let done = 0;
  try {
    while (done < bytes.byteLength) {
      const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, position + done);
      done += bytesWritten;
    }
  } catch (e) {
    throw fsError(e, 'cannot write', name);
  }
}

async function main(): Promise<void> {
  const handles: (FileHandle | null)[] = data.files.map(() => null);
  let recording: BaseRecording | null = null;
  let encoder: ChunkEncoder | null = null;
  let failed = false;
  const fail = (e: unknown) => {
    if (failed) return;
    failed = true;
    const error = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', error: { code: e instanceof SpikewireError ? e.code : undefined, message: error.message, stack: error.stack } });
  };
  try {
    recording = await rebuild();
    const rec = recording;
    const longest = Math.max(0, ...data.segmentFrames);
    encoder = await ChunkEncoder.create(await getKernel(), data.srcDtype, data.dstDtype, data.numChannels, Math.min(data.chunkSize, longest));
    const frameBytes = data.numChannels * itemSize(data.dstDtype);
    const segments = new Map<number, BaseRecording>();
    const segmentView = (i: number) => {
      if (rec.getNumSegments() === 1) return rec;
      let view = segments.get(i);
      if (!view) segments.set(i, (view = rec.selectSegments([i])));
      return view;
    };
    for (;;) {
      const msg = await nextMessage();
      if (msg === null || msg.type !== 'chunk') break;
      const { segmentIndex, startFrame } = msg;
      const n = data.segmentFrames[segmentIndex];
      const end = Math.min(n, startFrame + data.chunkSize);
      let fh = handles[segmentIndex];
      if (!fh) {
        try {
          fh = handles[segmentIndex] = await open(data.files[segmentIndex], 'r+');
        } catch (e) {
          throw fsError(e, 'cannot open', data.files[segmentIndex]);
        }
      }
      const file = fh;
      const one = segmentView(segmentIndex);
      const slice = startFrame === 0 && end === n ? one : one.frameSlice(startFrame, end);
      // one chunk of the slice: the frames [startFrame, end) of the segment, as one job reads them
      for await (const chunk of slice.chunks({ chunkSize: end - startFrame })) {
        await encoder.write(chunk, (bytes) => writeAt(file, bytes, data.byteOffset + (startFrame + chunk.startFrame) * frameBytes, data.files[segmentIndex]));
      }
      post({ type: 'done' });
    }
  } catch (e) {
    fail(e);
  } finally {
    encoder?.dispose();
    for (const fh of handles) {
      try {
        await fh?.close();
      } catch (e) {
        fail(e);
      }
    }
    await recording?.close().catch(() => {});
    leave();
  }
}

/**
 * Ends the thread once its files are closed. Closing the port leaves nothing that keeps it alive (Node,
 * Bun); Deno's worker_threads has no MessagePort.close, there the worker closes itself, as a web
 * worker does, after its last message was posted.
 */
function leave(): void {
  port!.off('message', onMessage);
  if (typeof port!.close === 'function') port!.close();
  else (globalThis as { close?: () => void }).close?.();
}

function onMessage(msg: ToWorker): void {
  if (msg.type === 'stop') {
    stopping = true;
    queue.length = 0;
  } else {
    queue.push(msg);
  }
  const w = wake;
  wake = null;
  w?.();
}

if (port) {
  port.on('message', onMessage);
  void main();
}

// openRecordingWorker with a real module Worker in Chromium: the worker loads the library, opens the
// picked fixture folder (and a SpikeGLX stream from a directory handle) with its own kernel, and answers
// windows whose buffers are transferred.
import { expect, it } from 'vitest';
import { load, openRecordingWorker } from '../../src/index.js';
import { decodeArrayEntry, readFixtureJson } from '../helpers/fixtures.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';

it('opens a picked folder in a Worker and reads traces and envelopes there', async () => {
  const files = pickedFiles('saved', await readFixtureFolder('recordings/multi_columns_probe/saved'));
  const worker = new Worker(new URL('./workers/recording-worker.ts', import.meta.url), { type: 'module' });
  const proxy = await openRecordingWorker(files, { worker });
  const local = await load(files);
  try {
    expect(proxy.getChannelIds()).toEqual(local.getChannelIds());
    const a = await proxy.getTraces({ startFrame: 100, endFrame: 400, returnInUV: true });
    const b = await local.getTraces({ startFrame: 100, endFrame: 400, returnInUV: true });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const env = await proxy.getEnvelopes({ columns: 50, returnInUV: true });
    expect(env.shape).toEqual([50, 13]);
    expect(env.min.buffer.byteLength).toBe(50 * 13 * 4); // its own buffer, transferred
  } finally {
    await proxy.close(); // terminates the worker
    await local.close();
  }
  await expect(proxy.getTraces({ startFrame: 0, endFrame: 1 })).rejects.toThrow(/closed/);
});

it("opens a SpikeGLX stream from a real directory handle (what a dropped folder gives), cloned into the Worker", async () => {
  // the fixture run written into the origin's private file system: a FileSystemDirectoryHandle as Chromium makes them
  const files = await readFixtureFolder('acquisition/spikeglx/np1_ap_lf/data/M27_run1_g0');
  const root = await navigator.storage.getDirectory();
  const run = await root.getDirectoryHandle('M27_run1_g0', { create: true });
  for (const [path, bytes] of files) {
    let dir = run;
    const parts = path.split('/');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
    const writable = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  }
  const expected = (await readFixtureJson('acquisition/spikeglx/np1_ap_lf/expected.json')).streams['imec0.ap'].recording;
  const worker = new Worker(new URL('./workers/recording-worker.ts', import.meta.url), { type: 'module' });
  const proxy = await openRecordingWorker({ format: 'spikeglx', folder: run, streamId: 'imec0.ap' }, { worker });
  try {
    expect(proxy.toString()).toBe(expected.repr);
    expect(proxy.getChannelIds()).toEqual(expected.channel_ids.data);
    const w = expected.windows.find((x: any) => x.return_in_uV && x.channel_ids);
    const traces = await proxy.getTraces({ startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids, returnInUV: true });
    expect(Array.from(traces.data)).toEqual(Array.from(decodeArrayEntry(w.traces).values as ArrayLike<number>));
  } finally {
    await proxy.close();
    await root.removeEntry('M27_run1_g0', { recursive: true });
  }
});

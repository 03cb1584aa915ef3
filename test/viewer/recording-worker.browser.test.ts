// openRecordingWorker with a real module Worker in Chromium: the worker loads the library, opens the
// picked fixture folder with its own kernel, and answers windows whose buffers are transferred.
import { expect, it } from 'vitest';
import { load, openRecordingWorker } from '../../src/index.js';
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

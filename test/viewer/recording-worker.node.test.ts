// openRecordingWorker with a Node worker thread (worker_threads) that loads the built package
// (npm run build first): the fixture folder opened there by path, windows read back.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { load, openRecordingWorker } from '../../src/node.js';
import { fixturePath } from '../helpers/fixtures.js';

const built = existsSync(new URL('../../dist/node.mjs', import.meta.url));

it.skipIf(!built)('opens a folder by path in a worker thread and reads its traces there', async () => {
  const folder = await fixturePath('recordings/multi_columns_probe/saved');
  const worker = new Worker(new URL('./workers/recording-worker.node.mjs', import.meta.url));
  const proxy = await openRecordingWorker(folder, { worker });
  const local = await load(folder);
  try {
    expect(proxy.getNumChannels()).toBe(13);
    const a = await proxy.getTraces({ startFrame: 0, endFrame: 500, channelIds: [3, 1] });
    const b = await local.getTraces({ startFrame: 0, endFrame: 500, channelIds: [3, 1] });
    expect(a.dtype).toBe('int16');
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const env = await proxy.getEnvelopes({ columns: 20, returnInUV: true });
    expect(env.shape).toEqual([20, 13]);
  } finally {
    await proxy.close();
    await local.close();
  }
  // the proxy terminated the thread
  await new Promise<void>((resolve) => (worker.threadId === -1 ? resolve() : worker.once('exit', () => resolve())));
});

// openRecordingWorker with an acquisition folder: one stream of the fixture SpikeGLX run and of the
// Open Ephys Record Node, opened in the worker (over a MessageChannel, in Node and in Chromium) from
// picked files and over HTTP, described and read as SpikeInterface did (expected.json).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingWorkerProxy, openRecordingWorker, serveRecordingWorker } from '../../src/index.js';
import { decodeArrayEntry, readFixtureJson } from '../helpers/fixtures.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { folderInput } from '../extractors/spikeglx-source.js';

const CASES = [
  { format: 'spikeglx', base: 'acquisition/spikeglx/np1_ap_lf', stream: 'imec0.ap', choice: { streamId: 'imec0.ap' } },
  {
    format: 'openephys', base: 'acquisition/openephys/np1_pxi_nidaq', stream: 'Record Node 101#Neuropix-PXI-100.ProbeA-AP',
    choice: { streamName: 'Record Node 101#Neuropix-PXI-100.ProbeA-AP', blockIndex: 0 },
  },
] as const;

describe.each(CASES)('a $format stream opened in a worker', ({ format, base, stream, choice }) => {
  let expected: any;
  let folderPath: string;
  let stop: () => Promise<void>;
  let port: MessagePort;
  const proxies: RecordingWorkerProxy[] = [];

  beforeAll(async () => {
    const all = await readFixtureJson(`${base}/expected.json`);
    expected = all.streams[stream].recording;
    folderPath = `${base}/${all.folder_path}`;
    const channel = new MessageChannel();
    stop = serveRecordingWorker(channel.port2);
    port = channel.port1;
  });

  afterAll(async () => {
    for (const p of proxies) await p.close();
    await stop?.();
    port?.close();
  });

  it.each(['picked', 'http-index', 'http-files'] as const)('from %s: the description and windows of expected.json', async (kind) => {
    const input = (await folderInput(folderPath, kind)) as any;
    const folder = kind === 'http-files' ? input.url : input;
    const files = kind === 'http-files' ? input.files : undefined;
    const proxy = await openRecordingWorker({ format, folder, ...choice, files }, { worker: port, terminateOnClose: false });
    proxies.push(proxy);
    expect(proxy.info.className).toBe(expected.class);
    expect(proxy.getChannelIds()).toEqual(expected.channel_ids.data);
    expect(proxy.getSamplingFrequency()).toBe(expected.sampling_frequency);
    expect(proxy.info.numSamples).toEqual(expected.num_samples_per_segment);
    expect(proxy.hasProbe()).toBe(expected.has_probe);
    expect(Array.from(proxy.getChannelLocations())).toEqual(Array.from(decodeArrayEntry(expected.channel_locations).values as Float64Array));
    expect(proxy.toString().split('\n')[0]).toBe(expected.repr.split('\n')[0]);
    for (const w of expected.windows) {
      const traces = await proxy.getTraces({
        segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame,
        channelIds: w.channel_ids?.data ?? w.channel_ids ?? undefined, returnInUV: w.return_in_uV,
      });
      expect(traces.shape).toEqual(w.traces.shape);
      expect(Array.from(traces.data)).toEqual(Array.from(decodeArrayEntry(w.traces).values as ArrayLike<number>));
    }
  });

  it('refuses a missing or unknown stream with the reader\'s message, and an unknown format', async () => {
    const folder = (await folderInput(folderPath, 'picked')) as File[];
    await expectCodeAsync(openRecordingWorker({ format, folder }, { worker: port, terminateOnClose: false }), 'INVALID_ARGUMENT', /several streams/);
    await expectCodeAsync(openRecordingWorker({ format, folder, streamId: 'nope' }, { worker: port, terminateOnClose: false }), 'INVALID_ARGUMENT', /streamId nope is not in/);
    await expectCodeAsync(openRecordingWorker({ format: 'plexon' as never, folder }, { worker: port, terminateOnClose: false }), 'INVALID_ARGUMENT', /format "plexon"/);
  });
});

it('the worker refuses an acquisition message it cannot read', async () => {
  const channel = new MessageChannel();
  const stop = serveRecordingWorker(channel.port2);
  const answers: any[] = [];
  channel.port1.onmessage = (e) => answers.push(e.data);
  channel.port1.postMessage({ id: 1, type: 'open', source: { kind: 'acquisition', format: 'eval', folder: { value: 'x' }, options: {} } });
  channel.port1.postMessage({ id: 2, type: 'open', source: { kind: 'acquisition', format: 'spikeglx', folder: { entries: 'x' }, options: {} } });
  await expect.poll(() => answers.length, { timeout: 5000 }).toBe(2);
  const byId = Object.fromEntries(answers.map((a) => [a.id, a]));
  expect(byId[1].error.message).toMatch(/acquisition format "eval"/);
  expect(byId[2].error.message).toMatch(/list of picked files/);
  channel.port1.close();
  await stop();
});

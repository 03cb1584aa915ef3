// openRecordingWorker and serveRecordingWorker over a MessageChannel (the same messages, clones and
// transfers as a Worker, in Node and in Chromium alike): the proxy's description and windows against
// the fixture's expected.json and against the same recording opened here; envelopes, preprocessing,
// aborts and errors crossing the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RecordingWorkerProxy, commonReference, getEnvelopes, highpassFilter, load, openRecordingWorker, serveRecordingWorker,
} from '../../src/index.js';
import type { BaseRecording } from '../../src/index.js';
import { decodeArrayEntry, inBrowser, readFixtureJson } from '../helpers/fixtures.js';
import { pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { expectCodeAsync } from '../helpers/expect-error.js';

const CASE = 'recordings/multi_columns_probe';

describe('a recording opened in a worker, through a MessageChannel', () => {
  let expected: any;
  let local: BaseRecording;
  let proxy: RecordingWorkerProxy;
  let stopServing: () => Promise<void>;
  let files: File[];

  beforeAll(async () => {
    expected = (await readFixtureJson(`${CASE}/expected.json`)).loaded;
    files = pickedFiles('saved', await readFixtureFolder(`${CASE}/saved`));
    local = await load(files);
    const channel = new MessageChannel();
    stopServing = serveRecordingWorker(channel.port2);
    proxy = await openRecordingWorker(files, { worker: channel.port1 });
  });

  afterAll(async () => {
    await proxy?.close();
    await stopServing?.();
    await local?.close();
  });

  it('describes the recording as SpikeInterface does (expected.json)', () => {
    expect(proxy.getChannelIds()).toEqual(expected.channel_ids.data);
    expect(proxy.getSamplingFrequency()).toBe(expected.sampling_frequency);
    expect(proxy.getNumSegments()).toBe(expected.num_segments);
    expect(proxy.getNumSamples()).toBe(expected.num_samples_per_segment[0]);
    expect(proxy.getDtype()).toBe(expected.dtype_name);
    expect(proxy.hasScaleableTraces()).toBe(expected.has_scaleable_traces);
    expect(proxy.hasProbe()).toBe(true);
    expect(Array.from(proxy.getChannelLocations())).toEqual(Array.from(decodeArrayEntry(expected.channel_locations).values as Float64Array));
    expect(proxy.getProbegroup().probes[0].getContactCount?.() ?? proxy.getProbegroup().probes[0].contactPositions.length).toBe(13);
    expect(proxy.toString().split('\n')[0]).toBe(String(local).split('\n')[0]);
    expect(proxy.getPropertyKeys()).toEqual(expect.arrayContaining(['group']));
  });

  it("reads the fixture's windows, raw and in µV, through the worker", async () => {
    for (const w of expected.windows) {
      const traces = await proxy.getTraces({
        segmentIndex: w.segment_index, startFrame: w.start_frame, endFrame: w.end_frame, channelIds: w.channel_ids?.data ?? w.channel_ids ?? undefined,
        returnInUV: w.return_in_uV,
      });
      const want = decodeArrayEntry(w.traces);
      expect(traces.shape).toEqual(w.traces.shape);
      expect(Array.from(traces.data)).toEqual(Array.from(want.values as ArrayLike<number>));
    }
  });

  it('answers envelopes equal to getEnvelopes on the recording opened here', async () => {
    const opts = { startFrame: 100, endFrame: 900, columns: 37, channelIds: [5, 0, 12], returnInUV: true };
    const got = await proxy.getEnvelopes(opts);
    const want = await getEnvelopes(local, opts);
    expect(got.shape).toEqual([37, 3]);
    expect(Array.from(got.min)).toEqual(Array.from(want.min));
    expect(Array.from(got.max)).toEqual(Array.from(want.max));
    expect(got.min).toBeInstanceOf(Float32Array);
  });

  it('preprocesses in the worker as the library does here', async () => {
    const filtered = await proxy.preprocess([
      { name: 'highpassFilter', options: { freqMin: 300 } },
      { name: 'commonReference', options: { reference: 'global', operator: 'median' } },
    ]);
    expect(filtered.info.className).toBe('CommonReferenceRecording');
    const here = commonReference(highpassFilter(local, { freqMin: 300 }), { reference: 'global', operator: 'median' });
    const a = await filtered.getTraces({ startFrame: 200, endFrame: 600, returnInUV: true });
    const b = await here.getTraces({ startFrame: 200, endFrame: 600, returnInUV: true });
    expect(a.shape).toEqual(b.shape);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    await filtered.close();
    // the parent stays open
    expect((await proxy.getTraces({ startFrame: 0, endFrame: 2 })).shape).toEqual([2, 13]);
  });

  it('aborts requests, and the errors keep their codes', async () => {
    const controller = new AbortController();
    const pending = proxy.getTraces({ startFrame: 0, endFrame: 1000, signal: controller.signal });
    controller.abort();
    await expectCodeAsync(pending, 'ABORTED');
    await expectCodeAsync(proxy.getEnvelopes({ columns: 10, signal: AbortSignal.abort() }), 'ABORTED');
    await expectCodeAsync(proxy.getTraces({ segmentIndex: 3 }), 'OUT_OF_RANGE');
    await expectCodeAsync(proxy.getTraces({ channelIds: ['nope'] }), 'CHANNEL_NOT_FOUND');
    await expectCodeAsync(proxy.getEnvelopes({ columns: 0 }), 'INVALID_ARGUMENT', /columns/);
    await expectCodeAsync(proxy.preprocess([{ name: 'eval' as never }]), 'INVALID_ARGUMENT', /unknown step "eval"/);
    // still usable
    expect((await proxy.getTraces({ startFrame: 0, endFrame: 3 })).shape).toEqual([3, 13]);
  });

  it('opens a raw binary file from its options, and refuses a worker that never answers', async () => {
    const channel = new MessageChannel();
    const stop = serveRecordingWorker(channel.port2);
    const raw = files.find((f) => f.name === 'traces_cached_seg0.raw')!;
    const rawProxy = await openRecordingWorker({ binary: { sources: [raw], samplingFrequency: 30000, numChannels: 13, dtype: 'int16', gainToUV: 2.34375, offsetToUV: 0 } }, { worker: channel.port1 });
    const a = await rawProxy.getTraces({ startFrame: 10, endFrame: 20, returnInUV: true });
    const b = await local.getTraces({ startFrame: 10, endFrame: 20, returnInUV: true });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    await rawProxy.close();
    await stop();

    const silent = new MessageChannel();
    await expectCodeAsync(openRecordingWorker(files, { worker: silent.port1, timeoutMs: 100 }), 'IO', /did not answer/);
    silent.port2.close();
    await expectCodeAsync(openRecordingWorker(files, {} as never), 'INVALID_ARGUMENT', /worker/);
  });

  it('answers hostile messages with errors and ignores what is not a request', async () => {
    const channel = new MessageChannel();
    const stop = serveRecordingWorker(channel.port2);
    const answers: any[] = [];
    channel.port1.onmessage = (e) => answers.push(e.data);
    for (const m of [
      null, 'text', { type: 'ping' }, { id: 1, type: 'nope' }, { id: 2, type: 'traces', handle: 99, options: {} },
      { id: 3, type: 'open', source: { kind: 'eval', source: 'x' } }, { id: 4, type: 'preprocess', handle: 1, steps: new Array(33).fill({ name: 'rectify' }) },
      { id: 5, type: 'open', source: { kind: 'load', source: { class: 'os.system', kwargs: {} } } },
    ]) channel.port1.postMessage(m);
    await expect.poll(() => answers.length, { timeout: 5000 }).toBe(5);
    const byId = Object.fromEntries(answers.map((a) => [a.id, a]));
    expect(byId[1].error.message).toMatch(/does not know the request "nope"/);
    expect(byId[2].error.message).toMatch(/no open recording with handle 99/);
    expect(byId[3].error.message).toMatch(/cannot open/);
    expect(byId[4].error.code).toBe('INVALID_ARGUMENT');
    expect(byId[5].ok).toBe(false);
    expect(answers.every((a) => a.ok === false && typeof a.error.message === 'string')).toBe(true);
    channel.port1.close();
    await stop();
  });

  it.skipIf(inBrowser)('opens a chain sent as a recording (its dict)', async () => {
    const { fixturePath } = await import('../helpers/fixtures.js');
    const onDisk = await load(await fixturePath(`${CASE}/saved`));
    const chain = highpassFilter(onDisk, { freqMin: 500 });
    const channel = new MessageChannel();
    const stop = serveRecordingWorker(channel.port2);
    const remote = await openRecordingWorker(chain, { worker: channel.port1 });
    expect(remote.info.className).toBe('HighpassFilterRecording');
    const a = await remote.getTraces({ startFrame: 0, endFrame: 300 });
    const b = await chain.getTraces({ startFrame: 0, endFrame: 300 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    await remote.close();
    await stop();
    await onDisk.close();
  });
});

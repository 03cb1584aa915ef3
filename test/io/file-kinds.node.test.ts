// Paths that are not regular files (named pipes, folders, devices) given where a file is expected,
// and loads that fail after opening files: a coded error naming the path, never a blocked open(),
// and no descriptor left open (counted in /proc/self/fd).
import { execFileSync } from 'node:child_process';
import { existsSync, openAsBlob } from 'node:fs';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryRecordingExtractor, BlobSource, load, NodeFileSource } from '../../src/node.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { fdsUnder } from '../helpers/fds.js';
import { readFixtureFolder } from '../helpers/folders.js';

const work = await mkdtemp(join(tmpdir(), 'spikewire-kinds-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const canFifo = process.platform !== 'win32' && existsSync('/usr/bin/mkfifo');
const haveProc = existsSync('/proc/self/fd');

/** Descriptors of this process open on something under the work folder. */
const fdsUnderWork = () => (haveProc ? fdsUnder(work) : []);

function fifo(name: string): string {
  const path = join(work, name);
  execFileSync('mkfifo', [path]);
  return path;
}
const RAW = { samplingFrequency: 1000, numChannels: 2, dtype: 'int16' } as const;

/** Settles `promise` within `ms` or fails the test: a blocked open() would never settle. */
function within<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, fail) => setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms))]);
}

async function savedFolder(name: string): Promise<string> {
  const root = join(work, name);
  for (const [rel, bytes] of await readFixtureFolder('recordings/multi_columns_probe/saved')) {
    await mkdir(join(root, rel, '..'), { recursive: true });
    await writeFile(join(root, rel), bytes);
  }
  return root;
}

describe.runIf(canFifo)('named pipes', () => {
  it('a FIFO as a raw file: IO naming the path, at once (open() never blocks)', async () => {
    const path = fifo('pipe.raw');
    const error = await within(expectCodeAsync(BinaryRecordingExtractor.open({ filePaths: [path], ...RAW }), 'IO', /named pipe/));
    expect(error.message).toContain(path);
    await within(expectCodeAsync(NodeFileSource.open(path), 'IO', /not a regular file/));
    expect(fdsUnderWork()).toEqual([]);
  });

  it('a FIFO with an aborted signal: ABORTED', async () => {
    const path = fifo('pipe2.raw');
    const controller = new AbortController();
    controller.abort(new Error('user stop'));
    await within(expectCodeAsync(BinaryRecordingExtractor.open({ filePaths: [path], ...RAW, signal: controller.signal }), 'ABORTED', /user stop/));
  });

  it('a saved folder whose traces file or binary.json is a FIFO: IO naming it, nothing left open', async () => {
    const root = await savedFolder('fifo-traces');
    await rm(join(root, 'traces_cached_seg0.raw'));
    fifo('fifo-traces/traces_cached_seg0.raw');
    const error = await within(expectCodeAsync(load(root), 'IO', /named pipe/));
    expect(error.message).toContain('traces_cached_seg0.raw');
    const root2 = await savedFolder('fifo-json');
    await rm(join(root2, 'binary.json'));
    fifo('fifo-json/binary.json');
    await within(expectCodeAsync(load(root2), 'IO', /binary\.json.*named pipe/));
    expect(fdsUnderWork()).toEqual([]);
  });
});

describe('other things that are not files', () => {
  it('a folder or a device as a raw file: IO naming the path', async () => {
    const dir = join(work, 'a-dir.raw');
    await mkdir(dir);
    await expectCodeAsync(BinaryRecordingExtractor.open({ filePaths: [dir], ...RAW }), 'IO', /a-dir\.raw.*folder/);
    if (existsSync('/dev/zero')) await within(expectCodeAsync(NodeFileSource.open('/dev/zero'), 'IO', /\/dev\/zero.*device/));
  });

  it('a folder where a saved folder has its traces file: IO naming it', async () => {
    const root = await savedFolder('dir-traces');
    await rm(join(root, 'traces_cached_seg0.raw'));
    await mkdir(join(root, 'traces_cached_seg0.raw'));
    await expectCodeAsync(load(root), 'IO', /traces_cached_seg0\.raw.*folder/);
  });

  it('a file that grows after it was taken as a Blob: IO, not a raw DOMException', async () => {
    const path = join(work, 'changing.raw');
    await writeFile(path, new Uint8Array(400));
    const source = new BlobSource(await openAsBlob(path));
    await appendFile(path, new Uint8Array(10));
    await expectCodeAsync(source.read(0, new Uint8Array(100)), 'IO', /changing|blob/);
  });
});

describe('loads that fail after opening files close them', () => {
  it('a dict whose properties do not fit, after its files were opened: FORMAT or INVALID_ARGUMENT, nothing left open', async () => {
    const path = join(work, 'ok.raw');
    await writeFile(path, new Uint8Array(400));
    const recording = await BinaryRecordingExtractor.open({ filePaths: [path], ...RAW });
    const dict = recording.toDict();
    await recording.close();
    expect(fdsUnderWork()).toEqual([]);
    (dict as { properties: Record<string, unknown> }).properties = { gain_to_uV: [1, 2, 3, 4, 5] };
    await expect(load(dict)).rejects.toHaveProperty('name', 'SpikewireError');
    expect(fdsUnderWork()).toEqual([]);
    // nested: an aggregate whose second child is missing closes the first
    const aggregate = {
      class: 'spikeinterface.core.channelsaggregationrecording.ChannelsAggregationRecording',
      module: 'spikeinterface', version: '0.105.0', relative_paths: false, annotations: {}, properties: {},
      kwargs: { recording_list: [dict, { ...dict, kwargs: { ...dict.kwargs, file_paths: [join(work, 'missing.raw')] } }] },
    };
    (dict as { properties: Record<string, unknown> }).properties = {};
    await expectCodeAsync(load(aggregate), 'NOT_FOUND', /missing\.raw/);
    expect(fdsUnderWork()).toEqual([]);
  });
});

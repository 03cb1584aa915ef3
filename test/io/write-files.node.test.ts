// writeBinaryRecording to file paths (Node, through spikewire/node's file platform): the
// write_recording fixture files byte for byte, naming, byteOffset, progress bar on stderr, and
// nothing left behind (nor anything overwritten) when a write is aborted or fails.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BaseRecording,
  BinaryRecordingExtractor,
  RawBlockSegment,
  SpikewireError,
  nodeFilePlatform,
  writeBinaryRecording,
} from '../../src/node.js';
import type { Kernel } from '../../src/kernel/index.js';
import { fixtureHashes, recordingOffsetT1, recordingX, rejectsWith, sha } from './write-helpers.js';
import { fixturesRoot } from '../helpers/fixtures.js';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'spikewire-write-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

let counter = 0;
async function freshDir(): Promise<string> {
  const dir = join(tmp, `case${counter++}`);
  await nodeFilePlatform.mkdir(dir);
  return dir;
}

async function fileSha(path: string): Promise<string> {
  const buf = await readFile(path);
  return sha(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
}

/** A deterministic lazy int16 recording of `frames` x `channels` whose reads can fail from `failFrom`. */
function syntheticRecording(frames: number, channels: number, failFrom = Infinity): BaseRecording {
  class Segment extends RawBlockSegment {
    constructor() {
      super(30000, null, null, 'int16', channels, 0);
    }
    getNumSamples(): number {
      return frames;
    }
    protected async readBlock(kernel: Kernel, start: number, end: number, address: number): Promise<void> {
      if (end > failFrom) throw new SpikewireError('IO', `synthetic read failure at frame ${end} (test)`);
      const v = kernel.view('int16', address, (end - start) * channels);
      for (let i = 0; i < v.length; i++) v[i] = ((start * channels + i) * 7) % 30011;
    }
  }
  class Synthetic extends BaseRecording {
    constructor() {
      super(30000, Array.from({ length: channels }, (_, i) => i), 'int16');
      this.addRecordingSegment(new Segment());
      this.addRecordingSegment(new Segment());
    }
  }
  return new Synthetic();
}

describe('writeBinaryRecording to files: the write_recording fixtures', () => {
  it('writes every fixture file from the same recording, byte for byte (sha256)', async () => {
    const hashes = await fixtureHashes();
    const dir = await freshDir();
    const x = await recordingX();

    // seg0.raw / seg1.raw: write_recording(x, ['seg0.raw', 'seg1.raw'])
    const plain = await writeBinaryRecording(x, [join(dir, 'seg0.raw'), join(dir, 'seg1.raw')]);
    expect(plain).toEqual([join(dir, 'seg0.raw'), join(dir, 'seg1.raw')]);
    // noext_*: names without an extension get '.raw'
    const noext = await BinaryRecordingExtractor.writeRecording(x, [join(dir, 'noext_seg0'), join(dir, 'noext_seg1')]);
    expect(noext).toEqual([join(dir, 'noext_seg0.raw'), join(dir, 'noext_seg1.raw')]);
    // f32_*: the int16 source written with dtype float32
    await writeBinaryRecording(x, [join(dir, 'f32_seg0.raw'), join(dir, 'f32_seg1.raw')], { dtype: 'float32' });
    for (const name of ['seg0.raw', 'seg1.raw', 'noext_seg0.raw', 'noext_seg1.raw', 'f32_seg0.raw', 'f32_seg1.raw']) {
      expect(await fileSha(join(dir, name)), name).toBe(hashes[name]);
    }
    // offset_t1: its samples, written with a 16-byte header, read back with timeAxis 0 / fileOffset 16
    const t1 = await recordingOffsetT1();
    const [path] = await writeBinaryRecording(t1, join(dir, 'offset_t0'), { byteOffset: 16 });
    expect(path).toBe(join(dir, 'offset_t0.raw'));
    const bytes = await readFile(path);
    expect(bytes.byteLength).toBe(8016);
    expect([...bytes.subarray(0, 16)]).toEqual(new Array(16).fill(0));
    expect(await sha(new Uint8Array(bytes.subarray(16)))).toBe(hashes['seg0.raw']);
    const back = await BinaryRecordingExtractor.open({ filePaths: [path], samplingFrequency: 30000, numChannels: 4, dtype: '<i2', fileOffset: 16 });
    try {
      expect(Array.from((await back.getTraces()).data)).toEqual(Array.from((await t1.getTraces()).data));
    } finally {
      await back.close();
    }
    expect((await readdir(dir)).sort()).toEqual(
      ['f32_seg0.raw', 'f32_seg1.raw', 'noext_seg0.raw', 'noext_seg1.raw', 'offset_t0.raw', 'seg0.raw', 'seg1.raw'],
    );
  });

  it('a recording opened from the fixture files writes them again unchanged (offset_t1 too)', async () => {
    const hashes = await fixtureHashes();
    const dir = await freshDir();
    const fixtures = join(await fixturesRoot(), 'write_recording');
    const t1 = await BinaryRecordingExtractor.open({
      filePaths: [join(fixtures, 'offset_t1.raw')], samplingFrequency: 30000, numChannels: 4, dtype: '<i2', timeAxis: 1, fileOffset: 16,
    });
    try {
      // SpikeInterface's default chunk (1 s) holds the whole 1000-frame segment: the true samples.
      // (Shorter windows of a time_axis 1 file read as SpikeInterface reads them, which differs.)
      const [out] = await writeBinaryRecording(t1, join(dir, 'from_t1.raw'));
      expect(await fileSha(out)).toBe(hashes['seg0.raw']);
      const [f32] = await writeBinaryRecording(t1, join(dir, 'from_t1_f32.raw'), { dtype: 'float32' });
      expect(await fileSha(f32)).toBe(hashes['f32_seg0.raw']);
    } finally {
      await t1.close();
    }
  });

  it("'.raw' naming: added unless the name ends in raw/bin/dat; addFileExtension false keeps names", async () => {
    const dir = await freshDir();
    const x = (await recordingX()).selectSegments([1]);
    expect(await writeBinaryRecording(x, join(dir, 'a'))).toEqual([join(dir, 'a.raw')]);
    expect(await writeBinaryRecording(x, join(dir, 'b.bin'))).toEqual([join(dir, 'b.bin')]);
    expect(await writeBinaryRecording(x, join(dir, 'c.dat'))).toEqual([join(dir, 'c.dat')]);
    expect(await writeBinaryRecording(x, join(dir, 'd.txt'))).toEqual([join(dir, 'd.txt.raw')]);
    expect(await writeBinaryRecording(x, join(dir, 'e'), { addFileExtension: false })).toEqual([join(dir, 'e')]);
    expect((await readdir(dir)).sort()).toEqual(['a.raw', 'b.bin', 'c.dat', 'd.txt.raw', 'e']);
  });

  it('existing files are replaced (as SpikeInterface); overwrite: false refuses and changes nothing', async () => {
    const hashes = await fixtureHashes();
    const dir = await freshDir();
    const x = await recordingX();
    const paths = [join(dir, 'seg0.raw'), join(dir, 'seg1.raw')];
    await writeFile(paths[0], 'OLD CONTENT');
    await rejectsWith(writeBinaryRecording(x, paths, { overwrite: false }), 'INVALID_ARGUMENT', /already exists/);
    expect(await readFile(paths[0], 'utf8')).toBe('OLD CONTENT');
    expect(await readdir(dir)).toEqual(['seg0.raw']);
    await writeBinaryRecording(x, paths);
    expect(await fileSha(paths[0])).toBe(hashes['seg0.raw']);
  });

  it('a missing folder fails before anything is written, and leaves no file behind', async () => {
    const dir = await freshDir();
    const x = await recordingX();
    const e = await writeBinaryRecording(x, [join(dir, 'seg0.raw'), join(dir, 'missing', 'seg1.raw')]).catch((err) => err);
    expect(e).toBeInstanceOf(SpikewireError);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a Node stream (Writable.toWeb) as a target', async () => {
    const hashes = await fixtureHashes();
    const dir = await freshDir();
    const x = (await recordingX()).selectSegments([0]);
    const stream = Writable.toWeb(createWriteStream(join(dir, 'streamed.raw'))) as WritableStream<Uint8Array>;
    await writeBinaryRecording(x, stream, { chunkSize: 100 });
    expect(await fileSha(join(dir, 'streamed.raw'))).toBe(hashes['seg0.raw']);
  });
});

describe('writeBinaryRecording to files: abort and failures', () => {
  it('abort mid-write: ABORTED, partial files removed, a pre-existing file of the same name untouched', async () => {
    const dir = await freshDir();
    const rec = syntheticRecording(300_000, 32);
    const paths = [join(dir, 'seg0.raw'), join(dir, 'seg1.raw')];
    await writeFile(paths[0], 'PRE-EXISTING 0'); // segment 0 is complete when the abort comes, but not in place yet
    await writeFile(paths[1], 'PRE-EXISTING 1');
    const controller = new AbortController();
    await rejectsWith(
      writeBinaryRecording(rec, paths, {
        chunkSize: 10_000,
        signal: controller.signal,
        onProgress: ({ done }) => {
          if (done === 35) controller.abort(); // inside the second segment
        },
      }),
      'ABORTED',
    );
    expect((await readdir(dir)).sort()).toEqual(['seg0.raw', 'seg1.raw']);
    expect(await readFile(paths[0], 'utf8')).toBe('PRE-EXISTING 0');
    expect(await readFile(paths[1], 'utf8')).toBe('PRE-EXISTING 1');
    // and without pre-existing files: nothing at all
    const other = await freshDir();
    const again = new AbortController();
    await rejectsWith(writeBinaryRecording(rec, [join(other, 'x'), join(other, 'y')], {
      chunkSize: 10_000, signal: again.signal, onProgress: ({ done }) => { if (done === 5) again.abort(); },
    }), 'ABORTED');
    expect(await readdir(other)).toEqual([]);
  });

  it('a recording that fails while reading: its error, partial outputs removed, old files untouched', async () => {
    const dir = await freshDir();
    const rec = syntheticRecording(100_000, 8, 50_000);
    const paths = [join(dir, 'a.raw'), join(dir, 'b.raw')];
    await writeFile(paths[0], 'KEEP ME');
    const e = await rejectsWith(writeBinaryRecording(rec, paths, { chunkSize: 7_000 }), 'IO', /synthetic read failure/);
    expect(e.message).toMatch(/frame/);
    expect(await readdir(dir)).toEqual(['a.raw']);
    expect(await readFile(paths[0], 'utf8')).toBe('KEEP ME');
    // same with a dtype conversion
    await rejectsWith(writeBinaryRecording(rec, paths, { chunkSize: 7_000, dtype: 'float32' }), 'IO');
    expect(await readdir(dir)).toEqual(['a.raw']);
  });
});

describe('writeBinaryRecording to files: progress bar on stderr', () => {
  function captureStderr() {
    const text: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      text.push(String(chunk));
      return true;
    });
    return text;
  }

  it('progressBar: true draws a tqdm-like bar with \\r and ends it with a newline', async () => {
    const dir = await freshDir();
    const x = await recordingX();
    const text = captureStderr();
    const seen: number[] = [];
    await writeBinaryRecording(x, [join(dir, 's0'), join(dir, 's1')], { chunkSize: 100, progressBar: true, onProgress: (p) => seen.push(p.done) });
    vi.restoreAllMocks();
    const all = text.join('');
    expect(all.startsWith('\rwrite_binary_recording:   0%|          | 0/15 [00:00<?, ?it/s]')).toBe(true);
    expect(all.endsWith('\n')).toBe(true);
    expect(all.split('\n')).toHaveLength(2); // one line, redrawn in place
    const frames = all.slice(0, -1).split('\r').filter(Boolean).map((s) => s.trimEnd());
    expect(frames.at(-1)).toMatch(/^write_binary_recording: 100%\|██████████\| 15\/15 \[00:00<00:00, +\d+\.\d\dit\/s\]$/);
    expect(seen.at(-1)).toBe(15);
  });

  it('progressBar: false writes nothing, even on a terminal; undefined draws only on a terminal', async () => {
    const dir = await freshDir();
    const x = await recordingX();
    const tty = vi.spyOn(nodeFilePlatform, 'stderrIsTTY').mockReturnValue(true);
    let text = captureStderr();
    await writeBinaryRecording(x, [join(dir, 'a0'), join(dir, 'a1')], { progressBar: false });
    expect(text.join('')).toBe('');
    await writeBinaryRecording(x, [join(dir, 'b0'), join(dir, 'b1')]);
    expect(text.join('')).toMatch(/^\rwrite_binary_recording: .*100%\|██████████\| 2\/2 .*\n$/s);
    vi.restoreAllMocks();
    vi.spyOn(nodeFilePlatform, 'stderrIsTTY').mockReturnValue(false);
    text = captureStderr();
    await writeBinaryRecording(x, [join(dir, 'c0'), join(dir, 'c1')]);
    expect(text.join('')).toBe('');
    expect(tty).toBeDefined();
  });

  it('a failed write still ends the bar line', async () => {
    const dir = await freshDir();
    const rec = syntheticRecording(20_000, 4, 10_000);
    const text = captureStderr();
    await rejectsWith(writeBinaryRecording(rec, [join(dir, 'f0'), join(dir, 'f1')], { chunkSize: 1000, progressBar: true }), 'IO');
    vi.restoreAllMocks();
    const all = text.join('');
    expect(all.endsWith('\n')).toBe(true);
    expect(all).toMatch(/ 10\/40 /);
    expect(await readdir(dir)).toEqual([]);
  });
});

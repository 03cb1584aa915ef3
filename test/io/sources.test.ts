// The byte sources of the universal entry (memory, Blob, HTTP range requests), in Node and in the
// browser: exact ranges into the view given, and a SpikewireError for every way a read can go wrong.
import { describe, expect, it } from 'vitest';
import { BlobSource, HttpSource, MemorySource, isByteSource, type ByteSource } from '../../src/index.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { genBytes } from '../helpers/gen-bytes.js';
import { rangeServerUrl } from '../helpers/http.js';
import { firstDifference } from './bytes.js';

const SIZE = 100_003;
const data = genBytes(0, SIZE);

async function readAll(source: ByteSource, position: number, length: number): Promise<Uint8Array> {
  const into = new Uint8Array(length);
  await source.read(position, into);
  return into;
}

async function sources(): Promise<[string, ByteSource][]> {
  const base = await rangeServerUrl();
  return [
    ['memory', new MemorySource(data.slice())],
    ['blob', new BlobSource(new Blob([data]))],
    ['http', await HttpSource.open(`${base}/range/gen/${SIZE}`)],
  ];
}

describe('every source reads exact ranges', () => {
  it('size, name, ranges at the start, middle and end, empty reads, into a view with an offset', async () => {
    for (const [kind, source] of await sources()) {
      expect(isByteSource(source), kind).toBe(true);
      expect(source.size, kind).toBe(SIZE);
      for (const [pos, len] of [[0, 1], [0, 4096], [777, 50_000], [SIZE - 3, 3], [12345, 0], [0, SIZE]]) {
        expect(firstDifference(await readAll(source, pos, len), data.subarray(pos, pos + len)), `${kind} ${pos}+${len}`).toBe(-1);
      }
      // into a subarray of a larger buffer: the bytes around it stay untouched
      const big = new Uint8Array(64).fill(7);
      await source.read(10, big.subarray(8, 40));
      expect(big.subarray(0, 8)).toEqual(new Uint8Array(8).fill(7));
      expect(big.subarray(8, 40)).toEqual(data.subarray(10, 42));
      expect(big.subarray(40)).toEqual(new Uint8Array(24).fill(7));
      await source.close();
    }
  });

  it('a range past the end is OUT_OF_RANGE, a bad position INVALID_ARGUMENT', async () => {
    for (const [kind, source] of await sources()) {
      await expectCodeAsync(source.read(SIZE - 2, new Uint8Array(3)), 'OUT_OF_RANGE', /past its end/);
      await expectCodeAsync(source.read(-1, new Uint8Array(3)), 'INVALID_ARGUMENT', /position/);
      await expectCodeAsync(source.read(1.5, new Uint8Array(3)), 'INVALID_ARGUMENT', /position/);
      await source.close();
      expect(kind).toBeTruthy();
    }
  });

  it('hostile positions and targets are coded errors for every source', async () => {
    for (const [kind, source] of await sources()) {
      for (const position of [Number.NaN, Infinity, -Infinity, 2 ** 60, '0' as never]) {
        await expectCodeAsync(source.read(position, new Uint8Array(1)), 'INVALID_ARGUMENT', /position/);
      }
      await expectCodeAsync(source.read(Number.MAX_SAFE_INTEGER, new Uint8Array(1)), 'OUT_OF_RANGE', /past its end/);
      await expectCodeAsync(source.read(0, new Uint8Array(SIZE + 1)), 'OUT_OF_RANGE', /past its end/);
      await expectCodeAsync(source.read(0, new ArrayBuffer(4) as never), 'INVALID_ARGUMENT', /Uint8Array/);
      await source.close();
      expect(kind).toBeTruthy();
    }
  });

  it('reading after close() is IO; close() twice is fine', async () => {
    for (const [, source] of await sources()) {
      await source.close();
      await source.close();
      await expectCodeAsync(source.read(0, new Uint8Array(4)), 'IO', /closed/);
    }
  });

  it('an aborted signal gives ABORTED', async () => {
    for (const [, source] of await sources()) {
      const c = new AbortController();
      c.abort(new Error('user stop'));
      await expectCodeAsync(source.read(0, new Uint8Array(4), c.signal), 'ABORTED', /user stop/);
      await source.close();
    }
  });

  it('names: File name, "blob", the URL, a given name', async () => {
    expect(new BlobSource(new File([data], 'a.raw')).name).toBe('a.raw');
    expect(new BlobSource(new Blob([data])).name).toBe('blob');
    expect(new BlobSource(new Blob([data]), 'mine').name).toBe('mine');
    expect(new MemorySource(new Int16Array(4)).size).toBe(8);
    expect(new MemorySource(new ArrayBuffer(5), 'buf').name).toBe('buf');
    const base = await rangeServerUrl();
    expect((await HttpSource.open(new URL(`${base}/range/gen/10`))).name).toBe(`${base}/range/gen/10`);
  });
});

describe('HTTP range source: every failure is a SpikewireError IO, never wrong bytes', () => {
  it('a server that ignores Range (200 with the whole body) fails at open', async () => {
    const base = await rangeServerUrl();
    await expectCodeAsync(HttpSource.open(`${base}/norange/gen/${SIZE}`), 'IO', /ignores HTTP Range requests/);
  });

  it('a missing resource (404) fails at open', async () => {
    const base = await rangeServerUrl();
    await expectCodeAsync(HttpSource.open(`${base}/range/no/such/file.raw`), 'IO', /HTTP 404/);
  });

  it('a short body fails the read', async () => {
    const base = await rangeServerUrl();
    const source = await HttpSource.open(`${base}/short/gen/${SIZE}`);
    expect(source.size).toBe(SIZE);
    await expectCodeAsync(source.read(100, new Uint8Array(1000)), 'IO', /short body.*got 500 of the 1000 bytes/);
  });

  it('an answer for another range fails the read', async () => {
    const base = await rangeServerUrl();
    const source = await HttpSource.open(`${base}/wrongrange/gen/${SIZE}`);
    await expectCodeAsync(source.read(100, new Uint8Array(1000)), 'IO', /Content-Range/);
  });

  it('a size given skips the probe; a server that ignores Range then fails the read', async () => {
    const base = await rangeServerUrl();
    const source = await HttpSource.open(`${base}/norange/gen/${SIZE}`, { size: SIZE });
    await expectCodeAsync(source.read(10, new Uint8Array(10)), 'IO', /ignored the Range request/);
  });

  it('a connection reset / refused is a network failure', async () => {
    const base = await rangeServerUrl();
    await expectCodeAsync(HttpSource.open(`${base}/reset/gen/10`), 'IO', /network failure/);
    await expectCodeAsync(HttpSource.open('http://127.0.0.1:9/nothing-listens-here'), 'IO', /network failure/);
    const source = await HttpSource.open(`${base}/reset/gen/${SIZE}`, { size: SIZE });
    await expectCodeAsync(source.read(0, new Uint8Array(10)), 'IO', /network failure/);
  });

  it('without Content-Range the size comes from HEAD', async () => {
    const base = await rangeServerUrl();
    const source = await HttpSource.open(`${base}/nocr/gen/${SIZE}`);
    expect(source.size).toBe(SIZE);
    expect(await readAll(source, 5, 100)).toEqual(data.subarray(5, 105));
  });

  it('an empty resource has size 0', async () => {
    const base = await rangeServerUrl();
    const source = await HttpSource.open(`${base}/range/gen/0`);
    expect(source.size).toBe(0);
    await source.read(0, new Uint8Array(0));
  });

  it('not an http(s) URL is INVALID_ARGUMENT', async () => {
    await expectCodeAsync(HttpSource.open('ftp://example.org/x.raw'), 'INVALID_ARGUMENT', /http/);
  });

  it('abort during a read gives ABORTED', async () => {
    const base = await rangeServerUrl();
    const big = 8 << 20;
    const source = await HttpSource.open(`${base}/range/gen/${big}`);
    const c = new AbortController();
    const read = source.read(0, new Uint8Array(big), c.signal);
    c.abort('stop');
    await expectCodeAsync(read, 'ABORTED', /stop/);
  });
});

// writeBinaryRecording to real browser files: FileSystemFileHandles of the origin private file
// system (OPFS, the same API as showSaveFilePicker's handles). The file changes only when the write
// completes; an aborted write leaves the previous content.
import { afterAll, describe, expect, it } from 'vitest';
import { writeBinaryRecording } from '../../src/index.js';
import { fixtureHashes, recordingX, rejectsWith, sha } from './write-helpers.js';

const names: string[] = [];
async function fileHandle(name: string): Promise<FileSystemFileHandle> {
  const root = await navigator.storage.getDirectory();
  names.push(name);
  return root.getFileHandle(name, { create: true });
}
async function fileBytes(handle: FileSystemFileHandle): Promise<Uint8Array> {
  return new Uint8Array(await (await handle.getFile()).arrayBuffer());
}

afterAll(async () => {
  const root = await navigator.storage.getDirectory();
  for (const name of names) await root.removeEntry(name).catch(() => {});
});

describe('writeBinaryRecording to FileSystemFileHandles (OPFS)', () => {
  it('file handles and their writable streams get the fixture bytes', async () => {
    const hashes = await fixtureHashes();
    const rec = await recordingX();
    const h0 = await fileHandle('spikewire-seg0.raw');
    const h1 = await fileHandle('spikewire-seg1.raw');
    const stream1 = await h1.createWritable();
    await writeBinaryRecording(rec, [h0, stream1], { chunkSize: 128 });
    expect(await sha(await fileBytes(h0))).toBe(hashes['seg0.raw']);
    expect(await sha(await fileBytes(h1))).toBe(hashes['seg1.raw']);
  });

  it('an aborted write leaves the file as it was', async () => {
    const rec = await recordingX();
    const h0 = await fileHandle('spikewire-keep0.raw');
    const h1 = await fileHandle('spikewire-keep1.raw');
    for (const h of [h0, h1]) {
      const w = await h.createWritable();
      await w.write(new TextEncoder().encode(`previous ${h.name}`));
      await w.close();
    }
    const controller = new AbortController();
    await rejectsWith(writeBinaryRecording(rec, [h0, h1], {
      chunkSize: 50, signal: controller.signal, onProgress: ({ done }) => { if (done === 25) controller.abort(); },
    }), 'ABORTED');
    expect(new TextDecoder().decode(await fileBytes(h0))).toBe('previous spikewire-keep0.raw');
    expect(new TextDecoder().decode(await fileBytes(h1))).toBe('previous spikewire-keep1.raw');
  });
});

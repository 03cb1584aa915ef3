// A zip as a folder-like store to write into (the FolderWriter contract of folder-access.ts): entries
// stored, streamed to a sink or collected into a Blob.
import { Zip, ZipPassThrough } from 'fflate';
import { SpikewireError } from '../errors.js';
import type { ByteSink } from './source.js';
import { checkWritePath, type FolderWriter } from './folder-access.js';

/**
 * Writes a folder as one zip, streaming: entries are stored (not compressed) so that the traces can
 * later be read by range. Output goes to a sink (a file in Node) or into a Blob.
 */
export function zipFolderWriter(name: string, out: ByteSink | null): FolderWriter & { result(): Blob | null } {
  const parts: Uint8Array[] = [];
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      failure = error;
      return;
    }
    if (out) {
      const copy = chunk.slice();
      pending = pending.then(() => out.write(copy));
    } else parts.push(chunk.slice());
    void final;
  });
  let current: ZipPassThrough | null = null;
  const finishCurrent = () => {
    if (current) current.push(new Uint8Array(0), true);
    current = null;
  };
  const startEntry = (rel: string): ZipPassThrough => {
    checkWritePath(rel.replace(/\/$/, ''), name); // entry names become paths where the zip is unpacked
    finishCurrent();
    const file = new ZipPassThrough(rel);
    zip.add(file);
    current = file;
    return file;
  };
  const check = async () => {
    await pending;
    if (failure) throw new SpikewireError('IO', `cannot write ${name}: ${(failure as Error).message ?? failure}`);
  };
  let blob: Blob | null = null;
  return {
    name,
    async createSink(rel) {
      checkWritePath(rel, name);
      let file: ZipPassThrough | null = null;
      return {
        name: `${name}/${rel}`,
        async write(bytes) {
          // Entries are written one after the other: a new one ends the previous one.
          if (file === null || file !== current) file = startEntry(rel);
          file.push(bytes.slice());
          await check();
        },
        async close() {
          if (file === null) file = startEntry(rel); // an empty segment
          if (file === current) finishCurrent();
          await check();
          return undefined;
        },
        async abort() {},
      };
    },
    async writeFile(rel, bytes) {
      const file = startEntry(rel);
      file.push(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes, true);
      current = null;
      await check();
    },
    async mkdir(rel) {
      const file = startEntry(`${rel.replace(/\/$/, '')}/`);
      file.push(new Uint8Array(0), true);
      current = null;
      await check();
    },
    async commit() {
      finishCurrent();
      zip.end();
      await check();
      if (out) return out.close();
      blob = new Blob(parts as BlobPart[], { type: 'application/zip' });
      return blob;
    },
    async abort() {
      zip.terminate();
      await pending.catch(() => {});
      await out?.abort();
    },
    result: () => blob,
  };
}

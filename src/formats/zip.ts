// save({format: 'zip'}): a binary folder written into a zip (store/zip-writer.ts) and re-opened from it
// (store/zip-folder.ts).
import { SpikewireError } from '../errors.js';
import { filePlatform } from '../store/platform.js';
import type { ByteSink } from '../store/source.js';
import { openZip } from '../store/zip-folder.js';
import { zipFolderWriter } from '../store/zip-writer.js';
import type { BaseRecording } from '../core/index.js';
import type { SaveOptions } from './save.js';

/**
 * `save({format: 'zip'})`: the binary folder in one zip — a file at `folder` in Node (`.zip` added
 * when missing), else a Blob. Returns the recording re-opened from the zip; its `archive` is the path
 * or the Blob.
 */
export async function saveZip(recording: BaseRecording, opts: SaveOptions): Promise<BaseRecording> {
  const { writeAndCommit } = await import('./save.js');
  const { loadFolder } = await import('./binary-folder.js');
  let path: string | null = null;
  let out: ByteSink | null = null;
  if (typeof opts.folder === 'string' && opts.folder !== '') {
    const platform = filePlatform('saving zip', opts.folder);
    path = platform.resolvePath(opts.folder.endsWith('.zip') ? opts.folder : `${opts.folder}.zip`);
    if (!opts.overwrite && (await platform.stat(path))) {
      throw new SpikewireError('INVALID_ARGUMENT', `${path} already exists: pass overwrite: true to replace it`);
    }
    out = await platform.createFileSink(path, { overwrite: true, durable: false });
  }
  const writer = zipFolderWriter(path ?? 'recording.zip', out);
  await writeAndCommit(recording, writer, opts);
  const archive = path ?? writer.result()!;
  const reader = await openZip(archive);
  let saved: BaseRecording;
  try {
    saved = await loadFolder(reader);
  } catch (error) {
    await reader.close();
    throw error;
  }
  (saved as { archive?: unknown }).archive = archive;
  return saved;
}


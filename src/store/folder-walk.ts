import { SpikewireError } from '../errors.js';
import { throwIfAborted } from '../abort.js';
import type { FolderReader } from './folder-access.js';

/** Limits of {@link walkFolder}: a hostile or huge tree cannot keep it busy for ever. */
export interface WalkFolderOptions {
  /** The most files listed before giving up (default 100 000). */
  maxFiles?: number;
  /** The deepest folder level visited (default 32). */
  maxDepth?: number;
  signal?: AbortSignal;
}

/**
 * Every file under a folder, as sorted paths relative to it ('a/b/c.bin'): what acquisition readers
 * search for their files, as SpikeInterface's readers walk a run folder with os.walk. Uses the
 * reader's own file list where it has one (picked files, zips, HTTP folders given their files),
 * otherwise lists folder by folder, asking `kindOf` (or trying to list) what each name is.
 */
export async function walkFolder(reader: FolderReader, opts: WalkFolderOptions = {}): Promise<string[]> {
  const maxFiles = opts.maxFiles ?? 100_000;
  const maxDepth = opts.maxDepth ?? 32;
  const tooMany = () =>
    new SpikewireError('UNSUPPORTED', `${reader.name} holds more than ${maxFiles} files (maxFiles): pass the run's own folder`);
  if (reader.files) {
    const files = await reader.files();
    if (files.length > maxFiles) throw tooMany();
    return files.filter((f) => f.split('/').length <= maxDepth + 1).sort(byPath);
  }
  const out: string[] = [];
  let level = [''];
  for (let depth = 0; level.length > 0 && depth <= maxDepth; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      throwIfAborted(opts.signal);
      for (const name of await reader.list(folder)) {
        const rel = folder ? `${folder}/${name}` : name;
        if ((await kindOf(reader, rel)) === 'dir') next.push(rel);
        else out.push(rel);
        if (out.length > maxFiles) throw tooMany();
      }
    }
    level = next;
  }
  return out.sort(byPath);
}

/** A name's kind: the reader's answer, or else {@link kindByListing}. */
function kindOf(reader: FolderReader, rel: string): Promise<'file' | 'dir' | null> {
  return reader.kindOf ? reader.kindOf(rel) : kindByListing(reader, rel);
}

/** 'dir' when `rel` can be listed and has entries, else 'file' (an abort still throws). */
export async function kindByListing(reader: Pick<FolderReader, 'list'>, rel: string): Promise<'file' | 'dir'> {
  try {
    return (await reader.list(rel)).length > 0 ? 'dir' : 'file';
  } catch (error) {
    if (error instanceof SpikewireError && error.code === 'ABORTED') throw error;
    return 'file';
  }
}

/** Code-unit order of paths, as Python sorts strings. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// The fixture SpikeGLX folders as every kind of folder input readSpikeglx takes: a path (Node), files
// picked in a browser, a directory handle, and the local HTTP server with and without a file listing
// (then from its index pages).
import { fixturePath, inBrowser } from '../helpers/fixtures.js';
import { memoryDirectoryHandle, pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { rangeServerUrl } from '../helpers/http.js';

export type SourceKind = 'path' | 'picked' | 'handle' | 'http-files' | 'http-index';

/** The kinds this project can use: a path only in Node. */
export const SOURCE_KINDS: SourceKind[] = inBrowser ? ['picked', 'handle', 'http-files', 'http-index'] : ['path', 'picked', 'handle', 'http-files', 'http-index'];

/** The kind the full comparisons use: a path in Node, picked files in the browser. */
export const MAIN_KIND: SourceKind = inBrowser ? 'picked' : 'path';

/** A fixture folder (relative to the fixtures root) as the given kind of input, and the name the reader gives it. */
export async function folderInput(rel: string, kind: SourceKind): Promise<unknown> {
  const name = rel.split('/').pop()!;
  if (kind === 'path') return fixturePath(rel);
  const url = `${await rangeServerUrl()}/${kind === 'http-index' ? 'index' : 'range'}/${rel.split('/').map(encodeURIComponent).join('/')}/`;
  if (kind === 'http-index') return url;
  const files = await readFixtureFolder(rel);
  if (kind === 'picked') return pickedFiles(name, files);
  if (kind === 'handle') return memoryDirectoryHandle(name, files);
  return { url, files: [...files.keys()] };
}

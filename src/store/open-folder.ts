import { SpikewireError, describe } from '../errors.js';
import { directoryHandleFolder, httpFolder, pickedFolder, type DirectoryHandleLike, type HttpFolderOptions } from './browser-folders.js';
import { fileSystemFolder, type FolderReader } from './folder-access.js';
import { isHttpUrl } from './http-source.js';

/**
 * Where a folder can come from: a path (with `spikewire/node`), an http(s) URL, files picked with
 * `<input webkitdirectory>` or dropped (FileList or File[]), a `FileSystemDirectoryHandle`, or a
 * {@link FolderReader} already open.
 */
export type FolderInput = string | URL | FileList | readonly File[] | FileSystemDirectoryHandle | FolderReader;

/** Options of {@link openFolder}: those of an HTTP folder (ignored for the other kinds). */
export type OpenFolderOptions = HttpFolderOptions;

/** A FileList or a non-empty array of Files (a picked or dropped folder). */
export function isPickedFiles(value: unknown): value is ArrayLike<File> {
  if (typeof File === 'undefined' || !value || typeof value !== 'object') return false;
  if (typeof FileList !== 'undefined' && value instanceof FileList) return true;
  return Array.isArray(value) && value.length > 0 && value.every((f) => f instanceof File);
}

/** True for an open {@link FolderReader}. */
function isFolderReader(value: unknown): value is FolderReader {
  const v = value as Partial<FolderReader> | null;
  return !!v && typeof v === 'object' && typeof v.list === 'function' && typeof v.readFile === 'function' &&
    typeof v.openSource === 'function' && typeof v.name === 'string';
}

/**
 * Opens any {@link FolderInput} as a {@link FolderReader}. `what` names the caller's argument in
 * messages (`folderPath of readSpikeglx`).
 */
export function openFolder(input: FolderInput, opts: OpenFolderOptions = {}, what = 'folder'): FolderReader {
  if (isFolderReader(input)) return input;
  const maybeUrl: unknown = input; // (a type guard on `input` would take every string for a URL)
  if (isHttpUrl(maybeUrl)) return httpFolder(maybeUrl, opts);
  if (typeof input === 'string') {
    if (input.trim() === '') throw new SpikewireError('INVALID_ARGUMENT', `${what}: expected a folder, got an empty string`);
    return fileSystemFolder(input);
  }
  if (isPickedFiles(input)) return pickedFolder(input);
  if (input && typeof input === 'object' && (input as { kind?: unknown }).kind === 'directory') {
    return directoryHandleFolder(input as unknown as DirectoryHandleLike);
  }
  throw new SpikewireError(
    'INVALID_ARGUMENT',
    `${what}: expected a folder path, an http(s) URL, picked files (FileList or File[]) or a FileSystemDirectoryHandle, got ${describe(input)}`,
  );
}

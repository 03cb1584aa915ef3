// Which reader opens a folder, told from its file names alone: what a page or a service that is
// handed "a folder" needs before it can ask which stream to show.
import { getNeoNumBlocks, getNeoStreams, type NeoFormat } from '../extractors/neo-streams.js';
import { discoverOpenephys } from '../extractors/openephys/discover.js';
import { openFolder, type FolderInput, type OpenFolderOptions } from '../store/open-folder.js';
import { walkFolder } from '../store/folder-walk.js';

/** What {@link detectRecordingFormat} recognises: SpikeInterface's own folders and the acquisition formats spikewire reads. */
export type RecordingFolderFormat = 'spikeinterface' | NeoFormat;

/** Options of {@link detectRecordingFormat} and {@link inspectRecordingFolder}: how to reach the folder, and how far to look. */
export interface DetectRecordingFormatOptions extends OpenFolderOptions {
  /** The most files looked at (default 10 000): a huge tree is refused rather than walked. */
  maxFiles?: number;
  /** The deepest folder level looked into (default 6: a run, its probe folders, Record Node / experiment / recording / continuous / stream). */
  maxDepth?: number;
}

/** The files at a folder's root that `load()` reads a SpikeInterface folder from (binary, zarr-less saves and dumps). */
const SPIKEINTERFACE_ROOT_FILES = new Set(['binary.json', 'si_folder.json', 'cached.json']);

/**
 * The format of a list of relative file paths, or null: SpikeInterface's saved folder (binary.json,
 * si_folder.json or cached.json at the root), Open Ephys binary (a structure.oebin anywhere), SpikeGLX
 * (a .meta beside a .bin of the same name). The first that matches, in that order.
 */
export function detectFormatOfFiles(files: readonly string[]): RecordingFolderFormat | null {
  if (files.some((f) => SPIKEINTERFACE_ROOT_FILES.has(f))) return 'spikeinterface';
  if (files.some((f) => f === 'structure.oebin' || f.endsWith('/structure.oebin'))) return 'openephys';
  const present = new Set(files);
  if (files.some((f) => f.endsWith('.meta') && present.has(`${f.slice(0, -'.meta'.length)}.bin`))) return 'spikeglx';
  return null;
}

/**
 * Which reader opens `folder` (any folder input: a path in Node, an http(s) URL with an index page or a
 * `files` listing, picked or dropped files, a directory handle): `'spikeinterface'` for `load()`,
 * `'spikeglx'` for `readSpikeglx`, `'openephys'` for `readOpenephys`, or null when none applies.
 * Only names are read (see {@link detectFormatOfFiles}). Errors: those of listing the folder
 * (`NOT_FOUND`, `IO`, `UNSUPPORTED` past `maxFiles`).
 */
export async function detectRecordingFormat(folder: FolderInput, opts: DetectRecordingFormatOptions = {}): Promise<RecordingFolderFormat | null> {
  const reader = openFolder(folder, opts, 'folder of detectRecordingFormat');
  // the root first: a SpikeInterface folder is told from it without walking (over HTTP, one index page)
  const root = detectFormatOfFiles(await reader.list(''));
  if (root !== null) return root;
  const files = await walkFolder(reader, { maxFiles: opts.maxFiles ?? 10_000, maxDepth: opts.maxDepth ?? 6, signal: opts.signal });
  return detectFormatOfFiles(files);
}

/** What {@link inspectRecordingFolder} tells of a folder. */
export interface RecordingFolderContents {
  /** The format, or null when no reader of spikewire recognises the folder. */
  format: RecordingFolderFormat | null;
  /** The streams to choose from (neo's names and ids, in neo's order); empty for a SpikeInterface folder or none. */
  streamNames: string[];
  streamIds: string[];
  /** The neo blocks (Open Ephys experiments) to choose from with `blockIndex`; 1 otherwise. */
  numBlocks: number;
  /** Open Ephys: the experiments by folder name ('experiment1', ...), to choose with `experimentName`; empty otherwise. */
  experimentNames: string[];
}

/**
 * The format of `folder` and the choices its reader needs: the stream names and ids
 * (`getNeoStreams`), the number of blocks (`getNeoNumBlocks`) and Open Ephys's experiment names. The folder is opened once and its
 * listing shared, so an HTTP folder's index pages are fetched once.
 */
export async function inspectRecordingFolder(folder: FolderInput, opts: DetectRecordingFormatOptions = {}): Promise<RecordingFolderContents> {
  const reader = openFolder(folder, opts, 'folder of inspectRecordingFolder');
  const format = await detectRecordingFormat(reader, opts);
  if (format !== 'spikeglx' && format !== 'openephys') return { format, streamNames: [], streamIds: [], numBlocks: 1, experimentNames: [] };
  const { streamNames, streamIds } = await getNeoStreams(format, reader, opts);
  // a SpikeGLX run is one block (getNeoNumBlocks would only read its .meta files again)
  if (format === 'spikeglx') return { format, streamNames, streamIds, numBlocks: 1, experimentNames: [] };
  const { experimentNames } = await discoverOpenephys(reader, { signal: opts.signal });
  return { format, streamNames, streamIds, numBlocks: await getNeoNumBlocks(format, reader, opts), experimentNames };
}

// Finding the file pairs of a SpikeGLX run folder and reading what neo reads from each .meta
// (neo's `scan_files`, `extract_stream_info`, `_add_segment_order`, `_add_segment_timing`,
// `_build_signals_info_dict`). Only the .meta files are read; each .bin is opened for its size.
import { SpikewireError, describe } from '../../errors.js';
import { throwIfAborted } from '../../abort.js';
import { checkChannelLimit } from '../../core/ids.js';
import type { FolderReader } from '../../store/folder-access.js';
import { walkFolder } from '../../store/folder-walk.js';
import type { ByteSource } from '../../store/source.js';
import { parseSpikeglxFname, pathStem, type SpikeglxName } from './filename.js';
import { parseIntText as pyInt, parseSpikeglxMeta, type SpikeglxMeta } from '../../probe/neuropixels/spikeglx-meta.js';
import { metaList, metaValue, pyFloat } from './meta-values.js';

/** The largest .meta file read (real ones are tens of KiB). */
export const MAX_META_BYTES = 16 * 1024 * 1024;

/** One .meta/.bin pair and what neo derives from its meta. */
export interface SpikeglxFileInfo {
  /** Paths relative to the folder. */
  readonly metaPath: string;
  readonly binPath: string;
  readonly meta: SpikeglxMeta;
  /** Stem of the meta's `fileName` (e.g. `run_g0_t0.imec0.ap`) and what its name says. */
  readonly fname: string;
  readonly parsed: SpikeglxName;
  /** `imec0`, `nidq`, `obx0`. */
  readonly device: string;
  /** `ap`, `lf` or '' (NI-DAQ, OneBox). */
  readonly streamKind: string;
  /** `typeThis` (`imec`, `nidq`, `obx`), or the device's name. */
  readonly deviceKind: string;
  /** `imec0.ap`, `imec0.lf`, `nidq`, `obx0`. */
  readonly streamName: string;
  /** `nSavedChans`: columns of the .bin. */
  readonly numChan: number;
  readonly samplingRate: number;
  /** First field of each `~snsChanMap` entry, in column order. */
  readonly channelNames: readonly string[];
  /** The last column is the imec SY0 word (`snsApLfSy` / `snsXaDwSy` ends with 1). */
  readonly hasSyncTrace: boolean;
  /** Digital lines of an NI-DAQ stream (`niXDChans1`): XD0, XD1, ... */
  readonly digitalChannels: readonly string[];
  /** NI-DAQ channels that are not the digital word. */
  readonly analogChannels: readonly string[];
  /** Size of the .bin in bytes, and whole frames in it. */
  readonly binSize: number;
  readonly sampleLength: number;
  /** Index of the first sample since the run started (`firstSample`, 0 when absent) and its time. */
  readonly firstSample: number;
  readonly tStart: number;
  /** Segment of this pair: rank of its (gate, trigger). */
  segIndex: number;
}

/** A scanned folder: every pair, with the .bin sources open (to be closed by the caller). */
export interface SpikeglxScan {
  readonly infos: SpikeglxFileInfo[];
  /** .bin path → its open source. */
  readonly sources: Map<string, ByteSource>;
  /** Segments: distinct (gate, trigger), sorted. */
  readonly numSegments: number;
  /** (segment, stream name) → its pair. */
  readonly byKey: Map<string, SpikeglxFileInfo>;
}

/** The key of a (segment, stream) pair in {@link SpikeglxScan.byKey}. */
export const pairKey = (segIndex: number, streamName: string): string => `${segIndex}\u0000${streamName}`;

/** `Path(meta).with_suffix('.bin')`. */
function binPathOf(metaPath: string): string {
  const slash = metaPath.lastIndexOf('/');
  const base = metaPath.slice(slash + 1);
  return base === '.meta' ? `${metaPath}.bin` : `${metaPath.slice(0, -'.meta'.length)}.bin`;
}

/**
 * The text of a .meta file: UTF-8 as Python reads it. Its size is checked before anything is read,
 * so that a huge file named .meta is refused without being loaded.
 */
export async function readMetaText(reader: FolderReader, rel: string): Promise<string> {
  const source = await reader.openSource(rel);
  let bytes: Uint8Array;
  try {
    if (source.size > MAX_META_BYTES) {
      throw new SpikewireError('FORMAT', `${reader.name}/${rel} is ${source.size} bytes: a SpikeGLX .meta file is expected to be under ${MAX_META_BYTES} bytes`);
    }
    bytes = new Uint8Array(source.size);
    await source.read(0, bytes);
  } finally {
    await source.close();
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SpikewireError('FORMAT', `${reader.name}/${rel} is not UTF-8 text: expected a SpikeGLX .meta file`);
  }
}

/** Channel names of an `niXDChans1` list (`0:7` or `0,3,5`). */
function digitalChannels(text: string, where: string): string[] {
  if (text === '') return [];
  const out: string[] = [];
  for (const item of text.split(',')) {
    const ends = item.split(':');
    const nums = ends.map((e) => pyInt(e));
    if ((ends.length !== 1 && ends.length !== 2) || nums.some((n) => n === null)) {
      throw new SpikewireError('FORMAT', `${where}: niXDChans1 item ${describe(item)} is not a line number or a range start:end`);
    }
    const [start, end] = nums.length === 2 ? (nums as number[]) : [nums[0]!, nums[0]!];
    if (end - start + 1 + out.length > 4096) throw new SpikewireError('FORMAT', `${where}: niXDChans1 ${describe(text)} names more than 4096 digital lines`);
    for (let i = start; i <= end; i++) out.push(`XD${i}`);
  }
  return out;
}

/** neo's `extract_stream_info` without the gains (see gains.ts) plus the pair's size and timing. */
function streamInfo(reader: FolderReader, metaPath: string, binPath: string, meta: SpikeglxMeta, binSize: number): SpikeglxFileInfo {
  const where = `${reader.name}/${metaPath}`;
  const numChan = pyInt(metaValue(meta, 'nSavedChans', where));
  if (numChan === null || numChan < 1) throw new SpikewireError('FORMAT', `${where}: nSavedChans ${describe(meta.nSavedChans)} must be a positive channel count`);
  checkChannelLimit(numChan);
  let hasSyncTrace = false;
  for (const key of ['snsApLfSy', 'snsXaDwSy']) {
    if (!Object.hasOwn(meta, key)) continue;
    const parts = metaValue(meta, key, where).split(',').map((s) => pyInt(s));
    if (parts.length !== 3 || parts.some((p) => p === null)) throw new SpikewireError('FORMAT', `${where}: ${key} ${describe(meta[key])} must be three integers`);
    hasSyncTrace = parts[2] === 1;
    break;
  }
  const fname = pathStem(metaValue(meta, 'fileName', where));
  const parsed = parseSpikeglxFname(fname);
  const dotted = fname.split('.');
  let device = parsed.device;
  let streamKind = parsed.streamKind ?? '';
  if (dotted[dotted.length - 2].includes('imec')) {
    device = dotted[dotted.length - 2];
    streamKind = dotted[dotted.length - 1];
  } else if (meta.typeThis === 'obx') {
    if (fname.includes('.')) device = dotted[dotted.length - 2];
    streamKind = '';
  } else {
    device = dotted[dotted.length - 1];
    streamKind = '';
  }
  let samplingRate: number | null = null;
  for (const key of ['niSampRate', 'imSampRate', 'obSampRate']) {
    if (Object.hasOwn(meta, key)) samplingRate = pyFloat(metaValue(meta, key, where));
    if (Object.hasOwn(meta, key) && samplingRate === null) throw new SpikewireError('FORMAT', `${where}: ${key} ${describe(meta[key])} is not a number`);
  }
  if (samplingRate === null) throw new SpikewireError('FORMAT', `${where}: no sampling rate (niSampRate, imSampRate or obSampRate)`);
  if (!(samplingRate > 0 && Number.isFinite(samplingRate))) throw new SpikewireError('FORMAT', `${where}: sampling rate ${samplingRate} must be a positive number of Hz`);

  // numpy's memmap shape: an odd byte count is refused, a partial last frame dropped.
  if (binSize % 2 !== 0) {
    throw new SpikewireError('FORMAT', `${reader.name}/${binPath}: its ${binSize} bytes are not a whole number of int16 samples (size of available data is not a multiple of the data-type size)`);
  }
  const sampleLength = Math.floor(binSize / 2 / numChan);
  const deviceKind = typeof meta.typeThis === 'string' ? meta.typeThis : device.split('.')[0];
  const channelNames = metaList(meta, 'snsChanMap', where).map((entry) => entry.split(';')[0]);
  if (channelNames.length < numChan) {
    throw new SpikewireError('FORMAT', `${where}: ~snsChanMap names ${channelNames.length} channels, fewer than nSavedChans ${numChan}`);
  }
  let deviceIndex = '';
  if (deviceKind === 'imec') deviceIndex = device.split('imec').pop()!;
  else if (deviceKind === 'obx') deviceIndex = device.split('obx').pop()!;
  const streamName = `${deviceKind}${deviceIndex}${streamKind ? `.${streamKind}` : ''}`;

  let digital: string[] = [];
  let analog: string[] = [];
  if (deviceKind === 'nidq') {
    analog = channelNames.filter((c) => !c.startsWith('XD'));
    digital = digitalChannels(typeof meta.niXDChans1 === 'string' ? meta.niXDChans1 : '', where);
  } else if (deviceKind === 'obx') {
    digital = channelNames.filter((c) => c.startsWith('XD'));
    analog = channelNames.filter((c) => c.startsWith('XA'));
  }
  let firstSample = 0;
  if (Object.hasOwn(meta, 'firstSample')) {
    const v = pyFloat(metaValue(meta, 'firstSample', where));
    if (v === null) throw new SpikewireError('FORMAT', `${where}: firstSample ${describe(meta.firstSample)} is not a number`);
    firstSample = v;
  } else {
    console.warn(
      `spikewire: 'firstSample' missing from ${where}; defaulting to 0. Zero is correct for files that start at the beginning of their ` +
        'SpikeGLX run, but wrong for any file that represents a non-initial trigger or that was derived from a longer recording.',
    );
  }
  return {
    metaPath, binPath, meta, fname, parsed, device, streamKind, deviceKind, streamName, numChan, samplingRate,
    channelNames: channelNames.slice(0, numChan), hasSyncTrace, digitalChannels: digital, analogChannels: analog,
    binSize, sampleLength, firstSample, tStart: firstSample / samplingRate, segIndex: 0,
  };
}

/**
 * neo sizes a stream by the .bin alone and ignores the .meta's `fileSizeBytes`, so a .bin cut short
 * (an interrupted copy or download) reads as a shorter recording without a word. SpikeGLX writes the
 * true size there: a .bin of another size is read as neo reads it, with a warning.
 */
export function warnOnSizeMismatch(info: SpikeglxFileInfo, folderName: string): void {
  const { meta, binSize, sampleLength: frames } = info;
  const bin = `${folderName}/${info.binPath}`;
  if (!Object.hasOwn(meta, 'fileSizeBytes') || typeof meta.fileSizeBytes !== 'string') return;
  const declared = pyInt(meta.fileSizeBytes);
  if (declared === null || declared === binSize) return;
  console.warn(
    `spikewire: ${bin} has ${binSize} bytes, but fileSizeBytes of its .meta says ${declared}` +
      `${binSize < declared ? ' (an incomplete copy?)' : ''}: reading the ${frames} whole frames the file holds, as SpikeInterface does`,
  );
}

/** Segments are the distinct (gate, trigger) pairs in order; names without numbers sort first. */
function addSegmentOrder(infos: SpikeglxFileInfo[]): number {
  const norm = (x: number | string | null) => (typeof x === 'number' ? x : -1);
  const keyOf = (i: SpikeglxFileInfo): [number, number] => [norm(i.parsed.gateNum), norm(i.parsed.triggerNum)];
  const unique = new Map<string, [number, number]>();
  for (const info of infos) {
    const k = keyOf(info);
    unique.set(k.join(','), k);
  }
  const sorted = [...unique.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const index = new Map(sorted.map((k, i) => [k.join(','), i]));
  for (const info of infos) info.segIndex = index.get(keyOf(info).join(','))!;
  return sorted.length;
}

/**
 * Walks the folder for `.meta` files whose `.bin` (same stem) exists, parses them, opens each `.bin`
 * (for its size; nothing is read), and orders the pairs into segments. Errors: `NOT_FOUND` when no
 * pair exists, `FORMAT` for a meta neo cannot read or a .bin of an odd byte count (the whole folder
 * fails, as in neo), `FORMAT` when two pairs resolve to the same stream and segment. The sources are
 * closed again when scanning fails.
 */
export async function scanSpikeglxFolder(reader: FolderReader, signal?: AbortSignal): Promise<SpikeglxScan> {
  const files = await walkFolder(reader, { signal });
  const present = new Set(files);
  const pairs = files.filter((f) => f.endsWith('.meta') && present.has(binPathOf(f)));
  if (pairs.length === 0) {
    throw new SpikewireError('NOT_FOUND', `no SpikeGLX .meta/.bin pair (same stem) was found in ${reader.name}`);
  }
  const sources = new Map<string, ByteSource>();
  const closeAll = () => Promise.all([...sources.values()].map((s) => s.close().catch(() => {})));
  try {
    const infos: SpikeglxFileInfo[] = [];
    for (const metaPath of pairs) {
      throwIfAborted(signal);
      const binPath = binPathOf(metaPath);
      const meta = parseSpikeglxMeta(await readMetaText(reader, metaPath));
      const source = await reader.openSource(binPath);
      sources.set(binPath, source);
      infos.push(streamInfo(reader, metaPath, binPath, meta, source.size));
    }
    const numSegments = addSegmentOrder(infos);
    const byKey = new Map<string, SpikeglxFileInfo>();
    for (const info of infos) {
      const key = pairKey(info.segIndex, info.streamName);
      const existing = byKey.get(key);
      if (existing) {
        throw new SpikewireError(
          'FORMAT',
          `two SpikeGLX file pairs resolve to the same stream ${describe(info.streamName)} in segment ${info.segIndex}: ` +
            `${reader.name}/${existing.metaPath} and ${reader.name}/${info.metaPath} (streams come from the fileName inside each .meta, ` +
            'not from the name on disk: a renamed or copied pair, or two sessions with the same gate/trigger numbers)',
        );
      }
      byKey.set(key, info);
    }
    return { infos, sources, numSegments, byKey };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

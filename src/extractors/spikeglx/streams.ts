// The signal streams of a scanned SpikeGLX folder, as neo's SpikeGLXRawIO lists them: one per
// device stream ("imec0.ap", "imec0.lf", "nidq"), highest sampling rate first, then one "<stream>-SYNC"
// per imec stream whose last column is the SY0 word. A stream is a set of columns of its files.
import { SpikewireError, describe } from '../../errors.js';
import { pairKey, type SpikeglxFileInfo, type SpikeglxScan } from './discovery.js';
import type { NeoStreams } from '../neo-base.js';
import { spikeglxGains, type FeaturesLookup } from './gains.js';

/** One stream: which files (one per segment), which of their columns, and each channel's name and gain. */
export interface SpikeglxStream {
  /** Stream id and name (the same text): `imec0.ap`, `imec0.ap-SYNC`, `nidq`. */
  readonly id: string;
  /** The stream whose files hold the columns (`imec0.ap` for `imec0.ap-SYNC`): the channel id prefix. */
  readonly fileStream: string;
  readonly samplingRate: number;
  /** Column of each channel in the .bin. */
  readonly columns: readonly number[];
  /** `~snsChanMap` names of the channels. */
  readonly channelNames: readonly string[];
  /** Gains in `units` (neo's channel gains) and the unit: 'uV' or 'V'. */
  readonly gains: Float64Array;
  readonly units: 'uV' | 'V';
  /** The stream's file in each segment. */
  readonly files: readonly SpikeglxFileInfo[];
}

/** What {@link getSpikeglxStreams} returns: SpikeInterface's `get_neo_streams("spikeglx", folder)`. */
export type SpikeglxStreamList = NeoStreams;

/**
 * Streams of a scan in neo's order. Every stream must have a file in every segment, and the files of
 * a stream must have the same channels (`FORMAT` otherwise, where neo raises KeyError or would read
 * mismatched columns). Gains are computed for every file, as neo does when it parses the header.
 */
export function buildStreams(scan: SpikeglxScan, lookup: FeaturesLookup, folderName: string): SpikeglxStream[] {
  const gains = new Map<SpikeglxFileInfo, ReturnType<typeof spikeglxGains>>();
  for (const info of scan.infos) gains.set(info, spikeglxGains(info, lookup, `${folderName}/${info.metaPath}`));

  // Rates in first-seen order, sorted ascending (stable) and reversed, as neo does: equal rates end
  // up in reverse order of discovery.
  const rates = new Map<string, number>();
  // (a Map, as a Python dict, keeps a key's first position and its last value)
  for (const info of scan.infos) rates.set(info.streamName, info.samplingRate);
  const names = [...rates].map(([n, r], i) => ({ n, i, r }))
    .sort((a, b) => a.r - b.r || a.i - b.i).reverse().map((e) => e.n);

  const signal: SpikeglxStream[] = [];
  const sync: SpikeglxStream[] = [];
  for (const name of names) {
    const files: SpikeglxFileInfo[] = [];
    for (let seg = 0; seg < scan.numSegments; seg++) {
      const info = scan.byKey.get(pairKey(seg, name));
      if (!info) throw new SpikewireError('FORMAT', `stream ${describe(name)} has no .meta/.bin pair in segment ${seg} of ${folderName}: every stream must exist in every gate and trigger`);
      files.push(info);
    }
    const first = files[0];
    for (const f of files) {
      if (f.numChan !== first.numChan || f.channelNames.some((c, i) => c !== first.channelNames[i])) {
        throw new SpikewireError('FORMAT', `${folderName}/${f.metaPath} saves other channels than ${folderName}/${first.metaPath}: the files of stream ${describe(name)} must match`);
      }
    }
    const { gains: g, units } = gains.get(first)!;
    const n = first.numChan;
    const isSync = first.channelNames.map((c) => c.includes('SY'));
    const main = first.channelNames.map((_, i) => i).filter((i) => !isSync[i]);
    const syncCols = first.channelNames.map((_, i) => i).filter((i) => isSync[i]);
    const sliced = !name.includes('nidq') && first.hasSyncTrace;
    // neo gives the stream columns 0..n-2 when the file has a sync trace, and its channels are the
    // names without "SY": the two must agree for the reads to be the named channels.
    const mainCols = sliced ? Array.from({ length: n - 1 }, (_, i) => i) : Array.from({ length: n }, (_, i) => i);
    if (main.length !== mainCols.length || main.some((c, i) => c !== mainCols[i]) || (syncCols.length > 0 && !(sliced && syncCols.length === 1 && syncCols[0] === n - 1))) {
      throw new SpikewireError('FORMAT', `${folderName}/${first.metaPath}: the channel names of ~snsChanMap (sync channels ${describe(syncCols.map((i) => first.channelNames[i]))}) do not match snsApLfSy (sync trace: ${first.hasSyncTrace})`);
    }
    const make = (id: string, cols: number[]): SpikeglxStream => ({
      id, fileStream: name, samplingRate: first.samplingRate, columns: cols, channelNames: cols.map((c) => first.channelNames[c]),
      gains: Float64Array.from(cols, (c) => g[c]), units, files,
    });
    signal.push(make(name, main));
    if (syncCols.length > 0) sync.push(make(`${name}-SYNC`, syncCols));
  }
  return [...signal, ...sync];
}

/** Names and ids of the streams (the same texts). */
export function streamList(streams: readonly SpikeglxStream[]): SpikeglxStreamList {
  return { streamNames: streams.map((s) => s.id), streamIds: streams.map((s) => s.id) };
}

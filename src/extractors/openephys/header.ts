// neo's OpenEphysBinaryRawIO header: blocks (experiments) and segments (recordings) merged over
// record nodes, the signal streams with their ids (neural, "_ADC", "SYNC"), the channels of each,
// and which columns of each continuous.dat a stream reads.
import { SpikewireError } from '../../errors.js';
import {
  checkConsistency,
  sortedExperiments,
  sortedRecordings,
  type ContinuousStream,
  type EventStream,
  type OpenephysFolder,
} from './discover.js';
import type { OebinChannel } from './oebin.js';

/** One neo segment: the continuous and event streams of a recording, merged over record nodes. */
export interface NeoSegment {
  readonly continuous: Map<string, ContinuousStream> | null;
  readonly events: Map<string, EventStream> | null;
}

/** A channel of a signal stream (neo's signal_channels row). */
export interface NeoChannel {
  readonly name: string;
  readonly units: string;
  readonly gain: number;
  readonly streamId: string;
  /** The oebin's own channel entry (for all_annotations). */
  readonly info: OebinChannel;
}

/** A Python slice of columns: null ends are open; negative ends count from the right. */
export interface ColumnSlice {
  readonly start: number | null;
  readonly stop: number | null;
}

/** One signal stream of the header. */
export interface NeoSignalStream {
  readonly name: string;
  readonly id: string;
  /** Index of the continuous stream (sorted name) whose continuous.dat holds it. */
  readonly buffer: number;
  readonly channels: NeoChannel[];
  readonly samplingFrequency: number;
  /** The columns of the buffer this stream reads (neo's _stream_buffer_slice; null = all). */
  readonly slice: ColumnSlice | null;
}

/** The whole header. */
export interface NeoHeader {
  readonly folder: OpenephysFolder;
  /** [block][segment]. */
  readonly blocks: NeoSegment[][];
  /** Continuous stream names, sorted: the "buffers". */
  readonly signalStreamNames: string[];
  /** Streams in neo's order (ids sorted as strings). */
  readonly streams: NeoSignalStream[];
}

/** neo's _map_folder_structure_to_neo: blocks and segments merged over nodes. */
function mapToNeo(folder: OpenephysFolder): NeoSegment[][] {
  const nodes = [...folder.nodes.values()];
  const numBlocks = nodes[0].experiments.size;
  const blocks: { continuous: Map<string, ContinuousStream> | null; events: Map<string, EventStream> | null }[][] = [];
  const segmentsPerBlock: number[] = [];
  for (const node of nodes) {
    sortedExperiments(node).forEach((experiment, b) => {
      const recordings = sortedRecordings(experiment);
      segmentsPerBlock[b] = recordings.length;
      blocks[b] ??= [];
      recordings.forEach((recording, s) => {
        const seg = (blocks[b][s] ??= { continuous: null, events: null });
        if (recording.continuous) {
          seg.continuous ??= new Map();
          for (const [k, v] of recording.continuous) seg.continuous.set(k, v);
        }
        if (recording.events) {
          seg.events ??= new Map();
          for (const [k, v] of recording.events) seg.events.set(k, v);
        }
      });
    });
  }
  return Array.from({ length: numBlocks }, (_, b) => (blocks[b] ?? []).slice(0, segmentsPerBlock[b] ?? 0));
}

/** The stream of block b, segment s named `name`, or `FORMAT` (neo's KeyError). */
export function streamAt(header: Pick<NeoHeader, 'blocks'>, b: number, s: number, name: string): ContinuousStream {
  const found = header.blocks[b]?.[s]?.continuous?.get(name);
  if (!found) throw new SpikewireError('FORMAT', `block ${b} segment ${s} has no continuous stream ${JSON.stringify(name)}, which the first recording has`);
  return found;
}

/** Builds the header from a discovered folder (neo's _parse_header, signal part). */
export function buildHeader(folder: OpenephysFolder): NeoHeader {
  checkConsistency(folder);
  const blocks = mapToNeo(folder);
  const first = blocks[0]?.[0];
  if (!first) throw new SpikewireError('NOT_FOUND', `${folder.reader.name}: no recording of the chosen experiments`);
  const signalStreamNames = first.continuous ? [...first.continuous.keys()].sort() : [];
  const nSig = signalStreamNames.length;

  // Channels of every stream, from the first recording; a SYNC channel makes its own stream, ADC
  // channels (except for OneBox, which has its own ADC stream) a "<name>_ADC" stream.
  const channels: NeoChannel[] = [];
  const syncBuffer = new Map<string, number>();
  signalStreamNames.forEach((streamName, i) => {
    const info = first.continuous!.get(streamName)!.oebin;
    for (const chan of info.channels) {
      const name = chan.channel_name;
      let units = chan.units;
      // Units left empty are µV for neural channels and V for ADC channels (the format's documentation).
      if (units === '') units = name.includes('ADC') ? 'V' : 'uV';
      let streamId = String(i);
      if (name.includes('SYNC')) {
        streamId = `${streamName}SYNC`;
        syncBuffer.set(streamId, i);
      }
      // neo tests ADC after SYNC: a channel named with both goes to the ADC stream.
      if (!streamName.includes('OneBox') && name.includes('ADC')) streamId = String(i + nSig);
      channels.push({ name, units, gain: chan.bit_volts, streamId, info: chan });
    }
  });

  const slices = bufferSlices(blocks, signalStreamNames);
  // np.unique: the ids sorted as strings ('10' before '2', as neo has them).
  const ids = [...new Set(channels.map((c) => c.streamId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const streams = ids.map((id): NeoSignalStream => {
    const own = channels.filter((c) => c.streamId === id);
    let name: string;
    let buffer: number;
    if (id.includes('SYNC')) {
      name = id;
      buffer = syncBuffer.get(id)!;
    } else {
      const index = Number(id);
      buffer = index < nSig ? index : index - nSig;
      name = index < nSig ? signalStreamNames[index] : `${signalStreamNames[buffer]}_ADC`;
    }
    const rate = first.continuous!.get(signalStreamNames[buffer])!.oebin.sample_rate;
    return { name, id, buffer, channels: own, samplingFrequency: rate, slice: slices.has(id) ? slices.get(id)! : null };
  });
  return { folder, blocks, signalStreamNames, streams };
}

/**
 * neo's _stream_buffer_slice: for every block, segment and continuous stream, the columns of the
 * neural, ADC and SYNC streams, each later recording overwriting what an earlier one set (so the
 * last recording's channel counts decide, as in neo). `FORMAT` for ADC channels that are not
 * contiguous or a SYNC channel that is not last (which neo refuses too).
 */
function bufferSlices(blocks: NeoSegment[][], names: readonly string[]): Map<string, ColumnSlice | null> {
  const nSig = names.length;
  const out = new Map<string, ColumnSlice | null>();
  blocks.forEach((segments, b) => {
    segments.forEach((_, s) => {
      names.forEach((streamName, i) => {
        const stream = streamAt({ blocks }, b, s, streamName);
        const chans = stream.oebin.channels;
        const streamId = String(i);
        const hasSync = chans.some((c) => c.channel_name.includes('SYNC'));
        const isAdc = chans.map((c) => c.channel_name.includes('ADC'));
        const firstAdc = isAdc.indexOf(true);
        if (firstAdc >= 0 && isAdc.slice(firstAdc).some((a) => !a)) {
          throw new SpikewireError('FORMAT', `${stream.dir}: Interleaved ADC and non-ADC channels are not supported. ADC channels must be contiguous.`);
        }
        const syncIndex = chans.findIndex((c) => c.channel_name.endsWith('_SYNC'));
        if (syncIndex >= 0 && syncIndex !== chans.length - 1) {
          throw new SpikewireError('FORMAT', `${stream.dir}: the SYNC channel must be the last channel of continuous.dat (it is channel ${syncIndex} of ${chans.length})`);
        }
        const syncId = `${streamName}SYNC`;
        const oneBox = streamName.includes('OneBox');
        const numNeural = oneBox ? chans.length - (hasSync ? 1 : 0) : chans.filter((c) => !c.channel_name.includes('ADC')).length;
        const numAdc = oneBox ? 0 : chans.length - numNeural;
        if (numAdc === 0) {
          if (hasSync) {
            out.set(streamId, { start: null, stop: -1 });
            out.set(syncId, { start: -1, stop: null });
          } else {
            out.set(streamId, null);
          }
        } else {
          out.set(streamId, { start: 0, stop: numNeural });
          const adcId = String(i + nSig);
          if (hasSync) {
            out.set(adcId, { start: numNeural, stop: -1 });
            out.set(syncId, { start: -1, stop: null });
          } else {
            out.set(adcId, { start: numNeural, stop: null });
          }
        }
      });
    });
  });
  return out;
}

/** The column indices a Python slice takes of `width` columns (`range(*slice.indices(width))`). */
export function sliceColumns(slice: ColumnSlice | null, width: number): number[] {
  const clamp = (v: number | null, dflt: number) => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(0, v + width);
    return Math.min(v, width);
  };
  const start = clamp(slice?.start ?? null, 0);
  const stop = clamp(slice?.stop ?? null, width);
  return Array.from({ length: Math.max(0, stop - start) }, (_, k) => start + k);
}

/** Which continuous stream (buffer) gives a stream its start time: neo's index arithmetic, bug included. */
export function tStartBuffer(header: NeoHeader, streamIndex: number): number {
  const nSig = header.signalStreamNames.length;
  // neo's _get_signal_t_start uses (stream index - number of continuous streams) for every stream past
  // the neural ones, which is not always the stream's own buffer: an Open Ephys SYNC stream takes the
  // start time of another stream (the NI-DAQ stream in a Neuropix-PXI + NI-DAQ folder). SpikeInterface
  // shows that start time, so spikewire does too.
  const index = streamIndex < nSig ? streamIndex : streamIndex - nSig;
  if (index >= nSig) throw new SpikewireError('FORMAT', `stream ${streamIndex} has no start time in neo's numbering (${nSig} continuous streams)`);
  return index;
}

/** Stream names and ids, as get_neo_streams gives them. */
export function neoStreams(header: NeoHeader): { streamNames: string[]; streamIds: string[] } {
  return { streamNames: header.streams.map((s) => s.name), streamIds: header.streams.map((s) => s.id) };
}

// Open Ephys binary events (SpikeInterface's read_openephys_event over neo's OpenEphysBinaryRawIO):
// one channel per event folder (TTL lines, text messages), per recording the times, durations and
// labels neo gives.
import { SpikewireError, check, describe } from '../../errors.js';
import { openFolder, type FolderInput, type OpenFolderOptions } from '../../store/open-folder.js';
import type { NumpyArray } from '../../python/ndarray.js';
import { pyStrList } from '../neo-base.js';
import { discoverOpenephys, type EventStream } from './discover.js';
import { buildHeader } from './header.js';
import { readNpyFile } from './npy-files.js';

/** Events of one channel in one segment: SpikeInterface's structured array (time, duration, label). */
export interface OpenephysEvents {
  /** Seconds. */
  time: Float64Array;
  /** Seconds; NaN for events without a duration (text messages). */
  duration: Float64Array;
  /** numpy `<U100`: longer labels are cut to 100 characters. */
  label: string[];
}

/** Options of {@link readOpenephysEvents}. */
export interface ReadOpenephysEventsOptions extends OpenFolderOptions {
  /** Which experiment by folder name; not with `blockIndex`. */
  experimentName?: string | null;
  /** Which experiment by position; not with `experimentName`. */
  blockIndex?: number | null;
}

const LABEL_WIDTH = 100;

/** A 1-D array's values as numbers (int64 as numbers). */
function numbers(array: NumpyArray): number[] {
  return Array.from(array.values as ArrayLike<number | bigint>, (v) => Number(v));
}

/** neo's labels: text decoded, structured rows as 'field=value;…', anything else as its str(). */
function labelsOf(array: NumpyArray): string[] {
  const values = array.values as unknown[];
  if (array.fields) {
    return (values as Record<string, unknown>[]).map((row) => array.fields!.filter((f) => f.name !== '').map((f) => `${f.name}=${String(row[f.name])}`).join(';'));
  }
  // '|S' bytes come back as latin1 text; neo decodes them as UTF-8.
  if (array.dtype.startsWith('|S')) {
    const utf8 = new TextDecoder();
    return (values as string[]).map((v) => utf8.decode(Uint8Array.from(v, (c) => c.charCodeAt(0))));
  }
  return Array.from(values as ArrayLike<unknown>, (v) => String(v));
}

/** One event stream of one segment, as neo computes it. */
async function streamEvents(stream: EventStream, folder: Parameters<typeof readNpyFile>[0], direct: boolean): Promise<OpenephysEvents> {
  const load = async (key: string) => (stream.files[key] ? readNpyFile(folder, stream.files[key]) : null);
  const timestampsArray = await load('timestamps');
  if (!timestampsArray) throw new SpikewireError('NOT_FOUND', `${folder.name}/${stream.dir}: Event stream does not have timestamps!`);
  let timestamps = numbers(timestampsArray);
  const source = (await load('text')) ?? (await load('metadata')) ?? (await load('channels')) ?? (await load('states'));
  if (!source) throw new SpikewireError('FORMAT', `${folder.name}/${stream.dir}: There is no possible labels for this event!`);
  let labels = labelsOf(source);
  let durations: number[] | null = null;
  const statesArray = (await load('channel_states')) ?? (await load('states'));
  if (statesArray && statesArray.values.length > 0) {
    const states = numbers(statesArray);
    if (states.length > Math.min(timestamps.length, labels.length)) {
      throw new SpikewireError('FORMAT', `${folder.name}/${stream.dir}: states.npy has ${states.length} events, timestamps.npy ${timestamps.length} and the labels ${labels.length}`);
    }
    const rising: number[] = [];
    const falling: number[] = [];
    // Edges of each line in one pass (+line rising, -line falling), lines in increasing order.
    const edges = new Map<number, { up: number[]; down: number[] }>();
    states.forEach((state, i) => {
      const line = Math.abs(state);
      let e = edges.get(line);
      if (!e) edges.set(line, (e = { up: [], down: [] }));
      if (state === line) e.up.push(i);
      else e.down.push(i);
    });
    for (const line of [...edges.keys()].sort((a, b) => a - b)) {
      let { up, down } = edges.get(line)!;
      // neo compares with +0 and -0 alike: state 0 is both edges of "line 0".
      if (line === 0) down = up;
      // A lone edge (a line only rising or only falling in the recording) gives no event.
      if (up.length === 0 || down.length === 0) continue;
      if (up[0] > down[0]) down = down.slice(1);
      if (up.length > down.length) up = up.slice(0, -1);
      if (up.length !== down.length) {
        console.warn(`spikewire: Channel ${line} has ${up.length} rising edges and ${down.length} falling edges. The number of rising and falling edges should be equal. Skipping events from this channel.`);
        continue;
      }
      rising.push(...up);
      falling.push(...down);
    }
    const order = rising.map((_, i) => i).sort((a, b) => rising[a] - rising[b]);
    const r = order.map((i) => rising[i]);
    const f = order.map((i) => falling[i]);
    durations = r.map((ri, k) => timestamps[f[k]] - timestamps[ri]);
    if (!direct) durations = durations.map((d) => d / stream.oebin.sample_rate);
    const [allTimes, allLabels] = [timestamps, labels];
    labels = r.map((i) => allLabels[i]);
    timestamps = r.map((i) => allTimes[i]);
  }
  if (timestamps.length !== labels.length) {
    throw new SpikewireError('FORMAT', `${folder.name}/${stream.dir}: ${timestamps.length} timestamps for ${labels.length} labels`);
  }
  const time = Float64Array.from(timestamps, (t) => (direct ? t : t / stream.oebin.sample_rate));
  return {
    time,
    duration: durations === null ? new Float64Array(time.length).fill(NaN) : Float64Array.from(durations),
    label: labels.map((l) => [...l].slice(0, LABEL_WIDTH).join('')),
  };
}

/**
 * The events of an Open Ephys binary folder (SpikeInterface's OpenEphysBinaryEventExtractor): channel
 * ids are the oebin's event channel names, segments the recordings of one experiment.
 */
export class OpenEphysBinaryEventExtractor {
  private constructor(
    private readonly channelIds: string[],
    /** [segment][channel]. */
    private readonly events: OpenephysEvents[][],
  ) {}

  /**
   * Reads every event of one experiment. Errors: `INVALID_ARGUMENT` (several experiments and none
   * chosen, both options, an unknown experiment), `NOT_FOUND`, `FORMAT` (broken .npy files).
   */
  static async open(input: FolderInput, opts: ReadOpenephysEventsOptions = {}): Promise<OpenEphysBinaryEventExtractor> {
    check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `readOpenephysEvents options must be an object, got ${describe(opts)}`);
    const reader = openFolder(input, opts, 'folderPath of readOpenephysEvents');
    const CLASS = 'OpenEphysBinaryEventExtractor';
    const experimentName = opts.experimentName ?? null;
    let blockIndex = opts.blockIndex ?? null;
    check(blockIndex === null || (Number.isSafeInteger(blockIndex) && blockIndex >= 0), 'INVALID_ARGUMENT', () => `blockIndex ${describe(blockIndex)} must be a non-negative integer`);
    if (experimentName !== null && blockIndex !== null) {
      throw new SpikewireError('INVALID_ARGUMENT', `${CLASS}: Cannot specify both 'experimentName' and 'blockIndex'. Please use either 'experimentName' or 'blockIndex', but not both.`);
    }
    const available = (await discoverOpenephys(reader, { signal: opts.signal })).experimentNames;
    let forNeo: string[] | null = null;
    if (experimentName !== null) {
      if (!available.includes(experimentName)) {
        throw new SpikewireError('INVALID_ARGUMENT', `${CLASS}: experimentName '${experimentName}' not found. Available experiments: ${pyStrList(available)}`);
      }
      forNeo = [experimentName];
      blockIndex = 0;
    } else if (blockIndex === null && available.length > 1) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `${CLASS}: Multiple experiments found: ${pyStrList(available)}. Please specify which experiment to load using the 'experimentName' option. Example: experimentName: '${available[0]}'`,
      );
    }
    const header = buildHeader(await discoverOpenephys(reader, { experimentNames: forNeo, signal: opts.signal }));
    const block = blockIndex ?? 0;
    const segments = header.blocks[block];
    if (!segments) throw new SpikewireError('INVALID_ARGUMENT', `blockIndex ${block} is out of range: the folder has ${header.blocks.length} experiment(s)`);
    const names = header.blocks[0][0].events ? [...header.blocks[0][0].events.keys()].sort() : [];
    const streamAt = (s: number, name: string) => {
      const found = segments[s].events?.get(name);
      if (!found) throw new SpikewireError('FORMAT', `recording ${s} of block ${block} has no event stream ${JSON.stringify(name)}, which the first recording has`);
      return found;
    };
    // neo keeps one flag for the whole folder: the last event stream it reads decides whether
    // timestamps.npy holds seconds (GUI 0.6+, beside sample_numbers.npy) or sample numbers.
    let direct = true;
    header.blocks.forEach((segs, b) => segs.forEach((seg, s) => {
      for (const name of names) {
        const stream = seg.events?.get(name);
        if (stream) direct = 'sample_numbers' in stream.files;
        else if (b === block) streamAt(s, name);
      }
    }));
    const channelIds = names.map((name) => streamAt(0, name).oebin.channel_name);
    const events: OpenephysEvents[][] = [];
    for (let s = 0; s < segments.length; s++) {
      events.push(await Promise.all(names.map((name) => streamEvents(streamAt(s, name), reader, direct))));
    }
    return new OpenEphysBinaryEventExtractor(channelIds, events);
  }

  /** The event channel ids (the oebin's channel names), in neo's order. */
  getChannelIds(): string[] {
    return [...this.channelIds];
  }

  /** How many segments (recordings). */
  getNumSegments(): number {
    return this.events.length;
  }

  /**
   * The events of a channel in a segment, with `time >= startTime` and `time < endTime` when given
   * (SpikeInterface's get_events). `CHANNEL_NOT_FOUND`, `OUT_OF_RANGE` for a bad segment.
   */
  getEvents(opts: { channelId: string; segmentIndex?: number; startTime?: number | null; endTime?: number | null }): OpenephysEvents {
    const index = this.channelIds.indexOf(opts.channelId);
    if (index < 0) throw new SpikewireError('CHANNEL_NOT_FOUND', `event channel ${describe(opts.channelId)} is not one of ${pyStrList(this.channelIds)}`);
    const segmentIndex = opts.segmentIndex ?? (this.events.length === 1 ? 0 : null);
    if (segmentIndex === null) throw new SpikewireError('SEGMENT_INDEX_REQUIRED', `this event extractor has ${this.events.length} segments: pass segmentIndex`);
    const segment = this.events[segmentIndex];
    if (!Number.isInteger(segmentIndex) || !segment) throw new SpikewireError('OUT_OF_RANGE', `segmentIndex ${describe(segmentIndex)} is outside 0..${this.events.length - 1}`);
    const all = segment[index];
    const keep = Array.from(all.time, (t) => (opts.startTime == null || t >= opts.startTime) && (opts.endTime == null || t < opts.endTime));
    const pick = <T>(values: ArrayLike<T>) => Array.from(values).filter((_, i) => keep[i]);
    return { time: Float64Array.from(pick(all.time)), duration: Float64Array.from(pick(all.duration)), label: pick(all.label) };
  }
}

/** Reads the events of an Open Ephys binary folder: SpikeInterface's `read_openephys_event`. */
export function readOpenephysEvents(folder: FolderInput, opts: ReadOpenephysEventsOptions = {}): Promise<OpenEphysBinaryEventExtractor> {
  return OpenEphysBinaryEventExtractor.open(folder, opts);
}

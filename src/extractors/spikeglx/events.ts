// SpikeInterface's read_spikeglx_event: the digital lines of the NI-DAQ XD word as event channels,
// with neo's rules (rising and falling edges of the low byte; times from segment 0's file for
// every segment, relative to its start).
import { SpikewireError, check, describe } from '../../errors.js';
import type { ByteSource } from '../../store/source.js';
import type { FolderInput } from '../../store/open-folder.js';
import { pairKey, type SpikeglxFileInfo } from './discovery.js';
import { openSpikeglxStreams, type SpikeglxSourceOptions } from './open.js';

/** Events of one channel: neo's structured array as three columns. */
export interface SpikeglxEvents {
  /** Seconds from the segment's start (sample index / niSampRate). */
  time: Float64Array;
  /** NaN: SpikeGLX edges have no duration. */
  duration: Float64Array;
  /** `"XD<i> ON"` (rising edge) or `"XD<i> OFF"` (falling edge). */
  label: string[];
}

/** Options of {@link SpikeGLXEventExtractor.getEvents}. */
export interface GetSpikeglxEventsOptions {
  channelId: string;
  /** Which segment; may be left out with one segment. */
  segmentIndex?: number;
  /** Keeps events at or after this time. */
  startTime?: number | null;
  /** Keeps events before this time. */
  endTime?: number | null;
}

/** Frames read at once when scanning the digital word. */
const SCAN_FRAMES = 1 << 16;

/**
 * The events of a SpikeGLX folder (SpikeInterface's `SpikeGLXEventExtractor`): one channel
 * `nidq#XD<i>` per line of `niXDChans1`. The digital word is read on the first `getEvents` call,
 * in chunks, and kept.
 */
export class SpikeGLXEventExtractor {
  /** Edges per bit of the low byte, once scanned: [rising indices, falling indices]. */
  private edges: Promise<[number[], number[]][]> | null = null;

  private constructor(
    private readonly channelIds: string[],
    private readonly numSegments: number,
    private readonly source: ByteSource | null,
    private readonly info: SpikeglxFileInfo | null,
  ) {}

  /** Opens the events of a folder (see {@link readSpikeglxEvents}). */
  static async open(folder: FolderInput, opts: SpikeglxSourceOptions = {}): Promise<SpikeGLXEventExtractor> {
    const { scan, streams } = await openSpikeglxStreams(folder, opts, 'readSpikeglxEvents');
    const info = scan.byKey.get(pairKey(0, 'nidq')) ?? null;
    const keep = info && info.digitalChannels.length > 0 && streams.some((s) => s.id === 'nidq') ? scan.sources.get(info.binPath)! : null;
    await Promise.all([...scan.sources.values()].filter((s) => s !== keep).map((s) => s.close().catch(() => {})));
    const ids = keep ? info!.digitalChannels.map((c) => `nidq#${c}`) : [];
    return new SpikeGLXEventExtractor(ids, scan.numSegments, keep, keep ? info : null);
  }

  /** Event channel ids (`nidq#XD0`, ...). */
  getChannelIds(): string[] {
    return [...this.channelIds];
  }

  getNumChannels(): number {
    return this.channelIds.length;
  }

  getNumSegments(): number {
    return this.numSegments;
  }

  /** The events of one channel in one segment (the same for every segment: neo reads segment 0's file). */
  async getEvents(opts: GetSpikeglxEventsOptions): Promise<SpikeglxEvents> {
    check(opts !== null && typeof opts === 'object', 'INVALID_ARGUMENT', () => `getEvents expects an options object, got ${describe(opts)}`);
    const index = this.channelIds.indexOf(opts.channelId);
    if (index < 0) throw new SpikewireError('CHANNEL_NOT_FOUND', `${describe(opts.channelId)} is not an event channel; available: ${describe(this.channelIds)}`);
    const seg = opts.segmentIndex ?? (this.numSegments === 1 ? 0 : null);
    if (seg === null) throw new SpikewireError('SEGMENT_INDEX_REQUIRED', `these events have ${this.numSegments} segments: pass segmentIndex`);
    if (!Number.isInteger(seg) || seg < 0 || seg >= this.numSegments) throw new SpikewireError('OUT_OF_RANGE', `segmentIndex ${describe(seg)} is out of range 0..${this.numSegments - 1}`);
    const name = this.channelIds[index].slice('nidq#'.length);
    // neo unpacks the low byte into 8 columns and takes column 7 - line: lines 8..15 wrap around
    // to bits 0..7 (numpy's negative indices); from line 16 on there is no column.
    const line = Number(name.slice(2));
    if (!Number.isInteger(line) || line < 0 || line > 15) throw new SpikewireError('FORMAT', `digital line ${describe(name)} has no bit in the NI-DAQ digital word's low byte`);
    const [rising, falling] = (await this.scan())[line < 8 ? line : line - 8];
    const rate = this.info!.samplingRate;
    const samples = [...rising, ...falling];
    const labels = [...rising.map(() => `${name} ON`), ...falling.map(() => `${name} OFF`)];
    const keep = samples.map((s) => s / rate).map((t, i) => [t, i] as const)
      .filter(([t]) => (opts.startTime == null || t >= opts.startTime) && (opts.endTime == null || t < opts.endTime));
    return {
      time: Float64Array.from(keep, ([t]) => t),
      duration: new Float64Array(keep.length).fill(NaN),
      label: keep.map(([, i]) => labels[i]),
    };
  }

  /** Every edge of every bit of the digital word's low byte, read once. */
  private scan(): Promise<[number[], number[]][]> {
    this.edges ??= (async () => {
      const info = this.info!;
      const column = info.analogChannels.length;
      if (column >= info.numChan) throw new SpikewireError('FORMAT', `${info.metaPath}: the digital word column ${column} is past the ${info.numChan} saved channels`);
      const out: [number[], number[]][] = Array.from({ length: 8 }, () => [[], []]);
      const frameBytes = info.numChan * 2;
      let previous = -1;
      for (let start = 0; start < info.sampleLength; start += SCAN_FRAMES) {
        const frames = Math.min(SCAN_FRAMES, info.sampleLength - start);
        const bytes = new Uint8Array(frames * frameBytes);
        await this.source!.read(start * frameBytes, bytes);
        for (let i = 0; i < frames; i++) {
          const byte = bytes[i * frameBytes + column * 2]; // low byte of the little-endian int16
          if (previous >= 0 && byte !== previous) {
            for (let bit = 0; bit < 8; bit++) {
              const was = (previous >> bit) & 1;
              const now = (byte >> bit) & 1;
              if (was !== now) out[bit][now ? 0 : 1].push(start + i);
            }
          }
          previous = byte;
        }
      }
      return out;
    })();
    return this.edges;
  }

  /** Closes the NI-DAQ file. */
  async close(): Promise<void> {
    await this.source?.close();
  }
}

/**
 * The events of a SpikeGLX folder's NI-DAQ digital lines: SpikeInterface's `read_spikeglx_event`.
 * A folder without NI-DAQ digital lines gives an extractor without channels.
 */
export function readSpikeglxEvents(folder: FolderInput, opts?: SpikeglxSourceOptions): Promise<SpikeGLXEventExtractor> {
  return SpikeGLXEventExtractor.open(folder, opts);
}

// What SpikeInterface's NeoBaseRecordingExtractor does for every neo-backed acquisition format
// (Open Ephys binary, SpikeGLX): choosing a stream by id or name, turning neo's channel units and
// gains into gain_to_uV and the physical-unit properties, and reading a stream that is a subset of
// the columns of an interleaved int16 file (a SYNC or ADC stream shares its continuous.dat / .bin
// with the neural channels).
import { SpikewireError, describe } from '../errors.js';
import { SPIKEINTERFACE_VERSION } from '../core/serialize.js';
import { parseDTypeString } from '../dtype.js';
import { ChannelSliceRecordingSegment } from '../core/index.js';
import { toColumn, type PropertyStore } from '../core/properties.js';
import type { BaseRecordingSegment } from '../core/segment.js';
import { pyStrRepr } from '../python/pyliteral.js';
import type { ByteSource } from '../store/source.js';
import { BinaryRecordingSegment } from './binary-recording.js';

/** neo's signal streams: names and ids in neo's order (what `getNeoStreams` returns). */
export interface NeoStreams {
  streamNames: string[];
  streamIds: string[];
}

/** A Python list of strings as Python prints it, for messages copied from SpikeInterface. */
export function pyStrList(values: readonly string[]): string {
  return `[${values.map(pyStrRepr).join(', ')}]`;
}

/**
 * The stream a reader opens (NeoBaseRecordingExtractor): the only one when neither id nor name is
 * given, else the one with that id (then that name). `INVALID_ARGUMENT` for several streams and no
 * choice, or an unknown id or name, with SpikeInterface's message.
 */
export function selectNeoStream(streams: NeoStreams, streamId: string | null, streamName: string | null): number {
  const { streamNames, streamIds } = streams;
  if (streamId === null && streamName === null) {
    if (streamIds.length > 1) {
      throw new SpikewireError(
        'INVALID_ARGUMENT',
        `This reader have several streams: \n\`stream_names\`: ${pyStrList(streamNames)}\n\`stream_ids\`: ${pyStrList(streamIds)}. \n` +
          "Specify it from the options above with the 'streamName' or 'streamId' arguments",
      );
    }
    if (streamIds.length === 0) throw new SpikewireError('NOT_FOUND', 'this folder has no signal stream to read');
    return 0;
  }
  let index = -1;
  // As SpikeInterface: an empty string counts as not given.
  if (streamId) {
    index = streamIds.indexOf(streamId);
    if (index < 0) throw new SpikewireError('INVALID_ARGUMENT', `streamId ${streamId} is not in ${pyStrList(streamIds)}`);
  }
  // With an id, SpikeInterface replaces the given name by the id's own before checking it: the id wins.
  if (streamName && !streamId) {
    index = streamNames.indexOf(streamName);
    if (index < 0) throw new SpikewireError('INVALID_ARGUMENT', `streamName ${streamName} is not in ${pyStrList(streamNames)}`);
  }
  if (index < 0) throw new SpikewireError('INVALID_ARGUMENT', "pass either 'streamId' or 'streamName'");
  return index;
}

/** SpikeInterface's voltage units and their factor to µV; other units keep factor 1. */
const VOLTAGE_UNITS_TO_UV: Readonly<Record<string, number>> = { V: 1e6, Volt: 1e6, Volts: 1e6, mV: 1e3, uV: 1 };

/** The per-channel scaling properties SpikeInterface sets from neo's channels, in its order. */
export interface NeoChannelScaling {
  gainToUV: Float64Array;
  offsetToUV: Float64Array;
  physicalUnit: string[];
  gainToPhysicalUnit: Float64Array;
  offsetToPhysicalUnit: Float64Array;
  /** True when every gain was negative and was made positive (the samples are then negated). */
  invertedGain: boolean;
}

/**
 * neo gains, offsets and units → gain_to_uV etc., as NeoBaseRecordingExtractor: gains all negative
 * (with zero offsets) are made positive, and the unit's factor to µV multiplies both (1 for a unit
 * that is not a voltage).
 */
export function neoChannelScaling(units: readonly string[], gains: readonly number[], offsets: readonly number[]): NeoChannelScaling {
  const n = units.length;
  const invertedGain = n > 0 && gains.every((g) => g < 0) && offsets.every((o) => o === 0);
  const physicalGains = Float64Array.from(gains, (g) => (invertedGain ? -g : g));
  const physicalOffsets = Float64Array.from(offsets);
  const factor = units.map((u) => (Object.hasOwn(VOLTAGE_UNITS_TO_UV, u) ? VOLTAGE_UNITS_TO_UV[u] : 1));
  return {
    gainToUV: physicalGains.map((g, i) => g * factor[i]),
    offsetToUV: physicalOffsets.map((o, i) => o * factor[i]),
    physicalUnit: [...units],
    gainToPhysicalUnit: physicalGains,
    offsetToPhysicalUnit: physicalOffsets,
    invertedGain,
  };
}

/**
 * Sets SpikeInterface's per-channel scaling properties of a neo stream (gain_to_uV, offset_to_uV,
 * physical_unit, gain_to_physical_unit, offset_to_physical_unit; offsets 0) and, unless null,
 * `channel_name`. A stream whose gains are all negative, which SpikeInterface reads by flipping the
 * sign of its gains and samples, is refused with `UNSUPPORTED` and `invertedMessage`.
 */
export function setNeoChannelProperties(
  properties: PropertyStore, units: readonly string[], gains: readonly number[], channelNames: readonly string[] | null, invertedMessage: string,
): void {
  const scaling = neoChannelScaling(units, gains, new Array<number>(units.length).fill(0));
  if (scaling.invertedGain) throw new SpikewireError('UNSUPPORTED', invertedMessage);
  properties.setColumn('gain_to_uV', toColumn(scaling.gainToUV));
  properties.setColumn('offset_to_uV', toColumn(scaling.offsetToUV));
  properties.setColumn('physical_unit', toColumn(scaling.physicalUnit, '<U64'));
  properties.setColumn('gain_to_physical_unit', toColumn(scaling.gainToPhysicalUnit));
  properties.setColumn('offset_to_physical_unit', toColumn(scaling.offsetToPhysicalUnit));
  if (channelNames) properties.setColumn('channel_name', toColumn([...channelNames], '<U64'));
}

const INT16 = parseDTypeString('<i2');

/**
 * A segment of some columns of a headerless little-endian int16 file of `numColumns` interleaved
 * columns (neo's "raw" buffer with a channel slice): the file is read as a binary segment of every
 * column and the asked ones gathered from it by the kernel, so a SYNC column or an ADC block costs
 * the same read path as the whole stream.
 */
export function int16ColumnSegment(opts: {
  source: ByteSource;
  numColumns: number;
  columns: readonly number[];
  numSamples: number;
  samplingFrequency: number;
  tStart: number | null;
}): BaseRecordingSegment {
  const { source, numColumns, columns, numSamples, samplingFrequency, tStart } = opts;
  const whole = new BinaryRecordingSegment(samplingFrequency, tStart, source, INT16, numColumns, 0, 0, numSamples);
  const identity = columns.length === numColumns && columns.every((c, i) => c === i);
  return identity ? whole : new ChannelSliceRecordingSegment(whole, Int32Array.from(columns));
}

/** 'major.minor' of a version string ('0.102.3' → '0.102'). */
const minorOf = (version: unknown) => (typeof version === 'string' ? version.split('.').slice(0, 2).join('.') : null);

/**
 * The kwargs of a neo-backed extractor's dict, checked as SpikeInterface's loader does: a dict written
 * by another minor version may still carry `load_sync_channel` (removed in 0.102), which SpikeInterface
 * drops for such dicts (`_handle_kwargs_backward_compatibility`) and refuses in its own version's;
 * any other kwarg not in `allowed` is `INVALID_ARGUMENT` (Python's unexpected keyword argument).
 */
export function neoKwargs(className: string, kwargs: Record<string, any>, allowed: ReadonlySet<string>, version: unknown): Record<string, any> {
  const k = { ...kwargs };
  if ('load_sync_channel' in k && minorOf(version) !== minorOf(SPIKEINTERFACE_VERSION)) delete k.load_sync_channel;
  for (const key of Object.keys(k)) {
    if (!allowed.has(key)) throw new SpikewireError('INVALID_ARGUMENT', `${className} got an unexpected keyword argument ${describe(key)}`);
  }
  if (typeof k.folder_path !== 'string' || k.folder_path === '') {
    throw new SpikewireError('FORMAT', `loadFromDict: kwargs.folder_path of a ${className} must be a path, got ${describe(k.folder_path)}`);
  }
  return k;
}

// spikewire: SpikeInterface's recording core for JavaScript. The universal entry: runs unchanged in
// Node, browsers, bundlers and edge runtimes. Explicit named exports only (a test pins this list).

export { SpikewireError, ErrorCodes } from './errors.js';
export type { SpikewireErrorCode } from './errors.js';

export { DTYPE_NAMES, isDType, itemSize, arrayType, numpyDTypeString } from './dtype.js';
export type { DType, TypedArray, TypedArrayConstructor } from './dtype.js';

export { initKernel } from './kernel/index.js';

export {
  BaseRecording,
  NumpyRecording,
  ChannelSliceRecording,
  FrameSliceRecording,
  SelectSegmentRecording,
  AppendSegmentRecording,
  ConcatenateSegmentRecording,
  ChannelsAggregationRecording,
  appendRecordings,
  concatenateRecordings,
  aggregateChannels,
} from './core/internal.js';
export type { Traces, TracesChunk, GetTracesOptions, ChunksOptions, NumpyRecordingOptions, TracesInput } from './core/internal.js';
export { BaseRecordingSegment } from './core/segment.js';
export type { TraceRequest, TraceTarget, TimeInfo } from './core/segment.js';
export { RawBlockSegment } from './core/raw-segment.js';
export type { ChannelId } from './core/ids.js';
export type { PropertyColumn, PropertyValues, PropertyKind } from './core/properties.js';
export { parseDuration, parseMemory } from './core/chunking.js';
export type { ChunkOptions } from './core/chunking.js';

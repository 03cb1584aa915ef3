// spikewire: SpikeInterface's recording core for JavaScript. The universal entry: runs unchanged in
// Node, browsers, bundlers and edge runtimes. Explicit named exports only (a test pins this list).

export { SpikewireError, ErrorCodes } from './errors.js';
export type { SpikewireErrorCode } from './errors.js';

export { DTYPE_NAMES, isDType, itemSize, arrayType, numpyDTypeString } from './dtype.js';
export type { DType, DTypeOf, TypedArray, TypedArrayByDType, TypedArrayConstructor, TypedArrayOf } from './dtype.js';

export { initKernel } from './kernel/index.js';
export type { KernelInput } from './kernel/index.js';

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
} from './core/index.js';
export type { Traces, TracesChunk, GetTracesOptions, ChunksOptions, NumpyRecordingOptions, TracesInput, ScaledDType, SavedZipRecording } from './core/index.js';
export { BaseRecordingSegment } from './core/segment.js';
export type { TraceRequest, TraceTarget, TimeInfo } from './core/segment.js';
export { RawBlockSegment } from './core/raw-segment.js';
export type { ChannelId } from './core/ids.js';
export type { PropertyColumn, PropertyValue, PropertyValues, PropertyKind } from './core/properties.js';
export { parseDuration, parseMemory } from './core/chunking.js';
export type { ChunkOptions } from './core/chunking.js';

export { BinaryRecordingExtractor, BinaryRecordingSegment, readBinary } from './extractors/binary-recording.js';
export type { BinaryRecordingOptions, BinarySourceInput } from './extractors/binary-recording.js';
export { MemorySource } from './store/memory-source.js';
export { BlobSource } from './store/blob-source.js';
export { HttpSource } from './store/http-source.js';
export type { HttpSourceOptions } from './store/http-source.js';
export type { AllowedOrigins } from './store/origins.js';
export { isByteSource } from './store/source.js';
export type { ByteSource, ByteSink } from './store/source.js';
export { parseDTypeString } from './dtype.js';
export type { ParsedDType } from './dtype.js';

// ---- writing binary recordings (write-binary / sinks / progress) ----
export { writeBinaryRecording } from './extractors/write-binary.js';
export type { WriteBinaryOptions, WriteBinaryOutput } from './extractors/write-binary.js';
export { BlobSink, WritableStreamSink, blobTarget, isBlobTarget, isByteSink, openSink } from './store/sinks.js';
export type { BlobTarget, WriteTarget, WritableFileHandle, OpenSinkOptions } from './store/sinks.js';
export type { ProgressInfo, ProgressCallback, ProgressOptions } from './extractors/progress.js';
// ---- end writing binary recordings ----

// --- formats: SpikeInterface dicts, dumps, folders, .npy, pickles
export { load, loadExtractor, loadFromDict } from './formats/load.js';
export type { LoadOptions, LoadSource, LoadableDict } from './formats/load.js';
export { registerRecordingClass, registeredClasses } from './formats/registry.js';
export type { RecordingBuilder, BuildContext } from './formats/registry.js';
export { BinaryFolderRecording, loadFolder } from './formats/binary-folder.js';
export { dumpJsonText } from './formats/dump.js';
export { readNpy, writeNpy, npyToColumn, columnToNpy } from './formats/npy.js';
export { NumpyArray } from './formats/ndarray.js';
export { pickle, unpickle, numpyToPlain, tuple, isTuple } from './formats/pickle.js';
export { SPIKEINTERFACE_VERSION } from './core/serialize.js';
export type { ExtractorDict, ToDictOptions } from './core/serialize.js';

// ---- probes (probe/: ProbeInterface model, generators, JSON / .prb, SVG; core: attaching to recordings) ----
export { Probe, Shank, ProbeGroup } from './probe/index.js';
export type {
  ProbeOptions,
  SetContactsOptions,
  ProbeDict,
  ContactSide,
  ContactAnnotationValues,
  ProbeNumpyArray,
  ProbeNumpyField,
  ProbeNumpyInput,
  ProbeGroupDict,
  GlobalDeviceChannelIndices,
  UniqueIdOptions,
  ContactShape,
  ContactShapeParams,
  PlaneAxes,
  AutoShapeType,
  DummyProbeOptions,
  LinearProbeOptions,
  MultiColumnsProbeOptions,
  MultiShankOptions,
  TetrodeOptions,
  ProbeInterfaceJson,
  ProbeInterfaceInput,
  WritePrbOptions,
  PlotProbeOptions,
  PlotStyle,
  Colormap,
} from './probe/index.js';
export {
  generateDummyProbe,
  generateDummyProbeGroup,
  generateLinearProbe,
  generateMultiColumnsProbe,
  generateMultiShank,
  generateTetrode,
  combineProbes,
  PROBEINTERFACE_VERSION,
  parseProbeinterface,
  writeProbeinterfaceText,
  parsePrb,
  writePrbText,
  plotProbe,
  COLORMAP_NAMES,
} from './probe/index.js';
export { readProbeinterface, writeProbeinterface, readPrb, writePrb } from './formats/probe-files.js';
export { GROUP_MODES } from './core/probe-attach.js';
export type { GroupMode, SetProbeOptions, SetProbegroupOptions, LocationAxes, DummyProbeFromLocationsOptions } from './core/probe-attach.js';
// ---- end probes ----
// ---- preprocessing ----
export { commonReference, CommonReferenceRecording } from './preprocessing/common-reference.js';
export type { CommonReferenceOptions } from './preprocessing/common-reference.js';
export { phaseShift, PhaseShiftRecording } from './preprocessing/phase-shift.js';
export type { PhaseShiftOptions } from './preprocessing/phase-shift.js';
export {
  scale, scaleToUV, ScaleRecording, unsignedToSigned, UnsignedToSignedRecording, astype, AstypeRecording,
  clip, ClipRecording, blankSaturation, BlankSaturationRecording, rectify, RectifyRecording,
} from './preprocessing/elementwise.js';
export type { ScaleOptions, UnsignedToSignedOptions, AstypeOptions, ClipOptions, BlankSaturationOptions, BlankSaturationEstimates } from './preprocessing/elementwise.js';
export { defaultRng, NumpyGenerator } from './preprocessing/numpy-random.js';
export { getRandomSampleSlices, getRandomDataChunks } from './preprocessing/random-chunks.js';
export type { RandomChunkOptions, RandomDataChunksOptions, RandomSlice } from './preprocessing/random-chunks.js';
export {
  center, CenterRecording, zscore, ZScoreRecording, normalizeByQuantile, NormalizeByQuantileRecording, correctLsb, estimateLsb,
  scaleToPhysicalUnits, ScaleToPhysicalUnits,
} from './preprocessing/normalize-scale.js';
export type { CenterOptions, ZScoreOptions, NormalizeByQuantileOptions, CorrectLsbOptions, RandomChunkReadOptions } from './preprocessing/normalize-scale.js';
export { whiten, WhitenRecording, computeWhiteningMatrix } from './preprocessing/whiten.js';
export type { WhitenOptions, WhiteningMatrixOptions, WhiteningMatrix } from './preprocessing/whiten.js';
export { highpassSpatialFilter, HighpassSpatialFilterRecording } from './preprocessing/highpass-spatial-filter.js';
export type { HighpassSpatialFilterOptions } from './preprocessing/highpass-spatial-filter.js';
export { getNoiseLevels } from './preprocessing/noise-levels.js';
export type { NoiseLevelsOptions } from './preprocessing/noise-levels.js';
export { decimate, DecimateRecording } from './preprocessing/decimate.js';
export type { DecimateOptions } from './preprocessing/decimate.js';
export {
  filter, bandpassFilter, highpassFilter, notchFilter, causalFilter,
  FilterRecording, BandpassFilterRecording, HighpassFilterRecording, NotchFilterRecording,
} from './preprocessing/filter.js';
export type {
  FilterOptions, FilterKwargs, FilterCoefficients, FilterDirection, BandpassFilterOptions, HighpassFilterOptions, NotchFilterOptions,
  CausalFilterOptions,
} from './preprocessing/filter.js';

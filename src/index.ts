// spikewire: SpikeInterface's recording core for JavaScript. The universal entry: runs unchanged in
// Node, browsers, bundlers and edge runtimes. Explicit named exports only (a test pins this list).

export { SpikewireError, ErrorCodes } from './errors.js';
export type { SpikewireErrorCode } from './errors.js';

export { DTYPE_NAMES, isDType, itemSize, arrayType, numpyDTypeString } from './dtype.js';
export type { DType, DTypeOf, TypedArray, TypedArrayByDType, TypedArrayConstructor, TypedArrayOf } from './dtype.js';

export { initKernel } from './kernel/index.js';
export type { KernelInput } from './kernel/index.js';
export { computeEnvelopes } from './kernel/index.js';
export type { EnvelopeInput, EnvelopeOptions, Envelopes, EnvelopeOutput } from './kernel/index.js';

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

// ---- Open Ephys binary (read_openephys, read_openephys_event) ----
export { OpenEphysBinaryRecordingExtractor, readOpenephys, getOpenephysStreams, getOpenephysNumBlocks } from './extractors/openephys/recording.js';
export type { ReadOpenephysOptions, OpenephysStreamsOptions } from './extractors/openephys/recording.js';
export { OpenEphysBinaryEventExtractor, readOpenephysEvents } from './extractors/openephys/events.js';
export type { OpenephysEvents, ReadOpenephysEventsOptions } from './extractors/openephys/events.js';
// ---- end Open Ephys binary ----

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
export {
  parseSpikeglxMeta,
  getSavedChannelIndicesFromSpikeglxMeta,
  readSpikeglxProbe,
  buildNeuropixelsProbe,
  getNeuropixelsSampleShiftsFromProbe,
  computeSaturationThresholdFromProbe,
  readOpenephysProbe,
  hasNeuropixelsProbes,
  getSavedChannelIndicesFromOpenephysSettings,
  parseXml,
} from './probe/index.js';
export type {
  SpikeglxMeta,
  ParseSpikeglxMetaOptions,
  ReadOpenephysProbeOptions,
  OpenephysSettings,
  XmlElement,
  ParseXmlOptions,
} from './probe/index.js';
export { GROUP_MODES } from './core/probe-attach.js';
export type { GroupMode, SetProbeOptions, SetProbegroupOptions, LocationAxes, DummyProbeFromLocationsOptions } from './core/probe-attach.js';
// ---- end probes ----
// ---- preprocessing (also the "spikewire/preprocessing" entry, where the list is) ----
export * from './preprocessing.js';
// ---- viewer: envelopes of windows, recordings in a worker, window prefetch ----
export { getEnvelopes, WindowCache, serveRecordingWorker, openRecordingWorker, RecordingWorkerProxy } from './viewer/index.js';
export type {
  GetEnvelopesOptions, WindowEnvelopes, WindowKey, WindowLoader, WindowCacheOptions, RecordingWorkerSource, RecordingWorkerTarget,
  OpenRecordingWorkerOptions, ProxyTracesOptions, MessagePortLike, RecordingInfo, PreprocessingStep, AcquisitionWorkerSource,
} from './viewer/index.js';
// ---- acquisition: SpikeGLX ----
export { SpikeGLXRecordingExtractor, readSpikeglx } from './extractors/spikeglx/recording.js';
export type { ReadSpikeglxOptions } from './extractors/spikeglx/recording.js';
export { getSpikeglxStreams } from './extractors/spikeglx/open.js';
export type { SpikeglxSourceOptions } from './extractors/spikeglx/open.js';
export type { SpikeglxStreamList } from './extractors/spikeglx/streams.js';
export { SpikeGLXEventExtractor, readSpikeglxEvents } from './extractors/spikeglx/events.js';
export type { SpikeglxEvents, GetSpikeglxEventsOptions } from './extractors/spikeglx/events.js';
export { getNeoStreams, getNeoNumBlocks } from './extractors/neo-streams.js';
export type { NeoFormat } from './extractors/neo-streams.js';
export type { NeoStreams } from './extractors/neo-base.js';
export { detectRecordingFormat, detectFormatOfFiles, inspectRecordingFolder } from './formats/detect-format.js';
export type { RecordingFolderFormat, RecordingFolderContents, DetectRecordingFormatOptions } from './formats/detect-format.js';

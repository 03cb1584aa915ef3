// The public surface of the universal entry, pinned: adding or removing an export is a decision,
// made by changing this list.
import { expect, it } from 'vitest';
import * as spikewire from '../../src/index.js';
import * as preprocessing from '../../src/preprocessing.js';

const EXPORTS = [
  'AppendSegmentRecording', 'BaseRecording', 'BaseRecordingSegment', 'ChannelSliceRecording',
  'ChannelsAggregationRecording', 'ConcatenateSegmentRecording', 'DTYPE_NAMES', 'ErrorCodes', 'FrameSliceRecording',
  'NumpyRecording', 'RawBlockSegment', 'SelectSegmentRecording', 'SpikewireError', 'aggregateChannels',
  'appendRecordings', 'arrayType', 'concatenateRecordings', 'initKernel', 'isDType', 'itemSize', 'numpyDTypeString',
  'parseDuration', 'parseMemory',
  // reading binary recordings (io/: sources and BinaryRecordingExtractor)
  'BinaryRecordingExtractor', 'BinaryRecordingSegment', 'BlobSource', 'HttpSource', 'MemorySource', 'isByteSource',
  'parseDTypeString', 'readBinary',
  // writing binary recordings (io/: write-binary, sinks)
  'writeBinaryRecording', 'BlobSink', 'WritableStreamSink', 'blobTarget', 'isBlobTarget', 'isByteSink', 'openSink',
  // probes (probe/: model, generators, ProbeInterface JSON, .prb, SVG; core/probe-attach: group modes)
  'Probe', 'Shank', 'ProbeGroup', 'generateDummyProbe', 'generateDummyProbeGroup', 'generateLinearProbe',
  'generateMultiColumnsProbe', 'generateMultiShank', 'generateTetrode', 'combineProbes', 'PROBEINTERFACE_VERSION',
  'parseProbeinterface', 'readProbeinterface', 'writeProbeinterface', 'writeProbeinterfaceText', 'parsePrb', 'readPrb',
  'writePrb', 'writePrbText', 'plotProbe', 'COLORMAP_NAMES', 'GROUP_MODES',
  // end probes
];

// --- Neuropixels probes (probe/neuropixels: SpikeGLX .meta, Open Ephys settings, the catalogue)
EXPORTS.push(
  'parseSpikeglxMeta', 'getSavedChannelIndicesFromSpikeglxMeta', 'readSpikeglxProbe', 'buildNeuropixelsProbe',
  'getNeuropixelsSampleShiftsFromProbe', 'computeSaturationThresholdFromProbe', 'readOpenephysProbe', 'hasNeuropixelsProbes',
  'getSavedChannelIndicesFromOpenephysSettings', 'parseXml',
);

// --- formats: SpikeInterface dicts, dumps, folders, .npy, pickles
EXPORTS.push(
  'BinaryFolderRecording', 'NumpyArray', 'SPIKEINTERFACE_VERSION', 'columnToNpy', 'dumpJsonText', 'isTuple', 'load',
  'loadExtractor', 'loadFolder', 'loadFromDict', 'npyToColumn', 'numpyToPlain', 'pickle', 'readNpy', 'registerRecordingClass',
  'registeredClasses', 'tuple', 'unpickle', 'writeNpy',
);

// --- preprocessing: SpikeInterface's preprocessors as lazy recordings (also "spikewire/preprocessing": every
// name pushed from here to the end of the list; other parts go above)
const PREPROCESSING_START = EXPORTS.length;
EXPORTS.push('CommonReferenceRecording', 'commonReference');
EXPORTS.push('PhaseShiftRecording', 'phaseShift');
EXPORTS.push(
  'AstypeRecording', 'BlankSaturationRecording', 'ClipRecording', 'DecimateRecording', 'RectifyRecording', 'ScaleRecording',
  'UnsignedToSignedRecording', 'astype', 'blankSaturation', 'clip', 'decimate', 'rectify', 'scale', 'scaleToUV', 'unsignedToSigned',
);
EXPORTS.push(
  'BandpassFilterRecording', 'FilterRecording', 'HighpassFilterRecording', 'NotchFilterRecording',
  'bandpassFilter', 'causalFilter', 'filter', 'highpassFilter', 'notchFilter',
);
EXPORTS.push(
  'AverageAcrossDirectionRecording', 'DepthOrderRecording', 'DirectionalDerivativeRecording', 'InterpolateBadChannelsRecording',
  'RemoveArtifactsRecording', 'SilencedPeriodsRecording', 'ZeroChannelPaddedRecording', 'averageAcrossDirection', 'depthOrder',
  'directionalDerivative', 'estimateRecommendedSigmaUm', 'interpolateBadChannels', 'krigingChannelWeights', 'krigingKernelDistance',
  'orderChannelsByDepth', 'removeArtifacts', 'silencePeriods', 'zeroChannelPad', 'GaussianFilterRecording', 'gaussianFilter',
  'ResampleRecording', 'resample', 'detectBadChannels', 'DetectAndInterpolateBadChannelsRecording', 'DetectAndRemoveBadChannelsRecording',
  'detectAndInterpolateBadChannels', 'detectAndRemoveBadChannels',
);
// statistics from seeded random chunks (numpy's default_rng, SpikeInterface's random chunks)
EXPORTS.push('NumpyGenerator', 'defaultRng', 'getRandomDataChunks', 'getRandomSampleSlices');
EXPORTS.push(
  'CenterRecording', 'NormalizeByQuantileRecording', 'ScaleToPhysicalUnits', 'ZScoreRecording', 'center', 'correctLsb', 'estimateLsb',
  'normalizeByQuantile', 'scaleToPhysicalUnits', 'zscore',
);
EXPORTS.push('WhitenRecording', 'computeWhiteningMatrix', 'whiten');
EXPORTS.push('HighpassSpatialFilterRecording', 'getNoiseLevels', 'highpassSpatialFilter');

/** The names of the "spikewire/preprocessing" entry: the preprocessing part of the list. */
const PREPROCESSING = EXPORTS.slice(PREPROCESSING_START);

// --- viewer: envelopes for drawing
EXPORTS.push('computeEnvelopes', 'getEnvelopes', 'WindowCache', 'serveRecordingWorker', 'openRecordingWorker', 'RecordingWorkerProxy');
// --- acquisition: SpikeGLX
EXPORTS.push('SpikeGLXEventExtractor', 'SpikeGLXRecordingExtractor', 'getSpikeglxStreams', 'readSpikeglx', 'readSpikeglxEvents');
EXPORTS.push('getNeoNumBlocks', 'getNeoStreams');
EXPORTS.push('detectFormatOfFiles', 'detectRecordingFormat', 'inspectRecordingFolder');
// --- acquisition: Open Ephys binary
EXPORTS.push(
  'OpenEphysBinaryEventExtractor', 'OpenEphysBinaryRecordingExtractor', 'getOpenephysNumBlocks', 'getOpenephysStreams',
  'readOpenephys', 'readOpenephysEvents',
);

it('exports exactly the public names', () => {
  expect(Object.keys(spikewire).sort()).toEqual([...EXPORTS].sort());
});

it('exports classes and functions, never undefined', () => {
  for (const name of EXPORTS) expect((spikewire as Record<string, unknown>)[name], name).toBeDefined();
});


it('"spikewire/preprocessing" exports exactly the preprocessing names, the same objects as "spikewire"', () => {
  expect(Object.keys(preprocessing).sort()).toEqual([...PREPROCESSING].sort());
  for (const name of PREPROCESSING) {
    expect((preprocessing as Record<string, unknown>)[name], name).toBe((spikewire as Record<string, unknown>)[name]);
  }
});

// The "spikewire/preprocessing" entry: SpikeInterface's preprocessors (spikeinterface.preprocessing),
// camelCased, each a function that takes the recording first and one options object, and the lazy
// recording class it returns. The universal entry re-exports all of it; this entry lets an app name
// just this part. Explicit named exports only (test/package/surface.test.ts pins the list).
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
export { depthOrder, DepthOrderRecording, orderChannelsByDepth } from './preprocessing/depth-order.js';
export type { DepthOrderOptions, Axis } from './preprocessing/depth-order.js';
export { zeroChannelPad, ZeroChannelPaddedRecording } from './preprocessing/zero-channel-pad.js';
export type { ZeroChannelPadOptions } from './preprocessing/zero-channel-pad.js';
export { averageAcrossDirection, AverageAcrossDirectionRecording } from './preprocessing/average-across-direction.js';
export type { AverageAcrossDirectionOptions } from './preprocessing/average-across-direction.js';
export { directionalDerivative, DirectionalDerivativeRecording } from './preprocessing/directional-derivative.js';
export type { DirectionalDerivativeOptions } from './preprocessing/directional-derivative.js';
export {
  interpolateBadChannels, InterpolateBadChannelsRecording, krigingKernelDistance, krigingChannelWeights, estimateRecommendedSigmaUm,
} from './preprocessing/interpolate-bad-channels.js';
export type { InterpolateBadChannelsOptions } from './preprocessing/interpolate-bad-channels.js';
export { silencePeriods, SilencedPeriodsRecording } from './preprocessing/silence-periods.js';
export type { SilencePeriodsOptions, Period } from './preprocessing/silence-periods.js';
export { removeArtifacts, RemoveArtifactsRecording } from './preprocessing/remove-artifacts.js';
export type { RemoveArtifactsOptions } from './preprocessing/remove-artifacts.js';
export { gaussianFilter, GaussianFilterRecording } from './preprocessing/gaussian-filter.js';
export type { GaussianFilterOptions } from './preprocessing/gaussian-filter.js';
export { resample, ResampleRecording } from './preprocessing/resample.js';
export type { ResampleOptions } from './preprocessing/resample.js';
export { detectBadChannels } from './preprocessing/detect-bad-channels.js';
export type { DetectBadChannelsOptions, BadChannels, ChannelLabel } from './preprocessing/detect-bad-channels.js';
export {
  detectAndRemoveBadChannels, DetectAndRemoveBadChannelsRecording, detectAndInterpolateBadChannels, DetectAndInterpolateBadChannelsRecording,
} from './preprocessing/bad-channel-recordings.js';
export type { DetectAndFixBadChannelsOptions } from './preprocessing/bad-channel-recordings.js';
export {
  filter, bandpassFilter, highpassFilter, notchFilter, causalFilter,
  FilterRecording, BandpassFilterRecording, HighpassFilterRecording, NotchFilterRecording,
} from './preprocessing/filter.js';
export type {
  FilterOptions, FilterKwargs, FilterCoefficients, FilterDirection, BandpassFilterOptions, HighpassFilterOptions, NotchFilterOptions,
  CausalFilterOptions,
} from './preprocessing/filter.js';

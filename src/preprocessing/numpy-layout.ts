import type { BaseRecording } from '../core/index.js';
import { FilterRecording } from './filter.js';

/**
 * Whether SpikeInterface's traces of this recording are a Fortran-order numpy array: its SOS filters
 * return scipy's sosfiltfilt / sosfilt results along axis 0, whose channels are contiguous (the 'ba'
 * filters return C order). numpy then sums each channel pairwise, which changes float32 statistics
 * in their last bits (see numpy-stats.ts).
 */
export function columnMajorTraces(recording: BaseRecording): boolean {
  return recording instanceof FilterRecording && recording.coefficients.mode === 'sos';
}

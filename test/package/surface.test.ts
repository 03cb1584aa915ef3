// The public surface of the universal entry, pinned: adding or removing an export is a decision,
// made by changing this list.
import { expect, it } from 'vitest';
import * as spikewire from '../../src/index.js';

const EXPORTS = [
  'AppendSegmentRecording', 'BaseRecording', 'BaseRecordingSegment', 'ChannelSliceRecording',
  'ChannelsAggregationRecording', 'ConcatenateSegmentRecording', 'DTYPE_NAMES', 'ErrorCodes', 'FrameSliceRecording',
  'NumpyRecording', 'RawBlockSegment', 'SelectSegmentRecording', 'SpikewireError', 'aggregateChannels',
  'appendRecordings', 'arrayType', 'concatenateRecordings', 'initKernel', 'isDType', 'itemSize', 'numpyDTypeString',
  'parseDuration', 'parseMemory',
];

it('exports exactly the public names', () => {
  expect(Object.keys(spikewire).sort()).toEqual([...EXPORTS].sort());
});

it('exports classes and functions, never undefined', () => {
  for (const name of EXPORTS) expect((spikewire as Record<string, unknown>)[name], name).toBeDefined();
});

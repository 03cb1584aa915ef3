// Every module of core/ imports recordings from here, never from their files: this fixes the order in
// which the classes are defined (the base first, then the views that extend it), while BaseRecording's
// methods can still return views.
export * from './recording.js';
export * from './views/channel-slice.js';
export * from './views/frame-slice.js';
export * from './views/select-segment.js';
export * from './views/append.js';
export * from './views/concatenate.js';
export * from './views/aggregate.js';
export * from './numpy.js';

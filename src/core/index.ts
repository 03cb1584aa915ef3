// The recordings of core/, for the layers above (extractors, formats, entries). Modules inside core/
// import the files themselves, never this one, so that nothing imports itself back through it.
export * from './recording.js';
export * from './views/channel-slice.js';
export * from './views/frame-slice.js';
export * from './views/append.js';
export * from './views/concatenate.js';
export * from './views/aggregate.js';
export * from './numpy.js';

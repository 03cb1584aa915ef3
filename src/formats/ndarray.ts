// numpy arrays in memory live in the python layer (src/python/ndarray.ts), below the extractors that
// read acquisition .npy files; this module keeps the formats layer's import path.
export * from '../python/ndarray.js';

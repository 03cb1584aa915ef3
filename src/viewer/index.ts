/**
 * What a fast viewer needs from the library: envelopes of windows, recordings opened in a worker
 * behind a proxy, and a cache that prefetches the next windows.
 */
export { getEnvelopes } from './envelopes.js';
export type { GetEnvelopesOptions, WindowEnvelopes } from './envelopes.js';
export { WindowCache, windowKeyText } from './window-cache.js';
export type { WindowKey, WindowLoader, WindowCacheOptions } from './window-cache.js';
export { serveRecordingWorker, describeRecording } from './serve.js';
export { openRecordingWorker, RecordingWorkerProxy } from './proxy.js';
export type { AcquisitionWorkerSource, RecordingWorkerSource, RecordingWorkerTarget, OpenRecordingWorkerOptions, ProxyTracesOptions } from './proxy.js';
export type { MessagePortLike, RecordingInfo, PreprocessingStep } from './protocol.js';

// The "spikewire/node" entry: everything of the universal entry, plus Node's file sources and sinks by
// name. Node-only code is chosen by package.json conditions, never by import side effects: under the
// "node" condition `#file-platform` is Node's file system (paths open wherever the API takes a source)
// and `#parallel-writer` runs nJobs > 1 on worker threads (dist/parallel-worker.mjs / .cjs), for
// this entry and for the universal one alike; bundles for browsers get neither.
export * from './index.js';
export { NodeFileSource, openFile } from './store/node/file-source.js';
export { NodeFileSink, nodeFilePlatform } from './store/node/platform.js';

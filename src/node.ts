// The "spikewire/node" entry: everything of the universal entry, plus what needs Node's fs.
// Importing it installs Node's file system, so that file paths work wherever the universal API takes
// a source (BinaryRecordingExtractor.open({ filePaths }), writeRecording to paths, ...), and the
// parallel writer that runs nJobs > 1 on worker threads. Those two calls are this module's side
// effects: package.json lists dist/node.* under "sideEffects" so that bundlers keep them (without it,
// rollup and vite drop them from an app that imports only re-exported names, and paths stop working).
import { installFilePlatform } from './store/platform.js';
import { nodeFilePlatform } from './store/node/platform.js';
import { installParallelWriter } from './extractors/write-binary.js';
import { nodeParallelWriter } from './extractors/node/parallel-write.js';

installFilePlatform(nodeFilePlatform);
// nJobs > 1: chunks written on worker threads (dist/parallel-worker.mjs / .cjs)
installParallelWriter(nodeParallelWriter);

export * from './index.js';
export { NodeFileSource, openFile } from './store/node/file-source.js';
export { NodeFileSink, nodeFilePlatform } from './store/node/platform.js';

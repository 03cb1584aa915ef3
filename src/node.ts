// The "spikewire/node" entry: everything of the universal entry, plus what needs Node's fs.
// Importing it installs Node's file system, so that file paths work wherever the universal API takes
// a source (BinaryRecordingExtractor.open({ filePaths }), writeRecording to paths, ...).
import { installFilePlatform } from './io/platform.js';
import { nodeFilePlatform } from './io/node/platform.js';

installFilePlatform(nodeFilePlatform);

export * from './index.js';
export { NodeFileSource, openFile } from './io/node/file-source.js';
export { NodeFileSink, nodeFilePlatform } from './io/node/platform.js';

// What `#file-platform` is under the "node" condition (package.json "imports"): Node's file system, so
// that paths open wherever the API takes a source. Bundles for browsers resolve the other variant.
import type { FilePlatform } from './platform.js';
import { nodeFilePlatform } from './node/platform.js';

export const defaultFilePlatform: FilePlatform | null = nodeFilePlatform;

// What `#file-platform` is outside Node (package.json "imports", the default condition): no file
// system. A path is then an UNSUPPORTED error that says what to pass instead.
import type { FilePlatform } from './platform.js';

export const defaultFilePlatform: FilePlatform | null = null;

// Runs a test body as in a runtime without a file system (browsers, edge functions): in Node the
// sources resolve `#file-platform` to Node's, so tests of the "no file system" errors take it away
// for their duration.
import { installFilePlatform } from '../../src/store/platform.js';

export async function withoutFilePlatform<T>(body: () => Promise<T>): Promise<T> {
  const previous = installFilePlatform(null);
  try {
    return await body();
  } finally {
    installFilePlatform(previous);
  }
}

// The text files of an Open Ephys folder (structure.oebin, settings.xml) are small; a file of the
// same name that is not (hostile or mistaken) is refused before it is read.
import { SpikewireError } from '../../errors.js';
import type { FolderReader } from '../../store/folder-access.js';

/** The largest structure.oebin or settings.xml read (real ones are well under a megabyte). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024;

/** A small UTF-8 file of `reader`, its size checked before it is read: `FORMAT` above {@link MAX_TEXT_FILE_BYTES}. */
export async function readTextFile(reader: FolderReader, rel: string, signal?: AbortSignal): Promise<string> {
  const source = await reader.openSource(rel);
  try {
    if (source.size > MAX_TEXT_FILE_BYTES) {
      throw new SpikewireError('FORMAT', `${reader.name}/${rel} has ${source.size} bytes, more than the ${MAX_TEXT_FILE_BYTES} spikewire reads for this kind of file`);
    }
    const bytes = new Uint8Array(source.size);
    await source.read(0, bytes, signal);
    return new TextDecoder().decode(bytes);
  } finally {
    await source.close();
  }
}

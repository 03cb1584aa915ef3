// Opening a SpikeGLX folder up to its stream list: the folder reader, the scan of its pairs and the
// streams, shared by the recording, the stream listing and the events.
import { SpikewireError } from '../../errors.js';
import { openFolder, type FolderInput, type OpenFolderOptions } from '../../store/open-folder.js';
import type { FolderReader } from '../../store/folder-access.js';
import { hasEntry, loadNeuropixelsCatalogue } from '../../probe/neuropixels/catalogue.js';
import { scanSpikeglxFolder, type SpikeglxScan } from './discovery.js';
import type { FeaturesLookup } from './gains.js';
import { buildStreams, streamList, type SpikeglxStream, type SpikeglxStreamList } from './streams.js';

/** How to reach the folder: the options of an HTTP folder (a `files` listing, `fetch`, timeouts) and an abort signal. */
export type SpikeglxSourceOptions = OpenFolderOptions;

/** The Neuropixels catalogue's entries, loaded only when a folder has imec files. */
async function catalogueLookup(scan: SpikeglxScan): Promise<FeaturesLookup> {
  if (!scan.infos.some((i) => i.fname.split('.').at(-2)!.includes('imec'))) return () => undefined;
  const catalogue = await loadNeuropixelsCatalogue();
  const table = catalogue.neuropixels_probes;
  return (partNumber) => (hasEntry(table, partNumber) ? table[partNumber] : undefined);
}

/**
 * A scanned folder and its streams; the scan's sources are the caller's to close. `caller` names the
 * public function in messages about the folder argument.
 */
export async function openSpikeglxStreams(folder: FolderInput, opts: SpikeglxSourceOptions = {}, caller = 'readSpikeglx'): Promise<{ reader: FolderReader; scan: SpikeglxScan; streams: SpikeglxStream[] }> {
  const reader = openFolder(folder, opts, `folder of ${caller}`);
  const scan = await scanSpikeglxFolder(reader, opts.signal);
  try {
    const streams = buildStreams(scan, await catalogueLookup(scan), reader.name);
    if (streams.length === 0) throw new SpikewireError('FORMAT', `${reader.name} holds no SpikeGLX stream`);
    return { reader, scan, streams };
  } catch (error) {
    await Promise.all([...scan.sources.values()].map((s) => s.close().catch(() => {})));
    throw error;
  }
}

/**
 * The streams of a SpikeGLX folder (SpikeInterface's `get_neo_streams("spikeglx", folder)`): names
 * and ids, highest sampling rate first, then the -SYNC streams. Reads the .meta files only.
 */
export async function getSpikeglxStreams(folder: FolderInput, opts: SpikeglxSourceOptions = {}): Promise<SpikeglxStreamList> {
  const { scan, streams } = await openSpikeglxStreams(folder, opts, 'getSpikeglxStreams');
  await Promise.all([...scan.sources.values()].map((s) => s.close().catch(() => {})));
  return streamList(streams);
}

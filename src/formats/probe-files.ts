// ProbeInterface's file functions as the public API names them: the probe layer reads and writes
// text, bytes and Blobs; paths are read and written here, with the file platform (spikewire/node's in
// Node; none in browsers, where a path is an UNSUPPORTED error that says what to pass instead).
import { readProbeinterfaceWith, writeProbeinterfaceWith, type ProbeInterfaceInput, type ProbeInterfaceJson } from '../probe/io-json.js';
import { readPrbWith, writePrbWith, type WritePrbOptions } from '../probe/prb.js';
import type { Probe } from '../probe/probe.js';
import type { ProbeGroup } from '../probe/probegroup.js';
import type { ReadFile, WriteFile } from '../probe/text-or-path.js';
import { filePlatform } from '../store/platform.js';

const readWith = (what: string): ReadFile => (path) => filePlatform(what, path).readFile(path);
const writeWith = (what: string): WriteFile => (path, text) => filePlatform(what, path).writeFile(path, text);

/**
 * Reads a ProbeInterface JSON file (ProbeInterface's `read_probeinterface`): JSON text, the parsed
 * object, a Blob / File, bytes, or a file path. A string with a line break or a '{' is the file's
 * text (the file is one JSON object); any other string is a path (`'[2024] probe.json'` too), read
 * with the file platform (e.g. `spikewire/node`). Always a ProbeGroup, as in ProbeInterface.
 */
export function readProbeinterface(input: ProbeInterfaceInput): Promise<ProbeGroup> {
  return readProbeinterfaceWith(input, readWith('reading probe file'));
}

/**
 * ProbeInterface's `write_probeinterface`. Without a path: returns the JSON object (plain arrays and
 * numbers; `JSON.stringify` works on it). With a path: writes the file as ProbeInterface would (needs
 * a file platform, e.g. `spikewire/node`). A single probe is written as a group of one.
 */
export function writeProbeinterface(probeOrGroup: Probe | ProbeGroup): ProbeInterfaceJson;
export function writeProbeinterface(probeOrGroup: Probe | ProbeGroup, path: string): Promise<void>;
export function writeProbeinterface(probeOrGroup: Probe | ProbeGroup, path?: string): ProbeInterfaceJson | Promise<void> {
  return writeProbeinterfaceWith(probeOrGroup, path, writeWith('writing probe file'));
}

/**
 * Reads a .prb file (ProbeInterface's `read_prb`): its text, a Blob / File, bytes, or a path. A
 * string with a line break or a '{' is the file's text (every .prb file holds the channel_groups
 * dict); any other string is a path, '=' and all (`'/data/run=1/probe.prb'`), read with the file
 * platform (e.g. `spikewire/node`).
 */
export function readPrb(input: string | Blob | Uint8Array | ArrayBuffer): Promise<ProbeGroup> {
  return readPrbWith(input, readWith('reading PRB file'));
}

/**
 * ProbeInterface's `write_prb`. Without a path: returns the text. With a path: writes the file
 * (needs a file platform, e.g. `spikewire/node`).
 */
export function writePrb(probeOrGroup: Probe | ProbeGroup, path?: undefined, opts?: WritePrbOptions): string;
export function writePrb(probeOrGroup: Probe | ProbeGroup, path: string, opts?: WritePrbOptions): Promise<void>;
export function writePrb(probeOrGroup: Probe | ProbeGroup, path?: string, opts: WritePrbOptions = {}): string | Promise<void> {
  return writePrbWith(probeOrGroup, path, opts, writeWith('writing PRB file'));
}

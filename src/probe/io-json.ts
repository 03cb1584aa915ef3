// The ProbeInterface JSON format: `{"specification": "probeinterface", "version": ..., "probes": [...]}`
// as ProbeInterface's write_probeinterface writes it (json.dump(indent=4)), read as its
// read_probeinterface does, but leniently (missing annotations, older versions) and with FORMAT
// errors that name the bad field.
import { SpikewireError, describe } from '../errors.js';
import { stringifyPythonJson } from '../python/pyjson.js';
import { parseJsonKeepingFloats, withPyFloats } from './json-floats.js';
import { Probe, type ProbeDict } from './probe.js';
import { ProbeGroup } from './probegroup.js';
import { isProbeFileText, type ReadFile, type WriteFile } from './text-or-path.js';

/** The ProbeInterface version whose files spikewire writes (the "version" field). */
export const PROBEINTERFACE_VERSION = '0.3.2';

/** A ProbeInterface JSON file's content. */
export interface ProbeInterfaceJson {
  specification: 'probeinterface';
  version: string;
  probes: ProbeDict[];
}

/** What readProbeinterface accepts besides a path. */
export type ProbeInterfaceInput = string | ProbeInterfaceJson | Record<string, unknown> | Blob | Uint8Array | ArrayBuffer;

/**
 * Parses ProbeInterface JSON text or its parsed object into a ProbeGroup, synchronously. Floats in
 * the text (`12.0`, `30000.0`) are remembered so that writing gives the same text back.
 */
export function parseProbeinterface(input: string | ProbeInterfaceJson | Record<string, unknown>, source = 'probeinterface JSON'): ProbeGroup {
  const d = typeof input === 'string' ? parseJsonKeepingFloats(input, source) : input;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new SpikewireError('FORMAT', `${source}: expected a JSON object with "probes", got ${describe(d)}`);
  }
  const dict = d as Record<string, unknown>;
  if (dict.specification !== undefined && dict.specification !== 'probeinterface') {
    throw new SpikewireError('FORMAT', `${source}: specification: expected "probeinterface", got ${describe(dict.specification)}`);
  }
  // Lenient: a bare probe dict (no "probes" list) is read as a group of one.
  if (dict.probes === undefined && dict.contact_positions !== undefined) {
    const group = new ProbeGroup();
    group.addProbe(Probe.fromDict(dict));
    return group;
  }
  return ProbeGroup.fromDict(dict);
}

/**
 * Reads a ProbeInterface JSON file (ProbeInterface's `read_probeinterface`): JSON text, the parsed
 * object, a Blob / File, bytes, or a file path. A string with a line break or a '{' is the file's
 * text (the file is one JSON object); any other string is a path (`'[2024] probe.json'` too), read
 * with `readFile` (the probe layer does no I/O: formats/probe-files.ts passes the file platform's).
 * Always a ProbeGroup, as in ProbeInterface.
 */
export async function readProbeinterfaceWith(input: ProbeInterfaceInput, readFile: ReadFile): Promise<ProbeGroup> {
  if (typeof input === 'string') {
    if (isProbeFileText(input)) return parseProbeinterface(input);
    const bytes = await readFile(input);
    return parseProbeinterface(new TextDecoder().decode(bytes), input);
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    const name = (input as { name?: unknown }).name;
    return parseProbeinterface(await input.text(), typeof name === 'string' ? name : 'probeinterface JSON');
  }
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    return parseProbeinterface(new TextDecoder().decode(input));
  }
  if (input !== null && typeof input === 'object') return parseProbeinterface(input as Record<string, unknown>);
  throw new SpikewireError('INVALID_ARGUMENT', `readProbeinterface: expected JSON text, an object, a Blob or a path, got ${describe(input)}`);
}

/** The file content for a probe or group, with float marks in place. */
function toJson(probeOrGroup: Probe | ProbeGroup): ProbeInterfaceJson {
  let probes: ProbeDict[];
  if (probeOrGroup instanceof Probe) probes = [probeOrGroup.toDict()];
  else if (probeOrGroup instanceof ProbeGroup) probes = probeOrGroup.toDict().probes;
  else throw new SpikewireError('INVALID_ARGUMENT', `writeProbeinterface: needs a Probe or a ProbeGroup, got ${describe(probeOrGroup)}`);
  return { specification: 'probeinterface', version: PROBEINTERFACE_VERSION, probes };
}

/**
 * The text of a ProbeInterface JSON file for a probe or group, exactly as ProbeInterface writes it
 * (`json.dump(d, f, indent=4)`: 4-space indent, floats as `20.0` / `1e-05`, non-ASCII escaped, no
 * final newline).
 */
export function writeProbeinterfaceText(probeOrGroup: Probe | ProbeGroup): string {
  return stringifyPythonJson(withPyFloats(toJson(probeOrGroup)), 4);
}

/**
 * ProbeInterface's `write_probeinterface`. Without a path: returns the JSON object (plain arrays and
 * numbers; `JSON.stringify` works on it). With a path: writes the file as ProbeInterface would, with
 * `writeFile`. A single probe is written as a group of one.
 */
export function writeProbeinterfaceWith(probeOrGroup: Probe | ProbeGroup, path: string | undefined, writeFile: WriteFile): ProbeInterfaceJson | Promise<void> {
  if (path === undefined) return toJson(probeOrGroup);
  // Every failure of the path form (bad input, no file platform) comes back as a rejected promise.
  return (async () => {
    if (typeof path !== 'string' || path === '') {
      throw new SpikewireError('INVALID_ARGUMENT', `writeProbeinterface: path must be a non-empty string, got ${describe(path)}`);
    }
    const text = writeProbeinterfaceText(probeOrGroup);
    await writeFile(path, text);
  })();
}

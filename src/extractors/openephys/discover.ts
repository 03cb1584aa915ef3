// Finding the recordings of an Open Ephys binary folder, as neo's OpenEphysBinaryRawIO
// _parse_folder_structure and check_folder_consistency do: every structure.oebin is a recording
// (its folder recording<M>, the parent experiment<N>, the grandparent the record node), whatever
// level of the tree the user points at.
import { SpikewireError, describe } from '../../errors.js';
import { isSafeRelativePath, type FolderReader } from '../../store/folder-access.js';
import { walkFolder } from '../../store/folder-walk.js';
import { pyStrList } from '../neo-base.js';
import { parseOebin, type OebinContinuous, type OebinEvents } from './oebin.js';
import { readTextFile } from './text-file.js';

/** A continuous stream of one recording. */
export interface ContinuousStream {
  /** '<record node>#<folder>' (or '<folder>' without a record node). */
  readonly name: string;
  readonly oebin: OebinContinuous;
  /** The stream folder, relative to the reader. */
  readonly dir: string;
  /** Which of the time files are in the folder. */
  readonly has: { readonly sampleNumbers: boolean; readonly timestamps: boolean; readonly synchronizedTimestamps: boolean };
}

/** An event stream of one recording, with the .npy files present in its folder. */
export interface EventStream {
  readonly name: string;
  readonly oebin: OebinEvents;
  readonly dir: string;
  /** `{timestamps: '<dir>/timestamps.npy', ...}` for each of neo's event arrays found. */
  readonly files: Readonly<Record<string, string>>;
}

/** One recording<M> folder: a neo segment. */
export interface RecordingFolder {
  readonly name: string;
  readonly id: number;
  /** Relative to the reader. */
  readonly dir: string;
  /** null when the recording has no continuous/ folder or lists no continuous stream. */
  readonly continuous: Map<string, ContinuousStream> | null;
  readonly events: Map<string, EventStream> | null;
}

/** One experiment<N> folder: a neo block. */
export interface ExperimentFolder {
  readonly name: string;
  readonly id: number;
  /** settings.xml (experiment 1) or settings_<N>.xml, relative to the reader; null when outside it. */
  readonly settingsFile: string | null;
  readonly recordings: Map<number, RecordingFolder>;
}

/** One record node ('' when the folders above the experiment are not a "Record…" folder). */
export interface RecordNode {
  readonly name: string;
  readonly experiments: Map<number, ExperimentFolder>;
}

/** What discovery found: the nodes, and every experiment name in number order. */
export interface OpenephysFolder {
  readonly reader: FolderReader;
  readonly nodes: Map<string, RecordNode>;
  readonly experimentNames: string[];
}

/** neo's event arrays, in neo's order. */
export const EVENT_ARRAYS = ['timestamps', 'sample_numbers', 'channels', 'text', 'states', 'full_word', 'channel_states', 'data_array', 'metadata'] as const;

/** Python's `Path.stem`: the name without its last suffix. */
function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(0, dot) : name;
}

/** Python's int() of the number left in a folder name ('experiment12' → 12), or `FORMAT`. */
function folderNumber(name: string, prefix: string, where: string): number {
  const digits = name.split(prefix).join('');
  if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(digits)) {
    throw new SpikewireError('FORMAT', `${where}: the folder ${describe(name)} is not named ${prefix}<N> (a number is expected after ${describe(prefix)})`);
  }
  const n = Number(digits.trim().split('_').join(''));
  if (!Number.isSafeInteger(n)) throw new SpikewireError('FORMAT', `${where}: the number of folder ${describe(name)} is too large`);
  return n;
}

const joinPath = (...parts: string[]) => parts.filter((p) => p !== '').join('/');

/** A URL's path part decoded, or as it is when it is not valid percent-encoding. */
function decodedPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Walks `reader` for structure.oebin files and reads each (neo's _parse_folder_structure), keeping
 * only the experiments in `experimentNames` when given. `NOT_FOUND` when there is none, `FORMAT` for
 * an oebin that is not one or a folder name without its number; a stream folder listed in an oebin
 * but absent is skipped with a warning, as neo does. See {@link checkConsistency}.
 */
export async function discoverOpenephys(
  reader: FolderReader,
  opts: { experimentNames?: readonly string[] | null; signal?: AbortSignal; /** false: no warning of spikewire's own (a second walk of one read) */ ownWarnings?: boolean } = {},
): Promise<OpenephysFolder> {
  const files = await walkFolder(reader, { signal: opts.signal });
  const fileSet = new Set(files);
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  // an HTTP folder is named by its URL: its parts are percent-encoded ('Record%20Node%20101'), folder names are not
  const fromUrl = /^https?:\/\//i.test(reader.name);
  const rootParts = reader.name.replace(/\/+$/, '').split('/').map((part) => (fromUrl ? decodedPart(part) : part));
  const nodes = new Map<string, RecordNode>();
  const possible: { name: string; id: number }[] = [];
  const wanted = opts.experimentNames ?? null;

  for (const file of files) {
    const parts = file.split('/');
    if (parts[parts.length - 1] !== 'structure.oebin') continue;
    const relParts = parts.slice(0, -1);
    const dir = relParts.join('/');
    const full = [...rootParts, ...relParts];
    const where = `${reader.name}/${dir}`.replace(/\/$/, '');
    const nodeFolder = full[full.length - 3] ?? '';
    let nodeName = stem(nodeFolder);
    if (!nodeName.startsWith('Record')) nodeName = ''; // before GUI 0.5 there was no record node
    const nodeDir = relParts.length >= 2 ? relParts.slice(0, -2).join('/') : null;
    let node = nodes.get(nodeName);
    if (!node) {
      node = { name: nodeName, experiments: new Map() };
      nodes.set(nodeName, node);
    }
    const experimentName = stem(full[full.length - 2] ?? '');
    const experimentId = folderNumber(experimentName, 'experiment', where);
    if (!possible.some((e) => e.name === experimentName)) possible.push({ name: experimentName, id: experimentId });
    if (wanted !== null && !wanted.includes(experimentName)) continue;
    let experiment = node.experiments.get(experimentId);
    if (!experiment) {
      const settings = experimentName === 'experiment1' ? 'settings.xml' : `settings_${experimentId}.xml`;
      experiment = { name: experimentName, id: experimentId, settingsFile: nodeDir === null ? null : joinPath(nodeDir, settings), recordings: new Map() };
      node.experiments.set(experimentId, experiment);
    }
    const recordingName = stem(full[full.length - 1] ?? '');
    const recordingId = folderNumber(recordingName, 'recording', where);
    const text = await readTextFile(reader, file, opts.signal);
    const oebin = parseOebin(text, `${reader.name}/${file}`);

    const streamName = (folderName: string) => {
      const oeName = folderName.split('/')[0]; // the trailing slash
      return nodeName.length > 0 ? `${nodeName}#${oeName}` : oeName;
    };
    const streamDir = (kind: string, folderName: string) => {
      const rel = folderName.replace(/\/+$/, '');
      // The oebin names folders inside the recording: never a path that leaves it.
      if (!isSafeRelativePath(rel)) {
        throw new SpikewireError('FORMAT', `${where}/structure.oebin: ${kind} folder_name ${describe(folderName)} is not a folder inside ${kind}/`);
      }
      return joinPath(dir, kind, rel);
    };
    /** The streams of `infos` whose folder exists; the others are skipped with neo's warning. */
    function* present<T extends { readonly folder_name: string }>(kind: 'continuous' | 'events', infos: readonly T[]) {
      for (const info of infos) {
        const name = streamName(info.folder_name);
        const sdir = streamDir(kind, info.folder_name);
        if (dirs.has(sdir)) yield { info, name, sdir };
        else console.warn(`spikewire: For ${where} the folder ${kind}/${info.folder_name} is missing. Skipping ${name} ${kind === 'continuous' ? 'continuous' : 'event'} stream.`);
      }
    }

    let continuous: Map<string, ContinuousStream> | null = null;
    if (dirs.has(joinPath(dir, 'continuous')) && oebin.continuous.length > 0) {
      continuous = new Map();
      for (const { info, name, sdir } of present('continuous', oebin.continuous)) {
        const has = {
          sampleNumbers: fileSet.has(`${sdir}/sample_numbers.npy`),
          timestamps: fileSet.has(`${sdir}/timestamps.npy`),
          synchronizedTimestamps: fileSet.has(`${sdir}/synchronized_timestamps.npy`),
        };
        continuous.set(name, { name, oebin: info, dir: sdir, has });
      }
    }
    let events: Map<string, EventStream> | null = null;
    if (dirs.has(joinPath(dir, 'events')) && oebin.events.length > 0) {
      events = new Map();
      for (const { info, name, sdir } of present('events', oebin.events)) {
        const found: Record<string, string> = {};
        for (const array of EVENT_ARRAYS) if (fileSet.has(`${sdir}/${array}.npy`)) found[array] = `${sdir}/${array}.npy`;
        events.set(name, { name, oebin: info, dir: sdir, files: found });
      }
    }
    experiment.recordings.set(recordingId, { name: recordingName, id: recordingId, dir, continuous, events });
  }
  if (nodes.size === 0) {
    throw new SpikewireError('NOT_FOUND', `${reader.name} is not a valid Open Ephys binary folder. No 'structure.oebin' files were found in sub-folders.`);
  }
  if (opts.ownWarnings !== false) warnRecordingsWithoutOebin(reader.name, dirs, fileSet, wanted);
  // numpy's argsort of the numbers (quicksort: equal numbers keep no particular order).
  const experimentNames = [...possible].sort((a, b) => a.id - b.id).map((e) => e.name);
  return { reader, nodes, experimentNames };
}

/**
 * neo skips a recording folder without structure.oebin without a word: a segment of the experiment
 * is then missing from the recording. Warns for each such folder that holds samples (a continuous/
 * folder) beside recordings that have their structure.oebin.
 */
function warnRecordingsWithoutOebin(root: string, dirs: ReadonlySet<string>, files: ReadonlySet<string>, wanted: readonly string[] | null): void {
  for (const dir of dirs) {
    const parts = dir.split('/');
    if (!/^recording\d+$/.test(parts[parts.length - 1]) || files.has(`${dir}/structure.oebin`) || !dirs.has(`${dir}/continuous`)) continue;
    const experiment = parts.slice(0, -1).join('/');
    if (wanted !== null && !wanted.includes(stem(parts[parts.length - 2] ?? ''))) continue;
    const siblings = [...files].some((f) => f.startsWith(`${experiment}/recording`) && f.endsWith('/structure.oebin') && f.split('/').length === parts.length + 1);
    if (siblings) console.warn(`spikewire: ${root}/${dir} has no structure.oebin: its samples are skipped, as SpikeInterface skips them (the recording has a segment fewer)`);
  }
}

const byNumber = (a: number, b: number) => a - b;

/** Continuous stream names of a recording, sorted; `FORMAT` when it has none (neo's KeyError). */
export function continuousNames(recording: RecordingFolder): string[] {
  if (!recording.continuous) {
    throw new SpikewireError('FORMAT', `${recording.dir || 'the folder'}: ${recording.name} has no continuous stream (no continuous/ folder, or none listed in its structure.oebin)`);
  }
  return [...recording.continuous.keys()].sort();
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * neo's check_folder_consistency: the same experiments in every node, the same streams in every
 * recording (`FORMAT` otherwise). Separate from discovery, as in neo: listing the experiments does not
 * check them.
 */
export function checkConsistency(folder: OpenephysFolder): void {
  const nodes = [...folder.nodes.values()];
  if (nodes.length > 1) {
    const names = new Set([...nodes[0].experiments.values()].map((e) => e.name));
    for (const node of nodes) {
      if (![...node.experiments.values()].every((e) => names.has(e.name))) {
        throw new SpikewireError('FORMAT', 'Inconsistent experiments across recording nodes!');
      }
    }
  }
  const experiments = nodes[0].experiments;
  for (const experiment of experiments.values()) {
    if (experiment.recordings.size <= 1) continue;
    let first: string[] | null = null;
    for (const recording of experiment.recordings.values()) {
      const names = continuousNames(recording);
      first ??= names;
      if (!sameList(first, names)) {
        throw new SpikewireError(
          'FORMAT',
          'Inconsistent continuous streams across segments! Streams for different segments in the same experiment must be the same. Check your open ephys folder.',
        );
      }
    }
  }
  if (experiments.size > 1) {
    let first: string[] | null = null;
    for (const experiment of experiments.values()) {
      const names = continuousNames(experiment.recordings.values().next().value!);
      first ??= names;
      if (!sameList(first, names)) {
        throw new SpikewireError(
          'FORMAT',
          'Inconsistent continuous streams across blocks (experiments)! Streams for different experiments in the same folder must be the same. ' +
            `You can load a subset of experiments with the 'experimentName' option: ${pyStrList(folder.experimentNames)}`,
        );
      }
    }
  }
}

/** Experiments of a node by number, and recordings of an experiment by number (neo's sorting). */
export function sortedExperiments(node: RecordNode): ExperimentFolder[] {
  return [...node.experiments.keys()].sort(byNumber).map((id) => node.experiments.get(id)!);
}

/** The recordings of an experiment in number order. */
export function sortedRecordings(experiment: ExperimentFolder): RecordingFolder[] {
  return [...experiment.recordings.keys()].sort(byNumber).map((id) => experiment.recordings.get(id)!);
}

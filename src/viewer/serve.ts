// The worker side of openRecordingWorker: opens recordings with the worker's own kernel, answers
// windows of traces and envelopes (their buffers transferred, not copied), applies preprocessing,
// and stops any request the page aborts.
import type { BaseRecording } from '../core/recording.js';
import { SpikewireError, describe } from '../errors.js';
import { BinaryRecordingExtractor, type BinaryRecordingOptions } from '../extractors/binary-recording.js';
import { readOpenephys } from '../extractors/openephys/recording.js';
import { readSpikeglx } from '../extractors/spikeglx/recording.js';
import { type LoadSource, load } from '../formats/load.js';
import type { FolderInput } from '../store/open-folder.js';
import { commonReference } from '../preprocessing/common-reference.js';
import { decimate } from '../preprocessing/decimate.js';
import {
  astype, blankSaturation, clip, rectify, scale, scaleToUV, unsignedToSigned,
} from '../preprocessing/elementwise.js';
import { bandpassFilter, causalFilter, filter, highpassFilter, notchFilter } from '../preprocessing/filter.js';
import { phaseShift } from '../preprocessing/phase-shift.js';
import { getEnvelopes } from './envelopes.js';
import {
  type MessagePortLike, type PreprocessingStep, type RecordingInfo, type WireFiles, type WireSource, listen, toWireError,
} from './protocol.js';

type Options = Record<string, unknown>;
type Step = (recording: BaseRecording, options: Options) => BaseRecording | Promise<BaseRecording>;

/** The preprocessors a proxy may ask for, by name (nothing else is ever called). */
const STEPS: Record<PreprocessingStep['name'], Step> = {
  highpassFilter: (r, o) => highpassFilter(r, o),
  bandpassFilter: (r, o) => bandpassFilter(r, o),
  notchFilter: (r, o) => notchFilter(r, o),
  filter: (r, o) => filter(r, o),
  causalFilter: (r, o) => causalFilter(r, o),
  commonReference: (r, o) => commonReference(r, o),
  phaseShift: (r, o) => phaseShift(r, o),
  scale: (r, o) => scale(r, o),
  scaleToUV: (r) => scaleToUV(r),
  unsignedToSigned: (r, o) => unsignedToSigned(r, o),
  astype: (r, o) => astype(r, o),
  clip: (r, o) => clip(r, o),
  blankSaturation: (r, o) => blankSaturation(r, o),
  rectify: (r) => rectify(r),
  decimate: (r, o) => decimate(r, o.decimationFactor as number, o),
};

/** Most preprocessing steps one request may chain. */
const MAX_STEPS = 32;

function fail(message: string): never {
  throw new SpikewireError('INVALID_ARGUMENT', message);
}

/** The description sent with every opened or derived recording. */
export function describeRecording(recording: BaseRecording): RecordingInfo {
  const segments = Array.from({ length: recording.getNumSegments() }, (_, i) => i);
  const properties: RecordingInfo['properties'] = {};
  for (const key of recording.getPropertyKeys()) properties[key] = recording.getProperty(key) as unknown[];
  let dict: RecordingInfo['dict'] = null;
  try {
    dict = recording.toDict({ includeAnnotations: true, includeProperties: true, recursive: true });
  } catch {
    // samples in memory: no dict (the proxy says so where it is asked for)
  }
  const scaleable = recording.hasScaleableTraces();
  return {
    repr: String(recording),
    className: recording.constructor.name,
    channelIds: recording.getChannelIds(),
    samplingFrequency: recording.getSamplingFrequency(),
    dtype: recording.getDtype(),
    numSamples: segments.map((i) => recording.getNumSamples(i)),
    startTimes: segments.map((i) => recording.getStartTime(i)),
    hasTimeVector: segments.map((i) => recording.hasTimeVector(i)),
    hasScaleableTraces: scaleable,
    gains: scaleable ? Array.from(recording.getChannelGains()) : null,
    offsets: scaleable ? Array.from(recording.getChannelOffsets()) : null,
    properties,
    probegroup: recording.hasProbe() ? recording.getProbegroup().toDict() : null,
    channelLocations: recording.hasProbe() ? Array.from(recording.getChannelLocations()) : null,
    dict,
  };
}

/**
 * The Files of a picked folder as they arrived: structured cloning keeps a File's name and bytes, not
 * its place in the chosen folder (and Node's clones a File as a plain Blob), so each File is rebuilt
 * around its bytes with its path.
 */
function pickedFiles(entries: WireFiles): File[] {
  if (!Array.isArray(entries)) return fail(`the recording worker expected a list of picked files, got ${describe(entries)}`);
  return entries.map(({ path, file }) => {
    const named = typeof File !== 'undefined' && file instanceof File ? file : new File([file], path.split('/').pop() ?? path);
    return Object.defineProperty(named, 'webkitRelativePath', { value: path, configurable: true });
  });
}

/** Only `keys` of `options` (what a reader is given from a message, and nothing else). */
function pick(options: unknown, keys: readonly string[]): Options {
  const out: Options = {};
  if (!options || typeof options !== 'object') return out;
  for (const key of keys) if ((options as Options)[key] !== undefined) out[key] = (options as Options)[key];
  return out;
}

/** Opens what the proxy sent. */
async function openWire(source: WireSource, signal: AbortSignal, options: Options): Promise<BaseRecording> {
  const common = { signal, timeoutMs: options.timeoutMs as number | undefined, allowedOrigins: options.allowedOrigins as never };
  switch (source?.kind) {
    case 'load':
      return load(source.source as LoadSource, common);
    case 'files':
      return load(pickedFiles(source.entries), common);
    case 'binary':
      return BinaryRecordingExtractor.open(source.options as unknown as BinaryRecordingOptions);
    case 'acquisition': {
      const wire = (source.folder ?? {}) as Partial<{ entries: WireFiles; value: unknown }>;
      const folder = typeof wire === 'object' && 'entries' in wire ? pickedFiles(wire.entries!) : (wire.value as FolderInput);
      const choice = pick(source.options, ['streamId', 'streamName', 'files']);
      if (source.format === 'spikeglx') return readSpikeglx(folder, { ...choice, ...common });
      if (source.format === 'openephys') return readOpenephys(folder, { ...choice, ...pick(source.options, ['blockIndex', 'experimentName']), ...common });
      return fail(`the recording worker cannot open the acquisition format ${describe(source.format)}: expected 'spikeglx' or 'openephys'`);
    }
    default:
      return fail(`the recording worker cannot open ${describe(source)}`);
  }
}

async function preprocess(recording: BaseRecording, steps: unknown): Promise<BaseRecording> {
  if (!Array.isArray(steps) || steps.length > MAX_STEPS) fail(`preprocess: expected a list of at most ${MAX_STEPS} steps, got ${describe(steps)}`);
  let out = recording;
  for (const step of steps as PreprocessingStep[]) {
    const name = step?.name;
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(STEPS, name)) {
      fail(`preprocess: unknown step ${describe(name)}: expected one of ${Object.keys(STEPS).join(', ')}`);
    }
    out = await STEPS[name](out, { ...(step.options ?? {}) });
  }
  return out;
}

/** A typed array that owns its whole buffer, so that the buffer can be transferred. */
function owned<A extends ArrayBufferView>(array: A): A {
  const whole = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength && array.buffer instanceof ArrayBuffer;
  return whole ? array : ((array as unknown as { slice(): A }).slice());
}

interface Request {
  id: number;
  type: string;
  [key: string]: unknown;
}

/**
 * Serves recordings to {@link openRecordingWorker} proxies over `port`: inside a browser Worker call
 * it with no argument (the worker's own scope), in a Node worker thread with `parentPort`, or with any
 * MessagePort. Each recording is read with this worker's own kernel; windows of traces and envelopes
 * go back with their buffers transferred. Returns a function that stops serving and closes every
 * recording it opened.
 */
export function serveRecordingWorker(port: MessagePortLike = globalThis as unknown as MessagePortLike): () => Promise<void> {
  const recordings = new Map<number, { recording: BaseRecording; root: boolean }>();
  const running = new Map<number, AbortController>();
  let nextHandle = 0;

  const recordingOf = (handle: unknown): BaseRecording => {
    const entry = recordings.get(handle as number);
    if (!entry) throw new SpikewireError('INVALID_ARGUMENT', `no open recording with handle ${describe(handle)} in this worker (closed already?)`);
    return entry.recording;
  };
  const register = (recording: BaseRecording, root: boolean) => {
    const handle = ++nextHandle;
    recordings.set(handle, { recording, root });
    return { handle, info: describeRecording(recording) };
  };

  async function answer(m: Request, signal: AbortSignal): Promise<{ value: unknown; transfer?: Transferable[] }> {
    switch (m.type) {
      case 'ping':
        return { value: 'pong' };
      case 'open':
        return { value: register(await openWire(m.source as WireSource, signal, (m.options ?? {}) as Options), true) };
      case 'preprocess':
        return { value: register(await preprocess(recordingOf(m.handle), m.steps), false) };
      case 'traces': {
        const { segmentIndex, startFrame, endFrame, channelIds, returnInUV } = m.options as Options;
        const traces = await recordingOf(m.handle).getTraces({ segmentIndex, startFrame, endFrame, channelIds, returnInUV, signal } as never);
        const data = owned(traces.data);
        return { value: { data, shape: traces.shape, dtype: traces.dtype }, transfer: [data.buffer as ArrayBuffer] };
      }
      case 'envelopes': {
        const env = await getEnvelopes(recordingOf(m.handle), { ...(m.options as Options), signal } as never);
        return { value: env, transfer: [env.min.buffer as ArrayBuffer, env.max.buffer as ArrayBuffer] };
      }
      case 'close': {
        const entry = recordings.get(m.handle as number);
        recordings.delete(m.handle as number);
        // a derived recording shares its parent's sources: only the opened one closes them
        if (entry?.root) await entry.recording.close();
        return { value: null };
      }
      default:
        return fail(`the recording worker does not know the request ${describe(m.type)}`);
    }
  }

  const stop = listen(port, (data) => {
    const m = data as Request | null;
    if (!m || typeof m !== 'object' || typeof m.id !== 'number') return; // not ours
    if (m.type === 'abort') {
      running.get(m.target as number)?.abort(new SpikewireError('ABORTED', 'the request was aborted by the page'));
      return;
    }
    const controller = new AbortController();
    running.set(m.id, controller);
    const failed = (error: unknown) => port.postMessage({ id: m.id, ok: false, error: toWireError(error) });
    answer(m, controller.signal).then(
      ({ value, transfer = [] }) => {
        try {
          port.postMessage({ id: m.id, ok: true, value }, transfer);
        } catch (error) {
          failed(error); // a value that cannot be cloned: say so rather than leave the proxy waiting
        }
      },
      failed,
    ).finally(() => running.delete(m.id));
  });

  return async () => {
    stop();
    for (const controller of running.values()) controller.abort(new SpikewireError('ABORTED', 'the recording worker stopped serving'));
    const roots = [...recordings.values()].filter((e) => e.root).map((e) => e.recording);
    recordings.clear();
    await Promise.all(roots.map((r) => r.close().catch(() => {})));
  };
}

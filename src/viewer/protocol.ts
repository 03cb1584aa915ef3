// What the recording worker and its proxy say to each other, over anything that posts messages: a
// browser Worker or its global scope, a MessagePort, Node's worker_threads Worker or parentPort.
import type { ChannelId } from '../core/ids.js';
import type { ExtractorDict } from '../core/serialize.js';
import type { DType } from '../dtype.js';
import { ErrorCodes, SpikewireError, type SpikewireErrorCode } from '../errors.js';
import type { ProbeGroupDict } from '../probe/index.js';

/**
 * Anything that posts and receives messages: a browser `Worker` (or, inside it, `self`), a
 * `MessagePort`, Node's `worker_threads` `Worker` or `parentPort`. Either `addEventListener`
 * (events with `data`) or `on` (the data itself) is used, whichever exists.
 */
export interface MessagePortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener?(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener?(type: 'message', listener: (event: MessageEvent) => void): void;
  on?(type: 'message', listener: (data: unknown) => void): unknown;
  off?(type: 'message', listener: (data: unknown) => void): unknown;
  /** MessagePorts deliver nothing to addEventListener listeners until started. */
  start?(): void;
}

/** Calls `listener` with each message's data; returns the function that stops listening. */
export function listen(port: MessagePortLike, listener: (data: unknown) => void): () => void {
  if (typeof port.addEventListener === 'function') {
    const onEvent = (event: MessageEvent) => listener(event.data);
    port.addEventListener('message', onEvent);
    port.start?.();
    return () => port.removeEventListener?.('message', onEvent);
  }
  if (typeof port.on === 'function') {
    port.on('message', listener);
    return () => port.off?.('message', listener);
  }
  throw new SpikewireError('INVALID_ARGUMENT', 'expected a Worker or a MessagePort (something with postMessage and addEventListener or on)');
}

/** A recording's description, sent once when it is opened: what a viewer needs without asking again. */
export interface RecordingInfo {
  /** SpikeInterface's repr (`String(recording)`). */
  repr: string;
  /** The recording's class (`BinaryFolderRecording`, `HighpassFilterRecording`, ...). */
  className: string;
  channelIds: ChannelId[];
  samplingFrequency: number;
  dtype: DType;
  /** Frames of each segment. */
  numSamples: number[];
  /** Start time of each segment in seconds. */
  startTimes: number[];
  /** Whether each segment has a time vector (its times are then not start + frame / fs). */
  hasTimeVector: boolean[];
  hasScaleableTraces: boolean;
  /** Per channel, or null without gains. */
  gains: number[] | null;
  offsets: number[] | null;
  /** Every property, by key (as getProperty gives it). */
  properties: Record<string, unknown[] | ArrayLike<number>>;
  /** ProbeInterface's dict of the attached probe group, or null. */
  probegroup: ProbeGroupDict | null;
  /** Channel locations, `[numChannels][2]` flattened (x, y), or null without a probe. */
  channelLocations: number[] | null;
  /** SpikeInterface's dict (recursive), or null when the recording cannot be described by one. */
  dict: ExtractorDict | null;
}

/** A preprocessing step applied in the worker: one of SpikeInterface's preprocessors, by its spikewire name. */
export interface PreprocessingStep {
  name:
    | 'highpassFilter' | 'bandpassFilter' | 'notchFilter' | 'filter' | 'causalFilter' | 'commonReference' | 'phaseShift'
    | 'scale' | 'scaleToUV' | 'unsignedToSigned' | 'astype' | 'clip' | 'blankSaturation' | 'rectify' | 'decimate';
  /** The function's options object (decimate: `{ decimationFactor, ... }`). */
  options?: Record<string, unknown>;
}

/** Picked files as they travel: each with its path in the chosen folder (structured cloning drops it). */
export type WireFiles = { path: string; file: File }[];

/** A source as it travels to the worker. */
export type WireSource =
  | { kind: 'load'; source: unknown }
  | { kind: 'files'; entries: WireFiles }
  | { kind: 'binary'; options: Record<string, unknown> }
  | {
    kind: 'acquisition';
    format: 'spikeglx' | 'openephys';
    /** Picked files, or what travels as it is: a URL's text, a path (Node), a FileSystemDirectoryHandle. */
    folder: { entries: WireFiles } | { value: unknown };
    /** The reader's stream choice and the HTTP folder's `files` listing. */
    options: Record<string, unknown>;
  };

/** An error as it travels back. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** The error to send for `error`. */
export function toWireError(error: unknown): WireError {
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | null;
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    code: typeof e?.code === 'string' ? e.code : undefined,
  };
}

/** The SpikewireError a received error stands for (its code kept; other errors become `IO`). */
export function fromWireError(error: WireError): SpikewireError {
  const code = error.code && Object.prototype.hasOwnProperty.call(ErrorCodes, error.code) ? (error.code as SpikewireErrorCode) : null;
  if (code) return new SpikewireError(code, error.message);
  return new SpikewireError('IO', `the recording worker failed: ${error.name}: ${error.message}`);
}

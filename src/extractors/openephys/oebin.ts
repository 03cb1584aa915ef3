// structure.oebin: the JSON file the Open Ephys GUI writes beside every recording, listing its
// continuous streams (folder, rate, channels with bit_volts and units) and event streams.
import { SpikewireError, describe } from '../../errors.js';
import { checkChannelLimit } from '../../core/ids.js';

/** One channel of a continuous stream, as the oebin lists it (other keys kept for annotations). */
export interface OebinChannel {
  readonly channel_name: string;
  readonly bit_volts: number;
  readonly units: string;
  readonly [key: string]: unknown;
}

/** A continuous stream of the oebin. */
export interface OebinContinuous {
  /** 'Neuropix-PXI-100.ProbeA-AP/': the stream's folder under continuous/. */
  readonly folder_name: string;
  readonly sample_rate: number;
  readonly channels: readonly OebinChannel[];
}

/** An event stream of the oebin. */
export interface OebinEvents {
  readonly folder_name: string;
  readonly channel_name: string;
  readonly sample_rate: number;
}

/** What the readers use of a structure.oebin. */
export interface Oebin {
  readonly continuous: readonly OebinContinuous[];
  readonly events: readonly OebinEvents[];
}

/** The most streams of one kind spikewire reads from one oebin (a hostile file cannot size work). */
const MAX_STREAMS = 4096;

const bad = (where: string, what: string) => new SpikewireError('FORMAT', `${where}: ${what}`);

function field<T>(entry: Record<string, unknown>, key: string, ok: (v: unknown) => v is T, expected: string, where: string): T {
  const v = entry[key];
  if (!ok(v)) throw bad(where, `${key} is ${describe(v)}, expected ${expected}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRate = (v: unknown): v is number => isNumber(v) && v > 0;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function list(root: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
  const v = root[key];
  // neo reads a list only when the recording has that folder; a missing key reads as no stream.
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw bad(where, `"${key}" is ${describe(v)}, expected a list of streams`);
  if (v.length > MAX_STREAMS) throw bad(where, `"${key}" lists ${v.length} streams, more than the ${MAX_STREAMS} spikewire reads`);
  v.forEach((e, i) => {
    if (!isObject(e)) throw bad(where, `"${key}"[${i}] is ${describe(e)}, expected an object`);
  });
  return v as Record<string, unknown>[];
}

/**
 * Parses the text of a structure.oebin (`where` names it in messages). `FORMAT` when it is not JSON,
 * or a stream misses its folder_name, sample_rate or channels, or a channel its channel_name,
 * bit_volts or units (the keys neo reads).
 */
export function parseOebin(text: string, where: string): Oebin {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (error) {
    throw bad(where, `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(root)) throw bad(where, `expected a JSON object, got ${describe(root)}`);
  const continuous = list(root, 'continuous', where).map((entry, i): OebinContinuous => {
    const at = `${where} continuous[${i}]`;
    const channels = field(entry, 'channels', Array.isArray, 'a list of channels', at) as unknown[];
    checkChannelLimit(channels.length);
    return {
      ...entry,
      folder_name: field(entry, 'folder_name', isString, 'a folder name', at),
      sample_rate: field(entry, 'sample_rate', isRate, 'a positive sampling rate in Hz', at),
      channels: channels.map((c, j) => {
        if (!isObject(c)) throw bad(at, `channels[${j}] is ${describe(c)}, expected an object`);
        const cat = `${at} channels[${j}]`;
        return {
          ...c,
          channel_name: field(c, 'channel_name', isString, 'a string', cat),
          bit_volts: field(c, 'bit_volts', isNumber, 'a number', cat),
          units: field(c, 'units', isString, 'a string', cat),
        };
      }),
    };
  });
  const events = list(root, 'events', where).map((entry, i): OebinEvents => {
    const at = `${where} events[${i}]`;
    return {
      ...entry,
      folder_name: field(entry, 'folder_name', isString, 'a folder name', at),
      channel_name: field(entry, 'channel_name', isString, 'a string', at),
      sample_rate: field(entry, 'sample_rate', isRate, 'a positive sampling rate in Hz', at),
    };
  });
  return { continuous, events };
}

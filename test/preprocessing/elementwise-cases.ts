// The elementwise cases of the preprocessing fixtures (misc/*) and how each is built in this API.
import {
  BinaryRecordingExtractor, astype, blankSaturation, clip, decimate, rectify, scale, scaleToUV, unsignedToSigned, type BaseRecording,
} from '../../src/index.js';
import { readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
import { DIR, camelOptions, openSource } from './helpers.js';

/** Every elementwise case of misc/. */
export const ELEMENTWISE_CASES = [
  'scale_per_channel', 'scale_int16', 'scale_to_uV', 'unsigned_to_signed', 'unsigned_to_signed_bit_depth12', 'astype_float32',
  'scale_astype_int16_round', 'clip', 'blank_saturation_abs', 'rectify_unsigned_to_signed', 'decimate', 'decimate_offset',
  'decimate_offset_past_end',
];

/** A source of the fixtures: u16 has no probe. */
export async function open(name: string): Promise<BaseRecording> {
  if (name !== 'u16') return openSource(name);
  const dir = `${DIR}/sources/${name}`;
  const k = (await readFixtureJson(`${dir}/source.dump.json`)).kwargs;
  const sources = await Promise.all(k.file_paths.map(async (p: string) => new Blob([(await readFixtureBytes(`${dir}/${p}`)) as Uint8Array<ArrayBuffer>])));
  return BinaryRecordingExtractor.open({
    sources, samplingFrequency: k.sampling_frequency, numChannels: k.num_channels, dtype: k.dtype,
    channelIds: k.channel_ids, gainToUV: k.gain_to_uV, offsetToUV: k.offset_to_uV,
  });
}

/** One step of a fixture's chain, in this API. */
function apply(rec: BaseRecording, step: { function: string; kwargs: Record<string, any> }): BaseRecording | Promise<BaseRecording> {
  const o = camelOptions<any>(step.kwargs);
  switch (step.function) {
    case 'scale': return scale(rec, o);
    case 'scale_to_uV': return scaleToUV(rec);
    case 'unsigned_to_signed': return unsignedToSigned(rec, o);
    case 'astype': return astype(rec, o);
    case 'clip': return clip(rec, o);
    case 'blank_saturation': return blankSaturation(rec, o);
    case 'rectify': return rectify(rec);
    case 'decimate': return decimate(rec, o.decimationFactor, { decimationOffset: o.decimationOffset });
  }
  throw new Error(`no step ${step.function}`);
}

/** The fixture's chain applied to its source. */
export async function buildCase(e: any): Promise<BaseRecording> {
  let rec = await open(e.source);
  for (const step of e.chain) rec = await apply(rec, step);
  return rec;
}


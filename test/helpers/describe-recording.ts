// Compares a recording with one of the fixtures' "recording descriptions" (ids, sizes, times,
// properties, repr, every trace window raw and in µV bit for bit, full-segment hashes, and the probe:
// has_probe, channel_locations, the stored probegroup and its global wiring).
import { expect } from 'vitest';
import { SpikewireError, type BaseRecording } from '../../src/index.js';
import { base64ToBytes, decodeArrayEntry, sha256Hex } from './fixtures.js';
import { propertyValues } from '../core/fixture-build.js';

export const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const numpyDtype: Record<string, string> = {
  int8: '|i1', uint8: '|u1', int16: '<i2', uint16: '<u2', int32: '<i4', uint32: '<u4', float32: '<f4', float64: '<f8',
};

export interface DescriptionOptions {
  /** Compare the repr text (default true). */
  repr?: boolean;
  /** The recording is a view of a reloaded folder: compare property keys as a set. */
  view?: boolean;
  /**
   * Compare the probe (default true): has_probe, channel_locations (xy), probegroup (ProbeGroup.to_dict
   * of the stored, channel-ordered group) and probegroup_global_device_channel_indices.
   */
  probe?: boolean;
  /** Same as `probe: false`. */
  noProbe?: boolean;
}

/** Compares a recording with one of the fixture's recording descriptions. */
export async function expectDescription(rec: BaseRecording, d: any, opts: DescriptionOptions = {}) {
  const ids = decodeArrayEntry(d.channel_ids, { int64: 'number' }).flat;
  expect(rec.getChannelIds()).toEqual(ids);
  expect(rec.getNumChannels()).toBe(d.num_channels);
  expect(rec.getSamplingFrequency()).toBe(d.sampling_frequency);
  expect(rec.getNumSegments()).toBe(d.num_segments);
  expect(numpyDtype[rec.getDtype()]).toBe(d.dtype);
  expect(rec.getTotalSamples()).toBe(d.total_samples);
  expect(rec.getTotalDuration()).toBe(d.total_duration);
  expect(rec.getTotalMemorySize()).toBe(d.total_memory_size);
  expect(rec.isFiltered()).toBe(d.is_filtered);
  expect(rec.hasScaleableTraces()).toBe(d.has_scaleable_traces);
  if (opts.repr !== false) expect(rec.toString()).toBe(d.repr);
  const annotations = Object.fromEntries(rec.getAnnotationKeys().map((k) => [k, rec.getAnnotation(k)]));
  expect(annotations).toEqual(d.annotations);
  // Views in the fixtures were taken from the reloaded folder, whose key order is the directory's
  // order; ours keep the source's order, so for views only the set of keys is compared.
  if (opts.view) expect([...rec.getPropertyKeys()].sort()).toEqual([...d.property_keys].sort());
  else expect(rec.getPropertyKeys()).toEqual(d.property_keys);
  for (const key of d.property_keys) {
    const entry = d.properties[key];
    const got = rec.getProperty(key)!;
    expect(rec.getPropertyColumn(key)!.dtype).toBe(entry.dtype);
    const want = propertyValues(entry);
    expect(Array.from(got as ArrayLike<unknown>)).toEqual(Array.from(want as ArrayLike<unknown>));
  }
  if (opts.probe !== false && !opts.noProbe && d.has_probe !== undefined) expectProbeDescription(rec, d);
  if (d.has_scaleable_traces) {
    const gains = decodeArrayEntry(d.channel_gains).values as Float64Array;
    const offsets = decodeArrayEntry(d.channel_offsets).values as Float64Array;
    expect(Array.from(rec.getChannelGains())).toEqual(Array.from(gains, Math.fround));
    expect(Array.from(rec.getChannelOffsets())).toEqual(Array.from(offsets, Math.fround));
  }
  for (let i = 0; i < d.num_segments; i++) {
    const s = d.segments[i];
    expect(rec.getNumSamples(i)).toBe(s.num_samples);
    expect(rec.getDuration(i)).toBe(s.duration);
    expect(rec.getMemorySize(i)).toBe(s.memory_size);
    expect(rec.getStartTime(i)).toBe(s.start_time);
    expect(rec.getEndTime(i)).toBe(s.end_time);
    expect(rec.hasTimeVector(i)).toBe(s.has_time_vector);
    const times = await rec.getTimes(i);
    const head = Array.from(decodeArrayEntry(s.times_head).values as Float64Array);
    const tail = Array.from(decodeArrayEntry(s.times_tail).values as Float64Array);
    expect(Array.from(times.subarray(0, head.length))).toEqual(head);
    expect(Array.from(times.subarray(times.length - tail.length))).toEqual(tail);
    expect(await sha256Hex(bytesOf(times))).toBe(s.times_sha256);
  }
  for (const w of d.windows ?? []) {
    const call = rec.getTraces({
      segmentIndex: w.segment_index,
      startFrame: w.start_frame,
      endFrame: w.end_frame,
      channelIds: w.channel_ids ?? undefined,
      returnInUV: w.return_in_uV,
    });
    if (w.error) {
      await expect(call).rejects.toBeInstanceOf(SpikewireError);
      await expect(call).rejects.toMatchObject({ code: 'NOT_SCALEABLE' });
      continue;
    }
    const traces = await call;
    expect(traces.shape).toEqual(w.traces.shape);
    expect(numpyDtype[traces.dtype]).toBe(w.traces.dtype);
    expect(bytesOf(traces.data)).toEqual(base64ToBytes(w.traces.b64));
  }
  for (let i = 0; i < (d.segment_hashes ?? []).length; i++) {
    const h = d.segment_hashes[i];
    const raw = await rec.getTraces({ segmentIndex: i });
    expect(raw.shape).toEqual(h.raw_shape);
    expect(await sha256Hex(bytesOf(raw.data))).toBe(h.raw_sha256);
    if (h.scaled_sha256) {
      const scaled = await rec.getTraces({ segmentIndex: i, returnInUV: true });
      expect(await sha256Hex(bytesOf(scaled.data))).toBe(h.scaled_sha256);
    }
  }
}


/** The probe part of a description: has_probe, channel_locations, probegroup and its global wiring. */
export function expectProbeDescription(rec: BaseRecording, d: any) {
  expect(rec.hasProbe(), 'has_probe').toBe(d.has_probe);
  if (!d.has_probe) {
    expect(d.channel_locations).toBeNull();
    expect(() => rec.getChannelLocations()).toThrow(/needs a probe to be attached to the recording/);
    return;
  }
  const want = decodeArrayEntry(d.channel_locations);
  expect(d.channel_locations.dtype).toBe('<f8');
  expect(d.channel_locations.shape).toEqual([rec.getNumChannels(), 2]);
  const locations = rec.getChannelLocations();
  expect(locations).toBeInstanceOf(Float64Array);
  expect(Array.from(locations), 'channel_locations').toEqual(Array.from(want.values as Float64Array));
  const pg = rec.getProbegroup();
  expect(pg.toDict(), 'probegroup').toEqual(d.probegroup);
  expect(pg.getGlobalDeviceChannelIndices().deviceChannelIndices, 'probegroup_global_device_channel_indices').toEqual(d.probegroup_global_device_channel_indices);
}

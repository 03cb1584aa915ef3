// commonReference against SpikeInterface's preprocessing fixtures (common_reference/*): the recording's
// description (repr, ids, dtype, properties, probe, every window raw and in µV, bit for bit), the full
// segment 1 against traces_seg1.npy, to_dict, slice views, and the calls
// SpikeInterface refuses.
import { describe, expect, it, vi } from 'vitest';
import { CommonReferenceRecording, SpikewireError, commonReference, type BaseRecording, type CommonReferenceOptions } from '../../src/index.js';
import { expectDescription } from '../helpers/describe-recording.js';
import { expectCode } from '../helpers/expect-error.js';
import { readFixtureJson } from '../helpers/fixtures.js';
import { COMMON_REFERENCE_CASES as CASES, DIR, camelOptions, compareFullSegment, openSource, plain, withoutNested } from './helpers.js';

describe.each(CASES)('common_reference/%s', (c) => {
  it('builds as SpikeInterface: description, windows, full segment, to_dict', async () => {
    const e = await readFixtureJson(`${DIR}/common_reference/${c}/expected.json`);
    const source = await openSource(e.source);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let rec: BaseRecording;
    try {
      rec = commonReference(source, camelOptions<CommonReferenceOptions>(e.chain[0].kwargs));
      // SpikeInterface's construction warnings, word for word
      expect(warn.mock.calls.map((call) => String(call[0]).replace(/^spikewire: /, ''))).toEqual(
        e.warnings_construction.map((w: string) => w.replace(/^UserWarning: /, '')),
      );
    } finally {
      warn.mockRestore();
    }
    expect(rec).toBeInstanceOf(CommonReferenceRecording);
    expect(e.declared_dtype).toBe(e.returned_dtype);
    // every window raw and in µV, bit for bit, and the one-call full-segment hashes
    await expectDescription(rec, e.recording);
    const full = await compareFullSegment(rec, `common_reference/${c}`);
    expect(full.dtype).toBe(e.full_segment.dtype);
    expect(full.maxAbs).toBe(0);
    // to_dict: everything but the nested source's file paths
    const dict = rec.toDict({ recursive: true });
    expect(withoutNested(dict)).toEqual(withoutNested(e.to_dict));
    const parentKwargs = { ...(plain(dict.kwargs.recording) as any).kwargs };
    const wantKwargs = { ...e.to_dict.kwargs.recording.kwargs };
    delete parentKwargs.file_paths;
    delete wantKwargs.file_paths;
    expect(parentKwargs).toEqual(wantKwargs);
  });
});

describe('common_reference slice views (cmr_global_median)', () => {
  it('a channel slice of the CMR keeps the reference over all channels; CMR of a slice uses the slice', async () => {
    const e = await readFixtureJson(`${DIR}/common_reference/cmr_global_median/expected.json`);
    const source = await openSource('s16');
    const [after, before] = e.slice_views;
    const ids = after.recording.channel_ids.data;
    const sliced = commonReference(source).selectChannels(ids);
    await expectDescription(sliced, after.recording);
    expect(withoutNested(sliced.toDict({ recursive: true }).kwargs.parent_recording)).toEqual(withoutNested(after.to_dict.kwargs.parent_recording));
    const other = commonReference(source.selectChannels(ids));
    await expectDescription(other, before.recording);
  });
});

describe('commonReference refuses what SpikeInterface refuses', () => {
  it('errors.json: local with groups, single with two ids, a bad operator', async () => {
    const errors = (await readFixtureJson(`${DIR}/errors.json`)).errors;
    const names = errors.filter((x: any) => x.call.startsWith('common_reference')).map((x: any) => x.name).sort();
    expect(names).toEqual(['cmr_bad_operator', 'cmr_local_with_groups', 'cmr_single_two_ids']);
    const source = await openSource('s16');
    const g1 = [0, 1, 2, 3, 4, 5, 6, 7];
    const g2 = [8, 9, 10, 11, 12, 13, 14, 15];
    expectCode(() => commonReference(source, { reference: 'local', groups: [g1, g2] }), 'INVALID_ARGUMENT', /groups cannot be used with reference 'local'/);
    expectCode(() => commonReference(source, { reference: 'single', refChannelIds: [1, 2] }), 'INVALID_ARGUMENT', /refChannelIds \[1, 2\] without groups must be one channel id/);
    expectCode(() => commonReference(source, { operator: 'mean' as never }), 'INVALID_ARGUMENT', /operator "mean" must be 'median' or 'average'/);
  });

  it('other bad values are coded errors naming the option', async () => {
    const source = await openSource('s16');
    expectCode(() => commonReference(source, { reference: 'foo' as never }), 'INVALID_ARGUMENT', /reference "foo" must be 'global', 'single' or 'local'/);
    expectCode(() => commonReference(source, { refChannelIds: 'out_of_group' }), 'INVALID_ARGUMENT', /'out_of_group' needs groups/);
    expectCode(() => commonReference(source, { reference: 'single' }), 'INVALID_ARGUMENT', /needs refChannelIds/);
    expectCode(() => commonReference(source, { dtype: 'uint16' }), 'INVALID_ARGUMENT', /unsigned/);
    expectCode(() => commonReference(source, { refChannelIds: [99] }), 'CHANNEL_NOT_FOUND');
    expectCode(() => commonReference(source, { reference: 'local', localRadius: [30] }), 'INVALID_ARGUMENT', /localRadius/);
    expectCode(() => commonReference(source, { minLocalNeighbors: 0 }), 'INVALID_ARGUMENT', /minLocalNeighbors must be a positive integer, got 0/);
    expectCode(() => commonReference({} as never), 'INVALID_ARGUMENT', /recording must be a recording/);
    expect(() => commonReference(source, { groups: [[0, 1], [2]], refChannelIds: [[3]] })).toThrow(SpikewireError);
    expectCode(() => commonReference(source, { refChannelIds: [] }), 'INVALID_ARGUMENT', /refChannelIds is empty/);
    expectCode(() => commonReference(source, { groups: [[0, 1], []] }), 'INVALID_ARGUMENT', /group 1 has no reference channel/);
  });
});

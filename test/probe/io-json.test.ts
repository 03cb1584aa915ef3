// ProbeInterface JSON: every fixture file (written by ProbeInterface 0.3.2) reads into the model with
// the values read_probeinterface returned (expected.json), and writes back to the same JSON object and
// the same bytes.
import { describe, expect, it } from 'vitest';
import { Probe } from '../../src/probe/probe.js';
import { ProbeGroup } from '../../src/probe/probegroup.js';
import {
  PROBEINTERFACE_VERSION,
  parseProbeinterface,
  writeProbeinterfaceText,
} from '../../src/probe/io-json.js';
import { readProbeinterface, writeProbeinterface } from '../../src/formats/probe-files.js';
import { decodeArrayEntry, listFixtureDir, readFixtureJson, readFixtureText, type ArrayEntry } from '../helpers/fixtures.js';
import { expectCode, expectCodeAsync } from '../helpers/expect-error.js';
import { withoutFilePlatform } from '../helpers/platform.js';

const FOLDERS = ['probes', 'release-0.104.8/probes'];

/** The nested numbers of an array entry ({data, shape}) or null. */
function entryData(entry: ArrayEntry | null): unknown {
  return entry === null ? null : entry.data;
}

/** All fixture files of one folder except expected.json. */
async function probeFiles(folder: string): Promise<string[]> {
  return (await listFixtureDir(folder)).filter((f) => f.endsWith('.json') && f !== 'expected.json');
}

describe.each(FOLDERS)('fixtures in %s', (folder) => {
  it('has the files and cases we expect', async () => {
    const files = await probeFiles(folder);
    const expected = await readFixtureJson(`${folder}/expected.json`);
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const c of Object.values<any>(expected)) expect(files).toContain(c.file);
  });

  it('reads every file as read_probeinterface did (expected.json read_back)', async () => {
    const expected = await readFixtureJson(`${folder}/expected.json`);
    for (const [name, c] of Object.entries<any>(expected)) {
      const group = await readProbeinterface(await readFixtureText(`${folder}/${c.file}`));
      const rb = c.read_back;
      expect(group.probes.length, name).toBe(rb.num_probes);
      expect(group.getContactCount(), name).toBe(rb.total_contacts);
      expect(group.ndim, name).toBe(rb.ndim);
      if (rb.global_device_channel_indices !== undefined) {
        expect(group.getGlobalDeviceChannelIndices().deviceChannelIndices, name).toEqual(rb.global_device_channel_indices);
      }
      group.probes.forEach((p, i) => {
        const e = rb.probes[i];
        const at = `${name} probe ${i}`;
        expect(p.ndim, at).toBe(e.ndim);
        expect(p.siUnits, at).toBe(e.si_units);
        expect(p.getContactCount(), at).toBe(e.num_contacts);
        expect(p.getShankCount(), at).toBe(e.num_shanks);
        expect(p.getTitle(), at).toBe(e.repr);
        expect(String(p), at).toBe(e.repr);
        expect(p.name, at).toBe(e.name);
        expect(p.manufacturer, at).toBe(e.manufacturer);
        expect(p.modelName, at).toBe(e.model_name);
        expect(p.serialNumber, at).toBe(e.serial_number);
        expect(p.annotations, at).toEqual(e.annotations);
        expect(p.contactPositions, at).toEqual(entryData(e.contact_positions));
        expect(p.contactPlaneAxes, at).toEqual(entryData(e.contact_plane_axes));
        expect(p.contactShapes, at).toEqual(entryData(e.contact_shapes));
        expect(p.contactShapeParams, at).toEqual(e.contact_shape_params);
        expect(p.probePlanarContour, at).toEqual(entryData(e.probe_planar_contour));
        expect(p.contactIds, at).toEqual(entryData(e.contact_ids));
        expect(p.shankIds, at).toEqual(entryData(e.shank_ids));
        expect(p.contactSides, at).toEqual(entryData(e.contact_sides));
        if (e.device_channel_indices === null) expect(p.deviceChannelIndices, at).toBeNull();
        else expect(p.deviceChannelIndices, at).toEqual(Array.from(decodeArrayEntry(e.device_channel_indices, { int64: 'number' }).values as number[]));
        expect(Object.keys(p.contactAnnotations), at).toEqual(Object.keys(e.contact_annotations));
        for (const [k, v] of Object.entries<any>(e.contact_annotations)) {
          expect(Array.from(p.contactAnnotations[k] as ArrayLike<unknown>), `${at} ${k}`).toEqual(v);
        }
      });
    }
  });

  it('writes every file back to the same JSON object and the same bytes', async () => {
    for (const file of await probeFiles(folder)) {
      const text = await readFixtureText(`${folder}/${file}`);
      const group = await readProbeinterface(text);
      expect(writeProbeinterface(group), file).toEqual(JSON.parse(text));
      const written = writeProbeinterfaceText(group);
      if (written !== text) {
        // show the first differing line rather than two 400 KB strings
        const a = written.split('\n');
        const b = text.split('\n');
        const i = a.findIndex((line, k) => line !== b[k]);
        expect(`${file}:${i + 1}: ${a[i]}`).toBe(`${file}:${i + 1}: ${b[i]}`);
      }
      expect(written.length, file).toBe(text.length);
      // and once more through the written text
      expect(writeProbeinterfaceText(parseProbeinterface(written)), file).toBe(text);
    }
  });
});

describe('readProbeinterface inputs', () => {
  it('reads text, the parsed object, a Blob and bytes alike', async () => {
    const text = await readFixtureText('probes/multi_columns_wired_annotated.json');
    const want = JSON.parse(text);
    for (const input of [text, JSON.parse(text), new Blob([text]), new TextEncoder().encode(text)]) {
      const group = await readProbeinterface(input);
      expect(group).toBeInstanceOf(ProbeGroup);
      expect(writeProbeinterface(group)).toEqual(want);
    }
  });

  it('is lenient: older files without annotations, si_units, plane axes or version', async () => {
    const old = {
      probes: [
        {
          ndim: 2,
          contact_positions: [
            [0, 0],
            [0, 20],
          ],
          contact_shapes: ['circle', 'circle'],
          contact_shape_params: [{ radius: 5 }, { radius: 5 }],
          shank_ids: ['', ''],
          contact_ids: ['', ''],
        },
      ],
    };
    const group = await readProbeinterface(JSON.stringify(old));
    const p = group.probes[0]!;
    expect(p.siUnits).toBe('um');
    expect(p.annotations).toEqual({});
    expect(p.contactAnnotations).toEqual({});
    expect(p.shankIds).toBeNull(); // ProbeInterface's hack: all-'' shank ids mean one shank
    expect(p.contactIds).toEqual(['', '']);
    expect(p.contactPlaneAxes).toEqual([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [1, 0],
        [0, 1],
      ],
    ]);
    // ints in the text stay ints (numpy would read an int64 array), the version becomes ours
    const written = writeProbeinterfaceText(group);
    expect(written).toContain('"version": "0.3.2"');
    expect(written).toContain('"contact_positions": [\n                [\n                    0,\n                    0\n                ],');
    expect(written).toContain('"contact_plane_axes": [\n                [\n                    [\n                        1.0,');
    expect(PROBEINTERFACE_VERSION).toBe('0.3.2');
  });

  it('a string that is not JSON is a path: without a file platform, UNSUPPORTED naming the path', async () => {
    await withoutFilePlatform(async () => {
      await expectCodeAsync(readProbeinterface('some/probe.json'), 'UNSUPPORTED', /reading probe file "some\/probe\.json"/);
      await expectCodeAsync(writeProbeinterface(new Probe(), 'out/probe.json'), 'UNSUPPORTED', /writing probe file "out\/probe\.json"/);
    });
  });
});

describe('bad ProbeInterface JSON is a FORMAT error naming the field', () => {
  const base = () => JSON.parse(JSON.stringify({
    specification: 'probeinterface',
    version: '0.3.2',
    probes: [
      {
        ndim: 2,
        si_units: 'um',
        annotations: {},
        contact_annotations: {},
        contact_positions: [
          [0.5, 0.5],
          [0.5, 20.5],
        ],
        contact_plane_axes: [
          [
            [1, 0],
            [0, 1],
          ],
          [
            [1, 0],
            [0, 1],
          ],
        ],
        contact_shapes: ['circle', 'circle'],
        contact_shape_params: [{ radius: 6 }, { radius: 6 }],
        device_channel_indices: [0, 1],
      },
    ],
  }));

  const cases: [string, (d: any) => void, RegExp][] = [
    ['positions row of the wrong size', (d) => (d.probes[0].contact_positions[1] = [1, 2, 3]), /probes\[0\]\.contact_positions\[1\]: expected 2 numbers, got 3/],
    ['3d positions in a 2d probe', (d) => (d.probes[0].contact_positions = [[1, 2, 3], [4, 5, 6]]), /probes\[0\]\.contact_positions: rows have 3 coordinates but the probe has ndim 2/],
    ['positions not numbers', (d) => (d.probes[0].contact_positions[0] = ['a', 0]), /probes\[0\]\.contact_positions\[0\]: expected numbers/],
    ['positions missing', (d) => delete d.probes[0].contact_positions, /probes\[0\]\.contact_positions: missing/],
    ['plane axes count', (d) => d.probes[0].contact_plane_axes.pop(), /probes\[0\]\.contact_plane_axes: expected 2 values/],
    ['plane axes shape', (d) => (d.probes[0].contact_plane_axes[0] = [[1, 0]]), /probes\[0\]\.contact_plane_axes\[0\]: expected 2 rows/],
    ['shapes count', (d) => (d.probes[0].contact_shapes = ['circle']), /probes\[0\]\.contact_shapes: expected 2 values/],
    ['unknown shape', (d) => (d.probes[0].contact_shapes[1] = 'hexagon'), /probes\[0\]\.contact_shapes\[1\]: expected one of/],
    ['shape params missing radius', (d) => (d.probes[0].contact_shape_params[0] = { width: 3 }), /probes\[0\]\.contact_shape_params\[0\]: a circle contact needs a non-negative number 'radius'/],
    ['wiring count', (d) => (d.probes[0].device_channel_indices = [0]), /probes\[0\]\.device_channel_indices: expected 2 values/],
    ['wiring not integers', (d) => (d.probes[0].device_channel_indices = [0, 1.5]), /probes\[0\]\.device_channel_indices\[1\]: expected an integer >= -1/],
    ['contact ids count', (d) => (d.probes[0].contact_ids = ['a']), /probes\[0\]\.contact_ids: expected 2 values/],
    ['contact ids repeat', (d) => (d.probes[0].contact_ids = ['a', 'a']), /probes\[0\]\.contact_ids: contact ids must be unique/],
    ['contact sides', (d) => (d.probes[0].contact_sides = ['front', 'top']), /probes\[0\]\.contact_sides\[1\]: expected 'front' or 'back'/],
    ['contour columns', (d) => (d.probes[0].probe_planar_contour = [[0, 0, 0]]), /probes\[0\]\.probe_planar_contour\[0\]: expected 2 numbers/],
    ['contact annotation length', (d) => (d.probes[0].contact_annotations = { q: [1] }), /probes\[0\]\.contact_annotations "q": expected 2 values/],
    ['ndim', (d) => (d.probes[0].ndim = 4), /probes\[0\]\.ndim: expected 2 or 3/],
    ['probes not a list', (d) => (d.probes = {}), /probes: expected a list/],
    ['wiring overlaps across probes', (d) => d.probes.push(d.probes[0]), /probes\[1\]: device channel indices are not unique across probes/],
    ['specification', (d) => (d.specification = 'other'), /specification: expected "probeinterface"/],
  ];

  it.each(cases)('%s', (_name, change, pattern) => {
    const d = base();
    change(d);
    expectCode(() => parseProbeinterface(JSON.stringify(d)), 'FORMAT', pattern);
    expectCode(() => parseProbeinterface(d), 'FORMAT', pattern);
  });

  it('malformed JSON text', () => {
    expectCode(() => parseProbeinterface('{"probes": [', 'p.json'), 'FORMAT', /p\.json is not valid JSON/);
    expectCode(() => parseProbeinterface('{"probes": []} x'), 'FORMAT', /not valid JSON: unexpected text after the value/);
  });
});

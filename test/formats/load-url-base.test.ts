// load() of SpikeInterface's relative dumps with an http(s) base folder: the acquisition fixtures'
// `dumps/*.dump_relative.min.json` (folder_path 'data', relative to the dataset folder) loaded with
// the dataset folder's URL on the local range server as baseFolder, compared with what SpikeInterface
// reloaded from the same dump; and the paths that would leave the folder's origin, refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { load, type BaseRecording } from '../../src/index.js';
import { expectCodeAsync } from '../helpers/expect-error.js';
import { decodeArrayEntry, fixturePath, inBrowser, readFixtureJson, readFixtureText, sha256Hex } from '../helpers/fixtures.js';
import { bytesOf } from '../helpers/describe-recording.js';
import { rangeServerUrl } from '../helpers/http.js';

const DATASETS = ['spikeglx/np1_ap_lf', 'spikeglx/np1_subset', 'spikeglx/np2_4shank', 'spikeglx/nidq_2triggers', 'openephys/np1_pxi_nidaq', 'openephys/acq_board_2exp'];

let server = '';
beforeAll(async () => {
  server = await rangeServerUrl();
});

/** The dataset folder's URL (with index pages, as `python -m http.server` serves a folder). */
const folderUrl = (ds: string) => `${server}/index/acquisition/${ds}`;

async function withRec(making: Promise<BaseRecording>, fn: (rec: BaseRecording) => Promise<void>): Promise<void> {
  const rec = await making;
  try {
    await fn(rec);
  } finally {
    await rec.close();
  }
}

/** [stream key, its description in expected.json] of every stream SpikeInterface reloaded from its dump. */
async function dumpedStreams(ds: string): Promise<[string, any][]> {
  const expected = await readFixtureJson(`acquisition/${ds}/expected.json`);
  return Object.entries<any>(expected.streams).filter(([, s]) => s.dump_relative_file && s.reload_from_dump?.ok);
}

const CASES: [string, string, any][] = [];
for (const ds of DATASETS) for (const [key, s] of await dumpedStreams(ds)) CASES.push([ds, key, s]);

describe('load() of a relative dump with an http(s) baseFolder', () => {
  it('covers every dumped stream of the acquisition fixtures', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)('%s %s: the dataset folder URL as baseFolder', { timeout: 60_000 }, async (ds, _key, s) => {
    const text = await readFixtureText(`acquisition/${ds}/${s.dump_relative_file}`);
    const { relative_paths: relative, kwargs } = JSON.parse(text);
    expect(relative).toBe(true);
    // with and without the folder's trailing slash: both name the folder
    for (const baseFolder of [folderUrl(ds), `${folderUrl(ds)}/`]) {
      await withRec(load(text, { baseFolder }), async (rec) => {
        expect(rec.toString(), baseFolder).toBe(s.reload_from_dump.repr);
        expect(rec.getChannelIds()).toEqual(decodeArrayEntry(s.recording.channel_ids).flat);
        expect(rec.toDict().kwargs.folder_path).toBe(`${folderUrl(ds)}/${kwargs.folder_path.split('/').map(encodeURIComponent).join('/')}`);
        for (let i = 0; i < s.recording.segment_hashes.length; i++) {
          const raw = await rec.getTraces({ segmentIndex: i });
          expect(await sha256Hex(bytesOf(raw.data)), `segment ${i}`).toBe(s.recording.segment_hashes[i].raw_sha256);
        }
      });
    }
  });

  it('resolves as a URL: dot segments, and a base given as a URL object', async () => {
    const [ds, , s] = CASES[0];
    const dict = JSON.parse(await readFixtureText(`acquisition/${ds}/${s.dump_relative_file}`));
    const dotted = { ...dict, kwargs: { ...dict.kwargs, folder_path: `./x/../${dict.kwargs.folder_path}` } };
    await withRec(load(dotted, { baseFolder: new URL(`${folderUrl(ds)}/`) }), async (rec) => {
      expect(rec.toDict().kwargs.folder_path).toBe(`${folderUrl(ds)}/${dict.kwargs.folder_path}`);
    });
  });

  it.skipIf(inBrowser)('a dump file on disk with an http(s) baseFolder (Node)', async () => {
    const [ds, , s] = CASES[CASES.length - 1];
    const { load: loadNode } = await import('../../src/node.js');
    const file = await fixturePath(`acquisition/${ds}/${s.dump_relative_file}`);
    await withRec(loadNode(file, { baseFolder: `${folderUrl(ds)}/` }), async (rec) => {
      expect(rec.toString()).toBe(s.reload_from_dump.repr);
      expect(String(rec.toDict().kwargs.folder_path).startsWith(`${folderUrl(ds)}/`)).toBe(true);
    });
  });

  it('refuses paths that leave the base folder origin unless allowedOrigins allows it', async () => {
    const [ds, , s] = CASES[0];
    const dict = JSON.parse(await readFixtureText(`acquisition/${ds}/${s.dump_relative_file}`));
    for (const path of ['//elsewhere.example/data', 'https://elsewhere.example/data', 'file:///etc/data']) {
      const hostile = { ...dict, kwargs: { ...dict.kwargs, folder_path: path } };
      await expectCodeAsync(load(hostile, { baseFolder: folderUrl(ds) }), 'UNSUPPORTED', /outside the origin .* allowedOrigins/);
    }
    // allowed: the origin check passes, and the reader then fails to reach the (unresolvable) host
    const other = { ...dict, kwargs: { ...dict.kwargs, folder_path: 'http://127.0.0.1:1/data' } };
    await expectCodeAsync(load(other, { baseFolder: folderUrl(ds), allowedOrigins: ['http://127.0.0.1:1'] }), 'IO', /127\.0\.0\.1:1/);
  });
});

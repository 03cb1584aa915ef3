// walkFolder / openFolder: the file tree of an acquisition run, however the folder is given. The
// expected list is what the fixture folder holds on disk (listed by the test helpers, not by the code
// under test).
import { describe, expect, it } from 'vitest';
import { SpikewireError } from '../../src/index.js';
import { httpFolder } from '../../src/store/browser-folders.js';
import { walkFolder } from '../../src/store/folder-walk.js';
import { openFolder } from '../../src/store/open-folder.js';
import { inBrowser, fixturePath } from '../helpers/fixtures.js';
import { memoryDirectoryHandle, pickedFiles, readFixtureFolder } from '../helpers/folders.js';
import { rangeServerUrl } from '../helpers/http.js';

const RUN = 'acquisition/openephys/np1_pxi_nidaq/data';

describe('walkFolder', () => {
  it('lists every file of a picked folder, a directory handle and an HTTP folder given its files', async () => {
    const files = await readFixtureFolder(RUN);
    const expected = [...files.keys()].sort();
    expect(expected.some((f) => f.endsWith('continuous.dat'))).toBe(true);
    expect(await walkFolder(openFolder(pickedFiles('data', files)))).toEqual(expected);
    expect(await walkFolder(openFolder(memoryDirectoryHandle('data', files) as never))).toEqual(expected);
    const url = `${await rangeServerUrl()}/range/${RUN.split('/').map(encodeURIComponent).join('/')}/`;
    const http = openFolder(url, { files: expected });
    expect(await walkFolder(http)).toEqual(expected);
    // a file found through the listing is read from the server
    const oebin = expected.find((f) => f.endsWith('structure.oebin'))!;
    expect(await http.readFile(oebin)).toEqual(files.get(oebin));
  });

  it('lists an HTTP folder from its index pages', async () => {
    const files = await readFixtureFolder(RUN);
    const url = `${await rangeServerUrl()}/index/${RUN.split('/').map(encodeURIComponent).join('/')}/`;
    expect(await walkFolder(httpFolder(url))).toEqual([...files.keys()].sort());
  });

  it("takes an index page's word for what is a folder: no file is asked for as `file/`", async () => {
    const files = await readFixtureFolder(RUN);
    const url = `${await rangeServerUrl()}/index/${RUN.split('/').map(encodeURIComponent).join('/')}/`;
    const asked: string[] = [];
    const counting = ((input: RequestInfo | URL, init?: RequestInit) => {
      asked.push(decodeURIComponent(new URL(String(input instanceof Request ? input.url : input)).pathname));
      return fetch(input, init);
    }) as typeof fetch;
    expect(await walkFolder(httpFolder(url, { fetch: counting }))).toEqual([...files.keys()].sort());
    const folders = new Set([...files.keys()].flatMap((f) => f.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
    const base = decodeURIComponent(new URL(url).pathname);
    // the root and each folder once; never a file
    expect(asked.sort()).toEqual([base, ...[...folders].map((d) => `${base}${d}/`)].sort());
  });

  it.runIf(!inBrowser)('lists a folder on disk', async () => {
    const files = await readFixtureFolder(RUN);
    expect(await walkFolder(openFolder(await fixturePath(RUN)))).toEqual([...files.keys()].sort());
  });

  it('stops at maxFiles and maxDepth', async () => {
    const files = await readFixtureFolder(RUN);
    await expect(walkFolder(openFolder(pickedFiles('data', files)), { maxFiles: 3 })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    const shallow = await walkFolder(openFolder(memoryDirectoryHandle('data', files) as never), { maxDepth: 1 });
    expect(shallow).toEqual([...files.keys()].filter((f) => f.split('/').length <= 2).sort());
  });

  it('refuses inputs that are no folder and listings that leave the folder', () => {
    for (const bad of [42, null, {}, '']) {
      expect(() => openFolder(bad as never, {}, 'folderPath')).toThrow(SpikewireError);
    }
    for (const files of [['../secret'], ['/etc/passwd'], ['a//b'], 'a.bin', [7]]) {
      expect(() => openFolder('http://127.0.0.1:1/run/', { files: files as never })).toThrow(/files of/);
    }
  });
});

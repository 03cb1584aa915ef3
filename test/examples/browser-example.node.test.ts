// The browser example (examples/browser) tested as a person would use it: Debian's Chromium, driven by
// playwright-core, opens the page from examples/browser/serve.mjs (the built package, as published)
// and a fixture folder served on 127.0.0.1; it opens the recording by URL (?url=), by folder upload, by
// zip upload and as a raw file, reads the summary, the channel table, the probe and the traces, scrolls,
// downloads the zip and the JSON dump, checks the error messages, and opens a 10 GB (sparse) folder by
// URL to check that only the first second is read. The "Filtered" toggle's windows, computed in the
// page's worker, are compared with the library's own highpassFilter + commonReference in Node, and the
// page's main thread is checked for long tasks while the worker filters the 10 GB recording. A SpikeGLX
// run and an Open Ephys Record Node are opened by URL and as picked files: their stream list, the
// chosen stream's summary, probe and traces (the SpikeGLX run's time to first traces and bytes read
// before it go to spikeglx-http-figures.json). Screenshots of every state go to
// test-output/browser-example/ for people to look at.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryRecordingExtractor, commonReference, getEnvelopes, highpassFilter, load } from '../../src/node.js';
import { fixturePath, fixturesRoot, readFixtureBytes, readFixtureJson } from '../helpers/fixtures.js';
// @ts-ignore -- a plain JS module of the example, without types
import { defaultMounts, startServer } from '../../examples/browser/serve.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shots = join(root, 'test-output/browser-example');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const haveChromium = existsSync(chromiumPath);
const CASE = 'recordings/multi_columns_probe';
const FOLDER = `${CASE}/saved`;

if (!haveChromium) {
  process.stderr.write(`spikewire: browser example test skipped: no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)\n`);
}

/** SpikeInterface's repr without the lines that name files (they differ between machines). */
const withoutPaths = (text: string) => text.split('\n').filter((line) => !/^\s*(file_paths|folder_path):/.test(line)).join('\n');

describe.skipIf(!haveChromium)(`browser example in ${chromiumPath}`, () => {
  let server: { url: string; close(): Promise<void> };
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let big: string; // a folder with a 10 GB sparse traces file, served at /big/
  const responses: { path: string; status: number; range: string | undefined; bytes: number; receivedAt: number }[] = [];
  const pageErrors: string[] = [];
  let expected: any;
  let zipPath: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/index.mjs'))) throw new Error('dist/index.mjs is missing: run `npm run build` first (npm test does)');
    await rm(shots, { recursive: true, force: true });
    await mkdir(shots, { recursive: true });
    expected = await readFixtureJson(`${CASE}/expected.json`);
    const fixtures = await fixturesRoot();
    big = await mkdtemp(join(tmpdir(), 'spikewire-big-'));
    server = await startServer({
      mounts: { ...defaultMounts(), '/fixtures/': { dir: fixtures }, '/norange/': { dir: fixtures, ranges: false }, '/big/': { dir: big } },
      onResponse: (req: any, res: any) => responses.push({
        path: decodeURIComponent(new URL(req.url, 'http://x').pathname),
        status: res.statusCode,
        range: req.headers.range,
        bytes: Number(res.getHeader('content-length') ?? 0),
        receivedAt: req.receivedAt,
      }),
    });
    profile = await mkdtemp(join(tmpdir(), 'spikewire-browser-example-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 60000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (big) await rm(big, { recursive: true, force: true });
  });

  const pageUrl = (query = '') => `${server.url}/examples/browser/${query}`;
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const summary = () => page.textContent('#summary') as Promise<string>;
  const errorText = async () => ((await page.isVisible('#error')) ? ((await page.textContent('#error')) ?? '') : '');

  /** Waits until the trace viewer has drawn a view other than `previous`; returns it. */
  async function drawn(previous = ''): Promise<string> {
    await page.waitForFunction((prev) => {
      const c = document.querySelector<HTMLCanvasElement>('#traces')!;
      return c.dataset.state === 'drawn' && c.dataset.view !== prev;
    }, previous, { timeout: 15000 });
    return (await page.getAttribute('#traces', 'data-view'))!;
  }

  /** The canvas image, and how many of its pixels have the traces' blue ink. */
  const canvasState = () =>
    page.evaluate(() => {
      const canvas = document.querySelector<HTMLCanvasElement>('#traces')!;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 2]! > data[i]! + 30 && data[i]! < 140) ink++;
      return { image: canvas.toDataURL(), ink, pixels: canvas.width * canvas.height };
    });

  /** How many opens the page has finished (body[data-opened]). */
  const opens = async () => Number((await page.getAttribute('body', 'data-opened')) ?? 0);

  /** Waits until the page has finished `n` opens since it was loaded (each shown, or failed with a message). */
  async function opened(n: number): Promise<void> {
    try {
      await page.waitForFunction((k) => Number(document.body.dataset.opened ?? 0) >= k, n, { timeout: 20000 });
    } catch (error) {
      const state = await page.evaluate(() => ({
        opened: document.body.dataset.opened, status: document.querySelector('#status')!.textContent, error: document.querySelector('#error')!.textContent,
      }));
      await shot('timeout');
      throw new Error(`the page did not finish open #${n} (page state: ${JSON.stringify(state)})`, { cause: error });
    }
  }

  /** Runs `act` (which opens something in the current page), then waits until that open has ended. */
  async function opening(act: () => Promise<unknown>): Promise<void> {
    const before = await opens();
    await act();
    await opened(before + 1);
  }

  it('opens a folder from ?url=: summary, channel table, probe and traces, read by range', async () => {
    const folderUrl = `${server.url}/fixtures/${FOLDER}/`;
    await page.goto(pageUrl(`?url=${encodeURIComponent(folderUrl)}`));
    await opened(1);
    expect(await errorText()).toBe('');
    await drawn();
    expect(withoutPaths(await summary())).toBe(withoutPaths(expected.loaded.repr));
    // the address keeps the recording's URL, so the link can be shared
    expect(new URL(page.url()).searchParams.get('url')).toBe(folderUrl);

    // channel table: one row per channel, ids in order, with the properties as columns
    const ids = await page.$$eval('#channels tbody tr', (rows) => rows.map((r) => (r as HTMLTableRowElement).cells[1]!.textContent));
    expect(ids).toEqual(expected.loaded.channel_ids.data.map(String));
    const head = await page.$$eval('#channels thead th', (ths) => ths.map((th) => th.textContent));
    expect(head).toEqual(expect.arrayContaining(['channel id', 'x', 'y', 'gain_to_uV', 'offset_to_uV', 'group']));

    // probe: one shape per contact; hovering one names its channel
    const contacts = await page.$$('#probe svg [data-contact-index]:not(text)');
    expect(contacts.length).toBe(expected.probe_input.summary.total_contacts);
    await contacts[3]!.hover();
    expect(await page.textContent('#probe-hover')).toMatch(/^channel \d+/);

    // traces: drawn, not blank
    const { ink, pixels } = await canvasState();
    expect(ink).toBeGreaterThan(pixels * 0.02);
    await shot('01-url-folder');

    // The traces file was read by range only; properties/ was listed through its HTML index.
    const traces = responses.filter((r) => r.path.endsWith(`${FOLDER}/traces_cached_seg0.raw`) && r.status < 300);
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.every((r) => r.status === 206 && r.range)).toBe(true);
    expect(responses.some((r) => r.path === `/fixtures/${FOLDER}/properties/` && r.status === 200)).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('scrolls and zooms through time and channels', async () => {
    let view = await drawn();
    const first = await canvasState();
    await page.click('[data-act="zoom-in"]');
    view = await drawn(view);
    await page.click('[data-act="zoom-in"]');
    view = await drawn(view);
    expect(view).toBe('0:375-625:0+13'); // 1000 samples → 500 → 250, around the middle
    const zoomed = await canvasState();
    expect(zoomed.image).not.toBe(first.image);

    // wheel = time
    const box = (await page.locator('#traces').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 300);
    view = await drawn(view);
    expect(view).toMatch(/^0:(\d+)-/);
    expect(Number(/^0:(\d+)-/.exec(view)![1])).toBeGreaterThan(375);
    const scrolled = await canvasState();
    expect(scrolled.image).not.toBe(zoomed.image);
    expect(scrolled.ink).toBeGreaterThan(scrolled.pixels * 0.02);
    await shot('02-scrolled-in-time');

    // fewer rows, then shift + wheel = channels
    await page.click('[data-act="fewer"]');
    view = await drawn(view);
    expect(view).toMatch(/:0\+9$/);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2); // the click moved the pointer away
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 300);
    await page.keyboard.up('Shift');
    view = await drawn(view);
    expect(view).toMatch(/:[1-9]\d*\+9$/);
    expect((await canvasState()).image).not.toBe(scrolled.image);

    // a channel subset from the table
    await page.click('#show-none');
    await page.click('#channels tbody tr:nth-child(2) input');
    await page.click('#channels tbody tr:nth-child(5) input');
    await page.waitForFunction(() => /:0\+2$/.test(document.querySelector<HTMLCanvasElement>('#traces')!.dataset.view ?? ''));
    view = await drawn();
    expect(await page.textContent('#view-readout')).toContain('channels 4…1 (2 of 2)'); // by depth: 4 (y 50) above 1 (y 40)
    await shot('03-channel-subset');
    await page.click('#show-all');
    await drawn(view);
  }, 60000);

  it('reads out the value under the cursor, jumps to a time, moves by keys, and takes a band of channels from the probe', async () => {
    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/fixtures/${FOLDER}/`)}`));
    await opened(1);
    let view = await drawn();
    const box = (await page.locator('#traces').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect(await page.textContent('#cursor-readout')).toMatch(/^t = 0\.0\d{3} s · channel \d+ · -?[\d.]+k? µV$/);

    // keys on the canvas: + zooms in twice (1000 → 250 frames around the middle), → moves a tenth
    await page.focus('#traces');
    await page.keyboard.press('+');
    view = await drawn(view);
    await page.keyboard.press('+');
    view = await drawn(view);
    expect(view).toBe('0:375-625:0+13');
    await page.keyboard.press('ArrowRight');
    view = await drawn(view);
    expect(view).toBe('0:400-650:0+13');
    // jump to 0.02 s: frame 600
    await page.fill('#jump-time', '0.02');
    await page.click('#jump-form button[type=submit]');
    view = await drawn(view);
    expect(view).toBe('0:600-850:0+13');

    // drag from the top of the probe picture to its middle: the channels of the contacts in that band
    await page.locator('#probe').scrollIntoViewIfNeeded();
    const contacts = await page.$$eval('#probe svg [data-contact-index]:not(text)', (shapes) =>
      shapes.map((s) => { const r = s.getBoundingClientRect(); return (r.top + r.bottom) / 2; }));
    const top = Math.min(...contacts);
    const bottom = Math.max(...contacts);
    const probe = (await page.locator('#probe').boundingBox())!;
    const x = probe.x + probe.width / 2;
    const y1 = (top + bottom) / 2;
    const inBand = contacts.filter((y) => y >= top - 5 && y <= y1).length;
    await page.mouse.move(x, top - 5);
    await page.mouse.down();
    await page.mouse.move(x, y1, { steps: 5 });
    await page.mouse.up();
    view = await drawn(view);
    expect(inBand).toBeGreaterThan(0);
    expect(inBand).toBeLessThan(13);
    expect(await page.textContent('#view-readout')).toContain(`(${inBand} of ${inBand})`);
    expect(await page.$$eval('#channels tbody input:checked', (boxes) => boxes.length)).toBe(inBand);
    await shot('03b-probe-band');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('shows each segment from its own start time', async () => {
    const two = 'recordings/float64_t_starts';
    const description = await readFixtureJson(`${two}/expected.json`);
    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/fixtures/${two}/saved/`)}`));
    await opened(1);
    expect(await errorText()).toBe('');
    let view = await drawn();
    expect(withoutPaths(await summary())).toBe(withoutPaths(description.loaded.repr));
    expect(await page.$$eval('#segment option', (options) => options.length)).toBe(2);
    expect(await page.textContent('#view-readout')).toMatch(/^100\.0000–/);
    await page.selectOption('#segment', '1');
    view = await drawn(view);
    expect(view).toMatch(/^1:0-/);
    expect(await page.textContent('#view-readout')).toMatch(/^250\.5000–/);
    expect((await canvasState()).ink).toBeGreaterThan(1000);
    await shot('04-second-segment');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('downloads the zip and the JSON dump; the zip loads back with the same samples', async () => {
    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/fixtures/${FOLDER}/`)}`));
    await opened(1);
    await drawn();
    const [zip] = await Promise.all([page.waitForEvent('download'), page.click('#save-zip')]);
    expect(zip.suggestedFilename()).toBe('saved.zip');
    zipPath = join(shots, 'saved.zip');
    await zip.saveAs(zipPath);
    expect(await errorText()).toBe('');

    const original = await load(await fixturePath(FOLDER));
    const reloaded = await load(zipPath);
    try {
      expect(reloaded.getChannelIds()).toEqual(original.getChannelIds());
      expect(reloaded.getSamplingFrequency()).toBe(original.getSamplingFrequency());
      for (const returnInUV of [false, true]) {
        const a = await original.getTraces({ segmentIndex: 0, returnInUV });
        const b = await reloaded.getTraces({ segmentIndex: 0, returnInUV });
        expect(b.shape).toEqual(a.shape);
        expect(b.dtype).toBe(a.dtype);
        expect(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength))).toBe(true);
      }
      expect(reloaded.hasProbe()).toBe(true);
      expect(Array.from(reloaded.getChannelLocations())).toEqual(Array.from(original.getChannelLocations()));
    } finally {
      await Promise.all([original.close(), reloaded.close()]);
    }

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#save-json')]);
    expect(json.suggestedFilename()).toBe('saved.json');
    const jsonPath = join(shots, 'saved.json');
    await json.saveAs(jsonPath);
    const dump = JSON.parse(await readFile(jsonPath, 'utf8'));
    expect(dump.class).toBe('spikeinterface.core.binaryfolder.BinaryFolderRecording');
    expect(dump.kwargs.folder_path.replace(/\/$/, '')).toBe(`${server.url}/fixtures/${FOLDER}`);
    expect(dump.annotations).toEqual(expect.objectContaining({ name: 'my-probe-rec' }));
    expect(await errorText()).toBe('');
  }, 60000);

  it('opens the fixture folder and the downloaded zip by file upload', async () => {
    await page.goto(pageUrl());
    const folder = await fixturePath(FOLDER);
    await opening(() => page.setInputFiles('#folder-input', folder));
    expect(await errorText()).toBe('');
    await drawn();
    expect(withoutPaths(await summary())).toBe(withoutPaths(expected.loaded.repr));
    expect(await page.$$('#probe svg [data-contact-index]:not(text)')).toHaveLength(13);
    expect(new URL(page.url()).searchParams.has('url')).toBe(false);
    await shot('05-folder-upload');

    await opening(() => page.setInputFiles('#zip-input', zipPath));
    expect(await errorText()).toBe('');
    await drawn();
    expect(withoutPaths(await summary())).toBe(withoutPaths(expected.loaded.repr));
    expect(await page.$$('#probe svg [data-contact-index]:not(text)')).toHaveLength(13);
    await shot('06-zip-upload');

    // the same zip dropped on the page
    const zipBase64 = (await readFile(zipPath)).toString('base64');
    const dropped = await page.evaluateHandle((b64) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'dropped.zip', { type: 'application/zip' }));
      return transfer;
    }, zipBase64);
    await opening(() => page.dispatchEvent('body', 'drop', { dataTransfer: dropped }));
    expect(await errorText()).toBe('');
    expect(withoutPaths(await summary())).toBe(withoutPaths(expected.loaded.repr));
    expect(pageErrors).toEqual([]);
  }, 60000);

  /** The last filtered window the page's worker answered, and how many it computed. */
  const filteredState = () =>
    page.evaluate(() => {
      const state = (window as any).spikewireExample.filtered;
      const last = state.last && { ...state.last, values: Array.from(state.last.values as Float32Array), maxValues: state.last.maxValues && Array.from(state.last.maxValues as Float32Array) };
      return { ...state, last };
    });

  /** The same window computed in Node by the library, as float32 values (the minima, for envelopes). */
  async function inNode(last: any): Promise<number[]> {
    const recording = await load(await fixturePath(FOLDER));
    try {
      const filtered = highpassFilter(recording, { freqMin: last.freqMin });
      const shown = last.reference === 'none' ? filtered : commonReference(filtered, { reference: 'global', operator: last.reference });
      const { segmentIndex, startFrame, endFrame, channelIds, returnInUV, columns } = last;
      if (last.kind === 'envelopes') {
        const env = await getEnvelopes(shown, { segmentIndex, startFrame, endFrame, channelIds, returnInUV, columns });
        expect(env.shape).toEqual(last.shape);
        expect(Array.from(env.max)).toEqual(Array.from(last.maxValues as number[]));
        return Array.from(env.min);
      }
      const traces = await shown.getTraces({ segmentIndex, startFrame, endFrame, channelIds, returnInUV });
      expect(traces.shape).toEqual(last.shape);
      return Array.from(Float32Array.from(traces.data as ArrayLike<number>));
    } finally {
      await recording.close();
    }
  }

  it('shows the traces highpass filtered and referenced, computed in a worker', async () => {
    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/fixtures/${FOLDER}/`)}`));
    await opened(1);
    let view = await drawn();
    const raw = await canvasState();
    // the raw traces shown were read in the worker, none filtered yet
    expect(await filteredState()).toMatchObject({ worker: 'module', computed: 0, last: null });
    expect((await filteredState()).read).toBeGreaterThan(0);

    // defaults: highpass 300 Hz + global median reference
    expect(await page.inputValue('#filter-freq')).toBe('300');
    expect(await page.inputValue('#filter-reference')).toBe('median');
    await page.check('#filtered');
    await page.waitForFunction(
      () => (window as any).spikewireExample.filtered.computed > 0 && document.querySelector<HTMLCanvasElement>('#traces')!.dataset.state === 'drawn',
      null, { timeout: 20000 });
    let state = await filteredState();
    expect(await errorText()).toBe('');
    expect(state.worker).toBe('module');
    expect(state.last).toMatchObject({ freqMin: 300, reference: 'median', segmentIndex: 0, returnInUV: true });
    expect(state.last.values.length).toBe(state.last.shape[0] * state.last.shape[1]);
    expect(state.last.values.length).toBeGreaterThan(1000);
    const expectedMedian = await inNode(state.last);
    expect(state.last.values).toEqual(expectedMedian);
    const filtered = await canvasState();
    expect(filtered.image).not.toBe(raw.image);
    expect(filtered.ink).toBeGreaterThan(filtered.pixels * 0.01);
    await shot('12-filtered');

    // edit the fields: 500 Hz, global average; then highpass only
    const before = state.computed;
    await page.fill('#filter-freq', '500');
    await page.selectOption('#filter-reference', 'average'); // the fill's change fires when the focus leaves it
    await page.waitForFunction(
      (n) => { const s = (window as any).spikewireExample.filtered; return s.computed > n && s.last.freqMin === 500 && s.last.reference === 'average'; },
      before, { timeout: 20000 });
    state = await filteredState();
    const expectedAverage = await inNode(state.last);
    expect(state.last.values).toEqual(expectedAverage);
    expect(state.last.values).not.toEqual(expectedMedian);

    await page.selectOption('#filter-reference', 'none');
    await page.waitForFunction(() => (window as any).spikewireExample.filtered.last.reference === 'none', null, { timeout: 20000 });
    state = await filteredState();
    expect(state.last.values).toEqual(await inNode(state.last));

    // zooming reads the new windows from the worker too
    const computed = state.computed;
    await page.click('[data-act="zoom-in"]');
    view = await drawn(view);
    state = await filteredState();
    expect(state.computed).toBeGreaterThan(computed);
    expect(state.last.values).toEqual(await inNode(state.last));

    // off: the raw traces again, read by the page
    await page.click('[data-act="zoom-out"]');
    await drawn(view);
    const computedBefore = (await filteredState()).computed;
    await page.uncheck('#filtered');
    await expect.poll(async () => (await canvasState()).image === raw.image, { timeout: 15000 }).toBe(true);
    expect((await filteredState()).computed).toBe(computedBefore);

    // a bad cutoff is refused with a message
    await page.check('#filtered');
    await page.fill('#filter-freq', '-1');
    await page.selectOption('#filter-reference', 'median');
    expect(await errorText()).toContain('the highpass cutoff must be a number of Hz above 0');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('filters a folder opened by upload, the files sent to the worker', async () => {
    await page.goto(pageUrl());
    const folder = await fixturePath(FOLDER);
    await opening(() => page.setInputFiles('#folder-input', folder));
    await drawn();
    await page.check('#filtered');
    await page.waitForFunction(() => (window as any).spikewireExample.filtered.computed > 0, null, { timeout: 20000 });
    const state = await filteredState();
    expect(await errorText()).toBe('');
    expect(state.last.values).toEqual(await inNode(state.last));
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('opens a raw binary file with the form, and remembers the form', async () => {
    await page.goto(pageUrl());
    await page.fill('[name=samplingFrequency]', '30000');
    await page.fill('[name=numChannels]', '13');
    await page.selectOption('[name=dtype]', 'int16');
    await page.fill('[name=fileOffset]', '0');
    await page.fill('[name=gainToUV]', '2.34375');
    await page.fill('[name=offsetToUV]', '0');
    await page.setInputFiles('#raw-input', await fixturePath(`${FOLDER}/traces_cached_seg0.raw`));
    await opening(() => page.click('#raw-form button[type=submit]'));
    expect(await errorText()).toBe('');
    await drawn();
    // the same text as the library gives in Node for the same file and options (paths aside)
    const bytes = await readFixtureBytes(`${FOLDER}/traces_cached_seg0.raw`);
    const same = await BinaryRecordingExtractor.open({
      sources: [new Blob([bytes as Uint8Array<ArrayBuffer>])], samplingFrequency: 30000, numChannels: 13, dtype: 'int16', fileOffset: 0, gainToUV: 2.34375, offsetToUV: 0,
    });
    expect(withoutPaths(await summary())).toBe(withoutPaths(String(same)));
    expect(await summary()).toContain('traces_cached_seg0.raw');
    expect((await canvasState()).ink).toBeGreaterThan(1000);
    await shot('07-raw-file');

    // filtered: the worker opens the same File with the form's options; the window equals the library's
    // in Node (the folder holds the same samples, gains and sampling frequency)
    await page.check('#filtered');
    await page.waitForFunction(() => (window as any).spikewireExample.filtered.computed > 0, null, { timeout: 20000 });
    const state = await filteredState();
    expect(await errorText()).toBe('');
    expect(state.last.values).toEqual(await inNode(state.last));
    await page.uncheck('#filtered');

    await page.reload();
    expect(await page.inputValue('[name=numChannels]')).toBe('13');
    expect(await page.inputValue('[name=gainToUV]')).toBe('2.34375');
    expect(await page.inputValue('[name=dtype]')).toBe('int16');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('shows readable errors in the page: wrong dtype, not a recording, no Range support', async () => {
    // 13 channels × 1001 frames of int16 = 26026 bytes: not a whole number of float64 frames
    await page.goto(pageUrl());
    await page.fill('[name=numChannels]', '13');
    await page.selectOption('[name=dtype]', 'float64');
    await page.setInputFiles('#raw-input', { name: 'wrong-dtype.raw', mimeType: 'application/octet-stream', buffer: Buffer.alloc(26026) });
    await opening(() => page.click('#raw-form button[type=submit]'));
    const dtypeError = await errorText();
    expect(dtypeError).toContain('Could not open raw file “wrong-dtype.raw”');
    expect(dtypeError).toContain('26026 bytes after a file offset of 0 are not a whole number of frames of 13 channels × 8 bytes (float64)');
    expect(dtypeError).toContain('Check the dtype');
    await shot('08-error-wrong-dtype');

    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/fixtures/${CASE}/`)}`));
    await opened(1);
    expect(await errorText()).toMatch(/Could not open .*multi_columns_probe\/.*not a SpikeInterface folder/s);
    expect(await page.isVisible('h1')).toBe(true);
    await shot('09-error-not-a-recording');

    await page.goto(pageUrl(`?url=${encodeURIComponent(`${server.url}/norange/${FOLDER}/`)}`));
    await opened(1);
    expect(await errorText()).toMatch(/Range/);
    await shot('10-error-no-range');
    expect(pageErrors).toEqual([]);
  }, 60000);
  it('opens a 10 GB recording by URL, reading only the first window; scrolls, drags and filters it', async () => {
    // 384 channels of int16 at 30 kHz, 14,000,000 frames (10.75 GB, a sparse file), starting at t = 12.5 s.
    // A few real-looking blocks (noise, slow waves and spikes on a few channels) lie at 0 s, 30 s and 300 s;
    // the rest of the file is a hole that reads as zeros.
    const channels = 384;
    const frames = 14_000_000;
    const frameBytes = channels * 2;
    const file = await open(join(big, 'traces_cached_seg0.raw'), 'w');
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 60;
    for (const at of [0, 30 * 30000, 300 * 30000]) {
      const block = new Int16Array(30000 * channels);
      for (let t = 0; t < 30000; t++) {
        for (let c = 0; c < channels; c++) {
          const slow = 80 * Math.sin((2 * Math.PI * (5 + (c % 40)) * t) / 30000);
          const spike = c % 23 === 0 && t % 2500 < 30 ? -400 * Math.exp(-(((t % 2500) - 8) ** 2) / 18) : 0;
          block[t * channels + c] = Math.round(slow + noise() + spike);
        }
      }
      await file.write(new Uint8Array(block.buffer), 0, block.byteLength, at * frameBytes);
    }
    await file.truncate(frames * frameBytes);
    await file.close();
    await writeFile(join(big, 'binary.json'), JSON.stringify({
      class: 'spikeinterface.core.binaryrecordingextractor.BinaryRecordingExtractor',
      module: 'spikeinterface',
      version: '0.105.0',
      kwargs: {
        file_paths: ['traces_cached_seg0.raw'], sampling_frequency: 30000, t_starts: [12.5], num_channels: channels, dtype: '<i2',
        channel_ids: Array.from({ length: channels }, (_, i) => i), time_axis: 0, file_offset: 0,
        gain_to_uV: new Array(channels).fill(0.195), offset_to_uV: new Array(channels).fill(0), is_filtered: false,
      },
      annotations: { is_filtered: false },
      properties: {},
      relative_paths: true,
    }, null, 4));

    const figures: Record<string, unknown> = {};
    const bytesOf = (list: typeof responses) => list.reduce((sum, r) => sum + r.bytes, 0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(pageUrl());
    const bigUrl = `${server.url}/big/`;
    // chosen: the address typed into the form and submitted
    const chosen = Date.now();
    await opening(async () => {
      await page.fill('#url-input', bigUrl);
      await page.click('#url-form button[type=submit]');
    });
    expect(await errorText()).toBe('');
    await drawn();
    const first = await page.evaluate(() => (window as any).spikewireExample.open);
    const beforePaint = responses.filter((r) => r.receivedAt >= chosen && r.receivedAt <= first.firstPaintEpochMs);
    const tracesBefore = bytesOf(beforePaint.filter((r) => r.path === '/big/traces_cached_seg0.raw'));
    const recordingBefore = bytesOf(beforePaint.filter((r) => r.path.startsWith('/big/')));
    Object.assign(figures, {
      firstTracesMs: Math.round(first.firstPaintMs),
      openedInWorkerMs: Math.round(first.openedAt - first.chosenAt),
      bytesBeforeFirstPaint: { traces: tracesBefore, recordingFiles: recordingBefore, all: bytesOf(beforePaint) },
    });
    expect(await summary()).toContain('384 channels - 30.0kHz - 1 segments - 14,000,000 samples');
    // the first window: 5208 frames (4 MB of 384 channels), from the segment's start time, 16 channels
    expect(await page.textContent('#view-readout')).toMatch(/^12\.5000–12\.6736 s · channels 0…15 \(16 of 384\)/);
    expect((await canvasState()).ink).toBeGreaterThan(5000);
    // only what the first window needs (5208 frames of every channel), and the folder's small files
    expect(tracesBefore).toBeGreaterThan(0);
    expect(tracesBefore).toBeLessThanOrEqual(5_000_000);
    expect(recordingBefore).toBeLessThanOrEqual(5_000_000 + 64 * 1024);
    await page.locator('#traces').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, '11-big-recording.png') });

    // scrolling 60 s with PageDown held (a key press every 40 ms, windows of 0.35 s), watching the main thread
    await page.evaluate(() => {
      const w = window as any;
      w.longTasks = [];
      new PerformanceObserver((list) => w.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
    await page.focus('#traces');
    await page.keyboard.press('-');
    let view = await drawn();
    const [, from, to] = /^0:(\d+)-(\d+)/.exec(view)!.map(Number);
    const span = to - from;
    const presses = Math.ceil((60 * 30000) / span);
    const scrollStarted = Date.now();
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press('PageDown');
      await page.waitForTimeout(40);
    }
    view = await drawn(view);
    const scrollMs = Date.now() - scrollStarted;
    expect(Number(/^0:(\d+)-/.exec(view)![1])).toBeGreaterThanOrEqual(60 * 30000);
    const scrollTasks = await page.evaluate(() => (window as any).longTasks as number[]);
    figures.scrolling = { seconds: 60, presses, windowFrames: span, wallMs: scrollMs, longestMainThreadTaskMs: Math.round(Math.max(0, ...scrollTasks)), longTasks: scrollTasks.length };
    await page.screenshot({ path: join(shots, '13-big-after-scrolling.png') });

    // dragging the traces: frames drawn per second (and the main thread's long tasks meanwhile)
    await page.evaluate(() => ((window as any).longTasks = []));
    const box = (await page.locator('#traces').boundingBox())!;
    const framesBefore = await page.evaluate(() => (window as any).spikewireExample.viewer.frames);
    // the browser's own frames meanwhile (a main thread that blocks shows as missing frames)
    await page.evaluate(() => {
      const w = window as any;
      w.animationFrames = 0;
      w.counting = true;
      const tick = () => {
        w.animationFrames++;
        if (w.counting) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    const dragStarted = Date.now();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 0; i < 120; i++) {
      await page.mouse.move(box.x + box.width * 0.8 - i * 6, box.y + box.height / 2);
      await page.waitForTimeout(16);
    }
    await page.mouse.up();
    const dragMs = Date.now() - dragStarted;
    const painted = (await page.evaluate(() => (window as any).spikewireExample.viewer.frames)) - framesBefore;
    const animationFrames = await page.evaluate(() => {
      (window as any).counting = false;
      return (window as any).animationFrames as number;
    });
    const dragTasks = await page.evaluate(() => (window as any).longTasks as number[]);
    figures.dragging = {
      wallMs: dragMs, pointerMoves: 120, framesPainted: painted, paintedPerSecond: +(painted / (dragMs / 1000)).toFixed(1),
      browserFramesPerSecond: +(animationFrames / (dragMs / 1000)).toFixed(1), longestMainThreadTaskMs: Math.round(Math.max(0, ...dragTasks)),
    };
    expect(painted).toBeGreaterThan(0);

    // filtered: a global median over all 384 channels for each window, in the worker, at the block
    // of samples 30 s into the file
    await page.fill('#jump-time', '42.6');
    await page.click('#jump-form button[type=submit]');
    await drawn(await page.getAttribute('#traces', 'data-view') ?? '');
    await page.evaluate(() => ((window as any).longTasks = []));
    await page.check('#filtered');
    await page.waitForFunction(
      () => (window as any).spikewireExample.filtered.computed > 0 && document.querySelector<HTMLCanvasElement>('#traces')!.dataset.state === 'drawn',
      null, { timeout: 30000 });
    const { busyMs } = await filteredState();
    const longest = Math.max(0, ...(await page.evaluate(() => (window as any).longTasks as number[])));
    figures.filtered = { workerWaitMs: Math.round(busyMs), longestMainThreadTaskMs: Math.round(longest) };
    expect(await errorText()).toBe('');
    expect((await canvasState()).ink).toBeGreaterThan(5000);
    await page.screenshot({ path: join(shots, '14-big-filtered.png') });

    // the view is in the address: reloading restores it
    await page.waitForFunction(() => location.hash.includes('start='));
    const hash = new URL(page.url()).hash;
    const before = await page.textContent('#view-readout');
    await page.goto(`${pageUrl(`?url=${encodeURIComponent(bigUrl)}`)}${hash}`);
    await opened(1);
    await drawn();
    expect((await page.textContent('#view-readout'))!.split(' · ')[0]).toBe(before!.split(' · ')[0]);
    expect(await page.isChecked('#filtered')).toBe(true);
    // and the recording is among the recent ones
    expect(await page.$$eval('#recent-list button', (b) => b.map((x) => x.getAttribute('title')))).toContain(bigUrl);

    await writeFile(join(shots, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    process.stderr.write(`browser example, 10 GB recording: ${JSON.stringify(figures)}\n`);
    expect(pageErrors).toEqual([]);
  }, 180000);

  // ---- acquisition folders: a SpikeGLX run and an Open Ephys Record Node, each by URL and as picked files

  const SGLX = 'acquisition/spikeglx/np1_ap_lf';
  const OE = 'acquisition/openephys/np1_pxi_nidaq';
  const ACQUISITION = [
    { what: 'the NP1.0 SpikeGLX run', base: SGLX, folder: `${SGLX}/data/M27_run1_g0`, stream: 'imec0.ap', streamKey: 'imec0.ap', probe: `${SGLX}/dumps/imec0.ap.probe.json` },
    {
      what: 'the Open Ephys Record Node', base: OE, folder: `${OE}/data/Record Node 101`, stream: '1', streamKey: 'Record Node 101#Neuropix-PXI-100.ProbeA-AP',
      probe: `${OE}/dumps/Record_Node_101_Neuropix-PXI-100.ProbeA-AP.probe.json`,
    },
  ];
  const urlOf = (rel: string) => `${server.url}/fixtures/${rel.split('/').map(encodeURIComponent).join('/')}/`;
  /** How many stream lists the page has shown (body[data-stream-lists]). */
  const streamLists = async () => Number((await page.getAttribute('body', 'data-stream-lists')) ?? 0);

  /** Runs `act` (which hands the page a folder), waits for its stream list; returns the stream ids listed. */
  async function listing(act: () => Promise<unknown>): Promise<string[]> {
    const before = await streamLists();
    await act();
    await page.waitForFunction((k) => Number(document.body.dataset.streamLists ?? 0) > k, before, { timeout: 20000 });
    return page.$$eval('#stream-select option', (options) => options.map((o) => (o as HTMLOptionElement).value));
  }

  /** Chooses `stream` in the list and opens it; checks the summary, the probe and the traces against the fixture. */
  async function openStream(c: (typeof ACQUISITION)[number]): Promise<number> {
    const expectedAll = await readFixtureJson(`${c.base}/expected.json`);
    const recording = expectedAll.streams[c.streamKey].recording;
    const probe = await readFixtureJson(c.probe);
    await page.selectOption('#stream-select', c.stream);
    const clickedAt = Date.now();
    await opening(() => page.click('#stream-open'));
    expect(await errorText()).toBe('');
    await drawn();
    expect(await summary()).toBe(recording.repr);
    // the probe as ProbeInterface read it for this stream: one shape per contact
    expect(await page.$$('#probe svg [data-contact-index]:not(text)')).toHaveLength(probe.probes[0].contact_positions.length);
    expect(await page.$$eval('#channels tbody tr', (rows) => rows.length)).toBe(recording.num_channels);
    const { ink, pixels } = await canvasState();
    expect(ink).toBeGreaterThan(pixels * 0.01);
    return clickedAt;
  }

  it.each(ACQUISITION)('opens $what over HTTP: lists its streams, opens one, draws its traces and probe', async (c) => {
    const expectedAll = await readFixtureJson(`${c.base}/expected.json`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(pageUrl());
    const chosen = Date.now();
    const ids = await listing(async () => {
      await page.fill('#url-input', urlOf(c.folder));
      await page.click('#url-form button[type=submit]');
    });
    const listedAt = Date.now();
    expect(ids).toEqual(expectedAll.get_neo_streams.stream_ids);
    expect(await page.$$eval('#stream-select option', (o) => o.map((x) => x.textContent))).toEqual(
      expectedAll.get_neo_streams.stream_names.map((name: string, i: number) => (name === ids[i] ? name : `${name} (id ${ids[i]})`)));
    const clickedAt = await openStream(c);
    // the link names the folder and the stream: opening it shows the same stream at once
    const address = new URL(page.url());
    expect(address.searchParams.get('url')).toBe(urlOf(c.folder));
    expect(address.searchParams.get('stream')).toBe(c.stream);

    if (c.base === SGLX) {
      // time to first traces and bytes read before the first paint (recorded, not asserted)
      const first = await page.evaluate(() => (window as any).spikewireExample.open);
      const beforePaint = responses.filter((r) => r.receivedAt >= chosen && r.receivedAt <= first.firstPaintEpochMs);
      const bytesOf = (list: typeof responses) => list.reduce((sum, r) => sum + r.bytes, 0);
      const run = beforePaint.filter((r) => r.path.startsWith(`/fixtures/${c.folder}/`));
      const figures = {
        run: c.folder, stream: c.stream,
        listingMs: listedAt - chosen,
        firstTracesAfterStreamChosenMs: Math.round(first.firstPaintEpochMs - clickedAt),
        firstTracesAfterUrlSubmittedMs: Math.round(first.firstPaintEpochMs - chosen),
        // the run's files (index pages, .meta read on the page to list the streams and again in the
        // worker, .bin by range), and the rest (the spare worker the page starts loads the package)
        bytesBeforeFirstPaint: {
          bin: bytesOf(run.filter((r) => r.path.endsWith('.bin'))),
          meta: bytesOf(run.filter((r) => r.path.endsWith('.meta'))),
          indexPages: bytesOf(run.filter((r) => r.path.endsWith('/'))),
          runFiles: bytesOf(run),
          pageAndPackage: bytesOf(beforePaint) - bytesOf(run),
        },
        requestsBeforeFirstPaint: { runFiles: run.length, all: beforePaint.length },
      };
      await writeFile(join(shots, 'spikeglx-http-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
      process.stderr.write(`browser example, SpikeGLX run over HTTP: ${JSON.stringify(figures)}\n`);
      // the .bin files were read by range only
      const bins = responses.filter((r) => r.path.endsWith('.bin') && r.receivedAt >= chosen && r.status < 300);
      expect(bins.length).toBeGreaterThan(0);
      expect(bins.every((r) => r.status === 206 && r.range)).toBe(true);

      // screenshots at 1280 × 800: the traces, and the probe beside the channel table
      await page.locator('#traces').evaluate((el) => el.closest('section')!.scrollIntoView());
      await page.screenshot({ path: join(shots, '21-spikeglx-np1-traces.png') });
      await page.locator('#probe-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, '22-spikeglx-np1-probe.png') });
      // both at once, as with the browser zoomed out (the README's picture)
      await page.evaluate(() => (document.documentElement.style.zoom = '0.6'));
      await page.waitForTimeout(300); // the viewer redraws the same view at the new size
      await page.waitForFunction(() => document.querySelector<HTMLCanvasElement>('#traces')!.dataset.state === 'drawn');
      await page.locator('#recording').evaluate((el) => el.scrollIntoView());
      await page.screenshot({ path: join(shots, '20-spikeglx-np1-zoomed-out.png') });
      await page.evaluate(() => (document.documentElement.style.zoom = ''));

      // the shared link opens the stream without asking
      await page.goto(page.url());
      await opened(1);
      await drawn();
      expect(await summary()).toBe(expectedAll.streams[c.streamKey].recording.repr);
    } else {
      await page.screenshot({ path: join(shots, '24-openephys-http.png') });
    }
    expect(pageErrors).toEqual([]);
  }, 60000);

  it.each(ACQUISITION)('opens $what as picked files', async (c) => {
    const expectedAll = await readFixtureJson(`${c.base}/expected.json`);
    await page.goto(pageUrl());
    const ids = await listing(async () => page.setInputFiles('#folder-input', await fixturePath(c.folder)));
    expect(ids).toEqual(expectedAll.get_neo_streams.stream_ids);
    await openStream(c);
    expect(new URL(page.url()).searchParams.has('url')).toBe(false);
    await shot(c.base === SGLX ? '23-spikeglx-picked' : '25-openephys-picked');
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('opens the second experiment of an Open Ephys Record Node with two', async () => {
    const base = 'acquisition/openephys/acq_board_2exp';
    const expectedAll = await readFixtureJson(`${base}/expected.json`);
    await page.goto(pageUrl());
    const ids = await listing(async () => page.setInputFiles('#folder-input', await fixturePath(`${base}/data/Record Node 102`)));
    expect(ids).toEqual(expectedAll.get_neo_streams.stream_ids);
    expect(await page.isVisible('#experiment-select')).toBe(true);
    expect(await page.$$eval('#experiment-select option', (o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(expectedAll.get_available_experiments);
    await page.selectOption('#stream-select', '0');
    await page.selectOption('#experiment-select', 'experiment2');
    await opening(() => page.click('#stream-open'));
    expect(await errorText()).toBe('');
    await drawn();
    // experiment2 is neo's block 1
    expect(await summary()).toBe(expectedAll.streams['block1:Record Node 102#Acquisition_Board-100.Rhythm Data'].recording.repr);
    // two recordings of the experiment: two segments to choose from
    expect(await page.$$eval('#segment option', (o) => o.length)).toBe(2);
    await shot('26-openephys-second-experiment');
    expect(pageErrors).toEqual([]);
  }, 60000);
});

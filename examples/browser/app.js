/**
 * The browser example: open a SpikeInterface recording (a folder, a zip, a raw binary file, a URL, or
 * `?url=<address>` in the page's own address), or one stream of a SpikeGLX run or an Open Ephys Record
 * Node (the library tells the format and lists the streams: `inspectRecordingFolder`), show its
 * summary, channels, probe and traces, and save it as a zip or as SpikeInterface's JSON dump. Every
 * failure is shown in the page as a readable message.
 *
 * The recording is opened in a Worker (recording-worker.js) through the library's openRecordingWorker:
 * reading, conversion, preprocessing and the per-pixel envelopes the viewer draws all happen there,
 * and the first paint reads only the first window. The page's main thread draws, and opens the
 * recording itself only to save it. It uses only the package's public entry, 'spikewire'.
 */
// first: a module is run after the ones it imports, in their order, so the spare worker starts (and
// loads the package) while the page's copy of the package is still being run
import { recordingWorker } from './spare-worker.js';
import {
  BinaryRecordingExtractor, DTYPE_NAMES, dumpJsonText, inspectRecordingFolder, itemSize, load, openRecordingWorker, plotProbe,
  readOpenephys, readSpikeglx,
} from 'spikewire';
import { TraceViewer } from './trace-viewer.js';

const $ = (id) => document.getElementById(id);
document.body.dataset.started = 'true'; // the modules loaded (index.html reports it when they do not)
const RAW_SETTINGS_KEY = 'spikewire-example:raw-form';
const RECENT_KEY = 'spikewire-example:recent';
/** Bytes the first window may read (all channels of each frame are read together): a few hundred ms of 384 channels. */
const FIRST_WINDOW_BYTES = 4_000_000;

/**
 * What is shown: { proxy (the recording in the worker), name (for downloaded files), url (when opened
 * from one), source (what load() or BinaryRecordingExtractor.open takes, to save it from the page) }.
 */
let current = null;
let openTicket = 0;

/** What the page did, for people and tests: timings of the last open, windows drawn raw and filtered. */
const example = (window.spikewireExample = {
  filtered: { worker: 'module', computed: 0, read: 0, busyMs: 0, last: null, opens: 0 },
  open: null, // { label, chosenAt, firstPaintAt, firstPaintMs }
  viewer: null,
});

const viewer = new TraceViewer($('traces'), {
  onChange: (v) => {
    $('view-readout').textContent = v.describe();
    saveViewInAddress();
  },
  onError: (error) => showError('Could not read the traces', error),
  onWindow: (w) => windowDrawn(w),
  onCursor: (text) => ($('cursor-readout').textContent = text || '\u00a0'),
});
example.viewer = viewer;

// ------------------------------------------------------------------ messages

function setStatus(text) {
  $('status').hidden = !text;
  $('status').textContent = text ?? '';
}

/** Shows `error` in the page: its message (and SpikewireError code), never only in the console. */
function showError(title, error) {
  console.error(error);
  let message = error instanceof Error ? error.message : String(error);
  if (error?.name === 'SpikewireError') message += ` (${error.code})`;
  if (error?.cause instanceof Error && !message.includes(error.cause.message)) message += `\nCause: ${error.cause.message}`;
  $('error-title').textContent = title;
  $('error-message').textContent = message;
  $('error').hidden = false;
}

function hideError() {
  $('error').hidden = true;
}

$('error-close').addEventListener('click', hideError);
window.addEventListener('error', (e) => showError('Unexpected error', e.error ?? e.message));
window.addEventListener('unhandledrejection', (e) => showError('Unexpected error', e.reason));

// ------------------------------------------------------------------ opening

/** `{ format, folder, streamId, ... }`: one stream of an acquisition folder (see chooseStream). */
const isStreamSource = (source) => !!source && typeof source === 'object' && 'format' in source && 'folder' in source;

/**
 * Opens `source` (what openRecordingWorker takes) in a worker and shows it. Only the latest open wins:
 * a slower earlier one is closed when it arrives. `check` runs first (and may refuse with a message);
 * `saveSource` is what the page opens itself to save the recording; `url` goes into the page's address
 * (with the stream chosen, `stream` and `experiment`), so the link can be shared, and into the recent recordings.
 */
async function open(label, source, { name = 'recording', url = null, saveSource = source, check = null, view = null, stream = null, experiment = null } = {}) {
  const ticket = ++openTicket;
  const chosenAt = performance.now();
  hideError();
  if (!isStreamSource(source)) hideStreams();
  setStatus(`Opening ${label}…`);
  let proxy;
  try {
    if (check) await check();
    proxy = await openRecordingWorker(typeof source === 'function' ? await source() : source, { worker: recordingWorker() });
  } catch (error) {
    if (ticket === openTicket) {
      setStatus(null);
      showError(`Could not open ${label}`, error);
      document.body.dataset.opened = String(ticket);
    }
    return;
  }
  if (ticket !== openTicket) {
    proxy.close().catch(() => {});
    return;
  }
  const previous = current;
  current = { proxy, name, url, source: typeof saveSource === 'function' ? saveSource() : saveSource, filtered: new Map() };
  example.filtered.opens++;
  example.open = { label, chosenAt, openedAt: performance.now(), firstPaintAt: null, firstPaintMs: null };
  setStatus(null);
  try {
    await show(proxy, view);
  } catch (error) {
    showError(`Could not show ${label}`, error);
  }
  previous?.proxy.close().catch(() => {});
  filters.apply();
  const address = new URL(location.href);
  for (const [key, value] of [['url', url], ['stream', url && stream], ['experiment', url && experiment]]) {
    if (value !== null && value !== undefined) address.searchParams.set(key, String(value));
    else address.searchParams.delete(key);
  }
  history.replaceState(null, '', address);
  $('share-link').hidden = !url;
  $('share-link').href = address.href;
  if (url) remember(url, name);
  document.body.dataset.opened = String(ticket); // how many opens have ended (tests wait on it)
}

/** A name for downloads from a URL: its last path part, without .zip. */
function nameOf(text) {
  const part = text.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'recording';
  return decodeURIComponent(part).replace(/\.zip$/i, '') || 'recording';
}

/** Opens a URL: a zip as it is, a folder after looking at what it holds (see openFolder). `choice`: the view and stream of a shared link. */
function openUrl(text, choice = {}) {
  let href;
  try {
    href = new URL(text.trim(), location.href).href;
  } catch {
    showError('Not a URL', `${JSON.stringify(text)} is not a URL`);
    return;
  }
  $('url-input').value = href;
  if (/\.zip$/i.test(new URL(href).pathname)) open(href, href, { name: nameOf(href), url: href, view: choice.view });
  else openFolder(href, href, { name: nameOf(href), url: href, ...choice });
}

// ------------------------------------------------------------------ folders: SpikeInterface's, or a stream of an acquisition run

let inspectTicket = 0;
/** The acquisition folder whose streams are listed: { label, folder, format, streamNames, streamIds, experimentNames, name, url, view }. */
let choosing = null;
let streamLists = 0;

/**
 * A folder (picked files, a dropped directory, a URL): the library tells its format from the file
 * names. A SpikeGLX run or an Open Ephys Record Node lists its streams (and experiments) to choose
 * from; anything else opens as SpikeInterface's folder, and load() says what is wrong with it. A
 * folder that cannot be listed (a server without index pages) is left to load() too.
 */
async function openFolder(label, folder, { name, url = null, view = null, stream = null, experiment = null } = {}) {
  const ticket = ++inspectTicket;
  hideError();
  hideStreams();
  setStatus(`Looking into ${label}…`);
  let contents = null;
  try {
    contents = await inspectRecordingFolder(folder);
  } catch (error) {
    console.warn(`${label}: could not be listed, opened as a SpikeInterface folder`, error);
  }
  if (ticket !== inspectTicket) return; // something else was chosen meanwhile
  setStatus(null);
  if (contents?.format === 'spikeglx' || contents?.format === 'openephys') chooseStream(label, folder, contents, { name, url, view, stream, experiment });
  else open(label, folder, { name, url, view });
}

/** Lists the streams (and Open Ephys experiments) of an acquisition folder; a shared link's stream opens at once. */
function chooseStream(label, folder, contents, { name, url, view, stream, experiment }) {
  choosing = { label, folder, ...contents, name, url, view };
  const kind = contents.format === 'spikeglx' ? 'SpikeGLX run' : 'Open Ephys Record Node';
  $('streams-title').textContent = `${label}: ${kind} with ${contents.streamIds.length} stream${contents.streamIds.length === 1 ? '' : 's'}`;
  $('stream-select').replaceChildren(...contents.streamIds.map((id, i) => {
    const streamName = contents.streamNames[i];
    return new Option(streamName === id ? id : `${streamName} (id ${id})`, id);
  }));
  $('experiment-select').replaceChildren(...contents.experimentNames.map((e) => new Option(e, e)));
  $('experiment-label').hidden = contents.experimentNames.length < 2;
  if (stream !== null && contents.streamIds.includes(stream)) $('stream-select').value = stream;
  if (experiment !== null && contents.experimentNames.includes(experiment)) $('experiment-select').value = experiment;
  $('streams').hidden = false;
  document.body.dataset.streamLists = String(++streamLists); // how many stream lists were shown (tests wait on it)
  if (stream !== null && $('stream-select').value === stream) openChosenStream();
}

function hideStreams() {
  choosing = null;
  $('streams').hidden = true;
}

/** Opens the stream (and experiment) chosen in the list, in a worker like any recording. */
function openChosenStream() {
  const c = choosing;
  if (!c) return;
  const streamId = $('stream-select').value;
  const source = { format: c.format, folder: c.folder, streamId };
  if (c.experimentNames.length > 1) source.experimentName = $('experiment-select').value;
  const streamName = c.streamNames[c.streamIds.indexOf(streamId)] ?? streamId;
  const view = c.view;
  c.view = null; // a shared link's view is for its first open only
  open(`stream ${streamName} of ${c.label}`, source, {
    name: `${c.name}-${streamName.replace(/[^\w.-]+/g, '_')}`, url: c.url, view, stream: streamId, experiment: source.experimentName ?? null,
  });
}

$('stream-form').addEventListener('submit', (e) => {
  e.preventDefault();
  openChosenStream();
});

function openZip(file) {
  open(`zip “${file.name}”`, file, { name: nameOf(file.name) });
}

// A raw binary file needs its layout: the form's values, remembered between visits.
const rawForm = $('raw-form');
for (const dtype of DTYPE_NAMES) rawForm.elements.dtype.add(new Option(dtype, dtype));
rawForm.elements.dtype.value = 'int16';
try {
  const saved = JSON.parse(localStorage.getItem(RAW_SETTINGS_KEY) ?? '{}');
  for (const [key, value] of Object.entries(saved)) if (rawForm.elements[key] && key !== 'file') rawForm.elements[key].value = value;
} catch {
  // nothing remembered (or storage refused): keep the defaults
}
rawForm.addEventListener('change', () => {
  const { samplingFrequency, numChannels, dtype, fileOffset, gainToUV, offsetToUV } = rawForm.elements;
  const values = Object.fromEntries([samplingFrequency, numChannels, dtype, fileOffset, gainToUV, offsetToUV].map((el) => [el.name, el.value]));
  try {
    localStorage.setItem(RAW_SETTINGS_KEY, JSON.stringify(values));
  } catch {
    // storage refused (private mode): the form still works
  }
});
rawForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const file = rawForm.elements.file.files[0];
  if (file) openRaw(file);
});

function openRaw(file) {
  const f = rawForm.elements;
  const number = (el) => (el.value.trim() === '' ? null : Number(el.value));
  const options = {
    sources: [file],
    samplingFrequency: number(f.samplingFrequency),
    numChannels: number(f.numChannels),
    dtype: f.dtype.value,
    fileOffset: number(f.fileOffset) ?? 0,
  };
  const gain = number(f.gainToUV);
  if (gain !== null) {
    options.gainToUV = gain;
    options.offsetToUV = number(f.offsetToUV) ?? 0;
  }
  // SpikeInterface (and spikewire) only warn when the size is not a whole number of frames; here
  // that almost always means a wrong dtype, channel count or offset, so the page says so.
  const check = () => {
    const frame = options.numChannels * itemSize(options.dtype);
    const data = file.size - options.fileOffset;
    if (Number.isInteger(frame) && frame > 0 && data > 0 && data % frame !== 0) {
      throw new Error(
        `${file.name}: ${data} bytes after a file offset of ${options.fileOffset} are not a whole number of frames ` +
          `of ${options.numChannels} channels × ${itemSize(options.dtype)} bytes (${options.dtype}): that is ${(data / frame).toFixed(2)} frames. ` +
          `Check the dtype, the number of channels and the offset.`,
      );
    }
  };
  open(`raw file “${file.name}”`, { binary: options }, { name: file.name.replace(/\.[^.]*$/, '') || 'recording', check });
}

$('folder-input').addEventListener('change', (e) => {
  const files = e.target.files;
  if (!files.length) return;
  const top = files[0].webkitRelativePath.split('/')[0] || 'folder';
  openFolder(`folder “${top}”`, [...files], { name: top });
});
$('zip-input').addEventListener('change', (e) => {
  if (e.target.files[0]) openZip(e.target.files[0]);
});
$('url-form').addEventListener('submit', (e) => {
  e.preventDefault();
  openUrl($('url-input').value);
});

// Drag and drop: a folder (as a directory handle where the browser gives one, else its files with
// their relative paths), a zip, or a raw file (opened with the raw form's values).
let dragDepth = 0;
const dragsFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
document.addEventListener('dragenter', (e) => {
  if (!dragsFiles(e)) return;
  dragDepth++;
  $('drop-overlay').hidden = false;
});
document.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) {
    dragDepth = 0;
    $('drop-overlay').hidden = true;
  }
});
document.addEventListener('dragover', (e) => {
  if (dragsFiles(e)) e.preventDefault();
});
document.addEventListener('drop', (e) => {
  if (!dragsFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  $('drop-overlay').hidden = true;
  const item = [...e.dataTransfer.items].find((i) => i.kind === 'file');
  if (!item) return;
  // All three must be asked for now, while the drop event runs.
  const entry = item.webkitGetAsEntry?.();
  const handle = item.getAsFileSystemHandle?.().catch(() => null);
  const file = item.getAsFile();
  if (entry?.isDirectory) {
    (async () => openFolder(`folder “${entry.name}”`, (await handle) ?? (await filesOf(entry)), { name: entry.name }))()
      .catch((error) => showError(`Could not open folder “${entry.name}”`, error));
  } else if (file && /\.zip$/i.test(file.name)) {
    openZip(file);
  } else if (file) {
    const list = new DataTransfer();
    list.items.add(file);
    rawForm.elements.file.files = list.files;
    openRaw(file);
  }
});

/** Every file under a dropped directory entry, with webkitRelativePath set as a folder picker sets it. */
async function filesOf(root) {
  const files = [];
  const walk = async (entry, path) => {
    if (entry.isFile) {
      const file = await new Promise((done, fail) => entry.file(done, fail));
      Object.defineProperty(file, 'webkitRelativePath', { value: `${path}${entry.name}` });
      files.push(file);
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((done, fail) => reader.readEntries(done, fail));
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, `${path}${entry.name}/`);
    }
  };
  await walk(root, '');
  return files;
}

// ------------------------------------------------------------------ showing

/** Channel ids from the top of the probe to its tip (then left to right); the recording's order without a probe. */
function depthOrder(proxy) {
  const ids = proxy.getChannelIds();
  if (!proxy.hasProbe()) return ids;
  const xy = proxy.getChannelLocations();
  return ids.map((id, i) => ({ id, x: xy[2 * i], y: xy[2 * i + 1], i }))
    .sort((a, b) => b.y - a.y || a.x - b.x || a.i - b.i)
    .map((c) => c.id);
}

/** The first window: one second, or fewer frames when a second of every channel is more than FIRST_WINDOW_BYTES. */
function firstSpan(proxy) {
  const frameBytes = proxy.getNumChannels() * itemSize(proxy.getDtype());
  return Math.max(16, Math.min(Math.round(proxy.getSamplingFrequency()), Math.floor(FIRST_WINDOW_BYTES / frameBytes)));
}

async function show(proxy, view) {
  $('recording').hidden = false;
  $('summary').textContent = String(proxy);

  const segments = $('segment');
  segments.replaceChildren();
  for (let i = 0; i < proxy.getNumSegments(); i++) {
    const label = `${i}: ${proxy.getNumSamples(i).toLocaleString('en')} samples from ${proxy.getStartTime(i)} s`;
    segments.add(new Option(label, String(i)));
  }
  segments.disabled = proxy.getNumSegments() < 2;

  viewer.setRecording(filters.timed(proxy, null), { channels: depthOrder(proxy), firstSpan: firstSpan(proxy) });
  if (view) {
    viewer.setView(view);
    segments.value = String(viewer.segment);
  }
  // The channel table and the probe wait for the next frame: the viewer's draw, asked for first, runs
  // before them in that frame and sends its first read before the page lays out hundreds of rows.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  if (current?.proxy !== proxy) return; // another recording was opened meanwhile
  showChannels(proxy);
  showProbe(proxy);
}

/** A property value as table text. */
function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(+v.toPrecision(6));
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v, cell).join(', ')}]`;
  return String(v);
}

/** The channel table: a "show" tick box, the id, the location (with a probe) and every property. */
function showChannels(recording) {
  const ids = recording.getChannelIds();
  const keys = recording.getPropertyKeys();
  const columns = keys.map((key) => Array.from(recording.getProperty(key)));
  const locations = recording.hasProbe() ? recording.getChannelLocations() : null;
  const head = ['show', 'channel id', ...(locations ? ['x', 'y'] : []), ...keys];
  $('channels').tHead.replaceChildren(row('th', head));
  const body = $('channels').tBodies[0];
  body.replaceChildren(
    ...ids.map((id, i) => {
      const values = [String(id), ...(locations ? [cell(locations[2 * i]), cell(locations[2 * i + 1])] : []), ...columns.map((c) => cell(c[i]))];
      const tr = row('td', ['', ...values]);
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: true, title: `show channel ${id}` });
      box.dataset.index = String(i);
      tr.cells[0].append(box);
      tr.dataset.index = String(i);
      return tr;
    }),
  );
}

function row(tag, texts) {
  const tr = document.createElement('tr');
  for (const text of texts) tr.append(Object.assign(document.createElement(tag), { textContent: text }));
  return tr;
}

$('channels').addEventListener('change', () => applyChannelChoice());
$('show-all').addEventListener('click', () => tickAll(true));
$('show-none').addEventListener('click', () => tickAll(false));

function tickAll(value) {
  for (const box of $('channels').querySelectorAll('input[type=checkbox]')) box.checked = value;
  applyChannelChoice();
}

function applyChannelChoice() {
  const ids = current.proxy.getChannelIds();
  const chosen = new Set([...$('channels').querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => ids[Number(b.dataset.index)]));
  viewer.setChannels(depthOrder(current.proxy).filter((id) => chosen.has(id)));
}

/** Ticks exactly `ids` in the table and shows them (by depth). */
function chooseChannels(ids) {
  const wanted = new Set(ids);
  const all = current.proxy.getChannelIds();
  for (const box of $('channels').querySelectorAll('input[type=checkbox]')) box.checked = wanted.has(all[Number(box.dataset.index)]);
  applyChannelChoice();
}

/**
 * plotProbe's SVG of the group. ProbeInterface frames the whole probe; when the shank is much longer
 * than the part with contacts (a Neuropixels shank is 10 mm for 4 mm of contacts), frame the contacts.
 */
function framedProbe(group) {
  const size = { width: 360, height: 540 };
  const svg = plotProbe(group, size);
  const [dx, dy] = [/data-x-dim="(\d)"/, /data-y-dim="(\d)"/].map((re) => Number(re.exec(svg)?.[1] ?? 0));
  const ylims = (/data-ylims="([^"]*)"/.exec(svg)?.[1] ?? '').split(' ').map(Number);
  const positions = group.probes.flatMap((p) => Array.from(p.contactPositions ?? []));
  if (positions.length === 0 || ylims.length !== 2) return svg;
  const xs = positions.map((p) => p[dx]);
  const ys = positions.map((p) => p[dy]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (ylims[1] - ylims[0] < y1 - y0 + 1000) return svg; // less than 1 mm of shank beyond the contacts
  return plotProbe(group, { ...size, xlims: [x0 - 40, x1 + 40], ylims: [y0 - 40, y1 + 40] });
}

/** The probe as ProbeInterface draws it; hovering a contact names its channel (and marks it elsewhere). */
function showProbe(recording) {
  const box = $('probe');
  if (!recording.hasProbe()) {
    box.innerHTML = '<p class="hint">No probe attached to this recording.</p>';
    $('probe-hover').innerHTML = '&nbsp;';
    return;
  }
  const group = recording.getProbegroup();
  box.innerHTML = framedProbe(group);
  const ids = recording.getChannelIds();
  const wiring = group.getGlobalDeviceChannelIndices().deviceChannelIndices;
  const contactIds = group.getGlobalContactIds();
  const channelOf = (k) => (wiring[k] >= 0 ? ids[wiring[k]] : undefined);
  for (const shape of box.querySelectorAll('[data-contact-index]:not(text)')) {
    const k = Number(shape.dataset.contactIndex);
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = channelOf(k) === undefined ? `contact ${contactIds[k] || k} (not connected)` : `channel ${channelOf(k)}`;
    shape.append(title);
  }
  let hovered = null;
  const hover = (shape) => {
    if (shape === hovered) return;
    hovered?.classList.remove('hovered');
    for (const tr of $('channels').querySelectorAll('tr.hovered')) tr.classList.remove('hovered');
    hovered = shape;
    if (!shape) {
      $('probe-hover').innerHTML = '&nbsp;';
      viewer.setHighlight(null);
      return;
    }
    shape.classList.add('hovered');
    const k = Number(shape.dataset.contactIndex);
    const id = channelOf(k);
    const contact = contactIds[k] ? ` · contact id ${contactIds[k]}` : '';
    $('probe-hover').textContent = id === undefined ? `contact ${k}: not connected${contact}` : `channel ${id}${contact}`;
    if (id !== undefined) {
      $('channels').tBodies[0].rows[ids.indexOf(id)]?.classList.add('hovered');
      viewer.setHighlight(id);
    }
  };
  box.onmouseover = (e) => hover(e.target.closest?.('[data-contact-index]:not(text)') ?? null);
  box.onmouseleave = () => hover(null);

  // Dragging up or down over the probe chooses the channels whose contacts lie in that band.
  const band = $('probe-band');
  let from = null;
  const shapes = () => [...box.querySelectorAll('[data-contact-index]:not(text)')];
  box.onpointerdown = (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    from = e.clientY;
    box.setPointerCapture?.(e.pointerId);
  };
  box.onpointermove = (e) => {
    if (from === null) return;
    const rect = box.getBoundingClientRect();
    band.hidden = false;
    Object.assign(band.style, { top: `${Math.min(from, e.clientY) - rect.top}px`, height: `${Math.abs(e.clientY - from)}px` });
  };
  box.onpointerup = (e) => {
    if (from === null) return;
    const [y0, y1] = [Math.min(from, e.clientY), Math.max(from, e.clientY)];
    from = null;
    band.hidden = true;
    if (y1 - y0 < 4) return; // a click, not a drag
    const chosen = shapes()
      .filter((shape) => {
        const r = shape.getBoundingClientRect();
        const mid = (r.top + r.bottom) / 2;
        return mid >= y0 && mid <= y1;
      })
      .map((shape) => channelOf(Number(shape.dataset.contactIndex)))
      .filter((id) => id !== undefined);
    if (chosen.length) chooseChannels(chosen);
  };
}

// ------------------------------------------------------------------ trace viewer controls

$('segment').addEventListener('change', (e) => viewer.setSegment(Number(e.target.value)));
const actions = {
  back: () => viewer.scrollTime(-0.5),
  forward: () => viewer.scrollTime(0.5),
  'zoom-in': () => viewer.zoomTime(0.5),
  'zoom-out': () => viewer.zoomTime(2),
  up: () => viewer.scrollChannels(-Math.max(1, Math.round(viewer.rows / 2))),
  down: () => viewer.scrollChannels(Math.max(1, Math.round(viewer.rows / 2))),
  more: () => viewer.moreChannels(Math.max(1, Math.round(viewer.rows / 2))),
  fewer: () => viewer.moreChannels(-Math.max(1, Math.round(viewer.rows / 3))),
  taller: () => viewer.scaleAmplitude(1.5),
  shorter: () => viewer.scaleAmplitude(1 / 1.5),
};
$('jump-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const t = Number($('jump-time').value);
  if (current && Number.isFinite(t)) viewer.jumpTo(t);
});
document.querySelector('.toolbar').addEventListener('click', (e) => {
  const act = e.target.closest('button')?.dataset.act;
  if (act && current) actions[act]();
});

// ------------------------------------------------------------------ traces (raw or filtered), in the worker

/**
 * "Filtered": the traces shown are commonReference(highpassFilter(recording, { freqMin }), { reference:
 * 'global', operator }) (or only the highpass), made in the recording's worker (proxy.preprocess) and
 * read there like the raw ones. window.spikewireExample.filtered tells what was drawn: windows of the
 * filtered traces (computed; busyMs, the time the page waited for them) and of the raw ones (read), and
 * the last filtered window (its arguments and values).
 */
const filters = (() => {
  const state = example.filtered;

  function settings() {
    const freqMin = Number($('filter-freq').value);
    if (!(freqMin > 0)) throw new Error(`the highpass cutoff must be a number of Hz above 0, not ${JSON.stringify($('filter-freq').value)}`);
    return { freqMin, reference: $('filter-reference').value };
  }

  /** The proxy with each read timed (filtered: the time is the worker's computing, as seen from here). */
  function timed(proxy, filter) {
    const wrap = (read) => async (opts) => {
      const began = performance.now();
      const answer = await read(opts);
      if (filter) state.busyMs += performance.now() - began;
      return answer;
    };
    return Object.assign(Object.create(proxy), {
      getEnvelopes: wrap((o) => proxy.getEnvelopes(o)),
      getTraces: wrap((o) => proxy.getTraces(o)),
      filter,
      base: proxy,
    });
  }

  /** Applies the toggle and the fields to what is shown (after every open, too). */
  async function apply() {
    if (!current) return;
    const shownFor = current;
    let filter = null;
    if ($('filtered').checked) {
      try {
        filter = settings();
      } catch (error) {
        showError('Cannot filter', error); // and the raw traces are shown
      }
    }
    if (!filter) {
      // the raw traces: unless they are what is shown already (right after an open)
      if (viewer.source?.base !== current.proxy || viewer.source.filter) viewer.setSource(timed(current.proxy, null));
      return;
    }
    const key = `${filter.freqMin}|${filter.reference}`;
    let pending = current.filtered.get(key);
    if (!pending) {
      const steps = [{ name: 'highpassFilter', options: { freqMin: filter.freqMin } }];
      if (filter.reference !== 'none') steps.push({ name: 'commonReference', options: { reference: 'global', operator: filter.reference } });
      pending = current.proxy.preprocess(steps);
      current.filtered.set(key, pending);
    }
    try {
      const proxy = await pending;
      if (current === shownFor) viewer.setSource(timed(proxy, filter));
    } catch (error) {
      showError('Cannot filter', error);
    }
  }

  for (const id of ['filtered', 'filter-freq', 'filter-reference']) $(id).addEventListener('change', apply);
  return { apply, timed };
})();

/** Counts each window drawn, remembers the last filtered one, and times the first paint of an open. */
function windowDrawn(w) {
  const filter = viewer.source?.filter ?? null;
  const state = example.filtered;
  if (filter) {
    state.computed++;
    const values = w.kind === 'envelopes' ? w.data.min : w.data.data;
    const shape = w.kind === 'envelopes' ? w.data.shape : w.data.shape;
    state.last = { ...w, data: undefined, ...filter, shape, values, maxValues: w.kind === 'envelopes' ? w.data.max : undefined };
  } else {
    state.read++;
  }
  const o = example.open;
  if (o && o.firstPaintAt === null) {
    o.firstPaintAt = performance.now();
    o.firstPaintMs = o.firstPaintAt - o.chosenAt;
    o.firstPaintEpochMs = performance.timeOrigin + o.firstPaintAt;
  }
}

// ------------------------------------------------------------------ the view in the address, recent recordings

let addressTimer = 0;
/** Writes the view into the address's hash (debounced), so that reloading or sharing the link restores it. */
function saveViewInAddress() {
  if (!current?.url) return;
  clearTimeout(addressTimer);
  addressTimer = setTimeout(() => {
    const v = viewer.getView();
    const hash = new URLSearchParams({
      seg: String(v.segment), start: String(v.start), span: String(v.span), first: String(v.first), rows: String(v.rows),
      ...(v.amplitude ? { amp: String(+v.amplitude.toPrecision(4)) } : {}), ...($('filtered').checked ? { filtered: '1' } : {}),
    });
    history.replaceState(null, '', `${location.pathname}${location.search}#${hash}`);
  }, 400);
}

/** The view saved in the address's hash, if any. */
function viewFromAddress() {
  const p = new URLSearchParams(location.hash.slice(1));
  if (!p.has('start')) return null;
  const num = (k) => (p.has(k) ? Number(p.get(k)) : undefined);
  if (p.get('filtered') === '1') $('filtered').checked = true;
  return { segment: num('seg'), start: num('start'), span: num('span'), first: num('first'), rows: num('rows'), amplitude: num('amp') };
}

/** Recordings opened by URL, most recent first (at most 8), kept in localStorage. */
function recent() {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((r) => typeof r?.url === 'string') : [];
  } catch {
    return [];
  }
}

function remember(url, name) {
  const list = [{ url, name }, ...recent().filter((r) => r.url !== url)].slice(0, 8);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(list));
  } catch {
    // storage refused (private mode): nothing remembered
  }
  showRecent();
}

function showRecent() {
  const list = recent();
  $('recent').hidden = list.length === 0;
  $('recent-list').replaceChildren(...list.map(({ url, name }) => {
    const li = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: name || url, title: url });
    button.addEventListener('click', () => openUrl(url));
    li.append(button);
    return li;
  }));
}
showRecent();

// ------------------------------------------------------------------ saving

function download(blob, filename) {
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}

/** Runs a save with the buttons disabled and any failure shown in the page. */
async function saving(what, job) {
  const buttons = [$('save-zip'), $('save-json')];
  buttons.forEach((b) => (b.disabled = true));
  hideError();
  setStatus(`${what}…`);
  try {
    await job();
  } catch (error) {
    showError(`${what} failed`, error);
  } finally {
    setStatus(null);
    buttons.forEach((b) => (b.disabled = false));
  }
}

$('save-zip').addEventListener('click', () =>
  saving('Saving the zip', async () => {
    // the page opens the recording itself to save it (the worker's copy stays for the viewer)
    const recording = await openHere(current.source);
    const saved = await recording.save({
      format: 'zip',
      onProgress: ({ done, total }) => setStatus(`Saving the zip… ${total ? Math.round((100 * done) / total) : 100} %`),
    });
    if (!(saved.archive instanceof Blob)) throw new Error("save({format: 'zip'}) returned no archive Blob");
    download(saved.archive, `${current.name}.zip`);
    await saved.close();
    await recording.close();
  }),
);

/** The shown recording opened on the page's main thread (to save it): as the worker opened it. */
function openHere(source) {
  if (source && typeof source === 'object' && 'binary' in source) return BinaryRecordingExtractor.open(source.binary);
  if (isStreamSource(source)) {
    const { format, folder, streamId, experimentName } = source;
    return format === 'spikeglx' ? readSpikeglx(folder, { streamId }) : readOpenephys(folder, { streamId, experimentName });
  }
  return load(source);
}

$('save-json').addEventListener('click', () =>
  saving('Writing the JSON dump', async () => {
    const dict = current.proxy.toDict();
    download(new Blob([dumpJsonText(dict)], { type: 'application/json' }), `${current.name}.json`);
  }),
);

// ------------------------------------------------------------------ start

const query = new URLSearchParams(location.search);
if (query.get('url')) openUrl(query.get('url'), { view: viewFromAddress(), stream: query.get('stream'), experiment: query.get('experiment') });

/**
 * The browser example: open a SpikeInterface recording (a folder, a zip, a raw binary file, a URL, or
 * `?url=<address>` in the page's own address), show its summary, channels, probe and traces, and save
 * it as a zip or as SpikeInterface's JSON dump. Every failure is shown in the page as a readable message.
 * It uses only the package's public entry, 'spikewire' (mapped to dist/index.mjs by the import map).
 */
import { BinaryRecordingExtractor, DTYPE_NAMES, dumpJsonText, itemSize, load, plotProbe } from 'spikewire';
import { TraceViewer } from './trace-viewer.js';
import { pageImportMap } from './worker-imports.js';

const $ = (id) => document.getElementById(id);
document.body.dataset.started = 'true'; // the modules loaded (index.html reports it when they do not)
const RAW_SETTINGS_KEY = 'spikewire-example:raw-form';

/**
 * What is shown: { recording, name (for downloaded files), url (when opened from one), source (what the
 * filter worker opens to compute the same recording's filtered traces) }.
 */
let current = null;
let openTicket = 0;

const viewer = new TraceViewer($('traces'), {
  onChange: (v) => ($('view-readout').textContent = v.describe()),
  onError: (error) => showError('Could not read the traces', error),
});

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

/**
 * Runs `opener` (which returns a recording) and shows its result. Only the latest open wins: a slower
 * earlier one is closed when it arrives. `url` goes into the page's address, so the link can be shared.
 */
async function open(label, opener, { name = 'recording', url = null, source = null } = {}) {
  const ticket = ++openTicket;
  hideError();
  setStatus(`Opening ${label}…`);
  let recording;
  try {
    recording = await opener();
  } catch (error) {
    if (ticket === openTicket) {
      setStatus(null);
      showError(`Could not open ${label}`, error);
      document.body.dataset.opened = String(ticket);
    }
    return;
  }
  if (ticket !== openTicket) {
    recording.close().catch(() => {});
    return;
  }
  const previous = current?.recording;
  current = { recording, name, url, source: typeof source === 'function' ? source() : source };
  setStatus(null);
  try {
    show(recording);
  } catch (error) {
    showError(`Could not show ${label}`, error);
  }
  if (previous && previous !== recording) previous.close().catch(() => {});
  filters.opened();
  const address = new URL(location.href);
  if (url) address.searchParams.set('url', url);
  else address.searchParams.delete('url');
  history.replaceState(null, '', address);
  $('share-link').hidden = !url;
  $('share-link').href = address.href;
  document.body.dataset.opened = String(ticket); // how many opens have ended (tests wait on it)
}

/** A name for downloads from a URL: its last path part, without .zip. */
function nameOf(text) {
  const part = text.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'recording';
  return decodeURIComponent(part).replace(/\.zip$/i, '') || 'recording';
}

function openUrl(text) {
  let href;
  try {
    href = new URL(text.trim(), location.href).href;
  } catch {
    showError('Not a URL', `${JSON.stringify(text)} is not a URL`);
    return;
  }
  $('url-input').value = href;
  open(href, () => load(href), { name: nameOf(href), url: href, source: { kind: 'url', url: href } });
}

function openZip(file) {
  open(`zip “${file.name}”`, () => load(file), { name: nameOf(file.name), source: { kind: 'file', file } });
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
  open(`raw file “${file.name}”`, async () => {
    // SpikeInterface (and spikewire) only warn when the size is not a whole number of frames; here
    // that almost always means a wrong dtype, channel count or offset, so the page says so.
    const frame = options.numChannels * itemSize(options.dtype);
    const data = file.size - options.fileOffset;
    if (Number.isInteger(frame) && frame > 0 && data > 0 && data % frame !== 0) {
      throw new Error(
        `${file.name}: ${data} bytes after a file offset of ${options.fileOffset} are not a whole number of frames ` +
          `of ${options.numChannels} channels × ${itemSize(options.dtype)} bytes (${options.dtype}): that is ${(data / frame).toFixed(2)} frames. ` +
          `Check the dtype, the number of channels and the offset.`,
      );
    }
    return BinaryRecordingExtractor.open(options);
  }, { name: file.name.replace(/\.[^.]*$/, '') || 'recording', source: { kind: 'raw', options } });
}

$('folder-input').addEventListener('change', (e) => {
  const files = e.target.files;
  if (!files.length) return;
  const top = files[0].webkitRelativePath.split('/')[0] || 'folder';
  open(`folder “${top}”`, () => load(files), { name: top, source: folderSource([...files]) });
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
    let source = null;
    open(`folder “${entry.name}”`, async () => {
      const opened = (await handle) ?? (await filesOf(entry));
      source = Array.isArray(opened) ? folderSource(opened) : { kind: 'handle', handle: opened };
      return load(opened);
    }, { name: entry.name, source: () => source });
  } else if (file && /\.zip$/i.test(file.name)) {
    openZip(file);
  } else if (file) {
    const list = new DataTransfer();
    list.items.add(file);
    rawForm.elements.file.files = list.files;
    openRaw(file);
  }
});

/** A chosen folder's files for the worker: structured cloning drops webkitRelativePath, so it goes alongside. */
function folderSource(files) {
  return { kind: 'files', entries: files.map((file) => ({ path: file.webkitRelativePath || file.name, file })) };
}

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

function show(recording) {
  $('recording').hidden = false;
  $('summary').textContent = String(recording);

  const segments = $('segment');
  segments.replaceChildren();
  for (let i = 0; i < recording.getNumSegments(); i++) {
    const label = `${i}: ${recording.getNumSamples(i).toLocaleString('en')} samples from ${recording.getStartTime(i)} s`;
    segments.add(new Option(label, String(i)));
  }
  segments.disabled = recording.getNumSegments() < 2;

  viewer.setRecording(recording);
  showChannels(recording);
  showProbe(recording);
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
  const ids = current.recording.getChannelIds();
  const chosen = [...$('channels').querySelectorAll('input[type=checkbox]')].filter((b) => b.checked).map((b) => ids[Number(b.dataset.index)]);
  viewer.setChannels(chosen);
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
document.querySelector('.toolbar').addEventListener('click', (e) => {
  const act = e.target.closest('button')?.dataset.act;
  if (act && current) actions[act]();
});

// ------------------------------------------------------------------ traces (raw or filtered), in a worker

/**
 * The traces shown are read in filter-worker.js, which opens the same source as the page and answers
 * each window with a transferred Float32Array; the page keeps its own copy of the recording for the
 * summary, channels, probe and saving (and reads the traces itself only if the worker cannot open the
 * source). "Filtered": the windows are commonReference(highpassFilter(recording, { freqMin }),
 * { reference: 'global', operator }) (or only the highpass), computed in the worker too.
 * window.spikewireExample.filtered tells what the worker did: filtered windows computed (busyMs: the
 * time they took there), raw windows read, and the last filtered window (its arguments and values).
 */
const filters = (() => {
  const state = { worker: null, computed: 0, read: 0, busyMs: 0, last: null, opens: 0 };
  window.spikewireExample = { filtered: state };
  const pending = new Map(); // id -> { done, fail }
  let nextId = 0;
  let sentSource = null; // the source the worker has (or is opening)
  let opening = null; // Promise of the worker's open of sentSource
  let failed = null; // the worker's start failure, if any
  let worker = null;

  function call(message, transfer = []) {
    if (!worker) {
      worker = new Worker(new URL('./filter-worker.js', import.meta.url), { type: 'module' });
      state.worker = 'module';
      worker.addEventListener('message', ({ data }) => {
        const waiting = pending.get(data.id);
        if (!waiting) return;
        pending.delete(data.id);
        if (data.ok) waiting.done(data);
        else waiting.fail(Object.assign(new Error(data.error.message), { name: data.error.name ?? 'Error', code: data.error.code }));
      });
      worker.addEventListener('error', (e) => {
        const error = new Error(`the filter worker failed: ${e.message || 'it could not start (does this browser run module workers?)'}`);
        for (const waiting of pending.values()) waiting.fail(error);
        pending.clear();
        failed = error;
        apply();
      });
      call({ type: 'init', imports: pageImportMap() }).catch(() => {}); // a failure reaches the requests after it
    }
    const id = ++nextId;
    return new Promise((done, fail) => {
      pending.set(id, { done, fail });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  function settings() {
    const freqMin = Number($('filter-freq').value);
    if (!(freqMin > 0)) throw new Error(`the highpass cutoff must be a number of Hz above 0, not ${JSON.stringify($('filter-freq').value)}`);
    return { freqMin, reference: $('filter-reference').value };
  }

  /** The viewer's reader while "Filtered" is on: the window, computed in the worker. */
  /** The viewer's reader: each window read (raw, filter null) or computed (filtered) in the worker. */
  function reader(source, opening, filter) {
    return async (args) => {
      await opening;
      const answer = await call({ type: 'traces', ...args, channelIds: [...args.channelIds], filter });
      if (source !== sentSource) throw new Error('the recording changed meanwhile');
      state.computed = answer.computed;
      state.read = answer.read;
      state.busyMs = answer.busyMs;
      if (filter) state.last = { ...args, channelIds: [...args.channelIds], ...filter, shape: answer.shape, values: answer.data };
      return { data: answer.data, shape: answer.shape };
    };
  }

  /** Applies the toggle and the fields to what is shown (after every open, too). */
  function apply() {
    if (!current) return;
    let filter = null;
    if ($('filtered').checked) {
      try {
        filter = settings();
      } catch (error) {
        showError('Cannot filter', error); // and the raw traces are shown
      }
    }
    const source = current.source;
    if (!source || failed) {
      // the worker cannot open this recording: the page reads the raw traces itself
      viewer.setReader(null);
      if (filter) showError('Cannot filter', failed ?? new Error('this recording was opened in a way the worker cannot repeat'));
      return;
    }
    if (source !== sentSource) {
      sentSource = source;
      state.opens++;
      opening = call({ type: 'open', source });
      opening.catch(() => {});
    }
    viewer.setReader(reader(source, opening, filter));
  }

  for (const id of ['filtered', 'filter-freq', 'filter-reference']) $(id).addEventListener('change', apply);
  return { opened: apply };
})();

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
    const saved = await current.recording.save({
      format: 'zip',
      onProgress: ({ done, total }) => setStatus(`Saving the zip… ${total ? Math.round((100 * done) / total) : 100} %`),
    });
    if (!(saved.archive instanceof Blob)) throw new Error("save({format: 'zip'}) returned no archive Blob");
    download(saved.archive, `${current.name}.zip`);
    await saved.close();
  }),
);

$('save-json').addEventListener('click', () =>
  saving('Writing the JSON dump', async () => {
    const dict = current.recording.toDict({ includeAnnotations: true, recursive: true });
    download(new Blob([dumpJsonText(dict)], { type: 'application/json' }), `${current.name}.json`);
  }),
);

// ------------------------------------------------------------------ start

const shared = new URLSearchParams(location.search).get('url');
if (shared) openUrl(shared);

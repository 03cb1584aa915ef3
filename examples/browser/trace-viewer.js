/**
 * TraceViewer: the channels of one recording segment stacked on a 2D canvas, in µV when the recording
 * has gains (else in raw units), with the time axis in seconds from the segment's start time.
 *
 * It draws what its source (a RecordingWorkerProxy: the recording, or a preprocessed view of it, read
 * in a Worker) answers for exactly the visible window and channels, at screen resolution: per-pixel
 * min/max envelopes (getEnvelopes) when there are more frames than pixels, the samples themselves
 * (getTraces) when zoomed in further. Windows go through the library's WindowCache: the next and the
 * previous window are prefetched after each draw, and a window nobody waits for any more (the view
 * moved on while it was read) is aborted in the worker. The main thread only draws.
 *
 * Interaction: wheel = time, shift+wheel = channels, ctrl+wheel = zoom (around the pointer); drag =
 * pan; keys: ← → (a tenth of the window), PageUp / PageDown (a whole window), Home / End, ↑ ↓
 * (channels), + − (zoom), [ ] (amplitude). The page's buttons call the same methods. After each
 * complete draw the canvas carries data-state="drawn" and data-view (segment:startFrame-endFrame:
 * firstRow+rows), which tests wait on.
 */
import { WindowCache, itemSize } from 'spikewire';

const MARGIN = { left: 64, right: 72, top: 8, bottom: 40 };
const COLORS = { bg: '#ffffff', grid: '#eef1f4', axis: '#5b6470', text: '#2b313a', trace: '#1f3b57', highlight: '#d9480f' };
/** Trace colours by channel group (group 0 keeps the plain ink). */
const GROUP_COLORS = ['#1f3b57', '#2f7d32', '#8e3b9e', '#b25d00', '#00788a', '#a3162c', '#4d5a9c', '#6b6b00'];
/** Longest window the viewer shows (s, and bytes of every channel read): a wider one reads more than a view should. */
const MAX_SECONDS = 60;
const MAX_WINDOW_BYTES = 256 << 20;

/** A '#rrggbb' colour as the 32-bit value of an opaque ImageData pixel (RGBA bytes, little-endian). */
function rgba(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/** A "nice" step (1, 2, 2.5, 5 × 10^k) near `raw`. */
function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

/** A number of µV (or raw units) written short: 120, 1.5k, 0.25. */
export function shortNumber(v) {
  if (Math.abs(v) >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

/** The median of the finite values of a Float64Array (sorted in place). */
function median(values) {
  values.sort(); // typed arrays sort numerically, NaN last
  let n = values.length;
  while (n > 0 && !Number.isFinite(values[n - 1])) n--;
  return n ? values[n >> 1] : 0;
}

export class TraceViewer {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ onChange?: (viewer: TraceViewer) => void, onError?: (error: unknown) => void,
   *   onWindow?: (w: object) => void, onCursor?: (text: string) => void }} [callbacks]
   *   onChange after every view change; onError when reading fails; onWindow with each window drawn
   *   (its kind, arguments and values); onCursor with the readout under the pointer.
   */
  constructor(canvas, { onChange = () => {}, onError = () => {}, onWindow = () => {}, onCursor = () => {} } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    Object.assign(this, { onChange, onError, onWindow, onCursor });
    this.source = null;
    this.cache = null;
    this.generation = 0;
    this.frameRequested = false;
    this.highlight = null;
    this.waiting = null; // AbortController of the draw waiting for its window
    this.shown = null; // what is painted: { key, kind, data, ids, columns }
    this.draws = 0; // complete draws of the exact view
    this.frames = 0; // paints, including those of a window moved while the exact one is read (frame rate)
    this.loading = null; // the read in flight: { key, cache, controller }
    this.groupOf = new Map();
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener('keydown', (e) => this.onKey(e));
    canvas.addEventListener('pointerdown', (e) => this.onPointerDown(e));
    canvas.addEventListener('pointermove', (e) => this.onPointerMove(e));
    canvas.addEventListener('pointerup', (e) => this.onPointerUp(e));
    canvas.addEventListener('pointerleave', () => this.onCursor(''));
    this.cssSize = null; // { width, height } of the canvas, from the ResizeObserver
    new ResizeObserver(() => {
      // whole pixels, as clientWidth gives them (the observer's rectangle may be fractional, and the
      // columns of a window must not change when nothing moved)
      const size = { width: canvas.clientWidth, height: canvas.clientHeight };
      if (size.width === 0) return; // hidden: its size is not known yet
      if (size.width === this.cssSize?.width && size.height === this.cssSize?.height) return;
      this.cssSize = size;
      this.requestDraw();
    }).observe(canvas);
  }

  /**
   * Shows a recording (a RecordingWorkerProxy) from the start of its first segment: `channels` in the
   * order given (e.g. by depth), `firstSpan` frames wide (what the first paint reads), 16 rows at most.
   */
  setRecording(source, { channels = source.getChannelIds(), firstSpan } = {}) {
    this.fs = source.getSamplingFrequency();
    this.inUV = source.hasScaleableTraces();
    this.unit = this.inUV ? 'µV' : 'raw units';
    this.allChannels = source.getChannelIds();
    this.frameBytes = this.allChannels.length * itemSize(source.getDtype()); // every channel of a frame is read
    this.channels = [...channels];
    const groups = source.getProperty('group');
    this.groupOf = new Map(this.allChannels.map((id, i) => [id, groups ? Number(groups[i]) || 0 : 0]));
    this.rowsWanted = 16;
    this.first = 0;
    this.highlight = null;
    this.firstSpan = firstSpan;
    this.recording = source;
    this.setSource(source, { keepView: false });
    this.setSegment(0);
  }

  /** Reads from `source` (the recording, or a preprocessed proxy of it); keeps the view. */
  setSource(source, { keepView = true } = {}) {
    this.cache?.clear();
    this.source = source;
    this.cache = new WindowCache({
      maxEntries: 24,
      load: (key, signal) => {
        const { kind, columns } = JSON.parse(key.variant);
        const args = { segmentIndex: key.segmentIndex, startFrame: key.startFrame, endFrame: key.endFrame, channelIds: key.channelIds, returnInUV: this.inUV, signal };
        return kind === 'envelopes' ? source.getEnvelopes({ ...args, columns }) : source.getTraces(args);
      },
    });
    if (keepView) this.amplitude = null;
    this.shown = null;
    this.requestDraw();
  }

  /** Shows segment `index` from its start. */
  setSegment(index) {
    this.segment = index;
    this.numSamples = this.recording.getNumSamples(index);
    this.tStart = this.recording.getStartTime(index);
    this.start = 0;
    const wanted = this.firstSpan ?? Math.round(this.fs);
    this.span = Math.max(1, Math.min(this.numSamples, wanted, this.maxSpan()));
    this.amplitude = null; // chosen from the data at the next draw
    this.requestDraw();
  }

  /** Shows only `ids`, in this order. */
  setChannels(ids) {
    this.channels = [...ids];
    this.first = Math.max(0, Math.min(this.first, this.channels.length - this.rows));
    this.amplitude = null;
    this.requestDraw();
  }

  /** The view as plain values (for the page's address), and back. */
  getView() {
    return { segment: this.segment, start: this.start, span: this.span, first: this.first, rows: this.rowsWanted, amplitude: this.amplitude };
  }
  setView(v) {
    if (v.segment !== undefined && v.segment !== this.segment && v.segment < this.recording.getNumSegments()) this.setSegment(v.segment);
    if (Number.isFinite(v.span)) this.span = Math.max(16, Math.min(this.numSamples, this.maxSpan(), Math.round(v.span)));
    if (Number.isFinite(v.start)) this.start = Math.round(v.start);
    if (Number.isFinite(v.rows)) this.rowsWanted = Math.max(1, Math.round(v.rows));
    if (Number.isFinite(v.first)) this.first = Math.max(0, Math.min(this.channels.length - this.rows, Math.round(v.first)));
    if (Number.isFinite(v.amplitude) && v.amplitude > 0) this.amplitude = v.amplitude;
    this.clampTime();
    this.requestDraw();
  }

  /** Draws channel `id` in the highlight colour (null: none). */
  setHighlight(id) {
    this.highlight = id;
    this.requestDraw();
  }

  /** Moves the window by `fraction` of its width (negative = back in time). */
  scrollTime(fraction) {
    this.start += Math.round(fraction * this.span);
    this.clampTime();
    this.requestDraw();
  }

  /** Shows the window starting at time `t` (seconds, on the segment's clock). */
  jumpTo(t) {
    this.start = Math.round((t - this.tStart) * this.fs);
    this.clampTime();
    this.requestDraw();
  }

  /** Zooms in time by `factor` (< 1 = zoom in), keeping the point at `anchor` (0..1 of the width) still. */
  zoomTime(factor, anchor = 0.5) {
    const pivot = this.start + anchor * this.span;
    this.span = Math.round(Math.max(16, Math.min(this.numSamples, this.maxSpan(), this.span * factor)));
    this.start = Math.round(pivot - anchor * this.span);
    this.clampTime();
    this.requestDraw();
  }

  /** Moves the channel window by `rows` rows. */
  scrollChannels(rows) {
    this.first = Math.max(0, Math.min(this.channels.length - this.rows, this.first + rows));
    this.requestDraw();
  }

  /** Shows `delta` more (or fewer) channel rows. */
  moreChannels(delta) {
    this.rowsWanted = Math.max(1, Math.min(this.channels.length, this.rows + delta));
    this.first = Math.max(0, Math.min(this.first, this.channels.length - this.rows));
    this.requestDraw();
  }

  /** Multiplies the vertical gain: factor > 1 makes traces taller. */
  scaleAmplitude(factor) {
    if (this.amplitude) this.amplitude /= factor;
    this.requestDraw();
  }

  /** The visible window, for the page's readout. */
  describe() {
    if (!this.recording) return '';
    const t0 = this.tStart + this.start / this.fs;
    const t1 = this.tStart + (this.start + this.span) / this.fs;
    const ids = this.visibleIds();
    const rows = ids.length ? `channels ${ids[0]}…${ids[ids.length - 1]} (${ids.length} of ${this.channels.length})` : 'no channel selected';
    const scale = this.amplitude ? ` · ${shortNumber(this.amplitude)} ${this.unit} between rows` : '';
    return `${t0.toFixed(4)}–${t1.toFixed(4)} s · ${rows}${scale}`;
  }

  /** How many channel rows are shown: as many as asked for, at most the channels chosen. */
  get rows() {
    return Math.min(this.rowsWanted, this.channels.length);
  }

  // ------------------------------------------------------------------ internals

  maxSpan() {
    return Math.max(16, Math.min(Math.round(MAX_SECONDS * this.fs), Math.floor(MAX_WINDOW_BYTES / this.frameBytes)));
  }

  clampTime() {
    this.start = Math.max(0, Math.min(this.numSamples - this.span, this.start));
  }

  visibleIds() {
    return this.channels.slice(this.first, this.first + this.rows);
  }

  plotWidth() {
    return Math.max(16, Math.round((this.cssSize?.width ?? this.canvas.clientWidth ?? 800) - MARGIN.left - MARGIN.right));
  }

  /** The window key of a view: envelopes at one column per pixel, or the samples when there are fewer than pixels. */
  keyOf(start, span, ids) {
    const columns = this.plotWidth();
    const kind = span > columns ? 'envelopes' : 'traces';
    const variant = JSON.stringify({ kind, columns: kind === 'envelopes' ? columns : 0 });
    return { segmentIndex: this.segment, startFrame: start, endFrame: Math.min(this.numSamples, start + span), channelIds: ids, variant };
  }

  onWheel(e) {
    if (!this.recording) return;
    e.preventDefault();
    const delta = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
    const steps = Math.sign(delta) * Math.min(3, Math.max(1, Math.abs(delta) / 100));
    if (e.ctrlKey || e.metaKey) {
      this.zoomTime(steps > 0 ? 1.25 : 0.8, this.anchorOf(e.clientX));
    } else if (e.shiftKey) {
      this.scrollChannels(Math.sign(delta) * Math.max(1, Math.round(this.rows / 4)));
    } else {
      this.scrollTime(0.1 * steps);
    }
  }

  anchorOf(clientX) {
    const rect = this.canvas.getBoundingClientRect();
    return Math.max(0, Math.min(1, (clientX - rect.left - MARGIN.left) / Math.max(1, rect.width - MARGIN.left - MARGIN.right)));
  }

  onKey(e) {
    if (!this.recording || e.altKey || e.ctrlKey || e.metaKey) return;
    const act = {
      ArrowLeft: () => this.scrollTime(-0.1),
      ArrowRight: () => this.scrollTime(0.1),
      PageUp: () => this.scrollTime(-1),
      PageDown: () => this.scrollTime(1),
      Home: () => this.scrollTime(-Infinity),
      End: () => this.scrollTime(Infinity),
      ArrowUp: () => this.scrollChannels(-1),
      ArrowDown: () => this.scrollChannels(1),
      '+': () => this.zoomTime(0.5),
      '=': () => this.zoomTime(0.5),
      '-': () => this.zoomTime(2),
      ']': () => this.scaleAmplitude(1.5),
      '[': () => this.scaleAmplitude(1 / 1.5),
    }[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  }

  onPointerDown(e) {
    if (!this.recording || e.button !== 0) return;
    this.canvas.focus();
    this.drag = { x: e.clientX, start: this.start };
    this.canvas.setPointerCapture?.(e.pointerId);
  }

  onPointerMove(e) {
    if (this.drag) {
      const frames = ((e.clientX - this.drag.x) / this.plotWidth()) * this.span;
      this.start = Math.round(this.drag.start - frames);
      this.clampTime();
      this.requestDraw();
    }
    this.onCursor(this.readout(e));
  }

  onPointerUp(e) {
    this.drag = null;
    this.canvas.releasePointerCapture?.(e.pointerId);
  }

  /** Time, channel and value under the pointer. */
  readout(e) {
    const shown = this.shown;
    if (!shown) return '';
    const rect = this.canvas.getBoundingClientRect();
    const x = e.clientX - rect.left - MARGIN.left;
    const y = e.clientY - rect.top - MARGIN.top;
    const plotW = this.width - MARGIN.left - MARGIN.right;
    const plotH = this.height - MARGIN.top - MARGIN.bottom;
    if (x < 0 || y < 0 || x >= plotW || y >= plotH) return '';
    const frame = shown.start + (x / plotW) * shown.span;
    const t = this.tStart + frame / this.fs;
    const row = Math.floor((y / plotH) * shown.ids.length);
    const n = shown.ids.length;
    let value = '';
    if (shown.kind === 'envelopes') {
      const k = Math.min(shown.columns - 1, Math.floor((x / plotW) * shown.columns));
      value = `${shortNumber(shown.data.min[k * n + row])} … ${shortNumber(shown.data.max[k * n + row])} ${this.unit}`;
    } else {
      const f = Math.min(shown.span - 1, Math.floor(frame - shown.start));
      value = `${shortNumber(Number(shown.data.data[f * n + row]))} ${this.unit}`;
    }
    return `t = ${t.toFixed(4)} s · channel ${shown.ids[row]} · ${value}`;
  }

  requestDraw() {
    this.onChange(this);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  /**
   * Gets the view's window (from the cache, or read in the worker), paints it, prefetches its
   * neighbours. While a window is read, each new view repaints at once what is already there, moved
   * to the new place; one read runs at a time, and the latest view is read when it ends (a read for
   * other channels, another segment or another source is aborted instead).
   */
  async draw() {
    const generation = ++this.generation;
    this.resize();
    if (!this.recording) return;
    const ids = this.visibleIds();
    const { start, span } = this;
    const view = `${this.segment}:${start}-${start + span}:${this.first}+${ids.length}`;
    if (ids.length === 0) {
      this.paint(null, ids);
      this.done(view);
      return;
    }
    const key = this.keyOf(start, span, ids);
    const cache = this.cache;
    if (!cache.has(key)) {
      this.canvas.dataset.state = 'reading';
      if (this.shown && this.sameRows(this.shown.key, key)) this.paint(this.shown, ids);
      if (this.loading && this.loading.cache === cache && this.sameRows(this.loading.key, key)) return; // read when the current read ends
      this.loading?.controller.abort();
    }
    const loading = (this.loading = { key, cache, controller: new AbortController() });
    let data;
    try {
      data = await cache.get(key, { signal: loading.controller.signal });
    } catch (error) {
      if (this.loading === loading) this.loading = null;
      if (generation !== this.generation || cache !== this.cache || error?.code === 'ABORTED') return;
      this.canvas.dataset.state = 'error';
      this.onError(error);
      return;
    }
    if (this.loading === loading) this.loading = null;
    if (cache !== this.cache) return;
    const { kind, columns } = JSON.parse(key.variant);
    this.shown = { key, kind, columns, data, ids, start: key.startFrame, span: key.endFrame - key.startFrame };
    const now = this.keyOf(this.start, this.span, this.visibleIds());
    if (JSON.stringify(now) !== JSON.stringify(key)) {
      // the view moved on while this window was read: show it where it lies, then read the latest view
      if (this.sameRows(key, now)) this.paint(this.shown, this.visibleIds());
      this.requestDraw();
      return;
    }
    this.paint(this.shown, ids);
    this.done(view);
    this.onWindow({ kind, columns, segmentIndex: key.segmentIndex, startFrame: key.startFrame, endFrame: key.endFrame, channelIds: ids, returnInUV: this.inUV, data });
    // the windows either side, read while the user looks at this one
    const next = Math.min(this.numSamples - span, start + span);
    const previous = Math.max(0, start - span);
    cache.prefetch([next, previous].filter((s) => s !== start).map((s) => this.keyOf(s, span, ids)));
  }

  /** Two windows of the same segment and channels (one can stand in for the other, moved). */
  sameRows(a, b) {
    return a.segmentIndex === b.segmentIndex && a.channelIds.length === b.channelIds.length && a.channelIds.every((id, i) => id === b.channelIds[i]);
  }

  done(view) {
    this.draws++;
    this.canvas.dataset.view = view;
    this.canvas.dataset.state = 'drawn';
    this.onChange(this);
  }

  /** Matches the canvas's pixel size to its CSS size (and the device pixel ratio). */
  resize() {
    const dpr = window.devicePixelRatio || 1;
    const size = this.cssSize ?? { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
    const w = Math.max(200, Math.round(size.width * dpr));
    const h = Math.max(150, Math.round(size.height * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.width = w / dpr;
    this.height = h / dpr;
  }

  /**
   * Per row: the centre (median of the window) and the spread (for the automatic scale). Computed once
   * per window (a window is painted again at every frame while the next one is read).
   */
  levels(shown, n) {
    if (shown.levels) return shown.levels;
    const centres = new Float64Array(n);
    const spreads = new Float64Array(n);
    if (shown.kind === 'envelopes') {
      const { min, max } = shown.data;
      const columns = min.length / n;
      const every = Math.ceil(columns / 512); // a sample of the columns is enough for a scale
      const count = Math.ceil(columns / every);
      const mids = new Float64Array(count);
      const widths = new Float64Array(count);
      for (let c = 0; c < n; c++) {
        for (let j = 0; j < count; j++) {
          const k = j * every;
          mids[j] = (min[k * n + c] + max[k * n + c]) / 2;
          widths[j] = max[k * n + c] - min[k * n + c];
        }
        centres[c] = median(mids);
        spreads[c] = median(widths) * 2;
      }
    } else {
      const data = shown.data.data;
      const frames = data.length / n;
      for (let c = 0; c < n; c++) {
        let s = 0;
        let s2 = 0;
        for (let f = 0; f < frames; f++) {
          const v = Number(data[f * n + c]);
          s += v;
          s2 += v * v;
        }
        centres[c] = s / frames;
        spreads[c] = Math.sqrt(Math.max(0, s2 / frames - centres[c] ** 2)) * 8;
      }
    }
    shown.levels = { centres, spread: median(spreads) };
    return shown.levels;
  }

  /** Draws the window: envelopes (one min–max stroke per pixel column) or samples (a line). */
  paint(shown, ids) {
    this.frames++;
    const { ctx, width, height } = this;
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    ctx.fillStyle = COLORS.bg;
    ctx.fillRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    const grid = this.paintTimeAxis(plotW, plotH);
    if (!shown || ids.length === 0) {
      ctx.fillStyle = COLORS.axis;
      ctx.textAlign = 'center';
      ctx.fillText('No channel selected: tick some in the channel table.', MARGIN.left + plotW / 2, MARGIN.top + plotH / 2);
      return;
    }
    const n = ids.length;
    const { centres, spread } = this.levels(shown, n);
    // the scale comes from the first window with a spread (a flat one, e.g. zeros, keeps it open)
    if (!this.amplitude && spread > 0) this.amplitude = spread;
    const rowH = plotH / n;
    const yScale = rowH / (this.amplitude ?? 100);
    if (shown.kind === 'envelopes') {
      this.paintEnvelopes(shown, ids, centres, yScale, rowH, plotW, plotH, grid);
    } else {
      ctx.save();
      ctx.beginPath();
      ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
      ctx.clip();
      for (let c = 0; c < n; c++) {
        const mid = MARGIN.top + rowH * (c + 0.5);
        const highlighted = ids[c] === this.highlight;
        ctx.strokeStyle = this.colourOf(ids[c]);
        ctx.lineWidth = highlighted ? 1.6 : 1;
        ctx.beginPath();
        const data = shown.data.data;
        const frames = data.length / n;
        for (let f = 0; f < frames; f++) {
          const x = MARGIN.left + ((shown.start + f + 0.5 - this.start) / this.span) * plotW;
          const y = mid - (Number(data[f * n + c]) - centres[c]) * yScale;
          if (f === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        ctx.stroke();
      }
      ctx.restore();
    }
    // channel labels
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    const every = Math.max(1, Math.ceil(14 / rowH));
    for (let c = 0; c < n; c += every) {
      const highlighted = ids[c] === this.highlight;
      ctx.fillStyle = highlighted ? COLORS.highlight : COLORS.text;
      ctx.font = `${highlighted ? 'bold ' : ''}11px system-ui, sans-serif`;
      ctx.fillText(String(ids[c]), MARGIN.left - 8, MARGIN.top + rowH * (c + 0.5));
    }
    this.paintScaleBar(plotW, plotH, rowH);
  }

  /** The colour of a channel's trace: its group's, or the highlight. */
  colourOf(id) {
    if (id === this.highlight) return COLORS.highlight;
    return GROUP_COLORS[Math.abs(this.groupOf.get(id) ?? 0) % GROUP_COLORS.length];
  }

  /**
   * Envelopes written straight into the plot's pixels: per channel and column, a run of pixels from
   * the maximum to the minimum, stretched to meet the previous column so that the trace stays
   * continuous. The plot's background, grid and frame are written there too, and the whole plot is
   * put once per frame: far cheaper than thousands of canvas calls, each rasterised on its own.
   */
  paintEnvelopes(shown, ids, centres, yScale, rowH, plotW, plotH, grid) {
    const { ctx } = this;
    const dpr = window.devicePixelRatio || 1;
    const left = Math.round(MARGIN.left * dpr);
    const top = Math.round(MARGIN.top * dpr);
    const W = Math.max(1, Math.round(plotW * dpr));
    const H = Math.max(1, Math.round(plotH * dpr));
    if (this.plotImage?.width !== W || this.plotImage?.height !== H) this.plotImage = ctx.createImageData(W, H);
    const image = this.plotImage;
    const px = new Uint32Array(image.data.buffer);
    px.fill(rgba(COLORS.bg));
    const gridColour = rgba(COLORS.grid);
    for (const gx of grid) {
      const x = Math.floor(gx * dpr);
      if (x >= 0 && x < W) for (let y = 0; y < H; y++) px[y * W + x] = gridColour;
    }
    const frame = rgba(COLORS.axis);
    for (let x = 0; x < W; x++) px[x] = px[(H - 1) * W + x] = frame;
    for (let y = 0; y < H; y++) px[y * W] = px[y * W + W - 1] = frame;
    const n = ids.length;
    const { min, max } = shown.data;
    const columns = shown.columns;
    const step = ((shown.span / columns / this.span) * plotW) * dpr;
    const x0 = (((shown.start - this.start) / this.span) * plotW) * dpr;
    const width = Math.max(1, Math.round(step));
    for (let c = 0; c < n; c++) {
      const colour = rgba(this.colourOf(ids[c]));
      const mid = (rowH * (c + 0.5)) * dpr;
      const ys = yScale * dpr;
      let prevTop = NaN;
      let prevBottom = NaN;
      for (let k = 0; k < columns; k++) {
        const lo = min[k * n + c];
        if (Number.isNaN(lo)) {
          prevTop = NaN;
          continue;
        }
        const yTop = Math.round(mid - (max[k * n + c] - centres[c]) * ys);
        const yBottom = Math.round(mid - (lo - centres[c]) * ys) + 1;
        let y0 = yTop;
        let y1 = yBottom;
        if (!Number.isNaN(prevTop)) {
          y0 = Math.min(y0, prevBottom - 1);
          y1 = Math.max(y1, prevTop + 1);
        }
        prevTop = yTop;
        prevBottom = yBottom;
        y0 = Math.max(0, y0);
        y1 = Math.min(H, y1);
        const xs = Math.round(x0 + k * step);
        for (let x = Math.max(0, xs); x < Math.min(W, xs + width); x++) {
          for (let y = y0; y < y1; y++) px[y * W + x] = colour;
        }
      }
    }
    ctx.putImageData(image, left, top);
  }

  /** A vertical bar of a round number of µV (or raw units), right of the traces. */
  paintScaleBar(plotW, plotH, rowH) {
    const { ctx } = this;
    const amplitude = this.amplitude ?? 100;
    const value = niceStep(amplitude / 2);
    const h = Math.min(plotH - 8, (value / amplitude) * rowH);
    const x = MARGIN.left + plotW + 14;
    const y1 = MARGIN.top + plotH - 4;
    ctx.strokeStyle = COLORS.text;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y1);
    ctx.lineTo(x, y1 - h);
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillStyle = COLORS.text;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(`${shortNumber(value)}`, x + 5, y1 - h / 2 - 7);
    ctx.fillText(this.unit, x + 5, y1 - h / 2 + 7);
  }

  /** Vertical grid lines and the time axis in seconds (segment start time + frame / fs). */
  paintTimeAxis(plotW, plotH) {
    const { ctx } = this;
    const t0 = this.tStart + this.start / this.fs;
    const t1 = this.tStart + (this.start + this.span) / this.fs;
    const step = niceStep((t1 - t0) / Math.max(2, plotW / 110));
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (step / 10 ** Math.floor(Math.log10(step)) === 2.5 ? 1 : 0));
    const xOf = (t) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotW;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const grid = [];
    for (let t = Math.ceil(t0 / step) * step; t <= t1 + step * 1e-9; t += step) {
      const x = Math.round(xOf(t)) + 0.5;
      grid.push(x - MARGIN.left);
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top);
      ctx.lineTo(x, MARGIN.top + plotH);
      ctx.stroke();
      ctx.strokeStyle = COLORS.axis;
      ctx.beginPath();
      ctx.moveTo(x, MARGIN.top + plotH);
      ctx.lineTo(x, MARGIN.top + plotH + 4);
      ctx.stroke();
      ctx.fillStyle = COLORS.text;
      ctx.fillText(t.toFixed(decimals), x, MARGIN.top + plotH + 6);
    }
    ctx.strokeStyle = COLORS.axis;
    ctx.strokeRect(MARGIN.left + 0.5, MARGIN.top + 0.5, plotW - 1, plotH - 1);
    ctx.fillStyle = COLORS.axis;
    ctx.fillText('time (s)', MARGIN.left + plotW / 2, MARGIN.top + plotH + 22);
    return grid;
  }
}

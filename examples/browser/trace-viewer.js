/**
 * TraceViewer: the channels of one recording segment stacked on a 2D canvas, in µV when the recording
 * has gains (else in raw units), with the time axis in seconds from the segment's start time (a
 * segment with a time vector is drawn from its first time at the sampling rate).
 *
 * It reads only what is visible: the window is covered by at most five blocks of frames, each read
 * with one getTraces() call for the visible channels only (or one call of the reader given to
 * setReader, e.g. a worker's), kept in a small LRU cache. Opening a long
 * recording therefore reads its first second, whatever the size of its files.
 *
 * Interaction: wheel = time, shift+wheel = channels, ctrl+wheel = zoom in time (around the pointer);
 * the page's buttons call the same methods. After each complete draw the canvas carries
 * data-state="drawn" and data-view (segment:startFrame-endFrame:firstRow+rows), which tests wait on.
 */

const MARGIN = { left: 64, right: 24, top: 8, bottom: 40 };
const CACHE_BYTES = 64 << 20; // cache budget for blocks of traces
const MAX_SAMPLES = 8 << 20; // most samples one view may read (frames × visible channels)
const COLORS = { bg: '#ffffff', grid: '#eef1f4', axis: '#5b6470', text: '#2b313a', trace: '#1f3b57', highlight: '#d9480f' };

/** The next power of two ≥ x. */
const pow2 = (x) => 2 ** Math.ceil(Math.log2(Math.max(1, x)));

/** A "nice" step (1, 2, 2.5, 5 × 10^k) near `raw`. */
function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

/** A number of µV (or raw units) written short: 120, 1.5k, 0.25. */
function shortNumber(v) {
  if (Math.abs(v) >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

export class TraceViewer {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ onChange?: (viewer: TraceViewer) => void, onError?: (error: unknown) => void }} [callbacks]
   *   onChange after every view change (for a readout); onError when reading traces fails.
   */
  constructor(canvas, { onChange = () => {}, onError = () => {} } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onChange = onChange;
    this.onError = onError;
    this.recording = null;
    this.cache = new Map(); // key -> { data, bytes }; Map order is LRU order
    this.cacheBytes = 0;
    this.inFlight = new Map(); // key -> Promise of a block
    this.generation = 0;
    this.frameRequested = false;
    this.highlight = null;
    this.reader = null; // null: recording.getTraces; else a function of the same arguments (see setReader)
    canvas.addEventListener('wheel', (e) => this.onWheel(e), { passive: false });
    new ResizeObserver(() => this.requestDraw()).observe(canvas);
  }

  /** Shows `recording` from the start of its first segment, all channels, at most 16 rows. */
  setRecording(recording) {
    this.recording = recording;
    this.clearCache();
    this.fs = recording.getSamplingFrequency();
    this.inUV = recording.hasScaleableTraces();
    this.unit = this.inUV ? 'µV' : 'raw units';
    this.channels = recording.getChannelIds();
    this.rowsWanted = 16;
    this.first = 0;
    this.highlight = null;
    this.setSegment(0);
  }

  /**
   * Reads the traces with `reader(args)` instead of the recording's getTraces(args) (null: the recording's
   * again), e.g. a preprocessed view of the same recording computed elsewhere; it must resolve to
   * { data } with the same layout. Keeps the view; reads and draws again.
   */
  setReader(reader) {
    this.reader = reader;
    this.clearCache();
    this.amplitude = null;
    this.requestDraw();
  }

  /** Shows segment `index` from its start, with a 1 s window (or the whole segment when shorter). */
  setSegment(index) {
    this.segment = index;
    this.numSamples = this.recording.getNumSamples(index);
    this.tStart = this.recording.getStartTime(index);
    this.start = 0;
    this.span = Math.max(1, Math.min(this.numSamples, Math.round(this.fs), this.maxSpan()));
    this.amplitude = null; // µV between rows, chosen from the data at the next draw
    this.requestDraw();
  }

  /** Shows only `ids`, in this order (a subset of the recording's channels). */
  setChannels(ids) {
    this.channels = [...ids];
    this.first = Math.max(0, Math.min(this.first, this.channels.length - this.rows));
    this.amplitude = null;
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
    this.span = Math.min(this.span, this.maxSpan());
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

  /** The widest window (frames) whose read stays under MAX_SAMPLES for the visible channels. */
  maxSpan() {
    return Math.max(16, Math.floor(MAX_SAMPLES / Math.max(1, this.rows)));
  }

  clampTime() {
    this.start = Math.max(0, Math.min(this.numSamples - this.span, this.start));
  }

  visibleIds() {
    return this.channels.slice(this.first, this.first + this.rows);
  }

  onWheel(e) {
    if (!this.recording) return;
    e.preventDefault();
    const delta = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
    const steps = Math.sign(delta) * Math.min(3, Math.max(1, Math.abs(delta) / 100));
    if (e.ctrlKey || e.metaKey) {
      const rect = this.canvas.getBoundingClientRect();
      const anchor = (e.clientX - rect.left - MARGIN.left) / Math.max(1, rect.width - MARGIN.left - MARGIN.right);
      this.zoomTime(steps > 0 ? 1.25 : 0.8, Math.max(0, Math.min(1, anchor)));
    } else if (e.shiftKey) {
      this.scrollChannels(Math.sign(delta) * Math.max(1, Math.round(this.rows / 4)));
    } else {
      this.scrollTime(0.1 * steps);
    }
  }

  clearCache() {
    this.cache.clear();
    this.cacheBytes = 0;
    this.inFlight.clear();
    this.generation++;
    this.cacheEpoch = (this.cacheEpoch ?? 0) + 1;
  }

  /** One block of frames for the visible channels: from the cache, or read (once, even if asked twice). */
  block(segment, blockFrames, index, ids) {
    const key = `${segment}|${blockFrames}|${index}|${ids.join('\u0001')}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key); // refresh its place in the LRU order
      this.cache.set(key, hit);
      return hit;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      const recording = this.recording;
      const reader = this.reader ?? ((args) => recording.getTraces(args));
      const epoch = this.cacheEpoch;
      const startFrame = index * blockFrames;
      const endFrame = Math.min(this.numSamples, startFrame + blockFrames);
      pending = reader({ segmentIndex: segment, startFrame, endFrame, channelIds: ids, returnInUV: this.inUV }).then(
        ({ data }) => {
          this.inFlight.delete(key);
          if (recording !== this.recording || epoch !== this.cacheEpoch) return null; // read for what is no longer shown
          const entry = { data, bytes: data.byteLength };
          this.cache.set(key, entry);
          this.cacheBytes += entry.bytes;
          for (const [k, old] of this.cache) {
            if (this.cacheBytes <= CACHE_BYTES || k === key) break;
            this.cache.delete(k);
            this.cacheBytes -= old.bytes;
          }
          return entry;
        },
        (error) => {
          this.inFlight.delete(key);
          throw error;
        },
      );
      this.inFlight.set(key, pending);
    }
    return pending;
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

  /** Gathers the blocks of the current view (reading the missing ones), then paints. */
  async draw() {
    const generation = ++this.generation;
    this.resize();
    if (!this.recording) return;
    const ids = this.visibleIds();
    const view = `${this.segment}:${this.start}-${this.start + this.span}:${this.first}+${ids.length}`;
    if (ids.length === 0) {
      this.paint([], 0, 1, ids);
      this.done(view);
      return;
    }
    // Blocks of a power-of-two size, so that a window spans at most 5 of them at any zoom.
    const blockFrames = Math.max(256, pow2(this.span / 4));
    const firstBlock = Math.floor(this.start / blockFrames);
    const lastBlock = Math.floor((this.start + this.span - 1) / blockFrames);
    // One block after the other: the library reads the next block ahead while it converts one, and
    // the next request claims it (concurrent requests would each read it again).
    const blocks = [];
    try {
      for (let b = firstBlock; b <= lastBlock; b++) {
        let block = this.block(this.segment, blockFrames, b, ids);
        if (block instanceof Promise) {
          this.canvas.dataset.state = 'reading';
          block = await block;
          if (generation !== this.generation || block === null) return; // a newer view was asked meanwhile
        }
        blocks.push(block);
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.canvas.dataset.state = 'error';
      this.onError(error);
      return;
    }
    this.paint(blocks, firstBlock * blockFrames, blockFrames, ids);
    this.done(view);
  }

  done(view) {
    this.canvas.dataset.view = view;
    this.canvas.dataset.state = 'drawn';
    this.onChange(this);
  }

  /** Matches the canvas's pixel size to its CSS size (and the device pixel ratio). */
  resize() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, Math.round(this.canvas.clientWidth * dpr));
    const h = Math.max(150, Math.round(this.canvas.clientHeight * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.width = w / dpr;
    this.height = h / dpr;
  }

  /** Draws the traces of `blocks` (time-major, one column per id; block b starts at frame blockStart + b × blockFrames). */
  paint(blocks, blockStart, blockFrames, ids) {
    const { ctx, width, height } = this;
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    ctx.fillStyle = COLORS.bg;
    ctx.fillRect(0, 0, width, height);
    ctx.font = '11px system-ui, sans-serif';
    this.paintTimeAxis(plotW, plotH);
    if (ids.length === 0) {
      ctx.fillStyle = COLORS.axis;
      ctx.textAlign = 'center';
      ctx.fillText('No channel selected: tick some in the channel table.', MARGIN.left + plotW / 2, MARGIN.top + plotH / 2);
      return;
    }
    const n = ids.length;
    const { start, span } = this;
    // the sample at frame f of column c, across blocks
    const sampleAt = (f, c) => {
      const rel = f - blockStart;
      const b = Math.floor(rel / blockFrames);
      return blocks[b].data[(rel - b * blockFrames) * n + c];
    };
    // Per channel: the mean (drawn at the row's centre) and the spread (for the automatic scale).
    const means = new Float64Array(n);
    const spreads = [];
    for (let c = 0; c < n; c++) {
      let s = 0;
      let s2 = 0;
      for (let f = start; f < start + span; f++) {
        const v = Number(sampleAt(f, c));
        s += v;
        s2 += v * v;
      }
      means[c] = s / span;
      spreads.push(Math.sqrt(Math.max(0, s2 / span - means[c] * means[c])));
    }
    if (!this.amplitude) {
      spreads.sort((a, b) => a - b);
      this.amplitude = Math.max(spreads[spreads.length >> 1] * 8, 1e-6) || 1;
    }
    const rowH = plotH / n;
    const yScale = rowH / this.amplitude;
    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.clip();
    for (let c = 0; c < n; c++) {
      const mid = MARGIN.top + rowH * (c + 0.5);
      const highlighted = ids[c] === this.highlight;
      ctx.strokeStyle = highlighted ? COLORS.highlight : COLORS.trace;
      ctx.lineWidth = highlighted ? 1.6 : 1;
      ctx.beginPath();
      const y = (v) => mid - (Number(v) - means[c]) * yScale;
      if (span > plotW * 2) {
        // More samples than pixels: one vertical min–max stroke per pixel column.
        for (let px = 0; px < plotW; px++) {
          const f0 = start + Math.floor((px * span) / plotW);
          const f1 = Math.max(f0 + 1, start + Math.floor(((px + 1) * span) / plotW));
          let lo = Infinity;
          let hi = -Infinity;
          for (let f = f0; f < f1; f++) {
            const v = Number(sampleAt(f, c));
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          const x = MARGIN.left + px + 0.5;
          if (px === 0) ctx.moveTo(x, y(hi));
          else ctx.lineTo(x, y(hi));
          ctx.lineTo(x, y(lo));
        }
      } else {
        for (let f = start; f < start + span; f++) {
          const x = MARGIN.left + ((f - start + 0.5) / span) * plotW;
          if (f === start) ctx.moveTo(x, y(sampleAt(f, c)));
          else ctx.lineTo(x, y(sampleAt(f, c)));
        }
      }
      ctx.stroke();
    }
    ctx.restore();
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
    for (let t = Math.ceil(t0 / step) * step; t <= t1 + step * 1e-9; t += step) {
      const x = Math.round(xOf(t)) + 0.5;
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
  }
}

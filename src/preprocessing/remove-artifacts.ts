import type { DType } from '../dtype.js';
import { SpikewireError, check, describe } from '../errors.js';
import { BaseRecording } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { BasePreprocessor, BasePreprocessorSegment, checkChoice, checkPreprocessorArgs, isIntegerDtype } from './base.js';
import { interpCubic, interpLinear } from './interp1d.js';

const FN = 'removeArtifacts';
const MODES = ['zeros', 'linear', 'cubic', 'average', 'median'] as const;

/** Options of {@link removeArtifacts}: SpikeInterface's keyword arguments, camelCased. */
export interface RemoveArtifactsOptions {
  /** Removed before each trigger, in ms (default 0.5); null with `msAfter` null: only the trigger's frame. */
  msBefore?: number | null;
  /** Removed after each trigger, in ms (default 3.0). */
  msAfter?: number | null;
  /**
   * 'zeros' (default), 'linear' or 'cubic' (interpolation through medians of fit points around the
   * gap). SpikeInterface's 'average' / 'median' (artifact templates) are refused (`UNSUPPORTED`).
   */
  mode?: (typeof MODES)[number];
  /** Spacing of the fit points in ms (default 1.0). */
  fitSampleSpacing?: number;
  /** Labels of the triggers, one list per segment (default zeros); kept in the dict. */
  listLabels?: readonly (readonly unknown[])[] | null;
}

/**
 * SpikeInterface's RemoveArtifactsRecording (modes 'zeros', 'linear', 'cubic'): around each
 * trigger, frames [trigger - before, trigger + after] replaced by zeros or by an interpolation
 * (scipy's interp1d, extrapolating) through the medians of the parent at fit points on both sides.
 * As in SpikeInterface each request is read without margins, so a result depends on the window
 * (fit points outside it are dropped), and values are stored in the parent's dtype trigger after
 * trigger (integers truncated toward zero).
 */
export class RemoveArtifactsRecording extends BasePreprocessor {
  static override readonly className: string = 'RemoveArtifactsRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.remove_artifacts.RemoveArtifactsRecording';

  constructor(recording: BaseRecording, listTriggers: readonly (readonly number[])[] | readonly number[], opts: RemoveArtifactsOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    const numSegments = recording.getNumSegments();
    let triggers = listTriggers as readonly unknown[];
    check(Array.isArray(triggers), 'INVALID_ARGUMENT', () => `${FN}: listTriggers must be a list (one list of frames per segment), got ${describe(listTriggers)}`);
    if (numSegments === 1 && triggers.length > 0 && typeof triggers[0] === 'number') triggers = [triggers];
    check(triggers.length === numSegments, 'INVALID_ARGUMENT', () => `${FN}: listTriggers must hold one list per segment (${numSegments}), got ${triggers.length}`);
    const perSegment = triggers.map((t, s) => {
      check(Array.isArray(t) && t.every((v) => Number.isInteger(v)), 'INVALID_ARGUMENT', () => `${FN}: listTriggers[${s}] must be a list of integer frames, got ${describe(t)}`);
      return Float64Array.from(t as number[]);
    });
    const mode = checkChoice(FN, 'mode', opts.mode ?? 'zeros', MODES);
    if (mode === 'average' || mode === 'median') {
      throw new SpikewireError('UNSUPPORTED', `${FN}: mode '${mode}' subtracts artifact templates estimated from waveforms, which is not supported: use 'zeros', 'linear' or 'cubic'`);
    }
    let msBefore = opts.msBefore === undefined ? 0.5 : opts.msBefore;
    let msAfter = opts.msAfter === undefined ? 3.0 : opts.msAfter;
    const fs = recording.getSamplingFrequency();
    let pad: [number, number] | null = null;
    if (msBefore === null) {
      check(msAfter === null, 'INVALID_ARGUMENT', () => `${FN}: to remove single frames set both msBefore and msAfter to null`);
    } else {
      check(typeof msBefore === 'number' && msBefore >= 0 && typeof msAfter === 'number' && msAfter >= 0, 'INVALID_ARGUMENT',
        () => `${FN}: msBefore and msAfter must be non-negative numbers of ms, got ${describe(msBefore)} and ${describe(msAfter)}`);
      msBefore = Number(msBefore);
      msAfter = Number(msAfter);
      pad = [Math.trunc((msBefore * fs) / 1000), Math.trunc((msAfter * fs) / 1000)];
    }
    const fitSampleSpacing = opts.fitSampleSpacing ?? 1.0;
    const interval = Math.trunc((fitSampleSpacing * fs) / 1000.0);
    check(typeof fitSampleSpacing === 'number' && interval >= 1, 'INVALID_ARGUMENT',
      () => `${FN}: fitSampleSpacing must be at least one frame in ms, got ${describe(fitSampleSpacing)}`);
    const labels = opts.listLabels ?? perSegment.map((t) => Array.from(t, () => 0));
    check(Array.isArray(labels) && labels.length === numSegments && labels.every((l, s) => Array.isArray(l) && l.length === perSegment[s].length),
      'INVALID_ARGUMENT', () => `${FN}: listLabels must hold one label per trigger, per segment, got ${describe(opts.listLabels)}`);
    super(recording);
    const fitSamples = [0, interval, 2 * interval];
    recording.segments.forEach((segment, s) => {
      this.addRecordingSegment(new RemoveArtifactsSegment(segment, this.getDtype(), perSegment[s], pad, mode, fitSamples));
    });
    this._kwargs = {
      recording, list_triggers: perSegment.map((t) => Array.from(t)), ms_before: msBefore, ms_after: msAfter, mode,
      fit_sample_spacing: fitSampleSpacing, artifacts: null, list_labels: labels.map((l) => [...l]), scale_amplitude: false, time_jitter: 0, sparsity: null,
    };
  }
}

/** numpy's median over the rows `idxs` of a row-major block, per column. */
function medianRows(rows: Float64Array, k: number, idxs: number[]): Float64Array {
  const out = new Float64Array(k);
  const values = new Float64Array(idxs.length);
  for (let c = 0; c < k; c++) {
    idxs.forEach((t, i) => (values[i] = rows[t * k + c]));
    values.sort();
    const h = values.length >> 1;
    out[c] = values.length % 2 === 1 ? values[h] : (values[h - 1] + values[h]) / 2;
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

class RemoveArtifactsSegment extends BasePreprocessorSegment {
  constructor(
    parentSegment: BaseRecordingSegment, dtype: DType, private readonly triggers: Float64Array, private readonly pad: [number, number] | null,
    private readonly mode: 'zeros' | 'linear' | 'cubic', private readonly fitSamples: number[],
  ) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const k = channelIndices.length;
    const n = endFrame - startFrame;
    const chunk = await this.readParentChunk(request, 0);
    try {
      this.copyChunkRows(request, chunk, out);
    } finally {
      kernel.free(chunk.address);
    }
    const rows = kernel.view('float64', out, n * k) as Float64Array;
    // values land in the parent's array: later triggers see them in its dtype
    const store = isIntegerDtype(this.dtype) ? Math.trunc : this.dtype === 'float32' ? Math.fround : (v: number) => v;
    const pad = this.pad;
    for (const absolute of this.triggers) {
      if (pad === null ? !(absolute >= startFrame && absolute < endFrame) : !(absolute >= startFrame - pad[1] && absolute < endFrame + pad[0])) continue;
      const trig = absolute - startFrame;
      if (this.mode === 'zeros') {
        if (pad === null) rows.fill(0, trig * k, (trig + 1) * k);
        else if (trig - pad[0] > 0 && trig + pad[1] < n) rows.fill(0, (trig - pad[0]) * k, (trig + pad[1] + 1) * k);
        else if (trig - pad[0] <= 0 && trig + pad[1] >= n) rows.fill(0);
        else if (trig - pad[0] <= 0) rows.fill(0, 0, Math.max(0, trig + pad[1]) * k); // SpikeInterface stops one frame short here
        else rows.fill(0, (trig - pad[0]) * k);
        continue;
      }
      const preEnd = pad === null ? trig - 1 : trig - pad[0] - 1;
      const postStart = pad === null ? trig + 1 : trig + pad[1] + 1;
      const pre = [...this.fitSamples].reverse().map((f) => preEnd - f).filter((i) => i >= 0);
      const post = this.fitSamples.map((f) => postStart + f).filter((i) => i < n);
      const gap = range(preEnd + 1, postStart).filter((i) => i >= 0 && i < n);
      const all = [...pre, ...post];
      let values: Float64Array | null = null;
      if ((this.mode === 'cubic' && all.length >= 5) || (this.mode === 'linear' && all.length >= 2)) {
        const fit = new Float64Array(all.length * k);
        pre.forEach((idx, j) => {
          const idxs = (idx === pre[pre.length - 1] ? range(idx - 3, idx + 1) : range(idx - 2, idx + 3)).filter((i) => i >= 0);
          fit.set(medianRows(rows, k, idxs), j * k);
        });
        post.forEach((idx, j) => {
          const idxs = (idx === post[0] ? range(idx, idx + 4) : range(idx - 2, idx + 3)).filter((i) => i < n);
          fit.set(medianRows(rows, k, idxs), (pre.length + j) * k);
        });
        values = (this.mode === 'cubic' ? interpCubic : interpLinear)(all, fit, k, gap);
        gap.forEach((t, j) => {
          for (let c = 0; c < k; c++) rows[t * k + c] = store(values![j * k + c]);
        });
        continue;
      }
      // too few fit points: the nearest frame kept, else zeros
      const from = pre.length > post.length || (pre.length === post.length && all.length > 0) ? pre[pre.length - 1] : post.length > pre.length ? post[0] : -1;
      for (const t of gap) {
        for (let c = 0; c < k; c++) rows[t * k + c] = from < 0 ? 0 : rows[from * k + c];
      }
    }
  }
}

/**
 * SpikeInterface's `remove_artifacts`: a lazy {@link RemoveArtifactsRecording} of `recording`
 * around `listTriggers` (one list of frames per segment; a one-segment recording may give its list).
 */
export function removeArtifacts(
  recording: BaseRecording, listTriggers: readonly (readonly number[])[] | readonly number[], opts: RemoveArtifactsOptions = {},
): RemoveArtifactsRecording {
  return new RemoveArtifactsRecording(recording, listTriggers, opts);
}

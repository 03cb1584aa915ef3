import type { DType } from '../dtype.js';
import { check, describe } from '../errors.js';
import { BaseRecording, type GetTracesOptions, type Traces } from '../core/index.js';
import type { BaseRecordingSegment, TraceRequest } from '../core/segment.js';
import { BasePreprocessor, BasePreprocessorSegment, checkPreprocessorArgs, fixDtype } from './base.js';
import { axisIndex, type Axis } from './depth-order.js';

const FN = 'directionalDerivative';

/** Options of {@link directionalDerivative}: SpikeInterface's keyword arguments, camelCased. */
export interface DirectionalDerivativeOptions {
  /** The derivative is taken along this axis, inside each column of channels sharing the other axis (default 'y'). */
  direction?: Axis;
  /** How many times the gradient is applied (default 1); 0 subtracts each column's mean. */
  order?: number;
  /** numpy.gradient's `edge_order`: 1 (default) or 2. */
  edgeOrder?: 1 | 2;
  /** Output sample type (default 'float32'; null: the parent's, computed in float64 and truncated for integers). */
  dtype?: DType | string | null;
}

/**
 * numpy.gradient of one row of a column along its channels (`f`, length n ≥ edgeOrder + 1) with
 * coordinates `pos`, into `out`; `r` rounds to the working precision (Math.fround for float32
 * arrays, whose differences numpy takes in float32 while products with the float64 spacings are
 * float64). The spacing is uniform when every step equals the first (numpy's test).
 */
function gradient(f: Float64Array, pos: Float64Array, edgeOrder: number, out: Float64Array, r: (x: number) => number): void {
  const n = f.length;
  const dx = Float64Array.from({ length: n - 1 }, (_, i) => pos[i + 1] - pos[i]);
  const uniform = dx.every((d) => d === dx[0]);
  if (uniform) {
    const h = dx[0];
    for (let i = 1; i < n - 1; i++) out[i] = r(r(f[i + 1] - f[i - 1]) / (2 * h));
  } else {
    for (let i = 1; i < n - 1; i++) {
      const dx1 = dx[i - 1];
      const dx2 = dx[i];
      const a = -dx2 / (dx1 * (dx1 + dx2));
      const b = (dx2 - dx1) / (dx1 * dx2);
      const c = dx1 / (dx2 * (dx1 + dx2));
      out[i] = r(a * f[i - 1] + b * f[i] + c * f[i + 1]);
    }
  }
  if (edgeOrder === 1) {
    out[0] = r(r(f[1] - f[0]) / dx[0]);
    out[n - 1] = r(r(f[n - 1] - f[n - 2]) / dx[n - 2]);
    return;
  }
  let a: number, b: number, c: number;
  if (uniform) [a, b, c] = [-1.5 / dx[0], 2 / dx[0], -0.5 / dx[0]];
  else {
    const [dx1, dx2] = [dx[0], dx[1]];
    [a, b, c] = [-(2 * dx1 + dx2) / (dx1 * (dx1 + dx2)), (dx1 + dx2) / (dx1 * dx2), -dx1 / (dx2 * (dx1 + dx2))];
  }
  out[0] = r(a * f[0] + b * f[1] + c * f[2]);
  if (uniform) [a, b, c] = [0.5 / dx[0], -2 / dx[0], 1.5 / dx[0]];
  else {
    const [dx1, dx2] = [dx[n - 3], dx[n - 2]];
    [a, b, c] = [dx2 / (dx1 * (dx1 + dx2)), -(dx2 + dx1) / (dx1 * dx2), (2 * dx2 + dx1) / (dx2 * (dx1 + dx2))];
  }
  out[n - 1] = r(a * f[n - 3] + b * f[n - 2] + c * f[n - 1]);
}

const same = (x: number) => x;

/**
 * SpikeInterface's DirectionalDerivativeRecording: channels grouped in columns (same position on
 * the other axis), and in each column numpy.gradient along `direction` applied `order` times with
 * the channels' positions as coordinates (a column of one channel is zero), in float32 by default.
 * As in SpikeInterface, `getTraces` returns every channel even when asked for some.
 */
export class DirectionalDerivativeRecording extends BasePreprocessor {
  static override readonly className: string = 'DirectionalDerivativeRecording';
  static override readonly classPath: string = 'spikeinterface.preprocessing.directional_derivative.DirectionalDerivativeRecording';

  /** Column of each channel (numpy.unique inverse of the positions on the other axis). */
  readonly columnIndices: Int32Array;

  constructor(recording: BaseRecording, opts: DirectionalDerivativeOptions = {}) {
    checkPreprocessorArgs(FN, recording, opts);
    check(recording.hasProbe(), 'INVALID_ARGUMENT', () => `${FN}: the recording has no probe: channel locations are needed`);
    const direction = opts.direction ?? 'y';
    const order = opts.order ?? 1;
    const edgeOrder = opts.edgeOrder ?? 1;
    check(Number.isInteger(order) && order >= 0 && order <= 16, 'INVALID_ARGUMENT', () => `${FN}: order must be an integer from 0 to 16, got ${describe(order)}`);
    check(edgeOrder === 1 || edgeOrder === 2, 'INVALID_ARGUMENT', () => `${FN}: edgeOrder must be 1 or 2, got ${describe(edgeOrder)}`);
    const dim = axisIndex(FN, 'direction', direction, 2);
    const xy = recording.getChannelLocations();
    const n = recording.getNumChannels();
    const others = [...new Set(Array.from({ length: n }, (_, c) => xy[2 * c + 1 - dim]))].sort((a, b) => a - b);
    const columnIndices = Int32Array.from({ length: n }, (_, c) => others.indexOf(xy[2 * c + 1 - dim]));
    const columns = others.map((_, k) => Int32Array.from({ length: n }, (_, c) => c).filter((c) => columnIndices[c] === k));
    for (const members of columns) {
      check(members.length === 1 || members.length >= edgeOrder + 1, 'INVALID_ARGUMENT',
        () => `${FN}: a column of ${members.length} channels is too small for edgeOrder ${edgeOrder} (numpy.gradient needs edgeOrder + 1)`);
    }
    const given = opts.dtype === undefined ? 'float32' : opts.dtype;
    const dtype = fixDtype(FN, recording, given);
    super(recording, { dtype });
    this.columnIndices = columnIndices;
    const positions = columns.map((members) => Float64Array.from(members, (c) => xy[2 * c + dim]));
    for (const segment of recording.segments) {
      this.addRecordingSegment(new DirectionalDerivativeSegment(segment, dtype, columns, positions, order, edgeOrder));
    }
    this._kwargs = { recording, direction, order, edge_order: edgeOrder, dtype: given };
  }

  /**
   * Every channel, whatever `channelIds` asks for: SpikeInterface's segment ignores the channel
   * selection and returns the derivative of all channels (reproduced, so that code written against
   * either gets the same arrays). In µV the gains of the channels asked for then meet all the
   * columns, as numpy broadcasts them: one channel's gain and offset scale every column, as many
   * ids as channels scale the columns in the order given, any other count fails as it fails there.
   * `chunks()` keeps this API's meaning of `channelIds` (the channels asked for).
   */
  override async getTraces(opts: GetTracesOptions = {}): Promise<Traces<never>> {
    const ids = opts.channelIds;
    const n = this.getNumChannels();
    if (!opts.returnInUV || ids === undefined || ids === null || !this.hasScaleableTraces()) {
      return super.getTraces({ ...opts, channelIds: undefined }) as Promise<Traces<never>>;
    }
    const indices = this.idsToIndices(ids);
    check(indices.length === 1 || indices.length === n, 'INVALID_ARGUMENT',
      () => `${FN}: ${indices.length} channel ids in µV: this recording always returns its ${n} channels, and SpikeInterface cannot broadcast ${indices.length} gains over them (ask for 1, ${n} or all channels)`);
    const raw = await super.getTraces({ ...opts, channelIds: undefined, returnInUV: false });
    const gains = this.getChannelGains();
    const offsets = this.getChannelOffsets();
    const data = new Float32Array(raw.data.length);
    for (let i = 0; i < data.length; i++) {
      const c = indices[indices.length === 1 ? 0 : i % n];
      data[i] = Math.fround(Math.fround(raw.data[i] * gains[c]) + offsets[c]);
    }
    return { data, shape: raw.shape, dtype: 'float32' } as unknown as Traces<never>;
  }
}

class DirectionalDerivativeSegment extends BasePreprocessorSegment {
  constructor(
    parentSegment: BaseRecordingSegment, dtype: DType,
    private readonly columns: Int32Array[], private readonly positions: Float64Array[],
    private readonly order: number, private readonly edgeOrder: number,
  ) {
    super(parentSegment, dtype);
  }

  protected async compute(request: TraceRequest, out: number): Promise<void> {
    const { kernel, startFrame, endFrame, channelIndices } = request;
    const frames = endFrame - startFrame;
    const k = channelIndices.length;
    // every parent channel: a channel's derivative needs its whole column
    const n = this.columns.reduce((sum, m) => sum + m.length, 0);
    const chunk = await this.readParentChunk(request, 0, { channelIndices: Int32Array.from({ length: n }, (_, c) => c) });
    try {
      // integers go through float64 (numpy.gradient's type for them), floats keep their precision
      const r = this.dtype === 'float32' ? Math.fround : same;
      const src = kernel.view('float64', chunk.address, frames * n) as Float64Array;
      const result = new Float64Array(frames * n);
      for (let ci = 0; ci < this.columns.length; ci++) {
        const members = this.columns[ci];
        const m = members.length;
        if (m === 1) continue; // zeros
        let f = new Float64Array(m);
        let g = new Float64Array(m);
        for (let t = 0; t < frames; t++) {
          for (let j = 0; j < m; j++) f[j] = r(src[t * n + members[j]]);
          for (let o = 0; o < this.order; o++) {
            gradient(f, this.positions[ci], this.edgeOrder, g, r);
            [f, g] = [g, f];
          }
          if (this.order === 0) {
            let sum = 0;
            for (let j = 0; j < m; j++) sum = r(sum + f[j]);
            const mean = r(sum / m);
            for (let j = 0; j < m; j++) f[j] = r(f[j] - mean);
          }
          for (let j = 0; j < m; j++) result[t * n + members[j]] = f[j];
        }
      }
      const dst = kernel.view('float64', out, frames * k) as Float64Array;
      for (let t = 0; t < frames; t++) for (let j = 0; j < k; j++) dst[t * k + j] = result[t * n + channelIndices[j]];
    } finally {
      kernel.free(chunk.address);
    }
  }
}

/** SpikeInterface's `directional_derivative`: a lazy {@link DirectionalDerivativeRecording} of `recording` (which needs a probe). */
export function directionalDerivative(recording: BaseRecording, opts: DirectionalDerivativeOptions = {}): DirectionalDerivativeRecording {
  return new DirectionalDerivativeRecording(recording, opts);
}

import { SpikewireError, describe } from '../errors.js';
import { filePlatform, hasFilePlatform } from '../store/platform.js';

/** How far a job has come, in chunks (SpikeInterface's progress bars count chunks too). */
export interface ProgressInfo {
  /** Chunks finished so far. */
  done: number;
  /** Chunks of the whole job. */
  total: number;
}

/** Called once at the start (`done` 0) and after every chunk; `done` only grows and ends at `total`. */
export type ProgressCallback = (progress: ProgressInfo) => void;

/** The progress options of a chunked job. */
export interface ProgressOptions {
  /**
   * A tqdm-like bar on stderr (Node; anywhere a file platform is installed). Default: shown only when
   * stderr is a terminal. `true` shows it even when stderr is a file or a pipe; `false` never.
   */
  progressBar?: boolean;
  /** Called with `{done, total}` chunks, in every runtime. */
  onProgress?: ProgressCallback;
}

/** tqdm's default bar width when it does not size the bar to the terminal. */
const BAR_WIDTH = 10;
/** tqdm's Unicode bar: a space, the 1/8 … 7/8 blocks, then the full block. */
const BAR_CHARS = ' \u258f\u258e\u258d\u258c\u258b\u258a\u2589\u2588';
/** tqdm's `mininterval`: redraws at most this often (seconds), except the last one. */
const MIN_INTERVAL = 0.1;

/** Python's round-half-to-even, as `format(x, '.0f')` does. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** tqdm's `format_interval`: `mm:ss`, or `h:mm:ss` from one hour on. */
export function formatInterval(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (v: number) => String(v).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/**
 * One line of a tqdm-style progress bar, as tqdm's `format_meter` draws it with a 10-character bar:
 * `write_binary_recording:  45%|████▌     | 27/60 [00:01<00:01, 20.50it/s]`.
 * With `total` 0 (nothing to do) it is tqdm's counter form: `desc: 0it [00:00, ?it/s]`.
 */
export function formatProgressBar(desc: string, done: number, total: number, elapsedSeconds: number): string {
  const rate = elapsedSeconds > 0 && done > 0 ? done / elapsedSeconds : 0;
  const inverse = rate > 0 ? 1 / rate : 0;
  const rateText = rate > 0 && inverse > 1 ? `${inverse.toFixed(2).padStart(5)}s/it` : `${rate > 0 ? rate.toFixed(2).padStart(5) : '?'}it/s`;
  const prefix = desc ? `${desc}: ` : '';
  const elapsed = formatInterval(elapsedSeconds);
  if (!(total > 0)) return `${prefix}${done}it [${elapsed}, ${rateText}]`;
  const frac = Math.min(1, Math.max(0, done / total));
  const percent = String(roundHalfEven(frac * 100)).padStart(3);
  const steps = BAR_CHARS.length - 1;
  const filled = Math.floor(frac * BAR_WIDTH * steps);
  const full = Math.floor(filled / steps);
  let bar = BAR_CHARS[steps].repeat(full);
  if (full < BAR_WIDTH) bar += BAR_CHARS[filled % steps] + BAR_CHARS[0].repeat(BAR_WIDTH - full - 1);
  const remaining = rate > 0 ? formatInterval((total - done) / rate) : '?';
  return `${prefix}${percent}%|${bar}| ${done}/${total} [${elapsed}<${remaining}, ${rateText}]`;
}

/** Where a progress bar writes: `writeStderr`-like text output. */
export interface ProgressOutput {
  write(text: string): void;
}

/**
 * Reports the progress of a chunked job: `onProgress` calls and, when asked or when stderr is a
 * terminal, a one-line bar redrawn with `\r` (at most every 0.1 s, plus the final state) and ended
 * with a newline by {@link close}.
 */
export class ProgressReporter {
  private done = 0;
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastLength = 0;
  private closed = false;

  constructor(
    private readonly desc: string,
    private readonly total: number,
    private readonly onProgress: ProgressCallback | undefined,
    /** Where the bar goes; null: no bar. */
    private readonly output: ProgressOutput | null,
    private readonly now: () => number = defaultNow,
  ) {
    this.started = now();
  }

  /** A reporter for `opts`: the bar goes to the file platform's stderr when it should show. */
  static create(desc: string, total: number, opts: ProgressOptions): ProgressReporter {
    if (opts.onProgress !== undefined && opts.onProgress !== null && typeof opts.onProgress !== 'function') {
      throw new SpikewireError('INVALID_ARGUMENT', `onProgress must be a function ({done, total}) => void, got ${describe(opts.onProgress)}`);
    }
    const bar = opts.progressBar;
    if (bar !== undefined && bar !== null && typeof bar !== 'boolean') {
      throw new SpikewireError('INVALID_ARGUMENT', `progressBar must be true or false, got ${describe(bar)}`);
    }
    return new ProgressReporter(desc, total, opts.onProgress ?? undefined, progressOutput(bar ?? undefined));
  }

  /** Reports the start (`done` 0) and draws the empty bar. */
  start(): void {
    this.onProgress?.({ done: 0, total: this.total });
    this.draw(true);
  }

  /** One more chunk finished. */
  tick(): void {
    this.done++;
    this.onProgress?.({ done: this.done, total: this.total });
    this.draw(this.done === this.total);
  }

  /** Ends the bar's line (after success or failure); safe to call twice. */
  close(): void {
    if (this.closed) return;
    if (!this.output) {
      this.closed = true;
      return;
    }
    this.draw(true); // the final state, like tqdm's close()
    this.closed = true;
    this.output.write('\n');
  }

  private draw(force: boolean): void {
    if (!this.output || this.closed) return;
    const t = this.now();
    if (!force && (t - this.lastDraw) / 1000 < MIN_INTERVAL) return;
    this.lastDraw = t;
    const line = formatProgressBar(this.desc, this.done, this.total, (t - this.started) / 1000);
    // like tqdm: blank out what is left of a longer previous line
    this.output.write(`\r${line}${' '.repeat(Math.max(0, this.lastLength - line.length))}`);
    this.lastLength = line.length;
  }
}

function defaultNow(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/**
 * The platform's stderr when a bar should show: `progressBar` true, or undefined and stderr is a
 * terminal. Null otherwise, and wherever no file platform is installed (browsers, edge runtimes).
 */
export function progressOutput(progressBar: boolean | undefined): ProgressOutput | null {
  if (progressBar === false || !hasFilePlatform()) return null;
  const platform = filePlatform('a progress bar');
  if (progressBar !== true && !platform.stderrIsTTY()) return null;
  return { write: (text) => platform.writeStderr(text) };
}

// readPrb and readProbeinterface take a file's text or its path as one string argument. One rule
// tells them apart, the same for both formats: both formats hold a dict / object (`{`) and real
// files span several lines, while a path needs neither. Anything else, '=' or '[' included
// ('/data/run=1/probe.prb', '[2024] probe.json'), is a path.

/** Whether `input` is the text of a probe file (it has a line break or a '{') rather than a path. */
export function isProbeFileText(input: string): boolean {
  return /[\n\r{]/.test(input);
}

/** Reads a whole file at a path. The probe layer does no I/O: the layers above pass the file platform's. */
export type ReadFile = (path: string) => Promise<Uint8Array>;
/** Writes a whole file at a path (as {@link ReadFile}). */
export type WriteFile = (path: string, text: string) => Promise<void>;

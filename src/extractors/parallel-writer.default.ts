// What `#parallel-writer` is outside Node (package.json "imports", the default condition): none, so
// nJobs > 1 writes in one job and says why.
import type { ParallelWriter } from './write-binary.js';

export const defaultParallelWriter: ParallelWriter | null = null;

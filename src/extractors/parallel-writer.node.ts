// What `#parallel-writer` is under the "node" condition (package.json "imports"): nJobs > 1 writes
// chunks on worker threads. Bundles for browsers resolve the other variant.
import type { ParallelWriter } from './write-binary.js';
import { nodeParallelWriter } from './node/parallel-write.js';

export const defaultParallelWriter: ParallelWriter | null = nodeParallelWriter;

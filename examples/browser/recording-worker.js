/**
 * The example's recording worker: it serves recordings to the page's openRecordingWorker proxies
 * (reading, converting, preprocessing and envelopes all happen here, with this worker's own kernel).
 *
 * Import maps do not apply in workers, so the page passes its map (and the modules it has loaded) as
 * the worker's name and the package is loaded through it (see worker-imports.js). The page starts a worker before anything is
 * chosen; the kernel is compiled at once, so that the first window is read without waiting for it.
 */
import { importWithMap } from './worker-imports.js';

const { imports = {}, preload = [] } = JSON.parse(self.name || '{}');
const { initKernel, serveRecordingWorker } = await importWithMap(imports, preload)('spikewire');
serveRecordingWorker();
initKernel().catch(() => {}); // a failure shows on the first read, with its message

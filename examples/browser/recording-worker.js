/**
 * The example's recording worker: it serves recordings to the page's openRecordingWorker proxies
 * (reading, converting, preprocessing and envelopes all happen here, with this worker's own kernel).
 *
 * Import maps do not apply in workers, so the page passes its map as the worker's name and the
 * package is loaded through it (see worker-imports.js).
 */
import { importWithMap } from './worker-imports.js';

const { serveRecordingWorker } = await importWithMap(JSON.parse(self.name || '{}'))('spikewire');
serveRecordingWorker();

/**
 * The recording workers the page opens recordings in. One worker is started ahead, once the page has
 * loaded the package (so that the worker takes the same modules from the browser's cache rather than
 * asking the server again), and by the time a recording is chosen it has loaded them and compiled its
 * kernel. Each open takes the waiting worker and starts the next one.
 */
import { pageModules } from './worker-imports.js';

/** A Worker of recording-worker.js with the page's import map (import maps do not apply in workers). */
function newRecordingWorker() {
  return new Worker(new URL('./recording-worker.js', import.meta.url), { type: 'module', name: JSON.stringify(pageModules()) });
}

let spareWorker = newRecordingWorker();

/** The worker waiting for a recording (or a new one when none waits); the next one starts a second later. */
export function recordingWorker() {
  const worker = spareWorker;
  spareWorker = null;
  setTimeout(() => (spareWorker ??= newRecordingWorker()), 1000);
  return worker ?? newRecordingWorker();
}

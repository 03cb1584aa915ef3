// A browser Worker that serves recordings to openRecordingWorker (loaded by recording-worker.browser.test.ts).
import { serveRecordingWorker } from '../../../src/index.js';

serveRecordingWorker();

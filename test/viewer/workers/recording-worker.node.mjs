// A Node worker thread that serves recordings to openRecordingWorker, from the built package
// (loaded by recording-worker.node.test.ts).
import { parentPort } from 'node:worker_threads';
import { serveRecordingWorker } from '../../../dist/node.mjs';

serveRecordingWorker(parentPort);

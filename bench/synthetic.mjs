// What the preprocessing benches share: deterministic int16 samples (sines plus noise, like
// band-limited extracellular data) and the timing of a run.

/** `channels × frames` int16 samples, time-major, the same on every run. */
export function syntheticInt16(channels, frames) {
  const x = new Int16Array(channels * frames);
  let seed = 12345;
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < channels; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      x[t * channels + c] = Math.round(200 * Math.sin(t * 0.01 + c) + 50 * Math.sin(t * 0.7) + ((seed >>> 16) % 201) - 100);
    }
  }
  return x;
}

/** Times in ms of `runs` calls after a warm-up call (none when runs is 1). */
async function timesMs(fn, runs) {
  if (runs > 1) await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

/** Median time in ms of `runs` calls after a warm-up call (none when runs is 1). */
export async function medianMs(fn, runs) {
  return (await timesMs(fn, runs))[runs >> 1];
}

/**
 * Best time in ms of `runs` calls after a warm-up call: on a shared machine the best run is the one
 * least disturbed by others.
 */
export async function bestMs(fn, runs) {
  return (await timesMs(fn, runs))[0];
}

/** Megabytes per second of `bytes` read in `ms`, and its text. */
export const mbpsOf = (bytes, ms) => bytes / 1e6 / (ms / 1e3);
export const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** Reads every 1-s chunk of a recording (`chunks()`: views into the kernel's memory, no copies out). */
export async function readAll(rec, chunkSize) {
  for await (const _chunk of rec.chunks({ chunkSize })) { /* consumed */ }
}

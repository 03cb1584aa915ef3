// The local range server's base URL, in Node and in the browser project alike (see range-server.ts).
import { fixturesRoot, inBrowser } from './fixtures.js';

let url: Promise<string> | undefined;

/** Base URL (no trailing slash) of the shared local range server, started on first use. */
export function rangeServerUrl(): Promise<string> {
  url ??= (async () => {
    if (inBrowser) {
      const { commands } = await import('vitest/browser');
      return (commands as unknown as { spikewireRangeServer(): Promise<string> }).spikewireRangeServer();
    }
    // Hidden specifier: the browser build of the tests must never see the Node-only server module.
    const spec = './range-server.js';
    const mod = (await import(/* @vite-ignore */ spec)) as typeof import('./range-server.js');
    return (await mod.sharedRangeServer(await fixturesRoot())).url;
  })();
  return url;
}

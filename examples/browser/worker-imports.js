/**
 * Import maps do not apply inside workers (Chromium, Firefox and Safari resolve a worker's bare
 * specifiers without the page's map), so the recording worker cannot `import ... from 'spikewire'` as
 * the page does. importWithMap(imports)(specifier) loads a module graph with the page's map instead:
 * each module is fetched, its static imports rewritten to the blob URLs of their (likewise rewritten)
 * modules, and its dynamic imports to a lazy loader, so that the chunks' dynamic cycles still resolve.
 * `imports` maps specifiers to absolute URLs, as the page's import map does. `preload` lists modules
 * the graph will need, those the page has loaded: all of them are asked for at once (not one level of
 * imports after another), and taken from the browser's cache as the page just loaded them, without
 * asking the server again.
 */
const STATIC = /(\bfrom\s*|\bimport\s*)(['"])([^'"\n]+)\2/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const LOADER = '__spikewireExampleImport';

export function importWithMap(imports, preload = []) {
  const blobs = new Map(); // module URL -> Promise of its rewritten blob URL
  const texts = new Map(); // module URL -> Promise of its text, asked for once
  const loaded = new Set(preload);
  const textOf = (url) => {
    let text = texts.get(url);
    if (!text) {
      text = fetch(url, loaded.has(url) ? { cache: 'force-cache' } : {}).then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.text();
      });
      texts.set(url, text);
    }
    return text;
  };
  // a preloaded module the graph turns out not to need only costs its request; its failure shows if it is imported
  for (const url of preload) textOf(url).catch(() => {});
  // only the map's specifiers and relative ones: any other text that looks like an import stays as it is
  const resolve = (specifier, base) =>
    imports[specifier] ?? (/^\.{1,2}\//.test(specifier) ? new URL(specifier, base).href : null);

  function blobOf(url) {
    let pending = blobs.get(url);
    if (!pending) {
      pending = (async () => {
        let text = (await textOf(url)).replace(DYNAMIC, (whole, quote, specifier) => {
          const target = resolve(specifier, url);
          return target ? `globalThis.${LOADER}(${JSON.stringify(target)})` : whole;
        });
        const targets = new Set();
        text.replace(STATIC, (whole, keyword, quote, specifier) => void targets.add(resolve(specifier, url)));
        targets.delete(null);
        const blobUrls = new Map(await Promise.all([...targets].map(async (t) => [t, await blobOf(t)])));
        text = text.replace(STATIC, (whole, keyword, quote, specifier) => {
          const target = resolve(specifier, url);
          return target ? `${keyword}${quote}${blobUrls.get(target)}${quote}` : whole;
        });
        return URL.createObjectURL(new Blob([`${text}\n//# sourceURL=${url}\n`], { type: 'text/javascript' }));
      })();
      blobs.set(url, pending);
    }
    return pending;
  }

  const importUrl = async (url) => import(await blobOf(url));
  globalThis[LOADER] = importUrl;
  return (specifier) => importUrl(resolve(specifier, self.location.href) ?? specifier);
}

/**
 * What a worker needs to load the page's modules (for its name): the page's import map, its addresses
 * made absolute, and the modules the page has loaded from the folders the map points into (the
 * worker's graph is the same, so it asks for them all at once).
 */
export function pageModules() {
  const script = document.querySelector('script[type="importmap"]');
  const map = script ? JSON.parse(script.textContent).imports ?? {} : {};
  const imports = Object.fromEntries(Object.entries(map).map(([key, value]) => [key, new URL(value, document.baseURI).href]));
  const folders = [...new Set(Object.values(imports).map((href) => href.slice(0, href.lastIndexOf('/') + 1)))];
  const preload = performance.getEntriesByType('resource').map((entry) => entry.name)
    .filter((name) => /\.m?js$/.test(name) && folders.some((folder) => name.startsWith(folder)));
  return { imports, preload: [...new Set(preload)] };
}

/**
 * Import maps do not apply inside workers (Chromium, Firefox and Safari resolve a worker's bare
 * specifiers without the page's map), so the recording worker cannot `import ... from 'spikewire'` as
 * the page does. importWithMap(imports)(specifier) loads a module graph with the page's map instead:
 * each module is fetched, its static imports rewritten to the blob URLs of their (likewise rewritten)
 * modules, and its dynamic imports to a lazy loader, so that the chunks' dynamic cycles still resolve.
 * `imports` maps specifiers to absolute URLs, as the page's import map does.
 */
const STATIC = /(\bfrom\s*|\bimport\s*)(['"])([^'"\n]+)\2/g;
const DYNAMIC = /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const LOADER = '__spikewireExampleImport';

export function importWithMap(imports) {
  const blobs = new Map(); // module URL -> Promise of its rewritten blob URL
  // only the map's specifiers and relative ones: any other text that looks like an import stays as it is
  const resolve = (specifier, base) =>
    imports[specifier] ?? (/^\.{1,2}\//.test(specifier) ? new URL(specifier, base).href : null);

  function blobOf(url) {
    let pending = blobs.get(url);
    if (!pending) {
      pending = (async () => {
        const response = await fetch(url);
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        let text = (await response.text()).replace(DYNAMIC, (whole, quote, specifier) => {
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

/** The page's import map, its addresses made absolute (for the worker). */
export function pageImportMap() {
  const script = document.querySelector('script[type="importmap"]');
  const imports = script ? JSON.parse(script.textContent).imports ?? {} : {};
  return Object.fromEntries(Object.entries(imports).map(([key, value]) => [key, new URL(value, document.baseURI).href]));
}

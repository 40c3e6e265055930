// The service worker's decisions, as plain functions of what they are given: what a
// request is, which caches are stale, which static files a kept page names. No worker
// API here, so Node's test runner checks them (tests/offline-rules.test.mjs); the I/O is
// in offline-worker.js. A classic script, since service workers load imports with
// importScripts; Node reads it as CommonJS.
(function (rules) {
  "use strict";

  const CACHE_PREFIX = "hipthrust-offline-";

  /** The one cache a version keeps its pages and files in. */
  function cacheName(version) {
    return CACHE_PREFIX + version;
  }

  /** The version a cache of ours is named by; null for any other cache. */
  function versionOf(name) {
    if (typeof name !== "string" || !name.startsWith(CACHE_PREFIX)) return null;
    const version = name.slice(CACHE_PREFIX.length);
    return version ? version : null;
  }

  /** Our caches of other versions (older or newer): what activating deletes. */
  function staleCaches(names, version) {
    return names.filter((name) => {
      const theirs = versionOf(name);
      return theirs !== null && theirs !== version;
    });
  }

  /** Under one of the prefixes, as a path: "/log/" covers "/log/x" but not "/logo". */
  function isUnder(path, prefixes) {
    return prefixes.some((prefix) => path === prefix || path.startsWith(prefix));
  }

  /**
   * What the worker does with a request, given {method, url (a URL), mode, boosted} and
   * the plan /sw.js carries (with the worker's origin):
   *
   * - "browser": not ours to answer (another origin, a write, a file we do not keep);
   *   the browser fetches it as if there were no worker. A queue for writes made
   *   offline would take its POSTs here.
   * - "logout": the browser sends it; the worker also drops anything personal.
   * - "network-page": a page we never keep (signed-in pages, and any not in the plan):
   *   the network, else the offline page.
   * - "start": the installed app's start page: the network, else the guide.
   * - "asset": a kept static file or content photo: the cache first (their names change
   *   with their bytes).
   * - "page": a kept public page: the network first, else the kept copy.
   */
  function route(request, plan) {
    const { url } = request;
    if (url.origin !== plan.origin) return "browser";
    const path = url.pathname;
    if (request.method !== "GET") return path === plan.logout ? "logout" : "browser";
    // A boosted link or form wants a page; any other htmx request wants a fragment, which
    // an offline page or a kept page would fill with a second page: left to the browser.
    const wantsPage = request.mode === "navigate" || Boolean(request.boosted);
    // Before the lists: nothing personal is answered from a cache, whatever they say.
    if (isUnder(path, plan.personal)) return wantsPage ? "network-page" : "browser";
    if (path === plan.start) return "start";
    const key = path + url.search;
    if (plan.assets.includes(key) || plan.photos.includes(key)) return "asset";
    if (plan.pages.includes(key)) return "page";
    return wantsPage ? "network-page" : "browser";
  }

  /** Cached addresses that are personal (there should be none): what logging out drops. */
  function personalEntries(urls, plan) {
    return urls.filter((address) => {
      const url = new URL(address, plan.origin);
      return url.origin === plan.origin && isUnder(url.pathname, plan.personal);
    });
  }

  /**
   * The static files (under `prefix`) a kept text names, as paths: a page's src and href
   * attributes, a module's relative imports, a stylesheet's url()s. A page kept without
   * one of these would open offline unstyled or without its script.
   */
  function staticReferences(text, base, prefix) {
    const found = new Set();
    const patterns = [
      /\b(?:src|href)="([^"]+)"/g,
      /\b(?:import|from)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g,
      /url\(\s*['"]?([^'")]+)['"]?\s*\)/g,
    ];
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (match[1].startsWith("data:")) continue;
        const url = new URL(match[1], base);
        if (url.origin === new URL(base).origin && url.pathname.startsWith(prefix)) {
          found.add(url.pathname);
        }
      }
    }
    return [...found].sort();
  }

  /** What a kept text names that the plan does not keep: any makes the install fail. */
  function missingAssets(text, base, plan) {
    return staticReferences(text, base, plan.staticPrefix).filter(
      (path) => !plan.assets.includes(path),
    );
  }

  Object.assign(rules, {
    cacheName,
    versionOf,
    staleCaches,
    isUnder,
    route,
    personalEntries,
    staticReferences,
    missingAssets,
  });
})(typeof module === "object" && module.exports ? module.exports : (self.offlineRules = {}));

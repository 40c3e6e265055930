// hipthrust's service worker. /sw.js (hipthrust/offline.py) sets self.OFFLINE_PLAN and
// imports offline-rules.js (the decisions) before this file (what acts on them).
//
// Install: every kept page, static file and content photo of this version is fetched into one cache
// named by the version, all or nothing, then the worker takes over at once. Activate:
// the caches of every other version are deleted, so a deploy never leaves a page of one
// version beside the scripts of another.
//
// Signed-in pages (/log/, /coach/, /accounts/...) are never cached here at all: they
// go to the network, and without one the offline page is shown. The public pages are
// fetched by the worker without cookies, so what is kept is the page a visitor without
// an account sees, never one with a person's name or token in it. Online, pages come
// from the network first (so a signed-in person sees their own header, and a coach's
// edit shows at once); the kept copy is for when the network fails or stays silent.
// A coach's edit moves the content generation, so the next visit that checks for a new
// worker (every page load and each return to the app) installs a fresh copy behind it.
"use strict";

const plan = { ...self.OFFLINE_PLAN, origin: self.location.origin };
const rules = self.offlineRules;
const CACHE = rules.cacheName(plan.version);

// As nobody: no cookie goes along; a redirect fails rather than being kept.
const asNobody = (url) =>
  new Request(url, { credentials: "omit", cache: "no-cache", redirect: "error" });

async function keep(cache, url) {
  const response = await fetch(asNobody(url));
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  if ((response.headers.get("Content-Type") || "").startsWith("text/html")) {
    // A page naming a file of another deploy (one served mid-deploy) would open
    // unstyled offline: refuse the whole install, the next check tries again.
    const missing = rules.missingAssets(await response.clone().text(), response.url, plan);
    if (missing.length) throw new Error(`${url} names files not kept: ${missing.join(", ")}`);
  }
  await cache.put(url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const urls = [...plan.pages, ...plan.assets, ...plan.photos];
        await Promise.all(urls.map((url) => keep(cache, url)));
      } catch (error) {
        await caches.delete(CACHE); // the worker before this one keeps serving its own set
        throw error;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const stale = rules.staleCaches(await caches.keys(), plan.version);
      await Promise.all(stale.map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

async function kept(key) {
  const cache = await caches.open(CACHE);
  // The pages vary on Cookie and htmx's headers; the kept copy is the one for nobody.
  return cache.match(key, { ignoreVary: true });
}

async function offlinePage() {
  const page = await kept(plan.offlinePage);
  if (!page) return Response.error();
  // A copy that names no address of its own: a kept response keeps the offline page's,
  // which htmx would put in the address bar, and the page asked for must stay there to
  // load once back online.
  const { status, statusText, headers } = page;
  return new Response(page.body, { status, statusText, headers });
}

/** The network, unless it fails, answers 5xx or stays silent past the timeout. */
async function networkFirst(request, key) {
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the timeout is no one's error
  const silence = new Promise((resolve) => setTimeout(resolve, plan.networkTimeoutMs, null));
  try {
    const response = await Promise.race([network, silence]);
    if (response && response.status < 500) return response;
  } catch {
    // offline: the kept copy below
  }
  return (await kept(key)) || network.catch(() => offlinePage());
}

async function dropPersonal() {
  for (const name of await caches.keys()) {
    if (rules.versionOf(name) === null) continue;
    const cache = await caches.open(name);
    const urls = (await cache.keys()).map((request) => request.url);
    await Promise.all(rules.personalEntries(urls, plan).map((url) => cache.delete(url)));
  }
}

const HANDLERS = {
  asset: async (request, key) => (await kept(key)) || fetch(request),
  page: networkFirst,
  "network-page": (request) => fetch(request).catch(() => offlinePage()),
  start: (request) => fetch(request).catch(() => Response.redirect(plan.startOffline, 302)),
};

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  const kind = rules.route(
    { method: request.method, url, mode: request.mode, boosted: request.headers.has("HX-Boosted") },
    plan,
  );
  if (kind === "logout") {
    event.waitUntil(dropPersonal());
    return;
  }
  const handler = HANDLERS[kind];
  if (handler) event.respondWith(handler(request, url.pathname + url.search));
});

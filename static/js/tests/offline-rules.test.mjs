// The service worker's decisions (offline-rules.js): routes, stale caches, what a kept
// page names.
import assert from "node:assert/strict";
import { test } from "node:test";

import rules from "../offline-rules.js";

const ORIGIN = "https://hipthrust.example";
const PLAN = {
  origin: ORIGIN,
  version: "abc123.def456",
  pages: ["/", "/guide/", "/ladder/", "/ladder/glute-bridge/", "/timer/", "/timer/?variation=glute-bridge", "/offline/"],
  assets: ["/static/css/site.abc.css", "/static/js/timer.abc.mjs", "/static/js/tempo-plan.def.mjs"],
  photos: ["/media/illustrations/0a1b2c-bench-480w.webp", "/media/illustrations/0a1b2c-bench-480w.jpg"],
  staticPrefix: "/static/",
  offlinePage: "/offline/",
  start: "/start/",
  personal: ["/log/", "/coach/", "/accounts/", "/admin/"],
  logout: "/accounts/logout/",
};

const request = (path, { method = "GET", mode = "navigate", boosted = false, origin = ORIGIN } = {}) => ({
  method,
  url: new URL(path, origin),
  mode,
  boosted,
});
const route = (path, options) => rules.route(request(path, options), PLAN);

test("a cache name carries its version and reads back to it", () => {
  const name = rules.cacheName(PLAN.version);
  assert.equal(name, "hipthrust-offline-abc123.def456");
  assert.equal(rules.versionOf(name), PLAN.version);
});

test("caches that are not ours have no version", () => {
  for (const name of ["workbox-precache-v2", "hipthrust-offline-", "hipthrust-queue-1", "", undefined]) {
    assert.equal(rules.versionOf(name), null, String(name));
  }
});

test("activating drops our caches of every other version and no one else's", () => {
  const names = [
    "hipthrust-offline-old.1",
    rules.cacheName(PLAN.version),
    "hipthrust-offline-newer.2",
    "someone-elses-cache",
  ];
  assert.deepEqual(rules.staleCaches(names, PLAN.version), [
    "hipthrust-offline-old.1",
    "hipthrust-offline-newer.2",
  ]);
  assert.deepEqual(rules.staleCaches([rules.cacheName(PLAN.version)], PLAN.version), []);
});

test("kept public pages are answered from the network first, then the cache", () => {
  for (const path of ["/", "/guide/", "/ladder/glute-bridge/", "/timer/", "/timer/?variation=glute-bridge"]) {
    assert.equal(route(path), "page", path);
    assert.equal(route(path, { mode: "cors", boosted: true }), "page", `${path} through a boosted link`);
  }
});

test("a fragment asked for by htmx, not boosted, is never answered with a page", () => {
  for (const path of ["/log/sets/3/edit/", "/coach/athletes/3/"]) {
    assert.equal(route(path, { mode: "cors" }), "browser", path);
  }
  assert.equal(route("/log/sets/3/edit/", { mode: "cors", boosted: true }), "network-page");
});

test("a page with a query the plan does not keep is not answered from the cache", () => {
  assert.equal(route("/timer/?variation=glute-bridge&sets=5"), "network-page");
  assert.equal(route("/guide/?utm=x"), "network-page");
  assert.equal(route("/ladder/unknown-rung/"), "network-page");
});

test("signed-in pages are never cached, even if a list named them", () => {
  const careless = { ...PLAN, pages: [...PLAN.pages, "/log/", "/coach/"] };
  for (const path of ["/log/", "/log/history/", "/coach/", "/accounts/profile/", "/admin/"]) {
    assert.equal(rules.route(request(path), careless), "network-page", path);
    assert.equal(rules.route(request(path, { mode: "cors" }), careless), "browser", `${path} fetched`);
  }
});

test("a prefix covers paths below it, not paths that only start alike", () => {
  assert.equal(rules.isUnder("/log/sessions/1/", PLAN.personal), true);
  assert.equal(rules.isUnder("/logo/", PLAN.personal), false);
  assert.equal(rules.isUnder("/coaching/", PLAN.personal), false);
});

test("writes, other origins and unkept files are left to the browser", () => {
  assert.equal(route("/log/sessions/new/", { method: "POST" }), "browser");
  assert.equal(route("/guide/", { method: "POST" }), "browser");
  assert.equal(route("/guide/", { origin: "https://elsewhere.example" }), "browser");
  assert.equal(route("/static/css/admin.css", { mode: "no-cors" }), "browser");
  assert.equal(route("/media/photo.jpg", { mode: "no-cors" }), "browser");
});

test("logging out is sent by the browser and marked for the worker", () => {
  assert.equal(route("/accounts/logout/", { method: "POST" }), "logout");
  assert.equal(route("/accounts/logout/"), "network-page");
});

test("kept static files and the start page have their own routes", () => {
  assert.equal(route("/static/css/site.abc.css", { mode: "no-cors" }), "asset");
  assert.equal(route("/static/js/timer.abc.mjs", { mode: "cors" }), "asset");
  assert.equal(route("/start/"), "start");
});

test("a kept content photo is answered from the cache, any other upload by the browser", () => {
  assert.equal(route("/media/illustrations/0a1b2c-bench-480w.webp", { mode: "no-cors" }), "asset");
  assert.equal(route("/media/illustrations/0a1b2c-bench-480w.jpg", { mode: "no-cors" }), "asset");
  assert.equal(route("/media/illustrations/other-960w.webp", { mode: "no-cors" }), "browser");
});

test("logging out drops only personal entries", () => {
  const urls = [`${ORIGIN}/guide/`, `${ORIGIN}/log/`, `${ORIGIN}/coach/athletes/3/`, `${ORIGIN}/logo.png`];
  assert.deepEqual(rules.personalEntries(urls, PLAN), [`${ORIGIN}/log/`, `${ORIGIN}/coach/athletes/3/`]);
});

test("a page's static references: src and href, without fragments or other origins", () => {
  const html = `<link rel="stylesheet" href="/static/css/site.abc.css">
    <link rel="canonical" href="${ORIGIN}/guide/">
    <script src="/static/js/timer.abc.mjs" type="module"></script>
    <svg><use href="/static/favicon.svg#mark"></use></svg>
    <img src="data:image/png;base64,AAAA"> <img src="https://cdn.example/static/x.png">
    <a href="/ladder/">Ladder</a>`;
  assert.deepEqual(rules.staticReferences(html, `${ORIGIN}/guide/`, "/static/"), [
    "/static/css/site.abc.css",
    "/static/favicon.svg",
    "/static/js/timer.abc.mjs",
  ]);
});

test("a module's relative imports and a stylesheet's url()s resolve against the file", () => {
  // Written out piece by piece: collectstatic rewrites import statements it finds in
  // any .mjs file, this one included.
  const importLine = (names, path) => ["import", names, "from", JSON.stringify(path)].join(" ");
  const module = `${importLine("{ a }", "./tempo-plan.def.mjs")};\n${importLine("x", "../other.mjs")};`;
  assert.deepEqual(rules.staticReferences(module, `${ORIGIN}/static/js/timer.abc.mjs`, "/static/"), [
    "/static/js/tempo-plan.def.mjs",
    "/static/other.mjs",
  ]);
  const css = `a { background: url("../img/x.png") } b { background: url(data:image/svg+xml,abc) }`;
  assert.deepEqual(rules.staticReferences(css, `${ORIGIN}/static/css/site.css`, "/static/"), [
    "/static/img/x.png",
  ]);
});

test("a page naming a file the plan does not keep is caught", () => {
  const html = `<link href="/static/css/site.abc.css"><script src="/static/js/timer.NEW.mjs"></script>`;
  assert.deepEqual(rules.missingAssets(html, `${ORIGIN}/timer/`, PLAN), ["/static/js/timer.NEW.mjs"]);
  assert.deepEqual(rules.missingAssets(`<link href="/static/css/site.abc.css">`, `${ORIGIN}/`, PLAN), []);
});

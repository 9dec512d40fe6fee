// The guide's service worker: a saved routine's guided session, once opened, runs without
// signal. Served at /sw.js by acupressure.views.service_worker, which writes RELEASE above
// this file: the release's version, the addresses of session pages, where static files
// live and how a page names them, the offline page in each language and the site's
// Content-Security-Policy.
//
// It keeps only what a session needs: each saved routine's session page the visitor
// opened (/r/<token>/session/ in any language, never a visitor's working routine under
// /routine/) and the static files that page names. Pages come from the network first and
// from the cache only when the network fails, so nothing here is ever shown stale online.
/* global RELEASE */
"use strict";

const CACHE_PREFIX = "acupressure-";
const CACHE = CACHE_PREFIX + RELEASE.version;
const SESSION_PATH = new RegExp(RELEASE.sessionPath);
const KEPT_SESSIONS = "<!-- kept sessions -->";

function isSessionPage(url) {
  return url.origin === self.location.origin && SESSION_PATH.test(url.pathname);
}

// One entry per session page, whatever its query string (?speed= in tests).
function pageKey(url) {
  return url.origin + url.pathname;
}

function staticFilesOf(html) {
  const named = html.matchAll(new RegExp(RELEASE.staticReference, "g"));
  return [...new Set(Array.from(named, (match) => match[1]))];
}

// Refreshed on every online visit: the browser's HTTP cache answers for hashed files
// it already has, and a file that cannot be fetched now keeps its older copy.
function keepStaticFiles(cache, html) {
  return Promise.allSettled(staticFilesOf(html).map((file) => cache.add(file)));
}

async function keepSessionPage(cache, url, response) {
  const html = await response.clone().text();
  await cache.put(pageKey(url), response);
  await keepStaticFiles(cache, html);
}

async function fetchAndKeep(cache, url) {
  const response = await fetch(url);
  if (response.ok) {
    await keepSessionPage(cache, new URL(url), response);
  }
}

async function install() {
  const cache = await caches.open(CACHE);
  await Promise.all(RELEASE.offlinePages.map(([, html]) => keepStaticFiles(cache, html)));
  // Sessions kept by the release before, and those open now (opened before this worker
  // controlled them), fetched afresh in this release's form.
  const pages = new Set();
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && name !== CACHE) {
      const old = await caches.open(name);
      for (const request of await old.keys()) {
        if (isSessionPage(new URL(request.url))) pages.add(request.url);
      }
    }
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const client of windows) {
    const url = new URL(client.url);
    if (isSessionPage(url)) pages.add(pageKey(url));
  }
  await Promise.allSettled([...pages].map((url) => fetchAndKeep(cache, url)));
}

self.addEventListener("install", (event) => {
  // A new release takes over at once; activate removes the old one's cache.
  event.waitUntil(install().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      // The page that registered the worker is served by it from now on, not from its
      // next load.
      await self.clients.claim();
    })()
  );
});

// The offline page in the language of the address asked for, with the sessions kept
// here as links: an app opened offline from the home screen still reaches them.
async function offlinePage(url) {
  const [, page] = RELEASE.offlinePages.find(([prefix]) => url.pathname.startsWith(prefix));
  const cache = await caches.open(CACHE);
  let links = "";
  for (const request of await cache.keys()) {
    if (isSessionPage(new URL(request.url))) {
      const html = await (await cache.match(request)).text();
      // The routine's title as the page printed it, escaped there: text only, no tags.
      const title = (html.match(/<h1>([^<]*)<\/h1>/) || [])[1] || request.url;
      links += `<li><a href="${request.url}">${title}</a></li>`;
    }
  }
  const html = links
    ? page.replace(" data-kept-sessions hidden", "").replace(KEPT_SESSIONS, links)
    : page;
  return new Response(html, {
    status: 503,
    statusText: "Service Unavailable",
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": RELEASE.contentSecurityPolicy,
    },
  });
}

async function navigate(event, url) {
  try {
    const response = await fetch(event.request);
    if (isSessionPage(url) && response.ok && response.type === "basic") {
      const cache = await caches.open(CACHE);
      event.waitUntil(keepSessionPage(cache, url, response.clone()));
    }
    return response;
  } catch {
    if (isSessionPage(url)) {
      const kept = await caches.match(pageKey(url), { cacheName: CACHE });
      if (kept) return kept;
    }
    return offlinePage(url);
  }
}

async function fromCacheOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const kept = await caches.match(request, { cacheName: CACHE });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // POSTs, other hosts: the browser's own way.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname.startsWith(RELEASE.staticUrl)) {
    event.respondWith(fromCacheOffline(request));
  } else if (request.headers.has("HX-Request")) {
    // What htmx loads into a page (the header's routine badge) has nothing new to show
    // offline: 204 No Content leaves the page as it is, without an error.
    event.respondWith(fetch(request).catch(() => new Response(null, { status: 204 })));
  }
});

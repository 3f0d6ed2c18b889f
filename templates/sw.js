/* The portal's service worker (served by tenants.views.service_worker at /sw.js).

   Privacy first: the only things ever stored are the offline page and the static files it
   needs, fetched without cookies. Pages, downloads, documents and the admin are network-only;
   no response is put into a cache at run time. When a page cannot be loaded at all (no
   network), the offline page is shown in its place.

   VERSION is a hash of the offline page and its assets: a deploy that changes them installs a
   new worker, and activating it deletes every older cache. */
"use strict";

const VERSION = "{{ version }}";
const CACHE = "portal-offline-" + VERSION;
const OFFLINE_URL = {{ offline_url|safe }};
const PRECACHE = {{ precache|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        cache.addAll(
          PRECACHE.map((url) => new Request(url, { credentials: "omit", cache: "reload" }))
        )
      )
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name)));
      // Starts the page request while the worker boots: no delay for going through it.
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })()
  );
});

async function offlinePage() {
  const cache = await caches.open(CACHE);
  return (await cache.match(OFFLINE_URL, { ignoreVary: true })) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // Network only; the offline page replaces a page that could not be fetched.
    event.respondWith(
      (async () => {
        try {
          const preloaded = await event.preloadResponse;
          return preloaded || (await fetch(request));
        } catch (error) {
          return offlinePage();
        }
      })()
    );
    return;
  }
  const path = new URL(request.url).pathname;
  if (PRECACHE.includes(path)) {
    // The offline page's own assets: from the network when possible, else from the cache.
    event.respondWith(
      fetch(request).catch(async () => {
        const cache = await caches.open(CACHE);
        return (await cache.match(path, { ignoreVary: true })) || Response.error();
      })
    );
  }
  // Everything else is not handled here: the browser fetches it from the network as usual.
});

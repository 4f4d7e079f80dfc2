/*
 * TinhSo service worker (hand-written, no build step; registered by main.tsx in production builds only).
 *
 * - install: precache the app shell (index.html, the manifest, icons) and the hashed assets index.html
 *   names (read from it at runtime, so this file needs no build manifest);
 * - navigations: network first (with a time limit on weak connections), the cached index.html as the
 *   offline fallback, so the SPA opens without a connection;
 * - /assets/* (hashed, immutable): cache first, stored as they are fetched (lazy chunks too);
 * - /api/: never cached, except the field-report categories and commune boundaries (stale-while-revalidate),
 *   which the report form and the map need offline. Reports themselves wait in IndexedDB (feedback/outbox.ts),
 *   not here.
 * - caches carry a version; activate deletes the caches of other versions.
 */
const VERSION = 'v1';
const SHELL = `tinhso-shell-${VERSION}`;
const ASSETS = `tinhso-assets-${VERSION}`;
const DATA = `tinhso-data-${VERSION}`;
const KEEP = [SHELL, ASSETS, DATA];
const SHELL_URLS = ['/index.html', '/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png'];
const DATA_URLS = ['/api/v1/field-reports/categories', '/api/v1/public/field-reports/boundaries'];
const MAX_ASSETS = 150;
const NAV_TIMEOUT_MS = 6000;

/** The /assets/… files an index.html refers to (script, modulepreload, stylesheet). */
function assetsOf(html) {
  const out = new Set();
  for (const m of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) out.add(m[1]);
  return [...out];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL);
      await shell.addAll(SHELL_URLS);
      const index = await shell.match('/index.html');
      if (index) {
        const assets = await caches.open(ASSETS);
        await assets.addAll(assetsOf(await index.text())).catch(() => {});
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('tinhso-') && !KEEP.includes(name)) await caches.delete(name);
      }
      // Old hashed files stay for pages still open on an older build; the oldest go beyond MAX_ASSETS.
      const assets = await caches.open(ASSETS);
      const keys = await assets.keys();
      for (const req of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await assets.delete(req);
      await self.clients.claim();
    })(),
  );
});

async function networkFirstNavigation(request) {
  const shell = await caches.open(SHELL);
  const network = fetch(request).then(async (res) => {
    if (res.ok && (res.headers.get('content-type') || '').includes('text/html')) {
      await shell.put('/index.html', res.clone());
    }
    return res;
  });
  const cached = await shell.match('/index.html');
  if (!cached) return network;
  // A slow line gets the cached shell after a while; the network answer still refreshes the cache.
  const timeout = new Promise((resolve) => setTimeout(() => resolve(cached), NAV_TIMEOUT_MS));
  try {
    return await Promise.race([network, timeout]);
  } catch {
    return cached;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

async function staleWhileRevalidate(event, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(event.request);
  const update = fetch(event.request)
    .then(async (res) => {
      if (res.ok) await cache.put(event.request, res.clone());
      return res;
    })
    .catch(() => undefined);
  if (hit) {
    event.waitUntil(update);
    return hit;
  }
  const res = await update;
  return res || Response.error();
}

// The page hands over the /assets/ files it loaded before this worker controlled it (first visit).
self.addEventListener('message', (event) => {
  const data = event.data;
  if (data?.type !== 'cache-assets' || !Array.isArray(data.urls)) return;
  const urls = data.urls.filter((u) => typeof u === 'string' && u.startsWith('/assets/')).slice(0, 100);
  event.waitUntil(
    (async () => {
      const cache = await caches.open(ASSETS);
      for (const u of urls) if (!(await cache.match(u))) await cache.add(u).catch(() => {});
      // The categories and boundaries too (usually from the browser's HTTP cache), for the form offline.
      const data = await caches.open(DATA);
      for (const u of DATA_URLS) if (!(await data.match(u))) await data.add(u).catch(() => {});
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;

  if (path.startsWith('/api/')) {
    if (DATA_URLS.includes(path) && !url.search) event.respondWith(staleWhileRevalidate(event, DATA));
    return;
  }
  if (request.mode === 'navigate') {
    // Server-side pages (sign-in redirects, API docs, Open311) are not the SPA.
    if (/^\/(oidc|auth|docs|open311|healthz)(\/|$)/.test(path)) return;
    event.respondWith(networkFirstNavigation(request));
    return;
  }
  if (path.startsWith('/assets/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (path === '/manifest.webmanifest' || path.startsWith('/icons/')) {
    event.respondWith(staleWhileRevalidate(event, SHELL));
  }
});

/*
 * The verification page's service worker: the page works without network (QR codes are then checked on the
 * device with the last trust data, see cose.js). Files of the page: cache first, refreshed in the background.
 * Trust data (trust status, QR signers): network first, the last answer when offline. Verifications (POST) always
 * go to the network: a PDF cannot be checked offline.
 */
const CACHE = "yinxin-verifier-v4";
const SHELL = ["./", "index.html", "app.js", "cose.js", "app.css", "manifest.webmanifest", "icon.svg", "icon-192.png",
  "icon-512.png", "sign-in/sign-in.js"];
const DATA = ["api/v1/trust-status", "api/v1/qr-signers"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  const path = url.pathname.substring(scope.pathname.length);
  // how to sign in comes from the network or not at all: offline there is no signing in
  if (path === "sign-in/config.json") return;
  if (DATA.includes(path)) {
    event.respondWith(networkFirst(request));
  } else if (/^d\/[0-9A-Fa-f-]{1,64}\/?$/.test(path)) {
    event.respondWith(fetch(request).catch(() => documentPage()));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match("index.html")));
  } else {
    event.respondWith(cacheFirst(request, event));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(request);
    if (!cached) throw e;
    // say so: the page then shows that it works with saved data
    const headers = new Headers(cached.headers);
    headers.set("X-Yinxin-From-Cache", "true");
    return new Response(await cached.blob(), { status: cached.status, headers });
  }
}

async function cacheFirst(request, event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  const refresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

/* /d/{id} offline: the cached page, with the base the server would have added. */
async function documentPage() {
  const cached = await caches.match("index.html");
  const html = (await cached.text()).replace("<head>", "<head>\n<base href=\"../\">");
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/**
 * Bascule's service worker: the offline shell and the push notifications of the notifier.
 *
 * - The app shell (index.html, the bundles, icons, manifest) is cached at install, and any other
 *   bundled file (the check-in page's QR reader) once fetched; pages are served
 *   from the network first and from the cache when offline. /rpc, /relayer/ and /notifier/ are never
 *   cached (live data, and nothing personal is kept in caches). /config.json is cached so the shell
 *   starts offline.
 * - A push from the notifier carries `{ title, body, url, tag, lang }` (encrypted end to end; the
 *   browser decrypts it before this code sees it); it is shown as a notification that opens the
 *   campaign's page when tapped, and only a page of this dApp's origin (else its home).
 *
 * The two placeholders below (the shell's file list and its version) are filled in at build time by
 * frontend/vite.config.ts.
 */
/* global self, caches, clients, URL, fetch, __BASCULE_SHELL__, __BASCULE_VERSION__ */
const SHELL = __BASCULE_SHELL__;
const VERSION = __BASCULE_VERSION__;
const CACHE = `bascule-shell-${VERSION}`;
const LIVE = /\/(rpc|relayer\/|notifier\/)/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // The runtime configuration too, so the shell starts offline; a site without one still installs.
      .then((cache) => cache.addAll(SHELL).then(() => cache.add("./config.json").catch(() => undefined)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("bascule-shell-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || LIVE.test(url.pathname)) return;
  if (request.mode === "navigate" || url.pathname.endsWith("/config.json")) {
    // Network first (fresh config and page), the cached shell when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && url.pathname.endsWith("/config.json")) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
          }
          return response;
        })
        .catch(() =>
          caches
            .match(request, { ignoreSearch: true })
            .then((hit) => hit ?? caches.match(new URL("./", self.registration.scope).href)),
        ),
    );
    return;
  }
  // Bundles are content-hashed: the cache is always right for them. One fetched outside the shell
  // (the check-in page's QR reader) is kept once fetched, for a check-in without a connection.
  event.respondWith(
    caches.match(request).then(
      (hit) =>
        hit ??
        fetch(request).then((response) => {
          if (response.ok && url.pathname.includes("/assets/")) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
          }
          return response;
        }),
    ),
  );
});

/**
 * The page a notification may open: a URL of this dApp's own origin, resolved against the worker's
 * scope; anything else (another site, a `javascript:` or `data:` URL, a malformed one) opens the
 * dApp's home instead. A push payload is the notifier's (or whoever holds its key): it must not be
 * able to send a tap to a look-alike site.
 */
function notificationTarget(url) {
  const home = self.registration.scope;
  try {
    const target = new URL(typeof url === "string" && url !== "" ? url : home, home);
    return target.origin === self.location.origin ? target.href : home;
  } catch {
    return home;
  }
}

/** What a push shows; also used by the dApp to render the same notification in its tests. */
function notificationOptions(data) {
  return {
    body: data.body,
    tag: data.tag,
    lang: data.lang,
    icon: new URL("icons/icon-192.png", self.registration.scope).href,
    badge: new URL("icons/badge-96.png", self.registration.scope).href,
    data: { url: notificationTarget(data.url) },
    renotify: true,
  };
}

self.addEventListener("push", (event) => {
  let data;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || typeof data.title !== "string") {
    // Browsers require a visible notification for each push; say something neutral.
    data = { title: "Bascule", body: "", url: "./", tag: "bascule" };
  }
  event.waitUntil(self.registration.showNotification(data.title, notificationOptions(data)));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Checked again here: a notification shown by an earlier version of this worker carries its own URL.
  const target = notificationTarget(event.notification.data && event.notification.data.url);
  event.waitUntil(
    clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) if (w.url === target && "focus" in w) return w.focus();
      return clients.openWindow(target);
    }),
  );
});

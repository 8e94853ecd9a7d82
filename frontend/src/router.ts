import { useSyncExternalStore } from "react";
import { takeSecretsFromAddressBar } from "./lib/addressBar.ts";

/**
 * Routes live in the URL fragment ("#/c/0x…"), so a static server serves the dApp and the pledge
 * key in a receipt link ("#/r/…") is never sent to any server. Secrets in a link (a receipt's key,
 * an invite code, a protected receipt) leave the address bar and the history entry as soon as the
 * page sees them (lib/addressBar.ts).
 */
function subscribe(cb: () => void) {
  const on = () => {
    takeSecretsFromAddressBar();
    cb();
  };
  window.addEventListener("hashchange", on);
  return () => window.removeEventListener("hashchange", on);
}

export function currentRoute(): string {
  // A link may arrive before anything listens (a fast second navigation): scrub it here too.
  takeSecretsFromAddressBar();
  const h = window.location.hash.replace(/^#/, "");
  return h === "" ? "/" : h;
}

export function useRoute(): string {
  return useSyncExternalStore(subscribe, currentRoute, () => "/");
}

export function navigate(route: string) {
  window.location.hash = route;
  window.scrollTo?.(0, 0);
}

/** Goes to a route without leaving the current one in the history (for pages holding a secret). */
export function replaceRoute(route: string) {
  window.location.replace(`#${route}`);
  window.scrollTo?.(0, 0);
}

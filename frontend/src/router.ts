import { useSyncExternalStore } from "react";

/**
 * Routes live in the URL fragment ("#/c/0x…"), so a static server serves the dApp and the pledge
 * key in a receipt link ("#/r/…") is never sent to any server.
 */
function subscribe(cb: () => void) {
  window.addEventListener("hashchange", cb);
  return () => window.removeEventListener("hashchange", cb);
}

export function currentRoute(): string {
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

// @vitest-environment node
/**
 * The service worker (frontend/sw/sw.js) run as it is, in a VM context standing in for a worker
 * global: its push and notificationclick handlers, fed hostile payloads.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";

const SOURCE = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../sw/sw.js"), "utf8");
const SCOPE = "https://bascule.example/app/";
const CAMPAIGN = `${SCOPE}#/c/0x00000000000000000000000000000000000000C1`;

type Listener = (event: unknown) => void;

/** The worker's global scope: its listeners, the notifications it shows, the windows it opens or focuses. */
function worker(windows: { url: string }[] = []) {
  const listeners = new Map<string, Listener>();
  const shown: { title: string; options: { data: { url: string } } }[] = [];
  const opened: string[] = [];
  const focused: string[] = [];
  const self = {
    location: new URL(`${SCOPE}sw.js`),
    registration: {
      scope: SCOPE,
      showNotification: async (title: string, options: { data: { url: string } }) =>
        void shown.push({ title, options }),
    },
    addEventListener: (type: string, fn: Listener) => listeners.set(type, fn),
    skipWaiting: async () => {},
    clients: { claim: async () => {} },
  };
  const clients = {
    matchAll: async () => windows.map((w) => ({ url: w.url, focus: async () => void focused.push(w.url) })),
    openWindow: async (url: string) => void opened.push(url),
  };
  runInNewContext(SOURCE, {
    self,
    clients,
    caches: {},
    fetch,
    URL,
    __BASCULE_SHELL__: [],
    __BASCULE_VERSION__: "test",
  });
  async function dispatch(type: string, event: object) {
    const pending: Promise<unknown>[] = [];
    listeners.get(type)!({ ...event, waitUntil: (p: Promise<unknown>) => pending.push(p) });
    await Promise.all(pending);
  }
  return {
    shown,
    opened,
    focused,
    push: (payload: unknown) => dispatch("push", { data: { json: () => payload } }),
    click: (data: unknown) => dispatch("notificationclick", { notification: { data, close: () => {} } }),
  };
}

const HOSTILE = [
  "https://bascule.example.evil.test/#/c/0x00000000000000000000000000000000000000C1",
  "https://evil.test/phish",
  "//evil.test/phish",
  "http://bascule.example/app/", // same host, another scheme: another origin
  "https://bascule.example:8443/app/",
  "javascript:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "https://user:pass@evil.test/",
  "http://[::1",
];

describe("service worker: a notification opens only this dApp's own pages", () => {
  it("opens the campaign page a payload names on this origin, relative or absolute", async () => {
    for (const url of [CAMPAIGN, "#/c/0x00000000000000000000000000000000000000C1", "./#/how"]) {
      const w = worker();
      await w.click({ url: new URL(url, SCOPE).href });
      expect(w.opened).toEqual([new URL(url, SCOPE).href]);
    }
  });

  it("opens the dApp's home instead of any other origin or scheme a payload names", async () => {
    for (const url of HOSTILE) {
      const w = worker();
      await w.click({ url });
      expect(w.opened, url).toEqual([SCOPE]);
    }
    for (const data of [undefined, null, {}, { url: 42 }, { url: { href: "https://evil.test/" } }]) {
      const w = worker();
      await w.click(data);
      expect(w.opened, JSON.stringify(data)).toEqual([SCOPE]);
    }
  });

  it("focuses a window already showing the page rather than opening another", async () => {
    const w = worker([{ url: SCOPE }, { url: CAMPAIGN }]);
    await w.click({ url: CAMPAIGN });
    expect(w.focused).toEqual([CAMPAIGN]);
    expect(w.opened).toEqual([]);
  });

  it("a push naming another site shows a notification whose tap goes home", async () => {
    for (const url of HOSTILE) {
      const w = worker();
      await w.push({ title: "Votre seuil est atteint", body: "…", url, tag: "t", lang: "fr" });
      expect(w.shown).toHaveLength(1);
      expect(w.shown[0].options.data.url, url).toBe(SCOPE);
    }
    const w = worker();
    await w.push({ title: "Seuil atteint", body: "", url: CAMPAIGN, tag: "t", lang: "fr" });
    expect(w.shown[0].options.data.url).toBe(CAMPAIGN);
  });
});

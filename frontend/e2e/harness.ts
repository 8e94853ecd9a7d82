/**
 * The shared harness of the Chromium end-to-end suites: launching Debian's Chromium (playwright-core),
 * named steps with a failure screenshot, screenshots, axe-core scans and browser contexts that refuse
 * every third-party request. frontend/e2e/run.ts runs the core flow (core.e2e.ts), then every registered suite.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { privateKeyToAccount } from "viem/accounts";
import { hardhatKey, ROLES } from "../../scripts/demo/accounts.js";
import { ROOT, type Stack } from "../../scripts/demo/stack.js";
import { injectedWalletScript } from "./wallet.js";
import { CHROMIUM_FLAGS as FLAGS, CHROMIUM_PATH as CHROMIUM } from "../../scripts/lib/chromium.js";

export const OUT = path.join(ROOT, "test-results/e2e");
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Debian's Chromium, headless, with the flags this machine needs; `extraArgs` adds some (a fake camera, say). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The end-to-end tests need Debian's chromium: ` +
        "run `apt-get install -y chromium` (or set CHROMIUM_PATH). They are not skipped.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: [...FLAGS, ...extraArgs], headless: true });
}

export interface Result {
  name: string;
  ok: boolean;
  error?: string;
}
export const results: Result[] = [];
export const axeReport: { page: string; violations: { id: string; impact: string | null; nodes: number }[] }[] = [];

/**
 * `E2E_SUITES=notify,striker npm run test:e2e`: a developer's run of the feature suites whose names
 * start with these words, without the core flow. `npm test` never sets it.
 */
const ONLY = process.env.E2E_SUITES?.split(",")
  .map((s) => s.trim())
  .filter(Boolean);
let depth = 0;

export async function step(name: string, fn: () => Promise<void>) {
  if (ONLY && depth === 0 && !ONLY.some((s) => name.startsWith(`suite ${s}`))) {
    console.log(`  - ${name} (not run: E2E_SUITES)`);
    return;
  }
  const t0 = Date.now();
  depth++;
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    const error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    results.push({ name, ok: false, error });
    for (const [i, p] of openPages.entries()) {
      if (!p.isClosed())
        await p
          .screenshot({ path: path.join(OUT, `failed-${results.length}-${i}.png`), fullPage: true })
          .catch(() => {});
    }
    console.log(`  ✘ ${name}\n${error}`);
  } finally {
    depth--;
  }
}

export { until } from "../../test/helpers/until.js";

/** The URLs of the session history of a page (Chromium DevTools protocol): what "back" would show. */
export async function historyUrls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { entries } = (await cdp.send("Page.getNavigationHistory")) as { entries: { url: string }[] };
  await cdp.detach();
  return entries.map((e) => e.url);
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

/** Runs axe-core on the page; fails on serious or critical violations. */
export async function axe(page: Page, name: string) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          opts: object,
        ) => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  axeReport.push({ page: name, violations });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious, [], `${name}: serious accessibility violations ${JSON.stringify(serious)}`);
}

export async function newContext(
  browser: Browser,
  stack: Stack,
  opts: { wallet: boolean; lang?: string; width?: number; enforceCsp?: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext({
    locale: opts.lang ?? "en-GB",
    // axe-core is injected as an inline script; the dApp's own CSP forbids that. A context that
    // enforces the CSP (to check what it allows) cannot run axe.
    bypassCSP: !opts.enforceCsp,
    viewport: { width: opts.width ?? 1000, height: 900 },
  });
  // No third-party requests: anything leaving the dApp's origin fails the test.
  const origin = new URL(stack.url).origin;
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
    thirdParty.push(u);
    return route.abort();
  });
  context.on("page", (p) => {
    openPages.push(p);
    p.on("console", (m) => {
      if (m.type() === "error") console.log(`    [browser] ${m.text().slice(0, 300)}`);
    });
  });
  if (opts.wallet) {
    const account = privateKeyToAccount(hardhatKey(ROLES.wallet)).address;
    await context.addInitScript(injectedWalletScript(account, `0x${stack.chainId.toString(16)}`));
  }
  return context;
}
export const thirdParty: string[] = [];
export const openPages: Page[] = [];

/** What every suite gets: the browser, the running stack (chain, contracts, demo campaigns, services) and the step timeout. */
export interface SuiteContext {
  browser: Browser;
  stack: Stack;
  timeout: number;
}
/** A suite of end-to-end steps, registered in frontend/e2e/run.ts. */
export type Suite = (ctx: SuiteContext) => Promise<void>;

/**
 * What a person would see as broken layout (issue 19: "labels running into inputs"): every label
 * that names a field elsewhere (`for=…`) must not overlap it and, but beside a checkbox or radio,
 * must sit above it; and no element may be wider than the viewport or run past its right edge
 * (unless inside a box that scrolls sideways on purpose, such as a wide table). Empty when all is well.
 */
export async function layoutFaults(page: Page): Promise<string[]> {
  // no named helper inside evaluate: the test's compiler would wrap it in a __name() the page lacks
  return page.evaluate(() => {
    const faults: string[] = [];
    const vw = document.documentElement.clientWidth;
    for (const label of Array.from(document.querySelectorAll("label"))) {
      const control = label.htmlFor ? document.getElementById(label.htmlFor) : null;
      if (!control || label.contains(control)) continue;
      const l = label.getBoundingClientRect();
      const c = control.getBoundingClientRect();
      if (l.width === 0 || c.width === 0) continue;
      const name = `label "${(label.textContent ?? "").trim().slice(0, 50)}" (#${label.htmlFor})`;
      if (l.left < c.right - 1 && c.left < l.right - 1 && l.top < c.bottom - 1 && c.top < l.bottom - 1)
        faults.push(`${name} overlaps its field`);
      const type = (control as HTMLInputElement).type;
      if (type !== "checkbox" && type !== "radio" && l.bottom > c.top + 1)
        faults.push(
          `${name} is not above its field (label bottom ${Math.round(l.bottom)}, field top ${Math.round(c.top)})`,
        );
    }
    for (const el of Array.from(document.body.querySelectorAll("*"))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.width <= vw + 1 && r.right <= vw + 1) continue;
      let scrolls = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") scrolls = true;
      }
      if (!scrolls)
        faults.push(
          `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""} class="${el.getAttribute("class") ?? ""}"> "${(el.textContent ?? "").trim().slice(0, 40)}" in [data-testid="${el.closest("[data-testid]")?.getAttribute("data-testid") ?? ""}"] is ${Math.round(r.width)} px wide, right edge at ${Math.round(r.right)} px, in a ${vw} px viewport`,
        );
    }
    return faults;
  });
}

/**
 * The dApp under its Content-Security-Policy (packages/core/src/csp.ts) in Chromium, enforced:
 *  - as a static host with no headers would serve it: the built index.html's meta tag only (the
 *    server's header is stripped from the page's answer);
 *  - as the local stack's server serves it: the same policy as a header, with frame-ancestors.
 * Every page is opened, and the suite fails on any `securitypolicyviolation` event or any console
 * line about the policy. A script injected into the page shows that the listener sees a violation
 * and that the meta tag alone refuses it; a page of another origin tries to frame the dApp.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { generatePrivateKey } from "viem/accounts";
import { cspHeader, cspMeta, parseCsp } from "@bascule/core/csp";
import { newContext, step, type Suite, until } from "./harness.js";

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

/** Records, in every page of the context, each violation the page reports and each console line about the policy. */
async function watch(ctx: BrowserContext): Promise<{ console: string[] }> {
  await ctx.addInitScript(() => {
    const w = window as unknown as { __csp: Violation[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile }),
    );
  });
  const seen = { console: [] as string[] };
  ctx.on("page", (p) =>
    p.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) seen.console.push(m.text());
    }),
  );
  return seen;
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: Violation[] }).__csp);

export const cspSuite: Suite = async ({ browser, stack, timeout }) => {
  const demo = stack.demo!;
  const union = stack.union!;
  const origin = new URL(stack.url).origin;

  await step("csp: the built page carries the policy as a meta tag; the server sends it as a header", async () => {
    const r = await fetch(stack.url);
    const html = await r.text();
    const tags = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    assert.equal(tags.length, 1, "one policy meta tag in the built index.html");
    assert.equal(tags[0][1], cspMeta());
    assert.ok(html.indexOf(tags[0][0]) < html.indexOf("<script"), "the policy comes before any script");
    assert.deepEqual(parseCsp(r.headers.get("content-security-policy") ?? ""), parseCsp(cspHeader()));
  });

  const pages: [string, string, string][] = [
    ["list", "#/", "[data-testid=campaign-card]"],
    ["campaign", `#/c/${demo.open}`, "[data-testid=chart-visual]"],
    ["campaign with conditions, in a stablecoin", `#/c/${demo.tokenCampaign}`, "[data-testid=chart-visual]"],
    ["campaign succeeded", `#/c/${demo.succeeded}`, "[data-testid=outcome]"],
    ["union campaign", `#/c/${union.campaign}`, "[data-testid=invites-link]"],
    ["poster", `#/c/${demo.open}/poster`, "[data-testid=poster-qr]"],
    ["create", "#/create", "[data-testid=who-needs-wallet]"],
    ["how", "#/how", "[data-testid=how-page]"],
    ["verify (replay in a worker)", `#/v/${demo.failed}`, "[data-testid=verify-result]"],
    ["receipt", `#/r/${stack.chainId}/${demo.open}/${generatePrivateKey()}`, "[data-testid=pledge-status]"],
    ["invites", `#/union/${union.campaign}`, "[data-testid=attester-token]"],
    ["check-in", `#/checkin/${union.campaign}`, "[data-testid=pledged-known]"],
    ["payout desk", `#/desk/${union.campaign}/${union.desk}`, "[data-testid=desk-claims], [data-testid=desk-none]"],
  ];

  for (const delivery of ["meta tag only", "meta tag and header"] as const) {
    await step(`csp (${delivery}): every page loads and works with no policy violation`, async () => {
      const ctx = await newContext(browser, stack, { wallet: false, enforceCsp: true });
      if (delivery === "meta tag only") {
        // A static host: the page's answer without the server's header (later routes run first).
        await ctx.route(`${origin}/`, async (route) => {
          const response = await route.fetch();
          const headers = { ...response.headers() };
          delete headers["content-security-policy"];
          await route.fulfill({ response, headers });
        });
      }
      const seen = await watch(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      for (const [name, hash, ready] of pages) {
        await page.goto(`${stack.url}${hash}`);
        await page.locator(ready).first().waitFor();
        if (name === "campaign") {
          // the slack worker, the QR code of the share panel, a chosen threshold
          await page.getByTestId("pledge-level").selectOption("2");
          await page.getByTestId("pledge-button").click();
          await page.getByTestId("recap").waitFor();
        }
      }
      if (delivery === "meta tag only") {
        const header = await page.evaluate(() =>
          document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute("content"),
        );
        assert.equal(header, cspMeta());
      }
      assert.deepEqual(await violations(page), [], "securitypolicyviolation events");
      assert.deepEqual(seen.console, [], "console lines about the policy");

      // The listener and the policy both work: an injected inline script is refused and reported.
      await page.goto(`${stack.url}#/`);
      await page.locator("[data-testid=campaign-card]").first().waitFor();
      const ran = await page.evaluate(async () => {
        const w = window as unknown as { __injected?: boolean };
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.head.append(s);
        await new Promise((r) => setTimeout(r, 100));
        return w.__injected === true;
      });
      assert.equal(ran, false, "an injected inline script ran");
      // one report per policy in force: the meta tag's, and the header's when the server sent it
      const policies = delivery === "meta tag only" ? 1 : 2;
      await until("the refusal is reported", async () => (await violations(page)).length === policies);
      for (const v of await violations(page)) assert.equal(v.directive, "script-src-elem");
      await ctx.close();
    });
  }

  await step("csp: another page cannot frame the dApp (frame-ancestors 'none', in the header)", async () => {
    for (const header of [true, false]) {
      const ctx = await newContext(browser, stack, { wallet: false, enforceCsp: true });
      // A page of another origin (an attacker's) with the dApp in a frame, to lay its own buttons over it.
      await ctx.route("http://attacker.test/", (route) =>
        route.fulfill({
          contentType: "text/html",
          body: `<iframe src="${stack.url}#/" width="800" height="600"></iframe>`,
        }),
      );
      if (!header) {
        // What a static host that sends no header would serve: the meta tag cannot forbid framing.
        await ctx.route(`${origin}/`, async (route) => {
          const response = await route.fetch();
          const headers = { ...response.headers() };
          delete headers["content-security-policy"];
          await route.fulfill({ response, headers });
        });
      }
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto("http://attacker.test/");
      const frame = () => page.frames().find((f) => f !== page.mainFrame());
      if (header) {
        await until("the frame is refused", async () => frame()?.url().startsWith("chrome-error:") === true);
        assert.equal(await frame()!.locator("#root").count(), 0, "the dApp rendered inside the frame");
      } else {
        // the residual the operator guide warns about: without the header, the dApp's page loads framed
        await until("the frame loads the dApp", async () => frame()?.url() === `${stack.url}#/`);
        await frame()!.locator("#root").waitFor({ state: "attached" });
      }
      await ctx.close();
    }
  });
};

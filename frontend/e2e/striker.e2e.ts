/**
 * The striker's page, as people will see it: every page at 360 px and 1280 px, in French
 * and English, screenshotted into test-results/e2e/striker-*.png and scanned by axe-core (0 serious
 * violations); the receipt link's key never stays in the address bar nor the history; a protected
 * receipt link opens with its passphrase only. Runs after the core flow (frontend/e2e/core.e2e.ts), so
 * it makes its own open campaign with a forming crowd.
 */
import assert from "node:assert/strict";
import { generatePrivateKey } from "viem/accounts";
import { seedOpenCampaign } from "../../scripts/demo/seed.js";
import { lockReceipt } from "../src/lib/receiptLock.ts";
import { axe, historyUrls, newContext, shot, step, type SuiteContext } from "./harness.js";

const SIZES = [360, 1280] as const;
const LANGS = [
  ["fr", "fr-FR"],
  ["en", "en-GB"],
] as const;

export async function strikerSuite({ browser, stack, timeout }: SuiteContext) {
  const demo = stack.demo!;
  // 2 + 3 + … pledges: thresholds up to 200 reached, the crowd waiting at 500 and 1,000.
  const open = await seedOpenCampaign({
    rpcUrl: stack.rpcUrl,
    factory: stack.factory,
    token: demo.token,
    counts: [2, 3, 5, 10, 25, 60, 120, 150, 90, 40, 0, 0],
  });
  const receiptKey = generatePrivateKey();

  const pages: [string, string, string][] = [
    ["list", "#/", "[data-testid=campaign-card]"],
    ["campaign-open", `#/c/${open}`, "[data-testid=chart-visual]"],
    ["campaign-succeeded", `#/c/${demo.succeeded}`, "[data-testid=outcome]"],
    ["campaign-failed", `#/c/${demo.failed}`, "[data-testid=outcome]"],
    ["create", "#/create", "[data-testid=who-needs-wallet]"],
    ["verify", `#/v/${open}`, "[data-testid=verify-result]"],
    ["receipt", `#/r/${stack.chainId}/${open}/${receiptKey}`, "[data-testid=pledge-status]"],
  ];

  for (const [lang, locale] of LANGS) {
    for (const width of SIZES) {
      await step(
        `striker: every page at ${width} px in ${lang}, legible, without horizontal scrolling, 0 serious axe violations`,
        async () => {
          const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
          const page = await ctx.newPage();
          page.setDefaultTimeout(timeout);
          for (const [name, hash, ready] of pages) {
            await page.goto(`${stack.url}${hash}`);
            await page.locator(ready).first().waitFor();
            assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
            assert.equal(overflow, false, `${name}: no horizontal scrolling at ${width} px`);
            await shot(page, `striker-${name}-${width}-${lang}`);
            await axe(page, `striker-${name}-${width}-${lang}`);
          }
          await ctx.close();
        },
      );
    }
  }

  await step(
    "striker: the open campaign's page tells the crowd in plain words and typography (FR, phone)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("chart-visual").waitFor();
      // 505 pledges; thresholds up to 200 reached: C(200) = 375 would strike now, 130 wait;
      // C(500) = 465: 35 more who choose 500 or fewer and it tips, 500 bound
      assert.match(
        await page.getByTestId("headline").innerText(),
        /^505 personnes se sont engagées à faire grève le \d+ \S+ \d{4}, chacune si le nombre qu’elle a choisi est atteint\.$/,
      );
      assert.equal(await page.getByTestId("crowd-committed").innerText(), "375 feraient grève maintenant");
      assert.equal(await page.getByTestId("crowd-waiting").innerText(), "130 attendent un nombre plus grand");
      assert.equal(
        await page.getByTestId("next-tip").innerText(),
        "Prochaine bascule\u202f: encore 35 personnes qui choisissent 500 ou moins, et 500 personnes sont tenues de faire grève.",
      );
      assert.equal(await page.locator(".rung.committed").count(), 8);
      assert.match(await page.getByTestId("gate-note").innerText(), /ne sont donc pas vérifiés/);
      // no threshold is preselected: a hurried tap cannot pledge to strike alone
      assert.equal(await page.getByTestId("pledge-level").inputValue(), "0");
      assert.ok(await page.getByTestId("pledge-button").isDisabled());
      await shot(page, "striker-after-campaign-phone-fr");
      await ctx.close();
    },
  );

  await step(
    "striker: after opening a receipt link, neither the address bar nor the history holds the key",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/c/${open}`);
      await page.goto(`${stack.url}#/r/${stack.chainId}/${open}/${receiptKey}`);
      await page.getByTestId("pledge-status").waitFor();
      assert.match(page.url(), /#\/my\/[0-9a-f]{16}$/);
      const secret = receiptKey.slice(2);
      for (const url of await historyUrls(page))
        assert.ok(!url.includes(secret), `history entry holds the key: ${url}`);
      assert.ok(!(await page.evaluate(() => window.location.href)).includes(secret));
      // back and forward again: still no key, and the receipt is kept on this device
      await page.goBack();
      await page.goForward();
      await page.getByTestId("pledge-status").waitFor();
      for (const url of await historyUrls(page))
        assert.ok(!url.includes(secret), `history entry holds the key: ${url}`);
      await ctx.close();
    },
  );

  await step(
    "striker: a receipt link protected by a passphrase opens with it only, and then holds no key either",
    async () => {
      const route = await lockReceipt(
        { chainId: stack.chainId, campaign: open, key: receiptKey },
        "grève du rail 2026",
      );
      const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#${route}`);
      await page.getByTestId("unlock-passphrase").waitFor();
      // the encrypted key left the address bar and the history before the passphrase is asked
      const blob = route.split("/").pop()!;
      assert.match(page.url(), /#\/unlock\/[0-9a-f]{16}$/);
      for (const url of await historyUrls(page)) assert.ok(!url.includes(blob), `history entry holds the blob: ${url}`);
      await page.getByTestId("unlock-passphrase").fill("grève du rail 2025");
      await page.getByTestId("unlock-submit").click();
      await page.getByTestId("unlock-wrong").waitFor();
      await axe(page, "striker-unlock-wrong");
      await shot(page, "striker-unlock-wrong-360-fr");
      await page.getByTestId("unlock-passphrase").fill("grève du rail 2026");
      await page.getByTestId("unlock-submit").click();
      await page.waitForURL(/#\/my\/[0-9a-f]{16}$/);
      await page.getByTestId("pledge-status").waitFor();
      for (const url of await historyUrls(page))
        assert.ok(!url.includes(receiptKey.slice(2)), `history entry holds the key: ${url}`);
      await ctx.close();
    },
  );

  await step(
    "striker: a pledge the relayer accepted opens as recorded although the relayer stops answering while the page waits (360 px, en)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      // From the moment the relayer has accepted the pledge, nothing more comes from it.
      let accepted = false;
      await ctx.route("**/relayer/**", async (route) => {
        if (accepted) return route.abort("connectionrefused");
        if (route.request().method() === "POST" && route.request().url().endsWith("/v1/pledges")) {
          const response = await route.fetch();
          accepted = response.status() === 202;
          return route.fulfill({ response });
        }
        return route.continue();
      });
      await page.goto(`${stack.url}#/c/${open}`);
      await page.getByTestId("pledge-level").selectOption("3");
      await page.getByTestId("pledge-button").click();
      await page.getByTestId("recap-confirm").click();
      await page.getByTestId("saved-confirm").check();
      await page.getByTestId("submit-pledge").click();
      await page.waitForURL(/#\/my\/[0-9a-f]{16}$/, { timeout: 60_000 });
      assert.ok(accepted, "the relayer accepted the pledge, then went silent");
      await page.getByText("Pledged: if at least 5 people strike.").waitFor();
      for (const gone of [/cannot be reached/, /already received/, /No wallet found/])
        assert.equal(await page.getByText(gone).count(), 0, `no "${gone.source}" after the pledge is recorded`);
      await shot(page, "striker-relayer-silent-after-accepting-360-en");
      await ctx.close();
    },
  );

  await step(
    "striker: a #/my/<id> address opened on another device says what to do there, with the way to a receipt file (360 px, fr)",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: false, lang: "fr-FR", width: 360 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/my/0123456789abcdef`);
      assert.equal(
        await page.getByTestId("receipt-not-kept").innerText(),
        "Ce reçu n’est pas gardé sur cet appareil\u202f: une adresse finissant par /my/… ne s’ouvre que sur l’appareil où le reçu a été ouvert. Ici, ouvrez votre lien de reçu, votre lien protégé ou votre fichier de reçu, qui contiennent la clé de votre engagement\u202f; ou revenez sur cet appareil-là.",
      );
      await page.getByRole("link", { name: "Ouvrir un fichier de reçu sur cet appareil" }).click();
      await page.getByLabel("Fichier de reçu").setInputFiles({
        name: "recu.json",
        mimeType: "application/json",
        buffer: Buffer.from("{ pas un reçu"),
      });
      assert.match(await page.getByTestId("receipt-file-error").innerText(), /^Ce fichier n’est pas un reçu Bascule/);
      await shot(page, "striker-receipt-not-kept-360-fr");
      await axe(page, "striker-receipt-not-kept-360-fr");
      await ctx.close();
    },
  );
}

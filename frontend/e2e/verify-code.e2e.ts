/**
 * The verify page's "What the code says" panel (components/CodeFacts.tsx) in Chromium, against the
 * real local stack: the three facts of a demo campaign hold, the page says a local chain has no
 * explorer, in English and in French, with no serious accessibility violation.
 */
import assert from "node:assert/strict";
import { axe, newContext, shot, step, type Suite } from "./harness.js";

export const verifyCode: Suite = async ({ browser, stack, timeout }) => {
  const campaign = stack.demo!.open;
  for (const lang of ["en-GB", "fr-FR"] as const) {
    const ctx = await newContext(browser, stack, { wallet: false, lang });
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    try {
      await step(`verify page (${lang}): the three facts about the campaign's code hold`, async () => {
        await page.goto(`${stack.url}#/v/${campaign}`);
        await page.getByTestId("code-facts-params").waitFor();
        const proxy = await page.getByTestId("code-facts-proxy").innerText();
        const listed = await page.getByTestId("code-facts-listed").innerText();
        const params = await page.getByTestId("code-facts-params").innerText();
        const local = await page.getByTestId("code-facts-local").innerText();
        if (lang === "en-GB") {
          assert.match(proxy, /^✔ .*standard 45-byte ERC-1167 proxy/);
          assert.match(listed, /^✔ The factory lists this campaign/);
          assert.match(params, /^✔ The \d+ bytes after the proxy decode to exactly the parameters/);
          assert.match(local, new RegExp(`local chain.*npm run verify:campaign-code -- ${campaign}`));
        } else {
          assert.match(proxy, /^✔ .*proxy ERC-1167 standard de 45 octets/);
          assert.match(listed, /^✔ La fabrique connaît cette campagne/);
          assert.match(params, /^✔ Les \d+ octets qui suivent le proxy donnent exactement/);
          assert.match(local, /chaîne locale/);
        }
        assert.equal(
          await page.getByTestId("code-facts").getByRole("link").count(),
          0,
          "no explorer link on a local chain",
        );
        await shot(page, `verify-code-${lang}`);
        await axe(page, `verify-code-${lang}`);
      });
    } finally {
      await ctx.close();
    }
  }
};

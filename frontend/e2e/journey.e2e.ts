/**
 * Issue 19, as a person meets it, at 360 px in French and 1280 px in English (screenshots
 * journey-*.png, axe-core on each page): the create form says what is wrong in the words of its help
 * (a past deadline, a contract that is no token, an action on the deadline's day accepted); a
 * 300-character word does not push a page sideways; the next tipping point names the highest of tied
 * lines, or says that anyone tips it, and is marked on the chart; a closed campaign says what happens
 * next and invites no donation, its poster no pledge. Runs after the core flow, with its own campaigns.
 */
import assert from "node:assert/strict";
import { seedOpenCampaign } from "../../scripts/demo/seed.js";
import { axe, newContext, shot, step, type SuiteContext } from "./harness.js";

const NB = "\u202f";
const VIEWS = [
  { width: 360, lang: "fr", locale: "fr-FR" },
  { width: 1280, lang: "en", locale: "en-GB" },
] as const;

export async function journeySuite({ browser, stack, timeout }: SuiteContext) {
  const demo = stack.demo!;
  // 1-2-5 ladder: C(10) = 10 reached; C(20) = 17 and C(50) = 47 both need 3 more
  const tied = await seedOpenCampaign({
    rpcUrl: stack.rpcUrl,
    factory: stack.factory,
    token: demo.token,
    counts: [10, 0, 0, 0, 7, 30],
  });
  // the 1-2-3 campaign of the issue: C = [0, 1, 2] against [1, 2, 3], one more at any number tips it
  const anyone = await seedOpenCampaign({
    rpcUrl: stack.rpcUrl,
    factory: stack.factory,
    token: demo.token,
    ladder: [1, 2, 3],
    counts: [0, 1, 1],
  });
  const overflows = (page: import("playwright-core").Page) =>
    page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);

  let created = "";
  await step(
    "journey: the create form says what is wrong in its help's words, then accepts an action on the deadline's day",
    async () => {
      const ctx = await newContext(browser, stack, { wallet: true, lang: "en-GB", width: 1280 });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      await page.goto(`${stack.url}#/create`);
      await page.getByRole("button", { name: /Connect a wallet — Test Wallet/ }).click();
      await page.getByLabel("Title").fill("T".repeat(200));
      await page.getByLabel("Text").fill(`Grève ${"W".repeat(300)}`);
      await page.getByLabel("Place").fill("P".repeat(200));
      await page.getByLabel("Pledge deadline").fill("2020-01-01T12:00");
      await page.getByLabel("Action date").fill("2020-01-02");
      // a contract that is not a token (the factory): said as soon as it is typed
      await page.getByLabel(/ERC-20 token address/).fill(stack.factory);
      await page
        .getByTestId("create-error-token")
        .getByText("This address is not an ERC-20 token on this network", { exact: false })
        .waitFor();
      await page.getByRole("button", { name: "Create the campaign" }).click();
      await page.getByTestId("create-error-token").waitFor();
      await page.getByLabel(/ERC-20 token address/).fill("");
      await page.getByRole("button", { name: "Create the campaign" }).click();
      await page.getByText("This deadline is already past: choose a day and a time still to come.").waitFor();
      assert.equal(await page.getByTestId("create-error-finalLockHours").count(), 0, "no final-lock error");
      await shot(page, "journey-create-errors-1280-en");
      await axe(page, "journey-create-errors-1280-en");
      // the action on the deadline's own day, as the help says
      assert.match(await page.locator("#h-actionDate").innerText(), /on the deadline’s day or later/);
      await page.getByLabel("Pledge deadline").fill("2031-03-01T12:00");
      await page.getByLabel("Action date").fill("2031-03-01");
      await page.getByRole("button", { name: "Create the campaign" }).click();
      await page.waitForURL(/#\/c\/0x/);
      await page.getByText("Nobody has pledged yet to strike on 1 March 2031.").waitFor();
      created = page.url().replace(/^.*#\/c\//, "");
      assert.equal(await overflows(page), false, "no horizontal scrolling at 1280 px");
      await ctx.close();
    },
  );

  for (const [lang, locale] of [
    ["fr", "fr-FR"],
    ["en", "en-GB"],
  ] as const) {
    await step(
      `journey: on a phone (360 px, ${lang}) the header takes two rows and the countdown is within one screen of the pledge button`,
      async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width: 360 });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        // a phone's screen: 360 × 640 css px
        await page.setViewportSize({ width: 360, height: 640 });
        await page.goto(`${stack.url}#/c/${tied}`);
        await page.getByTestId("pledge-countdown").waitFor();
        // no named helper inside evaluate (see above): one map over the selectors
        const [header, langButton, nav, button, countdown] = await page.evaluate(() =>
          [
            "header.top",
            "header.top .lang",
            "header.top nav a",
            '[data-testid="pledge-button"]',
            '[data-testid="pledge-countdown"]',
          ].map((sel) => {
            const r = document.querySelector(sel)!.getBoundingClientRect();
            return { top: r.top, bottom: r.bottom, height: r.height };
          }),
        );
        const box = {
          header: header.height,
          lang: langButton.height,
          link: nav.height,
          button,
          countdown,
        };
        // two rows: the name and the language button, then one line of links (paddings, gap, border: 32 px)
        assert.ok(
          box.header <= box.lang + box.link + 40,
          `the header is ${box.header} px high, more than two rows: ${JSON.stringify(box)}`,
        );
        assert.ok(box.header < 2.5 * box.lang, `the header is ${box.header} px high: ${JSON.stringify(box)}`);
        // the countdown by the button: scrolling the button into view shows the countdown too
        assert.ok(box.countdown.top >= box.button.bottom - 1, `countdown above the button: ${JSON.stringify(box)}`);
        assert.ok(
          box.countdown.bottom - box.button.top <= 640,
          `countdown ${Math.round(box.countdown.bottom - box.button.top)} px from the button's top, more than one screen`,
        );
        await page.getByTestId("pledge-button").scrollIntoViewIfNeeded();
        assert.ok(await page.getByTestId("pledge-countdown").isVisible());
        await shot(page, `journey-phone-countdown-360-${lang}`);
        await axe(page, `journey-phone-countdown-360-${lang}`);
        await ctx.close();
      },
    );
  }

  for (const { width, lang, locale } of VIEWS) {
    await step(
      `journey: long words wrap on the campaign page, the list and the poster at ${width} px (${lang})`,
      async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        if (width === 360) {
          // the phone header: the name and the language on one row, the navigation on one more
          await page.goto(`${stack.url}#/`);
          await page.locator("header.top nav a").first().waitFor();
          // no named helper inside evaluate: the test's compiler would wrap it in a __name() the page lacks
          const rows = await page.evaluate(() => ({
            brand: Math.round(document.querySelector("header.top .brand")!.getBoundingClientRect().top),
            lang: Math.round(document.querySelector("header.top .lang")!.getBoundingClientRect().top),
            links: [...document.querySelectorAll("header.top nav a")].map((a) =>
              Math.round(a.getBoundingClientRect().top),
            ),
          }));
          assert.ok(Math.abs(rows.brand - rows.lang) < 12, `brand and language on one row: ${JSON.stringify(rows)}`);
          assert.equal(new Set(rows.links).size, 1, `the navigation on one row: ${JSON.stringify(rows)}`);
          assert.ok(rows.links[0] > rows.brand, "the navigation below the name");
          await shot(page, `journey-header-${width}-${lang}`);
        }
        for (const [name, hash] of [
          ["campaign", `#/c/${created}`],
          ["poster", `#/c/${created}/poster`],
        ] as const) {
          await page.goto(`${stack.url}${hash}`);
          await page.locator("h1").first().waitFor();
          await page.getByText("T".repeat(20), { exact: false }).first().waitFor();
          assert.equal(await overflows(page), false, `${name}: no horizontal scrolling at ${width} px`);
          await shot(page, `journey-long-title-${name}-${width}-${lang}`);
        }
        await ctx.close();
      },
    );

    await step(
      `journey: the next tipping point, tied and for anyone, in words and on the chart at ${width} px (${lang})`,
      async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        await page.goto(`${stack.url}#/c/${tied}`);
        await page.getByTestId("chart-visual").waitFor();
        assert.equal(
          await page.getByTestId("next-tip").innerText(),
          lang === "fr"
            ? `Prochaine bascule${NB}: encore 3 personnes qui choisissent 50 ou moins, et 50 personnes sont tenues de faire grève.`
            : "Next tipping point: 3 more people who choose 50 or fewer, and 50 people are bound to strike.",
        );
        // marked on its line, the 50 one (not the 20 one that needs as many)
        assert.equal(await page.locator(".rung.next").count(), 1);
        assert.equal(
          await page.locator(".rung.next .rung-threshold").innerText(),
          lang === "fr" ? "50 personnes" : "50 people",
        );
        assert.equal(
          await page.getByTestId("rung-next").innerText(),
          lang === "fr" ? `prochaine bascule${NB}: encore 3` : "next tipping point: 3 more",
        );
        assert.equal(await overflows(page), false);
        await shot(page, `journey-next-tied-${width}-${lang}`);
        await axe(page, `journey-next-tied-${width}-${lang}`);
        await page.goto(`${stack.url}#/c/${anyone}`);
        await page.getByTestId("chart-visual").waitFor();
        assert.equal(
          await page.getByTestId("next-tip").innerText(),
          lang === "fr"
            ? `Prochaine bascule${NB}: encore 1 personne, quel que soit le nombre choisi, et 3 personnes sont tenues de faire grève.`
            : "Next tipping point: 1 more person, whatever number they choose, and 3 people are bound to strike.",
        );
        assert.equal(
          await page.locator(".rung.next .rung-threshold").innerText(),
          lang === "fr" ? "3 personnes" : "3 people",
        );
        // the headline says who pledged, not who is ready to strike
        assert.match(
          await page.getByTestId("headline").innerText(),
          lang === "fr"
            ? /^2 personnes se sont engagées à faire grève le .+, chacune si le nombre qu’elle a choisi est atteint\.$/
            : /^2 people have pledged to strike on .+, each if the number they chose is reached\.$/,
        );
        assert.equal(
          await page.getByTestId("headline-me-too").innerText(),
          lang === "fr" ? ", moi aussi." : ", me too.",
        );
        await shot(page, `journey-next-anyone-${width}-${lang}`);
        await ctx.close();
      },
    );

    await step(
      `journey: a closed campaign says what happens next, invites no donation, its poster no pledge, at ${width} px (${lang})`,
      async () => {
        const ctx = await newContext(browser, stack, { wallet: false, lang: locale, width });
        const page = await ctx.newPage();
        page.setDefaultTimeout(timeout);
        for (const [name, campaign] of [
          ["succeeded", demo.succeeded],
          ["failed", demo.failed],
        ] as const) {
          await page.goto(`${stack.url}#/c/${campaign}`);
          await page.getByTestId("next-steps").waitFor();
          const steps = await page.getByTestId("next-steps").innerText();
          assert.match(steps, lang === "fr" ? /^Et maintenant/ : /^What happens next/);
          if (name === "failed")
            assert.match(steps, lang === "fr" ? /Personne ne fait grève le / : /Nobody strikes on /);
          else assert.match(steps, lang === "fr" ? /personnes font grève le / : /people strike on /);
          const body = await page.locator("main").innerText();
          assert.doesNotMatch(
            body,
            /released only if the number you choose is reached|versé seulement si le nombre choisi/,
          );
          assert.equal(await page.getByTestId("pledge-button").count(), 0);
          assert.equal(await page.getByTestId("next-tip").count(), 0);
          assert.equal(await overflows(page), false);
          await shot(page, `journey-closed-${name}-${width}-${lang}`);
          await axe(page, `journey-closed-${name}-${width}-${lang}`);
          await page.goto(`${stack.url}#/c/${campaign}/poster`);
          await page.getByTestId("poster-scan").waitFor();
          const poster = await page.getByTestId("poster").innerText();
          assert.doesNotMatch(poster, /sont prêtes|Scannez pour vous engager|Scan to pledge|Pledge before/);
          assert.match(
            await page.getByTestId("poster-scan").innerText(),
            lang === "fr"
              ? /^Scannez pour voir le résultat et la suite/
              : /^Scan to see the result and what happens next/,
          );
          await shot(page, `journey-poster-${name}-${width}-${lang}`);
        }
        await ctx.close();
      },
    );
  }
}

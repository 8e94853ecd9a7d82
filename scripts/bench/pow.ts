/**
 * `npm run bench:pow`: the proof of work's hash rate (packages/core/src/pow.ts, the code the dApp's Web
 * Worker runs) in Node and in Chromium's Web Worker on this machine, and what each difficulty costs
 * on average. A mid-range phone runs this JavaScript about 4 times slower than one core of this
 * machine (see docs/operator-guide.md, "Proof of work", for the estimate and its sources); the
 * default difficulty is chosen for about 2 s there. CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { DEFAULT_POW_BITS, solvePow } from "@bascule/core/pow";

const PHONE_SLOWDOWN = 4;
const TRIES = 400_000;
const challenge = { chainId: 31337, campaign: `0x${"ab".repeat(20)}`, pledgeKey: `0x${"cd".repeat(20)}`, bits: 64 };

/** Tries per second of wall time, and per second of this process's CPU time (what an idle core would do). */
function rateInNode(): { wall: number; cpu: number } {
  solvePow(challenge, { maxTries: 50_000 }); // warm up
  const t = performance.now();
  const cpu = process.cpuUsage();
  solvePow(challenge, { maxTries: TRIES * 4 });
  const used = process.cpuUsage(cpu);
  return { wall: (TRIES * 4) / ((performance.now() - t) / 1000), cpu: (TRIES * 4) / ((used.user + used.system) / 1e6) };
}

async function rateInChromium(): Promise<number | null> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) return null;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundle = await build({
    stdin: {
      contents: `import { solvePow } from "./pow.ts";
        self.onmessage = (e) => {
          const c = e.data;
          solvePow(c, { maxTries: 50000 });
          const t = performance.now();
          solvePow(c, { maxTries: ${TRIES} });
          self.postMessage(${TRIES} / ((performance.now() - t) / 1000));
        };`,
      resolveDir: path.join(here, "../lib"),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    write: false,
    platform: "browser",
  });
  const code = bundle.outputFiles[0].text;
  const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    return await page.evaluate(
      ([source, c]) =>
        new Promise<number>((resolve) => {
          const worker = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
          worker.onmessage = (e: MessageEvent<number>) => resolve(e.data);
          worker.postMessage(c);
        }),
      [code, challenge] as const,
    );
  } finally {
    await browser.close();
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(`proof-of-work hash rate (SHA-256, one block per try), load average ${load()}`);
const node = rateInNode();
console.log(
  `  Node:                      ${(node.wall / 1000).toFixed(0)} k tries/s of wall time, ${(node.cpu / 1000).toFixed(0)} k per CPU second (an idle core)`,
);
const browser = await rateInChromium();
const nodeAgain = rateInNode();
let reference = node.cpu;
if (browser !== null) {
  // Other work shares the cores: scale the browser's wall-time rate by Node's CPU/wall ratio measured around it.
  const wallNode = (node.wall + nodeAgain.wall) / 2;
  const cpuNode = (node.cpu + nodeAgain.cpu) / 2;
  reference = browser * (cpuNode / wallNode);
  console.log(
    `  Chromium Web Worker:       ${(browser / 1000).toFixed(0)} k tries/s of wall time, about ${(reference / 1000).toFixed(0)} k on an idle core`,
  );
}
const phone = reference / PHONE_SLOWDOWN;
console.log(`  mid-range phone (est. /${PHONE_SLOWDOWN}): ${(phone / 1000).toFixed(0)} k tries/s`);
console.log(
  "  bits  tries (mean)  idle core here  phone (est.)   (means; a solve's length is random: 1 in 20 takes 3 times the mean)",
);
for (let bits = 14; bits <= 22; bits++) {
  const tries = 2 ** bits;
  const mark = bits === DEFAULT_POW_BITS ? "  <- default" : "";
  console.log(
    `  ${String(bits).padStart(4)}  ${String(tries).padStart(12)}  ${(tries / reference).toFixed(2).padStart(12)} s  ${(tries / phone).toFixed(2).padStart(10)} s${mark}`,
  );
}
console.log(`  load average after: ${load()}`);

/**
 * Renders the dApp's icon (frontend/public/icon.svg) to the PNG sizes a web app manifest and iOS
 * need, with Debian's Chromium: `node --import tsx scripts/tools/icons.ts`. The PNGs are committed;
 * run this again after changing the SVG.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../demo/stack.js";

const svg = readFileSync(path.join(ROOT, "frontend/public/icon.svg"), "utf8");
const OUT = path.join(ROOT, "frontend/public/icons");
/** name, size, and the safe-zone padding of maskable icons (the OS may crop to a circle). */
const ICONS: [string, number, number][] = [
  ["icon-192.png", 192, 0],
  ["icon-512.png", 512, 0],
  ["maskable-512.png", 512, 0.12],
  ["apple-touch-icon.png", 180, 0],
  ["badge-96.png", 96, 0],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
try {
  const page = await browser.newPage();
  for (const [name, size, pad] of ICONS) {
    await page.setViewportSize({ width: size, height: size });
    const inner = Math.round(size * (1 - 2 * pad));
    const body = name.startsWith("badge")
      ? // Badges are drawn by Android as a white silhouette: the seesaw alone.
        svg.replace(/<rect width="512"[^>]*\/>/, "").replaceAll("#fbfaf7", "#ffffff")
      : svg;
    await page.setContent(
      `<html><body style="margin:0;background:${pad ? "#a1181d" : "transparent"};display:grid;place-items:center;width:${size}px;height:${size}px">` +
        `<div style="width:${inner}px;height:${inner}px">${body.replace("<svg ", `<svg width="${inner}" height="${inner}" `)}</div></body></html>`,
    );
    await page.screenshot({ path: path.join(OUT, name), omitBackground: !pad });
    console.log(`${name} (${size}×${size})`);
  }
} finally {
  await browser.close();
}

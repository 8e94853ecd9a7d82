import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { cspMeta } from "@bascule/core/csp";
import { defineConfig } from "vitest/config";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Emits the service worker (frontend/sw/sw.js) at the root of the build with the list of files of
 * the app shell and a version derived from them, so a new build replaces the cached shell. (Instead
 * of vite-plugin-pwa: that brings Workbox's build chain for what is here a list of files and forty
 * lines of worker we need to write anyway for push notifications.)
 */
function serviceWorker(): Plugin {
  const source = () => readFileSync(path.join(here, "sw/sw.js"), "utf8");
  const render = (shell: string[], version: string) =>
    source()
      .replace("const SHELL = __BASCULE_SHELL__;", `const SHELL = ${JSON.stringify(shell)};`)
      .replace("const VERSION = __BASCULE_VERSION__;", `const VERSION = ${JSON.stringify(version)};`);
  return {
    name: "bascule-service-worker",
    configureServer(server) {
      // In development the shell is not cached (files change): push and notifications still work.
      server.middlewares.use("/sw.js", (_req, res) => {
        res.setHeader("content-type", "text/javascript; charset=utf-8");
        res.end(render([], "dev"));
      });
    },
    generateBundle(_options, bundle) {
      // Not the check-in page's QR reader (.wasm, about 400 KB compressed): every visitor would
      // download it; the worker keeps it once that page has fetched it.
      const files = Object.keys(bundle)
        .filter((f) => !f.endsWith(".map") && !f.endsWith(".wasm"))
        .sort();
      const statics = ["manifest.webmanifest", "icon.svg", "icons/icon-192.png", "icons/badge-96.png"];
      const shell = ["./", ...files, ...statics].map((f) => (f === "./" ? f : `./${f}`));
      const version = createHash("sha256").update(source()).update(files.join("\n")).digest("hex").slice(0, 12);
      this.emitFile({ type: "asset", fileName: "sw.js", source: render([...new Set(shell)], version) });
    },
  };
}

/**
 * Writes the dApp's Content-Security-Policy (packages/core/src/csp.ts) into the built index.html,
 * right after its charset and before any script or style, so the policy holds on any static host,
 * headers or not. Build only: the development server's hot reload needs inline scripts. A page
 * without the charset line fails the build rather than ship without a policy. (frame-ancestors
 * cannot be set this way: the server's header carries it, docs/operator-guide.md.)
 */
export function contentSecurityPolicy(): Plugin {
  const charset = '<meta charset="UTF-8" />';
  return {
    name: "bascule-content-security-policy",
    apply: "build",
    transformIndexHtml(html) {
      // A static release (npm run build:static) names the other origins its endpoints live at.
      const policy = cspMeta((process.env.BASCULE_CONNECT_SRC ?? "").split(" ").filter(Boolean));
      if (!html.includes(charset)) throw new Error(`index.html: no ${charset} to put the CSP after`);
      if (/["<>&]/.test(policy)) throw new Error("the CSP cannot go in an HTML attribute as it is");
      return html.replace(charset, `${charset}\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />`);
    },
  };
}

export default defineConfig({
  root: here,
  base: "./",
  plugins: [react(), serviceWorker(), contentSecurityPolicy()],
  build: { outDir: path.resolve(here, "dist"), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1200 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});

// @vitest-environment node
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CSP_DIRECTIVES, cspHeader, cspMeta, parseCsp } from "@bascule/core/csp";
import { contentSecurityPolicy } from "../../vite.config.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

describe("the dApp's Content-Security-Policy, spelled once", () => {
  it("the header carries every directive; the meta tag all but frame-ancestors, which a meta cannot", () => {
    const header = parseCsp(cspHeader());
    const meta = parseCsp(cspMeta());
    expect(header).toEqual(CSP_DIRECTIVES);
    expect(header["frame-ancestors"]).toEqual(["'none'"]);
    expect(meta).not.toHaveProperty("frame-ancestors");
    expect({ ...meta, "frame-ancestors": header["frame-ancestors"] }).toEqual(header);
  });

  it("allows this origin only, no inline script or style and no eval of strings", () => {
    const p = parseCsp(cspHeader());
    for (const [directive, sources] of Object.entries(p)) {
      for (const source of sources) {
        expect(["'self'", "'none'", "'wasm-unsafe-eval'", "data:"], `${directive} ${source}`).toContain(source);
      }
    }
    expect(p["script-src"]).not.toContain("'unsafe-inline'");
    expect(p["script-src"]).not.toContain("'unsafe-eval'");
    expect(p["style-src"]).toEqual(["'self'"]);
    expect(p["object-src"]).toEqual(["'none'"]);
    expect(p["base-uri"]).toEqual(["'none'"]);
    expect(p["img-src"]).toEqual(["'self'", "data:"]);
  });

  it("the build writes it into index.html before any script or style, and refuses a page it cannot place it in", () => {
    const plugin = contentSecurityPolicy();
    const transform = plugin.transformIndexHtml as (html: string) => string;
    const html = transform(read("frontend/index.html"));
    const tag = `<meta http-equiv="Content-Security-Policy" content="${cspMeta()}" />`;
    expect(html).toContain(tag);
    expect(html.indexOf(tag)).toBeLessThan(html.indexOf("<script"));
    expect(html.indexOf(tag)).toBeLessThan(html.indexOf("<link"));
    expect(plugin.apply).toBe("build");
    expect(() => transform("<html><head></head></html>")).toThrow(/no <meta charset/);
  });

  it("deploy/nginx/bascule.conf, the one web server config the guide offers, gives this very header", () => {
    // One tested configuration (issue 21): the guide offers no other server's block to copy.
    expect(read("docs/operator-guide.md")).not.toMatch(/caddy/i);
    expect(read("deploy/nginx/bascule.conf")).toContain(`add_header Content-Security-Policy "${cspHeader()}" always;`);
  });

  it("parseCsp reads a policy whatever its spacing (helmet writes no space after ';')", () => {
    expect(parseCsp("default-src 'self';IMG-SRC 'self'  data:; ")).toEqual({
      "default-src": ["'self'"],
      "img-src": ["'self'", "data:"],
    });
  });
});

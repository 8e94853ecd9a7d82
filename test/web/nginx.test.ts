/**
 * The web server a union puts in front (issue 21): Debian's nginx running deploy/nginx/bascule.conf
 * as shipped (only ports, paths and the certificate replaced), TLS from a CA made here, the static
 * dApp and the services behind it. Fails (never skips) when nginx or openssl is missing.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { cspHeader } from "@bascule/core/csp";
import { buildApp } from "../../scripts/relayer/routes.js";
import type { Relayer } from "../../scripts/relayer/service.js";
import { httpsRequest, makeCa, type Nginx, NGINX_CONF, startNginx, type TestCa } from "../helpers/nginx.js";
import { type LocalNode, ROOT, startNode } from "../helpers/node.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/** A stand-in upstream that answers what it was asked, as nginx forwarded it. */
async function echo(): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as { port: number }).port, seen };
}

describe("nginx in front, with TLS (deploy/nginx/bascule.conf)", function () {
  this.timeout(120_000);
  let ca: TestCa;
  let nginx: Nginx;
  let node: LocalNode;
  let root: string;
  let relayer: Awaited<ReturnType<typeof buildApp>>["app"];
  const upstreams: Record<string, Awaited<ReturnType<typeof echo>>> = {};

  before(async function () {
    ca = makeCa({ dns: ["bascule.test"], ips: ["127.0.0.1"] });
    root = mkdtempSync(path.join(tmpdir(), "bascule-dist-"));
    mkdirSync(path.join(root, "assets"));
    writeFileSync(path.join(root, "index.html"), "<!doctype html><title>Bascule</title>");
    writeFileSync(path.join(root, "config.json"), JSON.stringify({ rpcUrl: "/rpc" }));
    writeFileSync(path.join(root, "assets", "index-abc123.js"), "console.log(1)");
    node = await startNode();
    // The relayer's own HTTP layer (its rate limiter and TRUST_PROXY), with a route answering the
    // client address it believes: 3 requests of burst per client.
    ({ app: relayer } = await buildApp({} as Relayer, {
      corsOrigins: [],
      maxBodyBytes: 16_384,
      rateLimit: { perSecond: 0.001, burst: 3 },
      trustProxy: ["127.0.0.1"],
      log: () => {},
    }));
    relayer.get("/test/ip", async (request) => ({ ip: request.ip }));
    await relayer.listen({ port: 0, host: "127.0.0.1" });
    for (const name of ["notifier", "attester", "indexer"]) upstreams[name] = await echo();
    nginx = await startNginx({
      ca,
      root,
      upstreams: {
        rpc: node.port,
        relayer: (relayer.server.address() as { port: number }).port,
        notifier: upstreams.notifier!.port,
        attester: upstreams.attester!.port,
        indexer: upstreams.indexer!.port,
      },
    });
  });

  after(async function () {
    await nginx?.stop();
    await relayer?.close();
    for (const u of Object.values(upstreams)) await new Promise((r) => u.server.close(r));
    await node?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(ca.dir, { recursive: true, force: true });
  });

  const get = (p: string, extra: Parameters<typeof httpsRequest>[2] extends infer O ? Partial<O> : never = {}) =>
    httpsRequest(nginx, ca, { path: p, ...extra });

  it("serves the dApp over TLS with the test CA's certificate, and a client without that CA refuses it", async function () {
    const page = await get("/");
    expect(page.status).to.equal(200);
    expect(page.body).to.contain("<title>Bascule</title>");
    const untrusted = await new Promise<string>((resolve) => {
      https
        .get({ host: "127.0.0.1", port: nginx.httpsPort, servername: "bascule.test", path: "/", agent: false }, () =>
          resolve("accepted"),
        )
        .on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(untrusted).to.match(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it("sends HSTS, the dApp's own CSP and the other headers on pages, assets and errors alike", async function () {
    for (const p of ["/", "/assets/index-abc123.js", "/config.json", "/missing"]) {
      const answer = await get(p);
      expect(answer.headers["strict-transport-security"], p).to.equal("max-age=63072000; includeSubDomains");
      expect(answer.headers["content-security-policy"], p).to.equal(cspHeader());
      expect(answer.headers["referrer-policy"], p).to.equal("no-referrer");
      expect(answer.headers["x-content-type-options"], p).to.equal("nosniff");
      expect(answer.headers.server, p).to.equal("nginx");
    }
    expect((await get("/missing")).status).to.equal(404);
    expect((await get("/assets/index-abc123.js")).headers["cache-control"]).to.equal("max-age=315360000");
    expect((await get("/")).headers["cache-control"]).to.equal("no-cache");
  });

  it("sends plain http to https, same path", async function () {
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(
          {
            host: "127.0.0.1",
            port: nginx.httpPort,
            path: "/verify.html?campaign=0x1",
            headers: { host: "bascule.test" },
          },
          resolve,
        )
        .on("error", reject),
    );
    answer.resume();
    expect(answer.statusCode).to.equal(301);
    expect(answer.headers.location).to.equal("https://bascule.test/verify.html?campaign=0x1");
  });

  it("forwards JSON-RPC at /rpc to the node", async function () {
    const answer = await get("/rpc", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    expect(answer.status).to.equal(200);
    expect(JSON.parse(answer.body).result).to.equal("0x7a69");
  });

  it("tells the relayer the address it saw: a client's own X-Forwarded-For changes neither who it is nor its bucket", async function () {
    const seen = await get("/relayer/test/ip", { from: "127.0.0.2", headers: { "x-forwarded-for": "198.51.100.7" } });
    expect(JSON.parse(seen.body).ip).to.equal("127.0.0.2");
    const passing = async (from: string, n: number) => {
      let passed = 0;
      for (let i = 0; i < n; i++) {
        const answer = await get("/relayer/v1/pledges", {
          from,
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${i}` },
          body: "{}",
        });
        if (answer.status !== 429) passed++;
      }
      return passed;
    };
    // 20 posts, each with a fresh forged address: one client, one bucket of 3.
    expect(await passing("127.0.0.2", 20)).to.equal(3);
    // Another client behind the same proxy has its own bucket.
    expect(await passing("127.0.0.3", 5)).to.equal(3);
  });

  it("forwards the services under their paths with the client's address and https, and lets only GET reach the indexer", async function () {
    await get("/notifier/v1/campaigns/0xabc/feed.atom", { from: "127.0.0.4" });
    const notified = upstreams.notifier!.seen.at(-1)!;
    expect(notified.url).to.equal("/v1/campaigns/0xabc/feed.atom");
    expect(notified.headers["x-forwarded-for"]).to.equal("127.0.0.4");
    expect(notified.headers["x-forwarded-proto"]).to.equal("https");
    await get("/attester/v1/keys", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(upstreams.attester!.seen.at(-1)!.url).to.equal("/v1/keys");
    expect((await get("/indexer/campaigns")).status).to.equal(200);
    expect(upstreams.indexer!.seen.at(-1)!.url).to.equal("/campaigns");
    const before = upstreams.indexer!.seen.length;
    for (const method of ["POST", "PUT", "DELETE"]) {
      expect((await get("/indexer/campaigns", { method, body: "{}" })).status, method).to.equal(403);
    }
    expect(upstreams.indexer!.seen.length).to.equal(before);
  });

  it("refuses a body over 64 KiB before any service sees it", async function () {
    const before = upstreams.notifier!.seen.length;
    const answer = await get("/notifier/v1/subscriptions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(70_000) }),
    });
    expect(answer.status).to.equal(413);
    expect(upstreams.notifier!.seen.length).to.equal(before);
  });

  it("is the file the operator guide points to, with the dApp's CSP", function () {
    const guide = readFileSync(path.join(ROOT, "docs", "operator-guide.md"), "utf8");
    expect(guide).to.contain("deploy/nginx/bascule.conf");
    expect(readFileSync(NGINX_CONF, "utf8")).to.contain(`add_header Content-Security-Policy "${cspHeader()}" always;`);
    expect(nginx.conf).to.not.contain("/etc/ssl/bascule");
  });
});

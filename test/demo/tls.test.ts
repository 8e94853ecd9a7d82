/**
 * The local demo's TLS (scripts/demo/tls.ts): a CA made on this machine and a certificate for
 * localhost and 127.0.0.1 it signs. A client that trusts the CA reaches an https server by both
 * names; one that does not is refused; a certificate from another CA, for another name, expiring,
 * or with another key is not reused; a valid one is reused as it is, its key readable by its owner only.
 */
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type LocalTls, demoTls, makeLocalTls, tlsProblem } from "../../scripts/demo/tls.js";

function get(port: number, host: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get({ host, port, path: "/", ca, agent: false, servername: host === "localhost" ? host : undefined }, (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
}

describe("demo TLS", function () {
  this.timeout(30_000);
  let set: LocalTls;
  let dir: string;

  before(async function () {
    set = await makeLocalTls();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-tls-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("serves https to localhost and 127.0.0.1 for a client that trusts the CA, and only for it", async function () {
    const server = https.createServer({ key: set.key, cert: set.cert }, (_req, res) => res.end("ok"));
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await get(port, "localhost", set.ca)).to.equal("ok");
      expect(await get(port, "127.0.0.1", set.ca)).to.equal("ok");
      let refused: unknown = null;
      await get(port, "localhost").catch((e: unknown) => (refused = e));
      expect((refused as { code?: string })?.code).to.match(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET/,
      );
    } finally {
      server.close();
    }
  });

  it("makes a CA and a server certificate (no CA itself) for localhost and 127.0.0.1, valid 30 days", function () {
    const ca = new X509Certificate(set.ca);
    const cert = new X509Certificate(set.cert);
    expect(ca.ca).to.equal(true);
    expect(cert.ca).to.equal(false);
    expect(cert.subjectAltName).to.equal("DNS:localhost, IP Address:127.0.0.1");
    const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
    expect(days).to.be.within(29, 31);
    expect(tlsProblem(set)).to.equal(null);
  });

  it("refuses to reuse another CA's certificate, a mismatched key, or one expiring within a day", async function () {
    const other = await makeLocalTls();
    expect(tlsProblem({ ...set, ca: other.ca })).to.equal("not signed by the CA");
    expect(tlsProblem({ ...set, key: other.key })).to.equal("the key is not the certificate's");
    expect(tlsProblem({ ...set, cert: "garbage" })).to.equal("not certificates");
    expect(tlsProblem(set, Date.now() + 30 * 86_400_000)).to.equal("expires within a day");
    expect(tlsProblem(set, Date.now() - 86_400_000)).to.equal("not valid yet");
    const short = await makeLocalTls(1);
    expect(tlsProblem(short)).to.equal("expires within a day");
  });

  it("keeps the set in its folder, the key 0600, reuses it while valid and makes a new one otherwise", async function () {
    const first = await demoTls(dir);
    expect(first.made).to.equal(true);
    expect(statSync(path.join(dir, "key.pem")).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path.join(dir, "ca.pem"), "utf8")).to.equal(first.tls.ca);
    // The CA's private key is not kept: only the CA certificate, the server certificate and its key.
    for (const f of ["ca.pem", "cert.pem"]) expect(readFileSync(path.join(dir, f), "utf8")).not.to.contain("PRIVATE");
    const again = await demoTls(dir);
    expect(again.made).to.equal(false);
    expect(again.tls).to.deep.equal(first.tls);
    writeFileSync(path.join(dir, "cert.pem"), (await makeLocalTls()).cert);
    const remade = await demoTls(dir);
    expect(remade.made).to.equal(true);
    expect(remade.tls.ca).to.not.equal(first.tls.ca);
    expect(tlsProblem(remade.tls)).to.equal(null);
  });
});

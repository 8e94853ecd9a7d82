/**
 * What the loopback federation test needs besides the service: a certificate authority made for the
 * test (openssl) and a server certificate for localhost/127.0.0.1 it signs, trusted by this
 * process's fetch for the test's duration; the independent follower instance built with Fedify
 * (scripts/federation/follower.ts, which `npm run follow` uses too; `cavageOnly` makes it an
 * older server that knows only draft-cavage signatures); and a stand-in for the notifier's
 * announcements API.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export { type Follower, type Post, type Received, startFollower } from "../../scripts/federation/follower.js";
export { trustCa } from "../../scripts/demo/tls.js";

export interface TestTls {
  ca: string;
  key: string;
  cert: string;
}

/** A CA and a certificate for localhost and 127.0.0.1 signed by it, made in `dir`. */
export function makeTls(dir: string): TestTls {
  const f = (name: string) => path.join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      f("ca.key"),
      "-out",
      f("ca.pem"),
      "-days",
      "2",
      "-subj",
      "/CN=Bascule federation test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    { stdio: "ignore" },
  );
  execFileSync(
    "openssl",
    ["req", ...ec, "-keyout", f("server.key"), "-out", f("server.csr"), "-subj", "/CN=localhost"],
    {
      stdio: "ignore",
    },
  );
  writeFileSync(
    f("server.ext"),
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  execFileSync(
    "openssl",
    [
      "x509",
      "-req",
      "-in",
      f("server.csr"),
      "-CA",
      f("ca.pem"),
      "-CAkey",
      f("ca.key"),
      "-CAcreateserial",
      "-out",
      f("server.pem"),
      "-days",
      "2",
      "-extfile",
      f("server.ext"),
    ],
    { stdio: "ignore" },
  );
  return {
    ca: readFileSync(f("ca.pem"), "utf8"),
    key: readFileSync(f("server.key"), "utf8"),
    cert: readFileSync(f("server.pem"), "utf8"),
  };
}

export interface NotifierStandIn {
  url: string;
  /** The answer for each campaign address (checksummed), newest first as the notifier gives them. */
  announcements: Map<string, unknown[]>;
  /** The revocations served with them, per campaign (none when unset). */
  revocations: Map<string, unknown[]>;
  requests: string[];
  close(): Promise<void>;
}

/** GET /v1/campaigns/:address/announcements as the notifier answers it, from a map the test fills. */
export async function startNotifierStandIn(): Promise<NotifierStandIn> {
  const announcements = new Map<string, unknown[]>();
  const revocations = new Map<string, unknown[]>();
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(req.url ?? "");
    const m = /^\/v1\/campaigns\/(0x[0-9a-fA-F]{40})\/announcements$/.exec(req.url ?? "");
    const list = m ? announcements.get(m[1]) : undefined;
    res.writeHead(list ? 200 : 404, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        list
          ? { announcements: list, revocations: revocations.get(m![1]) ?? [] }
          : { error: { code: "UNKNOWN_CAMPAIGN" } },
      ),
    );
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    announcements,
    revocations,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

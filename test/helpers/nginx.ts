/**
 * Debian's nginx serving deploy/nginx/bascule.conf, the file the operator guide tells a union to
 * install, with only its ports, paths and certificate replaced: a CA made for the test signs the
 * server's certificate, and clients trust that CA alone.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, freePort } from "./node.js";

export const NGINX_CONF = path.join(ROOT, "deploy", "nginx", "bascule.conf");

/** A throw-away certificate authority and a server certificate it signs (openssl, EC P-256). */
export interface TestCa {
  dir: string;
  /** PEM of the CA certificate: what a client trusts. */
  ca: string;
  cert: string;
  key: string;
}

export function makeCa(names: { dns: string[]; ips: string[] }): TestCa {
  const dir = mkdtempSync(path.join(tmpdir(), "bascule-ca-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
  run(
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-sha256",
    "-days",
    "2",
    "-subj",
    "/CN=Bascule test CA",
    "-out",
    "ca.pem",
  );
  run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "server.key");
  run("req", "-new", "-key", "server.key", "-subj", `/CN=${names.dns[0]}`, "-out", "server.csr");
  const san = [...names.dns.map((d) => `DNS:${d}`), ...names.ips.map((ip) => `IP:${ip}`)].join(",");
  writeFileSync(path.join(dir, "ext.cnf"), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-sha256",
    "-extfile",
    "ext.cnf",
    "-out",
    "server.pem",
  );
  const read = (f: string) => readFileSync(path.join(dir, f), "utf8");
  return { dir, ca: read("ca.pem"), cert: path.join(dir, "server.pem"), key: path.join(dir, "server.key") };
}

export interface NginxOptions {
  ca: TestCa;
  /** The static dApp (what `npm run build:frontend` writes). */
  root: string;
  /** Upstream ports, in place of the defaults the file names (8545, 8787, 8788, 8789, 42069). */
  upstreams: Partial<Record<"rpc" | "relayer" | "notifier" | "attester" | "indexer", number>>;
}

export interface Nginx {
  httpsPort: number;
  httpPort: number;
  /** The config nginx runs, as rendered from deploy/nginx/bascule.conf. */
  conf: string;
  stop(): Promise<void>;
}

const DEFAULT_PORTS = { rpc: 8545, relayer: 8787, notifier: 8788, attester: 8789, indexer: 42069 } as const;

/** deploy/nginx/bascule.conf with the test's ports, paths and certificate, and nothing else changed. */
export function renderConf(options: NginxOptions, httpPort: number, httpsPort: number): string {
  let conf = readFileSync(NGINX_CONF, "utf8");
  const replace = (from: string | RegExp, to: string) => {
    const next = conf.replace(from, to);
    if (next === conf) throw new Error(`deploy/nginx/bascule.conf no longer has ${String(from)}`);
    conf = next;
  };
  // Loopback only, IPv4 only (a sandbox may have no IPv6).
  replace(/^\s*listen \[::\]:80;\n/m, "");
  replace(/^\s*listen \[::\]:443 ssl http2;\n/m, "");
  replace(/listen 80;/, `listen 127.0.0.1:${httpPort};`);
  replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${httpsPort} ssl http2;`);
  replace("/etc/ssl/bascule/fullchain.pem", options.ca.cert);
  replace("/etc/ssl/bascule/privkey.pem", options.ca.key);
  replace("/srv/bascule/frontend/dist", options.root);
  for (const [name, port] of Object.entries(options.upstreams)) {
    replace(`http://127.0.0.1:${DEFAULT_PORTS[name as keyof typeof DEFAULT_PORTS]}/`, `http://127.0.0.1:${port}/`);
  }
  return conf;
}

/** Starts nginx (one process, in the foreground) on free loopback ports; fails when nginx is missing. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
  if (!binary) throw new Error("nginx is not installed (Debian: apt-get install nginx-light; .ci/run does it)");
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const prefix = mkdtempSync(path.join(tmpdir(), "bascule-nginx-"));
  mkdirSync(path.join(prefix, "logs"));
  chmodSync(prefix, 0o755);
  const conf = renderConf(options, httpPort, httpsPort);
  writeFileSync(path.join(prefix, "bascule.conf"), conf);
  writeFileSync(
    path.join(prefix, "nginx.conf"),
    [
      // One process, the test's own user: no worker needs another user's rights.
      "master_process off;",
      "daemon off;",
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/logs/error.log warn;`,
      "events { worker_connections 256; }",
      "http {",
      "  include /etc/nginx/mime.types;",
      "  default_type application/octet-stream;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${prefix}/${t};`),
      `  include ${prefix}/bascule.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  execFileSync(binary, ["-t", "-p", prefix, "-c", path.join(prefix, "nginx.conf")], { stdio: "pipe" });
  const child: ChildProcess = spawn(binary, ["-p", prefix, "-c", path.join(prefix, "nginx.conf")], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Ready when it answers on its plain-http port.
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: "127.0.0.1", port: httpPort, path: "/" }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on("error", () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null || i > 100) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    httpPort,
    httpsPort,
    conf,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGQUIT");
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One https request to nginx, trusting only the test's CA, from a chosen loopback source address
 * (127.0.0.2, 127.0.0.3, …: distinct clients on one machine).
 */
export function httpsRequest(
  nginx: Nginx,
  ca: TestCa,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string; from?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port: nginx.httpsPort,
        servername: "bascule.test",
        ca: ca.ca,
        path: options.path,
        method: options.method ?? "GET",
        headers: { host: "bascule.test", ...options.headers },
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * What the loopback federation test needs besides the service: a certificate authority made for the
 * test (openssl) and a server certificate for localhost/127.0.0.1 it signs, trusted by this
 * process's fetch for the test's duration; an independent follower instance built with Fedify (a
 * Person "alice" on its own https origin, whose inbox verifies signatures as any Fedify server
 * does, or a stand-in for an older server that knows only draft-cavage signatures); and a stand-in for the notifier's announcements API.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import tls from "node:tls";
import { type Federation, MemoryKvStore, createFederation, generateCryptoKeyPair } from "@fedify/fedify";
import { Accept, Create, Endpoints, Follow, Group, Person, Undo, Update } from "@fedify/vocab";

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

/** Makes this process's TLS (so its global fetch, which Fedify uses) trust `ca` too; returns the undo. */
export function trustCa(ca: string): () => void {
  const before = tls.getCACertificates("default");
  tls.setDefaultCACertificates([...before, ca]);
  return () => tls.setDefaultCACertificates(before);
}

async function toRequest(req: IncomingMessage, origin: string): Promise<{ request: Request; body: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return {
    request: new Request(new URL(req.url ?? "/", origin), {
      method: req.method,
      headers,
      body: hasBody ? new Uint8Array(body) : undefined,
    }),
    body,
  };
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface Received {
  type: "Accept" | "Create" | "Update";
  /** The activity as the follower's Fedify verified and parsed it. */
  json: Record<string, unknown>;
}

/** A POST as it reached a follower: `spec` is the HTTP signature form it carried. */
export interface Post {
  path: string;
  body: string;
  spec: "rfc9421" | "draft-cavage" | "none";
}

function specOf(headers: IncomingMessage["headers"]): Post["spec"] {
  if (headers["signature-input"]) return "rfc9421";
  return headers.signature ? "draft-cavage" : "none";
}

export interface FollowerOptions {
  /**
   * A server that knows only draft-cavage signatures (Mastodon before 4.5, Mobilizon): it answers
   * 401 to any POST signed with RFC 9421, before its Fedify sees it.
   */
  cavageOnly?: boolean;
}

export interface Follower {
  origin: string;
  actorId: URL;
  inbox: URL;
  sharedInbox: URL;
  /** Activities that passed the follower's signature check, in order. */
  received: Received[];
  /** Every POST body that reached the follower, before any check, with its path and signature form. */
  posts: Post[];
  federation: Federation<void>;
  /** The follower's RSA key pair (for tests that forge with another). */
  keys: CryptoKeyPair;
  follow(handle: string): Promise<{ group: Group; follow: Follow }>;
  unfollow(group: Group, follow: Follow): Promise<void>;
  close(): Promise<void>;
}

/** A small follower instance built with Fedify, on https://localhost:<port>. */
export async function startFollower(cert: TestTls, name = "alice", options: FollowerOptions = {}): Promise<Follower> {
  const received: Received[] = [];
  const posts: Post[] = [];
  let federation: Federation<void> | null = null;
  let origin = "";
  const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    void (async () => {
      const { request, body } = await toRequest(req, origin);
      const spec = specOf(req.headers);
      if (req.method === "POST") posts.push({ path: req.url ?? "", body: body.toString("utf8"), spec });
      if (req.method === "POST" && options.cavageOnly && spec === "rfc9421") {
        res.writeHead(401, { "content-type": "text/plain" });
        res.end("Only draft-cavage HTTP signatures are understood here.");
        return;
      }
      await send(res, await federation!.fetch(request, { contextData: undefined }));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  federation = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true });
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== name) return null;
      const [pair] = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: "Alice",
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pair.cryptographicKey,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === name ? [keys] : []));
  const record = (type: Received["type"]) => async (_ctx: unknown, activity: Accept | Create | Update) => {
    received.push({ type, json: (await activity.toJsonLd()) as Record<string, unknown> });
  };
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Accept, record("Accept"))
    .on(Create, record("Create"))
    .on(Update, record("Update"));
  const ctx = federation.createContext(new URL(origin));
  let follows = 0;
  return {
    origin,
    actorId: ctx.getActorUri(name),
    inbox: ctx.getInboxUri(name),
    sharedInbox: ctx.getInboxUri(),
    received,
    posts,
    federation,
    keys,
    async follow(handle) {
      const group = await ctx.lookupObject(handle);
      if (!(group instanceof Group) || group.id == null) throw new Error(`${handle} is not a Group`);
      const follow = new Follow({
        id: new URL(`${origin}/follows/${++follows}`),
        actor: ctx.getActorUri(name),
        object: group.id,
      });
      await ctx.sendActivity({ identifier: name }, group, follow, { immediate: true });
      return { group, follow };
    },
    async unfollow(group, follow) {
      const undo = new Undo({
        id: new URL(`${origin}/undo/${++follows}`),
        actor: ctx.getActorUri(name),
        object: follow,
      });
      await ctx.sendActivity({ identifier: name }, group, undo, { immediate: true });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
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

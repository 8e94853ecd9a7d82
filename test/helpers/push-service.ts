/**
 * A local stand-in for a browser's Web Push service (RFC 8030), and browsers subscribed to it:
 * each subscriber has its own P-256 key pair and auth secret (RFC 8291) and an endpoint on this
 * server. Every message received is checked (VAPID JWT signed with the notifier's key, RFC 8292;
 * aes128gcm content encoding) and decrypted here with node:crypto alone, independently of the
 * library the notifier encrypts with; tests read the plaintexts.
 */
import { createECDH, createPublicKey, createDecipheriv, hkdfSync, randomBytes, verify } from "node:crypto";
import { type IncomingHttpHeaders, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeBrowser {
  id: string;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
}

export interface ReceivedPush {
  subscriber: string;
  headers: IncomingHttpHeaders;
  /** The decrypted payload. */
  text: string;
  /** Claims of the VAPID JWT. */
  jwt: { aud: string; exp: number; sub: string };
}

export interface PushServiceStandIn {
  origin: string;
  received: ReceivedPush[];
  /** Messages refused (bad JWT, undecryptable body), with the reason. */
  refused: string[];
  browser(id: string): FakeBrowser;
  /** Answer with this status for a subscriber (e.g. 410 Gone, 503) instead of 201. */
  answer(id: string, status: number): void;
  take(subscriber?: string): ReceivedPush[];
  close(): Promise<void>;
}

function hkdf(salt: Buffer, ikm: Buffer, info: Buffer, length: number): Buffer {
  return Buffer.from(hkdfSync("sha256", ikm, salt, info, length));
}

/** RFC 8291 decryption of an aes128gcm body with the user agent's key pair and auth secret. */
export function decryptPush(body: Buffer, ecdh: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20];
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error(`keyid of ${idlen} bytes, expected the sender's 65-byte public key`);
  if (ciphertext.length > rs) throw new Error("more than one record");
  const shared = ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), senderKey]);
  const ikm = hkdf(auth, shared, keyInfo, 32);
  const cek = hkdf(salt, ikm, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(salt, ikm, Buffer.from("Content-Encoding: nonce\0"), 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error("last record without its 0x02 delimiter");
  return padded.subarray(0, end).toString("utf8");
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292) against the expected public key. */
export function checkVapid(header: string | undefined, publicKey: string, audience: string) {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`no VAPID authorization: ${header}`);
  const [, jwt, k] = m;
  if (k !== publicKey) throw new Error("VAPID key is not the notifier's");
  const [h, p, s] = jwt.split(".");
  const raw = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(s, "base64url"),
  );
  if (!ok) throw new Error("VAPID JWT signature does not verify");
  const jose = JSON.parse(Buffer.from(h, "base64url").toString()) as { alg: string };
  if (jose.alg !== "ES256") throw new Error(`JWT alg ${jose.alg}`);
  const claims = JSON.parse(Buffer.from(p, "base64url").toString()) as { aud: string; exp: number; sub: string };
  if (claims.aud !== audience) throw new Error(`JWT aud ${claims.aud}, expected ${audience}`);
  if (claims.exp * 1000 < Date.now() || claims.exp * 1000 > Date.now() + 25 * 3600 * 1000)
    throw new Error("JWT exp out of range");
  return claims;
}

/** Starts the stand-in on a free loopback port; `vapidPublicKey` is the notifier's. */
export async function startPushService(vapidPublicKey: string): Promise<PushServiceStandIn> {
  const received: ReceivedPush[] = [];
  const refused: string[] = [];
  const browsers = new Map<string, FakeBrowser>();
  const answers = new Map<string, number>();
  let origin = "";
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const id = decodeURIComponent((req.url ?? "").replace(/^\/push\//, ""));
      const b = browsers.get(id);
      if (req.method !== "POST" || !b) {
        res.writeHead(404).end();
        return;
      }
      const status = answers.get(id) ?? 201;
      if (status !== 201) {
        res.writeHead(status).end();
        return;
      }
      try {
        if (req.headers["content-encoding"] !== "aes128gcm")
          throw new Error(`content-encoding ${req.headers["content-encoding"]}`);
        if (!req.headers.ttl) throw new Error("no TTL header");
        const jwt = checkVapid(req.headers.authorization, vapidPublicKey, origin);
        received.push({
          subscriber: id,
          headers: req.headers,
          text: decryptPush(Buffer.concat(chunks), b.ecdh, b.auth),
          jwt,
        });
        res.writeHead(201).end();
      } catch (error) {
        refused.push(error instanceof Error ? error.message : String(error));
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  // "localhost", not an IP literal: a test checks that no IP address ends up in the notifier's store.
  origin = `http://localhost:${port}`;
  return {
    origin,
    received,
    refused,
    browser(id) {
      const existing = browsers.get(id);
      if (existing) return existing;
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const b: FakeBrowser = {
        id,
        ecdh,
        auth,
        subscription: {
          endpoint: `${origin}/push/${encodeURIComponent(id)}`,
          keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: auth.toString("base64url") },
        },
      };
      browsers.set(id, b);
      return b;
    },
    answer(id, status) {
      answers.set(id, status);
    },
    take(subscriber) {
      const out = received.filter((r) => subscriber === undefined || r.subscriber === subscriber);
      for (const r of out) received.splice(received.indexOf(r), 1);
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

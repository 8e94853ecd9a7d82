/**
 * `node --import tsx scripts/federation/main.ts`: the federation service, configured from the
 * environment (the schema below, documented in docs/federation.md). FEDERATION_PUBLIC_URL is where
 * the fediverse reaches it (https://host/, the operator's domain: the actors' handles use its host);
 * FEDERATION_DATA the directory of federation.db (outside git: it holds the actors' private keys).
 * SIGINT/SIGTERM: stops taking requests, then the watch loop; the outbox is on disk.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Type } from "typebox";
import type { Address } from "viem";
import { Address as AddressSchema, Decimal, List, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { startFederation } from "./service.js";

const Environment = Type.Object({
  RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  FACTORY: AddressSchema({ description: "The campaign factory's address (required)." }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8791 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  FEDERATION_DATA: Type.String({ default: ".federation" }),
  FEDERATION_PUBLIC_URL: Type.String({ pattern: "^https://", description: "https://host/ the fediverse reaches." }),
  APP_URL: Type.String({ default: "http://localhost:5173/" }),
  NOTIFIER_URL: Type.Optional(Type.String({ description: "The notifier's base URL, for announcements." })),
  POLL_MS: Type.Integer({ minimum: 1, default: 15_000 }),
  CONFIRMATIONS: Type.Integer({ minimum: 0, default: 0 }),
  FROM_BLOCK: Decimal({ default: "0" }),
  TIME_ZONE: Type.Optional(Type.String()),
  BODY_LIMIT: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 65_536 }),
  MAX_FOLLOWERS: Type.Integer({ minimum: 1, default: 10_000 }),
  TRUST_PROXY: Type.Optional(List({ description: "Addresses of the reverse proxy whose X-Forwarded-For is trusted." })),
  TLS_KEY: Type.Optional(Type.String()),
  TLS_CERT: Type.Optional(Type.String()),
  FEDERATION_ALLOW_PRIVATE_ADDRESS: Type.Boolean({
    default: false,
    description: "Tests only: allow loopback and private addresses (turns the SSRF guards off).",
  }),
});

const env = loadConfig(Environment, { flags: { "allow-private-address": "FEDERATION_ALLOW_PRIVATE_ADDRESS" } });
const dataDir = path.resolve(env.FEDERATION_DATA);
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
if (env.FEDERATION_ALLOW_PRIVATE_ADDRESS) {
  console.error("federation: FEDERATION_ALLOW_PRIVATE_ADDRESS is on: the SSRF guards are off (tests only)");
}
const running = await startFederation({
  rpcUrl: env.RPC_URL,
  factory: env.FACTORY as Address,
  dbPath: path.join(dataDir, "federation.db"),
  publicUrl: env.FEDERATION_PUBLIC_URL,
  appUrl: env.APP_URL,
  notifierUrl: env.NOTIFIER_URL,
  pollMs: env.POLL_MS,
  confirmations: env.CONFIRMATIONS,
  fromBlock: BigInt(env.FROM_BLOCK),
  timeZone: env.TIME_ZONE,
  bodyLimit: env.BODY_LIMIT,
  maxFollowers: env.MAX_FOLLOWERS,
  trustProxy: env.TRUST_PROXY ? env.TRUST_PROXY.map((x) => x.trim()).filter(Boolean) : false,
  allowPrivateAddress: env.FEDERATION_ALLOW_PRIVATE_ADDRESS,
  port: env.PORT,
  host: env.HOST,
  tls: env.TLS_KEY && env.TLS_CERT ? { key: env.TLS_KEY, cert: env.TLS_CERT } : undefined,
});
console.log(`federation at ${running.url} as ${env.FEDERATION_PUBLIC_URL} (data in ${dataDir})`);
stopOnSignal({ name: "federation", close: [() => running.close()] });

/**
 * `npm run notifier`: the notifier as a service, configured from the environment (the schema
 * below). NOTIFIER_DATA is the directory of notifier.db and vapid.json (outside git); PUBLIC_URL is
 * this service as the public reaches it (default <APP_URL>notifier/); VAPID_SUBJECT the mailto: or
 * https: contact the push services see; PUSH_HOSTS the push services delivered to (default the main
 * browsers'). SIGINT/SIGTERM: stops taking requests, then the watcher; the outbox is on disk, so a
 * delivery not yet taken by the push service is sent after the restart.
 */
import path from "node:path";
import { Type } from "typebox";
import type { Address } from "viem";
import { Address as AddressSchema, Decimal, List, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { buildRoutes } from "./routes.js";
import { DEFAULT_PUSH_HOSTS, Notifier, loadOrCreateVapidKeys } from "./service.js";

const Environment = Type.Object({
  RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  FACTORY: AddressSchema({ description: "The campaign factory's address (required)." }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8788 }),
  HOST: Type.String({ default: "127.0.0.1" }),
  NOTIFIER_DATA: Type.String({ default: ".notifier" }),
  APP_URL: Type.String({ default: "http://localhost:5173/" }),
  PUBLIC_URL: Type.Optional(Type.String()),
  VAPID_SUBJECT: Type.Optional(Type.String()),
  CORS_ORIGINS: List({ default: "http://localhost:5173" }),
  POLL_MS: Type.Integer({ minimum: 1, default: 5000 }),
  CONFIRMATIONS: Type.Integer({ minimum: 0, default: 0 }),
  FROM_BLOCK: Decimal({ default: "0" }),
  TIME_ZONE: Type.Optional(Type.String()),
  PUSH_HOSTS: Type.Optional(List()),
});

const env = loadConfig(Environment);
const list = (values: string[]) => values.map((x) => x.trim()).filter(Boolean);
const dataDir = path.resolve(env.NOTIFIER_DATA);
const notifier = new Notifier({
  rpcUrl: env.RPC_URL,
  factory: env.FACTORY as Address,
  dbPath: path.join(dataDir, "notifier.db"),
  vapid: loadOrCreateVapidKeys(dataDir),
  vapidSubject: env.VAPID_SUBJECT,
  appUrl: env.APP_URL,
  pollMs: env.POLL_MS,
  confirmations: env.CONFIRMATIONS,
  fromBlock: BigInt(env.FROM_BLOCK),
  timeZone: env.TIME_ZONE,
  pushHosts: env.PUSH_HOSTS ? list(env.PUSH_HOSTS) : DEFAULT_PUSH_HOSTS,
});
const app = await buildRoutes(notifier, { corsOrigins: list(env.CORS_ORIGINS), publicUrl: env.PUBLIC_URL });
const url = await app.listen({ port: env.PORT, host: env.HOST });
notifier.start();
console.log(`notifier at ${url} (data in ${dataDir})`);
stopOnSignal({ name: "notifier", close: [() => app.close(), () => notifier.close()] });

/**
 * `npm run notifier`: the notifier as a service, configured from the environment.
 *
 * RPC_URL (default http://127.0.0.1:8545), FACTORY (required), PORT (8788), HOST (127.0.0.1),
 * NOTIFIER_DATA (directory for notifier.db and vapid.json, default .notifier/, outside git),
 * APP_URL (the dApp's public URL, default http://localhost:5173/), PUBLIC_URL (this service as the
 * public reaches it, default <APP_URL>notifier/), VAPID_SUBJECT (mailto: or https: contact the push
 * services see), CORS_ORIGINS (comma separated, default http://localhost:5173), POLL_MS (5000),
 * CONFIRMATIONS (0), FROM_BLOCK (0), TIME_ZONE (Europe/Paris), PUSH_HOSTS (comma separated, default
 * the main browsers' push services).
 */
import path from "node:path";
import { type Address, isAddress } from "viem";
import { buildRoutes } from "./routes.js";
import { DEFAULT_PUSH_HOSTS, Notifier, loadOrCreateVapidKeys } from "./service.js";

const env = process.env;
const list = (s: string | undefined) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean);
if (!env.FACTORY || !isAddress(env.FACTORY)) {
  console.error("FACTORY (the campaign factory's address) is required / FACTORY (l'adresse de la fabrique de campagnes) est requis");
  process.exit(1);
}
const dataDir = path.resolve(env.NOTIFIER_DATA ?? ".notifier");
const appUrl = env.APP_URL ?? "http://localhost:5173/";
const notifier = new Notifier({
  rpcUrl: env.RPC_URL ?? "http://127.0.0.1:8545",
  factory: env.FACTORY as Address,
  dbPath: path.join(dataDir, "notifier.db"),
  vapid: loadOrCreateVapidKeys(dataDir),
  vapidSubject: env.VAPID_SUBJECT,
  appUrl,
  pollMs: Number(env.POLL_MS ?? 5000),
  confirmations: Number(env.CONFIRMATIONS ?? 0),
  fromBlock: BigInt(env.FROM_BLOCK ?? 0),
  timeZone: env.TIME_ZONE,
  pushHosts: env.PUSH_HOSTS ? list(env.PUSH_HOSTS) : DEFAULT_PUSH_HOSTS,
});
const app = await buildRoutes(notifier, {
  corsOrigins: list(env.CORS_ORIGINS ?? "http://localhost:5173"),
  publicUrl: env.PUBLIC_URL,
});
const url = await app.listen({ port: Number(env.PORT ?? 8788), host: env.HOST ?? "127.0.0.1" });
notifier.start();
console.log(`notifier at ${url} (data in ${dataDir})`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await notifier.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());

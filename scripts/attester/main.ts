/**
 * `npm run attester`: the union's attester service (blind vouchers for invite codes).
 *
 * PORT (8788), HOST (127.0.0.1), ATTESTER_DB (attester.db, created 0600), CORS_ORIGINS (comma
 * separated, default http://localhost:5173), ATTESTER_TOKEN (the organiser's token; a fresh one is
 * made and printed at start when unset). Stops on SIGINT/SIGTERM after the requests in flight; every
 * redemption is committed before it is answered, so nothing is lost.
 */
import { randomBytes } from "node:crypto";
import { startAttester } from "./server.js";

const env = process.env;
const token = env.ATTESTER_TOKEN ?? randomBytes(24).toString("base64url");
const attester = await startAttester({
  port: Number(env.PORT ?? 8788),
  host: env.HOST ?? "127.0.0.1",
  dbPath: env.ATTESTER_DB ?? "attester.db",
  corsOrigins: (env.CORS_ORIGINS ?? "http://localhost:5173").split(",").map((s) => s.trim()).filter(Boolean),
  token,
});
console.log(`attester at ${attester.url}`);
if (!env.ATTESTER_TOKEN) console.log(`organiser token / jeton d'organisation: ${token}`);
const shutdown = () => {
  void attester.close().then(() => process.exit(0));
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

/**
 * `npm run attester`: the union's attester service (blind vouchers for invite codes), configured
 * from the environment (the schema below). ATTESTER_DB is created readable by its user only;
 * ATTESTER_TOKEN is the organiser's token, ATTESTER_DESK_TOKEN the payout desk clerks' (for the desk
 * ledger; give it to the clerks, never the organiser's): a fresh one is made and printed at start
 * for each that is unset.
 * Stops on SIGINT/SIGTERM after the requests in flight; every redemption is committed before it is
 * answered, so nothing is lost.
 */
import { randomBytes } from "node:crypto";
import { Type } from "typebox";
import { List, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { startAttester } from "./server.js";

const Environment = Type.Object({
  PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8789,
    description: "8787 is the relayer's, 8788 the notifier's.",
  }),
  HOST: Type.String({ default: "127.0.0.1" }),
  ATTESTER_DB: Type.String({ default: "attester.db" }),
  CORS_ORIGINS: List({ default: "http://localhost:5173" }),
  ATTESTER_TOKEN: Type.Optional(Type.String()),
  ATTESTER_DESK_TOKEN: Type.Optional(Type.String()),
});

const env = loadConfig(Environment);
const token = env.ATTESTER_TOKEN ?? randomBytes(24).toString("base64url");
const deskToken = env.ATTESTER_DESK_TOKEN ?? randomBytes(24).toString("base64url");
const attester = await startAttester({
  port: env.PORT,
  host: env.HOST,
  dbPath: env.ATTESTER_DB,
  corsOrigins: env.CORS_ORIGINS.map((s) => s.trim()).filter(Boolean),
  token,
  deskToken,
});
console.log(`attester at ${attester.url}`);
if (!env.ATTESTER_TOKEN) console.log(`organiser token / jeton d'organisation: ${token}`);
if (!env.ATTESTER_DESK_TOKEN) console.log(`desk clerks' token / jeton des guichets: ${deskToken}`);
stopOnSignal({ name: "attester", close: [() => attester.close()] });

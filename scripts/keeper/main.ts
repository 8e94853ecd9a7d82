/**
 * `npm run keeper [-- --once]`: the keeper as a service, configured from the environment (the
 * schema below). KEEPER_PRIVATE_KEY defaults on a local chain only, to Hardhat's test account #8
 * (kit/local-key.ts); FACTORY to the deterministic Bascule address. `--once` runs one pass and exits.
 * SIGINT/SIGTERM: the pass under way finishes, then it stops (every decision is re-read from the
 * chain on the next start, so nothing is lost).
 */
import { mkdir } from "node:fs/promises";
import { Type } from "typebox";
import { type Address, createPublicClient, http } from "viem";
import { Address as AddressSchema, Decimal, PrivateKey, loadConfig } from "../kit/config.js";
import { stopOnSignal } from "../kit/lifecycle.js";
import { signingKeyOrExit } from "../kit/local-key.js";
import { defaultFactory } from "@bascule/core/deployments";
import { startKeeper } from "./service.js";

const Environment = Type.Object({
  RPC_URL: Type.String({ default: "http://127.0.0.1:8545" }),
  KEEPER_PRIVATE_KEY: Type.Optional(PrivateKey()),
  FACTORY: Type.Optional(AddressSchema()),
  POLL_MS: Type.Integer({ minimum: 1, default: 15_000 }),
  PARTICIPATION_DIR: Type.String({ default: "participation" }),
  FROM_BLOCK: Decimal({ default: "0" }),
  CONFIRMATIONS: Type.Integer({
    minimum: 1,
    default: 2,
    description: "How many blocks deep a campaign's resolution or root must be before it is no longer watched.",
  }),
  ONCE: Type.Boolean({ default: false, description: "--once: one pass, then exit." }),
});

const env = loadConfig(Environment, { flags: { once: "ONCE" } });
const chainId = await createPublicClient({ transport: http(env.RPC_URL) }).getChainId();
const privateKey = signingKeyOrExit({
  given: env.KEEPER_PRIVATE_KEY,
  variable: "KEEPER_PRIVATE_KEY",
  chainId,
  testAccount: 8,
});
const factory = (env.FACTORY as Address | undefined) ?? defaultFactory(chainId);
await mkdir(env.PARTICIPATION_DIR, { recursive: true });
const keeper = await startKeeper({
  rpcUrl: env.RPC_URL,
  privateKey,
  factory,
  pollMs: env.POLL_MS,
  participationDir: env.PARTICIPATION_DIR,
  fromBlock: BigInt(env.FROM_BLOCK),
  confirmations: env.CONFIRMATIONS,
});
if (env.ONCE) {
  await keeper.poll();
  await keeper.close();
} else {
  stopOnSignal({ name: "keeper", close: [() => keeper.close()] });
}

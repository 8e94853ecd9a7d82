/**
 * `npm run verify:campaign -- <address> [--rpc URL] [--factory ADDRESS] [--from-block N]`: the
 * sceptic's check from a terminal, the same as the dApp's verify page.
 *
 *  1. At once: the result the contract records (or would record) follows from its own per-level
 *     tallies, and each condition's part of them, by the reference model with the campaign's
 *     conditions (MECHANISM.md, "Resolution" and "Resolution with conditions"): j*, P, F, R and the
 *     bound set's k*, j*_k.
 *  2. Then: every event of the campaign, read in pages under the endpoint's limits and folded into
 *     the reference model, gives the same tallies as the contract at the same block, each
 *     condition's part included (a pledge whose condition a lying endpoint changed leaves the
 *     totals equal, not the parts); and the events read have the count and running digest the
 *     contract's history() gives at that block (a hidden pledge-and-withdrawal pair leaves every
 *     tally equal, not the history).
 *
 * Exit code 0: verified; 1: a mismatch (the numbers are printed); 2: could not check (the reason
 * and what to do are printed). RPC_URL and FACTORY are read from the environment too.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createPublicClient, getAddress, http, isAddress, type PublicClient } from "viem";
import { defaultFactory } from "@bascule/core/deployments";
import { campaignAbi } from "@bascule/core/generated/abis";
import { LogIntegrityError, LogReadError, latestBlock } from "@bascule/core/logs";
import type { History } from "@bascule/core/history";
import { resolve, type Resolution, type Tallies } from "@bascule/core/model";
import {
  CampaignReplay,
  findCampaignCreation,
  type ReplayProgress,
  readOnChainTallies,
  talliesDifference,
  verifyReplay,
} from "@bascule/core/replay";

export interface VerifyCampaignOptions {
  rpcUrl: string;
  campaign: Address;
  factory: Address;
  fromBlock?: bigint;
  onProgress?: (p: ReplayProgress) => void;
  signal?: AbortSignal;
}

export interface VerifyCampaignReport {
  campaign: Address;
  createdAt: bigint;
  block: bigint;
  ladder: readonly number[];
  /** c_1..c_K in basis points. */
  conditions: readonly number[];
  onChain: Tallies;
  /** The result the reference model gives on the contract's tallies. */
  model: Resolution;
  /** null before resolution; otherwise whether the contract's recorded result equals the model's. */
  resultMatches: boolean | null;
  replayed: Tallies;
  replayMatches: boolean;
  /** history() at `block`, what the logs gave, and whether they are equal. */
  onChainHistory: History;
  replayedHistory: History;
  historyMatches: boolean;
  difference: ReturnType<typeof talliesDifference>;
  events: number;
  pages: number;
  seconds: number;
}

/** Thrown for what stops the check before a verdict: not a campaign, endpoint unusable. */
export class VerifyCampaignError extends Error {
  constructor(
    readonly code: "NOT_A_CAMPAIGN" | "RPC_UNUSABLE" | "RPC_INCONSISTENT",
    readonly en: string,
    readonly fr: string,
  ) {
    super(en);
    this.name = "VerifyCampaignError";
  }
}

/**
 * Runs both checks.
 * @example
 * const report = await verifyCampaign({ rpcUrl, campaign, factory });
 * report.resultMatches !== false && report.replayMatches // verified
 */
export async function verifyCampaign(options: VerifyCampaignOptions): Promise<VerifyCampaignReport> {
  const started = performance.now();
  const client = createPublicClient({ transport: http(options.rpcUrl, { retryCount: 1 }) }) as PublicClient;
  try {
    const created = await findCampaignCreation({
      client,
      factory: options.factory,
      campaign: options.campaign,
      fromBlock: options.fromBlock ?? 0n,
    });
    if (!created) {
      throw new VerifyCampaignError(
        "NOT_A_CAMPAIGN",
        `${options.campaign} was not created by the factory ${options.factory} on this chain: check the address, --rpc and --factory`,
        `${options.campaign} n'a pas été créée par la fabrique ${options.factory} sur cette chaîne : vérifiez l'adresse, --rpc et --factory`,
      );
    }
    const block = await latestBlock(client);
    const [[params], status] = await Promise.all([
      client.readContract({
        address: options.campaign,
        abi: campaignAbi,
        functionName: "parameters",
        blockNumber: block,
      }),
      client.readContract({ address: options.campaign, abi: campaignAbi, functionName: "status", blockNumber: block }),
    ]);
    const conditions = params.conditions;
    const onChain = await readOnChainTallies(client, options.campaign, block, conditions.length);
    const model = resolve(params.ladder, onChain, conditions);
    const resultMatches =
      status.phase !== 2
        ? null
        : model.tippingLevel === status.tippingLevel &&
          model.committed === BigInt(status.committed) &&
          model.triggeredDonations === status.triggeredDonations &&
          model.requestedSupport === status.requestedSupport &&
          model.boundCondition === status.boundCondition &&
          model.boundConditionLevel === status.boundConditionLevel;
    const replay = new CampaignReplay({
      client,
      campaign: options.campaign,
      fromBlock: created.blockNumber,
      levels: params.ladder.length,
      conditions: conditions.length,
      keepRecent: 0,
    });
    const result = await verifyReplay(replay, client, {
      toBlock: block,
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return {
      campaign: options.campaign,
      createdAt: created.blockNumber,
      block,
      ladder: params.ladder,
      conditions,
      onChain,
      model,
      resultMatches,
      replayed: result.replayed,
      replayMatches: result.match,
      onChainHistory: result.onChainHistory,
      replayedHistory: result.replayedHistory,
      historyMatches: result.historyMatches,
      difference: result.difference,
      events: result.events,
      pages: result.pages,
      seconds: (performance.now() - started) / 1000,
    };
  } catch (error) {
    if (error instanceof LogIntegrityError) {
      throw new VerifyCampaignError(
        "RPC_INCONSISTENT",
        `the RPC endpoint returned inconsistent logs (${error.message}): it cannot be trusted for this check; use another --rpc`,
        `le point d'accès RPC a renvoyé des journaux incohérents (${error.message}) : impossible de s'y fier ; utilisez un autre --rpc`,
      );
    }
    if (error instanceof LogReadError) {
      throw new VerifyCampaignError(
        "RPC_UNUSABLE",
        `the RPC endpoint could not serve the campaign's logs (${error.message.split("\n")[0]}); try another --rpc`,
        `le point d'accès RPC n'a pas pu servir les journaux de la campagne ; essayez un autre --rpc`,
      );
    }
    throw error;
  }
}

const fmt = (n: bigint | number) => n.toLocaleString("en-US");
/** "1 page", "24 pages", "1 person", "2 people". */
const count = (n: bigint | number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 || n === 1n ? one : many}`;

function printReport(r: VerifyCampaignReport): boolean {
  const total = r.onChain.counts.reduce((a, b) => a + b, 0n);
  console.log(`campaign ${r.campaign}, created at block ${fmt(r.createdAt)}, checked at block ${fmt(r.block)}`);
  console.log(`ladder: ${r.ladder.join(", ")}; ${count(total, "pledge")} on chain`);
  if (r.conditions.length > 0) {
    const parts = (r.onChain.conditional ?? []).map((c, k) => {
      const n = c.counts.reduce((a, b) => a + b, 0n);
      return `${count(n, "pledge")} asking at least ${r.conditions[k] / 100} % covered`;
    });
    console.log(`conditions: ${r.conditions.join(", ")} bp; ${parts.join(", ")}`);
  }
  const m = r.model;
  console.log(
    m.succeeded
      ? `result from the contract's tallies: succeeded at level ${m.tippingLevel} (${count(m.committed, "person", "people")} committed)` +
          (r.conditions.length > 0 ? `; bound set k* = ${m.boundCondition}, j*_k = ${m.boundConditionLevel}` : "")
      : "result from the contract's tallies: no level reached (failed, or not yet)",
  );
  if (r.resultMatches === null) console.log("  (not resolved yet: this is the provisional result)");
  else
    console.log(
      r.resultMatches
        ? "  ✔ the recorded result follows from the tallies"
        : "  ✘ the recorded result does NOT follow from the tallies",
    );
  console.log(`replay: ${count(r.events, "event")} in ${count(r.pages, "page")}, ${r.seconds.toFixed(1)} s`);
  if (!r.historyMatches) {
    const expected = r.onChainHistory.count;
    const seen = r.replayedHistory.count;
    const missing = expected > seen ? expected - seen : 0n;
    console.log(
      `  ✘ the RPC endpoint's history is incomplete or altered: the contract counts ${count(expected, "history event")}, ` +
        `the endpoint gave ${fmt(seen)} (${missing > 0n ? `${fmt(missing)} missing` : "none missing: some were changed, added or reordered"})`,
    );
    console.log(
      `  ✘ l'historique du point d'accès RPC est incomplet ou altéré : le contrat compte ${fmt(expected)} événement${expected > 1n ? "s" : ""} d'historique, ` +
        `le point d'accès en a donné ${fmt(seen)} (${missing > 0n ? `${fmt(missing)} manquant${missing > 1n ? "s" : ""}` : "aucun ne manque : certains ont été modifiés, ajoutés ou réordonnés"})`,
    );
  }
  if (r.replayMatches) console.log("  ✔ the events replay to the contract's tallies and history");
  else if (r.difference) {
    const d = r.difference;
    const what = d.field === "conditional" ? "a condition's part of the tallies" : d.field;
    console.log(`  ✘ mismatch: ${what} at level ${d.level}: replayed ${fmt(d.left)}, contract ${fmt(d.right)}`);
  }
  const ok = r.replayMatches && r.resultMatches !== false;
  console.log(ok ? "VERIFIED" : "NOT VERIFIED / NON VÉRIFIÉ");
  return ok;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const address = process.argv
    .slice(2)
    .find((a) => isAddress(a, { strict: false }) && process.argv[process.argv.indexOf(a) - 1] !== "--factory");
  if (!address) {
    console.error(
      "usage: npm run verify:campaign -- <campaign address> [--rpc URL] [--factory ADDRESS] [--from-block N]",
    );
    console.error(
      "usage : npm run verify:campaign -- <adresse de la campagne> [--rpc URL] [--factory ADRESSE] [--from-block N]",
    );
    process.exit(2);
  }
  const rpcUrl = arg("--rpc") ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const factoryArg = arg("--factory") ?? process.env.FACTORY;
  try {
    const factory = factoryArg
      ? getAddress(factoryArg)
      : defaultFactory(await createPublicClient({ transport: http(rpcUrl) }).getChainId());
    let last = 0;
    const tty = process.stderr.isTTY;
    const report = await verifyCampaign({
      rpcUrl,
      campaign: getAddress(address),
      factory,
      fromBlock: BigInt(arg("--from-block") ?? process.env.FROM_BLOCK ?? 0),
      onProgress: (p) => {
        const span = Number(p.toBlock - p.fromBlock) + 1;
        const pct = Math.floor((100 * (Number(p.block - p.fromBlock) + 1)) / span);
        if (!tty && pct < last + 10 && p.block !== p.toBlock) return;
        last = pct;
        const line = `replaying: block ${fmt(p.block)} of ${fmt(p.toBlock)} (${pct} %), ${fmt(p.events)} events`;
        if (tty) process.stderr.write(`\r${line}`);
        else console.error(line);
      },
    });
    if (tty) process.stderr.write("\n");
    process.exit(printReport(report) ? 0 : 1);
  } catch (error) {
    if (error instanceof VerifyCampaignError) {
      console.error(`cannot verify [${error.code}]: ${error.en}`);
      console.error(`vérification impossible [${error.code}] : ${error.fr}`);
    } else {
      console.error(`cannot verify: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      console.error(`vérification impossible : vérifiez l'URL du point d'accès RPC (--rpc ${rpcUrl}) et l'adresse`);
    }
    process.exit(2);
  }
}

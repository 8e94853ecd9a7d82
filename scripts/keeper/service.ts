/**
 * The keeper (MECHANISM.md, "Off-chain parts"): watches every campaign of a factory, resolves each
 * once its pledge deadline has passed, and, for campaigns naming it as participation oracle,
 * publishes the Merkle root of the organiser's confirmed pledge keys within the oracle window and
 * writes the proofs where the relayer and the dApp read them.
 *
 * Idempotent and restart-safe: every decision is taken from on-chain state read afresh on each
 * pass (resolved or not, root published or not), so a restart, or two keepers, never do harm.
 *
 * Participation files: `<participationDir>/<campaign address, lower case>.json`, either a JSON
 * array of pledge-key addresses or `{ "pledgeKeys": [...] }`. Proofs are written next to them as
 * `<campaign>.proofs.json`: `{ campaign, root, proofs: { <key lower case>: [bytes32…] } }`.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  type Hex,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isAddress,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { PageSizer } from "@bascule/core/logs";
import { readCampaignsCreated } from "@bascule/core/replay";

export interface KeeperOptions {
  rpcUrl: string;
  privateKey: Hex;
  factory: Address;
  pollMs: number;
  /** Where organisers drop participation files and the keeper writes proofs. */
  participationDir?: string;
  /** First block to scan for campaigns (default 0). */
  fromBlock?: bigint;
  log?: (line: string) => void;
}

export interface KeeperHandle {
  close(): Promise<void>;
  /** Runs one pass now (tests, `--once`). */
  poll(): Promise<void>;
}

export interface ParticipationProofs {
  campaign: Address;
  root: Hex;
  proofs: Record<string, Hex[]>;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const ZERO_ROOT = `0x${"00".repeat(32)}`;

/** Builds the participation tree the contract checks (StandardMerkleTree, leaf ["address"]). */
export function buildParticipation(campaign: Address, keys: readonly string[]): ParticipationProofs {
  const unique = [...new Set(keys.map((k) => getAddress(k)))];
  if (unique.length === 0) throw new Error("empty participation list / liste de participation vide");
  const tree = StandardMerkleTree.of(
    unique.map((k) => [k]),
    ["address"],
  );
  const proofs: Record<string, Hex[]> = {};
  for (const [i, [key]] of tree.entries()) proofs[String(key).toLowerCase()] = tree.getProof(i) as Hex[];
  return { campaign, root: tree.root as Hex, proofs };
}

/** Reads an organiser's participation file; throws with the offending entry. */
export async function readParticipationFile(file: string): Promise<Address[]> {
  const parsed = JSON.parse(await readFile(file, "utf8")) as unknown;
  const list = Array.isArray(parsed) ? parsed : (parsed as { pledgeKeys?: unknown }).pledgeKeys;
  if (!Array.isArray(list)) throw new Error(`${file}: expected an array of pledge keys / tableau de clés attendu`);
  return list.map((k, i) => {
    if (typeof k !== "string" || !isAddress(k, { strict: false })) {
      throw new Error(`${file}[${i}]: not an address / pas une adresse: ${String(k)}`);
    }
    return getAddress(k);
  });
}

/** `CampaignResolved`'s arguments (ICampaign). */
export interface ResolvedEvent {
  tippingLevel: bigint;
  committed: bigint;
  triggeredDonations: bigint;
  requestedSupport: bigint;
  paid: bigint;
  boundCondition: bigint;
  boundConditionLevel: bigint;
}

/**
 * The keeper's line for a resolution, saying what the contract did (MECHANISM.md, "Resolution" and
 * "Resolution with conditions"): which level tipped, how many are bound, F, R and what is paid; with
 * conditions, the bound set (j*, k*, j*_k) and which pledges it leaves out.
 * @example
 * resolutionLine(campaign, { tippingLevel: 3n, committed: 7n, …, boundCondition: 2n, boundConditionLevel: 2n }, hash)
 * // "resolved 0x…: succeeded at level j* = 3, P = 7 bound; … k* = 2, j*_k = 2: …"
 */
export function resolutionLine(
  campaign: Address,
  e: ResolvedEvent,
  hash: Hex,
  conditions: readonly number[] = [],
): string {
  if (e.tippingLevel === 0n) {
    return `resolved ${campaign} in ${hash}: failed, no level reached; no pledge binds, every donation is refundable in full`;
  }
  let line =
    `resolved ${campaign} in ${hash}: succeeded at level j* = ${e.tippingLevel}, P = ${e.committed} bound; ` +
    `donations at levels <= ${e.tippingLevel} triggered (F = ${e.triggeredDonations}), ` +
    `R = ${e.requestedSupport} requested, paid = ${e.paid}`;
  if (conditions.length > 0) {
    const k = e.boundCondition;
    const j = e.boundConditionLevel;
    const kept =
      k === 0n
        ? "no pledge with a condition binds"
        : `pledges with a condition below ${k} bind at levels <= ${e.tippingLevel}, with condition ${k} at levels <= ${j}` +
          (Number(k) < conditions.length || j < e.tippingLevel ? "; the others are not bound" : "");
    const coverage = e.requestedSupport === 0n ? 10_000n : (e.paid * 10_000n) / e.requestedSupport;
    line += `; conditions ${conditions.join(", ")} bp, k* = ${k}, j*_k = ${j}: ${kept}; coverage ${coverage} bp`;
  }
  return line;
}

function resolvedEvent(receipt: TransactionReceipt, campaign: Address): ResolvedEvent | null {
  const [event] = parseEventLogs({ abi: campaignAbi, logs: receipt.logs, eventName: "CampaignResolved" }).filter(
    (e) => e.address.toLowerCase() === campaign.toLowerCase(),
  );
  return event ? event.args : null;
}

function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
}

/**
 * Starts watching; resolves and publishes as campaigns come due.
 * @example
 * const keeper = await startKeeper({ rpcUrl, privateKey, factory, pollMs: 5_000, participationDir: "participation" });
 */
export async function startKeeper(options: KeeperOptions): Promise<KeeperHandle> {
  const log = options.log ?? ((line: string) => console.log(`[keeper] ${line}`));
  const chainId = await createPublicClient({ transport: http(options.rpcUrl) }).getChainId();
  const chain = chainFor(chainId, options.rpcUrl);
  const client = createPublicClient({ chain, transport: http(options.rpcUrl) });
  const account = privateKeyToAccount(options.privateKey);
  const wallet = createWalletClient({ account, chain, transport: http(options.rpcUrl) });
  const campaigns = new Set<Address>();
  const done = new Set<Address>();
  let scannedTo = (options.fromBlock ?? 0n) - 1n;

  // The factory's CampaignCreated logs, read in pages under the endpoint's limits; the cursor moves
  // page by page, so a failure part-way resumes where it stopped on the next pass.
  const sizer = new PageSizer();
  async function discover() {
    const latest = await client.getBlockNumber();
    if (latest <= scannedTo) return;
    for await (const page of readCampaignsCreated({
      client,
      factory: options.factory,
      fromBlock: scannedTo + 1n,
      toBlock: latest,
      sizer,
    })) {
      for (const c of page.created) campaigns.add(c.campaign);
      scannedTo = page.toBlock;
    }
  }

  async function send(
    campaign: Address,
    functionName: "resolve" | "publishParticipation",
    args: readonly unknown[],
    conditions: readonly number[] = [],
  ) {
    try {
      const { request } = await client.simulateContract({
        account,
        address: campaign,
        abi: campaignAbi,
        functionName,
        args: args as never,
      });
      const hash = await wallet.writeContract(request);
      const receipt = await client.waitForTransactionReceipt({ hash });
      const resolved = functionName === "resolve" && receipt.status === "success" && resolvedEvent(receipt, campaign);
      if (resolved) log(resolutionLine(campaign, resolved, hash, conditions));
      else if (functionName === "publishParticipation" && receipt.status === "success") {
        log(
          `published the participation root ${String(args[0])} of ${campaign} in ${hash}: claims of support now need a proof of membership`,
        );
      } else log(`${functionName} ${campaign}: ${receipt.status} in ${hash}`);
      return receipt.status === "success";
    } catch (error) {
      const name = revertName(error);
      // Someone else (another keeper, a participant) got there first: nothing to do.
      if (name === "AlreadyResolved" || name === "InvalidParticipationRoot") return true;
      if (name === "PledgeDeadlineNotPassed" || name === "OutsideParticipationWindow") return false;
      throw error;
    }
  }

  async function writeProofs(proofs: ParticipationProofs) {
    if (!options.participationDir) return;
    const file = path.join(options.participationDir, `${proofs.campaign.toLowerCase()}.proofs.json`);
    const temporary = `${file}.tmp`;
    await writeFile(temporary, JSON.stringify(proofs, null, 2));
    await rename(temporary, file);
  }

  async function participation(campaign: Address): Promise<ParticipationProofs | null> {
    if (!options.participationDir) return null;
    const file = path.join(options.participationDir, `${campaign.toLowerCase()}.json`);
    let keys: Address[];
    try {
      keys = await readParticipationFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      log(`participation file for ${campaign} refused: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
    return buildParticipation(campaign, keys);
  }

  async function visit(campaign: Address, now: bigint) {
    const [[params], status, [, oracleEnd]] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "windows" }),
    ]);
    const isOracle = params.oracle !== ZERO && params.oracle.toLowerCase() === account.address.toLowerCase();
    let resolved = status.phase === 2;
    if (!resolved && now >= params.pledgeDeadline) resolved = await send(campaign, "resolve", [], params.conditions);
    if (!isOracle) {
      if (resolved) done.add(campaign);
      return;
    }
    const published = status.participationRoot !== ZERO_ROOT;
    const proofs = await participation(campaign);
    if (published) {
      // Serve the proofs of the published set, if it is the organiser's file's.
      if (proofs && proofs.root.toLowerCase() === status.participationRoot.toLowerCase()) await writeProofs(proofs);
      done.add(campaign);
      return;
    }
    if (now > oracleEnd) {
      // The contract pays no support without proof: it all goes back to the triggered donors.
      log(
        `oracle window of ${campaign} closed without a participation set: no support is paid; triggered donors take back everything that was theirs (reclaimDonation)`,
      );
      done.add(campaign);
      return;
    }
    if (proofs && resolved && now >= params.actionDate) {
      await writeProofs(proofs);
      await send(campaign, "publishParticipation", [proofs.root]);
    }
  }

  async function poll() {
    await discover();
    const now = (await client.getBlock({ blockTag: "latest" })).timestamp;
    for (const campaign of campaigns) {
      if (done.has(campaign)) continue;
      try {
        await visit(campaign, now);
      } catch (error) {
        log(`campaign ${campaign}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    }
  }

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (stopped) return;
    running = poll()
      .catch((error: unknown) =>
        log(`poll failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`),
      )
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, options.pollMs);
      });
  };
  tick();
  log(`watching factory ${options.factory} on chain ${chainId} as ${account.address}`);
  return {
    poll: async () => {
      if (running) await running;
      await poll();
    },
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}

/**
 * The keeper (MECHANISM.md, "Off-chain parts"): watches every campaign of a factory, resolves each
 * once its pledge deadline has passed, and, for campaigns naming it as participation oracle,
 * publishes the Merkle root of the organiser's confirmed pledge keys within the oracle window and
 * writes the proofs where the relayer and the dApp read them.
 *
 * Idempotent and restart-safe: every decision is taken from on-chain state read afresh on each
 * pass (resolved or not, root published or not), so a restart, or two keepers, never do harm.
 *
 * One wrong answer from the RPC endpoint never makes it give up a campaign: it stops watching one
 * only once the campaign is settled, that is resolved and, where it is the oracle, its root
 * published or its claim window over, and only when two passes have each seen it so, the status
 * agreeing with the campaign's own `CampaignResolved` / `ParticipationPublished` log, read again
 * at its block and at least `confirmations` blocks deep. Until then it reads everything again
 * on the next pass and acts on it (resolve, publish), which the contract refuses harmlessly if it
 * was already done. An endpoint that lies consistently is not detected (run it on your own node).
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
  decodeEventLog,
  encodeEventTopics,
  getAddress,
  http,
  isAddress,
  parseEventLogs,
  type TransactionReceipt,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Readiness, readiness } from "../kit/http.js";
import { chainFor } from "../lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { PageSizer, type RawLog, readLogs } from "@bascule/core/logs";
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
  /**
   * How deep (in blocks, the latest counting as 1) a campaign's `CampaignResolved` or
   * `ParticipationPublished` log must be before the keeper stops watching it (default 2).
   */
  confirmations?: number;
  log?: (line: string) => void;
}

export interface KeeperHandle {
  close(): Promise<void>;
  /** Runs one pass now (tests, `--once`). */
  poll(): Promise<void>;
  /** When the last pass ended (ms since the epoch), whether it went through, and how many campaigns are watched. */
  lastPass(): { at: number; ok: boolean; watched: number } | null;
  /**
   * GET /ready of the launcher's keeper (scripts/launch): the chain answers and a pass went through
   * within the last `3 × pollMs` (at least one since the start: caught up).
   */
  readiness(): Promise<Readiness>;
}

export interface ParticipationProofs {
  campaign: Address;
  root: Hex;
  proofs: Record<string, Hex[]>;
}

const ZERO = "0x0000000000000000000000000000000000000000";
const ZERO_ROOT = `0x${"00".repeat(32)}`;
const [RESOLVED_TOPIC] = encodeEventTopics({ abi: campaignAbi, eventName: "CampaignResolved" });
const [PUBLISHED_TOPIC] = encodeEventTopics({ abi: campaignAbi, eventName: "ParticipationPublished" });

/** A campaign's own record of what was done, as its log tells it. */
interface Logged {
  block: bigint;
  /** `ParticipationPublished`'s root; none for `CampaignResolved`. */
  root?: Hex;
}

/** What the keeper knows of a campaign it still watches. */
interface Watch {
  /** The block of its `CampaignCreated`: its own log starts there. */
  created: bigint;
  /** Its log was searched up to this block. */
  searchedTo: bigint;
  resolved?: Logged;
  published?: Logged;
  /** What the previous pass saw settled, if anything: a second pass seeing the same settles it. */
  settledOnPass?: { as: string; pass: number };
  /** The last doubt logged (a status the log does not bear out), so it is told once. */
  doubt?: string;
  /** The oracle window's close, once told. */
  toldClosed?: boolean;
}

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

const min = (a: bigint, b: bigint) => (a < b ? a : b);

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
  const confirmations = BigInt(options.confirmations ?? 2);
  const watches = new Map<Address, Watch>();
  const settled = new Set<Address>();
  let pass = 0;
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
      for (const c of page.created) {
        if (!watches.has(c.campaign)) {
          watches.set(c.campaign, { created: c.blockNumber, searchedTo: c.blockNumber - 1n });
        }
      }
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

  const logsOf = (campaign: Address, fromBlock: bigint, toBlock: bigint) =>
    readLogs({ client, address: campaign, topics: [[RESOLVED_TOPIC, PUBLISHED_TOPIC]], fromBlock, toBlock, sizer });

  function record(w: Watch, logs: readonly RawLog[]) {
    for (const raw of logs) {
      const block = BigInt(raw.blockNumber ?? 0);
      try {
        const event = decodeEventLog({ abi: campaignAbi, data: raw.data, topics: raw.topics as [Hex, ...Hex[]] });
        if (event.eventName === "CampaignResolved") w.resolved ??= { block };
        if (event.eventName === "ParticipationPublished") w.published ??= { block, root: event.args.root };
      } catch {
        // Not one of the two events (a log the filter should not have let through): ignored.
      }
    }
  }

  /**
   * Whether the campaign's log bears out what its status says (`resolved`, or `published` with
   * this root): the event found (its log read once, incrementally), read again at its block on
   * this pass, and `confirmations` blocks deep. A record the second read does not find is forgotten
   * and its blocks searched again later.
   */
  async function borneOut(
    campaign: Address,
    w: Watch,
    what: "resolved" | "published",
    root: Hex | null,
    latest: bigint,
  ) {
    if (!w[what] && w.searchedTo < latest) {
      const { logs, toBlock } = await logsOf(campaign, w.searchedTo + 1n, latest);
      record(w, logs);
      w.searchedTo = toBlock;
    }
    const found = w[what];
    if (!found || (root !== null && found.root?.toLowerCase() !== root.toLowerCase())) return false;
    const again: Watch = { created: w.created, searchedTo: found.block };
    record(again, (await logsOf(campaign, found.block, found.block)).logs);
    if (!again[what] || again[what].root !== found.root) {
      w[what] = undefined;
      w.searchedTo = min(w.searchedTo, found.block - 1n);
      return false;
    }
    return latest - found.block + 1n >= confirmations;
  }

  /** Logs a doubt about the endpoint's answers once, until it changes. */
  function doubt(campaign: Address, w: Watch, line: string | undefined) {
    if (line !== undefined && line !== w.doubt) log(`${campaign}: ${line}; not trusted, read again on the next pass`);
    w.doubt = line;
  }

  async function visit(campaign: Address, w: Watch, head: { number: bigint; timestamp: bigint }) {
    const now = head.timestamp;
    const [[params], status, [oracleEnd, claimEnd]] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "windows" }),
    ]);
    const isOracle = params.oracle !== ZERO && params.oracle.toLowerCase() === account.address.toLowerCase();
    const doubts: string[] = [];
    let resolved = status.phase === 2;
    if (!resolved && now >= params.pledgeDeadline) resolved = await send(campaign, "resolve", [], params.conditions);
    /** Settled, if the resolution is borne out too: what this pass saw (compared with the previous pass's). */
    let settling: string | null;
    if (!isOracle) settling = "resolved";
    else {
      const root = status.participationRoot;
      const claimed = root !== ZERO_ROOT;
      const deep = claimed && (await borneOut(campaign, w, "published", root, head.number));
      // Published, as far as the campaign's log shows (perhaps not deep enough yet to settle it).
      const seen = claimed && w.published?.root?.toLowerCase() === root.toLowerCase();
      if (claimed && !seen) {
        doubts.push(
          `the endpoint says its participation root is ${root}, but ${w.published ? `its ParticipationPublished log says ${w.published.root}` : "no ParticipationPublished log says so"}`,
        );
      }
      const proofs = await participation(campaign);
      if (seen) {
        // Serve the proofs of the published set, if it is the organiser's file's.
        if (proofs && proofs.root.toLowerCase() === root.toLowerCase()) await writeProofs(proofs);
      } else if (now > oracleEnd) {
        if (!w.toldClosed) {
          // The contract pays no support without proof: it all goes back to the triggered donors.
          log(
            `oracle window of ${campaign} closed at ${oracleEnd} (latest block's time ${now}) without a participation set: no support is paid; triggered donors take back everything that was theirs (reclaimDonation); watched until its claim window ends (${claimEnd})`,
          );
          w.toldClosed = true;
        }
      } else if (proofs && resolved && now >= params.actionDate) {
        await writeProofs(proofs);
        await send(campaign, "publishParticipation", [proofs.root]);
      }
      settling = deep ? `published ${root}` : now > claimEnd ? "over" : null;
    }
    if (settling !== null) {
      const borne = status.phase === 2 && (await borneOut(campaign, w, "resolved", null, head.number));
      if (status.phase === 2 && !w.resolved)
        doubts.push("the endpoint says it is resolved, but no CampaignResolved log says so");
      if (!borne) settling = null;
    }
    doubt(campaign, w, doubts.length > 0 ? doubts.join("; ") : undefined);
    // Settled only when this pass and an earlier one in a row saw the same: one answer cannot settle it.
    if (settling === null) w.settledOnPass = undefined;
    else if (w.settledOnPass?.as === settling && w.settledOnPass.pass < pass) {
      settled.add(campaign);
      const what =
        settling === "over"
          ? "resolved, its claim window over"
          : settling === "resolved"
            ? "resolved"
            : `resolved, participation root ${status.participationRoot} published`;
      log(`${campaign}: ${what}, seen on two passes and borne out by its log: no longer watched`);
    } else if (w.settledOnPass?.as !== settling) w.settledOnPass = { as: settling, pass };
  }

  async function poll() {
    await discover();
    pass++;
    const head = await client.getBlock({ blockTag: "latest" });
    for (const [campaign, w] of watches) {
      if (settled.has(campaign)) continue;
      try {
        await visit(campaign, w, { number: head.number, timestamp: head.timestamp });
      } catch (error) {
        log(`campaign ${campaign}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      }
    }
  }

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let last: { at: number; ok: boolean; watched: number } | null = null;
  const tick = () => {
    if (stopped) return;
    running = poll()
      .then(() => {
        last = { at: Date.now(), ok: true, watched: watches.size - settled.size };
      })
      .catch((error: unknown) => {
        last = { at: Date.now(), ok: false, watched: watches.size - settled.size };
        log(`poll failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
      })
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
    lastPass: () => last,
    readiness: () =>
      readiness({
        chain: async () => (await client.getBlockNumber({ cacheTime: 0 }), true as const),
        caughtUp: () => {
          if (!last) return "no pass yet";
          if (!last.ok) return "the last pass failed";
          const age = Date.now() - last.at;
          return age <= 3 * options.pollMs + 10_000 ? true : `last pass ${Math.round(age / 1000)} s ago`;
        },
      }),
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}

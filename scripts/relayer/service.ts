/**
 * What the relayer does, free of HTTP: checks a signed pledge or claim against the chain and the
 * queue, stores it durably if it would succeed, and hands it to the submitter. The HTTP layer
 * (routes.ts) only validates shapes; every decision is taken here and can be tested alone.
 */
import { randomUUID } from "node:crypto";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { type Address, type Hex, createPublicClient, createWalletClient, formatEther, getAddress, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readiness } from "../kit/http.js";
import { storeOpen } from "../kit/sqlite.js";
import { chainFor } from "../lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import {
  type CampaignClock,
  type PledgeState,
  SkipReason,
  type SkipReasonName,
  binds,
  campaignClock,
  claimEntitlement,
  finalLockActive,
  lockStart,
  pledgeSkipReason,
  recordedCondition,
  windows,
} from "@bascule/core/model";
import { verifyPow } from "@bascule/core/pow";
import { claimDigest } from "@bascule/core/signing";
import { PARTICIPATION_CLOCK, canonicalKeys, participationTypedData } from "@bascule/core/participation";
import { type CampaignInfo, ChainReader, ZERO_ADDRESS, BatchRecoverer, recoverCompact } from "./chain.js";
import { PledgeDigester } from "./digest.js";
import { type Recoverer, nativeRecoverer } from "./recover.js";
import { type ErrorCode, RelayerError, SKIP_REASONS } from "./errors.js";
import { type KeyPledgeRow, Store } from "./store.js";
import { VoucherChecker } from "./voucher.js";
import { type StoredClaim, type StoredPledge, Submitter } from "./submitter.js";

export interface RelayerOptions {
  rpcUrl: string;
  privateKey: Hex;
  /** 0 picks any free port. */
  port: number;
  host?: string;
  /** SQLite file; ":memory:" keeps nothing across restarts. */
  dbPath: string;
  /** Origins allowed by CORS; "*" allows any. */
  corsOrigins: string[];
  batchSize: number;
  batchLatencyMs: number;
  /** Where the keeper writes participation proofs (`<campaign>.proofs.json`). */
  proofsDir?: string;
  /**
   * Only campaigns this factory created (`isCampaign`) are relayed. Default: the deterministic
   * Bascule factory address (the same on every chain), which must have code.
   */
  factory?: Address;
  maxBodyBytes?: number;
  /**
   * On POST routes, per client prefix: this rate and burst per IPv4 address and IPv6 /64, larger ones
   * per IPv4 /24 and IPv6 /56, /48 and /32 (limits.ts, PREFIX_LEVELS); `capacity` bounds each level's memory.
   */
  rateLimit?: { perSecond: number; burst: number; capacity?: number };
  /**
   * Behind a reverse proxy: the proxies' addresses or CIDRs (Fastify's `trustProxy`), so that the
   * X-Forwarded-For entry they append names the client. Never "trust everything" (checkTrustProxy).
   */
  trustProxy?: string[];
  /**
   * At most `max` changes (nonce ≥ 1) of one pledge key relayed in any `windowMs`: each costs the
   * relayer gas, and a key's first pledge is the only one that needs a proof of work or a voucher.
   */
  keyChanges?: { max: number; windowMs: number };
  /** Leading zero bits of the proof of work asked for a key's first pledge in an open campaign (0: none). */
  powBits?: number;
  /** Fee kept on each claim, in the campaign's token units (capped by the signed maxFee). */
  claimFee?: bigint;
  /** Below this gas balance (wei), /status reports lowBalance and the log says so (once, on crossing). */
  lowBalanceWei?: bigint;
  replaceAfterMs?: number;
  maxInFlight?: number;
  /**
   * Recover pledge signers in this process with libsecp256k1 ("native", default where it loads),
   * with the node's ecrecover precompile in batched eth_calls ("node"), or in JavaScript ("js").
   */
  recoverWith?: "native" | "node" | "js";
  /** How long the chain time read for deadline checks is reused. */
  chainTimeTtlMs?: number;
  log?: (line: string) => void;
}

export type ResolvedOptions = Required<Omit<RelayerOptions, "proofsDir" | "factory" | "host" | "trustProxy">> &
  Pick<RelayerOptions, "proofsDir" | "host" | "trustProxy"> & { factory: Address };

/** `POST /v1/pledges`, once its shape is checked. */
export interface PledgeInput {
  campaign: string;
  pledge: {
    level: number;
    support: string | number;
    /** The condition signed, 0..255 by the schema (0 if absent); the campaign's K bounds it here. */
    condition?: number;
    nonce: number;
    r: string;
    vs: string;
    /** The attester's voucher: an account's 65-byte signature, or a contract attester's bytes (ERC-1271). */
    voucher?: string;
  };
  pow?: { nonce: number };
}

/** `POST /v1/claims`, once its shape is checked. */
export interface ClaimInput {
  campaign: string;
  claim: {
    payee: string;
    feeRecipient: string;
    maxFee: string | number;
    proof?: string[];
    r: string;
    vs: string;
  };
}

export interface Accepted {
  id: string;
  pledgeKey: Address;
  status: "queued";
}

/** How often the gas balance is read for the low-balance log line, whether or not anyone asks /status. */
export const BALANCE_CHECK_MS = 60_000;

/**
 * The low-balance alert: the line to log when a balance reading crosses LOW_BALANCE_WEI (down, or
 * back up), null when it stays on the same side. `wasLow` is null before the first reading: a
 * relayer that starts below the threshold says so, one that starts above says nothing.
 * @example
 * lowBalanceLine(false, 10n ** 16n, 5n * 10n ** 16n, "0xRelayer") // "gas balance 10000000000000000 wei (0.01) is below …"
 */
export function lowBalanceLine(
  wasLow: boolean | null,
  balance: bigint,
  threshold: bigint,
  address: Address,
): string | null {
  const low = balance < threshold;
  if (low === (wasLow ?? false)) return null;
  const amounts = `gas balance ${balance} wei (${formatEther(balance)}) is ${low ? "below" : "back above"} LOW_BALANCE_WEI ${threshold} (${formatEther(threshold)})`;
  return low
    ? `${amounts}: fund ${address}; once it cannot pay for a transaction nothing more is mined, and accepted requests wait`
    : amounts;
}

const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

function uint(value: string | number, field: string, max: bigint): bigint {
  const n = BigInt(value);
  if (n < 0n || n > max) throw new RelayerError("INVALID_REQUEST", { field });
  return n;
}

interface ProofFile {
  root: Hex;
  proofs: Record<string, Hex[]>;
}

export class Relayer {
  readonly store: Store;
  readonly reader: ChainReader;
  readonly address: Address;
  private readonly submitter: Submitter;
  private readonly recoverer: BatchRecoverer;
  private readonly native: Recoverer | null;
  private readonly vouchers: VoucherChecker;
  private readonly digesters = new Map<string, PledgeDigester>();
  private readonly proofCache = new Map<string, { mtimeMs: number; file: ProofFile }>();
  private balanceCache: { at: number; value: bigint } | null = null;
  /** The side of LOW_BALANCE_WEI of the last reading (null: none yet), for the log line on crossing. */
  private balanceLow: boolean | null = null;
  private balanceTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    readonly options: ResolvedOptions,
    readonly chainId: number,
  ) {
    const account = privateKeyToAccount(options.privateKey);
    this.address = account.address;
    const chain = chainFor(chainId, options.rpcUrl);
    const transport = http(options.rpcUrl, { batch: { batchSize: 200, wait: 2 }, retryCount: 2, timeout: 30_000 });
    const client = createPublicClient({ chain, transport });
    const wallet = createWalletClient({ account, chain, transport });
    this.store = new Store(options.dbPath);
    this.reader = new ChainReader(client, chainId, options.factory, options.chainTimeTtlMs);
    this.recoverer = new BatchRecoverer(client);
    this.native = options.recoverWith === "native" ? nativeRecoverer() : null;
    this.vouchers = new VoucherChecker(client, chainId);
    this.submitter = new Submitter(this.store, client, wallet, account, chain, {
      batchSize: options.batchSize,
      batchLatencyMs: options.batchLatencyMs,
      replaceAfterMs: options.replaceAfterMs,
      maxInFlight: options.maxInFlight,
      claimFee: options.claimFee,
      maxAttempts: 3,
      log: options.log,
    });
  }

  start(): void {
    this.submitter.start();
    // A failed reading is not an alert: the submitter logs the node's errors, and the next tick reads again.
    const check = () => void this.checkBalance().catch(() => {});
    check();
    this.balanceTimer = setInterval(check, BALANCE_CHECK_MS);
    this.balanceTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.balanceTimer) clearInterval(this.balanceTimer);
    await this.submitter.stop();
    this.store.close();
  }

  /** Reads the gas account's balance now, and logs when it crosses LOW_BALANCE_WEI. */
  async checkBalance(): Promise<bigint> {
    const value = await this.reader.client.getBalance({ address: this.address });
    this.balanceCache = { at: Date.now(), value };
    const line = lowBalanceLine(this.balanceLow, value, this.options.lowBalanceWei, this.address);
    this.balanceLow = value < this.options.lowBalanceWei;
    if (line) this.options.log(line);
    return value;
  }

  /** The proof of work asked on a key's first pledge in an open campaign (see packages/core/src/pow.ts). */
  get pow() {
    return { algorithm: "sha256" as const, tag: "bascule-pow-v1", bits: this.options.powBits };
  }

  private async campaignOrThrow(address: Address): Promise<CampaignInfo> {
    const info = await this.reader.campaign(address);
    if (!info) throw new RelayerError("UNKNOWN_CAMPAIGN", { campaign: address, factory: this.options.factory });
    return info;
  }

  private digester(campaign: Address): PledgeDigester {
    let d = this.digesters.get(campaign);
    if (!d) {
      d = new PledgeDigester(campaign, this.chainId);
      this.digesters.set(campaign, d);
    }
    return d;
  }

  /** Checks a signed pledge against the chain and the queue; stores it if it would succeed. */
  async acceptPledge(input: PledgeInput): Promise<Accepted> {
    const campaign = getAddress(input.campaign);
    const p = input.pledge;
    const support = uint(p.support, "pledge.support", MAX_UINT128);
    const pledge: StoredPledge = {
      level: p.level,
      support: support.toString(),
      condition: p.condition ?? 0,
      nonce: p.nonce,
      r: p.r.toLowerCase() as Hex,
      vs: p.vs.toLowerCase() as Hex,
      voucher: (p.voucher?.toLowerCase() ?? "0x") as Hex,
    };
    const info = await this.campaignOrThrow(campaign);
    const digester = this.digester(campaign);
    // The condition is signed: a request naming another one than its key signed recovers another key.
    const message = { level: pledge.level, support, condition: pledge.condition, nonce: pledge.nonce };
    const key = this.native
      ? this.native.recover(digester.digestBytes(message), pledge.r, pledge.vs)
      : this.options.recoverWith === "js"
        ? await recoverCompact(digester.digest(message), pledge.r, pledge.vs)
        : await this.recoverer.recover(digester.digest(message), pledge.r, pledge.vs);
    const now = await this.reader.now();
    if (now > info.pledgeDeadline) {
      throw new RelayerError("PLEDGE_DEADLINE_PASSED", { deadline: info.pledgeDeadline.toString() });
    }
    const campaignKey = campaign.toLowerCase();
    const keyLower = key.toLowerCase();
    const known = this.store.pledgesOfKey(campaignKey, keyLower);
    const duplicate = known.find((r) => r.nonce === pledge.nonce);
    if (duplicate && duplicate.status !== "failed") {
      throw new RelayerError("DUPLICATE_PLEDGE", { id: duplicate.id, status: duplicate.status });
    }
    const clock = campaignClock(info);
    const locked = finalLockActive(clock, now);
    // The relayer's own checks that need no read first, so that a refused request costs no RPC call.
    if (pledge.nonce > 0) this.checkChangeBudget(known, key);
    else if (info.attester === ZERO_ADDRESS) this.checkPow(campaign, key, input.pow);
    // A gated first pledge's voucher, checked as the campaign does (voucher.ts), in parallel with the
    // key's record; awaited after the checks the campaign makes before it.
    const voucher =
      pledge.nonce === 0 && info.attester !== ZERO_ADDRESS
        ? this.vouchers.check(campaign, key, info.attester, pledge.voucher)
        : null;
    voucher?.catch(() => {});
    // What the key will have once everything accepted before is mined.
    const latest = known.find((r) => r.status !== "failed");
    let previous: PledgeState & { nonce: number };
    if (latest && latest.status !== "confirmed") {
      // The support and the condition matter only to the final lock: read the queued pledge's payload then.
      let support = 0n;
      let condition = 0;
      if (locked) {
        const queued = JSON.parse(this.store.getRequest(latest.id)!.payload) as StoredPledge;
        support = latest.level === 0 ? 0n : BigInt(queued.support);
        condition = recordedCondition({ level: latest.level, support, condition: queued.condition });
      }
      previous = { level: latest.level, support, condition, nonce: latest.nonce + 1 };
    } else {
      // Nothing of this key in flight here: the chain says where it stands. A first pledge too: the
      // same signed pledge may have been mined already by someone else (a wallet, a copy), and sending
      // it again would only pay for a skipped item.
      const record = await this.reader.pledgeOf(campaign, key);
      if (record.nonce === pledge.nonce + 1 && sameAsRecord(record, pledge)) {
        throw new RelayerError("PLEDGE_ALREADY_RECORDED", { pledgeKey: key, nonce: record.nonce });
      }
      previous = { level: record.level, support: record.support, condition: record.condition, nonce: record.nonce };
    }
    // The campaign's own checks, in its order (the reference model's mirror of _applyPledge): the
    // condition against the campaign's K, the final lock's rules with conditions, then the voucher;
    // a bucket's requested total is left to the batch simulation before sending.
    const reason = pledgeSkipReason(
      { levels: info.levels, supportCap: info.supportCap, conditions: info.conditions.length, locked },
      previous,
      message,
    );
    if (reason !== null) throw this.skipError(reason, { key, pledge, info, previous, clock });
    if (voucher) await voucher;
    const id = randomUUID();
    try {
      await this.store.addRequestCommitted({
        id,
        kind: "pledge",
        campaign: campaignKey,
        pledgeKey: keyLower,
        nonce: pledge.nonce,
        level: pledge.level,
        payload: pledge,
      });
    } catch (error) {
      // Two identical requests raced past the check above: the unique index decides.
      const again = this.store.pledgeRequest(campaignKey, keyLower, pledge.nonce);
      if (again && again.status !== "failed")
        throw new RelayerError("DUPLICATE_PLEDGE", { id: again.id, status: again.status });
      if (again) {
        // A failed earlier attempt of the same nonce: this one replaces it.
        this.store.deleteRequest(again.id);
        return this.acceptPledge(input);
      }
      throw error;
    }
    return { id, pledgeKey: key, status: "queued" };
  }

  /** The relayer's refusal for a pledge the campaign would skip, with what the person needs to fix it. */
  private skipError(
    reason: SkipReasonName,
    c: {
      key: Address;
      pledge: StoredPledge;
      info: CampaignInfo;
      previous: PledgeState & { nonce: number };
      clock: CampaignClock;
    },
  ): RelayerError {
    switch (reason) {
      case "InvalidNonce":
        return new RelayerError("INVALID_NONCE", { expected: c.previous.nonce, given: c.pledge.nonce });
      case "LevelOutOfRange":
        return new RelayerError("LEVEL_OUT_OF_RANGE", { level: c.pledge.level, levels: c.info.levels });
      case "SupportAboveCap":
        return new RelayerError("SUPPORT_ABOVE_CAP", { support: c.pledge.support, cap: c.info.supportCap.toString() });
      case "NotPledged":
        return new RelayerError("NOT_PLEDGED", { pledgeKey: c.key });
      case "ConditionOutOfRange":
        return new RelayerError("CONDITION_OUT_OF_RANGE", {
          condition: c.pledge.condition,
          conditions: c.info.conditions.map(Number),
        });
      case "FinalLock":
        return new RelayerError(lockRefusal(c.previous, c.pledge), {
          lockStart: lockStart(c.clock).toString(),
          ...(c.previous.condition !== 0 ? { condition: c.previous.condition } : {}),
        });
      default:
        return new RelayerError(SKIP_REASONS[SkipReason[reason]]);
    }
  }

  /**
   * A key's changes relayed in the window (options.keyChanges): those queued, in flight or mined, and
   * those that failed after a transaction carried them; a change dropped before sending cost nothing.
   */
  private checkChangeBudget(known: KeyPledgeRow[], key: Address): void {
    const { max, windowMs } = this.options.keyChanges;
    const since = Date.now() - windowMs;
    const counted = known.filter(
      (r) => r.nonce > 0 && r.created_at > since && (r.status !== "failed" || r.tx_hash !== null),
    );
    if (counted.length < max) return;
    const oldest = Math.min(...counted.map((r) => r.created_at));
    throw new RelayerError("TOO_MANY_CHANGES", {
      pledgeKey: key,
      max,
      windowSeconds: Math.round(windowMs / 1000),
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - Date.now()) / 1000)),
    });
  }

  /** An open campaign: a proof of work bound to the chain, the campaign and this key (first pledge only). */
  private checkPow(campaign: Address, key: Address, pow: PledgeInput["pow"]): void {
    const bits = this.options.powBits;
    if (bits <= 0) return;
    if (!pow) throw new RelayerError("POW_REQUIRED", { bits });
    if (!verifyPow({ chainId: this.chainId, campaign, pledgeKey: key, bits }, pow.nonce)) {
      throw new RelayerError("INVALID_POW", { bits });
    }
  }

  /** Checks a signed claim against the chain; stores it if it would succeed. */
  async acceptClaim(input: ClaimInput): Promise<Accepted> {
    const campaign = getAddress(input.campaign);
    const c = input.claim;
    const maxFee = uint(c.maxFee, "claim.maxFee", MAX_UINT256);
    const claim: StoredClaim = {
      payee: getAddress(c.payee),
      feeRecipient: getAddress(c.feeRecipient),
      maxFee: maxFee.toString(),
      proof: (c.proof ?? []).map((x) => x.toLowerCase() as Hex),
      r: c.r.toLowerCase() as Hex,
      vs: c.vs.toLowerCase() as Hex,
    };
    const info = await this.campaignOrThrow(campaign);
    const key = await recoverCompact(
      claimDigest(campaign, this.chainId, { payee: claim.payee, feeRecipient: claim.feeRecipient, maxFee }),
      claim.r,
      claim.vs,
    );
    if (claim.payee === ZERO_ADDRESS) throw new RelayerError("ZERO_PAYEE");
    // The contract refuses only address zero; paid to itself, its factory or its token, the support is stuck.
    if ([campaign, this.options.factory, info.token].some((a) => a !== ZERO_ADDRESS && getAddress(a) === claim.payee))
      throw new RelayerError("PAYEE_LOSES_SUPPORT", { payee: claim.payee });
    if (maxFee > 0n && claim.feeRecipient !== this.address) {
      throw new RelayerError("WRONG_FEE_RECIPIENT", { expected: this.address });
    }
    if (maxFee < this.options.claimFee && claim.feeRecipient === this.address) {
      throw new RelayerError("FEE_TOO_LOW", { fee: this.options.claimFee.toString() });
    }
    const [status, record, now] = await Promise.all([
      this.reader.status(campaign),
      this.reader.pledgeOf(campaign, key),
      this.reader.now(),
    ]);
    if (status.phase !== 2) throw new RelayerError("NOT_RESOLVED");
    if (status.tippingLevel === 0) throw new RelayerError("CAMPAIGN_FAILED");
    // A pledge at or below j* whose condition kept it out of the bound set is not triggered either.
    if (!binds(status, record)) throw new RelayerError("PLEDGE_NOT_TRIGGERED", { pledgeKey: key });
    if (record.claimed) throw new RelayerError("ALREADY_CLAIMED", { pledgeKey: key });
    // The windows and the entitlement by the reference model, held against the contract's views by
    // the differential test: two reads fewer per claim.
    const clock = campaignClock(info);
    const { oracleEnd, claimEnd } = windows(clock, status.resolvedAt);
    if (now > claimEnd) throw new RelayerError("CLAIM_WINDOW_CLOSED", { claimEnd: claimEnd.toString() });
    const rootPublished = BigInt(status.participationRoot) !== 0n;
    if (clock.hasOracle) {
      const root = status.participationRoot;
      if (!rootPublished) {
        if (now <= oracleEnd) throw new RelayerError("PARTICIPATION_PENDING", { oracleEnd: oracleEnd.toString() });
      } else {
        if (claim.proof.length === 0) {
          const stored = await this.proofFor(campaign, key);
          if (stored && stored.root.toLowerCase() === root.toLowerCase()) claim.proof = stored.proof;
        }
        if (!StandardMerkleTree.verify(root, ["address"], [key], claim.proof)) {
          throw new RelayerError("NOT_A_PARTICIPANT", { pledgeKey: key });
        }
      }
    }
    const entitlement = claimEntitlement(
      {
        clock,
        now,
        resolution: status,
        resolvedAt: status.resolvedAt,
        rootPublished,
        claimedTotal: status.claimedTotal,
      },
      record,
    );
    // NeedsProof (checked above) and Due pay now; anything else pays nothing now.
    if (entitlement.amount === 0n || (entitlement.state !== "NeedsProof" && entitlement.state !== "Due")) {
      throw new RelayerError("NOTHING_TO_CLAIM");
    }
    const campaignKey = campaign.toLowerCase();
    const keyLower = key.toLowerCase();
    const active = this.store.claimInProgress(campaignKey, keyLower);
    if (active) throw new RelayerError("DUPLICATE_CLAIM", { id: active.id, status: active.status });
    const id = randomUUID();
    this.store.addRequest({
      id,
      kind: "claim",
      campaign: campaignKey,
      pledgeKey: keyLower,
      nonce: 0,
      level: 0,
      payload: claim,
    });
    return { id, pledgeKey: key, status: "queued" };
  }

  /**
   * A check-in list from the campaign's organiser (packages/core/src/participation.ts): the signature
   * checked against the organiser the campaign records (an account's, or a contract wallet's through
   * ERC-1271), the campaign this factory's and naming a participation oracle, its root not yet
   * published, `issuedAt` near this clock and later than the list already kept. Written, whole or not
   * at all, as `<campaign>.json` in the directory the keeper reads (the one it writes proofs to).
   */
  async acceptParticipation(input: {
    campaign: string;
    pledgeKeys: readonly string[];
    issuedAt: number;
    signature: Hex;
  }): Promise<{ campaign: Address; count: number; keysHash: Hex; issuedAt: number }> {
    const dir = this.options.proofsDir;
    if (!dir) throw new RelayerError("NO_PARTICIPATION_DIR");
    const campaign = getAddress(input.campaign);
    await this.campaignOrThrow(campaign);
    const client = this.reader.client;
    const [[params, organiser], status] = await Promise.all([
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "parameters" }),
      client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" }),
    ]);
    if (params.oracle === ZERO_ADDRESS) throw new RelayerError("NO_PARTICIPATION_ORACLE");
    if (BigInt(status.participationRoot) !== 0n) throw new RelayerError("PARTICIPATION_ALREADY_PUBLISHED");
    const now = Math.floor(Date.now() / 1000);
    if (
      input.issuedAt < now - PARTICIPATION_CLOCK.pastSeconds ||
      input.issuedAt > now + PARTICIPATION_CLOCK.futureSeconds
    )
      throw new RelayerError("PARTICIPATION_CLOCK", { issuedAt: input.issuedAt, now });
    const keys = canonicalKeys(input.pledgeKeys.map((k) => getAddress(k)));
    const typed = participationTypedData({ chainId: this.chainId, campaign, keys, issuedAt: input.issuedAt });
    const signed = await client
      .verifyTypedData({ address: organiser, signature: input.signature, ...typed })
      .catch(() => false);
    if (!signed) throw new RelayerError("NOT_THE_ORGANISER", { organiser });
    const file = path.join(dir, `${campaign.toLowerCase()}.json`);
    const kept = await this.keptParticipation(campaign);
    if (kept && kept.issuedAt >= input.issuedAt)
      throw new RelayerError("PARTICIPATION_OLDER", { kept: kept.issuedAt, given: input.issuedAt });
    const temporary = `${file}.${randomUUID()}.tmp`;
    await writeFile(
      temporary,
      JSON.stringify({ pledgeKeys: keys, issuedAt: input.issuedAt, organiser, signature: input.signature }, null, 2),
    );
    await rename(temporary, file);
    this.options.log(`participation list of ${campaign}: ${keys.length} pledge keys from its organiser ${organiser}`);
    return { campaign, count: keys.length, keysHash: typed.message.keysHash, issuedAt: input.issuedAt };
  }

  /** The check-in list kept for the keeper, if one came through this relayer (its size and date). */
  async keptParticipation(campaign: Address): Promise<{ count: number; issuedAt: number } | null> {
    if (!this.options.proofsDir) return null;
    const file = path.join(this.options.proofsDir, `${campaign.toLowerCase()}.json`);
    try {
      const kept = JSON.parse(await readFile(file, "utf8")) as { pledgeKeys?: unknown[]; issuedAt?: unknown };
      if (!Array.isArray(kept.pledgeKeys)) return null;
      return { count: kept.pledgeKeys.length, issuedAt: typeof kept.issuedAt === "number" ? kept.issuedAt : 0 };
    } catch {
      return null;
    }
  }

  /** The proof the keeper wrote for a key, if any. */
  async proofFor(campaign: Address, key: Address): Promise<{ root: Hex; proof: Hex[] } | null> {
    if (!this.options.proofsDir) return null;
    const file = path.join(this.options.proofsDir, `${campaign.toLowerCase()}.proofs.json`);
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
    } catch {
      return null;
    }
    let cached = this.proofCache.get(file);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      cached = { mtimeMs, file: JSON.parse(await readFile(file, "utf8")) as ProofFile };
      this.proofCache.set(file, cached);
    }
    const proof = cached.file.proofs[key.toLowerCase()];
    return proof ? { root: cached.file.root, proof } : null;
  }

  request(id: string) {
    const row = this.store.getRequest(id);
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      campaign: getAddress(row.campaign),
      pledgeKey: getAddress(row.pledge_key),
      ...(row.tx_hash ? { txHash: row.tx_hash } : {}),
      ...(row.error ? { error: JSON.parse(row.error) as RequestError } : {}),
    };
  }

  /** GET /ready: the chain answers and the store is open (kit/http.ts). */
  readiness() {
    return readiness({
      chain: async () => (await this.reader.client.getBlockNumber({ cacheTime: 0 }), true as const),
      store: () => storeOpen(this.store.db),
    });
  }

  async status() {
    const cached = this.balanceCache;
    const balance = cached && Date.now() - cached.at <= 2_000 ? cached.value : await this.checkBalance();
    const last = this.store.lastBatch();
    return {
      chainId: this.chainId,
      relayer: this.address,
      factory: this.options.factory,
      balance: balance.toString(),
      lowBalance: balance < this.options.lowBalanceWei,
      lowBalanceWei: this.options.lowBalanceWei.toString(),
      queueDepth: this.store.queueDepth(),
      lastBatch: last
        ? {
            id: last.id,
            kind: last.kind,
            campaign: getAddress(last.campaign),
            size: last.request_count,
            status: last.status,
            txHash: last.tx_hash,
            sentAt: new Date(last.sent_at).toISOString(),
            confirmedAt: last.confirmed_at ? new Date(last.confirmed_at).toISOString() : null,
          }
        : null,
      batch: { size: this.options.batchSize, latencyMs: this.options.batchLatencyMs },
      fee: { maxFeeSuggested: this.options.claimFee.toString() },
      pow: this.pow,
    };
  }
}

/** Whether the key's on-chain record is what this signed pledge records (level, support, condition). */
function sameAsRecord(
  record: { level: number; support: bigint; condition: number },
  pledge: { level: number; support: string; condition: number },
): boolean {
  const support = pledge.level === 0 ? 0n : BigInt(pledge.support);
  return (
    record.level === pledge.level &&
    record.support === support &&
    record.condition === recordedCondition({ level: pledge.level, support, condition: pledge.condition })
  );
}

/**
 * Which of the final lock's rules a refused change breaks (MECHANISM.md, "The final lock"), for a
 * message that says what is still allowed: taking anything back (a withdrawal, a higher threshold or
 * support) is FINAL_LOCK_ACTIVE for every pledge; a new pledge with a condition, or an unconditional
 * one taking a condition on, is FINAL_LOCK_NEW_CONDITION; anything else a pledge with a condition
 * does (another level or condition, its support down to 0) is FINAL_LOCK_CONDITION_FROZEN.
 */
export function lockRefusal(
  previous: PledgeState,
  next: { level: number; support: string | bigint; condition?: number },
): ErrorCode {
  const support = next.level === 0 ? 0n : BigInt(next.support);
  const condition = recordedCondition({ level: next.level, support, condition: next.condition });
  if (previous.level === 0) return condition !== 0 ? "FINAL_LOCK_NEW_CONDITION" : "FINAL_LOCK_ACTIVE";
  if (next.level === 0 || next.level > previous.level || support > previous.support) return "FINAL_LOCK_ACTIVE";
  if (previous.condition === 0) return condition !== 0 ? "FINAL_LOCK_NEW_CONDITION" : "FINAL_LOCK_ACTIVE";
  return "FINAL_LOCK_CONDITION_FROZEN";
}

/** Why a request failed, as stored and shown by GET /v1/requests/:id. */
export interface RequestError {
  code: string;
  message: { en: string; fr: string };
  details?: Record<string, unknown>;
}

/**
 * The relayer: an HTTP service that takes signed pledges and claims from participants who have
 * neither wallet nor ETH, checks each against the chain before accepting it, stores it durably,
 * and submits it (see submitter.ts). API: docs/operator-guide.md, "Relayer".
 */
import { randomUUID } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import path from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  getAddress,
  http,
  isAddress,
  recoverAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../lib/deployment.js";
import { type CampaignInfo, ChainReader, ZERO_ADDRESS, BatchRecoverer, claimDigest, pledgeDigest, recoverCompact, voucherDigest } from "./chain.js";
import { ERRORS, RelayerError } from "./errors.js";
import { Store } from "./store.js";
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
  /** If set, only campaigns created by this factory are relayed. */
  factory?: Address;
  maxBodyBytes?: number;
  rateLimit?: { perSecond: number; burst: number };
  /** Fee kept on each claim, in the campaign's token units (capped by the signed maxFee). */
  claimFee?: bigint;
  /** Below this gas balance (wei), /status reports lowBalance. */
  lowBalanceWei?: bigint;
  replaceAfterMs?: number;
  maxInFlight?: number;
  /** Recover signers with the node's ecrecover precompile ("node", default: fast) or in JavaScript ("js"). */
  recoverWith?: "node" | "js";
  /** How long the chain time read for deadline checks is reused. */
  chainTimeTtlMs?: number;
  log?: (line: string) => void;
}

export interface RelayerHandle {
  url: string;
  address: Address;
  close(): Promise<void>;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
/** A voucher: a 65-byte signature, or up to 1 KiB for a contract attester (ERC-1271, e.g. an RSA blind signature). */
const VOUCHER = /^0x(?:[0-9a-fA-F]{2}){0,1024}$/;
const UINT = /^(0|[1-9][0-9]{0,77})$/;
const MAX_UINT128 = (1n << 128n) - 1n;
const MAX_UINT256 = (1n << 256n) - 1n;

function invalid(field: string): never {
  throw new RelayerError("INVALID_REQUEST", { field });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readAddress(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) invalid(field);
  return getAddress(value);
}

function readBytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !BYTES32.test(value)) invalid(field);
  return value.toLowerCase() as Hex;
}

function readUint(value: unknown, field: string, max: bigint): bigint {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) text = String(value);
  else invalid(field);
  if (!UINT.test(text)) invalid(field);
  const n = BigInt(text);
  if (n > max) invalid(field);
  return n;
}

function readSmallInt(value: unknown, field: string, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > max) invalid(field);
  return value;
}

/** Parses `POST /v1/pledges`. */
export function parsePledgeBody(body: unknown): { campaign: Address; pledge: StoredPledge } {
  if (!isObject(body) || !isObject(body.pledge)) invalid("pledge");
  const p = body.pledge;
  if (p.voucher !== undefined && (typeof p.voucher !== "string" || !VOUCHER.test(p.voucher))) invalid("pledge.voucher");
  return {
    campaign: readAddress(body.campaign, "campaign"),
    pledge: {
      level: readSmallInt(p.level, "pledge.level", 255),
      support: readUint(p.support, "pledge.support", MAX_UINT128).toString(),
      nonce: readSmallInt(p.nonce, "pledge.nonce", 0xffffffff),
      r: readBytes32(p.r, "pledge.r"),
      vs: readBytes32(p.vs, "pledge.vs"),
      voucher: p.voucher === undefined ? "0x" : (p.voucher.toLowerCase() as Hex),
    },
  };
}

/** Parses `POST /v1/claims`. */
export function parseClaimBody(body: unknown): { campaign: Address; claim: StoredClaim } {
  if (!isObject(body) || !isObject(body.claim)) invalid("claim");
  const c = body.claim;
  const proof = c.proof === undefined ? [] : c.proof;
  if (!Array.isArray(proof) || proof.length > 64) invalid("claim.proof");
  return {
    campaign: readAddress(body.campaign, "campaign"),
    claim: {
      payee: readAddress(c.payee, "claim.payee"),
      feeRecipient: readAddress(c.feeRecipient, "claim.feeRecipient"),
      maxFee: readUint(c.maxFee, "claim.maxFee", MAX_UINT256).toString(),
      proof: proof.map((x, i) => readBytes32(x, `claim.proof[${i}]`)),
      r: readBytes32(c.r, "claim.r"),
      vs: readBytes32(c.vs, "claim.vs"),
    },
  };
}

class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number, private readonly burst: number) {}

  take(client: string): boolean {
    const now = Date.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.buckets.clear();
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
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
  private readonly proofCache = new Map<string, { mtimeMs: number; file: ProofFile }>();
  private balanceCache: { at: number; value: bigint } | null = null;

  constructor(
    readonly options: Required<Omit<RelayerOptions, "proofsDir" | "factory" | "host">> &
      Pick<RelayerOptions, "proofsDir" | "factory" | "host">,
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
  }

  async stop(): Promise<void> {
    await this.submitter.stop();
    this.store.close();
  }

  private async campaignOrThrow(address: Address): Promise<CampaignInfo> {
    const info = await this.reader.campaign(address);
    if (!info) throw new RelayerError("UNKNOWN_CAMPAIGN", { campaign: address });
    return info;
  }

  /** Checks a signed pledge against the chain and the queue; stores it if it would succeed. */
  async acceptPledge(body: unknown): Promise<{ id: string; pledgeKey: Address; status: "queued" }> {
    const { campaign, pledge } = parsePledgeBody(body);
    const info = await this.campaignOrThrow(campaign);
    const support = BigInt(pledge.support);
    const digest = pledgeDigest(campaign, this.chainId, { level: pledge.level, support, nonce: pledge.nonce });
    const key =
      this.options.recoverWith === "node"
        ? await this.recoverer.recover(digest, pledge.r, pledge.vs)
        : await recoverCompact(digest, pledge.r, pledge.vs);
    const now = await this.reader.now();
    if (now > info.pledgeDeadline) {
      throw new RelayerError("PLEDGE_DEADLINE_PASSED", { deadline: info.pledgeDeadline.toString() });
    }
    if (pledge.level > info.levels) throw new RelayerError("LEVEL_OUT_OF_RANGE", { level: pledge.level, levels: info.levels });
    if (support > info.supportCap) {
      throw new RelayerError("SUPPORT_ABOVE_CAP", { support: pledge.support, cap: info.supportCap.toString() });
    }
    const campaignKey = campaign.toLowerCase();
    const keyLower = key.toLowerCase();
    const duplicate = this.store.pledgeRequest(campaignKey, keyLower, pledge.nonce);
    if (duplicate && duplicate.status !== "failed") {
      throw new RelayerError("DUPLICATE_PLEDGE", { id: duplicate.id, status: duplicate.status });
    }
    // What the key will have once everything accepted before is mined.
    const latest = this.store.latestPledge(campaignKey, keyLower);
    let expectedNonce: number;
    let currentLevel: number;
    if (latest && latest.status !== "confirmed") {
      expectedNonce = latest.nonce + 1;
      currentLevel = latest.level;
    } else if (latest || pledge.nonce !== 0) {
      const record = await this.reader.pledgeOf(campaign, key);
      expectedNonce = record.nonce;
      currentLevel = record.level;
    } else {
      // A key's first pledge, unknown here: nonce 0 and no pledge are what the chain holds for
      // nearly every such key, and the batch simulation before sending checks it against the chain
      // (a key that pledged elsewhere meanwhile ends "failed" with INVALID_NONCE). One read saved
      // per pledge is what lets the relayer take hundreds per second.
      expectedNonce = 0;
      currentLevel = 0;
    }
    if (pledge.nonce !== expectedNonce) {
      throw new RelayerError("INVALID_NONCE", { expected: expectedNonce, given: pledge.nonce });
    }
    if (pledge.level === 0 && currentLevel === 0) throw new RelayerError("NOT_PLEDGED", { pledgeKey: key });
    if (info.attester !== ZERO_ADDRESS && pledge.nonce === 0) {
      if (pledge.voucher === "0x") throw new RelayerError("VOUCHER_REQUIRED");
      // An account's voucher is a 65-byte signature, checked here; a contract attester's (ERC-1271) is
      // left to the campaign, which skips the item with InvalidVoucher if it refuses it.
      if (pledge.voucher.length === 132) {
        let attester: Address;
        try {
          attester = await recoverAddress({ hash: voucherDigest(campaign, this.chainId, key), signature: pledge.voucher });
        } catch {
          throw new RelayerError("INVALID_VOUCHER");
        }
        if (attester !== info.attester) throw new RelayerError("INVALID_VOUCHER");
      }
    }
    const id = randomUUID();
    try {
      this.store.addRequest({
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
      if (again && again.status !== "failed") throw new RelayerError("DUPLICATE_PLEDGE", { id: again.id, status: again.status });
      if (again) {
        // A failed earlier attempt of the same nonce: this one replaces it.
        this.store.db.prepare(`DELETE FROM requests WHERE id = ?`).run(again.id);
        return this.acceptPledge(body);
      }
      throw error;
    }
    return { id, pledgeKey: key, status: "queued" };
  }

  /** Checks a signed claim against the chain; stores it if it would succeed. */
  async acceptClaim(body: unknown): Promise<{ id: string; pledgeKey: Address; status: "queued" }> {
    const { campaign, claim } = parseClaimBody(body);
    const info = await this.campaignOrThrow(campaign);
    const maxFee = BigInt(claim.maxFee);
    const key = await recoverCompact(
      claimDigest(campaign, this.chainId, { payee: claim.payee, feeRecipient: claim.feeRecipient, maxFee }),
      claim.r,
      claim.vs,
    );
    if (claim.payee === ZERO_ADDRESS) throw new RelayerError("ZERO_PAYEE");
    if (maxFee > 0n && claim.feeRecipient !== this.address) {
      throw new RelayerError("WRONG_FEE_RECIPIENT", { expected: this.address });
    }
    if (maxFee < this.options.claimFee && claim.feeRecipient === this.address) {
      throw new RelayerError("FEE_TOO_LOW", { fee: this.options.claimFee.toString() });
    }
    const [status, record, windows, now] = await Promise.all([
      this.reader.status(campaign),
      this.reader.pledgeOf(campaign, key),
      this.reader.windows(campaign),
      this.reader.now(),
    ]);
    if (status.phase !== 2) throw new RelayerError("NOT_RESOLVED");
    if (status.tippingLevel === 0) throw new RelayerError("CAMPAIGN_FAILED");
    if (record.level === 0 || record.level > status.tippingLevel) throw new RelayerError("PLEDGE_NOT_TRIGGERED", { pledgeKey: key });
    if (record.claimed) throw new RelayerError("ALREADY_CLAIMED", { pledgeKey: key });
    const [oracleEnd, claimEnd] = windows;
    if (now > claimEnd) throw new RelayerError("CLAIM_WINDOW_CLOSED", { claimEnd: claimEnd.toString() });
    if (info.oracle !== ZERO_ADDRESS) {
      const root = status.participationRoot;
      if (BigInt(root) === 0n) {
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
    // Entitlement: 2 NeedsProof, 3 Due; anything else pays nothing now.
    const [state, claimable] = await this.reader.claimableSupport(campaign, key);
    if (claimable === 0n || (state !== 2 && state !== 3)) throw new RelayerError("NOTHING_TO_CLAIM");
    const campaignKey = campaign.toLowerCase();
    const keyLower = key.toLowerCase();
    const active = this.store.claimInProgress(campaignKey, keyLower);
    if (active) throw new RelayerError("DUPLICATE_CLAIM", { id: active.id, status: active.status });
    const id = randomUUID();
    this.store.addRequest({ id, kind: "claim", campaign: campaignKey, pledgeKey: keyLower, nonce: 0, level: 0, payload: claim });
    return { id, pledgeKey: key, status: "queued" };
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
      ...(row.error ? { error: JSON.parse(row.error) as unknown } : {}),
    };
  }

  async status() {
    const at = Date.now();
    if (!this.balanceCache || at - this.balanceCache.at > 2_000) {
      this.balanceCache = { at, value: await this.reader.client.getBalance({ address: this.address }) };
    }
    const balance = this.balanceCache.value;
    const last = this.store.lastBatch();
    return {
      chainId: this.chainId,
      relayer: this.address,
      balance: balance.toString(),
      lowBalance: balance < this.options.lowBalanceWei,
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
    };
  }
}

function clientOf(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? "unknown";
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw new RelayerError("BODY_TOO_LARGE", { limit });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        reject(new RelayerError("BODY_TOO_LARGE", { limit }));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) {
        done = true;
        resolve(Buffer.concat(chunks).toString("utf8"));
      }
    });
    req.on("error", (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown, log: (line: string) => void): void {
  if (error instanceof RelayerError) {
    send(res, error.status, error.toBody());
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = /fetch failed|ECONNREFUSED|timed? ?out|HTTP request failed/i.test(message);
  log(`error: ${message.slice(0, 300)}`);
  send(res, unreachable ? 503 : 500, new RelayerError(unreachable ? "CHAIN_UNAVAILABLE" : "INTERNAL_ERROR").toBody());
}

/**
 * Starts the relayer's HTTP service and its submitter.
 * @example
 * const relayer = await startRelayer({ rpcUrl, privateKey, port: 0, dbPath: "relayer.db",
 *   corsOrigins: ["http://localhost:5173"], batchSize: 100, batchLatencyMs: 500 });
 * console.log(relayer.url); await relayer.close();
 */
export async function startRelayer(options: RelayerOptions): Promise<RelayerHandle> {
  const chainId = await createPublicClient({ transport: http(options.rpcUrl) }).getChainId();
  const relayer = new Relayer(
    {
      maxBodyBytes: 16 * 1024,
      rateLimit: { perSecond: 10, burst: 30 },
      claimFee: 0n,
      lowBalanceWei: 50_000_000_000_000_000n,
      replaceAfterMs: 60_000,
      maxInFlight: 4,
      chainTimeTtlMs: 1_000,
      recoverWith: "node",
      log: (line) => console.log(`[relayer] ${line}`),
      ...options,
    },
    chainId,
  );
  const { log, maxBodyBytes } = relayer.options;
  const limiter = new RateLimiter(relayer.options.rateLimit.perSecond, relayer.options.rateLimit.burst);
  const allowAny = options.corsOrigins.includes("*");

  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && (allowAny || options.corsOrigins.includes(origin))) {
      res.setHeader("access-control-allow-origin", allowAny ? "*" : origin);
      res.setHeader("vary", "origin");
      res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
      res.setHeader("access-control-allow-headers", "content-type");
      res.setHeader("access-control-max-age", "600");
    }
    void (async () => {
      try {
        const url = new URL(req.url ?? "/", "http://relayer");
        const parts = url.pathname.split("/").filter(Boolean);
        if (req.method === "OPTIONS") {
          if (origin && !allowAny && !options.corsOrigins.includes(origin)) throw new RelayerError("ORIGIN_NOT_ALLOWED");
          res.writeHead(204);
          res.end();
          return;
        }
        if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { ok: true });
        if (req.method === "GET" && url.pathname === "/status") return send(res, 200, await relayer.status());
        if (req.method === "GET" && url.pathname === "/v1/errors") return send(res, 200, ERRORS);
        if (req.method === "GET" && parts[0] === "v1" && parts[1] === "requests" && parts.length === 3) {
          const found = relayer.request(parts[2]);
          if (!found) throw new RelayerError("NOT_FOUND");
          return send(res, 200, found);
        }
        if (req.method === "GET" && parts[0] === "v1" && parts[1] === "proofs" && parts.length === 4) {
          if (!isAddress(parts[2], { strict: false }) || !isAddress(parts[3], { strict: false })) {
            throw new RelayerError("NOT_FOUND");
          }
          const proof = await relayer.proofFor(getAddress(parts[2]), getAddress(parts[3]));
          if (!proof) throw new RelayerError("NOT_FOUND");
          return send(res, 200, proof);
        }
        if (url.pathname === "/v1/pledges" || url.pathname === "/v1/claims") {
          if (req.method !== "POST") throw new RelayerError("METHOD_NOT_ALLOWED");
          if (!limiter.take(clientOf(req))) {
            res.setHeader("retry-after", "1");
            throw new RelayerError("RATE_LIMITED");
          }
          const type = req.headers["content-type"] ?? "";
          if (!/^application\/json\b/i.test(type)) throw new RelayerError("UNSUPPORTED_MEDIA_TYPE");
          const text = await readBody(req, maxBodyBytes);
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            throw new RelayerError("INVALID_JSON");
          }
          const accepted =
            url.pathname === "/v1/pledges" ? await relayer.acceptPledge(body) : await relayer.acceptClaim(body);
          return send(res, 202, accepted);
        }
        throw new RelayerError("NOT_FOUND");
      } catch (error) {
        sendError(res, error, log);
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  relayer.start();
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
  log(`listening on ${url}, chain ${chainId}, gas account ${relayer.address}`);
  return {
    url,
    address: relayer.address,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await relayer.stop();
    },
  };
}

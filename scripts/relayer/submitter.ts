/**
 * Sends what the relayer accepted: pledges in batches, claims one by one. `pledgeBatch` skips an
 * invalid item (PledgeSkipped) instead of reverting, so a batch that passes its gas estimate may
 * still carry items the relayer pays for and nothing lands: every batch is first run item by item,
 * in order, in one eth_call (probe.ts), and the items the campaign would skip are dropped with
 * their reason before anything is signed.
 * One account, nonces assigned here; each signed transaction is stored before broadcast, re-sent
 * as is after a restart, and replaced with higher fees when stuck.
 */
import {
  type Log,
  decodeFunctionData,
  parseAbi,
  parseEventLogs,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
  TransactionReceiptNotFoundError,
  encodeFunctionData,
  getAddress,
  keccak256,
} from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { recordedCondition } from "@bascule/core/model";
import { type SignedPledge, decodePledges, encodePledge, encodePledges } from "@bascule/core/signing";
import { ERRORS, type ErrorCode, SKIP_REASONS } from "./errors.js";
import { errorCodeOf } from "./chain.js";
import { BatchProbe, ProbeCallError, type ProbeResult } from "./probe.js";
import { isTransportError } from "./voucher.js";
import type { BatchRow, RequestRow, Store } from "./store.js";

export interface SubmitterOptions {
  batchSize: number;
  batchLatencyMs: number;
  /**
   * A transaction not mined after this long is sent again; it is replaced with 12.5 %+ higher fees
   * only if the network now asks more than it offers (see `replace`).
   */
  replaceAfterMs: number;
  maxInFlight: number;
  /** Fee the relayer keeps on each claim (token units), never above the signed maximum. */
  claimFee: bigint;
  /** How many times a request is re-checked after its batch reverted, before it is given up. */
  maxAttempts: number;
  log: (line: string) => void;
}

export interface StoredClaim {
  payee: Address;
  feeRecipient: Address;
  maxFee: string;
  proof: Hex[];
  r: Hex;
  vs: Hex;
}

export interface StoredPledge {
  level: number;
  support: string;
  /** The condition signed (0: none); absent in rows stored before conditions, which is 0. */
  condition: number;
  nonce: number;
  r: Hex;
  vs: Hex;
  /** The attester's voucher (ICampaign.SignedPledge.voucher), "0x" if none. */
  voucher: Hex;
}

export function toSignedPledge(p: StoredPledge): SignedPledge {
  return { ...p, support: BigInt(p.support), condition: p.condition ?? 0 };
}

/** ICampaign's PledgeSkipped (issue 8); the enum SkipReason is a uint8 in the ABI. */
const PLEDGE_SKIPPED_ABI = parseAbi([
  "event PledgeSkipped(uint256 indexed index, address indexed pledgeKey, uint8 reason)",
]);

/** A skipped batch item: done (no error: the same pledge is on-chain) or failed with the reason. */
export interface SkippedItem {
  id: string;
  error?: ReturnType<typeof errorJson>;
}

function errorJson(code: ErrorCode, details?: Record<string, unknown>) {
  return { code, message: ERRORS[code].message, ...(details ? { details } : {}) };
}

export class Submitter {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private nextNonce: number | null = null;
  private readonly probe: BatchProbe;

  constructor(
    private readonly store: Store,
    private readonly client: PublicClient,
    private readonly wallet: WalletClient,
    private readonly account: Account,
    private readonly chain: Chain,
    private readonly options: SubmitterOptions,
  ) {
    this.probe = new BatchProbe(client, account.address);
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.step()
        .catch((error: unknown) =>
          this.options.log(`submitter: ${error instanceof Error ? error.message : String(error)}`),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, Math.max(10, Math.min(this.options.batchLatencyMs, 100)));
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }

  /** One pass: follow in-flight transactions, then send what is due. */
  async step(): Promise<void> {
    await this.followPending();
    let inFlight = this.store.pendingBatches().length;
    while (inFlight < this.options.maxInFlight && !this.stopped) {
      const sent = (await this.sendPledgeBatch()) || (await this.sendClaim());
      if (!sent) break;
      inFlight += 1;
    }
  }

  private async accountNonce(): Promise<number> {
    if (this.nextNonce === null) {
      const onChain = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
      this.nextNonce = Math.max(onChain, this.store.highestTxNonce() + 1);
    }
    return this.nextNonce;
  }

  private async followPending(): Promise<void> {
    for (const batch of this.store.pendingBatches()) {
      let receipt = await this.receiptOf(batch);
      let onChainNonce: number | null = null;
      if (!receipt) {
        onChainNonce = await this.client.getTransactionCount({ address: this.account.address, blockTag: "latest" });
        // The block may have been mined between the two reads: look again before concluding that
        // another transaction took the nonce (which would send the batch's requests again).
        if (onChainNonce > batch.tx_nonce) receipt = await this.receiptOf(batch);
      }
      if (receipt) {
        if (receipt.status === "success") {
          const skipped = batch.kind === "pledge" ? await this.skippedItems(batch, receipt.logs) : [];
          // One transaction: a crash before it leaves the batch "signed", and the next pass reads the receipt again.
          this.store.confirmBatch(batch.id, receipt.transactionHash, skipped);
          const failed = skipped.filter((s) => s.error).length;
          this.options.log(
            `batch ${batch.id}: ${batch.request_count} ${batch.kind}(s) in ${receipt.transactionHash}` +
              (skipped.length
                ? `, ${skipped.length} skipped (${failed} failed, ${skipped.length - failed} already on-chain)`
                : ""),
          );
        } else {
          this.store.markBatchReverted(batch.id, receipt.transactionHash);
          this.options.log(`batch ${batch.id} reverted in ${receipt.transactionHash}; its requests are checked again`);
          for (const request of this.store.batchRequests(batch.id)) this.retryOrFail(request, "TRANSACTION_FAILED");
        }
        continue;
      }
      if (onChainNonce !== null && onChainNonce > batch.tx_nonce) {
        // Another transaction took this nonce (the account was used elsewhere): check everything again.
        this.store.markBatchReverted(batch.id, batch.tx_hash as Hex);
        for (const request of this.store.batchRequests(batch.id)) this.retryOrFail(request, "TRANSACTION_FAILED");
        continue;
      }
      if (Date.now() - batch.sent_at >= this.options.replaceAfterMs) await this.replace(batch);
      else await this.broadcast(batch.raw_tx as Hex);
    }
  }

  /** The receipt of whichever of the batch's transactions (the first, its replacements) was mined, if any. */
  private async receiptOf(batch: BatchRow) {
    for (const hash of this.store.batchHashes(batch.id)) {
      try {
        return await this.client.getTransactionReceipt({ hash });
      } catch (error) {
        if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
      }
    }
    return null;
  }

  /**
   * The items of a mined pledge batch that the campaign skipped (`PledgeSkipped`). One skipped
   * because the very same pledge is already on-chain (its nonce is used and `pledgeOf` holds its
   * level, support and recorded condition: someone copied it and sent it first) is done; any other
   * fails with the event's reason, in French and English.
   */
  private async skippedItems(batch: BatchRow, logs: readonly Log[]): Promise<SkippedItem[]> {
    const events = parseEventLogs({
      abi: PLEDGE_SKIPPED_ABI,
      logs: logs as Log[],
      eventName: "PledgeSkipped",
      strict: true,
    }).filter((e) => e.address.toLowerCase() === batch.campaign.toLowerCase());
    if (events.length === 0) return [];
    const { args } = decodeFunctionData({ abi: campaignAbi, data: batch.data as Hex });
    const items = decodePledges((args?.[0] ?? "0x") as Hex);
    const rows = this.store.batchRequests(batch.id);
    const bySignature = new Map(
      rows.map((row) => {
        const p = JSON.parse(row.payload) as StoredPledge;
        return [`${p.r}${p.vs}`.toLowerCase(), { row, pledge: p }] as const;
      }),
    );
    const out: SkippedItem[] = [];
    for (const event of events) {
      const item = items[Number(event.args.index)];
      const match = item && bySignature.get(`${item.r}${item.vs}`.toLowerCase());
      if (!match) continue;
      const reason = Number(event.args.reason);
      const code = SKIP_REASONS[reason] ?? "SIMULATION_FAILED";
      // Another pledge of the key at this nonce (signed on another device) may have the same level
      // and support and another condition: then it is not this pledge, and this one failed.
      if (
        code === "INVALID_NONCE" &&
        (await this.sameOnChain(getAddress(batch.campaign), match.row, toSignedPledge(match.pledge)))
      ) {
        out.push({ id: match.row.id });
        continue;
      }
      out.push({
        id: match.row.id,
        error: errorJson(code, { skipped: true, index: Number(event.args.index), reason }),
      });
    }
    return out;
  }

  private retryOrFail(request: RequestRow, code: ErrorCode): void {
    if (request.attempts + 1 >= this.options.maxAttempts) this.store.failRequest(request.id, errorJson(code));
    else this.store.requeue(request.id);
  }

  /** Sends a raw transaction; "already known" and the like mean it is in the pool already. */
  private async broadcast(raw: Hex): Promise<void> {
    try {
      await this.client.sendRawTransaction({ serializedTransaction: raw });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!/already known|known transaction|already imported|nonce too low|replacement/i.test(message)) throw error;
    }
  }

  /**
   * A batch transaction not mined after `replaceAfterMs`. If the network's fees have risen above
   * what it offers, it is replaced at the same nonce with fees 12.5 % higher (the pools' minimum
   * for a replacement) or the network's, whichever is more. Otherwise it is not underpriced: it
   * waits for something else (mining stopped, a pool that dropped it, a key that cannot pay), so
   * it is sent again as it is. Raising fees there would only compound, +12.5 % a minute while the
   * key is empty, and the first transaction mined once it is funded would pay all of it.
   */
  private async replace(batch: BatchRow): Promise<void> {
    const bump = (value: bigint) => (value * 1125n) / 1000n + 1n;
    const fees = await this.client.estimateFeesPerGas();
    const underpriced =
      fees.maxFeePerGas > BigInt(batch.max_fee_per_gas) ||
      fees.maxPriorityFeePerGas > BigInt(batch.max_priority_fee_per_gas);
    if (!underpriced) {
      this.store.touchBatch(batch.id, Date.now());
      await this.broadcast(batch.raw_tx as Hex);
      return;
    }
    const maxFeePerGas = [bump(BigInt(batch.max_fee_per_gas)), fees.maxFeePerGas].reduce((a, b) => (a > b ? a : b));
    const maxPriorityFeePerGas = [bump(BigInt(batch.max_priority_fee_per_gas)), fees.maxPriorityFeePerGas].reduce(
      (a, b) => (a > b ? a : b),
    );
    const raw = await this.wallet.signTransaction({
      account: this.account,
      chain: this.chain,
      to: getAddress(batch.campaign),
      data: batch.data as Hex,
      gas: BigInt(batch.gas),
      nonce: batch.tx_nonce,
      maxFeePerGas,
      maxPriorityFeePerGas,
      type: "eip1559",
    });
    const hash = keccak256(raw);
    this.store.replaceBatchTx(batch.id, { hash, raw, maxFeePerGas, maxPriorityFeePerGas });
    this.options.log(`batch ${batch.id}: replaced stuck transaction with ${hash}`);
    await this.broadcast(raw);
  }

  /** Signs, stores, then broadcasts one transaction carrying `requests`. */
  private async submit(kind: "pledge" | "claim", campaign: Address, data: Hex, gas: bigint, requests: RequestRow[]) {
    const nonce = await this.accountNonce();
    const fees = await this.client.estimateFeesPerGas();
    const raw = await this.wallet.signTransaction({
      account: this.account,
      chain: this.chain,
      to: campaign,
      data,
      gas,
      nonce,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      type: "eip1559",
    });
    const hash = keccak256(raw);
    this.store.recordBatch(
      {
        kind,
        campaign,
        tx_nonce: nonce,
        tx_hash: hash,
        raw_tx: raw,
        max_fee_per_gas: fees.maxFeePerGas.toString(),
        max_priority_fee_per_gas: fees.maxPriorityFeePerGas.toString(),
        data,
        gas: gas.toString(),
        sent_at: Date.now(),
        request_count: requests.length,
      },
      requests.map((r) => r.id),
    );
    this.nextNonce = nonce + 1;
    await this.broadcast(raw);
    return hash;
  }

  /** Picks the next pledge batch (one campaign), drops what would fail, and sends it. */
  private async sendPledgeBatch(): Promise<boolean> {
    const oldest = this.store.oldestQueued("pledge");
    if (!oldest) return false;
    const due =
      this.store.queuedCount("pledge") >= this.options.batchSize ||
      Date.now() - oldest.created_at >= this.options.batchLatencyMs;
    if (!due) return false;
    const campaign = getAddress(oldest.campaign);
    let items = this.store
      .queued("pledge", oldest.campaign, this.options.batchSize * 2)
      // A key's later change waits until its earlier one, already in flight, is mined.
      .filter((r) => !this.store.hasEarlierPending(r.campaign, r.pledge_key, r.nonce, "submitted"));
    items = this.inNonceOrder(items).slice(0, this.options.batchSize);
    if (items.length === 0) return false;
    items = await this.probeBatch(campaign, items);
    if (items.length === 0) return true;
    for (let round = 0; round < 3 && items.length > 0; round++) {
      const batch = items.map((r) => toSignedPledge(JSON.parse(r.payload) as StoredPledge));
      const data = encodeFunctionData({ abi: campaignAbi, functionName: "pledgeBatch", args: [encodePledges(batch)] });
      try {
        const gas = await this.client.estimateGas({ account: this.account, to: campaign, data });
        await this.submit("pledge", campaign, data, (gas * 12n) / 10n + 20_000n, items);
        return true;
      } catch (error) {
        if (!errorCodeOf(error).details?.contractError) throw error;
        items = await this.dropFailing(campaign, items);
      }
    }
    if (items.length > 0) {
      // Each item passes alone but not together: send the first alone, the rest follow.
      const first = items[0];
      const data = encodeFunctionData({
        abi: campaignAbi,
        functionName: "pledgeBatch",
        args: [encodePledges([toSignedPledge(JSON.parse(first.payload) as StoredPledge)])],
      });
      try {
        const gas = await this.client.estimateGas({ account: this.account, to: campaign, data });
        await this.submit("pledge", campaign, data, (gas * 12n) / 10n + 20_000n, [first]);
      } catch (error) {
        const { code, details } = errorCodeOf(error);
        if (!details?.contractError) throw error;
        this.store.failRequest(first.id, errorJson(code, details));
      }
    }
    return true;
  }

  /** Keeps, per key, only requests in nonce order following what the chain expects. */
  private inNonceOrder(rows: RequestRow[]): RequestRow[] {
    const sorted = [...rows].sort((a, b) => a.seq - b.seq);
    const lastByKey = new Map<string, number>();
    const out: RequestRow[] = [];
    for (const row of sorted) {
      const last = lastByKey.get(row.pledge_key);
      if (last !== undefined && row.nonce !== last + 1) continue;
      lastByKey.set(row.pledge_key, row.nonce);
      out.push(row);
    }
    return out;
  }

  /**
   * Runs `items` as `pledgeBatch` would, without sending anything (probe.ts), and drops every item
   * that would be skipped: failed with the reason's code and FR/EN message, or confirmed if the very
   * same pledge is already on-chain (copied and mined first). A failed item writes nothing, so the
   * kept ones land together as they did in the probe. Only as many items as one probe can carry are
   * taken; the rest wait for the next batch. If the call itself fails (not an item: the endpoint's
   * gas cap for eth_call, say), the first half is probed instead; a network failure is thrown (next pass).
   */
  private async probeBatch(campaign: Address, items: RequestRow[]): Promise<RequestRow[]> {
    const all = items.map((r) => toSignedPledge(JSON.parse(r.payload) as StoredPledge));
    let n = await this.probe.fit(all);
    for (;;) {
      const rows = items.slice(0, n);
      const pledges = all.slice(0, n);
      let results: ProbeResult[];
      try {
        results = await this.probe.run(campaign, pledges);
      } catch (error) {
        if (!(error instanceof ProbeCallError) || isTransportError(error.cause)) throw error;
        if (n === 1) {
          // Not even one pledge can be run here: the relayer will not pay for what it cannot check.
          this.store.failRequest(rows[0].id, errorJson("SIMULATION_FAILED", { reason: error.message, dropped: true }));
          this.options.log(`pledge ${rows[0].id} dropped before sending: ${error.message}`);
          return [];
        }
        this.options.log(`${error.message} (${n} pledges); probing the first ${Math.ceil(n / 2)}`);
        n = Math.ceil(n / 2);
        continue;
      }
      const kept: RequestRow[] = [];
      const dropped = new Map<string, number>();
      for (let i = 0; i < rows.length; i++) {
        const result = results[i];
        if (result.status === "success") {
          kept.push(rows[i]);
          continue;
        }
        const { code, details } = errorCodeOf(result.error);
        if (code === "INVALID_NONCE" && (await this.sameOnChain(campaign, rows[i], pledges[i]))) {
          this.store.confirmWithoutBatch(rows[i].id);
          dropped.set("already on-chain", (dropped.get("already on-chain") ?? 0) + 1);
          continue;
        }
        this.store.failRequest(rows[i].id, errorJson(code, { ...details, dropped: true }));
        dropped.set(code, (dropped.get(code) ?? 0) + 1);
      }
      if (dropped.size > 0) {
        this.options.log(
          `batch probe: ${rows.length - kept.length} of ${rows.length} pledges dropped before sending (` +
            [...dropped].map(([code, count]) => `${code} ×${count}`).join(", ") +
            ")",
        );
      }
      return kept;
    }
  }

  /**
   * Whether the key's on-chain record is exactly this pledge (its nonce used, and the level, support
   * and recorded condition it sets): someone else sent the very same signed pledge.
   */
  private async sameOnChain(campaign: Address, row: RequestRow, pledge: SignedPledge): Promise<boolean> {
    const record = await this.client.readContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeOf",
      args: [getAddress(row.pledge_key)],
    });
    const support = pledge.level === 0 ? 0n : pledge.support;
    return (
      record.nonce === pledge.nonce + 1 &&
      record.level === pledge.level &&
      record.support === support &&
      record.condition === recordedCondition(pledge)
    );
  }

  /** Simulates each item alone against the chain; marks failing ones failed with their reason. */
  private async dropFailing(campaign: Address, items: RequestRow[]): Promise<RequestRow[]> {
    const kept: RequestRow[] = [];
    const keysDropped = new Set<string>();
    const seenKey = new Set<string>();
    for (const row of items) {
      if (keysDropped.has(row.pledge_key)) continue;
      if (seenKey.has(row.pledge_key)) {
        // A later nonce of a key already kept: it can only be checked after the earlier one lands.
        continue;
      }
      seenKey.add(row.pledge_key);
      const pledge = toSignedPledge(JSON.parse(row.payload) as StoredPledge);
      try {
        await this.client.simulateContract({
          account: this.account,
          address: campaign,
          abi: campaignAbi,
          functionName: "pledge",
          args: [encodePledge(pledge)],
        });
        kept.push(row);
      } catch (error) {
        const { code, details } = errorCodeOf(error);
        // Only a revert is a verdict on the pledge; a network failure is retried on the next pass.
        if (!details?.contractError) throw error;
        keysDropped.add(row.pledge_key);
        this.store.failRequest(row.id, errorJson(code, details));
        this.options.log(`pledge ${row.id} dropped before sending: ${code}`);
      }
    }
    return kept;
  }

  private async sendClaim(): Promise<boolean> {
    const row = this.store.oldestQueued("claim");
    if (!row) return false;
    const campaign = getAddress(row.campaign);
    const stored = JSON.parse(row.payload) as StoredClaim;
    const maxFee = BigInt(stored.maxFee);
    try {
      const [, claimable] = await this.client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "claimableSupport",
        args: [getAddress(row.pledge_key)],
      });
      let fee = this.options.claimFee < maxFee ? this.options.claimFee : maxFee;
      if (fee > claimable) fee = claimable;
      if (stored.feeRecipient.toLowerCase() !== this.account.address.toLowerCase()) fee = 0n;
      const args = [{ ...stored, maxFee, fee }] as const;
      const data = encodeFunctionData({ abi: campaignAbi, functionName: "claim", args });
      await this.client.simulateContract({
        account: this.account,
        address: campaign,
        abi: campaignAbi,
        functionName: "claim",
        args,
      });
      const gas = await this.client.estimateGas({ account: this.account, to: campaign, data });
      await this.submit("claim", campaign, data, (gas * 12n) / 10n + 10_000n, [row]);
    } catch (error) {
      const { code, details } = errorCodeOf(error);
      if (!details?.contractError) throw error;
      this.store.failRequest(row.id, errorJson(code, details));
      this.options.log(`claim ${row.id} dropped before sending: ${code}`);
    }
    return true;
  }
}

/**
 * The batch simulation before sending (submitter.ts, probeBatch): pledges run as `pledgeBatch` would
 * run them, in order, without sending anything. `pledgeBatch` skips an invalid item instead of
 * reverting, so its gas estimate cannot tell; `pledge(item)` reverts with the reason `pledgeBatch`
 * would skip the item for (Campaign._revertFor). One eth_call of Multicall3's `aggregate3` calls
 * `pledge(item)` for each item, in order: an item sees the state the ones before it leave (a key's
 * next nonce, a level's requested total) and a failed item writes nothing, as in a batch.
 *
 * Where Multicall3 is deployed at its usual address (most chains), the call goes to it; elsewhere (a
 * local Hardhat node) viem sends its code with the call ("deployless"), and the whole call is then
 * creation code, which EIP-3860 limits to 49,152 bytes: `fit` says how many items one call can carry.
 */
import { type Address, type PublicClient, ContractFunctionExecutionError, encodeFunctionData, getAddress } from "viem";
import { campaignAbi } from "@bascule/core/generated/abis";
import { type SignedPledge, encodePledge } from "@bascule/core/signing";

/** Multicall3's address on every chain that has it (the same deployment transaction everywhere). */
export const MULTICALL3_ADDRESS = getAddress("0xcA11bde05977b3631167028862bE2a173976CA11");

/**
 * Calldata of `aggregate3` a deployless call may carry: EIP-3860's 49,152 bytes of creation code,
 * less viem's wrapper and Multicall3's own code (about 6,100 bytes), with a margin.
 */
export const DEPLOYLESS_CALLDATA_BYTES = 40_000;

/** One item's verdict: it would land, or the campaign's revert saying why it would be skipped. */
export type ProbeResult = { status: "success" } | { status: "failure"; error: unknown };

/** The probe's call itself failed (not an item): the network, or the endpoint's limits. */
export class ProbeCallError extends Error {
  constructor(readonly cause: unknown) {
    super(`batch probe failed: ${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)}`);
    this.name = "ProbeCallError";
  }
}

export class BatchProbe {
  private multicall3: Promise<boolean> | null = null;

  constructor(
    private readonly client: PublicClient,
    private readonly from: Address,
  ) {}

  /** Whether Multicall3 is deployed here (read once; a failed read is read again next time). */
  private deployed(): Promise<boolean> {
    if (!this.multicall3) {
      this.multicall3 = this.client.getCode({ address: MULTICALL3_ADDRESS }).then((code) => !!code && code !== "0x");
      this.multicall3.catch(() => (this.multicall3 = null));
    }
    return this.multicall3;
  }

  /** How many of `pledges`, from the first, one probe can run (at least one). */
  async fit(pledges: readonly SignedPledge[]): Promise<number> {
    if (await this.deployed()) return pledges.length;
    let bytes = 100;
    for (let i = 0; i < pledges.length; i++) {
      const call = encodeFunctionData({ abi: campaignAbi, functionName: "pledge", args: [encodePledge(pledges[i])] });
      // A Call3 (target, allowFailure, offset, length) and its padded calldata, and its offset in the array.
      bytes += 4 * 32 + Math.ceil((call.length - 2) / 2 / 32) * 32 + 32;
      if (bytes > DEPLOYLESS_CALLDATA_BYTES) return Math.max(1, i);
    }
    return pledges.length;
  }

  /** Runs `pledges` in order against `campaign`; throws ProbeCallError if the call itself failed. */
  async run(campaign: Address, pledges: readonly SignedPledge[]): Promise<ProbeResult[]> {
    const deployed = await this.deployed();
    const results = await this.client.multicall({
      contracts: pledges.map((p) => ({
        address: campaign,
        abi: campaignAbi,
        functionName: "pledge" as const,
        args: [encodePledge(p)] as const,
      })),
      allowFailure: true,
      // One call: chunks would not see each other's state.
      batchSize: 0,
      account: this.from,
      ...(deployed ? { multicallAddress: MULTICALL3_ADDRESS } : { deployless: true }),
    });
    // viem gives every item the call's own error when the call failed: an item's revert names `pledge`.
    const whole = results.find(
      (r) =>
        r.status === "failure" &&
        !(r.error instanceof ContractFunctionExecutionError && r.error.functionName === "pledge"),
    );
    if (whole?.status === "failure") throw new ProbeCallError(whole.error);
    return results.map((r) => (r.status === "success" ? { status: "success" } : { status: "failure", error: r.error }));
  }
}

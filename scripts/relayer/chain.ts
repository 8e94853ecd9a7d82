/**
 * What the relayer reads from a campaign, with small caches: parameters never change, so they are
 * read once; the chain time is refreshed at most every `timeTtlMs`.
 */
import {
  type Address,
  type Hex,
  type PublicClient,
  BaseError,
  ContractFunctionRevertedError,
  compactSignatureToSignature,
  concat,
  pad,
  toHex,
  getAddress,
  recoverAddress,
} from "viem";
import { campaignAbi, campaignFactoryAbi } from "@bascule/core/generated/abis";
import { CONTRACT_ERRORS, type ErrorCode, RelayerError } from "./errors.js";
import type { CampaignParameters } from "@bascule/core/campaign-params";

/** secp256k1 group order / 2: signatures with a higher s are refused (malleability). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface CampaignInfo extends Omit<CampaignParameters, "metadataHash"> {
  address: Address;
  levels: number;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Address;

/** Recovers the signer of an EIP-712 digest from an ERC-2098 signature, as the contract does. */
export async function recoverCompact(hash: Hex, r: Hex, vs: Hex): Promise<Address> {
  const signature = compactSignatureToSignature({ r, yParityAndS: vs });
  const s = BigInt(signature.s);
  if (BigInt(r) === 0n || s === 0n || s > HALF_N) throw new RelayerError("INVALID_SIGNATURE");
  try {
    return await recoverAddress({ hash, signature });
  } catch {
    throw new RelayerError("INVALID_SIGNATURE");
  }
}

/**
 * Runtime code run through `eth_call` with a state override (never deployed): for each 128-byte
 * (hash, v, r, s) in the calldata it calls the ecrecover precompile and returns the 32-byte
 * results in order (zero where the signature is invalid). Hand-assembled, 59 bytes:
 * loop { calldatacopy(0, i, 128); mstore(128 + i/4, 0); staticcall(gas, 1, 0, 128, 128 + i/4, 32); i += 128 }
 * return(128, i/4)
 */
export const BATCH_ECRECOVER_CODE =
  "0x60005b803611156100345760808160003760008160021c6080015260208160021c6080016080600060015afa50608001610002565b60021c6080f3" as Hex;

/** Where the batch recoverer's code is placed for the call (an address nobody uses). */
export const BATCH_ECRECOVER_ADDRESS = "0x00000000000000000000000000000000ba5c0be1" as Address;

interface PendingRecovery {
  input: Hex;
  resolve: (address: Address) => void;
  reject: (error: unknown) => void;
}

/**
 * Recovers signers in batches: requests arriving within `waitMs` share one `eth_call`, so the
 * node's native ecrecover does the work and the JSON-RPC overhead is paid once per batch.
 */
export class BatchRecoverer {
  private queue: PendingRecovery[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: PublicClient,
    private readonly waitMs = 2,
    private readonly maxBatch = 256,
  ) {}

  recover(hash: Hex, r: Hex, vs: Hex): Promise<Address> {
    const vsValue = BigInt(vs);
    const s = vsValue & ((1n << 255n) - 1n);
    const v = 27n + (vsValue >> 255n);
    if (BigInt(r) === 0n || s === 0n || s > HALF_N) return Promise.reject(new RelayerError("INVALID_SIGNATURE"));
    const input = concat([hash, pad(toHex(v)), r, pad(toHex(s))]);
    return new Promise<Address>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else if (!this.timer) this.timer = setTimeout(() => this.flush(), this.waitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.client
      .call({
        to: BATCH_ECRECOVER_ADDRESS,
        data: concat(batch.map((p) => p.input)),
        stateOverride: [{ address: BATCH_ECRECOVER_ADDRESS, code: BATCH_ECRECOVER_CODE }],
      })
      .then(({ data }) => {
        const out = (data ?? "0x").slice(2);
        if (out.length !== batch.length * 64)
          throw new Error(`batch ecrecover returned ${out.length / 2} bytes for ${batch.length}`);
        batch.forEach((p, i) => {
          const word = out.slice(i * 64, (i + 1) * 64);
          if (BigInt(`0x${word}`) === 0n) p.reject(new RelayerError("INVALID_SIGNATURE"));
          else p.resolve(getAddress(`0x${word.slice(24)}`));
        });
      })
      .catch(() => {
        // An RPC without state overrides: recover in JavaScript instead (slower, same answer).
        for (const p of batch) {
          const input = p.input.slice(2);
          const hash = `0x${input.slice(0, 64)}` as Hex;
          const v = BigInt(`0x${input.slice(64, 128)}`);
          const r = `0x${input.slice(128, 192)}` as Hex;
          const s = BigInt(`0x${input.slice(192, 256)}`);
          const vs = pad(toHex(((v - 27n) << 255n) | s));
          recoverCompact(hash, r, vs).then(p.resolve, p.reject);
        }
      });
  }
}

/** The relayer's error code for a failed call or simulation against a campaign. */
export function errorCodeOf(error: unknown): { code: ErrorCode; details?: Record<string, unknown> } {
  if (error instanceof RelayerError) return { code: error.code, details: error.details };
  if (error instanceof BaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const name = reverted.data?.errorName;
      const code = name ? CONTRACT_ERRORS[name] : undefined;
      return {
        code: code ?? "SIMULATION_FAILED",
        details: { contractError: name ?? reverted.shortMessage, args: reverted.data?.args?.map(String) },
      };
    }
  }
  return {
    code: "SIMULATION_FAILED",
    details: { reason: error instanceof Error ? error.message.slice(0, 300) : String(error) },
  };
}

export class ChainReader {
  private readonly campaigns = new Map<string, Promise<CampaignInfo | null>>();
  private timeCache: { at: number; value: bigint } | null = null;

  constructor(
    readonly client: PublicClient,
    readonly chainId: number,
    private readonly factory: Address | undefined,
    private readonly timeTtlMs: number,
  ) {}

  /** The campaign's parameters, or null if there is no Bascule campaign at this address. */
  campaign(address: Address): Promise<CampaignInfo | null> {
    const key = address.toLowerCase();
    let cached = this.campaigns.get(key);
    if (!cached) {
      cached = this.loadCampaign(getAddress(address));
      this.campaigns.set(key, cached);
      // A network failure is not an answer: forget it so the next request tries again.
      cached.catch(() => this.campaigns.delete(key));
    }
    return cached;
  }

  private async loadCampaign(address: Address): Promise<CampaignInfo | null> {
    const code = await this.client.getCode({ address });
    if (!code || code === "0x") return null;
    if (this.factory) {
      const known = await this.client.readContract({
        address: this.factory,
        abi: campaignFactoryAbi,
        functionName: "isCampaign",
        args: [address],
      });
      if (!known) return null;
    }
    try {
      const [params] = await this.client.readContract({ address, abi: campaignAbi, functionName: "parameters" });
      return {
        address,
        token: params.token,
        pledgeDeadline: params.pledgeDeadline,
        finalLock: params.finalLock,
        actionDate: params.actionDate,
        oracleWindow: params.oracleWindow,
        claimWindow: params.claimWindow,
        supportCap: params.supportCap,
        conditions: params.conditions,
        attester: params.attester,
        oracle: params.oracle,
        levels: params.ladder.length,
        ladder: params.ladder,
      };
    } catch (error) {
      if (error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError)) return null;
      if (error instanceof BaseError && /returned no data|decode/i.test(error.message)) return null;
      throw error;
    }
  }

  /** The latest block's timestamp (what the contract compares deadlines with). */
  async now(): Promise<bigint> {
    const at = Date.now();
    if (this.timeCache && at - this.timeCache.at <= this.timeTtlMs) return this.timeCache.value;
    const block = await this.client.getBlock({ blockTag: "latest" });
    this.timeCache = { at, value: block.timestamp };
    return block.timestamp;
  }

  pledgeOf(campaign: Address, key: Address) {
    return this.client.readContract({ address: campaign, abi: campaignAbi, functionName: "pledgeOf", args: [key] });
  }

  status(campaign: Address) {
    return this.client.readContract({ address: campaign, abi: campaignAbi, functionName: "status" });
  }
}

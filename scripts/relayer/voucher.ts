/**
 * A gated campaign's voucher, checked before the relayer answers 202 as the campaign checks it in
 * `_applyPledge`: OpenZeppelin's `SignatureChecker.isValidSignatureNowCalldata(attester, digest,
 * voucher)` on the EIP-712 `Voucher(pledgeKey)` digest, which
 * - for an attester without code (an account) recovers with `ECDSA.tryRecoverCalldata`: exactly 65
 *   bytes (r, s, v), v 27 or 28, s in the lower half, and the signer must be the attester. ERC-2098's
 *   64-byte compact form is refused there (OpenZeppelin 5.7), so it is refused here too;
 * - for an attester with code (a contract, or an account delegated by EIP-7702) makes a static call of
 *   `isValidSignature(digest, voucher)` and accepts only a successful call whose first 32-byte word
 *   of return data is the selector 0x1626ba7e followed by zeros. The relayer makes the same call with
 *   `eth_call`, from the campaign's address (the attester sees the campaign as its caller), with at
 *   most VOUCHER_CHECK_GAS gas.
 *
 * The blind-voucher verifier (contracts/RsaVoucherVerifier.sol) answers "invalid" to anything but
 * exactly its modulus length (256 bytes), and to any caller but the one campaign it is bound to: an
 * attester whose code is that of a verifier built from the modulus, exponent and campaign it reports
 * is known to be one, and a voucher of another length is refused without a call (a look-alike
 * campaign naming it gets INVALID_VOUCHER from the call made as that campaign). What each attester is (account, verifier, other contract) is read once and kept for
 * `ttlMs` (an account may be given code by EIP-7702; the batch simulation before sending catches a
 * change in between).
 */
import {
  type Address,
  type Hex,
  type PublicClient,
  BaseError,
  ContractFunctionRevertedError,
  decodeFunctionResult,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  HttpRequestError,
  TimeoutError,
} from "viem";
import { rsaVoucherVerifierAbi, rsaVoucherVerifierBytecode } from "@bascule/core/generated/abis";
import { voucherDigest } from "@bascule/core/signing";
import { recoverCompact } from "./chain.js";
import { RelayerError } from "./errors.js";

/** What a campaign's attester is, for the voucher rules above. */
export type AttesterKind = { kind: "account" } | { kind: "rsa-verifier"; voucherBytes: number } | { kind: "contract" };

/** An account attester's voucher: r, s and v, as ECDSA.tryRecoverCalldata takes it. */
export const ACCOUNT_VOUCHER_BYTES = 65;

/**
 * Gas given to a contract attester's `isValidSignature` in the relayer's check (the campaign gives it
 * all it has). The blind-voucher verifier uses about 40,000 with e = 65537; an attester that needs
 * more than this is refused (INVALID_VOUCHER), and its vouchers can still be sent with a wallet.
 */
export const VOUCHER_CHECK_GAS = 300_000n;

/** Enough for the verifier's constructor and its code (about 5 KB), for the creation eth_call that rebuilds it. */
const VERIFIER_DEPLOY_GAS = 3_000_000n;

const ERC1271_MAGIC = `0x1626ba7e${"00".repeat(28)}`;

/** A network failure (no answer, a timeout, an HTTP error), as opposed to the node's verdict on a call. */
export function isTransportError(error: unknown): boolean {
  return (
    error instanceof BaseError && error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError) !== null
  );
}

/**
 * Whether a failed `eth_call` is the call's own failure (a revert, running out of gas, an invalid
 * instruction), which the campaign's static call would see as `success == false`; anything else (the
 * network, the endpoint's limits) is not a verdict and is thrown again.
 */
export function isCallFailure(error: unknown): boolean {
  if (!(error instanceof BaseError) || isTransportError(error)) return false;
  if (error.walk((e) => e instanceof ContractFunctionRevertedError) !== null) return true;
  return /revert|out of gas|invalid opcode|invalid jump|stack (?:under|over)flow|static call|write protection/i.test(
    error.message,
  );
}

export class VoucherChecker {
  private readonly kinds = new Map<string, { at: number; kind: Promise<AttesterKind> }>();

  constructor(
    private readonly client: PublicClient,
    private readonly chainId: number,
    private readonly ttlMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** What `attester` is now (read at most once per `ttlMs`). */
  kind(attester: Address): Promise<AttesterKind> {
    const key = attester.toLowerCase();
    const at = this.clock();
    const cached = this.kinds.get(key);
    if (cached && at - cached.at <= this.ttlMs) return cached.kind;
    const kind = this.detect(getAddress(attester));
    this.kinds.set(key, { at, kind });
    // A network failure is not an answer: forget it so the next request reads again.
    kind.catch(() => this.kinds.delete(key));
    return kind;
  }

  private async detect(attester: Address): Promise<AttesterKind> {
    const code = await this.client.getCode({ address: attester });
    if (!code || code === "0x") return { kind: "account" };
    let modulus: Hex;
    let exponent: bigint;
    let campaign: Address;
    try {
      // Bounded like the voucher check: an attester that burns what it is given costs the node little.
      const read = (functionName: "modulus" | "exponent" | "campaign") =>
        this.client.call({
          to: attester,
          gas: VOUCHER_CHECK_GAS,
          data: encodeFunctionData({ abi: rsaVoucherVerifierAbi, functionName }),
        });
      const [m, e, c] = await Promise.all([read("modulus"), read("exponent"), read("campaign")]);
      modulus = decodeFunctionResult({ abi: rsaVoucherVerifierAbi, functionName: "modulus", data: m.data ?? "0x" });
      exponent = decodeFunctionResult({ abi: rsaVoucherVerifierAbi, functionName: "exponent", data: e.data ?? "0x" });
      campaign = decodeFunctionResult({ abi: rsaVoucherVerifierAbi, functionName: "campaign", data: c.data ?? "0x" });
    } catch (error) {
      if (isTransportError(error)) throw error;
      return { kind: "contract" };
    }
    // The code a verifier built from this key would have: a contract-creation eth_call returns it.
    let expected: Hex | undefined;
    try {
      ({ data: expected } = await this.client.call({
        gas: VERIFIER_DEPLOY_GAS,
        data: encodeDeployData({
          abi: rsaVoucherVerifierAbi,
          bytecode: rsaVoucherVerifierBytecode,
          args: [modulus, exponent, campaign],
        }),
      }));
    } catch (error) {
      if (isTransportError(error)) throw error;
      return { kind: "contract" };
    }
    if (expected?.toLowerCase() !== code.toLowerCase()) return { kind: "contract" };
    return { kind: "rsa-verifier", voucherBytes: (modulus.length - 2) / 2 };
  }

  /**
   * Refuses, with the campaign's verdict, a key's first-pledge voucher the campaign would skip
   * (InvalidVoucher): VOUCHER_REQUIRED, INVALID_VOUCHER_LENGTH or INVALID_VOUCHER.
   * @example await checker.check(campaign, key, info.attester, pledge.voucher)
   */
  async check(campaign: Address, key: Address, attester: Address, voucher: Hex): Promise<void> {
    if (voucher === "0x") throw new RelayerError("VOUCHER_REQUIRED");
    const length = (voucher.length - 2) / 2;
    const kind = await this.kind(attester);
    const digest = voucherDigest(campaign, this.chainId, key);
    if (kind.kind === "account") {
      if (length !== ACCOUNT_VOUCHER_BYTES) {
        throw new RelayerError("INVALID_VOUCHER_LENGTH", { length, expected: ACCOUNT_VOUCHER_BYTES });
      }
      const r = voucher.slice(0, 66) as Hex;
      const s = BigInt(`0x${voucher.slice(66, 130)}`);
      const v = Number.parseInt(voucher.slice(130, 132), 16);
      if (v !== 27 && v !== 28) throw new RelayerError("INVALID_VOUCHER", { attester: "account" });
      // recoverCompact refuses r = 0, s = 0 and s above n/2, as ECDSA.tryRecover does.
      const vs = `0x${((BigInt(v - 27) << 255n) | s).toString(16).padStart(64, "0")}` as Hex;
      const signer = await recoverCompact(digest, r, vs).catch(() => null);
      if (signer?.toLowerCase() !== attester.toLowerCase())
        throw new RelayerError("INVALID_VOUCHER", { attester: "account" });
      return;
    }
    if (kind.kind === "rsa-verifier" && length !== kind.voucherBytes) {
      throw new RelayerError("INVALID_VOUCHER_LENGTH", { length, expected: kind.voucherBytes });
    }
    let answer: Hex | undefined;
    try {
      ({ data: answer } = await this.client.call({
        account: campaign,
        to: attester,
        gas: VOUCHER_CHECK_GAS,
        data: encodeFunctionData({
          abi: rsaVoucherVerifierAbi,
          functionName: "isValidSignature",
          args: [digest, voucher],
        }),
      }));
    } catch (error) {
      if (!isCallFailure(error)) throw error;
      answer = undefined;
    }
    if (!answer || answer.slice(0, 66).toLowerCase() !== ERC1271_MAGIC) {
      throw new RelayerError("INVALID_VOUCHER", { attester: kind.kind });
    }
  }
}

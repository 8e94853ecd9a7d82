/**
 * What a campaign's gate is, as the dApp says it before anyone pledges, donates or spends an invite
 * code (issue 20). The factory accepts any non-zero attester: "gated" on its own proves nothing, so
 * the attester is classified from its code:
 *
 * - `none`: no attester;
 * - `account`: an account without code, whose ECDSA signatures are the vouchers (the organiser's own
 *   key when it is the organiser's address);
 * - `verified`: the project's blind-voucher verifier (contracts/RsaVoucherVerifier.sol): its runtime
 *   code is a listed build's, immutables aside, and it is bound to THIS campaign (`campaign()`);
 * - `look-alike`: the project's verifier bound to ANOTHER campaign: it answers "invalid" here, so no
 *   voucher can ever count, and an invite code spent here is lost for the real campaign;
 * - `unchecked`: any other code (a contract, an account delegated by EIP-7702): it may accept anyone.
 *
 * The code comparison is scripts/verify's: the deployed code with its immutable slots zeroed must equal
 * the compiler's runtime output, byte for byte (its metadata hash included).
 */
import { type Address, type Hex, type PublicClient, getAddress, isAddressEqual, keccak256, zeroAddress } from "viem";
import { type RsaPublicKey, publicKeyFromModulus } from "./blind-rsa.ts";
import {
  rsaVoucherVerifierAbi,
  rsaVoucherVerifierDeployedBytecode,
  rsaVoucherVerifierImmutableRanges,
} from "./generated/abis.ts";

/** A build of the verifier the dApp recognises: its runtime code, immutable slots zeroed, and where they are. */
export interface VerifierBuild {
  deployedBytecode: Hex;
  immutableRanges: readonly { readonly start: number; readonly length: number }[];
}

/** The builds recognised by default: this repository's (packages/core/src/generated/abis.ts). */
export const VERIFIER_BUILDS: readonly VerifierBuild[] = [
  { deployedBytecode: rsaVoucherVerifierDeployedBytecode, immutableRanges: rsaVoucherVerifierImmutableRanges },
];

export type GateFacts =
  | { kind: "none" }
  | { kind: "account"; attester: Address; organiser: boolean }
  | { kind: "verified"; attester: Address; campaign: Address; key: RsaPublicKey & { keyId: Hex } }
  | { kind: "look-alike"; attester: Address; boundTo: Address; key: RsaPublicKey & { keyId: Hex } }
  | { kind: "unchecked"; attester: Address };

/**
 * Whether `code` is one of `builds`' runtime code once its immutables are zeroed.
 * @example isVerifierCode(await client.getCode({ address: attester })) // true for a verifier deployed from this build
 */
export function isVerifierCode(code: Hex | undefined, builds: readonly VerifierBuild[] = VERIFIER_BUILDS): boolean {
  if (!code || code === "0x") return false;
  const given = code.slice(2).toLowerCase();
  return builds.some(({ deployedBytecode, immutableRanges }) => {
    const expected = deployedBytecode.slice(2).toLowerCase();
    if (given.length !== expected.length) return false;
    let masked = "";
    let at = 0;
    for (const { start, length } of immutableRanges) {
      masked += given.slice(at * 2, start * 2) + "00".repeat(length);
      at = start + length;
    }
    masked += given.slice(at * 2);
    return masked === expected;
  });
}

/**
 * Classifies `attester` for `campaign` (see above). Reads the attester's code, and for a verifier its
 * `campaign()`, `modulus()` and `exponent()` (trusted only once the code is known to be ours).
 * @example
 * const gate = await readGateFacts(client, { campaign, attester: params.attester, organiser });
 * if (gate.kind === "look-alike") refuseToSpendCode();
 */
export async function readGateFacts(
  client: Pick<PublicClient, "getCode" | "readContract">,
  { campaign, attester, organiser }: { campaign: Address; attester: Address; organiser?: Address },
  builds: readonly VerifierBuild[] = VERIFIER_BUILDS,
): Promise<GateFacts> {
  if (isAddressEqual(attester, zeroAddress)) return { kind: "none" };
  const address = getAddress(attester);
  const code = await client.getCode({ address });
  if (!code || code === "0x") {
    return { kind: "account", attester: address, organiser: !!organiser && isAddressEqual(organiser, address) };
  }
  if (!isVerifierCode(code, builds)) return { kind: "unchecked", attester: address };
  const read = <F extends "campaign" | "modulus" | "exponent">(functionName: F) =>
    client.readContract({ address, abi: rsaVoucherVerifierAbi, functionName });
  const [boundTo, modulus, exponent] = await Promise.all([read("campaign"), read("modulus"), read("exponent")]);
  const key = { ...publicKeyFromModulus(modulus, exponent), keyId: keccak256(modulus) };
  return isAddressEqual(boundTo, campaign)
    ? { kind: "verified", attester: address, campaign: getAddress(campaign), key }
    : { kind: "look-alike", attester: address, boundTo: getAddress(boundTo), key };
}

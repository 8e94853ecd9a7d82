/**
 * Deploying and reading a blind-voucher verifier (contracts/RsaVoucherVerifier.sol) with viem: the
 * CLI and the dApp use the same functions. The attester service publishes the public key; the
 * verifier becomes the campaign's attester.
 */
import { type Address, type Hex, type PublicClient, type WalletClient, getAddress, hexToBigInt, keccak256 } from "viem";
import { type RsaPublicKey, assertPublicKey, publicKeyFromModulus } from "./blind-rsa.ts";
import { rsaVoucherVerifierAbi, rsaVoucherVerifierBytecode } from "./generated/abis.ts";

/** What the attester service answers at GET /keys/:keyId. */
export interface AttesterPublicKey {
  keyId: Hex;
  label: string;
  modulus: Hex;
  exponent: string;
}

/**
 * Fetches a campaign key from the attester service and checks its id is keccak256 of its modulus.
 * @example const key = await fetchAttesterKey("https://union.example/attester", keyId)
 */
export async function fetchAttesterKey(attesterUrl: string, keyId: Hex): Promise<AttesterPublicKey> {
  const res = await fetch(`${attesterUrl.replace(/\/$/, "")}/keys/${keyId}`);
  if (!res.ok) {
    throw new Error(
      `the attester answered ${res.status} for key ${keyId}: check its URL and the key id / le service d'attestation a répondu ${res.status} pour la clé ${keyId} : vérifiez son adresse et l'identifiant de clé`,
    );
  }
  const key = (await res.json()) as AttesterPublicKey;
  if (keccak256(key.modulus).toLowerCase() !== keyId.toLowerCase())
    throw new Error("the attester's key does not match its id / la clé du service ne correspond pas à son identifiant");
  assertPublicKey(publicKeyFromModulus(key.modulus, BigInt(key.exponent)));
  return key;
}

/** Deploys a verifier for a public key; returns its address once mined. */
export async function deployVerifier(
  wallet: WalletClient,
  client: PublicClient,
  key: { modulus: Hex; exponent: bigint },
): Promise<{ verifier: Address; txHash: Hex }> {
  assertPublicKey({ n: hexToBigInt(key.modulus), e: key.exponent });
  if (!wallet.account) throw new Error("no account");
  const txHash = await wallet.deployContract({
    abi: rsaVoucherVerifierAbi,
    bytecode: rsaVoucherVerifierBytecode,
    args: [key.modulus, key.exponent],
    account: wallet.account,
    chain: wallet.chain,
  });
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  if (!receipt.contractAddress || receipt.status !== "success") throw new Error("verifier deployment failed");
  return { verifier: getAddress(receipt.contractAddress), txHash };
}

/**
 * The public key held by a verifier, or null if `address` is not one (an EOA attester, another
 * contract). The dApp uses it to decide whether a campaign takes blind vouchers.
 */
export async function readVerifierKey(
  client: PublicClient,
  address: Address,
): Promise<(RsaPublicKey & { keyId: Hex }) | null> {
  try {
    const [modulus, exponent] = await Promise.all([
      client.readContract({ address, abi: rsaVoucherVerifierAbi, functionName: "modulus" }),
      client.readContract({ address, abi: rsaVoucherVerifierAbi, functionName: "exponent" }),
    ]);
    return { ...publicKeyFromModulus(modulus, exponent), keyId: keccak256(modulus) };
  } catch {
    return null;
  }
}

/**
 * Deploying and reading a blind-voucher verifier (contracts/RsaVoucherVerifier.sol) with viem: the
 * CLI and the demo use the same functions. The attester service publishes the public key; the
 * verifier, bound to one campaign, becomes that campaign's attester (docs/blind-vouchers.md).
 */
import {
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
  getAddress,
  getContractAddress,
  hexToBigInt,
  keccak256,
} from "viem";
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

/**
 * Where `deployer`'s next contract creation lands (CREATE: its address and nonce), and the nonce to
 * send it with. A verifier is bound to its campaign and the campaign names the verifier: the verifier's
 * address is predicted first, then the campaign's (`CampaignFactory.predictCampaign` with that
 * attester), then the verifier is deployed with this nonce and the campaign created.
 * @example const { address, nonce } = await predictVerifier(client, wallet.account.address)
 */
export async function predictVerifier(
  client: Pick<PublicClient, "getTransactionCount">,
  deployer: Address,
): Promise<{ address: Address; nonce: number }> {
  const nonce = await client.getTransactionCount({ address: deployer, blockTag: "pending" });
  return { address: getContractAddress({ from: deployer, nonce: BigInt(nonce) }), nonce };
}

/**
 * Deploys a verifier for a public key, bound to `campaign` (the campaign's predicted address); returns
 * its address once mined. With `expect` (from predictVerifier), it is sent with that nonce and must land
 * at that address.
 */
export async function deployVerifier(
  wallet: WalletClient,
  client: PublicClient,
  key: { modulus: Hex; exponent: bigint },
  campaign: Address,
  expect?: { address: Address; nonce: number },
): Promise<{ verifier: Address; txHash: Hex }> {
  assertPublicKey({ n: hexToBigInt(key.modulus), e: key.exponent });
  if (!wallet.account) throw new Error("no account");
  const txHash = await wallet.deployContract({
    abi: rsaVoucherVerifierAbi,
    bytecode: rsaVoucherVerifierBytecode,
    args: [key.modulus, key.exponent, campaign],
    account: wallet.account,
    chain: wallet.chain,
    ...(expect ? { nonce: expect.nonce } : {}),
  });
  const receipt = await client.waitForTransactionReceipt({ hash: txHash });
  if (!receipt.contractAddress || receipt.status !== "success") throw new Error("verifier deployment failed");
  const verifier = getAddress(receipt.contractAddress);
  if (expect && verifier !== getAddress(expect.address))
    throw new Error(`the verifier landed at ${verifier}, not at the predicted ${expect.address}`);
  return { verifier, txHash };
}

/**
 * The whole deployment order in one call: predicts the verifier's address, asks `campaignFor` for the
 * campaign's predicted address with that verifier as attester, deploys the verifier bound to it and
 * checks it landed where predicted. The caller then creates the campaign (with the same parameters).
 * @example
 * const { verifier, campaign } = await deployBoundVerifier(wallet, client, key, (attester) =>
 *   client.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "predictCampaign",
 *     args: [wallet.account.address, { ...params, attester }, salt] }));
 */
export async function deployBoundVerifier(
  wallet: WalletClient,
  client: PublicClient,
  key: { modulus: Hex; exponent: bigint },
  campaignFor: (verifier: Address) => Promise<Address>,
): Promise<{ verifier: Address; campaign: Address; txHash: Hex }> {
  if (!wallet.account) throw new Error("no account");
  const next = await predictVerifier(client, wallet.account.address);
  const campaign = getAddress(await campaignFor(next.address));
  const { verifier, txHash } = await deployVerifier(wallet, client, key, campaign, next);
  return { verifier, campaign, txHash };
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

/**
 * A union campaign gated by blind vouchers, created in the one order that binds its verifier to it
 * (docs/blind-vouchers.md): the organiser's CLI (`create --blind`) and the dApp's create page both
 * call `createBlindCampaign`, with a viem wallet client (a private key there, the person's wallet
 * here). The attester service's organiser calls (a new campaign key, the key bound to its campaign)
 * are plain `fetch`es, so they run in a browser and in Node alike.
 */
import { type Address, type Hex, type PublicClient, type WalletClient, getAddress } from "viem";
import type { CampaignParameters } from "./campaign-params.ts";
import { campaignFactoryAbi } from "./generated/abis.ts";
import { createdCampaign } from "./replay.ts";
import { type AttesterPublicKey, deployVerifier, fetchAttesterKey, predictVerifier } from "./verifier.ts";

/** A refusal of the attester service: the HTTP status and its stable code (see scripts/attester/errors.ts). */
export class AttesterRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const base = (url: string) => url.replace(/\/$/, "");

async function refusal(res: Response, what: string): Promise<AttesterRefusal> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
  const code = body.error?.code ?? "";
  return new AttesterRefusal(res.status, code, `${what} (${res.status} ${code})`);
}

/**
 * POST /keys at the attester (organiser token): a new campaign key, labelled for the organiser's
 * list; checked against its id like a key fetched by id.
 */
export async function createAttesterKey(url: string, token: string, label: string): Promise<AttesterPublicKey> {
  const res = await fetch(`${base(url)}/keys`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ label: label.slice(0, 200) || "Bascule" }),
  });
  if (!res.ok)
    throw await refusal(
      res,
      "the attester refused to make a campaign key / le service d’attestation a refusé de créer une clé de campagne",
    );
  const made = (await res.json()) as AttesterPublicKey;
  // The same checks as any key read back: its id is the hash of its modulus, the key is usable.
  return fetchAttesterKey(url, made.keyId);
}

/** POST /keys/:keyId/campaign at the attester (organiser token): the one campaign the key signs for. */
export async function bindKeyAtAttester(
  url: string,
  token: string,
  keyId: Hex,
  chainId: number,
  campaign: Address,
): Promise<void> {
  const res = await fetch(`${base(url)}/keys/${keyId}/campaign`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ chainId, address: campaign }),
  });
  if (!res.ok)
    throw await refusal(
      res,
      `the attester refused to bind key ${keyId} to ${campaign} / le service d’attestation a refusé de lier la clé ${keyId} à ${campaign}`,
    );
}

/** Where a blind campaign stands while it is made, for a page to say so. */
export type BlindStep = "predict" | "bind" | "verifier" | "campaign";

/**
 * Creates a campaign gated by the blind vouchers of `key`: predicts the verifier's address (the
 * organiser's next CREATE), checks the factory would take the campaign with it as attester (a refused
 * deadline or ladder fails before anything is spent), predicts the campaign's address, lets `bind`
 * tell the attester (so it signs for this campaign only), deploys the verifier bound to that address
 * with the predicted nonce, then creates the campaign and checks it landed there. A look-alike made
 * first by anyone else lands elsewhere (the organiser is part of the address), so it never captures
 * this verifier. `params.attester` is replaced by the verifier's address.
 */
export async function createBlindCampaign(o: {
  wallet: WalletClient;
  client: PublicClient;
  factory: Address;
  params: CampaignParameters;
  metadataURI: string;
  salt: Hex;
  key: { modulus: Hex; exponent: bigint };
  bind?: (campaign: Address, chainId: number) => Promise<void>;
  onStep?: (step: BlindStep) => void;
}): Promise<{ campaign: Address; verifier: Address; txHash: Hex; verifierTxHash: Hex }> {
  const account = o.wallet.account;
  if (!account) throw new Error("no account");
  o.onStep?.("predict");
  const next = await predictVerifier(o.client, account.address);
  const params = { ...o.params, attester: next.address };
  const args = [params, o.metadataURI, o.salt] as const;
  await o.client.simulateContract({
    account,
    address: o.factory,
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args,
  });
  const predicted = getAddress(
    await o.client.readContract({
      address: o.factory,
      abi: campaignFactoryAbi,
      functionName: "predictCampaign",
      args: [account.address, params, o.salt],
    }),
  );
  if (o.bind) {
    o.onStep?.("bind");
    await o.bind(predicted, await o.client.getChainId());
  }
  o.onStep?.("verifier");
  const { verifier, txHash: verifierTxHash } = await deployVerifier(o.wallet, o.client, o.key, predicted, next);
  o.onStep?.("campaign");
  const txHash = await o.wallet.writeContract({
    account,
    chain: o.wallet.chain,
    address: o.factory,
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args,
  });
  const receipt = await o.client.waitForTransactionReceipt({ hash: txHash });
  if (receipt.status !== "success") throw new Error("campaign creation failed");
  const campaign = createdCampaign(receipt.logs);
  if (campaign !== predicted) throw new Error(`campaign created at ${campaign}, not at ${predicted}`);
  return { campaign, verifier, txHash, verifierTxHash };
}

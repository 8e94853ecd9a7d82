/**
 * The demo's gated union campaign: the attester service makes the campaign's RSA key, the
 * organiser deploys its blind-voucher verifier and creates a campaign whose attester is that
 * verifier and whose participation oracle is the keeper, naming a payout desk in its metadata; a
 * first batch of invite codes is made for the demo. Used by scripts/demo/stack.ts.
 */
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  http,
  keccak256,
  parseEther,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { AttesterService } from "../attester/service.js";
import { chainFor } from "../lib/deployment.js";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { createdCampaign } from "@bascule/core/replay";
import { deployBoundVerifier } from "@bascule/core/verifier";
import { hardhatKey, ROLES } from "./accounts.js";
import { embed } from "./seed.js";

const DAY = 86_400n;

/** What a campaign's metadata says about its union (read by the dApp). */
export interface UnionMetadata {
  /** The attester service that blind-signs vouchers for invite codes, and the campaign's key there. */
  attester?: { url: string; keyId: Hex };
  /** Strike funds that pay beneficiaries without a wallet by bank transfer. */
  payoutDesks?: { name: string; address: Address; instructions: { en: string; fr: string } }[];
}

export interface UnionDemo {
  campaign: Address;
  verifier: Address;
  keyId: Hex;
  desk: Address;
  codes: string[];
}

/** The demo's payout desk: Hardhat account 10 (it never needs to send a transaction). */
export const DEMO_DESK_INDEX = 10;

export async function seedUnionDemo(options: {
  rpcUrl: string;
  factory: Address;
  service: AttesterService;
  /** The attester's URL as the dApp reaches it (relative to the dApp, e.g. "./attester"). */
  attesterUrl: string;
  /** The participation oracle (the keeper's address). */
  oracle: Address;
  codes?: number;
  log?: (line: string) => void;
}): Promise<UnionDemo> {
  const log = options.log ?? (() => {});
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const chain = chainFor(await client.getChainId(), options.rpcUrl);
  const wallet = createWalletClient({
    account: privateKeyToAccount(hardhatKey(ROLES.organiser)),
    chain,
    transport: http(options.rpcUrl),
  });
  const publicClient = createPublicClient({ chain, transport: http(options.rpcUrl) });

  const key = await options.service.createKey("Grève des transports (démo)");
  const desk = privateKeyToAccount(hardhatKey(DEMO_DESK_INDEX)).address;
  const union: UnionMetadata = {
    attester: { url: options.attesterUrl, keyId: key.keyId },
    payoutDesks: [
      {
        name: "Caisse de grève SUD-Rail (démo)",
        address: desk,
        instructions: {
          en: "Show your desk slip (made on your receipt page after the claim) at the strike fund, or send it with your bank details (IBAN); it pays by bank transfer within a week.",
          fr: "Présentez votre bon de guichet (fait sur la page de votre reçu après la demande) à la caisse de grève, ou envoyez-le avec votre RIB ; elle paie par virement sous une semaine.",
        },
      },
    ],
  };
  const now = (await client.getBlock()).timestamp;
  const { uri, hash } = embed({
    title: "Grève des transports — syndiqué·es (démo)",
    text: "Campagne réservée aux membres : un code d’invitation par personne, remis par le syndicat. Le syndicat ne voit jamais votre clé d’engagement.",
    // The description's action date (YYYY-MM-DD), the day of the parameters' actionDate below:
    // an empty one was refused by the schema, and the page said so on the demo's own campaign.
    actionDate: new Date(Number(now + 61n * DAY) * 1000).toISOString().slice(0, 10),
    place: "Lyon",
    languages: ["fr", "en"],
    ...union,
  } as Parameters<typeof embed>[0]);
  const params = (attester: Address) =>
    ({
      token: "0x0000000000000000000000000000000000000000",
      pledgeDeadline: now + 60n * DAY,
      finalLock: DAY,
      actionDate: now + 61n * DAY,
      oracleWindow: 3n * DAY,
      claimWindow: 30n * DAY,
      supportCap: parseEther("0.2"),
      conditions: [],
      attester,
      oracle: options.oracle,
      metadataHash: hash,
      ladder: [3, 10, 30],
    }) as const;
  const salt = keccak256(toHex(`union-demo-${now}`));
  // The verifier is bound to the campaign, whose address names the verifier: predict both, then deploy.
  const { verifier, campaign: predicted } = await deployBoundVerifier(
    wallet,
    publicClient,
    { modulus: key.modulus, exponent: BigInt(key.exponent) },
    (attester) =>
      publicClient.readContract({
        address: options.factory,
        abi: campaignFactoryAbi,
        functionName: "predictCampaign",
        args: [wallet.account.address, params(attester), salt],
      }),
  );
  // The attester signs for this campaign only (a look-alike's page is refused before a code is used).
  options.service.bindCampaign(key.keyId, { chainId: await client.getChainId(), address: predicted });
  const tx = await wallet.writeContract({
    address: options.factory,
    abi: campaignFactoryAbi,
    functionName: "createCampaign",
    args: [params(verifier), uri, salt],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash: tx });
  const campaign = createdCampaign(receipt.logs);
  if (campaign !== predicted) throw new Error(`union campaign at ${campaign}, its verifier bound to ${predicted}`);
  const { codes } = options.service.createCodes(key.keyId, options.codes ?? 10);
  log(`union campaign: ${campaign} (verifier ${verifier}, key ${key.keyId})`);
  log(`union invite codes / codes d'invitation: ${codes.join(" ")}`);
  return { campaign, verifier, keyId: key.keyId, desk, codes };
}

import { type Address, keccak256, toHex } from "viem";
import type { CampaignParameters } from "@bascule/core/campaign-params";

const ZERO = "0x0000000000000000000000000000000000000000" as Address;
const DAY = 86_400n;

/**
 * A campaign's parameters for the service and browser tests, from the chain's `now`: native ETH, no
 * gate, no oracle, no support, the deadline in 2 days and the action the day after, a 10-day claim
 * window, ladder [2, 5, 10]. Each test overrides what it is about.
 */
export function campaignParams(now: bigint, overrides: Partial<CampaignParameters> = {}): CampaignParameters {
  return {
    token: ZERO,
    pledgeDeadline: now + 2n * DAY,
    finalLock: 0n,
    actionDate: now + 3n * DAY,
    oracleWindow: 0n,
    claimWindow: 10n * DAY,
    supportCap: 0n,
    conditions: [],
    attester: ZERO,
    oracle: ZERO,
    metadataHash: keccak256(toHex("a test campaign")),
    ladder: [2, 5, 10],
    ...overrides,
  };
}

/**
 * A campaign's description carried in its metadata URI itself (a `data:` JSON document, as the
 * create page can make it), with the hash the parameters commit to. `actionDate` gives the day shown.
 */
export function inlineMetadata(doc: {
  title: string;
  place: string;
  actionDate: bigint;
  languages: string[];
  text?: string;
}): { metadataHash: `0x${string}`; metadataURI: string } {
  const json = JSON.stringify({
    title: doc.title,
    text: doc.text ?? "",
    actionDate: new Date(Number(doc.actionDate) * 1000).toISOString().slice(0, 10),
    place: doc.place,
    languages: doc.languages,
  });
  return {
    metadataHash: keccak256(toHex(json)),
    metadataURI: `data:application/json;base64,${Buffer.from(json).toString("base64")}`,
  };
}

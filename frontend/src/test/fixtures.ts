/**
 * What the dApp's unit tests share: the config a local page gets, and a campaign as the hooks read
 * it (open, ETH, no gate, ladder [2, 5, 10]), each test overriding what it is about.
 * Imported by tests only.
 */
import { zeroAddress } from "viem";
import type { AppConfig } from "../lib/config.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";

/** /config.json of a local page with no service. */
export const TEST_CONFIG: AppConfig = {
  chainId: 31337,
  chainName: "local",
  rpcUrl: "/rpc",
  factory: zeroAddress,
  fromBlock: "0",
  relayerUrl: "",
  listMinPledges: 3,
};

/**
 * An open ETH campaign with no gate at `address`, its parameters given from `now` (seconds).
 * @example const s = testCampaign(campaign, now, { params: { supportCap: 10n ** 18n } });
 */
export function testCampaign(
  address: `0x${string}`,
  now: number,
  overrides: Omit<Partial<CampaignStatic>, "params"> & { params?: Partial<CampaignStatic["params"]> } = {},
): CampaignStatic {
  const { params, ...rest } = overrides;
  return {
    address,
    organiser: zeroAddress,
    params: {
      token: zeroAddress,
      pledgeDeadline: BigInt(now + 14 * 86_400),
      finalLock: 0n,
      actionDate: BigInt(now + 21 * 86_400),
      oracleWindow: 0n,
      claimWindow: 30n * 86_400n,
      supportCap: 0n,
      conditions: [],
      attester: zeroAddress,
      oracle: zeroAddress,
      metadataHash: `0x${"00".repeat(32)}`,
      ladder: [2, 5, 10],
      ...params,
    },
    metadataURI: "data:application/json,{}",
    metadata: { title: "Grève" },
    metadataOmitted: [],
    metadataCheck: "ok",
    union: {},
    token: { address: zeroAddress, symbol: "ETH", decimals: 18 },
    createdAt: 1n,
    ...rest,
  } as unknown as CampaignStatic;
}

/** A campaign's live state before its deadline, nobody pledged; `overrides` set the rest. */
export function testLive(overrides: Partial<CampaignLive> = {}): CampaignLive {
  return {
    phase: 1,
    tippingLevel: 0,
    committed: 0n,
    triggeredDonations: 0n,
    requestedSupport: 0n,
    boundCondition: 0,
    boundConditionLevel: 0,
    conditional: false,
    claimedTotal: 0n,
    donationCount: 0n,
    participationRoot: `0x${"00".repeat(32)}`,
    tallies: { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n], donated: [0n, 0n, 0n] },
    oracleEnd: 0n,
    claimEnd: 0n,
    balance: 0n,
    chainOffset: 0,
    ...overrides,
  } as unknown as CampaignLive;
}

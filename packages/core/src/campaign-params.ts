import type { Address, Hex } from "viem";

/**
 * A campaign's parameters as `CampaignFactory.createCampaign` takes them and `Campaign.parameters()`
 * returns them (ICampaign.CampaignParams): one type for the CLI, the relayer, the keeper and the dApp.
 */
export interface CampaignParameters {
  /** address(0) for native ETH. */
  token: Address;
  pledgeDeadline: bigint;
  /** Seconds before the deadline during which nothing promised can be taken back (0 to 7 days; 24 h proposed). */
  finalLock: bigint;
  actionDate: bigint;
  oracleWindow: bigint;
  claimWindow: bigint;
  supportCap: bigint;
  attester: Address;
  oracle: Address;
  metadataHash: Hex;
  /** Thresholds L_1 < … < L_m. */
  ladder: readonly number[];
}

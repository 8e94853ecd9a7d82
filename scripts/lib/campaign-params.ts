import type { Address, Hex } from "viem";

/**
 * A campaign's parameters as `CampaignFactory.createCampaign` takes them and `Campaign.parameters()`
 * returns them (ICampaign.CampaignParams): one type for the CLI, the relayer, the keeper and the dApp.
 */
export interface CampaignParameters {
  /** address(0) for native ETH. */
  token: Address;
  pledgeDeadline: bigint;
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

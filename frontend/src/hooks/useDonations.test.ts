import { type Address, encodeAbiParameters, encodeEventTopics, type Hex, type PublicClient } from "viem";
import { describe, expect, it } from "vitest";
import { campaignAbi } from "@bascule/core/generated/abis";
import { Entitlement } from "@bascule/core/model";
import type { CampaignStatic } from "../lib/types.ts";
import { readMyDonations } from "./useDonations.ts";

const campaign = "0x00000000000000000000000000000000000000c1" as Address;
const donor = "0x00000000000000000000000000000000000000d0" as Address;
const s = { address: campaign, createdAt: 1n } as CampaignStatic;

function log(eventName: "Donated" | "DonationWithdrawn", donationId: bigint, data: Hex, index: number) {
  return {
    address: campaign,
    topics: encodeEventTopics({ abi: campaignAbi, eventName, args: { donationId, donor } }),
    data,
    blockNumber: "0x2",
    logIndex: `0x${index.toString(16)}`,
    transactionHash: `0x${"00".repeat(32)}`,
    blockHash: `0x${"00".repeat(32)}`,
    transactionIndex: "0x0",
    removed: false,
  };
}

/** Three donations: #1 withdrawn, #2 Due (reclaimable now), #3 Pending (nothing now). */
function fakeClient(): PublicClient {
  const donated = (id: bigint, level: bigint, amount: bigint, i: number) =>
    log("Donated", id, encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [level, amount]), i);
  const logs = [
    donated(1n, 1n, 10n, 0),
    donated(2n, 2n, 20n, 1),
    donated(3n, 3n, 30n, 2),
    log("DonationWithdrawn", 1n, encodeAbiParameters([{ type: "uint256" }], [10n]), 3),
  ];
  return {
    request: async ({ method, params }: { method: string; params?: [{ topics: (Hex | null)[] }] }) => {
      if (method === "eth_blockNumber") return "0x3";
      return logs.filter((l) => l.topics[0] === params![0].topics[0]);
    },
    multicall: async () => [
      { status: "success", result: [donor, 1, false, 0n] },
      { status: "success", result: [Entitlement.None, 0n] },
      { status: "success", result: [donor, 2, false, 20n] },
      { status: "success", result: [Entitlement.Due, 15n] },
      { status: "success", result: [donor, 3, false, 30n] },
      { status: "success", result: [Entitlement.Pending, 30n] },
    ],
  } as unknown as PublicClient;
}

describe("readMyDonations", () => {
  it("lists a donor's donations as given, says which were withdrawn, and counts as reclaimable only a Due entitlement", async () => {
    expect(await readMyDonations(fakeClient(), s, donor)).toEqual([
      { id: 1n, level: 1, given: 10n, surplusTaken: false, amount: 0n, reclaimable: 0n, withdrawn: true },
      { id: 2n, level: 2, given: 20n, surplusTaken: false, amount: 20n, reclaimable: 15n, withdrawn: false },
      { id: 3n, level: 3, given: 30n, surplusTaken: false, amount: 30n, reclaimable: 0n, withdrawn: false },
    ]);
  });
});

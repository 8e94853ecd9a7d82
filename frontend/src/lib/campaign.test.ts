import { keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { embedMetadata } from "@bascule/core/metadata";
import { campaignPhase, currentResolution } from "./campaign.ts";
import { loadMetadata } from "./metadata.ts";
import type { CampaignLive, CampaignStatic } from "./types.ts";

const doc = {
  title: "Grève générale",
  text: "Le 1er mai",
  actionDate: "2027-05-01",
  place: "Paris",
  languages: ["fr"],
};

describe("loadMetadata", () => {
  it("reads an embedded description and checks it against the on-chain hash", async () => {
    const { uri, hash } = embedMetadata(doc);
    expect(await loadMetadata(uri, hash)).toEqual({ doc, omitted: [], raw: doc, check: "ok" });
    expect((await loadMetadata(uri, keccak256(toHex("other")))).check).toBe("bad");
  });
  it("fetches nothing from other sites", async () => {
    expect(await loadMetadata("https://tracker.example/meta.json", keccak256("0x"))).toEqual({
      doc: null,
      omitted: [],
      raw: null,
      check: "unknown",
    });
  });
});

function fixture(phase: number, deadlineOffset: number): { s: CampaignStatic; live: CampaignLive } {
  const now = Math.floor(Date.now() / 1000);
  const s = {
    params: { pledgeDeadline: BigInt(now + deadlineOffset), ladder: [2, 5, 10], conditions: [] },
  } as unknown as CampaignStatic;
  const live = {
    phase,
    tippingLevel: phase === 2 ? 2 : 0,
    committed: phase === 2 ? 7n : 0n,
    triggeredDonations: 100n,
    requestedSupport: 40n,
    tallies: { counts: [3n, 4n, 1n], requested: [10n, 30n, 5n], donated: [60n, 40n, 9n] },
    chainOffset: 0,
  } as unknown as CampaignLive;
  return { s, live };
}

describe("campaign state", () => {
  it("is open before the deadline, awaiting after it, then as resolved", () => {
    expect(campaignPhase(...(Object.values(fixture(1, 100)) as [CampaignStatic, CampaignLive]))).toBe("open");
    expect(campaignPhase(...(Object.values(fixture(1, -100)) as [CampaignStatic, CampaignLive]))).toBe("awaiting");
    expect(campaignPhase(...(Object.values(fixture(2, -100)) as [CampaignStatic, CampaignLive]))).toBe("succeeded");
  });
  it("uses the reference model before resolution", () => {
    const { s, live } = fixture(1, 100);
    expect(currentResolution(s, live)).toEqual({
      succeeded: true,
      tippingLevel: 2,
      committed: 7n,
      triggeredDonations: 100n,
      requestedSupport: 40n,
      paid: 40n,
      boundCondition: 0,
      boundConditionLevel: 2,
    });
  });
  it("resolves with the campaign's conditions before resolution, and reads the bound set after", () => {
    const { s, live } = fixture(1, 100);
    // 3 of level 1's pledges asked 10 with condition "all"; 60 donated there: they are covered
    const conditional = {
      ...live,
      tallies: {
        ...live.tallies,
        conditional: [
          { counts: [0n, 0n, 0n], requested: [0n, 0n, 0n] },
          { counts: [0n, 4n, 0n], requested: [0n, 30n, 0n] },
        ],
      },
    };
    const withConditions = { ...s, params: { ...s.params, conditions: [5_000, 10_000] } } as CampaignStatic;
    // level 2's "all" bucket asks 30 of 100 donated at levels ≤ 2, with 10 + 0 unconditional: covered
    expect(currentResolution(withConditions, conditional)).toMatchObject({
      tippingLevel: 2,
      committed: 7n,
      boundCondition: 2,
      boundConditionLevel: 2,
    });
    const resolved = { ...fixture(2, -100).live, boundCondition: 1, boundConditionLevel: 1 };
    expect(currentResolution(withConditions, resolved)).toMatchObject({ boundCondition: 1, boundConditionLevel: 1 });
  });
});

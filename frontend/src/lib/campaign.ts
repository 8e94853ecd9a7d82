/** What a campaign's state means for the pages: its phase, the chain's time, the result as it stands. */
import { type Resolution, resolve } from "@bascule/core/model";
import { Phase, type CampaignLive, type CampaignPhase, type CampaignStatic } from "./types.ts";

/** The chain's "now", in seconds. */
export function chainNow(live: Pick<CampaignLive, "chainOffset"> | undefined): number {
  return Math.floor(Date.now() / 1000) + (live?.chainOffset ?? 0);
}

export function campaignPhase(s: CampaignStatic, live: CampaignLive): CampaignPhase {
  if (live.phase === Phase.Resolved) return live.tippingLevel > 0 ? "succeeded" : "failed";
  return chainNow(live) > Number(s.params.pledgeDeadline) ? "awaiting" : "open";
}

/** The result as it stands: the contract's once resolved, the reference model's before. */
export function currentResolution(s: CampaignStatic, live: CampaignLive): Resolution {
  if (live.phase === Phase.Resolved) {
    const paid = live.triggeredDonations < live.requestedSupport ? live.triggeredDonations : live.requestedSupport;
    return {
      succeeded: live.tippingLevel > 0,
      tippingLevel: live.tippingLevel,
      committed: live.committed,
      triggeredDonations: live.triggeredDonations,
      requestedSupport: live.requestedSupport,
      paid,
      boundCondition: live.boundCondition,
      boundConditionLevel: live.boundConditionLevel,
    };
  }
  return resolve(s.params.ladder, live.tallies, s.params.conditions);
}

export function totalPledges(live: CampaignLive): bigint {
  return live.tallies.counts.reduce((a, b) => a + b, 0n);
}

/**
 * Unit tests of Campaign.sol's history(): the count and running digest of history events a replay
 * must reproduce from the logs (packages/core/src/history.ts), after each kind of event, across a
 * batch with skipped items (not history), and the window sums at the largest values the factory
 * accepts: a resolution after the action date leaves claim(), windows() and the entitlement views
 * working (claimEnd saturates at 2^64 - 1).
 */
import { expect } from "chai";
import type { Hex } from "viem";
import { HISTORY_GENESIS, HistoryDigest } from "@bascule/core/history";
import { HISTORY_TOPICS } from "@bascule/core/replay";
import { encodePledges } from "@bascule/core/signing";
import {
  claimFor,
  createCampaign,
  defaultParams,
  deployFactory,
  Entitlement,
  ethCampaignFixture,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;
const HISTORY = new Set<string>(Object.values(HISTORY_TOPICS));
const UINT64_MAX = 2n ** 64n - 1n;

describe("Campaign", function () {
  describe("history", function () {
    async function replayed(
      campaign: Awaited<ReturnType<typeof ethCampaignFixture>>["campaign"],
      digest: HistoryDigest,
      tx: Promise<{
        wait(): Promise<{ logs: readonly { address: string; topics: readonly string[]; data: string }[] } | null>;
      }>,
    ) {
      const receipt = (await (await tx).wait())!;
      const address = (await campaign.getAddress()).toLowerCase();
      for (const log of receipt.logs) {
        if (log.address.toLowerCase() === address && HISTORY.has(log.topics[0])) {
          digest.add({ topics: log.topics as Hex[], data: log.data as Hex });
        }
      }
      const [count, value] = await campaign.history();
      return { onChain: { count, digest: value.toLowerCase() }, replayed: digest.value() };
    }

    it("starts at count 0 and the genesis digest", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      expect(await campaign.history()).to.deep.equal([0n, HISTORY_GENESIS]);
    });

    it("counts and digests each kind of history event as its log reads", async function () {
      const { campaign, others } = await loadFixture(ethCampaignFixture);
      const digest = new HistoryDigest();
      const key = newPledgeKey();
      const pledged = await replayed(
        campaign,
        digest,
        campaign.pledge(encodePledges([await pledgeFor(campaign, key, 1, 5n)])),
      );
      expect(pledged.onChain).to.deep.equal({ ...pledged.replayed, count: 1n });
      const changed = await replayed(
        campaign,
        digest,
        campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, key, 2, 7n)])),
      );
      expect(changed.onChain).to.deep.equal({ ...changed.replayed, count: 2n });
      const withdrawn = await replayed(
        campaign,
        digest,
        campaign.pledge(encodePledges([await pledgeFor(campaign, key, 0)])),
      );
      expect(withdrawn.onChain).to.deep.equal({ ...withdrawn.replayed, count: 3n });
      const donated = await replayed(campaign, digest, campaign.connect(others[0]).donate(2, 50n, { value: 50n }));
      expect(donated.onChain).to.deep.equal({ ...donated.replayed, count: 4n });
      const taken = await replayed(campaign, digest, campaign.connect(others[0]).withdrawDonation(0n));
      expect(taken.onChain).to.deep.equal({ ...taken.replayed, count: 5n });
      // Each event moved the digest.
      expect(new Set([pledged, changed, withdrawn, donated, taken].map((s) => s.onChain.digest)).size).to.equal(5);
    });

    it("leaves a batch's skipped items out of the history, and is unchanged by a batch that applies none", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const digest = new HistoryDigest();
      const [a, b, c] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
      const batch = encodePledges([
        await pledgeFor(campaign, a, 1),
        await pledgeFor(campaign, b, 1, 0n, { nonce: 5 }), // InvalidNonce: skipped
        await pledgeFor(campaign, c, 9), // LevelOutOfRange: skipped
        await pledgeFor(campaign, b, 3, 1n),
      ]);
      const mixed = await replayed(campaign, digest, campaign.pledgeBatch(batch));
      expect(mixed.onChain).to.deep.equal({ ...mixed.replayed, count: 2n });
      const before = await campaign.history();
      const none = await replayed(
        campaign,
        digest,
        campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, c, 1, 0n, { nonce: 3 })])),
      );
      expect(await campaign.history()).to.deep.equal(before);
      expect(none.onChain).to.deep.equal({ ...none.replayed, count: 2n });
    });
  });

  describe("windows at their largest", function () {
    // claimWindow = 2^64 - 1 - actionDate, the largest the factory accepts: any resolution after actionDate
    // makes resolvedAt + claimWindow pass 2^64 - 1 (a panic 0x11 before the sums saturated).
    // Resolutions far later are not run here: the shared local node keeps its clock ahead after a
    // snapshot is reverted, which breaks every later test (and it panics from 2^63).
    const cases = [
      ["the deadline + 1", (p: { pledgeDeadline: bigint }) => p.pledgeDeadline + 1n, false],
      ["the action date + 1", (p: { actionDate: bigint }) => p.actionDate + 1n, true],
    ] as const;
    for (const [name, at, saturated] of cases) {
      it(`never panics for a resolution at ${name}${saturated ? ", claimEnd saturating at 2^64 - 1" : ""}`, async function () {
        const { factory, organiser, others } = await deployFactory();
        const base = await defaultParams();
        const params = { ...base, claimWindow: UINT64_MAX - base.actionDate - base.oracleWindow };
        const campaign = await createCampaign(factory, organiser, params);
        const [a, b] = [newPledgeKey(), newPledgeKey()];
        await (
          await campaign.pledgeBatch(
            encodePledges([await pledgeFor(campaign, a, 1, 100n), await pledgeFor(campaign, b, 1, 100n)]),
          )
        ).wait();
        await (await campaign.connect(others[0]).donate(1, 500n, { value: 500n })).wait();
        await time.setNextBlockTimestamp(at(params));
        await (await campaign.resolve()).wait();
        // actionDate + oracleWindow + claimWindow is 2^64 - 1 already, so claimEnd is too either way.
        expect(await campaign.windows()).to.deep.equal([0n, UINT64_MAX]);
        expect(await campaign.claimableSupport(a.address)).to.deep.equal([Entitlement.Due, 100n]);
        expect(await campaign.reclaimable(0n)).to.deep.equal([Entitlement.Due, 300n]);
        await (await campaign.claim(await claimFor(campaign, a, { payee: others[1].address as Hex }))).wait();
        expect(await campaign.claimableSupport(a.address)).to.deep.equal([Entitlement.Taken, 100n]);
        await (await campaign.connect(others[0]).reclaimDonation(0n)).wait();
        // The remainder waits for b, whose window never closes.
        expect(await campaign.reclaimable(0n)).to.deep.equal([Entitlement.Pending, 100n]);
      });
    }
  });
});

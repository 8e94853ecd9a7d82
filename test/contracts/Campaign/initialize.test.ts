/**
 * Unit tests of Campaign.sol: every external function, each of its conditions, every revert by
 * custom error and arguments, events with their arguments, and the views.
 */
import { expect } from "chai";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import {
  type Address,
  type Hex,
  compactSignatureToSignature,
  hashDomain,
  recoverTypedDataAddress,
} from "viem";
import * as model from "@bascule/core/model";
import {
  CLAIM_TYPES,
  type SignedClaim,
  campaignDomain,
} from "@bascule/core/signing";
import {
  ZERO,
  attestedCampaignFixture,
  chainId,
  claimFor,
  createCampaign,
  defaultParams,
  deployFactory,
  ethCampaignFixture,
  ethers,
  networkHelpers,
  newPledgeKey,
  oracleCampaignFixture,
  pledgeFor,
  tokenCampaignFixture,
  voucherFor,
} from "../../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

/**
 * ETH campaign, ladder [2, 5, 10]: keys A (level 1, asks 300 wei) and B (level 1, asks 100 wei),
 * C (level 3, asks 200 wei); donations #0 700 wei and #1 333 wei at level 1, #2 200 wei at level 2.
 * Resolves to j* = 1, P = 2, F = 1033, R = 400, paid = 400.
 */
async function fundedCampaignFixture() {
  const base = await ethCampaignFixture();
  const { campaign, others } = base;
  const [a, b, c] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch([
      await pledgeFor(campaign, a, 1, 300n),
      await pledgeFor(campaign, b, 1, 100n),
      await pledgeFor(campaign, c, 3, 200n),
    ])
  ).wait();
  const [d0, d1, d2] = others;
  await (await campaign.connect(d0).donate(1, 700n, { value: 700n })).wait();
  await (await campaign.connect(d1).donate(1, 333n, { value: 333n })).wait();
  await (await campaign.connect(d2).donate(2, 200n, { value: 200n })).wait();
  return { ...base, keys: { a, b, c }, donors: { d0, d1, d2 } };
}

async function resolvedCampaignFixture() {
  const base = await fundedCampaignFixture();
  await time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await base.campaign.resolve()).wait();
  const claimEnd = base.params.actionDate + base.params.claimWindow;
  return { ...base, claimEnd };
}

/** Triggered support exceeds triggered donations: F = 100 < R = 400, so nothing is left over. */
async function scarceCampaignFixture() {
  const base = await ethCampaignFixture();
  const { campaign, others } = base;
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch([
      await pledgeFor(campaign, a, 1, 300n),
      await pledgeFor(campaign, b, 1, 100n),
    ])
  ).wait();
  await (
    await campaign.connect(others[0]).donate(1, 100n, { value: 100n })
  ).wait();
  await time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  return {
    ...base,
    keys: { a, b },
    claimEnd: base.params.actionDate + base.params.claimWindow,
  };
}

/** An oracle campaign that succeeded at level 1 with two beneficiaries (A asks 300, B 100) and 1000 wei donated. */
async function oracleResolvedFixture() {
  const base = await oracleCampaignFixture();
  const { campaign, others } = base;
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch([
      await pledgeFor(campaign, a, 1, 300n),
      await pledgeFor(campaign, b, 1, 100n),
    ])
  ).wait();
  await (
    await campaign.connect(others[0]).donate(1, 1000n, { value: 1000n })
  ).wait();
  await time.increaseTo(base.params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  const oracleEnd = base.params.actionDate + base.params.oracleWindow;
  const tree = StandardMerkleTree.of([[a.address], [b.address]], ["address"]);
  return {
    ...base,
    keys: { a, b },
    oracleEnd,
    claimEnd: oracleEnd + base.params.claimWindow,
    tree,
  };
}

/** A 20-level ladder L_j = j, to exercise several packed count words and block sums. */
async function longLadderFixture() {
  const base = await deployFactory();
  const params = await defaultParams({
    ladder: Array.from({ length: 20 }, (_, i) => i + 1),
  });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign };
}

/** A campaign whose support cap is the largest the factory accepts, 2^90 - 1. */
async function maxCapFixture() {
  const base = await deployFactory();
  const params = await defaultParams({ supportCap: (1n << 90n) - 1n });
  const campaign = await createCampaign(base.factory, base.organiser, params);
  return { ...base, params, campaign };
}

/** The address a claim's signature recovers to on this campaign, as the contract computes it. */
async function recoverClaimSigner(
  campaign: string,
  chain: bigint,
  signed: SignedClaim,
): Promise<Address> {
  return recoverTypedDataAddress({
    domain: campaignDomain(campaign as Address, chain),
    types: CLAIM_TYPES,
    primaryType: "Claim",
    message: {
      payee: signed.payee,
      feeRecipient: signed.feeRecipient,
      maxFee: signed.maxFee,
    },
    signature: compactSignatureToSignature({
      r: signed.r,
      yParityAndS: signed.vs,
    }),
  });
}

async function balanceOf(
  address: string | { getAddress(): Promise<string> },
): Promise<bigint> {
  return ethers.provider.getBalance(
    typeof address === "string" ? address : await address.getAddress(),
  );
}


/** ICampaign.Entitlement, as ethers returns it. */
const E = { None: 0n, Pending: 1n, NeedsProof: 2n, Due: 3n, Taken: 4n, Expired: 5n } as const;

describe("Campaign", function () {
  describe("initialize", function () {
    it("refuses any caller but the factory", async function () {
      const { campaign, organiser } = await loadFixture(ethCampaignFixture);
      await expect(campaign.connect(organiser).initialize())
        .to.be.revertedWithCustomError(campaign, "NotFactory")
        .withArgs(organiser.address);
    });

    it("leaves the campaign open after creation", async function () {
      const { campaign, factory } = await loadFixture(ethCampaignFixture);
      expect((await campaign.status()).phase).to.equal(1n);
      expect(await campaign.FACTORY()).to.equal(await factory.getAddress());
    });
  });

  describe("implementation", function () {
    it("holds no campaign: every call on the implementation itself reverts", async function () {
      const { factory, others } = await loadFixture(ethCampaignFixture);
      const implementation = await ethers.getContractAt(
        "Campaign",
        await factory.implementation(),
      );
      const self = await implementation.getAddress();
      await expect(implementation.connect(others[0]).initialize())
        .to.be.revertedWithCustomError(implementation, "NotFactory")
        .withArgs(others[0].address);
      await expect(
        implementation.connect(others[0]).donate(1, 1n, { value: 1n }),
      )
        .to.be.revertedWithCustomError(implementation, "NotFactory")
        .withArgs(self);
      await expect(implementation.resolve())
        .to.be.revertedWithCustomError(implementation, "NotFactory")
        .withArgs(self);
      await expect(implementation.parameters()).to.be.revertedWithCustomError(
        implementation,
        "NotFactory",
      );
    });
  });

  describe("pledge", function () {
    describe("when the key has no pledge", function () {
      it("records it and emits Pledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 2, 50n)))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 2n, 50n);
        const record = await campaign.pledgeOf(key.address);
        expect([
          record.level,
          record.support,
          record.nonce,
          record.claimed,
        ]).to.deep.equal([2n, 50n, 1n, false]);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 1n, 0n]);
        expect(requested).to.deep.equal([0n, 50n, 0n]);
      });

      it("can be submitted by anyone, the key needing no ETH", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (
          await campaign
            .connect(others[7])
            .pledge(await pledgeFor(campaign, key, 1))
        ).wait();
        expect((await campaign.pledgeOf(key.address)).level).to.equal(1n);
        expect(await balanceOf(key.address)).to.equal(0n);
      });

      it("refuses a withdrawal with NotPledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 0)))
          .to.be.revertedWithCustomError(campaign, "NotPledged")
          .withArgs(key.address);
      });
    });

    describe("when the key has pledged", function () {
      it("changes level and support, emits PledgeChanged and moves the tallies", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (
          await campaign.pledge(await pledgeFor(campaign, key, 1, 10n))
        ).wait();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 3, 40n)))
          .to.emit(campaign, "PledgeChanged")
          .withArgs(key.address, 3n, 40n);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 0n, 1n]);
        expect(requested).to.deep.equal([0n, 0n, 40n]);
        expect((await campaign.pledgeOf(key.address)).nonce).to.equal(2n);
      });

      it("withdraws with level 0, emits PledgeWithdrawn and clears its support", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (
          await campaign.pledge(await pledgeFor(campaign, key, 2, 10n))
        ).wait();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 0, 99n)))
          .to.emit(campaign, "PledgeWithdrawn")
          .withArgs(key.address);
        const record = await campaign.pledgeOf(key.address);
        expect([record.level, record.support, record.nonce]).to.deep.equal([
          0n,
          0n,
          2n,
        ]);
        const [counts, requested] = await campaign.levelTallies();
        expect(counts).to.deep.equal([0n, 0n, 0n]);
        expect(requested).to.deep.equal([0n, 0n, 0n]);
      });

      it("pledges again after a withdrawal, emitting Pledged", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (await campaign.pledge(await pledgeFor(campaign, key, 2))).wait();
        await (await campaign.pledge(await pledgeFor(campaign, key, 0))).wait();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 1, 5n)))
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 1n, 5n);
        await expect(campaign.pledge(await pledgeFor(campaign, key, 0)))
          .to.emit(campaign, "PledgeWithdrawn")
          .withArgs(key.address);
        await expect(campaign.pledge(await pledgeFor(campaign, key, 0)))
          .to.be.revertedWithCustomError(campaign, "NotPledged")
          .withArgs(key.address);
      });
    });

    describe("when the signed message is invalid", function () {
      it("refuses a replayed signature with InvalidNonce", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        const signed = await pledgeFor(campaign, key, 1);
        await (await campaign.pledge(signed)).wait();
        await expect(campaign.pledge(signed))
          .to.be.revertedWithCustomError(campaign, "InvalidNonce")
          .withArgs(key.address, 1n, 0n);
      });

      it("refuses a nonce ahead of the key's next one", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await expect(
          campaign.pledge(await pledgeFor(campaign, key, 1, 0n, { nonce: 3 })),
        )
          .to.be.revertedWithCustomError(campaign, "InvalidNonce")
          .withArgs(key.address, 0n, 3n);
      });

      it("refuses a level above m with LevelOutOfRange", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        await expect(
          campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 4)),
        )
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(4n, 3n);
      });

      it("refuses a support request above the cap with SupportAboveCap", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        await (
          await campaign.pledge(
            await pledgeFor(campaign, newPledgeKey(), 1, params.supportCap),
          )
        ).wait();
        await expect(
          campaign.pledge(
            await pledgeFor(
              campaign,
              newPledgeKey(),
              1,
              params.supportCap + 1n,
            ),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "SupportAboveCap")
          .withArgs(params.supportCap + 1n, params.supportCap);
      });

      it("refuses a malformed signature with InvalidSignature", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const signed = await pledgeFor(campaign, newPledgeKey(), 1);
        await expect(
          campaign.pledge({
            ...signed,
            r: ethers.ZeroHash,
            vs: ethers.ZeroHash,
          }),
        ).to.be.revertedWithCustomError(campaign, "InvalidSignature");
      });
    });

    describe("after the pledge deadline", function () {
      it("refuses pledges with PledgeDeadlinePassed", async function () {
        const { campaign, params } = await loadFixture(ethCampaignFixture);
        const signed = await pledgeFor(campaign, newPledgeKey(), 1);
        await time.setNextBlockTimestamp(params.pledgeDeadline);
        await (
          await campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 1))
        ).wait();
        await expect(campaign.pledge(signed))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("with an attester", function () {
      it("accepts a first pledge carrying the attester's voucher", async function () {
        const { campaign, attester } = await loadFixture(
          attestedCampaignFixture,
        );
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, attester, key.address);
        await expect(
          campaign.pledge(await pledgeFor(campaign, key, 1, 0n, { voucher })),
        )
          .to.emit(campaign, "Pledged")
          .withArgs(key.address, 1n, 0n);
      });

      it("refuses a first pledge without a voucher", async function () {
        const { campaign } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 1, 0n, { voucher: "0x" })))
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("refuses a voucher signed by someone else with InvalidVoucher", async function () {
        const { campaign } = await loadFixture(attestedCampaignFixture);
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, newPledgeKey(), key.address);
        await expect(
          campaign.pledge(await pledgeFor(campaign, key, 1, 0n, { voucher })),
        )
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("refuses a voucher issued for another key with InvalidVoucher", async function () {
        const { campaign, attester } = await loadFixture(
          attestedCampaignFixture,
        );
        const [key, other] = [newPledgeKey(), newPledgeKey()];
        const voucher = await voucherFor(campaign, attester, other.address);
        await expect(
          campaign.pledge(await pledgeFor(campaign, key, 1, 0n, { voucher })),
        )
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(key.address);
      });

      it("needs no voucher for later changes of a vouched key", async function () {
        const { campaign, attester } = await loadFixture(
          attestedCampaignFixture,
        );
        const key = newPledgeKey();
        const voucher = await voucherFor(campaign, attester, key.address);
        await (
          await campaign.pledge(
            await pledgeFor(campaign, key, 1, 0n, { voucher }),
          )
        ).wait();
        await expect(campaign.pledge(await pledgeFor(campaign, key, 2)))
          .to.emit(campaign, "PledgeChanged")
          .withArgs(key.address, 2n, 0n);
      });
    });

    describe("when a level's requested total would exceed 2^90 - 1", function () {
      it("refuses with LevelLimitExceeded", async function () {
        const { campaign, params } = await loadFixture(maxCapFixture);
        await (
          await campaign.pledge(
            await pledgeFor(campaign, newPledgeKey(), 2, params.supportCap),
          )
        ).wait();
        await expect(
          campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 2, 1n)),
        )
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(2n);
      });
    });
    describe("when a level's count would exceed 2^32 - 1", function () {
      it("refuses with LevelLimitExceeded instead of spilling into the next level", async function () {
        const { campaign } = await loadFixture(ethCampaignFixture);
        const address = await campaign.getAddress();
        // Four billion pledges cannot be made in a test: find the packed count word by its content
        // after one pledge at level 2 (lane 1), then set that lane to 2^32 - 1.
        await (
          await campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 2))
        ).wait();
        let slot = -1;
        for (let i = 0; i < 32 && slot < 0; i++) {
          if (
            BigInt(await ethers.provider.getStorage(address, i)) ===
            1n << 32n
          )
            slot = i;
        }
        expect(slot).to.be.gte(0);
        await networkHelpers.setStorageAt(
          address,
          slot,
          ((1n << 32n) - 1n) << 32n,
        );
        expect((await campaign.levelTallies())[0]).to.deep.equal([
          0n,
          (1n << 32n) - 1n,
          0n,
        ]);
        await expect(
          campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 2)),
        )
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(2n);
        await (
          await campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 3))
        ).wait();
        expect((await campaign.levelTallies())[0]).to.deep.equal([
          0n,
          (1n << 32n) - 1n,
          1n,
        ]);
      });
    });
  });

  describe("pledgeBatch", function () {
    it("refuses an empty batch with EmptyBatch", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      await expect(campaign.pledgeBatch([])).to.be.revertedWithCustomError(
        campaign,
        "EmptyBatch",
      );
    });

    it("skips an invalid pledge with PledgeSkipped and applies the others", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const good = newPledgeKey();
      const bad = newPledgeKey();
      await expect(
        campaign.pledgeBatch([
          await pledgeFor(campaign, bad, 9),
          await pledgeFor(campaign, good, 1),
        ]),
      )
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, bad.address, 3n) // SkipReason.LevelOutOfRange
        .and.to.emit(campaign, "Pledged")
        .withArgs(good.address, 1n, 0n);
      expect((await campaign.pledgeOf(good.address)).nonce).to.equal(1n);
      expect((await campaign.pledgeOf(bad.address)).nonce).to.equal(0n);
    });

    it("refuses batches after the deadline", async function () {
      const { campaign, params } = await loadFixture(ethCampaignFixture);
      const signed = await pledgeFor(campaign, newPledgeKey(), 1);
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.pledgeBatch([signed]))
        .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
        .withArgs(params.pledgeDeadline);
    });

    it("applies successive pledges of one key in order within a batch", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey();
      const first = await pledgeFor(campaign, key, 1, 7n, { nonce: 0 });
      const second = await pledgeFor(campaign, key, 3, 9n, { nonce: 1 });
      await expect(campaign.pledgeBatch([first, second]))
        .to.emit(campaign, "Pledged")
        .withArgs(key.address, 1n, 7n)
        .and.to.emit(campaign, "PledgeChanged")
        .withArgs(key.address, 3n, 9n);
      const [counts, requested] = await campaign.levelTallies();
      expect(counts).to.deep.equal([0n, 0n, 1n]);
      expect(requested).to.deep.equal([0n, 0n, 9n]);
    });

    it("keeps exact tallies across several count words and amount blocks", async function () {
      const { campaign } = await loadFixture(longLadderFixture);
      const levels = [1, 3, 8, 9, 9, 16, 17, 20, 20, 2];
      const supports = [5n, 0n, 7n, 11n, 0n, 13n, 17n, 19n, 23n, 29n];
      const keys = levels.map(() => newPledgeKey());
      await (
        await campaign.pledgeBatch(
          await Promise.all(
            keys.map((k, i) => pledgeFor(campaign, k, levels[i], supports[i])),
          ),
        )
      ).wait();
      // Move two of them across blocks in a second batch, one withdraws.
      await (
        await campaign.pledgeBatch([
          await pledgeFor(campaign, keys[0], 18, 5n),
          await pledgeFor(campaign, keys[6], 0),
          await pledgeFor(campaign, keys[9], 10, 30n),
        ])
      ).wait();
      const state = model.replay([
        ...keys.map((k, i) => ({
          kind: "Pledged" as const,
          pledgeKey: k.address,
          level: levels[i],
          support: supports[i],
        })),
        {
          kind: "PledgeChanged",
          pledgeKey: keys[0].address,
          level: 18,
          support: 5n,
        },
        { kind: "PledgeWithdrawn", pledgeKey: keys[6].address },
        {
          kind: "PledgeChanged",
          pledgeKey: keys[9].address,
          level: 10,
          support: 30n,
        },
      ]);
      const expected = model.tallies(20, state);
      const [counts, requested] = await campaign.levelTallies();
      expect(counts).to.deep.equal(expected.counts);
      expect(requested).to.deep.equal(expected.requested);
    });
  });

  describe("donate", function () {
    describe("in ETH", function () {
      it("escrows the amount, emits Donated and counts it", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        const tx = campaign
          .connect(others[0])
          .donate(2, 1000n, { value: 1000n });
        await expect(tx)
          .to.emit(campaign, "Donated")
          .withArgs(0n, others[0].address, 2n, 1000n);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [others[0], campaign],
          [-1000n, 1000n],
        );
        await expect(campaign.connect(others[1]).donate(2, 5n, { value: 5n }))
          .to.emit(campaign, "Donated")
          .withArgs(1n, others[1].address, 2n, 5n);
        expect((await campaign.status()).donationCount).to.equal(2n);
        expect((await campaign.levelTallies())[2]).to.deep.equal([
          0n,
          1005n,
          0n,
        ]);
        expect(await campaign.donationOf(0n)).to.deep.equal([
          others[0].address,
          2n,
          false,
          1000n,
        ]);
      });

      it("returns the new donation's id", async function () {
        const { campaign, others } = await loadFixture(fundedCampaignFixture);
        expect(
          await campaign
            .connect(others[4])
            .donate.staticCall(1, 9n, { value: 9n }),
        ).to.equal(3n);
      });

      it("refuses a value different from the amount with WrongValue", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(
          campaign.connect(others[0]).donate(1, 1000n, { value: 999n }),
        )
          .to.be.revertedWithCustomError(campaign, "WrongValue")
          .withArgs(999n, 1000n);
      });

      it("refuses level 0 and levels above m with LevelOutOfRange", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(campaign.connect(others[0]).donate(0, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(0n, 3n);
        await expect(campaign.connect(others[0]).donate(4, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "LevelOutOfRange")
          .withArgs(4n, 3n);
      });

      it("refuses zero and amounts above 2^88 - 1 with InvalidDonationAmount", async function () {
        const { campaign, others } = await loadFixture(ethCampaignFixture);
        await expect(campaign.connect(others[0]).donate(1, 0n))
          .to.be.revertedWithCustomError(campaign, "InvalidDonationAmount")
          .withArgs(0n);
        await expect(campaign.connect(others[0]).donate(1, 1n << 88n))
          .to.be.revertedWithCustomError(campaign, "InvalidDonationAmount")
          .withArgs(1n << 88n);
      });

      it("refuses donations after the deadline with PledgeDeadlinePassed", async function () {
        const { campaign, others, params } =
          await loadFixture(ethCampaignFixture);
        await time.increaseTo(params.pledgeDeadline + 1n);
        await expect(campaign.connect(others[0]).donate(1, 1n, { value: 1n }))
          .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
          .withArgs(params.pledgeDeadline);
      });
    });

    describe("in an ERC-20", function () {
      it("pulls the amount by allowance", async function () {
        const { campaign, token, others } =
          await loadFixture(tokenCampaignFixture);
        await (
          await token
            .connect(others[0])
            .approve(await campaign.getAddress(), 5_000_000n)
        ).wait();
        const tx = campaign.connect(others[0]).donate(1, 5_000_000n);
        await expect(tx)
          .to.emit(campaign, "Donated")
          .withArgs(0n, others[0].address, 1n, 5_000_000n);
        await expect(tx).to.changeTokenBalances(
          ethers,
          token,
          [others[0], campaign],
          [-5_000_000n, 5_000_000n],
        );
      });

      it("refuses ETH sent along with WrongValue", async function () {
        const { campaign, token, others } =
          await loadFixture(tokenCampaignFixture);
        await (
          await token
            .connect(others[0])
            .approve(await campaign.getAddress(), 10n)
        ).wait();
        await expect(campaign.connect(others[0]).donate(1, 10n, { value: 10n }))
          .to.be.revertedWithCustomError(campaign, "WrongValue")
          .withArgs(10n, 0n);
      });

      it("refuses a level's donated total above 2^90 - 1 with LevelLimitExceeded", async function () {
        const { campaign, token, others } =
          await loadFixture(tokenCampaignFixture);
        const max = (1n << 88n) - 1n;
        await (await token.mint(others[0].address, max * 5n)).wait();
        await (
          await token
            .connect(others[0])
            .approve(await campaign.getAddress(), max * 5n)
        ).wait();
        for (let i = 0; i < 4; i++)
          await (await campaign.connect(others[0]).donate(3, max)).wait();
        await expect(campaign.connect(others[0]).donate(3, 4n))
          .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
          .withArgs(3n);
        await (await campaign.connect(others[0]).donate(3, 3n)).wait();
        expect((await campaign.levelTallies())[2][2]).to.equal(
          (1n << 90n) - 1n,
        );
      });
    });
  });

  describe("donateWithPermit", function () {
    async function permit(
      token: Awaited<ReturnType<typeof tokenCampaignFixture>>["token"],
      owner: Awaited<ReturnType<typeof ethers.getSigners>>[number],
      spender: string,
      value: bigint,
      deadline: bigint,
    ) {
      const domain = {
        name: "Test Euro",
        version: "1",
        chainId: await chainId(),
        verifyingContract: await token.getAddress(),
      };
      const types = {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      };
      const nonce = await token.nonces(owner.address);
      const sig = ethers.Signature.from(
        await owner.signTypedData(domain, types, {
          owner: owner.address,
          spender,
          value,
          nonce,
          deadline,
        }),
      );
      return { v: sig.v, r: sig.r, s: sig.s };
    }

    it("donates in one transaction with an EIP-2612 permit", async function () {
      const { campaign, token, others, params } =
        await loadFixture(tokenCampaignFixture);
      const p = await permit(
        token,
        others[0],
        await campaign.getAddress(),
        7_000_000n,
        params.pledgeDeadline,
      );
      const tx = campaign
        .connect(others[0])
        .donateWithPermit(2, 7_000_000n, params.pledgeDeadline, p.v, p.r, p.s);
      await expect(tx)
        .to.emit(campaign, "Donated")
        .withArgs(0n, others[0].address, 2n, 7_000_000n);
      await expect(tx).to.changeTokenBalance(
        ethers,
        token,
        campaign,
        7_000_000n,
      );
    });

    it("still donates when the permit was front-run, using the allowance it set", async function () {
      const { campaign, token, others, params } =
        await loadFixture(tokenCampaignFixture);
      const spender = await campaign.getAddress();
      const p = await permit(
        token,
        others[0],
        spender,
        7_000_000n,
        params.pledgeDeadline,
      );
      await (
        await token
          .connect(others[5])
          .permit(
            others[0].address,
            spender,
            7_000_000n,
            params.pledgeDeadline,
            p.v,
            p.r,
            p.s,
          )
      ).wait();
      await expect(
        campaign
          .connect(others[0])
          .donateWithPermit(
            1,
            7_000_000n,
            params.pledgeDeadline,
            p.v,
            p.r,
            p.s,
          ),
      )
        .to.emit(campaign, "Donated")
        .withArgs(0n, others[0].address, 1n, 7_000_000n);
    });

    it("reverts when the permit fails and no allowance is there", async function () {
      const { campaign, token, others, params } =
        await loadFixture(tokenCampaignFixture);
      const p = await permit(
        token,
        others[1],
        await campaign.getAddress(),
        7_000_000n,
        params.pledgeDeadline,
      );
      await expect(
        campaign
          .connect(others[0])
          .donateWithPermit(
            1,
            7_000_000n,
            params.pledgeDeadline,
            p.v,
            p.r,
            p.s,
          ),
      ).to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance");
    });

    it("refuses an ETH campaign with NotATokenCampaign", async function () {
      const { campaign, others } = await loadFixture(ethCampaignFixture);
      await expect(
        campaign
          .connect(others[0])
          .donateWithPermit(1, 1n, 0n, 27, ethers.ZeroHash, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(campaign, "NotATokenCampaign");
    });
  });

  describe("withdrawDonation", function () {
    it("pays the donor back in full before the deadline and lowers the tallies", async function () {
      const { campaign, donors } = await loadFixture(fundedCampaignFixture);
      const tx = campaign.connect(donors.d1).withdrawDonation(1n);
      await expect(tx)
        .to.emit(campaign, "DonationWithdrawn")
        .withArgs(1n, donors.d1.address, 333n);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [donors.d1, campaign],
        [333n, -333n],
      );
      expect((await campaign.levelTallies())[2]).to.deep.equal([
        700n,
        200n,
        0n,
      ]);
      expect(await campaign.donationOf(1n)).to.deep.equal([
        ZERO,
        0n,
        false,
        0n,
      ]);
    });

    it("pays a token donation back in the token", async function () {
      const { campaign, token, others } =
        await loadFixture(tokenCampaignFixture);
      await (
        await token.connect(others[0]).approve(await campaign.getAddress(), 10n)
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 10n)).wait();
      await expect(
        campaign.connect(others[0]).withdrawDonation(0n),
      ).to.changeTokenBalances(
        ethers,
        token,
        [others[0], campaign],
        [10n, -10n],
      );
    });

    it("refuses anyone but the donor with NotDonor", async function () {
      const { campaign, donors, organiser } = await loadFixture(
        fundedCampaignFixture,
      );
      await expect(campaign.connect(organiser).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "NotDonor")
        .withArgs(0n, organiser.address);
      await expect(campaign.connect(donors.d1).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "NotDonor")
        .withArgs(0n, donors.d1.address);
    });

    it("refuses unknown and already withdrawn donations with UnknownDonation", async function () {
      const { campaign, donors } = await loadFixture(fundedCampaignFixture);
      await expect(campaign.connect(donors.d0).withdrawDonation(3n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(3n);
      await (await campaign.connect(donors.d0).withdrawDonation(0n)).wait();
      await expect(campaign.connect(donors.d0).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(0n);
    });

    it("refuses withdrawals after the deadline with PledgeDeadlinePassed", async function () {
      const { campaign, donors, params } = await loadFixture(
        fundedCampaignFixture,
      );
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.connect(donors.d0).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "PledgeDeadlinePassed")
        .withArgs(params.pledgeDeadline);
    });
  });

  describe("resolve", function () {
    it("refuses before the deadline has passed with PledgeDeadlineNotPassed", async function () {
      const { campaign, params } = await loadFixture(fundedCampaignFixture);
      await time.setNextBlockTimestamp(params.pledgeDeadline);
      await expect(campaign.resolve())
        .to.be.revertedWithCustomError(campaign, "PledgeDeadlineNotPassed")
        .withArgs(params.pledgeDeadline);
    });

    it("refuses a second resolution with AlreadyResolved", async function () {
      const { campaign } = await loadFixture(resolvedCampaignFixture);
      await expect(campaign.resolve()).to.be.revertedWithCustomError(
        campaign,
        "AlreadyResolved",
      );
    });

    it("fails the campaign when no level is reached", async function () {
      const { campaign, params, others } =
        await loadFixture(ethCampaignFixture);
      await (
        await campaign.pledge(await pledgeFor(campaign, newPledgeKey(), 1, 10n))
      ).wait();
      await (
        await campaign.connect(others[0]).donate(1, 50n, { value: 50n })
      ).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.connect(others[9]).resolve())
        .to.emit(campaign, "CampaignResolved")
        .withArgs(0n, 0n, 0n, 0n, 0n);
      const s = await campaign.status();
      expect([s.phase, s.tippingLevel, s.committed]).to.deep.equal([
        2n,
        0n,
        0n,
      ]);
    });

    it("records j*, P, F, R and emits paid = min(F, R)", async function () {
      const { campaign, params } = await loadFixture(fundedCampaignFixture);
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.resolve())
        .to.emit(campaign, "CampaignResolved")
        .withArgs(1n, 2n, 1033n, 400n, 400n);
      const s = await campaign.status();
      expect([
        s.phase,
        s.tippingLevel,
        s.committed,
        s.triggeredDonations,
        s.requestedSupport,
      ]).to.deep.equal([2n, 1n, 2n, 1033n, 400n]);
    });

    it("takes the greatest self-consistent level, not the cascade from zero", async function () {
      const { campaign, params } = await loadFixture(ethCampaignFixture);
      // Ten people at level 3 (L_3 = 10) and one at level 1 (L_1 = 2): C(1) = 1 < 2, C(3) = 11 >= 10.
      const keys = Array.from({ length: 11 }, () => newPledgeKey());
      await (
        await campaign.pledgeBatch(
          await Promise.all(
            keys.map((k, i) => pledgeFor(campaign, k, i === 0 ? 1 : 3, 1n)),
          ),
        )
      ).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.resolve())
        .to.emit(campaign, "CampaignResolved")
        .withArgs(3n, 11n, 0n, 11n, 0n);
    });

    for (const tipping of [3, 10, 15, 20]) {
      it(`sums F and R exactly up to level ${tipping} of a 20-level ladder`, async function () {
        const { campaign, params, others } =
          await loadFixture(longLadderFixture);
        const keys = Array.from({ length: tipping }, () => newPledgeKey());
        const levelOf = (i: number) =>
          i % 2 === 0 ? tipping : 1 + (i % tipping);
        await (
          await campaign.pledgeBatch(
            await Promise.all(
              keys.map((k, i) =>
                pledgeFor(campaign, k, levelOf(i), BigInt(i + 1) * 10n),
              ),
            ),
          )
        ).wait();
        for (const level of [1, 2, 8, 9, 10, 14, 15, 16, 17, 20]) {
          await (
            await campaign
              .connect(others[0])
              .donate(level, BigInt(level) * 1000n, {
                value: BigInt(level) * 1000n,
              })
          ).wait();
        }
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        const [counts, requested, donated] = await campaign.levelTallies();
        const expected = model.resolve(params.ladder, {
          counts,
          requested,
          donated,
        });
        expect(expected.tippingLevel).to.equal(tipping);
        const s = await campaign.status();
        expect([
          s.tippingLevel,
          s.committed,
          s.triggeredDonations,
          s.requestedSupport,
        ]).to.deep.equal([
          BigInt(expected.tippingLevel),
          expected.committed,
          expected.triggeredDonations,
          expected.requestedSupport,
        ]);
      });
    }
  });

  describe("claim", function () {
    describe("when the campaign succeeded", function () {
      it("pays floor(s · paid / R) to the signed payee and emits SupportClaimed", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const payee = others[10].address as Address;
        const tx = campaign
          .connect(others[11])
          .claim(await claimFor(campaign, keys.a, { payee }));
        await expect(tx)
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.a.address, payee, 300n, 0n);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [payee, campaign],
          [300n, -300n],
        );
        expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(
          true,
        );
        expect((await campaign.status()).claimedTotal).to.equal(300n);
      });

      it("scales every claim down when donations fall short of requests", async function () {
        const { campaign, keys, others } = await loadFixture(
          scarceCampaignFixture,
        );
        // F = 100, R = 400: A, who asked 300, gets floor(300 · 100 / 400) = 75.
        const expected = model.supportShare(300n, await campaign.status());
        expect(expected).to.equal(75n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.a.address, others[10].address, expected, 0n);
      });

      it("keeps the relayer's fee, up to the signed maximum, for withdrawFees", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const payee = others[10].address as Address;
        const relayer = others[11];
        const signed = await claimFor(campaign, keys.a, {
          payee,
          feeRecipient: relayer.address as Address,
          maxFee: 20n,
          fee: 15n,
        });
        const tx = campaign.connect(relayer).claim(signed);
        await expect(tx)
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.a.address, payee, 300n, 15n);
        await expect(tx).to.changeEtherBalances(
          ethers,
          [payee, campaign],
          [285n, -285n],
        );
        expect(await campaign.feesOf(relayer.address)).to.equal(15n);
      });

      it("refuses a fee above the signed maximum with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
          feeRecipient: others[11].address as Address,
          maxFee: 20n,
          fee: 21n,
        });
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "FeeTooHigh")
          .withArgs(21n, 20n);
      });

      it("refuses a fee above the claim itself with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.b, {
          payee: others[10].address as Address,
          feeRecipient: others[11].address as Address,
          maxFee: 1000n,
          fee: 101n,
        });
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "FeeTooHigh")
          .withArgs(101n, 1000n);
      });

      it("refuses a fee without a fee recipient with FeeTooHigh", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.b, {
          payee: others[10].address as Address,
          maxFee: 10n,
          fee: 1n,
        });
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "FeeTooHigh")
          .withArgs(1n, 10n);
      });

      it("refuses a second claim with AlreadyClaimed", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        await (await campaign.claim(signed)).wait();
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "AlreadyClaimed")
          .withArgs(keys.a.address);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[12].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "AlreadyClaimed")
          .withArgs(keys.a.address);
      });

      it("refuses a pledge above j* with PledgeNotTriggered", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.c, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(keys.c.address);
      });

      it("refuses a key that never pledged with PledgeNotTriggered", async function () {
        const { campaign, others } = await loadFixture(resolvedCampaignFixture);
        const stranger = newPledgeKey();
        await expect(
          campaign.claim(
            await claimFor(campaign, stranger, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(stranger.address);
      });

      it("refuses a zero payee with ZeroPayee", async function () {
        const { campaign, keys } = await loadFixture(resolvedCampaignFixture);
        await expect(
          campaign.claim(await claimFor(campaign, keys.a, { payee: ZERO })),
        ).to.be.revertedWithCustomError(campaign, "ZeroPayee");
      });

      it("refuses a beneficiary who asked for nothing with NothingToClaim", async function () {
        const { campaign, params, others } =
          await loadFixture(ethCampaignFixture);
        const [a, b] = [newPledgeKey(), newPledgeKey()];
        await (
          await campaign.pledgeBatch([
            await pledgeFor(campaign, a, 1, 0n),
            await pledgeFor(campaign, b, 1, 50n),
          ])
        ).wait();
        await (
          await campaign.connect(others[0]).donate(1, 100n, { value: 100n })
        ).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
      });

      it("refuses every claim with NothingToClaim when nobody asked for support (R = 0)", async function () {
        const { campaign, params, others } =
          await loadFixture(ethCampaignFixture);
        const [a, b] = [newPledgeKey(), newPledgeKey()];
        await (
          await campaign.pledgeBatch([
            await pledgeFor(campaign, a, 1),
            await pledgeFor(campaign, b, 1),
          ])
        ).wait();
        await (
          await campaign.connect(others[0]).donate(1, 100n, { value: 100n })
        ).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        expect([...(await campaign.claimableSupport(a.address))]).to.deep.equal([E.None, 0n]);
        await expect(
          campaign.claim(
            await claimFor(campaign, a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
        // With R = 0 the whole donation is surplus, returned at once.
        await expect(campaign.connect(others[0]).reclaimDonation(0n))
          .to.emit(campaign, "SurplusReturned")
          .withArgs(0n, others[0].address, 100n);
      });

      it("refuses claims after the claim window with ClaimWindowClosed", async function () {
        const { campaign, keys, others, claimEnd } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        await time.setNextBlockTimestamp(claimEnd);
        await (
          await campaign.claim(
            await claimFor(campaign, keys.b, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        await expect(campaign.claim(signed))
          .to.be.revertedWithCustomError(campaign, "ClaimWindowClosed")
          .withArgs(claimEnd);
      });

      it("refuses a signature with its payee changed (another key recovers)", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        const signed = await claimFor(campaign, keys.a, {
          payee: others[10].address as Address,
        });
        const forged = { ...signed, payee: others[13].address as Address };
        const recovered = await recoverClaimSigner(
          await campaign.getAddress(),
          await chainId(),
          forged,
        );
        expect(recovered).to.not.equal(keys.a.address);
        await expect(campaign.claim(forged))
          .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
          .withArgs(recovered);
      });
    });

    describe("when the campaign is not resolved or failed", function () {
      it("refuses before resolution with NotResolved", async function () {
        const { campaign, keys, others } = await loadFixture(
          fundedCampaignFixture,
        );
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "NotResolved");
      });

      it("refuses when the campaign failed with CampaignFailed", async function () {
        const { campaign, params, others } =
          await loadFixture(ethCampaignFixture);
        const key = newPledgeKey();
        await (
          await campaign.pledge(await pledgeFor(campaign, key, 1, 10n))
        ).wait();
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, key, {
              payee: others[10].address as Address,
            }),
          ),
        ).to.be.revertedWithCustomError(campaign, "CampaignFailed");
      });
    });

    describe("with a participation oracle", function () {
      it("waits for the oracle during its window with ParticipationPending", async function () {
        const { campaign, keys, others, oracleEnd } = await loadFixture(
          oracleResolvedFixture,
        );
        await time.setNextBlockTimestamp(oracleEnd);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "ParticipationPending")
          .withArgs(oracleEnd);
      });

      it("pays no support without proof once the oracle window closed unpublished", async function () {
        const { campaign, keys, others, oracleEnd } = await loadFixture(
          oracleResolvedFixture,
        );
        const claim = await claimFor(campaign, keys.a, { payee: others[10].address as Address });
        await time.increaseTo(oracleEnd - 1n);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([E.Pending, 300n]);
        await expect(campaign.claim(claim))
          .to.be.revertedWithCustomError(campaign, "ParticipationPending")
          .withArgs(oracleEnd);
        await time.increaseTo(oracleEnd + 1n);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([E.None, 0n]);
        await expect(campaign.claim(claim)).to.be.revertedWithCustomError(campaign, "ParticipationMissing");
      });

      it("pays a participant proving membership in the published set", async function () {
        const { campaign, keys, others, oracle, tree, params } =
          await loadFixture(oracleResolvedFixture);
        await time.increaseTo(params.actionDate);
        await (
          await campaign.connect(oracle).publishParticipation(tree.root as Hex)
        ).wait();
        const proof = tree.getProof([keys.b.address]) as Hex[];
        // The view says a proof is needed (it cannot check membership itself).
        const [state, amount] = await campaign.claimableSupport(keys.b.address);
        expect(state).to.equal(E.NeedsProof);
        expect(amount).to.be.greaterThan(0n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.b, {
              payee: others[10].address as Address,
              proof,
            }),
          ),
        )
          .to.emit(campaign, "SupportClaimed")
          .withArgs(keys.b.address, others[10].address, 100n, 0n);
      });

      it("refuses a missing or wrong proof once published with NotAParticipant", async function () {
        const { campaign, keys, others, oracle, params } = await loadFixture(
          oracleResolvedFixture,
        );
        const onlyB = StandardMerkleTree.of(
          [[keys.b.address], [others[0].address]],
          ["address"],
        );
        await time.increaseTo(params.actionDate);
        await (
          await campaign.connect(oracle).publishParticipation(onlyB.root as Hex)
        ).wait();
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
        const proofOfB = onlyB.getProof([keys.b.address]) as Hex[];
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
              proof: proofOfB,
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
      });

      it("still requires the proof after the oracle window when a root was published", async function () {
        const { campaign, keys, others, oracle, params, oracleEnd, tree } =
          await loadFixture(oracleResolvedFixture);
        const onlyB = StandardMerkleTree.of(
          [[keys.b.address], [others[0].address]],
          ["address"],
        );
        await time.increaseTo(params.actionDate);
        await (
          await campaign.connect(oracle).publishParticipation(onlyB.root as Hex)
        ).wait();
        await time.increaseTo(oracleEnd + 1n);
        await expect(
          campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
              proof: tree.getProof([keys.a.address]) as Hex[],
            }),
          ),
        )
          .to.be.revertedWithCustomError(campaign, "NotAParticipant")
          .withArgs(keys.a.address);
      });
    });
  });

  describe("reclaimDonation", function () {
    it("refuses before resolution with NotResolved", async function () {
      const { campaign, donors } = await loadFixture(fundedCampaignFixture);
      await expect(
        campaign.connect(donors.d0).reclaimDonation(0n),
      ).to.be.revertedWithCustomError(campaign, "NotResolved");
    });

    it("refuses anyone but the donor with NotDonor", async function () {
      const { campaign, organiser } = await loadFixture(
        resolvedCampaignFixture,
      );
      await expect(campaign.connect(organiser).reclaimDonation(2n))
        .to.be.revertedWithCustomError(campaign, "NotDonor")
        .withArgs(2n, organiser.address);
    });

    it("refuses unknown donations with UnknownDonation", async function () {
      const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
      await expect(campaign.connect(donors.d0).reclaimDonation(9n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(9n);
    });

    it("refunds every donation in full when no level is reached", async function () {
      const { campaign, params, others } =
        await loadFixture(ethCampaignFixture);
      await (
        await campaign.connect(others[0]).donate(1, 50n, { value: 50n })
      ).wait();
      await (
        await campaign.connect(others[1]).donate(3, 70n, { value: 70n })
      ).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      const tx = campaign.connect(others[0]).reclaimDonation(0n);
      await expect(tx)
        .to.emit(campaign, "DonationRefunded")
        .withArgs(0n, others[0].address, 50n);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [others[0], campaign],
        [50n, -50n],
      );
      await expect(campaign.connect(others[1]).reclaimDonation(1n))
        .to.emit(campaign, "DonationRefunded")
        .withArgs(1n, others[1].address, 70n);
      expect(await balanceOf(campaign)).to.equal(0n);
      await expect(campaign.connect(others[1]).reclaimDonation(1n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(1n);
    });

    it("refunds a donation above j* in full, once", async function () {
      const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
      const tx = campaign.connect(donors.d2).reclaimDonation(2n);
      await expect(tx)
        .to.emit(campaign, "DonationRefunded")
        .withArgs(2n, donors.d2.address, 200n);
      await expect(tx).to.changeEtherBalance(ethers, donors.d2, 200n);
      await expect(campaign.connect(donors.d2).reclaimDonation(2n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(2n);
    });

    it("returns a triggered donation's surplus share at once, only once", async function () {
      const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
      const surplus = model.surplusShare(700n, {
        triggeredDonations: 1033n,
        requestedSupport: 400n,
      });
      expect(surplus).to.equal(428n); // floor(700 · 633 / 1033)
      expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Due, surplus]);
      const tx = campaign.connect(donors.d0).reclaimDonation(0n);
      await expect(tx)
        .to.emit(campaign, "SurplusReturned")
        .withArgs(0n, donors.d0.address, surplus);
      await expect(tx).to.changeEtherBalance(ethers, donors.d0, surplus);
      expect(await campaign.donationOf(0n)).to.deep.equal([
        donors.d0.address,
        1n,
        true,
        700n,
      ]);
      // The surplus was taken; the remainder share waits for the claim window.
      expect((await campaign.reclaimable(0n))[0]).to.equal(E.Pending);
      await expect(
        campaign.connect(donors.d0).reclaimDonation(0n),
      ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    });

    it("returns the share of unclaimed support after the claim window, then forgets the donation", async function () {
      const { campaign, donors, keys, others, claimEnd } = await loadFixture(
        resolvedCampaignFixture,
      );
      await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
      await (
        await campaign.claim(
          await claimFor(campaign, keys.a, {
            payee: others[10].address as Address,
          }),
        )
      ).wait();
      await time.increaseTo(claimEnd + 1n);
      const r = { triggeredDonations: 1033n, requestedSupport: 400n };
      const remainder = model.remainderShare(700n, r, 300n);
      expect(remainder).to.equal(67n); // floor(700 · 100 / 1033)
      await expect(campaign.connect(donors.d0).reclaimDonation(0n))
        .to.emit(campaign, "RemainderReturned")
        .withArgs(0n, donors.d0.address, remainder)
        .and.not.to.emit(campaign, "SurplusReturned");
      await expect(campaign.connect(donors.d0).reclaimDonation(0n))
        .to.be.revertedWithCustomError(campaign, "UnknownDonation")
        .withArgs(0n);
    });

    it("returns surplus and remainder together when the donor comes only after the window", async function () {
      const { campaign, donors, claimEnd } = await loadFixture(
        resolvedCampaignFixture,
      );
      await time.increaseTo(claimEnd + 1n);
      const r = { triggeredDonations: 1033n, requestedSupport: 400n };
      const surplus = model.surplusShare(333n, r);
      const remainder = model.remainderShare(333n, r, 0n);
      expect([...(await campaign.reclaimable(1n))]).to.deep.equal([E.Due, surplus + remainder]);
      const tx = campaign.connect(donors.d1).reclaimDonation(1n);
      await expect(tx)
        .to.emit(campaign, "SurplusReturned")
        .withArgs(1n, donors.d1.address, surplus)
        .and.to.emit(campaign, "RemainderReturned")
        .withArgs(1n, donors.d1.address, remainder);
      await expect(tx).to.changeEtherBalance(
        ethers,
        donors.d1,
        surplus + remainder,
      );
    });

    it("has nothing to return before the window when every wei goes to support", async function () {
      const { campaign, others } = await loadFixture(scarceCampaignFixture);
      await expect(
        campaign.connect(others[0]).reclaimDonation(0n),
      ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    });

    it("has nothing to return after the window when everything was claimed", async function () {
      const { campaign, others, keys, claimEnd } = await loadFixture(
        scarceCampaignFixture,
      );
      await (
        await campaign.claim(
          await claimFor(campaign, keys.a, {
            payee: others[10].address as Address,
          }),
        )
      ).wait();
      await (
        await campaign.claim(
          await claimFor(campaign, keys.b, {
            payee: others[10].address as Address,
          }),
        )
      ).wait();
      await time.increaseTo(claimEnd + 1n);
      expect(await balanceOf(campaign)).to.equal(0n);
      await expect(
        campaign.connect(others[0]).reclaimDonation(0n),
      ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    });

    it("pays token donations back in the token", async function () {
      const { campaign, token, others, params } =
        await loadFixture(tokenCampaignFixture);
      await (
        await token.connect(others[0]).approve(await campaign.getAddress(), 10n)
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 10n)).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      await expect(
        campaign.connect(others[0]).reclaimDonation(0n),
      ).to.changeTokenBalance(ethers, token, others[0], 10n);
    });
  });

  describe("publishParticipation", function () {
    it("records the root within [actionDate, actionDate + oracleWindow] and emits ParticipationPublished", async function () {
      const { campaign, oracle, tree, oracleEnd } = await loadFixture(
        oracleResolvedFixture,
      );
      await time.setNextBlockTimestamp(oracleEnd);
      await expect(
        campaign.connect(oracle).publishParticipation(tree.root as Hex),
      )
        .to.emit(campaign, "ParticipationPublished")
        .withArgs(tree.root);
      expect((await campaign.status()).participationRoot).to.equal(tree.root);
    });

    it("refuses anyone but the oracle with NotOracle", async function () {
      const { campaign, organiser, tree, params } = await loadFixture(
        oracleResolvedFixture,
      );
      await time.increaseTo(params.actionDate);
      await expect(
        campaign.connect(organiser).publishParticipation(tree.root as Hex),
      )
        .to.be.revertedWithCustomError(campaign, "NotOracle")
        .withArgs(organiser.address);
    });

    it("refuses everyone on a campaign without an oracle", async function () {
      const { campaign, params } = await loadFixture(ethCampaignFixture);
      const [signer] = await ethers.getSigners();
      await time.increaseTo(params.actionDate);
      await expect(
        campaign.connect(signer).publishParticipation(ethers.id("root")),
      )
        .to.be.revertedWithCustomError(campaign, "NotOracle")
        .withArgs(signer.address);
    });

    it("refuses before the action date and after the oracle window with OutsideParticipationWindow", async function () {
      const { campaign, oracle, tree, params, oracleEnd } = await loadFixture(
        oracleResolvedFixture,
      );
      await time.setNextBlockTimestamp(params.actionDate - 1n);
      await expect(
        campaign.connect(oracle).publishParticipation(tree.root as Hex),
      )
        .to.be.revertedWithCustomError(campaign, "OutsideParticipationWindow")
        .withArgs(params.actionDate, oracleEnd);
      await time.increaseTo(oracleEnd + 1n);
      await expect(
        campaign.connect(oracle).publishParticipation(tree.root as Hex),
      )
        .to.be.revertedWithCustomError(campaign, "OutsideParticipationWindow")
        .withArgs(params.actionDate, oracleEnd);
    });

    it("refuses a zero root and a second publication with InvalidParticipationRoot", async function () {
      const { campaign, oracle, tree, params } = await loadFixture(
        oracleResolvedFixture,
      );
      await time.increaseTo(params.actionDate);
      await expect(
        campaign.connect(oracle).publishParticipation(ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(campaign, "InvalidParticipationRoot")
        .withArgs(ethers.ZeroHash);
      await (
        await campaign.connect(oracle).publishParticipation(tree.root as Hex)
      ).wait();
      const other = ethers.id("another set");
      await expect(campaign.connect(oracle).publishParticipation(other))
        .to.be.revertedWithCustomError(campaign, "InvalidParticipationRoot")
        .withArgs(other);
    });
  });

  describe("withdrawFees", function () {
    it("pays the fees credited to the caller once and emits FeesWithdrawn", async function () {
      const { campaign, keys, others } = await loadFixture(
        resolvedCampaignFixture,
      );
      const relayer = others[11];
      for (const key of [keys.a, keys.b]) {
        const signed = await claimFor(campaign, key, {
          payee: others[10].address as Address,
          feeRecipient: relayer.address as Address,
          maxFee: 10n,
          fee: 10n,
        });
        await (await campaign.claim(signed)).wait();
      }
      expect(await campaign.feesOf(relayer.address)).to.equal(20n);
      const tx = campaign.connect(relayer).withdrawFees();
      await expect(tx)
        .to.emit(campaign, "FeesWithdrawn")
        .withArgs(relayer.address, 20n);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [relayer, campaign],
        [20n, -20n],
        { includeFee: false },
      );
      expect(await campaign.feesOf(relayer.address)).to.equal(0n);
      await expect(
        campaign.connect(relayer).withdrawFees(),
      ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    });

    it("refuses a caller with no fees with NothingToClaim", async function () {
      const { campaign, organiser } = await loadFixture(
        resolvedCampaignFixture,
      );
      await expect(
        campaign.connect(organiser).withdrawFees(),
      ).to.be.revertedWithCustomError(campaign, "NothingToClaim");
    });
  });

  describe("views", function () {
    it("parameters returns every creation parameter and the organiser", async function () {
      const { campaign, params, organiser } = await loadFixture(
        oracleCampaignFixture,
      );
      const [p, who] = await campaign.parameters();
      expect(who).to.equal(organiser.address);
      expect([
        p.token,
        p.pledgeDeadline,
        p.actionDate,
        p.oracleWindow,
        p.claimWindow,
        p.supportCap,
        p.attester,
        p.oracle,
        p.metadataHash,
        [...p.ladder],
      ]).to.deep.equal([
        params.token,
        params.pledgeDeadline,
        params.actionDate,
        params.oracleWindow,
        params.claimWindow,
        params.supportCap,
        params.attester,
        params.oracle,
        params.metadataHash,
        params.ladder.map(BigInt),
      ]);
    });

    it("windows gives the oracle's end and the claim window's end", async function () {
      const o = await loadFixture(oracleCampaignFixture);
      const oracleEnd = o.params.actionDate + o.params.oracleWindow;
      expect(await o.campaign.windows()).to.deep.equal([
        oracleEnd,
        oracleEnd + o.params.claimWindow,
      ]);
      const e = await loadFixture(ethCampaignFixture);
      expect(await e.campaign.windows()).to.deep.equal([
        0n,
        e.params.actionDate + e.params.claimWindow,
      ]);
    });

    it("domainSeparator is the EIP-712 domain {Bascule, 1, chainId, campaign}", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const address = (await campaign.getAddress()) as Address;
      expect(await campaign.domainSeparator()).to.equal(
        hashDomain({
          domain: campaignDomain(address, await chainId()),
          types: {
            EIP712Domain: [
              { name: "name", type: "string" },
              { name: "version", type: "string" },
              { name: "chainId", type: "uint256" },
              { name: "verifyingContract", type: "address" },
            ],
          },
        }),
      );
    });

    it("participationLeaf is the StandardMerkleTree leaf of the key", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey().address;
      const tree = StandardMerkleTree.of([[key]], ["address"]);
      expect(await campaign.participationLeaf(key)).to.equal(
        tree.leafHash([key]),
      );
    });

    it("exposes the EIP-712 type hashes", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      expect(await campaign.PLEDGE_TYPEHASH()).to.equal(
        ethers.id("Pledge(uint8 level,uint128 support,uint32 nonce)"),
      );
      expect(await campaign.VOUCHER_TYPEHASH()).to.equal(
        ethers.id("Voucher(address pledgeKey)"),
      );
      expect(await campaign.CLAIM_TYPEHASH()).to.equal(
        ethers.id("Claim(address payee,address feeRecipient,uint256 maxFee)"),
      );
    });

    describe("claimableSupport", function () {
      it("is Pending before resolution for a pledge asking support, None otherwise", async function () {
        const { campaign, keys } = await loadFixture(fundedCampaignFixture);
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([E.Pending, 0n]);
        expect([...(await campaign.claimableSupport(newPledgeKey().address))]).to.deep.equal([E.None, 0n]);
      });

      it("is the support share of a triggered key, 0 above j*, for strangers and after claiming", async function () {
        const { campaign, keys, others } = await loadFixture(
          resolvedCampaignFixture,
        );
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([E.Due, 300n]);
        expect([...(await campaign.claimableSupport(keys.c.address))]).to.deep.equal([E.None, 0n]);
        expect([...(await campaign.claimableSupport(newPledgeKey().address))]).to.deep.equal([E.None, 0n]);
        await (
          await campaign.claim(
            await claimFor(campaign, keys.a, {
              payee: others[10].address as Address,
            }),
          )
        ).wait();
        expect([...(await campaign.claimableSupport(keys.a.address))]).to.deep.equal([E.Taken, 300n]);
      });

      it("is Due in the claim window's last second and Expired after it", async function () {
        const { campaign, keys, claimEnd } = await loadFixture(
          resolvedCampaignFixture,
        );
        const [, amount] = await campaign.claimableSupport(keys.b.address);
        await time.increaseTo(claimEnd);
        expect([...(await campaign.claimableSupport(keys.b.address))]).to.deep.equal([E.Due, amount]);
        await time.increaseTo(claimEnd + 1n);
        expect([...(await campaign.claimableSupport(keys.b.address))]).to.deep.equal([E.Expired, amount]);
      });
    });

    describe("reclaimable", function () {
      it("is Pending before resolution, None for unknown donations, Taken once paid back", async function () {
        const { campaign } = await loadFixture(fundedCampaignFixture);
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Pending, 0n]);
        const resolved = await loadFixture(resolvedCampaignFixture);
        expect([...(await resolved.campaign.reclaimable(42n))]).to.deep.equal([E.None, 0n]);
        await (await resolved.campaign.connect(resolved.donors.d2).reclaimDonation(2n)).wait();
        expect([...(await resolved.campaign.reclaimable(2n))]).to.deep.equal([E.Taken, 0n]);
      });

      it("is the full amount above j*", async function () {
        const { campaign } = await loadFixture(resolvedCampaignFixture);
        expect([...(await campaign.reclaimable(2n))]).to.deep.equal([E.Due, 200n]);
      });

      it("is Pending with the remainder to come once the surplus was taken in the window", async function () {
        const { campaign, donors } = await loadFixture(resolvedCampaignFixture);
        await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Pending, model.remainderShare(700n, r, 0n)]);
      });

      it("adds the remainder share after the window, even once the surplus was taken", async function () {
        const { campaign, donors, claimEnd } = await loadFixture(
          resolvedCampaignFixture,
        );
        await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
        await time.increaseTo(claimEnd + 1n);
        const r = { triggeredDonations: 1033n, requestedSupport: 400n };
        expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Due, model.remainderShare(700n, r, 0n)]);
      });
    });
  });

  describe("lifecycle in numbers", function () {
    it("pays out exactly what came in, beyond rounding dust, across every path", async function () {
      const { campaign, donors, keys, others, claimEnd } = await loadFixture(
        resolvedCampaignFixture,
      );
      const payee = others[10].address as Address;
      await (await campaign.connect(donors.d2).reclaimDonation(2n)).wait();
      await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
      await (
        await campaign.claim(await claimFor(campaign, keys.a, { payee }))
      ).wait();
      await time.increaseTo(claimEnd + 1n);
      await (await campaign.connect(donors.d0).reclaimDonation(0n)).wait();
      await (await campaign.connect(donors.d1).reclaimDonation(1n)).wait();
      const left = await balanceOf(campaign);
      // B's 100 wei went unclaimed and is shared 700:333 among two donations: at most 1 wei each of dust.
      expect(left <= 2n).to.equal(true);
    });
  });
});

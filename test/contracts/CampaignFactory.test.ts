/**
 * Unit tests of CampaignFactory.sol: creation, address prediction, and every parameter check.
 */
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import {
  DAY,
  ZERO,
  createCampaign,
  defaultParams,
  deployFactory,
  ethers,
  networkHelpers,
} from "../helpers/fixtures.js";

const { time, loadFixture } = networkHelpers;

const U64_MAX = (1n << 64n) - 1n;
const SUPPORT_CAP_MAX = (1n << 90n) - 1n;

describe("CampaignFactory", function () {
  describe("constructor", function () {
    it("deploys one campaign implementation, itself not a campaign", async function () {
      const { factory } = await loadFixture(deployFactory);
      const implementation = await factory.implementation();
      expect(await ethers.provider.getCode(implementation)).to.not.equal("0x");
      expect(await factory.isCampaign(implementation)).to.equal(false);
      const campaign = await ethers.getContractAt("Campaign", implementation);
      expect(await campaign.FACTORY()).to.equal(await factory.getAddress());
    });
  });

  describe("createCampaign", function () {
    describe("with valid parameters", function () {
      it("creates an initialised clone at the predicted address and emits CampaignCreated", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const params = await defaultParams();
        const salt = ethers.id("mai");
        const predicted = await factory.predictCampaign(organiser.address, params, salt);
        expect(await factory.isCampaign(predicted)).to.equal(false);
        await expect(factory.connect(organiser).createCampaign(params, "ipfs://grève", salt))
          .to.emit(factory, "CampaignCreated")
          .withArgs(predicted, organiser.address, params.token, anyValue, "ipfs://grève");
        expect(await factory.isCampaign(predicted)).to.equal(true);
        const campaign = await ethers.getContractAt("Campaign", predicted);
        expect((await campaign.status()).phase).to.equal(1n);
        const [p, who] = await campaign.parameters();
        expect(who).to.equal(organiser.address);
        expect([...p.ladder]).to.deep.equal(params.ladder.map(BigInt));
        expect(p.metadataHash).to.equal(params.metadataHash);
      });

      it("logs every parameter in CampaignCreated", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const params = await defaultParams({ ladder: [1, 4, 9, 16], conditions: [5_000, 10_000] });
        const receipt = await (
          await factory.connect(organiser).createCampaign(params, "ipfs://x", ethers.ZeroHash)
        ).wait();
        const event = factory.interface.parseLog(receipt!.logs.at(-1)!);
        expect(event?.name).to.equal("CampaignCreated");
        const logged = event!.args.params;
        expect([
          logged.token,
          logged.pledgeDeadline,
          logged.actionDate,
          logged.oracleWindow,
          logged.claimWindow,
          logged.supportCap,
          [...logged.conditions],
          logged.attester,
          logged.oracle,
          logged.metadataHash,
          [...logged.ladder],
        ]).to.deep.equal([
          params.token,
          params.pledgeDeadline,
          params.actionDate,
          params.oracleWindow,
          params.claimWindow,
          params.supportCap,
          params.conditions.map(BigInt),
          params.attester,
          params.oracle,
          params.metadataHash,
          params.ladder.map(BigInt),
        ]);
      });

      it("accepts the limits: 64 levels, the largest cap, the widest windows, action on the deadline", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const base = await defaultParams();
        const params = await defaultParams({
          ladder: Array.from({ length: 64 }, (_, i) => (i + 1) * 1000),
          supportCap: SUPPORT_CAP_MAX,
          actionDate: base.pledgeDeadline,
          oracle: organiser.address,
          oracleWindow: 1n,
          claimWindow: U64_MAX - base.pledgeDeadline - 1n,
        });
        const campaign = await createCampaign(factory, organiser, params);
        const [p] = await campaign.parameters();
        expect(p.ladder.length).to.equal(64);
        expect(p.ladder[63]).to.equal(64_000n);
        expect(p.supportCap).to.equal(SUPPORT_CAP_MAX);
        expect(await campaign.windows()).to.deep.equal([base.pledgeDeadline + 1n, U64_MAX]);
      });

      it("gives each organiser and salt its own address", async function () {
        const { factory, organiser, others } = await loadFixture(deployFactory);
        const params = await defaultParams();
        const a = await factory.predictCampaign(organiser.address, params, ethers.ZeroHash);
        const b = await factory.predictCampaign(organiser.address, params, ethers.id("other"));
        const c = await factory.predictCampaign(others[0].address, params, ethers.ZeroHash);
        const d = await factory.predictCampaign(organiser.address, { ...params, ladder: [2, 5, 11] }, ethers.ZeroHash);
        expect(new Set([a, b, c, d]).size).to.equal(4);
        const first = await createCampaign(factory, organiser, params);
        const second = await createCampaign(factory, others[0], params);
        expect(await first.getAddress()).to.equal(a);
        expect(await second.getAddress()).to.equal(c);
        expect((await second.parameters())[1]).to.equal(others[0].address);
      });

      it("refuses to create the same campaign twice", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const params = await defaultParams();
        await createCampaign(factory, organiser, params);
        await expect(factory.connect(organiser).createCampaign(params, "ipfs://again", ethers.ZeroHash)).to.be.revert(
          ethers,
        );
      });
    });

    describe("with an invalid ladder", function () {
      it("refuses an empty ladder with InvalidLadderLength", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ ladder: [] }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "InvalidLadderLength")
          .withArgs(0n);
      });

      it("refuses more than 64 levels with InvalidLadderLength", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const ladder = Array.from({ length: 65 }, (_, i) => i + 1);
        await expect(factory.connect(organiser).createCampaign(await defaultParams({ ladder }), "", ethers.ZeroHash))
          .to.be.revertedWithCustomError(factory, "InvalidLadderLength")
          .withArgs(65n);
      });

      it("refuses a level 0 with LadderNotIncreasing", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ ladder: [0, 5] }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "LadderNotIncreasing")
          .withArgs(0n, 0n);
      });

      it("refuses equal or decreasing levels with LadderNotIncreasing", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ ladder: [2, 5, 5] }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "LadderNotIncreasing")
          .withArgs(2n, 5n);
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ ladder: [2, 9, 5] }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "LadderNotIncreasing")
          .withArgs(2n, 5n);
      });
    });

    describe("with invalid dates or windows", function () {
      it("refuses a deadline not in the future with DeadlineNotInFuture", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const now = BigInt(await time.latest()) + 10n;
        await time.setNextBlockTimestamp(now);
        await expect(
          factory.connect(organiser).createCampaign(
            await defaultParams({
              pledgeDeadline: now,
              actionDate: now + BigInt(DAY),
            }),
            "",
            ethers.ZeroHash,
          ),
        )
          .to.be.revertedWithCustomError(factory, "DeadlineNotInFuture")
          .withArgs(now, now);
      });

      it("refuses an action date before the deadline with ActionBeforeDeadline", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const params = await defaultParams();
        await expect(
          factory
            .connect(organiser)
            .createCampaign({ ...params, actionDate: params.pledgeDeadline - 1n }, "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "ActionBeforeDeadline")
          .withArgs(params.pledgeDeadline - 1n, params.pledgeDeadline);
      });

      it("refuses a zero claim window with ZeroClaimWindow", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ claimWindow: 0n }), "", ethers.ZeroHash),
        ).to.be.revertedWithCustomError(factory, "ZeroClaimWindow");
      });

      it("refuses an oracle without a window, or a window without an oracle, with OracleWindowMismatch", async function () {
        const { factory, organiser, others } = await loadFixture(deployFactory);
        await expect(
          factory
            .connect(organiser)
            .createCampaign(await defaultParams({ oracle: others[0].address }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "OracleWindowMismatch")
          .withArgs(others[0].address, 0n);
        await expect(
          factory
            .connect(organiser)
            .createCampaign(await defaultParams({ oracleWindow: BigInt(DAY) }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "OracleWindowMismatch")
          .withArgs(ZERO, BigInt(DAY));
      });

      it("refuses windows ending beyond 2^64 - 1 with WindowTooLong", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        const base = await defaultParams();
        const params = await defaultParams({
          oracle: organiser.address,
          oracleWindow: 2n,
          claimWindow: U64_MAX - base.actionDate - 1n,
        });
        await expect(
          factory.connect(organiser).createCampaign(params, "", ethers.ZeroHash),
        ).to.be.revertedWithCustomError(factory, "WindowTooLong");
      });
    });

    describe("with invalid amounts or metadata", function () {
      it("refuses a support cap above 2^90 - 1 with SupportCapTooLarge", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory
            .connect(organiser)
            .createCampaign(await defaultParams({ supportCap: SUPPORT_CAP_MAX + 1n }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "SupportCapTooLarge")
          .withArgs(SUPPORT_CAP_MAX + 1n);
      });

      it("refuses a zero metadata hash with MissingMetadataHash", async function () {
        const { factory, organiser } = await loadFixture(deployFactory);
        await expect(
          factory
            .connect(organiser)
            .createCampaign(await defaultParams({ metadataHash: ethers.ZeroHash }), "", ethers.ZeroHash),
        ).to.be.revertedWithCustomError(factory, "MissingMetadataHash");
      });
    });
  });

  describe("with conditions", function () {
    it("accepts [5000, 10000], [10000], [1] and [], and parameters() returns them as given", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      for (const conditions of [[5_000, 10_000], [10_000], [1], [], [1, 10_000]]) {
        const params = await defaultParams({ conditions });
        const salt = ethers.id(`conditions ${conditions.join(",")}`);
        const predicted = await factory.predictCampaign(organiser.address, params, salt);
        const receipt = await (await factory.connect(organiser).createCampaign(params, "ipfs://x", salt)).wait();
        const event = factory.interface.parseLog(receipt!.logs.at(-1)!);
        expect(event?.args.campaign).to.equal(predicted);
        expect([...event!.args.params.conditions]).to.deep.equal(conditions.map(BigInt));
        const campaign = await ethers.getContractAt("Campaign", predicted);
        const [p] = await campaign.parameters();
        expect([...p.conditions], `parameters().conditions of [${conditions}]`).to.deep.equal(conditions.map(BigInt));
        expect([...p.ladder]).to.deep.equal(params.ladder.map(BigInt));
        expect(p.supportCap).to.equal(params.supportCap);
        expect((await campaign.conditionTallies()).counts.length).to.equal(conditions.length);
      }
    });

    it("refuses more than 2 conditions with TooManyConditions", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      for (const conditions of [
        [1_000, 5_000, 10_000],
        [1, 2, 3, 4],
      ]) {
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ conditions }), "", ethers.ZeroHash),
        )
          .to.be.revertedWithCustomError(factory, "TooManyConditions")
          .withArgs(BigInt(conditions.length));
      }
    });

    it("refuses a condition of 0, equal, decreasing or above 10,000 with InvalidCondition(index, condition)", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const cases: [number[], number, number][] = [
        [[0], 0, 0],
        [[0, 5_000], 0, 0],
        [[5_000, 0], 1, 0],
        [[5_000, 5_000], 1, 5_000],
        [[10_000, 5_000], 1, 5_000],
        [[10_001], 0, 10_001],
        [[5_000, 10_001], 1, 10_001],
        [[65_535], 0, 65_535],
      ];
      for (const [conditions, index, condition] of cases) {
        await expect(
          factory.connect(organiser).createCampaign(await defaultParams({ conditions }), "", ethers.ZeroHash),
          `[${conditions}]`,
        )
          .to.be.revertedWithCustomError(factory, "InvalidCondition")
          .withArgs(BigInt(index), BigInt(condition));
      }
    });

    it("refuses conditions without a support cap with ConditionsWithoutSupport, after the other checks", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const noCap = { supportCap: 0n, attester: ZERO };
      await expect(
        factory
          .connect(organiser)
          .createCampaign(await defaultParams({ ...noCap, conditions: [5_000, 10_000] }), "", ethers.ZeroHash),
      ).to.be.revertedWithCustomError(factory, "ConditionsWithoutSupport");
      // An invalid list is named first; MissingMetadataHash before any condition error.
      await expect(
        factory
          .connect(organiser)
          .createCampaign(await defaultParams({ ...noCap, conditions: [0] }), "", ethers.ZeroHash),
      )
        .to.be.revertedWithCustomError(factory, "InvalidCondition")
        .withArgs(0n, 0n);
      await expect(
        factory
          .connect(organiser)
          .createCampaign(
            await defaultParams({ conditions: [1, 2, 3], metadataHash: ethers.ZeroHash }),
            "",
            ethers.ZeroHash,
          ),
      ).to.be.revertedWithCustomError(factory, "MissingMetadataHash");
      // Without conditions a campaign without support is fine.
      await createCampaign(factory, organiser, await defaultParams({ ...noCap, conditions: [] }));
    });

    it("predictCampaign depends on the conditions and matches the created address", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const params = await defaultParams({ conditions: [5_000, 10_000] });
      const salt = ethers.id("c");
      const predicted = await factory.predictCampaign(organiser.address, params, salt);
      for (const conditions of [[], [5_000], [10_000], [5_000, 9_999]]) {
        expect(await factory.predictCampaign(organiser.address, { ...params, conditions }, salt)).to.not.equal(
          predicted,
        );
      }
      const campaign = await createCampaign(factory, organiser, params, salt);
      expect(await campaign.getAddress()).to.equal(predicted);
      expect(await factory.isCampaign(predicted)).to.equal(true);
    });
  });

  describe("predictCampaign", function () {
    it("is a pure function of organiser, parameters and salt", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const params = await defaultParams();
      const once = await factory.predictCampaign(organiser.address, params, ethers.id("x"));
      expect(await factory.predictCampaign(organiser.address, { ...params }, ethers.id("x"))).to.equal(once);
      expect(
        await factory.predictCampaign(organiser.address, { ...params, supportCap: 1n }, ethers.id("x")),
      ).to.not.equal(once);
    });
  });
});

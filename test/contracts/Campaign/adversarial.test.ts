/**
 * Adversarial tests of Campaign.sol: re-entrant receivers, odd tokens, forged, replayed and
 * malleable signatures, front-run claims, an organiser trying to reach the funds, and the
 * guarantees of MECHANISM.md ("Guarantees"), each stated so that it fails if the guarantee breaks.
 */
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import {
  type Address,
  compactSignatureToSignature,
  concat,
  type Hex,
  numberToHex,
  recoverTypedDataAddress,
  slice,
} from "viem";
import * as model from "@bascule/core/model";
import {
  PLEDGE_HEAD_BYTES,
  PLEDGE_TYPES,
  campaignDomain,
  signClaim,
  signPledge,
  signVoucher,
  voucherDigest,
  encodePledge,
  encodePledges,
} from "@bascule/core/signing";
import {
  type CampaignContract,
  attestedCampaignFixture,
  balanceOf,
  chainId,
  claimFor,
  createCampaign,
  defaultParams,
  deployFactory,
  Entitlement,
  ethCampaignFixture,
  ethers,
  ZERO,
  DAY,
  networkHelpers,
  newPledgeKey,
  oracleCampaignFixture,
  pledgeFor,
  voucherFor,
} from "../../helpers/fixtures.js";
import { CONDITIONS, EXAMPLES, type Expected, exampleCampaign, resolveAndCheck } from "./examples.js";

const { time, loadFixture } = networkHelpers;

type Signer = Awaited<ReturnType<typeof ethers.getSigners>>[number];

/** Order of secp256k1: s and n - s both verify, only the low one is accepted. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** An ETH campaign with a ReentrantReceiver that has donated twice (ids 0 and 1, 100 wei each) at level 1. */
async function reentrantDonorFixture() {
  const base = await ethCampaignFixture();
  const receiver = await ethers.deployContract("ReentrantReceiver", [await base.campaign.getAddress()]);
  await (await receiver.donate(1, { value: 100n })).wait();
  await (await receiver.donate(1, { value: 100n })).wait();
  return { ...base, receiver };
}

/** Resolved at level 1 (keys A asks 300, B asks 100; 1000 wei donated), with a ReentrantReceiver deployed. */
async function reentrantPayeeFixture() {
  const base = await ethCampaignFixture();
  const { campaign, others, params } = base;
  const [a, b] = [newPledgeKey(), newPledgeKey()];
  await (
    await campaign.pledgeBatch(
      encodePledges([await pledgeFor(campaign, a, 1, 300n), await pledgeFor(campaign, b, 1, 100n)]),
    )
  ).wait();
  await (await campaign.connect(others[0]).donate(1, 1000n, { value: 1000n })).wait();
  await time.increaseTo(params.pledgeDeadline + 1n);
  await (await campaign.resolve()).wait();
  const receiver = await ethers.deployContract("ReentrantReceiver", [await campaign.getAddress()]);
  const rejecting = await ethers.deployContract("RejectingReceiver");
  return { ...base, keys: { a, b }, receiver, rejecting };
}

/**
 * One factory; two ETH campaigns of the same organiser and parameters (different salts), and two
 * more gated by the same attester.
 */
async function twoCampaignsFixture() {
  const base = await deployFactory();
  const attester = newPledgeKey();
  const params = await defaultParams({ attester: ZERO, supportCap: 0n });
  const first = await createCampaign(base.factory, base.organiser, params, ethers.id("first"));
  const second = await createCampaign(base.factory, base.organiser, params, ethers.id("second"));
  const gated = { ...params, attester: attester.address };
  const attestedFirst = await createCampaign(base.factory, base.organiser, gated, ethers.id("first"));
  const attestedSecond = await createCampaign(base.factory, base.organiser, gated, ethers.id("second"));
  return {
    ...base,
    params,
    attester,
    first,
    second,
    attestedFirst,
    attestedSecond,
  };
}

/** What the odd-token fixture needs of a test token. */
interface OddToken {
  getAddress(): Promise<string>;
  mint(to: string, amount: bigint): Promise<ContractTransactionResponse>;
  connect(runner: Signer): {
    approve(spender: string, amount: bigint): Promise<ContractTransactionResponse>;
  };
}

/** A campaign in each odd token, the donor (first other signer) funded and the campaign approved. */
async function oddTokensFixture() {
  const base = await deployFactory();
  const donor = base.others[0];
  const setUp = async <T extends OddToken>(token: T) => {
    const params = await defaultParams({
      token: await token.getAddress(),
      supportCap: 1000n,
    });
    const campaign = await createCampaign(base.factory, base.organiser, params);
    await (await token.mint(donor.address, 1_000_000n)).wait();
    await (await token.connect(donor).approve(await campaign.getAddress(), 1_000_000n)).wait();
    return { token, campaign, params };
  };
  const feeOnTransfer = await setUp(await ethers.deployContract("FeeOnTransferToken"));
  const reverting = await setUp(await ethers.deployContract("RevertingToken"));
  const noReturn = await setUp(await ethers.deployContract("NoReturnToken"));
  return { ...base, donor, feeOnTransfer, reverting, noReturn };
}

/** What the escrow owes right now, by the campaign's own views (claims, reclaims and fees). */
async function owed(
  campaign: CampaignContract,
  keys: readonly Address[],
  donationCount: bigint,
  feeRecipients: readonly string[],
): Promise<bigint> {
  let total = 0n;
  // Entitlement: 2 NeedsProof and 3 Due are owed now (a remainder still Pending overlaps the claims).
  for (const key of keys) {
    const [state, amount] = await campaign.claimableSupport(key);
    if (state === 2n || state === 3n) total += amount;
  }
  for (let id = 0n; id < donationCount; id++) {
    const [state, amount] = await campaign.reclaimable(id);
    if (state === 3n) total += amount;
  }
  for (const r of feeRecipients) total += await campaign.feesOf(r);
  return total;
}

/**
 * The high-s twin of a compact signature, (r, n - s) with the other parity, packed as ERC-2098
 * packs it. As n - s almost always needs 256 bits, it collides with the parity bit: compact
 * signatures cannot carry the twin, which then recovers an unrelated address.
 */
function highSTwin(vs: Hex): Hex {
  const value = BigInt(vs);
  const yParity = value >> 255n;
  const s = value & ((1n << 255n) - 1n);
  const flipped = ((1n - yParity) << 255n) | (SECP256K1_N - s);
  return `0x${flipped.toString(16).padStart(64, "0")}`;
}

/** A compact `vs` whose s is just above n/2: representable, and refused by the low-s rule. */
const HIGH_S_VS = `0x${(SECP256K1_N / 2n + 1n).toString(16).padStart(64, "0")}` as Hex;

describe("Campaign (adversarial)", function () {
  describe("re-entrant ETH receivers", function () {
    it("cannot re-enter withdrawDonation to take a second donation during the first payment", async function () {
      const { campaign, receiver } = await loadFixture(reentrantDonorFixture);
      await (await receiver.setReentry(campaign.interface.encodeFunctionData("withdrawDonation", [1n]))).wait();
      await (await receiver.call(campaign.interface.encodeFunctionData("withdrawDonation", [0n]))).wait();
      expect(await receiver.reentered()).to.equal(true);
      expect(await receiver.reentrySucceeded()).to.equal(false);
      expect(await balanceOf(campaign)).to.equal(100n);
      expect(await balanceOf(receiver)).to.equal(100n);
      expect((await campaign.donationOf(1n)).amount).to.equal(100n);
      expect((await campaign.levelTallies())[2][0]).to.equal(100n);
    });

    it("cannot re-enter reclaimDonation, and the other donation stays whole", async function () {
      const { campaign, receiver, params } = await loadFixture(reentrantDonorFixture);
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait(); // failed: every donation refundable
      await (await receiver.setReentry(campaign.interface.encodeFunctionData("reclaimDonation", [1n]))).wait();
      await (await receiver.call(campaign.interface.encodeFunctionData("reclaimDonation", [0n]))).wait();
      expect(await receiver.reentrySucceeded()).to.equal(false);
      expect(await balanceOf(campaign)).to.equal(100n);
      expect([...(await campaign.reclaimable(1n))]).to.deep.equal([3n, 100n]);
      await (await receiver.call(campaign.interface.encodeFunctionData("reclaimDonation", [1n]))).wait();
      expect(await balanceOf(campaign)).to.equal(0n);
      expect(await balanceOf(receiver)).to.equal(200n);
    });

    it("cannot re-enter claim with another beneficiary's signed claim", async function () {
      const { campaign, receiver, keys } = await loadFixture(reentrantPayeeFixture);
      const payee = (await receiver.getAddress()) as Address;
      const claimB = await claimFor(campaign, keys.b, { payee });
      await (await receiver.setReentry(campaign.interface.encodeFunctionData("claim", [claimB]))).wait();
      await (await campaign.claim(await claimFor(campaign, keys.a, { payee }))).wait();
      expect(await receiver.reentered()).to.equal(true);
      expect(await receiver.reentrySucceeded()).to.equal(false);
      expect((await campaign.status()).claimedTotal).to.equal(300n);
      expect(await balanceOf(receiver)).to.equal(300n);
      expect((await campaign.claimableSupport(keys.b.address))[1]).to.equal(100n);
      await (await campaign.claim(claimB)).wait();
      expect(await balanceOf(receiver)).to.equal(400n);
    });

    it("cannot re-enter during withdrawFees, and fees are paid once", async function () {
      const { campaign, receiver, keys, others } = await loadFixture(reentrantPayeeFixture);
      const relayer = (await receiver.getAddress()) as Address;
      const payee = others[10].address as Address;
      await (
        await campaign.claim(
          await claimFor(campaign, keys.a, {
            payee,
            feeRecipient: relayer,
            maxFee: 30n,
            fee: 30n,
          }),
        )
      ).wait();
      await (await receiver.setReentry(campaign.interface.encodeFunctionData("withdrawFees"))).wait();
      await (await receiver.call(campaign.interface.encodeFunctionData("withdrawFees"))).wait();
      expect(await receiver.reentered()).to.equal(true);
      expect(await receiver.reentrySucceeded()).to.equal(false);
      expect(await balanceOf(receiver)).to.equal(30n);
      expect(await campaign.feesOf(relayer)).to.equal(0n);
      expect(await balanceOf(campaign)).to.equal(1000n - 300n);
    });

    it("a payee refusing ETH makes its claim revert, leaves it unclaimed, and loses nothing", async function () {
      const { campaign, rejecting, keys, others } = await loadFixture(reentrantPayeeFixture);
      const before = await balanceOf(campaign);
      await expect(
        campaign.claim(
          await claimFor(campaign, keys.a, {
            payee: (await rejecting.getAddress()) as Address,
          }),
        ),
      ).to.be.revertedWithCustomError(campaign, "FailedCall");
      expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(false);
      expect(await balanceOf(campaign)).to.equal(before);
      await (
        await campaign.claim(
          await claimFor(campaign, keys.a, {
            payee: others[10].address as Address,
          }),
        )
      ).wait();
      expect(await balanceOf(campaign)).to.equal(before - 300n);
    });
  });

  describe("odd tokens", function () {
    it("refuses a fee-on-transfer token with TokenDeliveredLess", async function () {
      const { feeOnTransfer, donor } = await loadFixture(oddTokensFixture);
      const { campaign } = feeOnTransfer;
      await expect(campaign.connect(donor).donate(1, 1000n))
        .to.be.revertedWithCustomError(campaign, "TokenDeliveredLess")
        .withArgs(1000n, 990n);
      expect((await campaign.status()).donationCount).to.equal(0n);
    });

    it("works with a token whose transfers return nothing", async function () {
      const { noReturn, donor } = await loadFixture(oddTokensFixture);
      const { campaign, token, params } = noReturn;
      const escrow = await campaign.getAddress();
      await (await campaign.connect(donor).donate(1, 500n)).wait();
      await (await campaign.connect(donor).donate(2, 700n)).wait();
      expect(await token.balanceOf(escrow)).to.equal(1200n);
      await (await campaign.connect(donor).withdrawDonation(0n)).wait();
      expect(await token.balanceOf(escrow)).to.equal(700n);
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      await (await campaign.connect(donor).reclaimDonation(1n)).wait();
      expect(await token.balanceOf(escrow)).to.equal(0n);
      expect(await token.balanceOf(donor.address)).to.equal(1_000_000n);
    });

    it("bubbles a frozen token's revert and loses nothing; payments resume once it thaws", async function () {
      const { reverting, donor } = await loadFixture(oddTokensFixture);
      const { campaign, token, params } = reverting;
      await (await campaign.connect(donor).donate(1, 400n)).wait();
      await (await campaign.connect(donor).donate(1, 600n)).wait();
      await (await token.setFrozen(true)).wait();
      await expect(campaign.connect(donor).withdrawDonation(0n)).to.be.revertedWithCustomError(token, "Frozen");
      await expect(campaign.connect(donor).donate(1, 1n)).to.be.revertedWithCustomError(token, "Frozen");
      expect((await campaign.donationOf(0n)).amount).to.equal(400n);
      await (await token.setFrozen(false)).wait();
      await (await campaign.connect(donor).withdrawDonation(0n)).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      await (await token.setFrozen(true)).wait();
      await expect(campaign.connect(donor).reclaimDonation(1n)).to.be.revertedWithCustomError(token, "Frozen");
      expect([...(await campaign.reclaimable(1n))]).to.deep.equal([3n, 600n]);
      await (await token.setFrozen(false)).wait();
      await (await campaign.connect(donor).reclaimDonation(1n)).wait();
      expect(await token.balanceOf(donor.address)).to.equal(1_000_000n);
    });
  });

  describe("signatures", function () {
    it("a pledge signed for another campaign counts for a key nobody holds there, never for the signer", async function () {
      const { first, second } = await loadFixture(twoCampaignsFixture);
      const key = newPledgeKey();
      const signed = await pledgeFor(first, key, 1);
      const recovered = await recoverTypedDataAddress({
        domain: campaignDomain((await second.getAddress()) as Address, await chainId()),
        types: PLEDGE_TYPES,
        primaryType: "Pledge",
        message: { level: 1, support: 0n, condition: 0, nonce: 0 },
        signature: compactSignatureToSignature({
          r: signed.r,
          yParityAndS: signed.vs,
        }),
      });
      expect(recovered).to.not.equal(key.address);
      await expect(second.pledge(encodePledge(signed)))
        .to.emit(second, "Pledged")
        .withArgs(recovered, 1n, 0n, 0n);
      expect((await second.pledgeOf(key.address)).nonce).to.equal(0n);
      // On its own campaign the same signature is the key's, once.
      await expect(first.pledge(encodePledge(signed)))
        .to.emit(first, "Pledged")
        .withArgs(key.address, 1n, 0n, 0n);
    });

    it("a pledge relayed to another attested campaign is refused for lack of a voucher", async function () {
      const { attestedFirst, attestedSecond, attester } = await loadFixture(twoCampaignsFixture);
      const key = newPledgeKey();
      const voucher = await voucherFor(attestedFirst, attester, key.address);
      const signed = await pledgeFor(attestedFirst, key, 1, 0n, { voucher });
      await expect(attestedSecond.pledge(encodePledge(signed))).to.be.revertedWithCustomError(
        attestedSecond,
        "InvalidVoucher",
      );
      expect((await attestedSecond.pledgeOf(key.address)).nonce).to.equal(0n);
    });

    it("a pledge signed for another chain records nothing for the key", async function () {
      const { first: campaign } = await loadFixture(twoCampaignsFixture);
      const key = newPledgeKey();
      const address = (await campaign.getAddress()) as Address;
      const signed = await signPledge(key, address, 1n, {
        level: 1,
        support: 0n,
        nonce: 0,
      });
      const receipt = await (await campaign.pledge(encodePledge(signed))).wait();
      const event = campaign.interface.parseLog(receipt!.logs[0]!);
      expect(event?.name).to.equal("Pledged");
      expect(event?.args.pledgeKey).to.not.equal(key.address);
      expect((await campaign.pledgeOf(key.address)).nonce).to.equal(0n);
    });

    it("a voucher for another campaign of the same attester is refused with InvalidVoucher", async function () {
      const { attestedFirst: first, attestedSecond: second, attester } = await loadFixture(twoCampaignsFixture);
      const key = newPledgeKey();
      const voucher = await voucherFor(first, attester, key.address);
      await expect(second.pledge(encodePledge(await pledgeFor(second, key, 1, 0n, { voucher }))))
        .to.be.revertedWithCustomError(second, "InvalidVoucher")
        .withArgs(key.address);
      await (await first.pledge(encodePledge(await pledgeFor(first, key, 1, 0n, { voucher })))).wait();
    });

    it("refuses an s above n/2 in a pledge, a voucher or a claim with InvalidSignature", async function () {
      const { campaign, attester } = await loadFixture(attestedCampaignFixture);
      const key = newPledgeKey();
      const voucher = await voucherFor(campaign, attester, key.address);
      const signed = await pledgeFor(campaign, key, 1, 0n, { voucher });
      await expect(campaign.pledge(encodePledge({ ...signed, vs: HIGH_S_VS }))).to.be.revertedWithCustomError(
        campaign,
        "InvalidSignature",
      );
      // The voucher is checked by SignatureChecker: a high s makes it invalid, not the pledge's signature.
      const highS = `${signed.voucher.slice(0, 66)}${HIGH_S_VS.slice(2)}${signed.voucher.slice(130)}` as `0x${string}`;
      await expect(campaign.pledge(encodePledge({ ...signed, voucher: highS })))
        .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
        .withArgs(key.address);
      const resolved = await loadFixture(reentrantPayeeFixture);
      const claim = await claimFor(resolved.campaign, resolved.keys.a, {
        payee: resolved.others[10].address as Address,
      });
      await expect(resolved.campaign.claim({ ...claim, vs: HIGH_S_VS })).to.be.revertedWithCustomError(
        resolved.campaign,
        "InvalidSignature",
      );
    });

    it("a signature's malleable twin never acts for its signer", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey();
      const signed = await pledgeFor(campaign, key, 2);
      // Either refused, or recovered to an address nobody holds: never the key's pledge.
      await campaign.pledge(encodePledge({ ...signed, vs: highSTwin(signed.vs) })).then(
        (tx) => tx.wait(),
        () => undefined,
      );
      expect((await campaign.pledgeOf(key.address)).nonce).to.equal(0n);
      await (await campaign.pledge(encodePledge(signed))).wait();
      expect((await campaign.pledgeOf(key.address)).level).to.equal(2n);
    });

    it("a claim's malleable twin neither pays nor marks the claim", async function () {
      const { campaign, keys, others } = await loadFixture(reentrantPayeeFixture);
      const signed = await claimFor(campaign, keys.a, {
        payee: others[10].address as Address,
      });
      await expect(campaign.claim({ ...signed, vs: highSTwin(signed.vs) })).to.be.revert(ethers);
      expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(false);
      expect((await campaign.claimableSupport(keys.a.address))[1]).to.equal(300n);
    });

    it("refuses a second message under a used nonce with InvalidNonce", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey();
      const first = await pledgeFor(campaign, key, 1, 0n, { nonce: 0 });
      const rival = await pledgeFor(campaign, key, 3, 50n, { nonce: 0 });
      await (await campaign.pledge(encodePledge(first))).wait();
      await expect(campaign.pledge(encodePledge(rival)))
        .to.be.revertedWithCustomError(campaign, "InvalidNonce")
        .withArgs(key.address, 1n, 0n);
    });

    it("a stale signed withdrawal cannot be replayed after the pledge was renewed", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const key = newPledgeKey();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1)))).wait();
      const withdrawal = await pledgeFor(campaign, key, 0);
      await (await campaign.pledge(encodePledge(withdrawal))).wait();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2)))).wait();
      await expect(campaign.pledge(encodePledge(withdrawal)))
        .to.be.revertedWithCustomError(campaign, "InvalidNonce")
        .withArgs(key.address, 3n, 1n);
      expect((await campaign.pledgeOf(key.address)).level).to.equal(2n);
    });

    it("a claim signed for another campaign is refused there", async function () {
      const a = await loadFixture(reentrantPayeeFixture);
      const other = await createCampaign(a.factory, a.organiser, await defaultParams(), ethers.id("other"));
      const signed = await signClaim(a.keys.a, (await other.getAddress()) as Address, await chainId(), {
        payee: a.others[10].address as Address,
        feeRecipient: "0x0000000000000000000000000000000000000000",
        maxFee: 0n,
      });
      await expect(a.campaign.claim(signed)).to.be.revertedWithCustomError(a.campaign, "PledgeNotTriggered");
      expect((await a.campaign.pledgeOf(a.keys.a.address)).claimed).to.equal(false);
    });

    it("an attester's voucher signed for another key is refused even if relayed", async function () {
      const { campaign, attester } = await loadFixture(attestedCampaignFixture);
      const [key, friend] = [newPledgeKey(), newPledgeKey()];
      const voucher = await signVoucher(
        attester,
        (await campaign.getAddress()) as Address,
        await chainId(),
        friend.address,
      );
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 0n, { voucher }))))
        .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
        .withArgs(key.address);
    });
  });

  describe("front-run claims", function () {
    it("someone else submitting a signed claim pays the signed payee, not the submitter", async function () {
      const { campaign, keys, others } = await loadFixture(reentrantPayeeFixture);
      const [payee, attacker] = [others[10], others[15]];
      const signed = await claimFor(campaign, keys.a, {
        payee: payee.address as Address,
      });
      const tx = campaign.connect(attacker).claim(signed);
      await expect(tx).to.changeEtherBalances(ethers, [payee, attacker, campaign], [300n, 0n, -300n]);
      await expect(campaign.connect(payee).claim(signed))
        .to.be.revertedWithCustomError(campaign, "AlreadyClaimed")
        .withArgs(keys.a.address);
    });

    it("redirecting the payee or the fee recipient breaks the signature", async function () {
      const { campaign, keys, others } = await loadFixture(reentrantPayeeFixture);
      const attacker = others[15].address as Address;
      const signed = await claimFor(campaign, keys.a, {
        payee: others[10].address as Address,
        feeRecipient: others[11].address as Address,
        maxFee: 10n,
      });
      await expect(campaign.claim({ ...signed, payee: attacker })).to.be.revertedWithCustomError(
        campaign,
        "PledgeNotTriggered",
      );
      await expect(campaign.claim({ ...signed, feeRecipient: attacker, fee: 10n })).to.be.revertedWithCustomError(
        campaign,
        "PledgeNotTriggered",
      );
      await expect(campaign.claim({ ...signed, maxFee: 300n, fee: 300n })).to.be.revertedWithCustomError(
        campaign,
        "PledgeNotTriggered",
      );
      await expect(campaign.claim({ ...signed, fee: 11n }))
        .to.be.revertedWithCustomError(campaign, "FeeTooHigh")
        .withArgs(11n, 10n);
      expect(await campaign.feesOf(attacker)).to.equal(0n);
      expect((await campaign.pledgeOf(keys.a.address)).claimed).to.equal(false);
    });
  });

  describe("the organiser", function () {
    /** Every state-changing function of the campaign: any new one must be reviewed here. */
    const MUTATING = [
      "claim",
      "donate",
      "donateWithPermit",
      "initialize",
      "pledge",
      "pledgeBatch",
      "publishParticipation",
      "reclaimDonation",
      "resolve",
      "withdrawDonation",
      "withdrawFees",
    ];

    it("the campaign has no state-changing function beyond the mechanism's", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const mutating: string[] = [];
      campaign.interface.forEachFunction((f) => {
        if (f.stateMutability !== "view" && f.stateMutability !== "pure") mutating.push(f.name);
      });
      expect(mutating.sort()).to.deep.equal(MUTATING);
    });

    it("gets nothing from any function and changes no parameter", async function () {
      const { campaign, organiser, factory, params, others } = await loadFixture(oracleCampaignFixture);
      const snapshot = await campaign.parameters();
      const key = newPledgeKey();
      await (
        await campaign.pledgeBatch(
          encodePledges([await pledgeFor(campaign, key, 1, 10n), await pledgeFor(campaign, newPledgeKey(), 1)]),
        )
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 1000n, { value: 1000n })).wait();
      const escrow = await balanceOf(campaign);

      await expect(campaign.connect(organiser).initialize())
        .to.be.revertedWithCustomError(campaign, "NotFactory")
        .withArgs(organiser.address);
      await expect(campaign.connect(organiser).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "NotDonor")
        .withArgs(0n, organiser.address);
      await expect(campaign.connect(organiser).resolve())
        .to.be.revertedWithCustomError(campaign, "PledgeDeadlineNotPassed")
        .withArgs(params.pledgeDeadline);
      await expect(campaign.connect(organiser).withdrawFees()).to.be.revertedWithCustomError(
        campaign,
        "NothingToClaim",
      );
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.connect(organiser).resolve()).wait();
      await expect(campaign.connect(organiser).reclaimDonation(0n))
        .to.be.revertedWithCustomError(campaign, "NotDonor")
        .withArgs(0n, organiser.address);
      await time.increaseTo(params.actionDate);
      await expect(campaign.connect(organiser).publishParticipation(ethers.id("only my friends")))
        .to.be.revertedWithCustomError(campaign, "NotOracle")
        .withArgs(organiser.address);
      // Re-creating with the same salt cannot overwrite the campaign.
      await expect(factory.connect(organiser).createCampaign(params, "ipfs://changed", ethers.ZeroHash)).to.be.revert(
        ethers,
      );
      expect(await balanceOf(campaign)).to.equal(escrow);
      expect(await campaign.parameters()).to.deep.equal(snapshot);
      expect((await campaign.claimableSupport(organiser.address))[1]).to.equal(0n);
      expect(await campaign.feesOf(organiser.address)).to.equal(0n);
    });
  });

  describe("guarantees", function () {
    /**
     * Surplus case with four triggered donations, one untriggered, three triggered beneficiaries
     * (one never claims), one beneficiary above j*, and a relayer fee. Ladder [2, 5, 10].
     */
    async function busyCampaignFixture() {
      const base = await ethCampaignFixture();
      const { campaign, others } = base;
      const keys = [newPledgeKey(), newPledgeKey(), newPledgeKey(), newPledgeKey(), newPledgeKey(), newPledgeKey()];
      const levels = [1, 2, 2, 1, 2, 3];
      const supports = [333n, 1000n, 7n, 0n, 501n, 999n];
      await (
        await campaign.pledgeBatch(
          encodePledges(await Promise.all(keys.map((k, i) => pledgeFor(campaign, k, levels[i], supports[i])))),
        )
      ).wait();
      const donors = others.slice(0, 5);
      const gifts: [number, bigint][] = [
        [1, 1001n],
        [2, 997n],
        [1, 13n],
        [2, 1234n],
        [3, 555n],
      ];
      for (let i = 0; i < gifts.length; i++) {
        await (await campaign.connect(donors[i]).donate(gifts[i][0], gifts[i][1], { value: gifts[i][1] })).wait();
      }
      return {
        ...base,
        keys,
        donors,
        levels,
        supports,
        gifts,
        relayer: others[11],
        payee: others[10],
      };
    }

    /**
     * The same donations, with conditions [5000, 10000] and eight pledges (level, s, class): keys 0-4 as
     * above but key 1 at class 1, key 3 asking nothing, key 5 at level 3, key 6 (2, 2000, 2) whose bucket
     * (ii) refuses, key 7 (1, 50, 2) bound. j* = 2, P = 6, k* = 2, j*_k = 1; F = 3245, R = 1891 = paid.
     */
    async function busyConditionalFixture() {
      const base = await deployFactory();
      const params = await defaultParams({ conditions: [5_000, 10_000] });
      const campaign = await createCampaign(base.factory, base.organiser, params, ethers.id("busy conditional"));
      const { others } = base;
      const keys = Array.from({ length: 8 }, () => newPledgeKey());
      const pledges: [number, bigint, number][] = [
        [1, 333n, 0],
        [2, 1000n, 1],
        [2, 7n, 0],
        [1, 0n, 0],
        [2, 501n, 0],
        [3, 999n, 0],
        [2, 2000n, 2],
        [1, 50n, 2],
      ];
      await (
        await campaign.pledgeBatch(
          encodePledges(
            await Promise.all(
              keys.map((k, i) => pledgeFor(campaign, k, pledges[i][0], pledges[i][1], { condition: pledges[i][2] })),
            ),
          ),
        )
      ).wait();
      const donors = others.slice(0, 5);
      const gifts: [number, bigint][] = [
        [1, 1001n],
        [2, 997n],
        [1, 13n],
        [2, 1234n],
        [3, 555n],
      ];
      for (let i = 0; i < gifts.length; i++) {
        await (await campaign.connect(donors[i]).donate(gifts[i][0], gifts[i][1], { value: gifts[i][1] })).wait();
      }
      return {
        ...base,
        params,
        campaign,
        keys,
        donors,
        levels: pledges.map((p) => p[0]),
        supports: pledges.map((p) => p[1]),
        gifts,
        relayer: others[11],
        payee: others[10],
      };
    }

    for (const [name, fixture] of [
      ["", busyCampaignFixture],
      [" (conditional pledges out of the bound set)", busyConditionalFixture],
    ] as const)
      it(`solvency holds at every step, each entitlement is taken once, and the end leaves only dust${name}`, async function () {
        const { campaign, keys, donors, params, relayer, payee } = await loadFixture(fixture);
        const addresses = keys.map((k) => k.address);
        const check = async () => {
          const status = await campaign.status();
          const due = await owed(campaign, addresses, status.donationCount, [relayer.address]);
          expect(await balanceOf(campaign)).to.be.gte(due);
        };
        await check();
        // Nobody but the donor moves a donation before resolution.
        await expect(campaign.connect(donors[1]).withdrawDonation(0n)).to.be.revertedWithCustomError(
          campaign,
          "NotDonor",
        );
        await time.increaseTo(params.pledgeDeadline + 1n);
        await (await campaign.resolve()).wait();
        const status = await campaign.status();
        expect(status.tippingLevel).to.equal(2n); // C(2) = 5 >= 5, C(3) = 6 < 10
        await check();
        if (fixture === busyConditionalFixture) {
          expect([status.committed, status.triggeredDonations, status.requestedSupport]).to.deep.equal([
            6n,
            3245n,
            1891n,
          ]);
          expect([status.boundCondition, status.boundConditionLevel]).to.deep.equal([2n, 1n]);
          // Key 6 pledged at level 2 <= j*, but its condition cannot be met: it is not bound, claims nothing,
          // and its request is not in R; key 5 is above j*. Every donation at a level <= j* is triggered.
          for (const i of [5, 6]) {
            expect(await campaign.isBound(keys[i].address)).to.equal(false);
            await expect(campaign.claim(await claimFor(campaign, keys[i], { payee: payee.address as Address })))
              .to.be.revertedWithCustomError(campaign, "PledgeNotTriggered")
              .withArgs(keys[i].address);
          }
          for (const i of [0, 1, 2, 3, 4, 7]) expect(await campaign.isBound(keys[i].address)).to.equal(true);
          for (const id of [0n, 1n, 2n, 3n]) expect((await campaign.reclaimable(id))[0]).to.equal(Entitlement.Due);
        }

        // Beneficiaries 0, 1, 2 claim (1 through a relayer); 4 never does; 3 asked nothing; 5 is above j*.
        for (const i of [0, 1, 2]) {
          const fee = i === 1 ? 5n : 0n;
          const signed = await claimFor(campaign, keys[i], {
            payee: payee.address as Address,
            feeRecipient: relayer.address as Address,
            maxFee: fee,
            fee,
          });
          await (await campaign.claim(signed)).wait();
          await check();
          await expect(campaign.claim(signed)).to.be.revertedWithCustomError(campaign, "AlreadyClaimed");
        }
        for (let id = 0n; id < 5n; id++) {
          await (await campaign.connect(donors[Number(id)]).reclaimDonation(id)).wait();
          await check();
          if (id !== 4n)
            await expect(campaign.connect(donors[Number(id)]).reclaimDonation(id)).to.be.revertedWithCustomError(
              campaign,
              "NothingToClaim",
            );
        }
        await (await campaign.connect(relayer).withdrawFees()).wait();
        await check();
        await time.increaseTo(params.actionDate + params.claimWindow + 1n);
        for (let id = 0n; id < 4n; id++) {
          await (await campaign.connect(donors[Number(id)]).reclaimDonation(id)).wait();
          await check();
          await expect(campaign.connect(donors[Number(id)]).reclaimDonation(id)).to.be.revertedWithCustomError(
            campaign,
            "UnknownDonation",
          );
        }
        // Liveness: after the last window every wei has been taken by someone, beyond rounding dust
        // (at most one wei per triggered donation and per beneficiary).
        const left = await balanceOf(campaign);
        expect(left).to.be.lte(4n + 3n);
        expect(await owed(campaign, addresses, status.donationCount, [relayer.address])).to.equal(0n);
      });

    it("the on-chain result equals the reference model replaying the recorded events", async function () {
      const { campaign, keys, donors, params } = await loadFixture(busyCampaignFixture);
      // Churn: a donation withdrawn, a pledge changed, one withdrawn.
      await (await campaign.connect(donors[2]).withdrawDonation(2n)).wait();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, keys[5], 1, 20n)))).wait();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, keys[3], 0)))).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();

      const events: model.HistoryEvent[] = [];
      const logs = await ethers.provider.getLogs({
        address: await campaign.getAddress(),
        fromBlock: 0,
      });
      for (const log of logs) {
        const parsed = campaign.interface.parseLog(log);
        if (parsed === null) continue;
        const a = parsed.args;
        if (parsed.name === "Pledged" || parsed.name === "PledgeChanged") {
          events.push({
            kind: parsed.name,
            pledgeKey: a.pledgeKey,
            level: Number(a.level),
            support: a.support,
          });
        } else if (parsed.name === "PledgeWithdrawn") {
          events.push({ kind: "PledgeWithdrawn", pledgeKey: a.pledgeKey });
        } else if (parsed.name === "Donated") {
          events.push({
            kind: "Donated",
            donationId: a.donationId,
            donor: a.donor,
            level: Number(a.level),
            amount: a.amount,
          });
        } else if (parsed.name === "DonationWithdrawn") {
          events.push({ kind: "DonationWithdrawn", donationId: a.donationId });
        }
      }
      const t = model.tallies(params.ladder.length, model.replay(events));
      const [counts, requested, donated] = await campaign.levelTallies();
      expect([counts, requested, donated]).to.deep.equal([t.counts, t.requested, t.donated]);
      const expected = model.resolve(params.ladder, t);
      const s = await campaign.status();
      expect([s.tippingLevel, s.committed, s.triggeredDonations, s.requestedSupport]).to.deep.equal([
        BigInt(expected.tippingLevel),
        expected.committed,
        expected.triggeredDonations,
        expected.requestedSupport,
      ]);
      for (let i = 0; i < keys.length; i++) {
        const p = await campaign.pledgeOf(keys[i].address);
        const triggered = p.level !== 0n && p.level <= s.tippingLevel;
        const share = triggered ? model.supportShare(p.support, expected) : 0n;
        expect([...(await campaign.claimableSupport(keys[i].address))]).to.deep.equal([share !== 0n ? 3n : 0n, share]);
      }
    });

    it("funds never wait on an absent oracle, and never pay unverified keys: donors take all back after its window", async function () {
      const { campaign, params, others } = await loadFixture(oracleCampaignFixture);
      const [a, b] = [newPledgeKey(), newPledgeKey()];
      await (
        await campaign.pledgeBatch(
          encodePledges([await pledgeFor(campaign, a, 1, 100n), await pledgeFor(campaign, b, 1, 100n)]),
        )
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 150n, { value: 150n })).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      const [oracleEnd, claimEnd] = await campaign.windows();
      await time.increaseTo(oracleEnd + 1n);
      await expect(
        campaign.claim(await claimFor(campaign, a, { payee: others[10].address as Address })),
      ).to.be.revertedWithCustomError(campaign, "ParticipationMissing");
      // Before the claim window's end: the oracle's no-show already closed the claims.
      expect(BigInt(await time.latest())).to.be.lessThan(claimEnd);
      await expect(campaign.connect(others[0]).reclaimDonation(0n))
        .to.emit(campaign, "RemainderReturned")
        .withArgs(0n, others[0].address, 150n);
      expect(await balanceOf(campaign)).to.equal(0n);
    });
  });
});

/**
 * The attacks on the mechanism around the escrow, each refused or made harmless, and each rule
 * that refuses them at and across its boundary second.
 */
describe("Campaign (adversarial): attacks on the mechanism", function () {
  const { loadFixture, time } = networkHelpers;
  const E = Entitlement;

  describe("sybil drain", function () {
    it("is refused at creation: support without an attester or an oracle is GateRequired", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const open = await defaultParams({ attester: ZERO, oracle: ZERO, supportCap: 1n });
      await expect(
        factory.connect(organiser).createCampaign(open, "ipfs://x", ethers.ZeroHash),
      ).to.be.revertedWithCustomError(factory, "GateRequired");
      // Without money an open campaign is fine, and so is money behind either gate.
      for (const p of [
        await defaultParams({ attester: ZERO, supportCap: 0n }),
        await defaultParams({ attester: ZERO, oracle: organiser.address, oracleWindow: BigInt(DAY) }),
        await defaultParams(),
      ]) {
        await (
          await factory
            .connect(organiser)
            .createCampaign(
              p,
              "ipfs://x",
              ethers.id(JSON.stringify(p, (_, v) => (typeof v === "bigint" ? v.toString() : v))),
            )
        ).wait();
      }
    });

    it("throw-away keys cannot pledge where an attester gates: their first pledge has no voucher", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const batch = [];
      const sybils = Array.from({ length: 5 }, () => newPledgeKey());
      for (const k of sybils) batch.push(await pledgeFor(campaign, k, 1, ethers.parseEther("1"), { voucher: "0x" }));
      const receipt = await (await campaign.pledgeBatch(encodePledges(batch))).wait();
      const skipped = receipt!.logs
        .map((l) => campaign.interface.parseLog(l))
        .filter((e) => e?.name === "PledgeSkipped");
      expect(skipped.map((e) => e!.args.reason)).to.deep.equal(sybils.map(() => 2n)); // InvalidVoucher
      expect((await campaign.levelTallies()).counts[0]).to.equal(0n);
    });
  });

  describe("oracle no-show", function () {
    it("is harmless: no support is paid, triggered donors take back everything once the window closes", async function () {
      const { campaign, params, others } = await loadFixture(oracleCampaignFixture);
      const sybils = Array.from({ length: 3 }, () => newPledgeKey());
      await (
        await campaign.pledgeBatch(
          encodePledges(await Promise.all(sybils.map((k) => pledgeFor(campaign, k, 1, 1000n)))),
        )
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 2000n, { value: 2000n })).wait();
      await time.increaseTo(params.pledgeDeadline + 1n);
      await (await campaign.resolve()).wait();
      const [oracleEnd] = await campaign.windows();
      // At the window's last second the oracle may still publish: the donor waits (surplus only).
      await time.increaseTo(oracleEnd - 1n);
      expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Pending, 2000n]);
      await time.increaseTo(oracleEnd + 1n);
      for (const k of sybils) {
        expect([...(await campaign.claimableSupport(k.address))]).to.deep.equal([E.None, 0n]);
        await expect(
          campaign.claim(await claimFor(campaign, k, { payee: others[10].address as Address })),
        ).to.be.revertedWithCustomError(campaign, "ParticipationMissing");
      }
      expect([...(await campaign.reclaimable(0n))]).to.deep.equal([E.Due, 2000n]);
      await expect(campaign.connect(others[0]).reclaimDonation(0n))
        .to.emit(campaign, "RemainderReturned")
        .withArgs(0n, others[0].address, 2000n);
      await expect(
        campaign.connect(oracleSigner(others)).publishParticipation(ethers.id("late")),
      ).to.be.revertedWithCustomError(campaign, "OutsideParticipationWindow");
    });
  });

  describe("batch veto", function () {
    it("is harmless: a copied item front-run on-chain is skipped with its reason, the batch lands", async function () {
      const { campaign, others } = await loadFixture(ethCampaignFixture);
      const keys = Array.from({ length: 4 }, () => newPledgeKey());
      const batch = await Promise.all(keys.map((k) => pledgeFor(campaign, k, 1, 10n)));
      // The attacker copies item 2 from the relayer's pending batch and submits it first.
      await (await campaign.connect(others[9]).pledge(encodePledge(batch[2]))).wait();
      const tx = campaign.pledgeBatch(encodePledges(batch));
      await expect(tx).to.emit(campaign, "PledgeSkipped").withArgs(2n, keys[2].address, 1n); // InvalidNonce: the same pledge is already on-chain
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(1n);
      expect((await campaign.levelTallies()).counts[0]).to.equal(4n);
    });

    it("a batch whose every item is skipped does not revert, and an unrecoverable signature names address(0)", async function () {
      const { campaign } = await loadFixture(ethCampaignFixture);
      const signed = await pledgeFor(campaign, newPledgeKey(), 1);
      await expect(campaign.pledgeBatch(encodePledges([{ ...signed, vs: HIGH_S_VS }])))
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, ZERO, 0n); // InvalidSignature
    });
  });

  describe("last-second pull-out", function () {
    async function lockedFixture() {
      const base = await deployFactory();
      const params = await defaultParams({ finalLock: BigInt(DAY) });
      const campaign = await createCampaign(base.factory, base.organiser, params);
      const key = newPledgeKey();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2, 100n)))).wait();
      await (await campaign.connect(base.others[0]).donate(1, 500n, { value: 500n })).wait();
      return { ...base, params, campaign, key, lockStart: params.pledgeDeadline - BigInt(DAY) };
    }

    it("withdrawals are accepted at lockStart and refused from the next second with FinalLockActive", async function () {
      const { campaign, key, others, lockStart } = await loadFixture(lockedFixture);
      await (await campaign.connect(others[0]).donate(1, 7n, { value: 7n })).wait();
      await time.setNextBlockTimestamp(lockStart);
      await (await campaign.connect(others[0]).withdrawDonation(1n)).wait();
      await expect(campaign.connect(others[0]).withdrawDonation(0n))
        .to.be.revertedWithCustomError(campaign, "FinalLockActive")
        .withArgs(lockStart);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 0))))
        .to.be.revertedWithCustomError(campaign, "FinalLockActive")
        .withArgs(lockStart);
    });

    it("during the lock refuses a higher level or support, accepts lower ones, new pledges and donations", async function () {
      const { campaign, key, others, lockStart, params } = await loadFixture(lockedFixture);
      await time.increaseTo(lockStart + 1n);
      await expect(
        campaign.pledge(encodePledge(await pledgeFor(campaign, key, 3, 100n))),
      ).to.be.revertedWithCustomError(campaign, "FinalLockActive");
      await expect(
        campaign.pledge(encodePledge(await pledgeFor(campaign, key, 2, 101n))),
      ).to.be.revertedWithCustomError(campaign, "FinalLockActive");
      await expect(campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, key, 0)])))
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, key.address, 6n); // FinalLock
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 50n))))
        .to.emit(campaign, "PledgeChanged")
        .withArgs(key.address, 1n, 50n, 0n);
      const fresh = newPledgeKey();
      await time.setNextBlockTimestamp(params.pledgeDeadline);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, fresh, 3, 10n)))).to.emit(
        campaign,
        "Pledged",
      );
      await expect(campaign.connect(others[1]).donate(1, 9n, { value: 9n })).to.be.revertedWithCustomError(
        campaign,
        "PledgeDeadlinePassed",
      );
    });

    it("the factory refuses a lock above 7 days or not shorter than the time left", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const eight = await defaultParams({ finalLock: BigInt(8 * DAY) });
      await expect(factory.connect(organiser).createCampaign(eight, "ipfs://x", ethers.ZeroHash))
        .to.be.revertedWithCustomError(factory, "InvalidFinalLock")
        .withArgs(BigInt(8 * DAY));
      const now = BigInt(await time.latest());
      const tight = await defaultParams({ pledgeDeadline: now + BigInt(DAY) + 1n, finalLock: BigInt(DAY) });
      // Mined one second later: exactly DAY left, so a DAY lock is not shorter.
      await expect(factory.connect(organiser).createCampaign(tight, "ipfs://x", ethers.ZeroHash))
        .to.be.revertedWithCustomError(factory, "InvalidFinalLock")
        .withArgs(BigInt(DAY));
      const seven = await defaultParams({ finalLock: BigInt(7 * DAY), pledgeDeadline: now + BigInt(8 * DAY) });
      await (await factory.connect(organiser).createCampaign(seven, "ipfs://x", ethers.id("seven"))).wait();
    });
  });

  describe("support-conditional pledges", function () {
    /** MECHANISM.md's E4, with a one-day final lock: the class-2 bucket (2, 2) binds, P = 7. */
    async function e4Fixture() {
      const base = await deployFactory();
      const donors = base.others.slice(0, 3);
      const { campaign, keys, params } = await exampleCampaign(base.factory, base.organiser, donors, EXAMPLES.E4, {
        finalLock: BigInt(DAY),
      });
      return { ...base, campaign, keys, params, donors, lockStart: params.pledgeDeadline - BigInt(DAY) };
    }
    const E4_RESULT: Expected = {
      tippingLevel: 3,
      committed: 7n,
      triggered: 44n,
      requested: 39n,
      paid: 39n,
      boundCondition: 2,
      boundConditionLevel: 2,
      bound: [0, 1, 2, 3, 4, 6, 7],
    };
    /** The on-chain tallies as the reference model takes them. */
    async function onChainTallies(campaign: CampaignContract): Promise<model.Tallies> {
      const [counts, requested, donated] = await campaign.levelTallies();
      const [conditionCounts, conditionRequested] = await campaign.conditionTallies();
      return {
        counts: [...counts],
        requested: [...requested],
        donated: [...donated],
        conditional: conditionCounts.map((c, k) => ({ counts: [...c], requested: [...conditionRequested[k]] })),
      };
    }

    it("a late conditional pledge cannot push a bound group out during the lock: refused, P stays 7", async function () {
      const { campaign, keys, lockStart, others } = await loadFixture(e4Fixture);
      await time.increaseTo(lockStart + 1n);
      // E5's poisoning pledge, sent new during the lock, alone or in a batch.
      const attacker = newPledgeKey();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, attacker, 2, 9n, { condition: 2 }))))
        .to.be.revertedWithCustomError(campaign, "FinalLockActive")
        .withArgs(lockStart);
      await expect(campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, attacker, 2, 9n, { condition: 2 })])))
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, attacker.address, BigInt(model.SkipReason.FinalLock));
      // A pledge already there (2, 8, class 0) turning into a class-2 request, or the class-2 pledge
      // at level 3 moving into the bound bucket (2, 2): refused too.
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, keys[2], 2, 8n, { condition: 2 }))))
        .to.be.revertedWithCustomError(campaign, "FinalLockActive")
        .withArgs(lockStart);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, keys[5], 2, 9n, { condition: 2 }))))
        .to.be.revertedWithCustomError(campaign, "FinalLockActive")
        .withArgs(lockStart);
      expect(model.resolve(EXAMPLES.E4.ladder, await onChainTallies(campaign), CONDITIONS).committed).to.equal(7n);
      await resolveAndCheck(campaign, keys, EXAMPLES.E4, E4_RESULT, others[10].address as Address);
    });

    it("bucket poisoning before the lock: a request above the bucket's slack keeps it out, P = 0 (E5)", async function () {
      const { campaign, keys, donors, others } = await loadFixture(e4Fixture);
      // The model's slack of the bound bucket (2, 2): F(3) = 44 covers R = 39 + at most 5.
      const before = await onChainTallies(campaign);
      expect(model.bucketSlack(EXAMPLES.E4.ladder, before, CONDITIONS, 2, 2)).to.equal(5n);
      const poison = newPledgeKey();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, poison, 2, 9n, { condition: 2 })))).wait();
      expect(model.resolve(EXAMPLES.E4.ladder, await onChainTallies(campaign), CONDITIONS).succeeded).to.equal(false);
      const params = (await campaign.parameters())[0];
      await time.increaseTo(params.pledgeDeadline + 1n);
      await expect(campaign.resolve()).to.emit(campaign, "CampaignResolved").withArgs(0n, 0n, 0n, 0n, 0n, 0n, 0n);
      for (const k of [...keys, poison]) {
        expect(await campaign.isBound(k.address)).to.equal(false);
        await expect(
          campaign.claim(await claimFor(campaign, k, { payee: others[10].address as Address })),
        ).to.be.revertedWithCustomError(campaign, "CampaignFailed");
      }
      // Nobody strikes, and every donation goes back in full.
      for (const [id, [, amount]] of EXAMPLES.E4.donations.entries()) {
        await expect(campaign.connect(donors[id]).reclaimDonation(id))
          .to.emit(campaign, "DonationRefunded")
          .withArgs(id, donors[id].address, amount);
      }
      expect(await balanceOf(campaign)).to.equal(0n);
    });

    it("a request within the bucket's slack does not poison it: (2, 5, 2) binds with it, P = 8", async function () {
      const { campaign, keys, others } = await loadFixture(e4Fixture);
      const joiner = newPledgeKey();
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, joiner, 2, 5n, { condition: 2 })))).wait();
      expect(model.bucketSlack(EXAMPLES.E4.ladder, await onChainTallies(campaign), CONDITIONS, 2, 2)).to.equal(0n);
      await resolveAndCheck(
        campaign,
        [...keys, joiner],
        { ...EXAMPLES.E4, pledges: [...EXAMPLES.E4.pledges, [2, 5n, 2]] },
        { ...E4_RESULT, committed: 8n, requested: 44n, paid: 44n, bound: [...E4_RESULT.bound, 8] },
        others[10].address as Address,
      );
    });

    it("a copied item with its condition changed acts for another key, never for its signer", async function () {
      const { factory, organiser, others } = await loadFixture(deployFactory);
      // An open campaign (oracle-gated, no voucher), so a changed item is not stopped by a voucher.
      const params = await defaultParams({
        attester: ZERO,
        oracle: others[3].address,
        oracleWindow: BigInt(2 * DAY),
        conditions: [5_000, 10_000],
      });
      const campaign = await createCampaign(factory, organiser, params, ethers.id("copy"));
      const address = (await campaign.getAddress()) as Address;
      const victim = newPledgeKey();
      const signed = await pledgeFor(campaign, victim, 1, 5n, { condition: 1, voucher: "0x" });
      const item = encodePledge(signed);
      const id = await chainId();
      for (const condition of [2, 0]) {
        // The attacker copies the relayer's pending item and flips its condition byte.
        const forged = concat([slice(item, 0, 1), numberToHex(condition, { size: 1 }), slice(item, 2)]);
        const recovered = await recoverTypedDataAddress({
          domain: campaignDomain(address, id),
          types: PLEDGE_TYPES,
          primaryType: "Pledge",
          message: { level: 1, support: 5n, condition, nonce: 0 },
          signature: compactSignatureToSignature({ r: signed.r, yParityAndS: signed.vs }),
        });
        expect(recovered).to.not.equal(victim.address);
        await expect(campaign.connect(others[9]).pledge(forged))
          .to.emit(campaign, "Pledged")
          .withArgs(recovered, 1n, 5n, BigInt(condition));
        expect((await campaign.pledgeOf(victim.address)).nonce).to.equal(0n);
      }
      // The victim's own item still lands, with the condition it signed.
      await expect(campaign.pledgeBatch(item)).to.emit(campaign, "Pledged").withArgs(victim.address, 1n, 5n, 1n);
      expect((await campaign.pledgeOf(victim.address)).condition).to.equal(1n);
    });

    it("a relayer truncating a batch reverts it whole: nobody's pledge is half-applied", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const campaign = await createCampaign(
        factory,
        organiser,
        await defaultParams({ conditions: [5_000, 10_000] }),
        ethers.id("truncate"),
      );
      const keys = Array.from({ length: 4 }, () => newPledgeKey());
      const signed = await Promise.all(
        keys.map((k, i) => pledgeFor(campaign, k, (i % 3) + 1, 10n * BigInt(i + 1), { condition: i % 3 })),
      );
      const bytes = encodePledges(signed);
      const ITEM = PLEDGE_HEAD_BYTES + 65; // each first pledge carries the attester's 65-byte voucher
      for (const [length, offset] of [
        [3 * ITEM + 10, 3 * ITEM], // in the last item's head
        [4 * ITEM - 1, 3 * ITEM], // in the last item's voucher
        [ITEM + PLEDGE_HEAD_BYTES, ITEM], // the second item's head, without its voucher
      ]) {
        await expect(campaign.pledgeBatch(slice(bytes, 0, length)))
          .to.be.revertedWithCustomError(campaign, "MalformedPledges")
          .withArgs(BigInt(offset));
      }
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(0n);
      expect((await campaign.levelTallies()).counts).to.deep.equal([0n, 0n, 0n]);
      expect((await campaign.status()).conditional).to.equal(false);
      // The signatures are still good: the whole batch lands once sent intact.
      await (await campaign.pledgeBatch(bytes)).wait();
      for (const k of keys) expect((await campaign.pledgeOf(k.address)).nonce).to.equal(1n);
      expect((await campaign.levelTallies()).counts).to.deep.equal([2n, 1n, 1n]);
      expect((await campaign.status()).conditional).to.equal(true);
    });
  });

  describe("rogue clone", function () {
    it("is inert: a clone of the implementation the factory never initialised takes no pledge nor donation", async function () {
      const { factory, others } = await loadFixture(deployFactory);
      const params = await defaultParams();
      const genuine = await factory.predictCampaign(others[0].address, params, ethers.ZeroHash);
      await (await factory.connect(others[0]).createCampaign(params, "ipfs://x", ethers.ZeroHash)).wait();
      // Copy the genuine campaign's code (ERC-1167 + its arguments) into a fresh contract.
      const code = await ethers.provider.getCode(genuine);
      const initcode = ethers.concat(["0x61", ethers.toBeHex((code.length - 2) / 2, 2), "0x3d81600a3d39f3", code]);
      const deployTx = await (await others[1].sendTransaction({ data: initcode })).wait();
      const rogue = await ethers.getContractAt("Campaign", deployTx!.contractAddress!);
      expect(await ethers.provider.getCode(rogue)).to.equal(code);
      expect(await factory.isCampaign(rogue)).to.equal(false);
      await expect(rogue.connect(others[2]).donate(1, 10n, { value: 10n })).to.be.revertedWithCustomError(
        rogue,
        "CampaignNotOpen",
      );
      await expect(rogue.pledge(encodePledge(await pledgeFor(rogue, newPledgeKey(), 1)))).to.be.revertedWithCustomError(
        rogue,
        "CampaignNotOpen",
      );
      await expect(
        rogue.pledgeBatch(encodePledges([await pledgeFor(rogue, newPledgeKey(), 1)])),
      ).to.be.revertedWithCustomError(rogue, "CampaignNotOpen");
      await expect(rogue.initialize()).to.be.revertedWithCustomError(rogue, "NotFactory");
    });
  });

  describe("late resolution", function () {
    it("keeps claims: the window closes claimWindow after resolution, to the second", async function () {
      const { campaign, params, others } = await loadFixture(ethCampaignFixture);
      const [a, b] = [newPledgeKey(), newPledgeKey()];
      await (
        await campaign.pledgeBatch(
          encodePledges([await pledgeFor(campaign, a, 1, 100n), await pledgeFor(campaign, b, 1, 100n)]),
        )
      ).wait();
      await (await campaign.connect(others[0]).donate(1, 300n, { value: 300n })).wait();
      const [, baseEnd] = await campaign.windows();
      // Nobody resolves until long after the base claim window closed.
      await time.setNextBlockTimestamp(baseEnd + 10n);
      await (await campaign.resolve()).wait();
      const resolvedAt = (await campaign.status()).resolvedAt;
      expect(resolvedAt).to.equal(baseEnd + 10n);
      const claimEnd = resolvedAt + params.claimWindow;
      expect((await campaign.windows())[1]).to.equal(claimEnd);
      await time.setNextBlockTimestamp(claimEnd);
      await expect(campaign.claim(await claimFor(campaign, a, { payee: others[10].address as Address })))
        .to.emit(campaign, "SupportClaimed")
        .withArgs(a.address, others[10].address, 100n, 0n);
      await time.increaseTo(claimEnd + 1n);
      await expect(campaign.claim(await claimFor(campaign, b, { payee: others[10].address as Address })))
        .to.be.revertedWithCustomError(campaign, "ClaimWindowClosed")
        .withArgs(claimEnd);
      // b's unclaimed 100 goes back to the donor with the surplus.
      await expect(campaign.connect(others[0]).reclaimDonation(0n))
        .to.emit(campaign, "RemainderReturned")
        .withArgs(0n, others[0].address, 100n);
    });
  });

  describe("vouchers through SignatureChecker", function () {
    it("accepts an ERC-1271 attester's answer and refuses its refusal", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const secret = ethers.id("union key");
      const verifier = await ethers.deployContract("TestERC1271Attester", [secret]);
      const params = await defaultParams({ attester: await verifier.getAddress() });
      const campaign = await createCampaign(factory, organiser, params);
      const key = newPledgeKey();
      const digest = voucherDigest((await campaign.getAddress()) as Address, await chainId(), key.address);
      const voucher = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [secret, digest]),
      ) as `0x${string}`;
      const wrong = ethers.keccak256(
        ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [ethers.id("x"), digest]),
      ) as `0x${string}`;
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 5n, { voucher: wrong }))))
        .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
        .withArgs(key.address);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, key, 1, 5n, { voucher }))))
        .to.emit(campaign, "Pledged")
        .withArgs(key.address, 1n, 5n, 0n);
    });
  });

  describe("limits", function () {
    it("skips an item that would take a level's requested support past its limit, and pledge reverts LevelLimitExceeded", async function () {
      const { factory, organiser } = await loadFixture(deployFactory);
      const cap = (1n << 90n) - 1n;
      const campaign = await createCampaign(factory, organiser, await defaultParams({ supportCap: cap }));
      const [a, b, c] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
      await (await campaign.pledge(encodePledge(await pledgeFor(campaign, a, 1, cap)))).wait();
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, b, 1, 1n))))
        .to.be.revertedWithCustomError(campaign, "LevelLimitExceeded")
        .withArgs(1n);
      await expect(
        campaign.pledgeBatch(encodePledges([await pledgeFor(campaign, b, 1, 1n), await pledgeFor(campaign, c, 2, 1n)])),
      )
        .to.emit(campaign, "PledgeSkipped")
        .withArgs(0n, b.address, 7n)
        .and.to.emit(campaign, "Pledged")
        .withArgs(c.address, 2n, 1n, 0n);
      // The same key lowering its own request at the full level is fine.
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, a, 1, cap - 1n)))).to.emit(
        campaign,
        "PledgeChanged",
      );
    });
  });
});

function oracleSigner(others: Signer[]): Signer {
  return others[3];
}

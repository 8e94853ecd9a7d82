/**
 * contracts/RsaVoucherVerifier.sol: the ERC-1271 answer for blind vouchers made with
 * packages/core/src/blind-rsa.ts, directly and through OpenZeppelin's SignatureChecker (the campaign's path).
 */
import { encodePledge, encodePledges } from "@bascule/core/signing";
import { expect } from "chai";
import { type Address, type Hex, concat, hexToBigInt, keccak256, toHex } from "viem";
import {
  blind,
  fdh,
  generateKey,
  publicKeyArgs,
  toFixedHex,
  unblind,
  voucherBytes,
  voucherDigest,
  type RsaPrivateKey,
} from "@bascule/core/blind-rsa";
import { blindSign } from "../../scripts/attester/rsa.js";
import {
  createCampaign,
  defaultParams,
  deployFactory,
  ethers,
  networkHelpers,
  newPledgeKey,
  pledgeFor,
} from "../helpers/fixtures.js";

const VALID = "0x1626ba7e";
const INVALID = "0xffffffff";
const CAMPAIGN = "0x00000000000000000000000000000000000ba5c0" as Address;
const OTHER_CAMPAIGN = "0x00000000000000000000000000000000000ba5c1" as Address;
const PLEDGE_KEY = "0x1111111111111111111111111111111111111111" as Address;

let key: RsaPrivateKey;
let otherKey: RsaPrivateKey;

/** What a member's browser ends up with after blinding, the union's blind signature, and unblinding. */
function voucherFor(k: RsaPrivateKey, digest: Hex): Hex {
  const { blinded, inverse } = blind(k, digest);
  return voucherBytes(unblind(k, blindSign(k, blinded), inverse));
}

/**
 * Verifiers bound to `caller` (a test account standing for the campaign), so direct calls from it are
 * the campaign's; `viaChecker` is bound to the SignatureChecker harness, which asks as a campaign does.
 */
async function verifierFixture() {
  const { modulus, exponent } = publicKeyArgs(key);
  const [caller, stranger] = await ethers.getSigners();
  const checker = await ethers.deployContract("SignatureCheckerHarness");
  const verifier = (await ethers.deployContract("RsaVoucherVerifier", [modulus, exponent, caller.address])).connect(
    caller,
  );
  const viaChecker = await ethers.deployContract("RsaVoucherVerifier", [modulus, exponent, await checker.getAddress()]);
  const other = (
    await ethers.deployContract("RsaVoucherVerifier", [
      publicKeyArgs(otherKey).modulus,
      publicKeyArgs(otherKey).exponent,
      caller.address,
    ])
  ).connect(caller);
  return {
    verifier,
    viaChecker,
    other,
    checker,
    caller,
    stranger,
    chainId: (await ethers.provider.getNetwork()).chainId,
  };
}

describe("RsaVoucherVerifier", function () {
  this.timeout(60_000);
  before(async () => {
    [key, otherKey] = await Promise.all([generateKey(3n), generateKey(65537n)]);
  });

  describe("constructor", () => {
    it("keeps the public key it was given", async () => {
      const { verifier } = await networkHelpers.loadFixture(verifierFixture);
      expect(await verifier.modulus()).to.equal(toFixedHex(key.n));
      expect(await verifier.exponent()).to.equal(3n);
    });
    it("keeps the one campaign it is bound to, and refuses the zero address", async () => {
      const { verifier, caller } = await networkHelpers.loadFixture(verifierFixture);
      expect(await verifier.campaign()).to.equal(caller.address);
      const Verifier = await ethers.getContractFactory("RsaVoucherVerifier");
      await expect(
        Verifier.deploy(toFixedHex(key.n), 3n, "0x0000000000000000000000000000000000000000"),
      ).to.be.revertedWithCustomError(Verifier, "ZeroCampaign");
    });
    it("refuses a modulus that is not 256 bytes, lacks its top bit, or is even", async () => {
      const n = toFixedHex(key.n);
      const Verifier = await ethers.getContractFactory("RsaVoucherVerifier");
      for (const bad of [
        `0x${n.slice(4)}`, // 255 bytes
        concat([n, "0x01"]), // 257 bytes
        toFixedHex(key.n >> 1n), // 2047 bits, padded to 256 bytes
        toFixedHex(key.n - 1n), // even
      ]) {
        await expect(Verifier.deploy(bad, 65537n, CAMPAIGN)).to.be.revertedWithCustomError(Verifier, "InvalidModulus");
      }
    });
    it("refuses an even, tiny or huge exponent", async () => {
      const Verifier = await ethers.getContractFactory("RsaVoucherVerifier");
      for (const e of [1n, 2n, 65536n, 2n ** 32n + 1n]) {
        await expect(Verifier.deploy(toFixedHex(key.n), e, CAMPAIGN))
          .to.be.revertedWithCustomError(Verifier, "InvalidExponent")
          .withArgs(e);
      }
    });
  });

  describe("fdh", () => {
    it("is the same function as the TypeScript one", async () => {
      const { verifier } = await networkHelpers.loadFixture(verifierFixture);
      for (const digest of [keccak256(toHex("x")), `0x${"ff".repeat(32)}` as Hex]) {
        expect(hexToBigInt((await verifier.fdh(digest)) as Hex)).to.equal(fdh(digest));
      }
    });
  });

  describe("isValidSignature", () => {
    it("accepts a blind voucher unblinded by the member", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      expect(await verifier.isValidSignature(digest, voucherFor(key, digest))).to.equal(VALID);
    });
    it("accepts it through OpenZeppelin SignatureChecker, as the campaign checks a contract attester", async () => {
      const { viaChecker, checker, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      const voucher = voucherFor(key, digest);
      expect(await checker.isValidSignatureNow(await viaChecker.getAddress(), digest, voucher)).to.equal(true);
      expect(
        await checker.isValidSignatureNow(await viaChecker.getAddress(), digest, voucherFor(otherKey, digest)),
      ).to.equal(false);
    });
    it("refuses a voucher valid for its campaign when any other address asks", async () => {
      const { verifier, viaChecker, checker, stranger, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      const voucher = voucherFor(key, digest);
      expect(await verifier.isValidSignature(digest, voucher)).to.equal(VALID);
      // Another account, and a contract asking as a campaign does (SignatureChecker), get "invalid".
      expect(await verifier.connect(stranger).isValidSignature(digest, voucher)).to.equal(INVALID);
      expect(await checker.isValidSignatureNow(await verifier.getAddress(), digest, voucher)).to.equal(false);
      expect(await viaChecker.connect(stranger).isValidSignature(digest, voucher)).to.equal(INVALID);
    });
    it("refuses a voucher signed with another campaign's key", async () => {
      const { verifier, other, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      // The other verifier holds an e = 65537 key: both exponents work.
      const foreign = voucherFor(otherKey, digest);
      expect(await verifier.isValidSignature(digest, foreign)).to.equal(INVALID);
      expect(await other.isValidSignature(digest, foreign)).to.equal(VALID);
    });
    it("refuses a voucher made for another campaign, or another pledge key, under the same key", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const voucher = voucherFor(key, voucherDigest(OTHER_CAMPAIGN, chainId, PLEDGE_KEY));
      expect(await verifier.isValidSignature(voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY), voucher)).to.equal(INVALID);
      const otherPledgeKey = "0x2222222222222222222222222222222222222222" as Address;
      expect(await verifier.isValidSignature(voucherDigest(OTHER_CAMPAIGN, chainId, otherPledgeKey), voucher)).to.equal(
        INVALID,
      );
    });
    it("refuses a tampered voucher (any one bit flipped)", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      const s = hexToBigInt(voucherFor(key, digest));
      for (const bit of [0n, 1000n, 2046n]) {
        expect(await verifier.isValidSignature(digest, toFixedHex(s ^ (1n << bit)))).to.equal(INVALID);
      }
    });
    it("refuses a blind signature that was not unblinded", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      const { blinded } = blind(key, digest);
      expect(await verifier.isValidSignature(digest, toFixedHex(blindSign(key, blinded)))).to.equal(INVALID);
    });
    it("refuses a short, long, empty or 65-byte ECDSA-sized signature without reverting", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      const voucher = voucherFor(key, digest);
      for (const bad of [
        "0x",
        `0x${voucher.slice(4)}` as Hex,
        concat([voucher, "0x00"]),
        concat(["0x00", voucher]),
        `0x${"11".repeat(65)}` as Hex,
      ]) {
        expect(await verifier.isValidSignature(digest, bad)).to.equal(INVALID);
      }
    });
    it("refuses s + n and n itself (a signature must be below the modulus)", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      expect(await verifier.isValidSignature(digest, toFixedHex(key.n))).to.equal(INVALID);
      expect(await verifier.isValidSignature(digest, `0x${"ff".repeat(256)}`)).to.equal(INVALID);
      // s + n overflows 256 bytes only when s ≥ 2^2048 − n; where it still fits it must still fail.
      const s = hexToBigInt(voucherFor(key, digest));
      if (s + key.n < 1n << 2048n)
        expect(await verifier.isValidSignature(digest, toFixedHex(s + key.n))).to.equal(INVALID);
    });
    it("refuses the trivial signatures 0 and 1", async () => {
      const { verifier, chainId } = await networkHelpers.loadFixture(verifierFixture);
      const digest = voucherDigest(CAMPAIGN, chainId, PLEDGE_KEY);
      expect(await verifier.isValidSignature(digest, toFixedHex(0n))).to.equal(INVALID);
      expect(await verifier.isValidSignature(digest, toFixedHex(1n))).to.equal(INVALID);
    });
  });

  describe("as a campaign's attester (SignatureChecker, ERC-1271)", () => {
    /**
     * The deployment order of docs/blind-vouchers.md: predict the verifier's address (the deployer's
     * next CREATE), predict the campaign naming it, deploy the verifier bound to that campaign, create it.
     * `lookAlike` is anyone else's campaign, through the same factory, naming the same verifier.
     */
    async function gatedFixture() {
      const base = await deployFactory();
      const attacker = base.others[6];
      const verifierAddress = ethers.getCreateAddress({
        from: base.organiser.address,
        nonce: await base.organiser.getNonce(),
      });
      const params = await defaultParams({ attester: verifierAddress });
      const predicted = await base.factory.predictCampaign(base.organiser.address, params, ethers.ZeroHash);
      const verifier = await ethers.deployContract(
        "RsaVoucherVerifier",
        [publicKeyArgs(key).modulus, publicKeyArgs(key).exponent, predicted],
        base.organiser,
      );
      expect(await verifier.getAddress()).to.equal(verifierAddress);
      const campaign = await createCampaign(base.factory, base.organiser, params);
      expect(await campaign.getAddress()).to.equal(predicted);
      const other = await createCampaign(base.factory, base.organiser, params, ethers.id("other"));
      const lookAlike = await createCampaign(base.factory, attacker, params);
      return { ...base, verifier, campaign, other, lookAlike, chainId: (await ethers.provider.getNetwork()).chainId };
    }
    const blindFor = async (
      k: RsaPrivateKey,
      campaign: { getAddress(): Promise<string> },
      chainId: bigint,
      pledgeKey: Address,
    ) => voucherFor(k, voucherDigest((await campaign.getAddress()) as Address, chainId, pledgeKey));

    it("takes a first pledge with a blind voucher, and a later change without one", async () => {
      const { campaign, chainId } = await networkHelpers.loadFixture(gatedFixture);
      const member = newPledgeKey();
      const voucher = await blindFor(key, campaign, chainId, member.address);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, member, 2, 5n, { voucher }))))
        .to.emit(campaign, "Pledged")
        .withArgs(member.address, 2, 5n, 0n);
      await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, member, 3, 5n, { voucher: "0x" })))).to.emit(
        campaign,
        "PledgeChanged",
      );
    });

    it("refuses a voucher of another key, of another campaign, tampered, or short", async () => {
      const { campaign, other, chainId } = await networkHelpers.loadFixture(gatedFixture);
      const member = newPledgeKey();
      const good = hexToBigInt(await blindFor(key, campaign, chainId, member.address));
      for (const voucher of [
        await blindFor(otherKey, campaign, chainId, member.address),
        await blindFor(key, other, chainId, member.address),
        toFixedHex(good ^ 2n),
        `0x${toFixedHex(good).slice(4)}` as Hex,
        "0x" as Hex,
      ]) {
        await expect(campaign.pledge(encodePledge(await pledgeFor(campaign, member, 1, 0n, { voucher }))))
          .to.be.revertedWithCustomError(campaign, "InvalidVoucher")
          .withArgs(member.address);
      }
    });

    it("skips a bad voucher in a relayed batch and records the others", async () => {
      const { campaign, chainId } = await networkHelpers.loadFixture(gatedFixture);
      const [a, b, c] = [newPledgeKey(), newPledgeKey(), newPledgeKey()];
      const batch = [
        await pledgeFor(campaign, a, 1, 0n, { voucher: await blindFor(key, campaign, chainId, a.address) }),
        // b presents a's voucher: a copied voucher is worthless for another key.
        await pledgeFor(campaign, b, 1, 0n, { voucher: await blindFor(key, campaign, chainId, a.address) }),
        await pledgeFor(campaign, c, 2, 0n, { voucher: await blindFor(key, campaign, chainId, c.address) }),
      ];
      const tx = campaign.pledgeBatch(encodePledges(batch));
      await expect(tx).to.emit(campaign, "PledgeSkipped").withArgs(1n, b.address, 2n); // SkipReason.InvalidVoucher
      await expect(tx).to.emit(campaign, "Pledged").withArgs(c.address, 2, 0n, 0n);
      expect((await campaign.pledgeOf(b.address)).nonce).to.equal(0n);
    });

    it("gives a look-alike campaign naming the union's verifier no voucher: each is refused or skipped", async () => {
      const { campaign, lookAlike, chainId } = await networkHelpers.loadFixture(gatedFixture);
      const [a, b] = [newPledgeKey(), newPledgeKey()];
      // Vouchers made for the look-alike's own digest, as a lured member's browser would make them.
      const batch = [
        await pledgeFor(lookAlike, a, 1, 0n, { voucher: await blindFor(key, lookAlike, chainId, a.address) }),
        await pledgeFor(lookAlike, b, 2, 5n, { voucher: await blindFor(key, lookAlike, chainId, b.address) }),
      ];
      const tx = lookAlike.pledgeBatch(encodePledges(batch));
      await expect(tx).to.emit(lookAlike, "PledgeSkipped").withArgs(0n, a.address, 2n); // SkipReason.InvalidVoucher
      await expect(tx).to.emit(lookAlike, "PledgeSkipped").withArgs(1n, b.address, 2n);
      await expect(tx).not.to.emit(lookAlike, "Pledged");
      await expect(lookAlike.pledge(encodePledge(batch[0])))
        .to.be.revertedWithCustomError(lookAlike, "InvalidVoucher")
        .withArgs(a.address);
      // The real campaign still takes a voucher of the same key.
      await expect(
        campaign.pledge(
          encodePledge(
            await pledgeFor(campaign, a, 1, 0n, { voucher: await blindFor(key, campaign, chainId, a.address) }),
          ),
        ),
      ).to.emit(campaign, "Pledged");
    });
  });
});

/**
 * packages/core/src/gate-facts.ts on a Hardhat network: what the dApp says a campaign's attester is
 * (issue 20). The attacks: a 16-byte contract answering "valid" to everything (the factory takes it:
 * "unchecked", never "gated"), and a look-alike campaign naming a union's verifier ("look-alike").
 */
import { expect } from "chai";
import { type Address, type Hex, createPublicClient, custom, keccak256 } from "viem";
import { generateKey, publicKeyArgs } from "@bascule/core/blind-rsa";
import { isVerifierCode, readGateFacts } from "@bascule/core/gate-facts";
import { rsaVoucherVerifierDeployedBytecode } from "@bascule/core/generated/abis";
import {
  DEFAULT_ATTESTER,
  connection,
  createCampaign,
  defaultParams,
  deployFactory,
  ethers,
  networkHelpers,
} from "../helpers/fixtures.js";

/** PUSH4 0x1626ba7e PUSH1 224 SHL PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: "valid" to any call, 16 bytes. */
const ALWAYS_VALID = "0x631626ba7e60e01b60005260206000f3" as Hex;
const ALWAYS_VALID_ADDRESS = "0x00000000000000000000000000000000a77ac4e2" as Address;

describe("gate-facts: what a campaign's attester is", function () {
  this.timeout(60_000);
  const client = createPublicClient({ transport: custom(connection.provider) });

  async function fixture() {
    const base = await deployFactory();
    const key = await generateKey();
    const { modulus, exponent } = publicKeyArgs(key);
    // The union's campaign and its verifier, in the documented order.
    const verifierAddress = ethers.getCreateAddress({
      from: base.organiser.address,
      nonce: await base.organiser.getNonce(),
    });
    const params = await defaultParams({ attester: verifierAddress });
    const predicted = (await base.factory.predictCampaign(base.organiser.address, params, ethers.ZeroHash)) as Address;
    await ethers.deployContract("RsaVoucherVerifier", [modulus, exponent, predicted], base.organiser);
    const union = (await (await createCampaign(base.factory, base.organiser, params)).getAddress()) as Address;
    // Anyone's look-alike through the same factory, naming the union's verifier.
    const lookAlike = (await (await createCampaign(base.factory, base.others[6], params)).getAddress()) as Address;
    // The attack of issue 20: a contract that says "valid" to everything, accepted by the factory.
    await connection.provider.request({ method: "hardhat_setCode", params: [ALWAYS_VALID_ADDRESS, ALWAYS_VALID] });
    const drained = (await (
      await createCampaign(base.factory, base.others[6], await defaultParams({ attester: ALWAYS_VALID_ADDRESS }))
    ).getAddress()) as Address;
    return { ...base, modulus, verifier: verifierAddress as Address, union, lookAlike, drained };
  }

  it("says a 16-byte always-valid contract is unchecked, though the factory took it as a gate", async () => {
    const { drained } = await networkHelpers.loadFixture(fixture);
    expect(await readGateFacts(client, { campaign: drained, attester: ALWAYS_VALID_ADDRESS })).to.deep.equal({
      kind: "unchecked",
      attester: ALWAYS_VALID_ADDRESS,
    });
  });

  it("says the project's verifier bound to this campaign is verified, with its key", async () => {
    const { union, verifier, modulus } = await networkHelpers.loadFixture(fixture);
    const gate = await readGateFacts(client, { campaign: union, attester: verifier });
    expect(gate.kind).to.equal("verified");
    if (gate.kind !== "verified") return;
    expect(gate.campaign).to.equal(union);
    expect(gate.key.keyId).to.equal(keccak256(modulus));
  });

  it("says the project's verifier bound to another campaign is a look-alike, and names the real one", async () => {
    const { union, lookAlike, verifier } = await networkHelpers.loadFixture(fixture);
    const gate = await readGateFacts(client, { campaign: lookAlike, attester: verifier });
    expect(gate.kind).to.equal("look-alike");
    if (gate.kind !== "look-alike") return;
    expect(gate.boundTo).to.equal(union);
  });

  it("says none for no attester, and an account (the organiser's own key or not) for one without code", async () => {
    const { union, organiser } = await networkHelpers.loadFixture(fixture);
    const zero = "0x0000000000000000000000000000000000000000";
    expect(await readGateFacts(client, { campaign: union, attester: zero })).to.deep.equal({ kind: "none" });
    expect(
      await readGateFacts(client, {
        campaign: union,
        attester: DEFAULT_ATTESTER.address,
        organiser: organiser.address as Address,
      }),
    ).to.deep.equal({ kind: "account", attester: DEFAULT_ATTESTER.address, organiser: false });
    expect(
      await readGateFacts(client, {
        campaign: union,
        attester: organiser.address as Address,
        organiser: organiser.address as Address,
      }),
    ).to.deep.equal({ kind: "account", attester: organiser.address, organiser: true });
  });

  it("recognises the verifier's code whatever its immutables, and nothing else: one byte changed is unchecked", async () => {
    const { union, verifier } = await networkHelpers.loadFixture(fixture);
    const code = (await client.getCode({ address: verifier }))!;
    expect(isVerifierCode(code)).to.equal(true);
    expect(code).not.to.equal(rsaVoucherVerifierDeployedBytecode);
    expect(isVerifierCode(rsaVoucherVerifierDeployedBytecode)).to.equal(true);
    expect(isVerifierCode(ALWAYS_VALID)).to.equal(false);
    expect(isVerifierCode(`${code}00`)).to.equal(false);
    // A byte of code (not an immutable) flipped: a lookalike build that might accept anyone.
    const at = 2 + 2 * 20;
    const flipped = `${code.slice(0, at)}${code.slice(at, at + 2) === "ff" ? "00" : "ff"}${code.slice(at + 2)}` as Hex;
    expect(isVerifierCode(flipped)).to.equal(false);
    await connection.provider.request({ method: "hardhat_setCode", params: [verifier, flipped] });
    expect((await readGateFacts(client, { campaign: union, attester: verifier })).kind).to.equal("unchecked");
    // A build listed by the caller is recognised.
    expect(isVerifierCode(flipped, [{ deployedBytecode: flipped, immutableRanges: [] }])).to.equal(true);
  });
});

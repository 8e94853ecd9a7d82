/**
 * packages/core/src/clone.ts and `npm run verify:campaign-code`: a campaign's code is the exact 45-byte
 * ERC-1167 proxy to the factory's implementation followed by its parameters, decoded from the one
 * layout and held against `parameters()`; look-alikes (not from the factory, another
 * implementation, malformed parameters) are told apart, on a real `hardhat node`.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Address, type Hex, concat, createPublicClient, http, keccak256, numberToHex, size, toHex } from "viem";
import { createCampaign } from "../../scripts/cli/campaign.js";
import type { CampaignParameters } from "@bascule/core/campaign-params";
import {
  CAMPAIGN_ARGS_HEAD_SIZE,
  CAMPAIGN_ARGS_LAYOUT,
  ERC1167_SIZE,
  decodeCampaignArgs,
  decodeCampaignCode,
  differingParameters,
  erc1167Proxy,
} from "@bascule/core/clone";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { checkCampaignCode } from "../../scripts/verify/campaign.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

const run = promisify(execFile);
const IMPLEMENTATION = "0x408afb90dB07E44F8407DD0DEaEc083B0c8aee37" as Address;

/** Appended arguments built field by field from the layout (independently of the decoder). */
function encodeArgs(values: Record<string, bigint | string>, ladder: number[]): Hex {
  const parts = CAMPAIGN_ARGS_LAYOUT.map((f) => {
    const v = values[f.name];
    return typeof v === "bigint" ? numberToHex(v, { size: f.bytes }) : (v as Hex);
  });
  return concat([...parts, ...ladder.map((l) => numberToHex(l, { size: 4 }))]);
}

/** Every field of the layout: those of `known`, and zero for any the layout gained since (e.g. finalLock). */
function fullSample(known: Record<string, bigint | string>): Record<string, bigint | string> {
  return Object.fromEntries(
    CAMPAIGN_ARGS_LAYOUT.map((f) => [
      f.name,
      known[f.name] ??
        (f.type === "uint"
          ? 0n
          : f.type === "address"
            ? "0x0000000000000000000000000000000000000000"
            : `0x${"00".repeat(32)}`),
    ]),
  );
}

const sample = fullSample({
  organiser: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  token: "0x0000000000000000000000000000000000000000",
  attester: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  oracle: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  pledgeDeadline: 1_900_000_000n,
  finalLock: 86_400n,
  actionDate: 1_900_086_400n,
  oracleWindow: 172_800n,
  claimWindow: 2_592_000n,
  supportCap: 10n ** 18n,
  metadataHash: keccak256(toHex("Grève du 1er mai")),
});

describe("clone: a campaign's code, decoded", function () {
  describe("decodeCampaignCode", function () {
    const args = encodeArgs(sample, [3, 7, 20]);
    const code = concat([erc1167Proxy(IMPLEMENTATION), args]);

    it("reads the 45-byte proxy, its implementation and every appended parameter", function () {
      expect(size(erc1167Proxy(IMPLEMENTATION))).to.equal(ERC1167_SIZE);
      expect(size(code)).to.equal(ERC1167_SIZE + CAMPAIGN_ARGS_HEAD_SIZE + 3 * 4);
      const facts = decodeCampaignCode(code, IMPLEMENTATION);
      if (!facts.ok) expect.fail(facts.problem);
      expect(facts.implementation).to.equal(IMPLEMENTATION);
      expect(facts.proxy).to.equal(erc1167Proxy(IMPLEMENTATION));
      expect(facts.parameters).to.deep.equal({ ...sample, ladder: [3, 7, 20], conditions: [] });
    });

    it("reads the conditions c_1, c_2 (0 when absent) and lists the present ones", function () {
      for (const conditions of [[5_000, 10_000], [10_000], [1], []]) {
        const values = { ...sample, condition1: BigInt(conditions[0] ?? 0), condition2: BigInt(conditions[1] ?? 0) };
        const facts = decodeCampaignCode(concat([erc1167Proxy(IMPLEMENTATION), encodeArgs(values, [4])]));
        if (!facts.ok) expect.fail(facts.problem);
        expect(facts.parameters, `[${conditions}]`).to.deep.equal({ ...values, ladder: [4], conditions });
      }
      expect(CAMPAIGN_ARGS_HEAD_SIZE).to.equal(172);
    });

    it("refuses a code that does not start with the ERC-1167 proxy", function () {
      const other = `0x00${code.slice(4)}` as Hex;
      expect(decodeCampaignCode(other, IMPLEMENTATION)).to.deep.equal({ ok: false, problem: "not-erc1167" });
      const badSuffix = concat([erc1167Proxy(IMPLEMENTATION).slice(0, -2) as Hex, "0x00", args]);
      expect(decodeCampaignCode(badSuffix)).to.deep.equal({ ok: false, problem: "not-erc1167" });
      expect(decodeCampaignCode("0x363d3d37")).to.deep.equal({ ok: false, problem: "not-erc1167" });
    });

    it("refuses a proxy to another implementation", function () {
      const rogue = "0x000000000000000000000000000000000000dEaD" as Address;
      expect(decodeCampaignCode(concat([erc1167Proxy(rogue), args]), IMPLEMENTATION)).to.deep.equal({
        ok: false,
        problem: "other-implementation",
        implementation: rogue,
      });
    });

    it("refuses malformed parameters: none, a cut level, no level, more than 64 levels", function () {
      const proxy = erc1167Proxy(IMPLEMENTATION);
      for (const bad of [
        proxy,
        concat([proxy, args.slice(0, -2) as Hex]),
        concat([proxy, encodeArgs(sample, [])]),
        concat([
          proxy,
          encodeArgs(
            sample,
            Array.from({ length: 65 }, (_, i) => i + 1),
          ),
        ]),
      ]) {
        expect(decodeCampaignCode(bad, IMPLEMENTATION)).to.deep.equal({
          ok: false,
          problem: "bad-arguments",
          implementation: IMPLEMENTATION,
        });
      }
      expect(() => decodeCampaignArgs("0x")).to.throw(new RegExp(`expected ${CAMPAIGN_ARGS_HEAD_SIZE} \\+ 4`));
    });

    it("says there is no code", function () {
      expect(decodeCampaignCode("0x")).to.deep.equal({ ok: false, problem: "no-code" });
      expect(decodeCampaignCode(undefined)).to.deep.equal({ ok: false, problem: "no-code" });
    });

    it("names the fields that differ from parameters(), and those the layout does not know", function () {
      const decoded = decodeCampaignArgs(args);
      const organiser = sample.organiser as Address;
      const params: Record<string, unknown> & { ladder: number[] } = { ...sample, ladder: [3, 7, 20] };
      delete params.organiser;
      expect(differingParameters(decoded, params, organiser)).to.deep.equal([]);
      expect(differingParameters(decoded, { ...params, supportCap: 1n, ladder: [3, 7, 21] }, organiser)).to.deep.equal([
        "supportCap",
        "ladder",
      ]);
      expect(differingParameters(decoded, { ...params, finalLockish: 1n }, organiser)).to.deep.equal(["finalLockish"]);
      expect(differingParameters(decoded, { ...params, conditions: [] }, organiser)).to.deep.equal([]);
      expect(differingParameters(decoded, { ...params, conditions: [5_000] }, organiser)).to.deep.equal(["conditions"]);
      const withConditions = decodeCampaignArgs(
        encodeArgs({ ...sample, condition1: 5_000n, condition2: 10_000n }, [3]),
      );
      expect(
        differingParameters(withConditions, { ...params, ladder: [3], conditions: [5_000, 10_000] }, organiser),
      ).to.deep.equal([]);
      expect(
        differingParameters(withConditions, { ...params, ladder: [3], conditions: [5_000, 9_999] }, organiser),
      ).to.deep.equal(["conditions"]);
    });
  });

  describe("on a real node", function () {
    this.timeout(180_000);
    let node: LocalNode;
    let factory: Address;
    let implementation: Address;
    let campaign: Address;
    let params: CampaignParameters;

    before(async function () {
      node = await startNode();
      ({ factory, implementation } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
      const now = BigInt(Math.floor(Date.now() / 1000));
      params = {
        token: "0x0000000000000000000000000000000000000000",
        pledgeDeadline: now + 7n * 86_400n,
        finalLock: 86_400n,
        actionDate: now + 8n * 86_400n,
        oracleWindow: 2n * 86_400n,
        claimWindow: 30n * 86_400n,
        supportCap: 10n ** 18n,
        conditions: [5_000, 10_000],
        attester: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        oracle: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
        metadataHash: keccak256(toHex("Grève du 1er mai")),
        ladder: [3, 7, 20, 1000],
      };
      ({ campaign } = await createCampaign({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[1],
        factory,
        params,
        metadataURI: "ipfs://x",
        salt: keccak256(toHex("clone test")),
      }));
    });

    after(async function () {
      await node?.stop();
    });

    it("decodes a factory campaign's code to exactly what parameters() returns", async function () {
      const client = createPublicClient({ transport: http(node.url) });
      const code = await client.getCode({ address: campaign });
      const facts = decodeCampaignCode(code, implementation);
      if (!facts.ok) expect.fail(facts.problem);
      const [onChain, organiser] = await client.readContract({
        address: campaign,
        abi: campaignAbi,
        functionName: "parameters",
      });
      expect(
        differingParameters(
          facts.parameters,
          onChain as unknown as Parameters<typeof differingParameters>[1],
          organiser,
        ),
      ).to.deep.equal([]);
      expect(facts.parameters.organiser).to.equal(organiser);
      expect(facts.parameters.ladder).to.deep.equal(params.ladder);
      expect(facts.parameters.attester).to.equal(params.attester);
      expect(facts.parameters.conditions).to.deep.equal([5_000, 10_000]);
      expect([facts.parameters.condition1, facts.parameters.condition2]).to.deep.equal([5_000n, 10_000n]);
      expect([...onChain.conditions]).to.deep.equal([5_000, 10_000]);
    });

    it("checks the three facts: implementation, proxy (listed by the factory), parameters", async function () {
      const r = await checkCampaignCode({ rpcUrl: node.url, campaign, factory });
      expect(r.implementation.match).to.equal(true);
      expect(r.proxy).to.deep.equal({
        ok: true,
        delegatesTo: implementation,
        codeSize: ERC1167_SIZE + CAMPAIGN_ARGS_HEAD_SIZE + 16,
        listedByFactory: true,
      });
      expect(r.parameters.differing).to.deep.equal([]);
      expect(r.ok).to.equal(true);
    });

    it("tells a look-alike with the very same code apart: the factory does not list it", async function () {
      const code = await node.rpc<Hex>("eth_getCode", [campaign, "latest"]);
      const lookAlike = "0x00000000000000000000000000000000000b0b00" as Address;
      await node.rpc("hardhat_setCode", [lookAlike, code]);
      const r = await checkCampaignCode({ rpcUrl: node.url, campaign: lookAlike, factory });
      expect(r.proxy.ok).to.equal(true);
      expect(r.proxy.listedByFactory).to.equal(false);
      expect(r.ok).to.equal(false);
    });

    it("flags a proxy to another implementation", async function () {
      const code = await node.rpc<Hex>("eth_getCode", [campaign, "latest"]);
      const rogue = "0x00000000000000000000000000000000000b0b01" as Address;
      await node.rpc("hardhat_setCode", [
        rogue,
        concat([erc1167Proxy(factory), `0x${code.slice(2 + ERC1167_SIZE * 2)}`]),
      ]);
      const r = await checkCampaignCode({ rpcUrl: node.url, campaign: rogue, factory });
      expect(r.proxy).to.include({ ok: false, problem: "other-implementation", delegatesTo: factory });
      expect(r.ok).to.equal(false);
    });

    it("npm run verify:campaign-code prints the three facts and exits 0, or 1 for a look-alike", async function () {
      const cli = (address: string) =>
        run(
          process.execPath,
          ["--import", "tsx", "scripts/verify/campaign.ts", address, "--rpc", node.url, "--factory", factory],
          { cwd: ROOT },
        );
      const { stdout } = await cli(campaign);
      expect(stdout).to.match(/ok +1\. implementation .* matches the build/);
      const argsSize = CAMPAIGN_ARGS_HEAD_SIZE + 4 * 4;
      expect(stdout).to.match(
        new RegExp(
          `ok +2\\. code = 45-byte ERC-1167 proxy to 0x[0-9a-fA-F]{40} \\+ ${argsSize} bytes of parameters \\(${ERC1167_SIZE + argsSize} bytes\\)`,
        ),
      );
      expect(stdout).to.match(/ok +3\. parameters decoded from the code = parameters\(\)/);
      expect(stdout).to.match(/ladder +3, 7, 20, 1000/);
      try {
        await cli("0x00000000000000000000000000000000000b0b00");
        expect.fail("exit 0 for a look-alike");
      } catch (error) {
        const e = error as { code: number; stdout: string };
        expect(e.code).to.equal(1);
        expect(e.stdout).to.match(/FAILED +listed by the factory \(isCampaign\): a look-alike/);
      }
    });
  });
});

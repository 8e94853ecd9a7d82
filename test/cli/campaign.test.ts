/**
 * The organiser CLI against a real `hardhat node`: create from a JSON file (validated, clear
 * errors in English and French), status with the reference model's provisional result, resolve.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Address, createWalletClient, http } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { CampaignFileError, parseCampaignFile, parseConditions } from "../../scripts/cli/campaign.js";
import { chainFor, deployBascule } from "../../scripts/lib/deployment.js";
import { campaignAbi } from "@bascule/core/generated/abis";
import { encodePledges, signPledge } from "@bascule/core/signing";
import { type LocalNode, ROOT, TEST_KEYS, increaseTime, startNode } from "../helpers/node.js";

const run = promisify(execFile);

function file(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    metadataURI: "ipfs://greve-1er-mai",
    description: "Grève du 1er mai / May Day strike",
    ladder: [2, 5, 10],
    pledgeDeadline: new Date(now + 7 * 86_400_000).toISOString(),
    actionDate: new Date(now + 8 * 86_400_000).toISOString(),
    claimWindowDays: 30,
    supportCap: "1000000000000000000",
    // Money needs a gate: the organiser's union vouches for its members.
    attester: "0x000000000000000000000000000000000000a77e",
    ...overrides,
  };
}

describe("organiser CLI", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let dir: string;
  let factory: Address;

  const cli = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, RPC_URL: node.url, ORGANISER_PRIVATE_KEY: TEST_KEYS[1], FACTORY: factory },
    });

  before(async function () {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-cli-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
  });

  after(async function () {
    await node?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("campaign file validation", function () {
    const cases: [string, Record<string, unknown>][] = [
      ["ladder[1]", { ladder: [5, 2] }],
      ["ladder", { ladder: [] }],
      ["pledgeDeadline", { pledgeDeadline: "tomorrow-ish" }],
      ["actionDate", { actionDate: new Date(Date.now() + 86_400_000).toISOString() }],
      ["claimWindowDays", { claimWindowDays: 0 }],
      ["oracleWindowDays", { oracle: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" }],
      ["supportCap", { supportCap: 12 }],
      ["supportCap", { attester: undefined }],
      ["finalLockHours", { finalLockHours: 169 }],
      ["metadataURI", { metadataURI: "" }],
      ["attester", { attester: "not an address" }],
      // The factory's rules, from the one validator: the final lock against the time left, the cap, whole days, a future deadline.
      ["finalLockHours", { finalLockHours: 48, pledgeDeadline: new Date(Date.now() + 47 * 3_600_000).toISOString() }],
      ["supportCap", { supportCap: (1n << 90n).toString() }],
      ["claimWindowDays", { claimWindowDays: 1.5 }],
      ["pledgeDeadline", { pledgeDeadline: new Date(Date.now() - 3_600_000).toISOString() }],
      // Conditions, by the factory's rules (TooManyConditions, InvalidCondition, ConditionsWithoutSupport) and the uint16 shape.
      ["conditions", { conditions: [2_500, 5_000, 10_000] }],
      ["conditions[1]", { conditions: [10_000, 5_000] }],
      ["conditions[1]", { conditions: [5_000, 5_000] }],
      ["conditions[0]", { conditions: [0] }],
      ["conditions[0]", { conditions: [10_001] }],
      ["conditions[0]", { conditions: [0.5] }],
      ["conditions[1]", { conditions: [5_000, 70_000] }],
      ["conditions", { conditions: "5000,10000" }],
      ["conditions", { conditions: [5_000], supportCap: "0", attester: undefined }],
    ];
    for (const [field, overrides] of cases) {
      it(`refuses a bad ${field.replace(/\[.*/, "")} (${JSON.stringify(overrides).slice(0, 40)}) with an English and a French message`, function () {
        try {
          parseCampaignFile(file(overrides));
          expect.fail("accepted");
        } catch (error) {
          expect(error).to.be.instanceOf(CampaignFileError);
          expect((error as CampaignFileError).field).to.equal(field);
          expect((error as CampaignFileError).fr)
            .to.be.a("string")
            .and.not.equal((error as CampaignFileError).en);
        }
      });
    }
  });

  it("reads --conditions as basis points separated by commas, none by default", function () {
    expect(parseConditions("5000,10000")).to.deep.equal([5_000, 10_000]);
    expect(parseConditions(" 10000 ")).to.deep.equal([10_000]);
    expect(parseConditions("")).to.deep.equal([]);
    expect(parseConditions("none")).to.deep.equal([]);
    expect(parseCampaignFile(file()).params.conditions).to.deep.equal([]);
    expect(parseCampaignFile(file({ conditions: [5_000, 10_000] })).params.conditions).to.deep.equal([5_000, 10_000]);
    for (const [text, field] of [
      ["half,all", "conditions[0]"],
      ["5000,", "conditions[1]"],
      ["50%", "conditions[0]"],
      ["-5000", "conditions[0]"],
    ]) {
      try {
        parseConditions(text);
        expect.fail(`accepted ${text}`);
      } catch (error) {
        expect(error).to.be.instanceOf(CampaignFileError);
        expect((error as CampaignFileError).field).to.equal(field);
        expect((error as CampaignFileError).fr).to.not.equal((error as CampaignFileError).en);
      }
    }
  });

  it("creates a campaign with --conditions, and its status counts each condition's part under the provisional result", async function () {
    const input = path.join(dir, "conditional.json");
    // Gated by a participation oracle: pledges need no voucher.
    const oracle = privateKeyToAccount(TEST_KEYS[5]).address;
    await writeFile(
      input,
      JSON.stringify(file({ attester: undefined, oracle, oracleWindowDays: 7, metadataURI: "ipfs://conditions" })),
    );
    const created = JSON.parse((await cli("create", input, "--conditions", "5000,10000")).stdout) as {
      campaign: Address;
    };
    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(31337, node.url),
      transport: http(node.url),
    });
    const pledges = await Promise.all(
      [
        { level: 1, support: 0n, condition: 0 },
        { level: 1, support: 10n, condition: 0 },
        { level: 1, support: 10n, condition: 2 },
      ].map((p) => signPledge(privateKeyToAccount(generatePrivateKey()), created.campaign, 31337, { ...p, nonce: 0 })),
    );
    await wallet.writeContract({
      address: created.campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(pledges)],
    });
    const status = JSON.parse((await cli("status", created.campaign)).stdout);
    expect(status.conditions).to.deep.equal([5_000, 10_000]);
    expect(status.tallies.counts).to.deep.equal(["3", "0", "0"]);
    expect(status.tallies.conditional[1].counts).to.deep.equal(["1", "0", "0"]);
    // No donation: the request of the class-2 pledge is not covered at all, so it does not count.
    expect(status.provisional.tippingLevel).to.equal(1);
    expect(status.provisional.committed).to.equal("2");
    expect(status.byCondition.conditions.map((c: { count: string }) => c.count)).to.deep.equal(["2", "0", "0"]);
    expect(status.byCondition.conditions[2].pledged).to.equal("1");
  });

  it("refuses bad --conditions with the field and an English and a French message, and creates nothing", async function () {
    const input = path.join(dir, "conditions-bad.json");
    await writeFile(input, JSON.stringify(file({ metadataURI: "ipfs://conditions-bad" })));
    for (const [value, field] of [
      ["5000,abc", "conditions[1]"],
      ["10000,5000", "conditions[1]"],
      ["2500,5000,10000", "conditions"],
    ]) {
      const failure = await cli("create", input, "--conditions", value).catch(
        (error: { stderr: string; code: number }) => error,
      );
      expect((failure as { code: number }).code, value).to.equal(1);
      expect((failure as { stderr: string }).stderr).to.include(`invalid campaign file, field ${field}:`);
      expect((failure as { stderr: string }).stderr).to.include(`fichier de campagne invalide, champ ${field} :`);
    }
    const open = path.join(dir, "conditions-open.json");
    await writeFile(open, JSON.stringify(file({ supportCap: "0", attester: undefined, metadataURI: "ipfs://o" })));
    const failure = await cli("create", open, "--conditions=5000").catch(
      (error: { stderr: string; code: number }) => error,
    );
    expect((failure as { stderr: string }).stderr).to.include("supportCap above 0");
  });

  it("creates a campaign, shows its status and provisional result, and resolves it", async function () {
    const input = path.join(dir, "campaign.json");
    // An open campaign (no attester) carries no money: its pledges need no voucher.
    await writeFile(input, JSON.stringify(file({ supportCap: "0", attester: undefined })));
    const created = JSON.parse((await cli("create", input)).stdout) as { campaign: Address };
    expect(created.campaign).to.match(/^0x[0-9a-fA-F]{40}$/);

    const wallet = createWalletClient({
      account: privateKeyToAccount(TEST_KEYS[4]),
      chain: chainFor(31337, node.url),
      transport: http(node.url),
    });
    const pledges = await Promise.all(
      [0, 1].map(() =>
        signPledge(privateKeyToAccount(generatePrivateKey()), created.campaign, 31337, {
          level: 1,
          support: 0n,
          nonce: 0,
        }),
      ),
    );
    await wallet.writeContract({
      address: created.campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(pledges)],
    });

    const status = JSON.parse((await cli("status", created.campaign)).stdout);
    expect(status.resolved).to.equal(false);
    expect(status.tallies.counts).to.deep.equal(["2", "0", "0"]);
    expect(status.provisional.tippingLevel).to.equal(1);
    expect(status.provisional.committed).to.equal("2");
    expect(status.escrowBalance).to.equal("0");

    const early = await cli("resolve", created.campaign).catch((error: { stderr: string; code: number }) => error);
    expect((early as { code: number }).code).to.equal(1);
    expect((early as { stderr: string }).stderr).to.match(/PledgeDeadlineNotPassed/);

    await increaseTime(node, 8 * 86_400);
    const resolved = JSON.parse((await cli("resolve", created.campaign)).stdout);
    expect(resolved.txHash).to.match(/^0x[0-9a-f]{64}$/);
    const after = JSON.parse((await cli("status", created.campaign)).stdout);
    expect(after.resolved).to.equal(true);
    expect(after.onChain.tippingLevel).to.equal(after.provisional.tippingLevel);
  });

  it("prints a clear bilingual error for an invalid file", async function () {
    const input = path.join(dir, "bad.json");
    await writeFile(input, JSON.stringify(file({ ladder: [3, 3] })));
    const failure = await cli("create", input).catch((error: { stderr: string; code: number }) => error);
    expect((failure as { code: number }).code).to.equal(1);
    expect((failure as { stderr: string }).stderr).to.include("invalid campaign file, field ladder[1]");
    expect((failure as { stderr: string }).stderr).to.include("fichier de campagne invalide");
  });
});

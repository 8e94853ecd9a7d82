/**
 * `npm run campaign -- create <file> --blind <attester-url> <keyId>` against a real `hardhat node` and a
 * running attester service: deploys the verifier of the attester's key bound to the campaign (its
 * predicted address; with ATTESTER_TOKEN, the key bound to it at the attester too), then the campaign
 * with it as attester; a voucher counts there and nowhere else.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Address, type Hex, createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type AttesterHandle, startAttester } from "../../scripts/attester/server.js";
import { blind, unblind, voucherBytes, voucherDigest } from "@bascule/core/blind-rsa";
import { blindSign } from "../../scripts/attester/rsa.js";
import { campaignAbi, rsaVoucherVerifierAbi } from "@bascule/core/generated/abis";
import { readGateFacts } from "@bascule/core/gate-facts";
import { readVerifierKey } from "@bascule/core/verifier";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

const run = promisify(execFile);

function file(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    metadataURI: "ipfs://greve-syndiques",
    description: "Grève des syndiqué·es / Members' strike",
    ladder: [2, 5, 10],
    pledgeDeadline: new Date(now + 7 * 86_400_000).toISOString(),
    actionDate: new Date(now + 8 * 86_400_000).toISOString(),
    claimWindowDays: 30,
    supportCap: "1000000000000000000",
    ...overrides,
  };
}

describe("organiser CLI: create --blind (a campaign gated by blind vouchers)", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let attester: AttesterHandle;
  let dir: string;
  let factory: Address;

  let attesterToken: string | undefined;
  const cli = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        RPC_URL: node.url,
        ORGANISER_PRIVATE_KEY: TEST_KEYS[1],
        FACTORY: factory,
        ...(attesterToken ? { ATTESTER_TOKEN: attesterToken } : {}),
      },
    });
  const failure = (...args: string[]) =>
    cli(...args).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );

  before(async () => {
    node = await startNode();
    dir = await mkdtemp(path.join(tmpdir(), "bascule-cli-blind-"));
    ({ factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] }));
    attester = await startAttester({ port: 0, dbPath: ":memory:", corsOrigins: [], token: "t" });
  });
  after(async () => {
    await attester.close();
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("deploys the verifier bound to the campaign, which names it as attester; its vouchers count there only", async () => {
    const key = await attester.service.createKey("Grève");
    const input = path.join(dir, "blind.json");
    await writeFile(input, JSON.stringify(file()));
    attesterToken = "t";
    const { stdout } = await cli("create", input, "--blind", attester.url, key.keyId);
    attesterToken = undefined;
    const out = JSON.parse(stdout) as { campaign: Address; verifier: Address; keyId: Hex; keyBoundAtAttester: boolean };
    expect(out.keyId).to.equal(key.keyId);
    // With the organiser token, the key signs for this campaign only at the attester too.
    expect(out.keyBoundAtAttester).to.equal(true);
    expect(attester.service.publicKey(key.keyId).campaign).to.deep.equal({
      chainId: 31337,
      address: out.campaign.toLowerCase(),
    });
    const client = createPublicClient({ transport: http(node.url) });
    const [params] = await client.readContract({ address: out.campaign, abi: campaignAbi, functionName: "parameters" });
    expect(params.attester).to.equal(out.verifier);
    expect(
      await client.readContract({ address: out.verifier, abi: rsaVoucherVerifierAbi, functionName: "campaign" }),
    ).to.equal(out.campaign);
    expect((await readVerifierKey(client, out.verifier))?.keyId).to.equal(key.keyId);
    const gate = await readGateFacts(client, { campaign: out.campaign, attester: out.verifier });
    expect(gate.kind).to.equal("verified");

    const digest = voucherDigest(out.campaign, 31337, "0x1111111111111111111111111111111111111111");
    const privateKey = (attester.service as unknown as { key(id: string): Parameters<typeof blindSign>[0] }).key(
      key.keyId,
    );
    const { blinded, inverse } = blind(privateKey, digest);
    const voucher = voucherBytes(unblind(privateKey, blindSign(privateKey, blinded), inverse));
    const ask = (account?: Address) =>
      client.readContract({
        address: out.verifier,
        abi: rsaVoucherVerifierAbi,
        functionName: "isValidSignature",
        args: [digest, voucher],
        account,
      });
    expect(await ask(out.campaign)).to.equal("0x1626ba7e");
    expect(await ask(privateKeyToAccount(TEST_KEYS[2]).address)).to.equal("0xffffffff");
  });

  it("refuses an unknown key id, or a file that names an attester, with a clear error and deploys nothing", async () => {
    const client = createPublicClient({ transport: http(node.url) });
    const organiser = privateKeyToAccount(TEST_KEYS[1]).address;
    const nonce = await client.getTransactionCount({ address: organiser });
    const input = path.join(dir, "unknown.json");
    await writeFile(input, JSON.stringify(file({ metadataURI: "ipfs://unknown" })));
    const unknown = await failure("create", input, "--blind", attester.url, `0x${"ab".repeat(32)}`);
    expect(unknown?.code).to.equal(1);
    expect(unknown?.stderr).to.match(/404/);
    const named = path.join(dir, "named.json");
    await writeFile(named, JSON.stringify(file({ attester: "0x000000000000000000000000000000000000a77e" })));
    const key = await attester.service.createKey("Grève 2");
    const both = await failure("create", named, "--blind", attester.url, key.keyId);
    expect(both?.code).to.equal(1);
    expect(both?.stderr)
      .to.match(/must not name one/)
      .and.to.match(/ne doit pas en nommer/);
    expect(await client.getTransactionCount({ address: organiser })).to.equal(nonce);
  });
});

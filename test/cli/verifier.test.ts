/**
 * `npm run campaign -- verifier <attester-url> <keyId>` against a real `hardhat node` and a running
 * attester service: deploys the verifier of the attester's key, which then accepts that key's vouchers.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect } from "chai";
import { type Address, type Hex, createPublicClient, http } from "viem";
import { type AttesterHandle, startAttester } from "../../scripts/attester/server.js";
import { blind, unblind, voucherBytes, voucherDigest } from "@bascule/core/blind-rsa";
import { blindSign } from "../../scripts/attester/rsa.js";
import { rsaVoucherVerifierAbi } from "@bascule/core/generated/abis";
import { readVerifierKey } from "@bascule/core/verifier";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

const run = promisify(execFile);

describe("organiser CLI: verifier", function () {
  this.timeout(120_000);
  let node: LocalNode;
  let attester: AttesterHandle;

  const cli = (...args: string[]) =>
    run(process.execPath, ["--import", "tsx", "scripts/cli/main.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, RPC_URL: node.url, ORGANISER_PRIVATE_KEY: TEST_KEYS[1] },
    });

  before(async () => {
    node = await startNode();
    attester = await startAttester({ port: 0, dbPath: ":memory:", corsOrigins: [], token: "t" });
  });
  after(async () => {
    await attester.close();
    await node.stop();
  });

  it("deploys the verifier of an attester's key, which accepts that key's vouchers only", async () => {
    const key = await attester.service.createKey("Grève");
    const { stdout } = await cli("verifier", attester.url, key.keyId);
    const out = JSON.parse(stdout) as { verifier: Address; keyId: Hex };
    expect(out.keyId).to.equal(key.keyId);
    const client = createPublicClient({ transport: http(node.url) });
    const onChain = await readVerifierKey(client, out.verifier);
    expect(onChain?.keyId).to.equal(key.keyId);
    expect(await readVerifierKey(client, "0x0000000000000000000000000000000000000001")).to.equal(null);

    const digest = voucherDigest(
      "0x00000000000000000000000000000000000ba5c0",
      31337,
      "0x1111111111111111111111111111111111111111",
    );
    const privateKey = (attester.service as unknown as { key(id: string): Parameters<typeof blindSign>[0] }).key(
      key.keyId,
    );
    const { blinded, inverse } = blind(privateKey, digest);
    const voucher = voucherBytes(unblind(privateKey, blindSign(privateKey, blinded), inverse));
    const answer = await client.readContract({
      address: out.verifier,
      abi: rsaVoucherVerifierAbi,
      functionName: "isValidSignature",
      args: [digest, voucher],
    });
    expect(answer).to.equal("0x1626ba7e");
  });

  it("refuses an unknown key id with a clear error and deploys nothing", async () => {
    const error = await cli("verifier", attester.url, `0x${"ab".repeat(32)}`).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(error?.code).to.equal(1);
    expect(error?.stderr).to.match(/404/);
  });
});

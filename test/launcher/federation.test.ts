/**
 * The launcher runs the federation service (issue 22): on the local chain, with a plain-http public
 * URL (allowed there only: federationUrlRefusal), beside the notifier it reads announcements from.
 * Its /health and /ready answer, WebFinger finds the campaign's actor under the configured host,
 * the dApp's config.json carries that host for the page's handle, and close() stops it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { pino } from "pino";
import { createPublicClient, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { checkLaunchConfig } from "../../scripts/launch/config.js";
import {
  type Launched,
  LaunchError,
  federationGuardRefusal,
  federationUrlRefusal,
  launch,
} from "../../scripts/launch/launcher.js";
import { campaignParams } from "../helpers/campaign.js";
import { type LocalNode, TEST_KEYS, startNode } from "../helpers/node.js";

describe("launcher: the federation service", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let launched: Launched | null = null;

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-launch-fed-"));
  });

  after(async function () {
    await launched?.close();
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a plain-http public URL outside the local chain, in English and French", function () {
    const refused = federationUrlRefusal("http://localhost:8791", 84532);
    expect(refused).to.be.instanceOf(LaunchError);
    expect(refused!.message).to.equal(
      "services.federation.publicUrl must be https outside the local chain (chain 84532) / services.federation.publicUrl doit être en https hors chaîne locale (chaîne 84532)",
    );
    expect(federationUrlRefusal("http://localhost:8791", 31337)).to.equal(null);
    expect(federationUrlRefusal("https://fed.example.org", 84532)).to.equal(null);
  });

  it("refuses to lift the private-address guard outside the local chain, in English and French", function () {
    const refused = federationGuardRefusal({ allowPrivateAddress: true }, 84532);
    expect(refused).to.be.instanceOf(LaunchError);
    expect(refused!.message).to.equal(
      "services.federation.allowPrivateAddress is for the local demo chain only (chain 84532): remove it / " +
        "services.federation.allowPrivateAddress est réservé à la chaîne locale de démonstration (chaîne 84532)\u202f: retirez-le",
    );
    expect(federationGuardRefusal({ allowPrivateAddress: true }, 1)).to.be.instanceOf(LaunchError);
    expect(federationGuardRefusal({ allowPrivateAddress: true }, 31337)).to.equal(null);
    expect(federationGuardRefusal({ allowPrivateAddress: false }, 84532)).to.equal(null);
    expect(federationGuardRefusal({}, 84532)).to.equal(null);
  });

  it("does not launch with allowPrivateAddress on another chain, even with an https public URL", async function () {
    const other = await startNode({ chainId: 84532 });
    try {
      // Some code at the factory's address is all the launcher checks before the federation's refusal.
      const factory = "0x" + "fa".repeat(20);
      await other.rpc("hardhat_setCode", [factory, "0x60006000fd"]);
      const config = checkLaunchConfig(
        {
          chain: { rpcUrl: other.url, factory, fromBlock: "0" },
          publicUrl: "https://greve.example.org/",
          dataDir: path.join(dir, "other"),
          metrics: { port: 0 },
          services: { federation: { port: 0, publicUrl: "https://fed.greve.example.org", allowPrivateAddress: true } },
        },
        { env: {} },
      );
      const logger = pino({ level: "silent" });
      let error: unknown = null;
      try {
        const started = await launch(config, { env: {}, logger });
        await started.close();
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(LaunchError);
      expect((error as Error).message).to.contain("allowPrivateAddress is for the local demo chain only (chain 84532)");
      // Without the flag the same file launches (the guards stay on).
      delete (config.services.federation as { allowPrivateAddress?: boolean }).allowPrivateAddress;
      const started = await launch(config, { env: {}, logger });
      expect(started.federation?.service.allowsPrivateAddress).to.equal(false);
      await started.close();
    } finally {
      await other.stop();
    }
  });

  it("starts it beside the notifier with /health and /ready, WebFinger under its host, the host in the dApp's config", async function () {
    const client = createPublicClient({ transport: http(node.url) });
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    const now = (await client.getBlock()).timestamp;
    const { campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 86_400n * 10n,
        actionDate: now + 86_400n * 11n,
        oracleWindow: 86_400n,
        claimWindow: 86_400n,
        supportCap: 1000n,
        oracle: privateKeyToAccount(TEST_KEYS[3]).address,
        metadataHash: keccak256(toHex("federation")),
        ladder: [5, 50],
      }),
      metadataURI: "ipfs://federation",
      salt: keccak256(toHex("federation")),
    });
    const dist = path.join(dir, "dist");
    mkdirSync(dist);
    writeFileSync(path.join(dist, "index.html"), '<!doctype html><meta charset="UTF-8" /><title>Bascule</title>');
    const config = checkLaunchConfig(
      {
        chain: { rpcUrl: node.url, chainName: "Test chain", factory },
        publicUrl: "http://localhost:5173/",
        dataDir: path.join(dir, "data"),
        metrics: { port: 0 },
        services: {
          notifier: { port: 0, pollMs: 200 },
          federation: { port: 0, publicUrl: "http://localhost:8791", pollMs: 200 },
          dapp: { port: 0, dist },
        },
      },
      { env: {} },
    );
    const lines: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    launched = await launch(config, { env: {}, logger });
    const fed = launched.urls.federation!;
    expect(fed).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${fed}/health`)).status).to.equal(200);

    // Ready once its watch loop has read the chain (the campaign is then an actor).
    let ready: Response | null = null;
    for (let i = 0; i < 100; i++) {
      ready = await fetch(`${fed}/ready`);
      if (ready.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready!.status).to.equal(200);
    const id = `campaign-${campaign.toLowerCase()}`;
    let finger: Response | null = null;
    for (let i = 0; i < 50; i++) {
      finger = await fetch(`${fed}/.well-known/webfinger?resource=acct:${id}@localhost:8791`);
      if (finger.status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(finger!.status).to.equal(200);
    const jrd = (await finger!.json()) as { subject: string; links: { rel: string; href: string }[] };
    expect(jrd.subject).to.equal(`acct:${id}@localhost:8791`);
    expect(jrd.links.find((l) => l.rel === "self")?.href).to.equal(`http://localhost:8791/users/${id}`);
    // Another host is not this service's.
    const other = await fetch(`${fed}/.well-known/webfinger?resource=acct:${id}@elsewhere.example`);
    expect(other.status).to.not.equal(200);

    // The whole launch's /ready counts it.
    const all = (await (await fetch(`${launched.urls.metrics}/ready`)).json()) as { services: Record<string, unknown> };
    expect(all.services).to.have.property("federation");

    // The dApp's config names the host the page builds the handle with.
    const dappConfig = (await (await fetch(`${launched.urls.dapp}/config.json`)).json()) as Record<string, unknown>;
    expect(dappConfig.federationHost).to.equal("localhost:8791");
    // Its announcements come from the notifier this launch started.
    expect(lines.join("")).not.to.include("no notifier in this launch");

    await launched.close();
    launched = null;
    await fetch(`${fed}/health`).then(
      () => expect.fail("still listening after close()"),
      () => {},
    );
  });
});

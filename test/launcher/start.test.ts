/**
 * `npm start` as a newcomer sees it (scripts/start.ts, issue 19): the terminal shows the dApp, the
 * check-in, the payout desk and the invite codes' addresses, the command that follows the open demo
 * campaign from a second local instance (the federation, issue 22), and one "ready" line with the elapsed
 * time, and nothing else (no solc warning, no Vite notice, no Node ExperimentalWarning, no internal
 * line: those are in .bascule/); and the dApp's build is reused when it is current.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signPledge } from "@bascule/core/signing";
import { addressOf, signPledgeFast } from "../../scripts/demo/fast-sign.js";
import { dappIsCurrent } from "../../scripts/demo/stack.js";
import { ROOT } from "../helpers/node.js";

describe("npm start", function () {
  this.timeout(600_000);

  it("reuses frontend/dist only while it is newer than every source of the dApp", function () {
    const root = mkdtempSync(path.join(tmpdir(), "bascule-dapp-current-"));
    try {
      const file = (relative: string, at: number) => {
        const full = path.join(root, relative);
        mkdirSync(path.dirname(full), { recursive: true });
        writeFileSync(full, "x");
        utimesSync(full, at, at);
        utimesSync(path.dirname(full), at, at);
      };
      const t = Date.now() / 1000 - 1000;
      file("frontend/src/App.tsx", t);
      file("packages/core/src/model.ts", t);
      expect(dappIsCurrent(root), "never built").to.equal(false);
      file("frontend/dist/index.html", t + 10);
      expect(dappIsCurrent(root), "built after its sources").to.equal(true);
      file("packages/core/src/model.ts", t + 20);
      expect(dappIsCurrent(root), "the core changed since").to.equal(false);
      file("frontend/dist/index.html", t + 30);
      file("frontend/src/pages/deep/Page.tsx", t + 40);
      expect(dappIsCurrent(root), "a file deep in src changed since").to.equal(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("signs the demo's pledges with libsecp256k1 exactly as viem does (same key, same r and vs)", async function () {
    const campaign = "0x720Ea2ee046A02E5326c75AfeAB00950CbeA4C20";
    for (let i = 0; i < 40; i++) {
      const key = generatePrivateKey();
      const account = privateKeyToAccount(key);
      expect(addressOf(key)).to.equal(account.address);
      const message = { level: 1 + (i % 3), support: BigInt(i * 1000), condition: i % 2, nonce: i };
      expect(signPledgeFast(key, campaign, 31337, message)).to.deep.equal(
        await signPledge(account, campaign, 31337, message),
      );
    }
  });

  it("prints only the addresses a newcomer needs and one ready line, and stops on SIGINT", async function () {
    const child = spawn(
      process.execPath,
      ["--disable-warning=ExperimentalWarning", "--import", "tsx", "scripts/start.ts"],
      // PORT=0 and CHAIN_PORT=0: free ports, on a machine other checkouts share.
      {
        cwd: ROOT,
        env: { ...process.env, PORT: "0", CHAIN_PORT: "0", FEDERATION_PORT: "0", NO_INDEXER: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      const deadline = Date.now() + 540_000;
      while (!out.includes("Ctrl-C to stop")) {
        if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`npm start was not ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      child.kill("SIGINT");
    }
    expect(await exited).to.equal(0);
    const lines = out.split("\n").filter((l) => l.trim() !== "");
    const expected = [
      /^Starting Bascule… \/ Démarrage de Bascule…$/,
      /^ {2}building the dApp \(first start, or its sources changed\) \/ construction de l’application…$/,
      /^Bascule is ready in \d+\.\d s \/ Bascule est prêt en \d+,\d s$/,
      /^ {2}dApp \/ application: +http:\/\/127\.0\.0\.1:\d+\/$/,
      /^ {2}check-in \/ pointage : +http:\/\/127\.0\.0\.1:\d+\/#\/checkin\/0x[0-9a-fA-F]{40}$/,
      /^ {2}payout desk \/ guichet : +http:\/\/127\.0\.0\.1:\d+\/#\/desk\/0x[0-9a-fA-F]{40}\/0x[0-9a-fA-F]{40}$/,
      /^ {2}invite codes \/ codes d’invitation : http:\/\/127\.0\.0\.1:\d+\/#\/union\/0x[0-9a-fA-F]{40}$/,
      /^ {4}organiser token \/ jeton d’organisation : +\S+$/,
      /^ {4}desk clerks’ token \/ jeton des guichets : \S+$/,
      /^ {2}follow \/ suivre \(2nd\/2e terminal\) : npm run follow -- @campaign-0x[0-9a-f]{40}@localhost:\d+$/,
      /^Ctrl-C to stop \/ pour arrêter\. Logs: \.bascule\/$/,
      /^stopping… \/ arrêt…$/,
    ];
    for (const line of lines)
      expect(
        expected.some((re) => re.test(line)),
        `unexpected line: ${line}`,
      ).to.equal(true);
    for (const re of expected.filter((_, i) => i !== 1))
      expect(
        lines.some((l) => re.test(l)),
        `missing: ${re}`,
      ).to.equal(true);
    expect(out).not.to.match(/Warning|worker_threads|provisional level/);
  });
});

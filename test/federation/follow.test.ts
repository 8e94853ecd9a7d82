/**
 * `npm run follow` (scripts/federation/follow.ts), the newcomer's second local instance, as a
 * process of its own against the federation service on https://localhost with the demo's TLS
 * (scripts/demo/tls.ts, in a TLS_DIR as `npm start` keeps it in .bascule/tls/): it follows the
 * campaign by its handle, prints in plain words the Accept, the action day's Event and an
 * organiser's announcement its Fedify verified, and unfollows on Ctrl-C. A bad handle and a missing
 * certificate are refused with a usage line. And describeActivity's words for each kind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type Address, createPublicClient, http, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createCampaign } from "../../scripts/cli/campaign.js";
import { demoTls, trustCa } from "../../scripts/demo/tls.js";
import { acctOf, describeActivity, plainText } from "../../scripts/federation/follower.js";
import { type RunningFederation, startFederation } from "../../scripts/federation/service.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { campaignParams, inlineMetadata } from "../helpers/campaign.js";
import { type NotifierStandIn, startNotifierStandIn } from "../helpers/federation.js";
import { type LocalNode, ROOT, TEST_KEYS, freePort, startNode } from "../helpers/node.js";

const DAY = 86_400n;
const NNBSP = "\u202f";

function run(args: string[], env: Record<string, string>): { child: ChildProcess; out: () => string } {
  const child = spawn(
    process.execPath,
    ["--disable-warning=ExperimentalWarning", "--import", "tsx", "scripts/federation/follow.ts", ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  return { child, out: () => out };
}

async function until(what: string, probe: () => boolean, ms = 60_000, output?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${output ? `:\n${output()}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );

describe("npm run follow: the second local instance", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let untrust: () => void;
  let notifier: NotifierStandIn;
  let fed: RunningFederation;
  let campaign: Address;
  let chainId: number;
  let actionDate: bigint;
  let handle: string;

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-follow-"));
    const { tls } = await demoTls(path.join(dir, "tls"));
    untrust = trustCa(tls.ca);
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    const client = createPublicClient({ transport: http(node.url) });
    chainId = await client.getChainId();
    const now = (await client.getBlock()).timestamp;
    actionDate = now + 5n * DAY;
    const metadata = inlineMetadata({ title: "Grève des cantines", place: "Lille", actionDate, languages: ["fr"] });
    ({ campaign } = await createCampaign({
      rpcUrl: node.url,
      privateKey: TEST_KEYS[1],
      factory,
      params: campaignParams(now, {
        pledgeDeadline: now + 2n * DAY,
        actionDate,
        metadataHash: metadata.metadataHash,
        ladder: [2, 4],
      }),
      metadataURI: metadata.metadataURI,
      salt: keccak256(toHex("follow-1")),
    }));
    notifier = await startNotifierStandIn();
    const port = await freePort();
    fed = await startFederation({
      rpcUrl: node.url,
      factory,
      dbPath: path.join(dir, "federation.db"),
      publicUrl: `https://localhost:${port}/`,
      appUrl: "http://127.0.0.1:5173/",
      notifierUrl: notifier.url,
      pollMs: 300,
      timeZone: "UTC",
      allowPrivateAddress: true,
      ca: [tls.ca],
      tls: { key: tls.key, cert: tls.cert },
      port,
      host: "127.0.0.1",
      log: () => {},
    });
    handle = `@campaign-${campaign.toLowerCase()}@localhost:${port}`;
  });

  after(async function () {
    await fed?.close();
    await notifier?.close();
    untrust?.();
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("follows the campaign by its handle, prints what arrives in plain words, and unfollows on Ctrl-C", async function () {
    // The service has read the chain: the campaign is an actor.
    await until("the campaign's actor", () => fed.service.store.getCampaign(campaign) != null);
    const follow = run([handle], { TLS_DIR: path.join(dir, "tls") });
    try {
      await until("the Accept", () => follow.out().includes("Follow accepted"), 60_000, follow.out);
      expect(follow.out()).to.contain(`second instance / deuxième instance${NNBSP}: https://localhost:`);
      expect(follow.out()).to.contain(
        `Follow accepted / Abonnement accepté${NNBSP}: ${fed.url.replace("127.0.0.1", "localhost")}`,
      );
      const day = new Date(Number(actionDate) * 1000).toISOString().slice(0, 10);
      await until("the Event", () => follow.out().includes("Grève des cantines ("), 30_000, follow.out);
      expect(follow.out()).to.contain(`Event / Événement${NNBSP}: Grève des cantines (${day}, Lille)`);
      expect(fed.service.store.followerCount(campaign)).to.equal(1);

      notifier.announcements.set(campaign, [
        {
          id: "0x" + "5a".repeat(32),
          campaign,
          chainId,
          lang: "fr",
          title: "Rendez-vous devant la mairie",
          text: "Apportez vos pancartes & vos voisins.",
          place: "Place de la mairie",
          startTime: null,
          successor: null,
          signer: privateKeyToAccount(TEST_KEYS[1]).address,
          signature: "0x" + "22".repeat(65),
          publishedAt: Math.floor(Date.now() / 1000),
        },
      ]);
      await until("the announcement", () => follow.out().includes(": Rendez-vous"), 30_000, follow.out);
      expect(follow.out()).to.contain(
        `Note / Note${NNBSP}: Rendez-vous devant la mairie\n  Apportez vos pancartes & vos voisins.\n  Lieu${NNBSP}: Place de la mairie`,
      );
    } finally {
      follow.child.kill("SIGINT");
    }
    expect(await exitOf(follow.child)).to.equal(0);
    expect(follow.out()).to.contain("unfollowed / désabonné");
    expect(fed.service.store.followerCount(campaign)).to.equal(0);
  });

  it("refuses a handle that is none, and says to start the demo when there is no certificate", async function () {
    const bad = run(["not-a-handle"], { TLS_DIR: path.join(dir, "tls") });
    expect(await exitOf(bad.child)).to.equal(2);
    expect(bad.out()).to.contain("usage: npm run follow -- @campaign-0x…@localhost:8791");
    expect(bad.out()).to.contain(`utilisation${NNBSP}: npm run follow`);
    const none = run([handle], { TLS_DIR: path.join(dir, "nothing-here") });
    expect(await exitOf(none.child)).to.equal(1);
    expect(none.out()).to.contain("start the demo first (npm start)");
    expect(none.out()).to.contain(`lancez d’abord la démo (npm start)`);
  });

  it("reads a handle with or without @ or acct:, and nothing else", function () {
    const acct = "acct:campaign-0xab@localhost:8791";
    expect(acctOf("@campaign-0xab@localhost:8791")).to.equal(acct);
    expect(acctOf("campaign-0xab@localhost:8791")).to.equal(acct);
    expect(acctOf(acct)).to.equal(acct);
    expect(acctOf("https://localhost:8791/users/campaign-0xab")).to.equal(null);
    expect(acctOf("@a@b@c")).to.equal(null);
    expect(acctOf("")).to.equal(null);
  });

  it("says each kind of activity in plain words", function () {
    const actor = "https://localhost:8791/users/campaign-0xab";
    expect(describeActivity({ type: "Accept", json: { actor } })).to.equal(
      `Follow accepted / Abonnement accepté${NNBSP}: ${actor}`,
    );
    const event = {
      type: "Event",
      name: "Grève",
      startTime: "2027-06-12T00:00:00Z",
      location: { type: "Place", name: "Lille" },
      url: "http://127.0.0.1:5173/#/c/0xAB",
      content: "<p>Campagne réussie&nbsp;: 2 personnes.</p><p>Second</p>",
    };
    expect(describeActivity({ type: "Create", json: { actor, object: event } })).to.equal(
      `Event / Événement${NNBSP}: Grève (2027-06-12, Lille)\n  http://127.0.0.1:5173/#/c/0xAB`,
    );
    expect(describeActivity({ type: "Update", json: { actor, object: event } })).to.equal(
      `Event updated / Événement mis à jour${NNBSP}: Grève (2027-06-12, Lille)\n  Campagne réussie\u00a0: 2 personnes.\n  http://127.0.0.1:5173/#/c/0xAB`,
    );
    const note = {
      type: "Note",
      content: "<p>FR</p>",
      contentMap: { fr: "<p>Seuil 1 sur 2</p>", en: "<p>Threshold 1 of 2<br>reached</p>" },
    };
    expect(describeActivity({ type: "Create", json: { actor, object: note } })).to.equal(`Note / Note${NNBSP}: FR`);
    expect(describeActivity({ type: "Create", json: { actor, object: note } }, "en")).to.equal(
      `Note / Note${NNBSP}: Threshold 1 of 2\n  reached`,
    );
    expect(describeActivity({ type: "Create", json: { actor, object: { type: "Question", id: "x" } } })).to.equal(
      "Create: Question x",
    );
    expect(plainText("<p>a &lt;b&gt; &amp; &#8217;c</p>\n<script>x</script>")).to.equal("a <b> & ’c\n\nx");
  });
});

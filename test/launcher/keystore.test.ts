/**
 * `npm run serve -- --config F --keystore`: a secret the environment does not set is read from
 * Hardhat's keystore, through Hardhat's own keystore plugin. The test stores the relayer's key in a
 * development keystore (`hardhat keystore set --dev`, which asks no password) kept in a folder of
 * its own (XDG_CONFIG_HOME), starts the relayer from a config file without the key in the
 * environment, and finds the keystore's key on /status (on the local chain the launcher would
 * otherwise take test account 9). The environment wins over the keystore, and without
 * `--keystore` the keystore is never opened.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { privateKeyToAccount } from "viem/accounts";
import { spawnNode } from "../../scripts/lib/children.js";
import { deployBascule } from "../../scripts/lib/deployment.js";
import { type LocalNode, ROOT, TEST_KEYS, startNode } from "../helpers/node.js";

describe("launcher: secrets from Hardhat's keystore (--keystore)", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let dir: string;
  let configFile: string;
  /** The launcher's environment: the keystore's folder, no CI flag (Hardhat skips keystores in CI). */
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  function run(args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawnNode(args, { cwd: ROOT, env: { ...env, ...extra }, stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
    return child;
  }

  /** The relayer's gas account, once the launcher has started it. */
  async function relayerAccount(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<string> {
    const child = run(
      ["--disable-warning=ExperimentalWarning", "--import", "tsx", "scripts/launch/main.ts", ...args],
      undefined,
      extra,
    );
    let output = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the launcher did not start:\n${output}`)), 90_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /"relayer":"(http:[^"]+)"/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the launcher exited with ${code}:\n${output}`));
      });
    });
    const status = (await (await fetch(`${url}/status`)).json()) as { relayer: string };
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    expect(output, "no key in the logs").not.to.include(TEST_KEYS[2].slice(2));
    return status.relayer;
  }

  before(async function () {
    node = await startNode();
    dir = mkdtempSync(path.join(tmpdir(), "bascule-keystore-"));
    env = { ...process.env, XDG_CONFIG_HOME: path.join(dir, "config") };
    delete env.CI;
    delete env.RELAYER_PRIVATE_KEY;
    const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
    configFile = path.join(dir, "bascule.config.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        chain: { rpcUrl: node.url, chainName: "Test chain", factory },
        publicUrl: "https://greve.example.org/",
        dataDir: path.join(dir, "data"),
        metrics: { port: 0 },
        services: { relayer: { port: 0, powBits: 0 } },
      }),
    );
    // What an operator types: the key on the prompt (here on stdin).
    const set = run(
      [path.join(ROOT, "node_modules/hardhat/dist/src/cli.js"), "keystore", "set", "--dev", "RELAYER_PRIVATE_KEY"],
      `${TEST_KEYS[2]}\n`,
    );
    let said = "";
    set.stdout!.on("data", (chunk: Buffer) => (said += chunk.toString()));
    set.stderr!.on("data", (chunk: Buffer) => (said += chunk.toString()));
    const code = await new Promise((resolve) => set.once("exit", resolve));
    expect(code, said).to.equal(0);
  });

  after(async function () {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("takes the relayer's key from the keystore with --keystore, and the environment's over it", async function () {
    const fromKeystore = privateKeyToAccount(TEST_KEYS[2]).address;
    expect(await relayerAccount(["--config", configFile, "--keystore"])).to.equal(fromKeystore);
    // The environment wins, as in Hardhat.
    expect(
      await relayerAccount(["--config", configFile, "--keystore"], { RELAYER_PRIVATE_KEY: TEST_KEYS[4] }),
    ).to.equal(privateKeyToAccount(TEST_KEYS[4]).address);
    // Without --keystore the keystore is not read: the local chain's test account 9 instead.
    expect(await relayerAccount(["--config", configFile])).not.to.equal(fromKeystore);
  });
});

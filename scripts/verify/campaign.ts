/**
 * `npm run verify:campaign-code -- <campaign> [--rpc URL] [--factory 0x…]`: the three facts a
 * sceptic checks about one campaign (docs/verify.md), read from any RPC:
 *
 *   1. the implementation: the factory's Campaign implementation is, byte for byte (metadata hash
 *      included), what the published sources compile to (as `npm run verify:bytecode`);
 *   2. the proxy: the campaign's first 45 bytes are the standard ERC-1167 proxy to that
 *      implementation, and the factory lists the campaign (`isCampaign`): not a look-alike;
 *   3. the parameters: the bytes after the proxy, decoded, are what `parameters()` returns.
 *
 * Exits 0 when all three hold, 1 otherwise.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createPublicClient, getAddress, http, isAddress, zeroAddress } from "viem";
import { type CampaignArgs, type CloneProblem, ERC1167_SIZE } from "@bascule/core/clone";
import { readCodeFacts } from "@bascule/core/code-facts";
import { defaultFactory } from "@bascule/core/deployments";
import { type BytecodeCheck, checkBytecode } from "./bytecode.js";

export interface CampaignCodeCheck {
  campaign: Address;
  factory: Address;
  /** Fact 1: the implementation matches the build. */
  implementation: BytecodeCheck;
  /** Fact 2: the 45-byte proxy to that implementation (problem when not), and the factory's own record. */
  proxy: { ok: boolean; problem?: CloneProblem; delegatesTo?: Address; codeSize: number; listedByFactory: boolean };
  /** Fact 3: the appended parameters, decoded, and where they differ from `parameters()`. */
  parameters: { decoded: CampaignArgs | null; differing: string[] };
  ok: boolean;
}

/** Reads and checks the three facts about `campaign`: facts 2 and 3 as the dApp reads them, fact 1 against the build. */
export async function checkCampaignCode(options: {
  rpcUrl: string;
  campaign: Address;
  factory?: Address;
}): Promise<CampaignCodeCheck> {
  const client = createPublicClient({ transport: http(options.rpcUrl) });
  const factory = options.factory ?? defaultFactory(await client.getChainId());
  const checks = await checkBytecode({ rpcUrl: options.rpcUrl, factory });
  const implementation = checks.find((c) => c.contract === "Campaign")!;
  const known = implementation.address === zeroAddress ? null : implementation.address;
  const facts = await readCodeFacts(client, { factory, campaign: options.campaign, implementation: known });
  const proxy = {
    ok: facts.code.ok,
    ...(facts.code.ok ? {} : { problem: facts.code.problem }),
    ...(facts.code.implementation ? { delegatesTo: facts.code.implementation } : {}),
    codeSize: facts.codeSize,
    listedByFactory: facts.listedByFactory,
  };
  return {
    campaign: getAddress(options.campaign),
    factory,
    implementation,
    proxy,
    parameters: { decoded: facts.code.ok ? facts.code.parameters : null, differing: facts.differing },
    ok: implementation.match && facts.code.ok && facts.listedByFactory && facts.differing.length === 0,
  };
}

const PROBLEMS: Record<CloneProblem, string> = {
  "no-code": "no code at this address / aucun code à cette adresse",
  "not-erc1167":
    "the code does not start with the 45-byte ERC-1167 proxy / le code ne commence pas par le proxy ERC-1167 de 45 octets",
  "other-implementation":
    "a proxy to another contract than the factory's implementation / un proxy vers un autre contrat que l'implémentation de la fabrique",
  "bad-arguments": "the appended parameters are malformed / les paramètres ajoutés sont mal formés",
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const campaign = process.argv.slice(2).find((a, i, all) => isAddress(a) && all[i - 1] !== "--factory");
  if (!campaign) {
    console.error(
      "Usage: npm run verify:campaign-code -- <campaign address> [--rpc URL] [--factory 0x…]\n" +
        "Usage : npm run verify:campaign-code -- <adresse de la campagne> [--rpc URL] [--factory 0x…]",
    );
    process.exit(2);
  }
  const rpcUrl = arg("--rpc") ?? process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const r = await checkCampaignCode({
    rpcUrl,
    campaign: campaign as Address,
    factory: arg("--factory") as Address | undefined,
  });
  const mark = (ok: boolean) => (ok ? "ok      " : "FAILED  ");
  console.log(`campaign ${r.campaign}, factory ${r.factory}\n`);
  console.log(
    `${mark(r.implementation.match)}1. implementation ${r.implementation.address} matches the build${r.implementation.reason ? ` (${r.implementation.reason})` : ""}`,
  );
  console.log(`          metadata ${r.implementation.deployedMetadata ?? "-"}`);
  console.log(
    `${mark(r.proxy.ok)}2. code = ${ERC1167_SIZE}-byte ERC-1167 proxy to ${r.proxy.delegatesTo ?? "-"} + ${Math.max(0, r.proxy.codeSize - ERC1167_SIZE)} bytes of parameters (${r.proxy.codeSize} bytes)` +
      (r.proxy.problem ? `: ${PROBLEMS[r.proxy.problem]}` : ""),
  );
  console.log(
    `${mark(r.proxy.listedByFactory)}   listed by the factory (isCampaign)${r.proxy.listedByFactory ? "" : ": a look-alike, not created by this factory / une imitation, pas créée par cette fabrique"}`,
  );
  console.log(
    `${mark(r.parameters.decoded !== null && r.parameters.differing.length === 0)}3. parameters decoded from the code${r.parameters.differing.length ? `, differ from parameters(): ${r.parameters.differing.join(", ")}` : " = parameters()"}`,
  );
  if (r.parameters.decoded) {
    for (const [name, value] of Object.entries(r.parameters.decoded)) {
      console.log(`          ${name.padEnd(15)} ${Array.isArray(value) ? value.join(", ") : String(value)}`);
    }
  }
  process.exit(r.ok ? 0 : 1);
}

/**
 * `npm run deploy -- [--tags a,b]`: runs the numbered scripts of deploy/ in order and records the
 * addresses in deployments/<chainId>.json. RPC_URL (default http://127.0.0.1:8545) and
 * DEPLOYER_PRIVATE_KEY (default on a local chain only: Hardhat's test account #0). No key is ever
 * stored in the repository.
 *
 * (A small runner of our own: hardhat-deploy 2.0.0-next.66 + rocketh 0.17 are installed, but
 * wiring their plugin into hardhat.config.ts changes every contract's compiler metadata settings;
 * see docs/operator-guide.md.)
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Address, type Hex, createPublicClient, http } from "viem";

export interface DeployContext {
  rpcUrl: string;
  privateKey: Hex;
  chainId: number;
  log: (line: string) => void;
}

export interface DeployStep {
  tags: string[];
  run(context: DeployContext): Promise<Record<string, Address>>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80" as Hex;

/** Runs the deploy scripts (those carrying one of `tags`, or all), returns every address. */
export async function runDeploy(options: { rpcUrl: string; privateKey: Hex; tags?: string[]; outDir?: string; log?: (l: string) => void }) {
  const log = options.log ?? console.log;
  const chainId = await createPublicClient({ transport: http(options.rpcUrl) }).getChainId();
  const files = (await readdir(here)).filter((f) => /^\d{3}_.*\.ts$/.test(f)).sort();
  const addresses: Record<string, Address> = {};
  for (const file of files) {
    const step = (await import(pathToFileURL(path.join(here, file)).href)).default as DeployStep;
    if (options.tags && options.tags.length > 0 && !step.tags.some((t) => options.tags!.includes(t))) continue;
    log(`${file} [${step.tags.join(", ")}]`);
    Object.assign(addresses, await step.run({ rpcUrl: options.rpcUrl, privateKey: options.privateKey, chainId, log }));
  }
  const outDir = options.outDir ?? path.join(here, "..", "deployments");
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, `${chainId}.json`);
  let previous: Record<string, Address> = {};
  try {
    previous = JSON.parse(await readFile(file, "utf8")) as Record<string, Address>;
  } catch {
    // first deployment on this chain
  }
  await writeFile(file, JSON.stringify({ ...previous, ...addresses }, null, 2) + "\n");
  return { chainId, addresses };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const rpcUrl = process.env.RPC_URL ?? "http://127.0.0.1:8545";
  const tagsIndex = process.argv.indexOf("--tags");
  const tags = tagsIndex > 0 ? process.argv[tagsIndex + 1].split(",") : undefined;
  const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
  const privateKey = (process.env.DEPLOYER_PRIVATE_KEY as Hex | undefined) ?? (chainId === 31337 ? HARDHAT_KEY_0 : undefined);
  if (!privateKey) {
    console.error("DEPLOYER_PRIVATE_KEY is required outside a local chain / DEPLOYER_PRIVATE_KEY est requis hors chaîne locale");
    process.exit(1);
  }
  const { addresses } = await runDeploy({ rpcUrl, privateKey, tags });
  console.log(JSON.stringify({ chainId, ...addresses }, null, 2));
}

/**
 * Builds the dApp as a static release for any web server, static host or IPFS gateway:
 *
 *   npm run build:static -- --config deploy/dapp.config.example.json --out release
 *
 * Checks the config.json (every problem named, in English and French), builds frontend/ with a
 * Content-Security-Policy whose connect-src names the endpoints' origins, writes config.json beside
 * index.html, and prints the release's CIDv1 (the same for every build of one commit and config).
 * Everything in the release is relative, so it works at a domain's root, under a sub-path and under
 * a gateway's /ipfs/<cid>/.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { checkReleaseConfig, directoryCid, ReleaseConfigError } from "../kit/release.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Builds the release of `configFile` into `out` and returns its CID.
 * @example const { cid } = await buildStatic({ configFile: "deploy/dapp.config.example.json", out: "/tmp/release" });
 */
export async function buildStatic(options: {
  configFile: string;
  out: string;
}): Promise<{ cid: string; connectSrc: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(options.configFile, "utf8"));
  } catch (error) {
    throw new ReleaseConfigError([
      {
        field: options.configFile,
        en: `cannot be read as JSON (${(error as Error).message})`,
        fr: `ne peut pas être lu comme du JSON (${(error as Error).message})`,
      },
    ]);
  }
  const { config, connectSrc } = checkReleaseConfig(raw);
  const out = path.resolve(options.out);
  // The build empties `out`: never a directory that holds anything but an earlier release.
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length > 0 && !(entries.includes("index.html") && entries.includes("config.json")))
      throw new Error(
        `${out} is not empty and is not an earlier release: choose an empty directory / ${out} n’est pas vide et n’est pas une version précédente : choisissez un dossier vide`,
      );
  }
  const { build } = await import("vite");
  const previous = process.env.BASCULE_CONNECT_SRC;
  process.env.BASCULE_CONNECT_SRC = connectSrc.join(" ");
  try {
    await build({
      configFile: path.join(ROOT, "frontend/vite.config.ts"),
      logLevel: "warn",
      build: { outDir: out, emptyOutDir: true },
    });
  } finally {
    if (previous === undefined) delete process.env.BASCULE_CONNECT_SRC;
    else process.env.BASCULE_CONNECT_SRC = previous;
  }
  writeFileSync(path.join(out, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return { cid: await directoryCid(out), connectSrc };
}

async function main() {
  const { values } = parseArgs({ options: { config: { type: "string" }, out: { type: "string" } } });
  if (!values.config || !values.out) {
    console.error(
      "usage: npm run build:static -- --config <config.json> --out <directory>\n" +
        "utilisation : npm run build:static -- --config <config.json> --out <dossier>",
    );
    process.exit(2);
  }
  try {
    const { cid, connectSrc } = await buildStatic({ configFile: values.config, out: values.out });
    console.log(`release: ${path.resolve(values.out)}`);
    console.log(`connect-src: ${connectSrc.join(" ")}`);
    console.log(`CID: ${cid}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) await main();

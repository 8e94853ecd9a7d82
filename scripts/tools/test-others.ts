/**
 * `npm run test:others`: every test file `hardhat test` would run except those `npm run coverage`
 * runs (the Solidity tests and CONTRACT_SUITES, scripts/tools/coverage.ts), without coverage.
 * `npm test` runs this, then the coverage run: together they run every test file once, and the
 * contract suites only under coverage (where they pass as they do uninstrumented: none of them
 * asserts gas or code size). `npm run test:contracts` still runs everything, uninstrumented.
 *
 * Usage: npm run test:others [-- --list]   (--list prints the files and runs nothing)
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { allTestFiles, contractTestFiles } from "./coverage.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** The test files the coverage run leaves out, in `hardhat test`'s order. */
export function otherTestFiles(root = ROOT): string[] {
  const covered = new Set(contractTestFiles(root));
  return allTestFiles(root).filter((f) => !covered.has(f));
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) {
  const files = otherTestFiles();
  if (process.argv.includes("--list")) {
    console.log(files.join("\n"));
  } else {
    const bin = path.join(ROOT, "node_modules", ".bin");
    const env = { ...process.env, PATH: [path.dirname(process.execPath), bin, process.env.PATH].join(path.delimiter) };
    const run = spawnSync(process.execPath, [path.join(bin, "hardhat"), "test", ...files], {
      cwd: ROOT,
      env,
      stdio: "inherit",
    });
    if (run.error) throw run.error;
    process.exitCode = run.status ?? 1;
  }
}

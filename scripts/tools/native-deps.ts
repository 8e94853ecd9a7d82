/**
 * Runs after `npm install` / `npm ci` (the `postinstall` script), under the project's Node 22.
 *
 * npm leaves out an optional dependency whose `engines` the Node running npm does not meet, and npm
 * may run on an older system Node (20 on these machines). Hardhat's native EDR build for this
 * platform is such an optional dependency (`@nomicfoundation/edr-<platform>`, engines node >= 22),
 * so it would be missing and Hardhat could not start. When it is, this runs npm's install once
 * more under the project's Node, which installs the build for whatever platform this is; it
 * changes neither package.json nor the lockfile.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function edrLoads(): boolean {
  try {
    require("@nomicfoundation/edr");
    return true;
  } catch {
    return false;
  }
}

const npmCli = process.env.npm_execpath;
if (!edrLoads() && npmCli && process.env.BASCULE_NATIVE_DEPS !== "1") {
  console.log(
    `Hardhat's native build for ${process.platform}-${process.arch} was left out by npm under an older Node: installing it under Node ${process.versions.node}.`,
  );
  const run = spawnSync(
    process.execPath,
    [npmCli, "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"],
    {
      stdio: "inherit",
      env: { ...process.env, BASCULE_NATIVE_DEPS: "1" },
    },
  );
  if (run.status !== 0 || !edrLoads()) {
    console.error("Hardhat's native build could not be installed: run `npm install` with Node 22 or later.");
    process.exit(1);
  }
}

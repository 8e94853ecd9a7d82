/**
 * Line coverage of the core contracts: runs the Solidity tests and the contracts' mocha suites with
 * `hardhat test --coverage` (see CONTRACT_SUITES), then reads `coverage/lcov.info` and prints the line coverage of each
 * file under contracts/ (contracts/test/ excluded: those only serve the tests) and the total.
 * Exits non-zero if a test fails or if any line of contracts/ is left uncovered.
 *
 * Usage:
 *   npm run coverage                  run the contract suites with coverage, then report
 *   npm run coverage -- --all         run every test file with coverage (see CONTRACT_SUITES)
 *   npm run coverage -- --report-only report on an existing coverage/lcov.info
 *   npm run coverage -- test/contracts/Campaign/claim.test.ts   restrict the run to some test files
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Line hits of one source file: line number to hit count. */
export type LineHits = Map<number, number>;

/** One file's figures. */
export interface FileCoverage {
  file: string;
  found: number;
  hit: number;
  uncovered: number[];
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const LCOV = path.join(ROOT, "coverage", "lcov.info");
const REQUIRED_PERCENT = 100;

/**
 * The suites run by default: the Solidity tests and the mocha suites of the contracts themselves.
 * In a run of the whole suite (--all), Hardhat 3.18 drops from its report the line hits of the
 * mocha files that run after test/contracts/Campaign/differential.test.ts, although they pass (observed:
 * CampaignFactory.test.ts alone reports 100% of CampaignFactory.sol, 82% when run after it; the
 * whole suite reports 94.7%). Until that is understood, the figure is taken on this set.
 * `npm test` runs these files only here, under coverage; `npm run test:others` (scripts/tools/test-others.ts)
 * runs every other file, uninstrumented. A file added here leaves test:others.
 */
export const CONTRACT_SUITES = [
  "test/contracts/Campaign/adversarial.test.ts",
  "test/contracts/Campaign/claim.test.ts",
  "test/contracts/Campaign/donate.test.ts",
  "test/contracts/Campaign/history.test.ts",
  "test/contracts/Campaign/initialize.test.ts",
  "test/contracts/Campaign/lifecycle.test.ts",
  "test/contracts/Campaign/pledge.test.ts",
  "test/contracts/Campaign/publishParticipation.test.ts",
  "test/contracts/Campaign/reclaimDonation.test.ts",
  "test/contracts/Campaign/resolve.test.ts",
  "test/contracts/Campaign/smoke.test.ts",
  "test/contracts/Campaign/views.test.ts",
  "test/contracts/Campaign/withdrawDonation.test.ts",
  "test/contracts/Campaign/withdrawFees.test.ts",
  "test/contracts/CampaignFactory.test.ts",
  "test/contracts/RsaVoucherVerifier.test.ts",
  "test/contracts/libraries/BasculeMath.test.ts",
  "test/core/model.test.ts",
];

/** Every test file `hardhat test` would run: Solidity *.t.sol, then mocha .ts/.js under test/. */
export function allTestFiles(root = ROOT): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
  const files = walk("test");
  const solidity = [...walk("contracts"), ...files].filter((f) => f.endsWith(".t.sol"));
  const mocha = files.filter((f) => /\.(ts|js|cjs|mjs|cts|mts)$/.test(f) && !f.endsWith(".d.ts"));
  return [...solidity, ...mocha];
}

/** The Solidity tests and the contract suites that exist. */
export function contractTestFiles(root = ROOT): string[] {
  return allTestFiles(root).filter((f) => f.endsWith(".t.sol") || CONTRACT_SUITES.includes(f));
}

/**
 * Parses an lcov tracefile into line hits per source file (records of one file are merged).
 * @example
 * parseLcov("SF:contracts/A.sol\nDA:3,1\nDA:4,0\nend_of_record\n").get("contracts/A.sol")
 * // Map { 3 => 1, 4 => 0 }
 */
export function parseLcov(text: string): Map<string, LineHits> {
  const files = new Map<string, LineHits>();
  let current: LineHits | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("SF:")) {
      const file = line.slice(3).replaceAll("\\", "/");
      current = files.get(file) ?? new Map<number, number>();
      files.set(file, current);
    } else if (line.startsWith("DA:") && current !== undefined) {
      const [lineNumber, hits] = line.slice(3).split(",").map(Number);
      current.set(lineNumber, Math.max(current.get(lineNumber) ?? 0, hits));
    } else if (line === "end_of_record") {
      current = undefined;
    }
  }
  return files;
}

/** Whether a source file counts: under contracts/, but not contracts/test/. */
export function isCoreContract(file: string): boolean {
  const relative = path.isAbsolute(file) ? path.relative(ROOT, file).replaceAll("\\", "/") : file;
  return relative.startsWith("contracts/") && !relative.startsWith("contracts/test/");
}

/** Per-file figures of the core contracts, sorted by path. */
export function summarise(files: Map<string, LineHits>): FileCoverage[] {
  return [...files.entries()]
    .filter(([file]) => isCoreContract(file))
    .map(([file, hits]) => {
      const uncovered = [...hits.entries()]
        .filter(([, n]) => n === 0)
        .map(([lineNumber]) => lineNumber)
        .sort((a, b) => a - b);
      return {
        file,
        found: hits.size,
        hit: hits.size - uncovered.length,
        uncovered,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

function percent(hit: number, found: number): number {
  return found === 0 ? 100 : (100 * hit) / found;
}

/** Collapses sorted line numbers into ranges: [3, 4, 5, 9] → "3-5, 9". */
export function ranges(lines: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j] + 1) j++;
    parts.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j;
  }
  return parts.join(", ");
}

function report(summary: FileCoverage[]): boolean {
  const width = Math.max(5, ...summary.map((s) => s.file.length));
  console.log("\nLine coverage of contracts/ (contracts/test/ excluded)");
  console.log(`${"file".padEnd(width)}  ${"lines".padStart(9)}  ${"%".padStart(7)}  uncovered`);
  let found = 0;
  let hit = 0;
  for (const s of summary) {
    found += s.found;
    hit += s.hit;
    const figure = `${s.hit}/${s.found}`.padStart(9);
    console.log(
      `${s.file.padEnd(width)}  ${figure}  ${percent(s.hit, s.found).toFixed(2).padStart(7)}  ${ranges(s.uncovered)}`,
    );
  }
  const total = percent(hit, found);
  console.log(`${"total".padEnd(width)}  ${`${hit}/${found}`.padStart(9)}  ${total.toFixed(2).padStart(7)}`);
  if (summary.length === 0) {
    console.error("No contract of contracts/ in the coverage data.");
    return false;
  }
  if (total < REQUIRED_PERCENT) {
    console.error(`Line coverage ${total.toFixed(2)}% is below ${REQUIRED_PERCENT}%.`);
    return false;
  }
  return true;
}

function main(argv: string[]): number {
  const reportOnly = argv.includes("--report-only");
  const all = argv.includes("--all");
  const testFiles = argv.filter((a) => a !== "--report-only" && a !== "--all");
  let testsFailed = false;
  if (!reportOnly) {
    // Run hardhat's CLI with this very Node (22+), not whatever `node` the shebang would find, and
    // give the tests the PATH `npm run` would (some start a `hardhat node` of their own).
    const bin = path.join(ROOT, "node_modules", ".bin");
    const env = {
      ...process.env,
      PATH: [path.dirname(process.execPath), bin, process.env.PATH].join(path.delimiter),
    };
    const run = spawnSync(
      process.execPath,
      [
        path.join(bin, "hardhat"),
        "test",
        "--coverage",
        ...(testFiles.length > 0 ? testFiles : all ? allTestFiles() : contractTestFiles()),
      ],
      {
        cwd: ROOT,
        env,
        stdio: "inherit",
      },
    );
    if (run.error) throw run.error;
    if (run.status !== 0) {
      console.error(`hardhat test --coverage failed (exit ${run.status ?? run.signal}).`);
      testsFailed = true;
    }
  }
  if (!existsSync(LCOV)) {
    console.error(`${path.relative(ROOT, LCOV)} not found: run the tests with --coverage first.`);
    return 1;
  }
  const complete = report(summarise(parseLcov(readFileSync(LCOV, "utf8"))));
  return complete && !testsFailed ? 0 : 1;
}

if (import.meta.filename === path.resolve(process.argv[1] ?? "")) {
  process.exitCode = main(process.argv.slice(2));
}

/**
 * The snapshot of a benchmark whose figures may move a little (calldata sizes, costs): written by
 * a plain run, checked with `--check` against the committed file within a relative tolerance.
 * `snapshots/gas.json` is compared exactly by scripts/bench/gas.ts instead.
 */
import { readFileSync, writeFileSync } from "node:fs";

export interface TolerantSnapshot {
  /** The snapshot file, e.g. new URL("../../snapshots/cost.json", import.meta.url). */
  file: URL;
  /** The benchmark's name, as in `npm run bench:<name>` and `snapshots/<name>.json`. */
  name: string;
  /** The verb its figures take in a message: "measured" or "computed". */
  verb: string;
  /** Relative tolerance, e.g. 0.02 for ±2%. */
  tolerance: number;
}

/**
 * Writes `figures` to the snapshot, or with `checkOnly` compares them to the committed one: prints
 * each figure that differs, and sets the exit code to 1 if any is missing, new or beyond the tolerance.
 */
export function writeOrCheck(s: TolerantSnapshot, figures: Record<string, string>, checkOnly: boolean): void {
  const file = `snapshots/${s.name}.json`;
  const percent = `±${s.tolerance * 100}%`;
  if (!checkOnly) {
    writeFileSync(s.file, `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`wrote ${file}`);
    return;
  }
  let committed: Record<string, string> = {};
  try {
    committed = JSON.parse(readFileSync(s.file, "utf8")) as Record<string, string>;
  } catch {
    console.error(`${file} is missing or not JSON`);
  }
  let failed = 0;
  for (const key of new Set([...Object.keys(committed), ...Object.keys(figures)])) {
    const [was, now] = [committed[key], figures[key]];
    if (was === now) continue;
    const drift = was !== undefined && now !== undefined ? Number(now) / Number(was) - 1 : Infinity;
    const beyond = !(Math.abs(drift) <= s.tolerance);
    if (beyond) failed++;
    const delta = Number.isFinite(drift) ? ` (${drift >= 0 ? "+" : ""}${(drift * 100).toFixed(2)}%)` : "";
    (beyond ? console.error : console.log)(
      `${s.name} snapshot: "${key}": committed ${was ?? "—"}, ${s.verb} ${now ?? "—"}${delta}${beyond ? "" : `, within ${percent}`}`,
    );
  }
  if (failed > 0) {
    console.error(
      `${file}: ${failed} figure(s) missing, new or beyond ${percent}: run npm run bench:${s.name} and commit it`,
    );
    process.exitCode = 1;
  } else {
    console.log(`${file} matches (${percent})`);
  }
}

/**
 * `node --import tsx scripts/bench/profile-summary.ts FILE.cpuprofile`: where the time goes in a
 * CPU profile (from `BENCH_PROFILE=… npm run bench:relayer` or `node --cpu-prof`): the functions
 * with the most self time, and the time spent inside each package or source file (inclusive).
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  console.error("usage: profile-summary.ts FILE.cpuprofile");
  process.exit(1);
}
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const time = new Map<number, number>();
profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...time.values()].reduce((a, b) => a + b, 0);
const short = (url: string) => url.replace(/.*node_modules\//, "").replace(/^file:\/\/.*?\/(scripts|test)\//, "$1/");
const bucket = (n: ProfileNode) => {
  const u = n.callFrame.url;
  if (u.includes("node_modules/")) return u.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "$1");
  if (u.startsWith("node:")) return u.replace(/^node:(internal\/)?(deps\/)?([^/]+).*/, "node:$3");
  return short(u) || n.callFrame.functionName || "(vm)";
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, t] of time) {
  const n = byId.get(id)!;
  const name = `${n.callFrame.functionName || "(anonymous)"}  ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  self.set(name, (self.get(name) ?? 0) + t);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const b = bucket(byId.get(cur)!);
    if (!seen.has(b)) {
      seen.add(b);
      inclusive.set(b, (inclusive.get(b) ?? 0) + t);
    }
  }
}
const pct = (t: number) => `${((t / total) * 100).toFixed(1).padStart(5)} %`;
console.log(`${(total / 1000).toFixed(0)} ms sampled`);
console.log("self time, top 25:");
for (const [k, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${k}`);
console.log("inclusive, by package or file, top 25:");
for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${pct(t)}  ${k}`);

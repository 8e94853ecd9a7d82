/**
 * `npm run follow -- @campaign-0x…@localhost:8791`: a second local fediverse instance, in another
 * terminal beside `npm start`. A small Fedify server (follower.ts) on https://localhost:<port> with
 * the demo's certificate (.bascule/tls/, made by `npm start`, whose CA it trusts): it looks the
 * campaign up by WebFinger, sends a signed Follow and prints, in plain words, each activity it
 * receives and verifies (the Accept, the action day's Event, Notes for thresholds and announcements,
 * the Update at resolution) until Ctrl-C, when it unfollows.
 *
 * Options (environment): FOLLOW_PORT (default 0: any free port), TLS_DIR (default .bascule/tls),
 * FOLLOW_LANG (fr or en: which language of a bilingual content to print; default both's first).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trustCa } from "../demo/tls.js";
import { acctOf, describeActivity, startFollower } from "./follower.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const handle = process.argv.slice(2).find((a) => !a.startsWith("--"));
const acct = handle ? acctOf(handle) : null;
if (!acct) {
  console.error(
    "usage: npm run follow -- @campaign-0x…@localhost:8791 (the line npm start prints) / " +
      "utilisation\u202f: npm run follow -- @campaign-0x…@localhost:8791 (la ligne qu’affiche npm start)",
  );
  process.exit(2);
}
const dir = path.resolve(process.env.TLS_DIR ?? path.join(ROOT, ".bascule/tls"));
const files = ["ca.pem", "cert.pem", "key.pem"].map((f) => path.join(dir, f));
if (!files.every((f) => existsSync(f))) {
  console.error(
    `no demo certificate in ${dir}: start the demo first (npm start) / ` +
      `pas de certificat de démonstration dans ${dir}\u202f: lancez d’abord la démo (npm start)`,
  );
  process.exit(1);
}
const [ca, cert, key] = files.map((f) => readFileSync(f, "utf8"));
trustCa(ca);
const lang = process.env.FOLLOW_LANG === "en" || process.env.FOLLOW_LANG === "fr" ? process.env.FOLLOW_LANG : undefined;
const time = () => new Date().toTimeString().slice(0, 8);

const follower = await startFollower({ key, cert }, "newcomer", {
  port: Number(process.env.FOLLOW_PORT ?? 0),
  onReceive: (r) => console.log(`\n[${time()}] ${describeActivity(r, lang)}`),
});
console.log(`second instance / deuxième instance\u202f: ${follower.actorId.href}`);
let followed: Awaited<ReturnType<typeof follower.follow>>;
try {
  followed = await follower.follow(acct);
} catch (error) {
  console.error(
    `could not follow ${acct} / impossible de suivre ${acct}\u202f: ${(error as Error).message.split("\n")[0]}`,
  );
  await follower.close();
  process.exit(1);
}
console.log(
  `Follow sent to ${followed.group.id?.href}; waiting for its activities (Ctrl-C to stop) / ` +
    `abonnement envoyé, en attente de ses activités (Ctrl-C pour arrêter)`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await follower.unfollow(followed.group, followed.follow);
    console.log("\nunfollowed / désabonné");
  } catch {
    // the campaign's server may be gone already
  }
  await follower.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

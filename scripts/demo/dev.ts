/**
 * `npm run dev`: the local stack of `npm start`, with the dApp served by Vite's dev server (hot
 * reload) instead of the production build. /config.json and every path the stack's own server
 * forwards (`PROXIED`: /rpc, /relayer/, /indexer/, /notifier/, /attester/) go to that server, so
 * the dApp runs exactly as in production. Ctrl-C stops everything.
 */
import path from "node:path";
import { createServer } from "vite";
import { campaignPath, href } from "@bascule/core/routes";
import { PROXIED } from "./server.js";
import { ROOT, startStack } from "./stack.js";

const stack = await startStack({
  port: 0,
  chainPort: Number(process.env.CHAIN_PORT ?? 8545),
  log: (l) => console.log(`  ${l}`),
});
const target = stack.url.replace(/\/$/, "");
const vite = await createServer({
  configFile: path.join(ROOT, "frontend/vite.config.ts"),
  server: {
    port: Number(process.env.PORT ?? 5173),
    host: "127.0.0.1",
    proxy: Object.fromEntries(["/config.json", ...PROXIED.map((p) => p.prefix)].map((prefix) => [prefix, target])),
  },
});
await vite.listen();
console.log("\nBascule (dev):");
vite.printUrls();
if (stack.demo) console.log(`  open campaign: ${href(campaignPath(stack.demo.open))}`);
console.log("Ctrl-C to stop.");

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await vite.close();
  await stack.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

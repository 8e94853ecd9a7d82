/**
 * `npm run bench:relayer-checks`: what issue 20's checks save and cost, against a real `hardhat node`.
 *
 * Gas no longer spent: each of the audit's cases is sent the way the relayer used to send it (one
 * `pledgeBatch` carrying the items, from another account) and its gas used is printed, beside what
 * the relayer answers now (refused before 202: nothing sent).
 *
 * Cost per request: first pledges (open campaign, account attester, blind-voucher verifier) and
 * changes are posted one at a time through a JSON-RPC proxy that counts what the relayer asks the
 * node; the time from request to answer is printed (median, p90), and the time of each added read
 * alone, and of the batch probe (one eth_call per batch) for 20 and 100 pledges.
 * BENCH_REQUESTS sets how many requests per case (default 50). The machine's load average is
 * printed: other work on the same cores lengthens every time.
 */
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import {
  type Address,
  type Hex,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { type RsaPrivateKey, blind, generateKey, publicKeyArgs, unblind, voucherBytes } from "@bascule/core/blind-rsa";
import { campaignAbi, campaignFactoryAbi, rsaVoucherVerifierAbi } from "@bascule/core/generated/abis";
import { solvePow } from "@bascule/core/pow";
import { type SignedPledge, encodePledges, signPledge, signVoucher, voucherDigest } from "@bascule/core/signing";
import { deployBoundVerifier } from "@bascule/core/verifier";
import { TEST_KEYS, startNode } from "../../test/helpers/node.js";
import { campaignParams } from "../../test/helpers/campaign.js";
import { blindSign } from "../attester/rsa.js";
import { createCampaign } from "../cli/campaign.js";
import { chainFor, deployBascule } from "../lib/deployment.js";
import { BatchProbe } from "../relayer/probe.js";
import { startRelayer } from "../relayer/server.js";
import { pledgeBody } from "./load.js";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const POW_BITS = 8;
const DAY = 86_400n;
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

console.log(`relayer checks (issue 20), hardhat node on this machine, ${cpus().length} cores, load average ${load()}`);
const node = await startNode();
/** JSON-RPC calls the relayer makes, by method, counted at a proxy in front of the node. */
const calls = new Map<string, number>();
let httpRequests = 0;
const proxy = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString();
    httpRequests += 1;
    const parsed = JSON.parse(body) as { method: string } | { method: string }[];
    for (const call of Array.isArray(parsed) ? parsed : [parsed])
      calls.set(call.method, (calls.get(call.method) ?? 0) + 1);
    fetch(node.url, { method: "POST", headers: { "content-type": "application/json" }, body })
      .then(async (answer) => {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(await answer.text());
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
});
await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;

try {
  const client = createPublicClient({ transport: http(node.url) });
  const chainId = await client.getChainId();
  const chain = chainFor(chainId, node.url);
  const { factory } = await deployBascule({ rpcUrl: node.url, privateKey: TEST_KEYS[0] });
  const organiser = createWalletClient({
    account: privateKeyToAccount(TEST_KEYS[1]),
    chain,
    transport: http(node.url),
  });
  const sender = createWalletClient({ account: privateKeyToAccount(TEST_KEYS[4]), chain, transport: http(node.url) });
  const attester = privateKeyToAccount(TEST_KEYS[3]);
  const rsaKey: RsaPrivateKey = await generateKey();
  const now = (await client.getBlock()).timestamp;
  const paramsFor = (overrides: Parameters<typeof campaignParams>[1]) =>
    campaignParams(now, { pledgeDeadline: now + 7n * DAY, actionDate: now + 8n * DAY, ...overrides });
  const make = async (overrides: Parameters<typeof campaignParams>[1], salt: string) =>
    (
      await createCampaign({
        rpcUrl: node.url,
        privateKey: TEST_KEYS[1],
        factory,
        params: paramsFor(overrides),
        metadataURI: `ipfs://${salt}`,
        salt: keccak256(toHex(salt)),
      })
    ).campaign;
  // The verifier is bound to its campaign: predict both addresses, deploy it, then create the campaign.
  const { verifier } = await deployBoundVerifier(organiser, client as never, publicKeyArgs(rsaKey), (attester) =>
    client.readContract({
      address: factory,
      abi: campaignFactoryAbi,
      functionName: "predictCampaign",
      args: [organiser.account.address, paramsFor({ attester, supportCap: 10n ** 18n }), keccak256(toHex("rsa"))],
    }),
  );
  const rsaGated = await make({ attester: verifier, supportCap: 10n ** 18n }, "rsa");
  const accountGated = await make({ attester: attester.address, supportCap: 10n ** 18n }, "account");
  const open = await make({}, "open");

  const blindVoucher = (campaign: Address, key: Address): Hex => {
    const { blinded, inverse } = blind(rsaKey, voucherDigest(campaign, chainId, key));
    return voucherBytes(unblind(rsaKey, blindSign(rsaKey, blinded), inverse));
  };
  const fresh = () => privateKeyToAccount(generatePrivateKey());
  const batchGas = async (campaign: Address, pledges: SignedPledge[]) => {
    const hash = await sender.writeContract({
      address: campaign,
      abi: campaignAbi,
      functionName: "pledgeBatch",
      args: [encodePledges(pledges)],
    });
    return (await client.waitForTransactionReceipt({ hash })).gasUsed;
  };
  const relayer = await startRelayer({
    rpcUrl: proxyUrl,
    privateKey: TEST_KEYS[2],
    port: 0,
    dbPath: ":memory:",
    corsOrigins: [],
    batchSize: 100,
    batchLatencyMs: 200,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
    factory,
    powBits: POW_BITS,
    log: () => {},
  });
  const post = async (campaign: Address, key: Address, signed: SignedPledge) => {
    const pow =
      campaign === open && signed.nonce === 0
        ? solvePow({ chainId, campaign, pledgeKey: key, bits: POW_BITS })!
        : undefined;
    const started = performance.now();
    const response = await fetch(`${relayer.url}/v1/pledges`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: pledgeBody(campaign, signed, pow),
    });
    const body = (await response.json()) as { error?: { code: string } };
    return { status: response.status, code: body.error?.code, ms: performance.now() - started };
  };

  try {
    console.log("\ngas the relayer no longer spends (each case in one pledgeBatch, as it used to send them):");
    const perItem = (many: bigint, one: bigint, n: number) => Number(many - one) / (n - 1);
    const junk = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          signPledge(
            fresh(),
            rsaGated,
            chainId,
            { level: 1, support: 0n, nonce: 0 },
            toHex(crypto.getRandomValues(new Uint8Array(256))),
          ),
        ),
      );
    const [junk1, junk20] = [await batchGas(rsaGated, await junk(1)), await batchGas(rsaGated, await junk(20))];
    const junkAnswers = await Promise.all((await junk(20)).map((p) => post(rsaGated, fresh().address, p)));
    console.log(
      `  20 junk blind vouchers (256 bytes, e = 3):      ${junk20} gas, ${perItem(junk20, junk1, 20).toFixed(0)} per item; now ${junkAnswers.filter((a) => a.code === "INVALID_VOUCHER").length}/20 refused INVALID_VOUCHER before 202`,
    );
    const oneByte = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          signPledge(fresh(), accountGated, chainId, { level: 1, support: 0n, nonce: 0 }, "0x01"),
        ),
      );
    const [ob1, ob20] = [
      await batchGas(accountGated, await oneByte(1)),
      await batchGas(accountGated, await oneByte(20)),
    ];
    const obAnswers = await Promise.all((await oneByte(20)).map((p) => post(accountGated, fresh().address, p)));
    console.log(
      `  20 one-byte vouchers, account attester:         ${ob20} gas, ${perItem(ob20, ob1, 20).toFixed(0)} per item; now ${obAnswers.filter((a) => a.code === "INVALID_VOUCHER_LENGTH").length}/20 refused INVALID_VOUCHER_LENGTH`,
    );
    const keys = Array.from({ length: 10 }, fresh);
    const mined = await Promise.all(keys.map((k) => signPledge(k, open, chainId, { level: 1, support: 0n, nonce: 0 })));
    await batchGas(open, mined);
    const again10 = await batchGas(open, mined);
    const again1 = await batchGas(open, mined.slice(0, 1));
    const againAnswers = await Promise.all(mined.map((p, i) => post(open, keys[i].address, p)));
    console.log(
      `  10 first pledges already mined, sent again:     ${again10} gas, ${perItem(again10, again1, 10).toFixed(0)} per item; now ${againAnswers.filter((a) => a.code === "PLEDGE_ALREADY_RECORDED").length}/10 refused PLEDGE_ALREADY_RECORDED`,
    );
    const changer = fresh();
    await batchGas(open, [await signPledge(changer, open, chainId, { level: 1, support: 0n, nonce: 0 })]);
    const changes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        signPledge(changer, open, chainId, { level: 1 + ((i + 1) % 3), support: 0n, nonce: i + 1 }),
      ),
    );
    const changes30 = await batchGas(open, changes);
    const changer5 = fresh();
    await batchGas(open, [await signPledge(changer5, open, chainId, { level: 1, support: 0n, nonce: 0 })]);
    const changes5 = await batchGas(
      open,
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          signPledge(changer5, open, chainId, { level: 1 + ((i + 1) % 3), support: 0n, nonce: i + 1 }),
        ),
      ),
    );
    const relayedKey = fresh();
    const codes: (string | undefined)[] = [
      (
        await post(
          open,
          relayedKey.address,
          await signPledge(relayedKey, open, chainId, { level: 1, support: 0n, nonce: 0 }),
        )
      ).code,
    ];
    for (let nonce = 1; nonce <= 30; nonce++)
      codes.push(
        (
          await post(
            open,
            relayedKey.address,
            await signPledge(relayedKey, open, chainId, { level: 1 + (nonce % 3), support: 0n, nonce }),
          )
        ).code,
      );
    console.log(
      `  30 changes of one key after one proof of work:  ${changes30} gas; now ${codes.slice(1).filter((c) => c === undefined).length} relayed (${changes5} gas), ${codes.filter((c) => c === "TOO_MANY_CHANGES").length} refused TOO_MANY_CHANGES: ${changes30 - changes5} gas saved`,
    );

    console.log(
      `\ncost of the checks per request (${REQUESTS} requests each, one at a time; JSON-RPC calls the relayer makes):`,
    );
    const measure = async (label: string, one: () => Promise<{ status: number; ms: number }>) => {
      await one(); // caches warm (campaign, attester kind, chain time)
      calls.clear();
      httpRequests = 0;
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const answer = await one();
        if (answer.status !== 202) throw new Error(`${label}: ${answer.status}`);
        times.push(answer.ms);
      }
      // The submitter's own calls (receipts, batches, the probe) are counted too: wait for it to settle first.
      const perRequest = [...calls]
        .filter(([method]) => method === "eth_call" || method === "eth_getCode")
        .map(([method, n]) => `${method} ${(n / REQUESTS).toFixed(2)}`)
        .join(", ");
      console.log(
        `  ${label.padEnd(44)} median ${ms(quantile(times, 0.5))}, p90 ${ms(quantile(times, 0.9))}; per request: ${perRequest || "no eth_call"} (${(httpRequests / REQUESTS).toFixed(2)} HTTP requests to the node, all methods)`,
      );
    };
    await measure("first pledge, open campaign (proof of work)", async () => {
      const k = fresh();
      return post(open, k.address, await signPledge(k, open, chainId, { level: 1, support: 0n, nonce: 0 }));
    });
    await measure("first pledge, account attester", async () => {
      const k = fresh();
      const v = await signVoucher(attester, accountGated, chainId, k.address);
      return post(
        accountGated,
        k.address,
        await signPledge(k, accountGated, chainId, { level: 1, support: 0n, nonce: 0 }, v),
      );
    });
    await measure("first pledge, blind-voucher verifier", async () => {
      const k = fresh();
      const v = blindVoucher(rsaGated, k.address);
      return post(rsaGated, k.address, await signPledge(k, rsaGated, chainId, { level: 1, support: 0n, nonce: 0 }, v));
    });
    const changing = Array.from({ length: REQUESTS + 1 }, fresh);
    for (const k of changing)
      await post(open, k.address, await signPledge(k, open, chainId, { level: 1, support: 0n, nonce: 0 }));
    let next = 0;
    await measure("change (its key's first pledge relayed before)", async () => {
      const k = changing[next++];
      return post(open, k.address, await signPledge(k, open, chainId, { level: 2, support: 0n, nonce: 1 }));
    });
    console.log(`    (eth_call counts include the submitter's batch probes and receipts meanwhile)`);

    const time = async (fn: () => Promise<unknown>, n = 20) => {
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await fn();
        t.push(performance.now() - s);
      }
      return quantile(t, 0.5);
    };
    const someKey = fresh().address;
    const v = blindVoucher(rsaGated, someKey);
    console.log("\nthe added reads alone (median of 20):");
    console.log(
      `  pledgeOf eth_call:                ${ms(await time(() => client.readContract({ address: open, abi: campaignAbi, functionName: "pledgeOf", args: [someKey] })))}`,
    );
    console.log(
      `  isValidSignature eth_call (RSA):  ${ms(await time(() => client.call({ account: rsaGated, to: verifier, gas: 300_000n, data: encodeFunctionData({ abi: rsaVoucherVerifierAbi, functionName: "isValidSignature", args: [voucherDigest(rsaGated, chainId, someKey), v] }) })))}`,
    );
    const batchProbe = new BatchProbe(client, sender.account.address);
    for (const n of [20, 100]) {
      const pledges = await Promise.all(
        Array.from({ length: n }, async () => {
          const k = fresh();
          return signPledge(
            k,
            rsaGated,
            chainId,
            { level: 1, support: 0n, nonce: 0 },
            blindVoucher(rsaGated, k.address),
          );
        }),
      );
      const probe = async () => {
        // What the submitter runs before each batch, as many items as one call carries here.
        const n = await batchProbe.fit(pledges);
        const results = await batchProbe.run(rsaGated, pledges.slice(0, n));
        if (results.some((r) => r.status !== "success")) throw new Error("the probe refused a valid pledge");
        return n;
      };
      const estimate = () =>
        client.estimateGas({
          account: sender.account,
          to: rsaGated,
          data: encodeFunctionData({ abi: campaignAbi, functionName: "pledgeBatch", args: [encodePledges(pledges)] }),
        });
      const carried = await probe();
      console.log(
        `  batch probe, ${String(n).padStart(3)} blind-voucher pledges: ${ms(await time(probe, 5))}, ${carried} in one call (the gas estimate of the ${n}-pledge batch beside it: ${ms(await time(estimate, 5))})`,
      );
    }
  } finally {
    await relayer.close();
  }
  console.log(`\nload average after: ${load()}`);
} finally {
  proxy.close();
  await node.stop();
}

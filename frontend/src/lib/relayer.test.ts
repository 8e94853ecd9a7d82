import { afterEach, describe, expect, it } from "vitest";
import type { Address } from "viem";
import { relayerBases } from "./config.ts";
import { RelayerDownError, RelayerError } from "./errors.ts";
import { relayerClient } from "./relayer.ts";

const campaign = "0x00000000000000000000000000000000000000c1" as Address;
const pledge = {
  level: 1,
  support: 0n,
  condition: 0,
  nonce: 0,
  r: `0x${"11".repeat(32)}` as const,
  vs: `0x${"22".repeat(32)}` as const,
  voucher: "0x" as const,
};

type Behaviour = "down" | "503" | "refuse" | "ok";
/** Relayers at http://a.test, http://b.test, …, each behaving as told; every call is logged as "host path". */
function relayers(behaviour: Record<string, Behaviour>) {
  const calls: string[] = [];
  const original = globalThis.fetch;
  let n = 0;
  globalThis.fetch = (async (url: string) => {
    const u = new URL(url);
    calls.push(`${u.host} ${u.pathname}`);
    switch (behaviour[u.host]) {
      case "down":
        throw new TypeError("Failed to fetch");
      case "503":
        return Response.json(
          { error: { code: "CHAIN_UNAVAILABLE", message: { en: "no chain", fr: "pas de chaîne" } } },
          { status: 503 },
        );
      case "refuse":
        return Response.json(
          { error: { code: "PLEDGE_INVALID", message: { en: "bad", fr: "mauvais" } } },
          { status: 400 },
        );
      default:
        if (u.pathname.startsWith("/v1/requests/"))
          return Response.json({ id: u.pathname.split("/").pop(), status: "confirmed" });
        if (u.pathname === "/v1/pledges")
          return Response.json({ id: `${u.host}-${n++}`, status: "queued" }, { status: 202 });
        return Response.json({ relayer: "0x0000000000000000000000000000000000000001", pow: { bits: 0 } });
    }
  }) as typeof fetch;
  restore = () => (globalThis.fetch = original);
  return calls;
}
let restore = () => {};
afterEach(() => restore());

describe("relayerClient with several relayers", () => {
  it("moves to the next relayer when one cannot be reached, and stays with the one that answered", async () => {
    const calls = relayers({ "a.test": "down", "b.test": "ok" });
    const client = relayerClient(["http://a.test", "http://b.test"]);
    const accepted = await client.pledge(campaign, pledge);
    expect(accepted.id).toBe("b.test-0");
    await client.status();
    expect(calls).toEqual(["a.test /v1/pledges", "b.test /v1/pledges", "b.test /status"]);
    expect(client.relayers().current).toBe("http://b.test");
  });

  it("moves on from a relayer that answers 503 (it cannot reach the chain)", async () => {
    const calls = relayers({ "a.test": "503", "b.test": "ok" });
    await relayerClient(["http://a.test", "http://b.test"]).pledge(campaign, pledge);
    expect(calls).toEqual(["a.test /v1/pledges", "b.test /v1/pledges"]);
  });

  it("does not ask another relayer after a refusal: a refused pledge is refused everywhere", async () => {
    const calls = relayers({ "a.test": "refuse", "b.test": "ok" });
    const error = await relayerClient(["http://a.test", "http://b.test"])
      .pledge(campaign, pledge)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayerError);
    expect((error as RelayerError).code).toBe("PLEDGE_INVALID");
    expect(calls).toEqual(["a.test /v1/pledges"]);
  });

  it("follows a request at the relayer that accepted it, even after another one answered since", async () => {
    const behaviour: Record<string, Behaviour> = { "a.test": "ok", "b.test": "ok" };
    const calls = relayers(behaviour);
    const client = relayerClient(["http://a.test", "http://b.test"]);
    const first = await client.pledge(campaign, pledge);
    behaviour["a.test"] = "down";
    await client.status();
    expect(client.relayers().current).toBe("http://b.test");
    behaviour["a.test"] = "ok";
    await client.wait(first.id, 1_000, 1);
    expect(calls.at(-1)).toBe(`a.test /v1/requests/${first.id}`);
  });

  it("says the relayers are down only when every one is, with the last one's reason", async () => {
    const calls = relayers({ "a.test": "down", "b.test": "down", "c.test": "down" });
    const error = await relayerClient(["http://a.test", "http://b.test", "http://c.test"])
      .status()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayerDownError);
    expect(calls).toHaveLength(3);
  });

  it("takes the config's relayerUrl first, then relayerUrls, skipping empty ones", () => {
    expect(relayerBases({ relayerUrl: "https://a.test/", relayerUrls: ["https://b.test", ""] })).toEqual([
      "https://a.test",
      "https://b.test",
    ]);
    expect(relayerBases({ relayerUrl: "" })).toEqual([]);
  });
});

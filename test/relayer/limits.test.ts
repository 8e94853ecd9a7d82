/**
 * The relayer's pieces that need no chain: rate limits per IPv4 address and /24, IPv6 /64, /56, /48
 * and /32 (nested, bounded memory, eviction one by one, no reset by a crowd), 429 with Retry-After
 * through the HTTP layer, who the client is behind a proxy (TRUST_PROXY),
 * the proof of work, the fast pledge digest and the native signer recovery against viem's, and the
 * refusal codes of the contract's skip reasons and of the final lock's rules with conditions.
 */
import { spawn } from "node:child_process";
import { expect } from "chai";
import fc from "fast-check";
import {
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type WalletClient,
  TransactionReceiptNotFoundError,
  encodeFunctionData,
  getAddress,
  hashTypedData,
  multicall3Abi,
  recoverAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { campaignDomain, encodePledge, PLEDGE_TYPES, signPledge } from "@bascule/core/signing";
import { campaignAbi } from "@bascule/core/generated/abis";
import { leadingZeroBits, powDigest, solvePow, verifyPow } from "@bascule/core/pow";
import { PledgeDigester } from "../../scripts/relayer/digest.js";
import {
  NestedRateLimiter,
  PREFIX_LEVELS,
  RateLimiter,
  TrustProxyError,
  checkTrustProxy,
  clientPrefix,
  clientPrefixes,
  expandIPv6,
} from "../../scripts/relayer/limits.js";
import { nativeRecoverer } from "../../scripts/relayer/recover.js";
import { BatchProbe, DEPLOYLESS_CALLDATA_BYTES } from "../../scripts/relayer/probe.js";
import { ZERO_ADDRESS } from "../../scripts/relayer/chain.js";
import { Store } from "../../scripts/relayer/store.js";
import { Submitter } from "../../scripts/relayer/submitter.js";
import { buildApp } from "../../scripts/relayer/routes.js";
import { type Relayer, lockRefusal } from "../../scripts/relayer/service.js";
import { CONTRACT_ERRORS, ERRORS, SKIP_REASONS } from "../../scripts/relayer/errors.js";
import { ROOT } from "../helpers/node.js";
import { SKIP_REASONS as MODEL_SKIP_REASONS, SkipReason, lockRefuses, recordedCondition } from "@bascule/core/model";

const hexAddress = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => getAddress(`0x${Buffer.from(b).toString("hex")}`));

describe("relayer limits (no chain)", function () {
  this.timeout(120_000);

  describe("refusal codes", function () {
    it("has a code for every skip reason of the contract, in its order, ConditionOutOfRange (8) included", function () {
      expect(SKIP_REASONS).to.have.length(MODEL_SKIP_REASONS.length);
      expect(SKIP_REASONS[SkipReason.ConditionOutOfRange]).to.equal("CONDITION_OUT_OF_RANGE");
      expect(SKIP_REASONS[SkipReason.FinalLock]).to.equal("FINAL_LOCK_ACTIVE");
      expect(CONTRACT_ERRORS.ConditionOutOfRange).to.equal("CONDITION_OUT_OF_RANGE");
      for (const code of [
        "CONDITION_OUT_OF_RANGE",
        "FINAL_LOCK_NEW_CONDITION",
        "FINAL_LOCK_CONDITION_FROZEN",
      ] as const) {
        expect(ERRORS[code].message.en).to.be.a("string").and.not.equal(ERRORS[code].message.fr);
      }
    });

    it("names which rule of the final lock a refused change breaks, for every change the lock refuses", function () {
      const state = fc.record({
        level: fc.integer({ min: 0, max: 3 }),
        support: fc.constantFrom(0n, 5n, 10n),
        condition: fc.integer({ min: 0, max: 2 }),
      });
      fc.assert(
        fc.property(state, state, (p, n) => {
          const previous = { ...p, condition: recordedCondition(p), support: p.level === 0 ? 0n : p.support };
          const next = { ...n, condition: recordedCondition(n) };
          if (!lockRefuses(previous.level === 0 ? undefined : previous, next)) return;
          const code = lockRefusal(previous, n);
          const takesBack =
            previous.level !== 0 && (n.level === 0 || n.level > previous.level || n.support > previous.support);
          if (takesBack) expect(code).to.equal("FINAL_LOCK_ACTIVE");
          else if (previous.condition === 0) expect(code).to.equal("FINAL_LOCK_NEW_CONDITION");
          else expect(code).to.equal("FINAL_LOCK_CONDITION_FROZEN");
          // A new pledge, or an unconditional one, is refused only for taking a condition on.
          if (previous.condition === 0 && !takesBack) expect(next.condition).to.not.equal(0);
        }),
        { numRuns: 2_000 },
      );
    });
  });

  describe("clientPrefix", function () {
    it("counts an IPv4 address alone and an IPv6 address by its /64", function () {
      expect(clientPrefix("203.0.113.7")).to.equal("203.0.113.7");
      expect(clientPrefix("2001:db8:1:2:aaaa::1")).to.equal("2001:0db8:0001:0002::/64");
      expect(clientPrefix("2001:db8:1:2:ffff:ffff:ffff:ffff")).to.equal("2001:0db8:0001:0002::/64");
      expect(clientPrefix("2001:db8:1:3::1")).to.equal("2001:0db8:0001:0003::/64");
      expect(clientPrefix("::1")).to.equal("0000:0000:0000:0000::/64");
      expect(clientPrefix("fe80::1%eth0")).to.equal("fe80:0000:0000:0000::/64");
    });

    it("counts an IPv4-mapped IPv6 address as the IPv4 address", function () {
      expect(clientPrefix("::ffff:203.0.113.7")).to.equal("203.0.113.7");
      expect(clientPrefix("::FFFF:203.0.113.7")).to.equal("203.0.113.7");
    });

    it("puts anything that is not an address in one shared bucket", function () {
      expect(clientPrefix(undefined)).to.equal("unknown");
      expect(clientPrefix("not an address")).to.equal("unknown");
    });

    it("gives every spelling of one /64 the same key", function () {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), (groups) => {
          const full = groups.map((g) => g.toString(16)).join(":");
          const padded = groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
          expect(expandIPv6(full)).to.deep.equal(padded.split(":"));
          expect(clientPrefix(full)).to.equal(clientPrefix(padded.toUpperCase()));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe("RateLimiter", function () {
    it("allows the burst, then refuses with the seconds until a token is back", function () {
      let now = 0;
      const limiter = new RateLimiter(1, 3, 10, () => now);
      expect([1, 2, 3].map(() => limiter.take("a").allowed)).to.deep.equal([true, true, true]);
      const refused = limiter.take("a");
      expect(refused.allowed).to.equal(false);
      expect(refused.retryAfterSeconds).to.equal(1);
      now = 1000;
      expect(limiter.take("a").allowed).to.equal(true);
      expect(limiter.take("a").allowed).to.equal(false);
    });

    it("does not reset a throttled IPv6 /64 when 100,000 other /64s come and go", function () {
      let now = 0;
      const limiter = new RateLimiter(1, 5, 10_000, () => now);
      const attacker = clientPrefix("2001:db8:dead:beef::1");
      for (let i = 0; i < 5; i++) limiter.take(attacker);
      expect(limiter.take(attacker).allowed).to.equal(false);
      for (let i = 0; i < 100_000; i++) {
        // 100,000 distinct /64s (as from a /32 an attacker rents), all within one refill time.
        const address = `2001:db8:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;
        limiter.take(clientPrefix(address));
        if (i % 10_000 === 0) now += 1; // a millisecond now and then: still far within the 5 s refill
      }
      expect(limiter.size).to.be.at.most(10_000);
      expect(limiter.take(attacker).allowed).to.equal(false);
      expect(limiter.overflowing).to.equal(true);
    });

    it("does not reset a throttled address when 100,000 addresses of its own /64 come", function () {
      let now = 0;
      const limiter = new RateLimiter(1, 5, 1_000, () => now);
      for (let i = 0; i < 5; i++) limiter.take(clientPrefix("2001:db8:1:1::1"));
      for (let i = 0; i < 100_000; i++)
        limiter.take(clientPrefix(`2001:db8:1:1:${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}::`));
      expect(limiter.size).to.equal(1);
      expect(limiter.take(clientPrefix("2001:db8:1:1::1")).allowed).to.equal(false);
      now += 100;
    });

    it("evicts refilled buckets one by one, oldest first, never all at once", function () {
      let now = 0;
      const limiter = new RateLimiter(10, 10, 100, () => now);
      for (let i = 0; i < 100; i++) {
        limiter.take(`10.0.0.${i}`);
        now += 10;
      }
      expect(limiter.size).to.equal(100);
      now += 1000; // the first buckets have refilled
      limiter.take("10.0.1.0");
      expect(limiter.size).to.equal(100);
      limiter.take("10.0.1.1");
      expect(limiter.size).to.equal(100);
      // The two oldest went; the third oldest is still counted.
      for (let i = 0; i < 10; i++) limiter.take("10.0.0.2");
      expect(limiter.take("10.0.0.2").allowed).to.equal(false);
    });

    it("holds at most its capacity whatever the traffic", function () {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 2000 })), { maxLength: 2000 }),
          (steps) => {
            let now = 0;
            const limiter = new RateLimiter(5, 5, 50, () => now);
            for (const [client, dt] of steps) {
              now += dt;
              limiter.take(`192.0.2.${client}`);
              expect(limiter.size).to.be.at.most(50);
            }
          },
        ),
        { numRuns: 50 },
      );
    });
  });

  describe("HTTP rate limit", function () {
    it("answers 429 with Retry-After and a FR/EN code once a /64 has spent its burst, other clients unaffected", async function () {
      const { app } = await buildApp({} as Relayer, {
        corsOrigins: [],
        maxBodyBytes: 16_384,
        rateLimit: { perSecond: 1, burst: 3 },
        log: () => {},
      });
      try {
        const post = (remoteAddress: string) =>
          app.inject({
            method: "POST",
            url: "/v1/pledges",
            remoteAddress,
            headers: { "content-type": "application/json" },
            payload: "{}",
          });
        const codes: number[] = [];
        for (let i = 0; i < 5; i++) codes.push((await post(`2001:db8:7:7::${i + 1}`)).statusCode);
        expect(codes).to.deep.equal([400, 400, 400, 429, 429]);
        const limited = await post("2001:db8:7:7::99");
        expect(limited.statusCode).to.equal(429);
        expect(Number(limited.headers["retry-after"])).to.be.at.least(1);
        const body = limited.json();
        expect(body.error.code).to.equal("RATE_LIMITED");
        expect(body.error.message.fr).to.match(/réessayez/);
        expect((await post("2001:db8:7:8::1")).statusCode).to.equal(400);
        expect((await post("198.51.100.1")).statusCode).to.equal(400);
        // Reading is not limited.
        expect(
          (await app.inject({ method: "GET", url: "/v1/errors", remoteAddress: "2001:db8:7:7::1" })).statusCode,
        ).to.equal(200);
      } finally {
        await app.close();
      }
    });

    it("keeps a throttled client throttled through 10,000 requests from distinct IPv6 /64s (memory for 2,000)", async function () {
      const { app, limiter } = await buildApp({} as Relayer, {
        corsOrigins: [],
        maxBodyBytes: 16_384,
        rateLimit: { perSecond: 0.01, burst: 2, capacity: 2_000 },
        log: () => {},
      });
      try {
        const post = (remoteAddress: string) =>
          app.inject({
            method: "POST",
            url: "/v1/pledges",
            remoteAddress,
            headers: { "content-type": "application/json" },
            payload: "{}",
          });
        await post("2001:db8:bad::1");
        await post("2001:db8:bad::2");
        expect((await post("2001:db8:bad::3")).statusCode).to.equal(429);
        for (let i = 0; i < 10_000; i += 1000) {
          await Promise.all(
            Array.from({ length: 1000 }, (_, j) =>
              post(`2001:db8:${((i + j) >> 16).toString(16)}:${((i + j) & 0xffff).toString(16)}::1`),
            ),
          );
        }
        for (const level of limiter.levels) expect(level.size).to.be.at.most(2_000);
        expect((await post("2001:db8:bad::4")).statusCode).to.equal(429);
      } finally {
        await app.close();
      }
    });
  });

  describe("nested prefixes (IPv6 /64, /56, /48, /32; IPv4 address, /24)", function () {
    it("counts a request against every prefix of its address, finest first", function () {
      expect(clientPrefixes("2001:db8:1:2ff:aaaa::1").map((p) => p.prefix)).to.deep.equal([
        "2001:0db8:0001:02ff::/64",
        "2001:0db8:0001:0200::/56",
        "2001:0db8:0001::/48",
        "2001:0db8::/32",
      ]);
      expect(clientPrefixes("203.0.113.7").map((p) => p.prefix)).to.deep.equal(["203.0.113.7", "203.0.113.0/24"]);
      expect(clientPrefixes("::ffff:203.0.113.7").map((p) => p.prefix)).to.deep.equal([
        "203.0.113.7",
        "203.0.113.0/24",
      ]);
      expect(clientPrefixes("255.255.255.255").map((p) => p.prefix)).to.deep.equal([
        "255.255.255.255",
        "255.255.255.0/24",
      ]);
      expect(clientPrefixes("not an address")).to.have.length(1);
      for (const address of ["2001:db8::1", "198.51.100.1", "x"])
        for (const { level } of clientPrefixes(address)) expect(PREFIX_LEVELS[level]).to.not.equal(undefined);
    });

    it("lets 500 /64s of one /48 through no more than the /48's burst: 120 of 15,500 requests, not 15,000", function () {
      const now = 0;
      // The relayer's defaults: 10 per second, burst 30 per /64; a /48 gets 4 times that.
      const limiter = new NestedRateLimiter(10, 30, 100_000, () => now);
      let passed = 0;
      for (let i = 0; i < 500; i++)
        for (let j = 0; j < 31; j++) if (limiter.take(`2001:db8:7:${i.toString(16)}::${j + 1}`).allowed) passed++;
      expect(passed).to.equal(120);
      // The /56s in between hold too: 2001:db8:7:0000 to 00ff is one /56 (60), 0100 to 01f3 another.
      expect(limiter.take("2001:db8:7:200::1").allowed).to.equal(false);
      // Another /48 of the same /32, one /64 in each of its /56s, gets its own 120; then the /32 (480)
      // holds the rest of the operator.
      let neighbour = 0;
      for (let i = 0; i < 200; i++) if (limiter.take(`2001:db8:8:${(i * 256).toString(16)}::1`).allowed) neighbour++;
      expect(neighbour).to.equal(120);
      let rest = 0;
      for (let k = 9; k < 20; k++)
        for (let i = 0; i < 50; i++)
          if (limiter.take(`2001:db8:${k.toString(16)}:${i.toString(16)}::1`).allowed) rest++;
      expect(passed + neighbour + rest).to.equal(480);
      // Another operator's /32 is untouched.
      expect(limiter.take("2001:db9:1:1::1").allowed).to.equal(true);
    });

    it("lets 256 addresses of one IPv4 /24 through no more than the /24's burst", function () {
      const limiter = new NestedRateLimiter(10, 30, 100_000, () => 0);
      let passed = 0;
      for (let i = 0; i < 256; i++) for (let j = 0; j < 31; j++) if (limiter.take(`198.51.100.${i}`).allowed) passed++;
      expect(passed).to.equal(120);
      expect(limiter.take("198.51.101.1").allowed).to.equal(true);
    });

    it("takes nothing from the coarser prefixes for a refused request, so a throttled /64 does not starve its /48", function () {
      let now = 0;
      const limiter = new NestedRateLimiter(1, 3, 1_000, () => now);
      for (let i = 0; i < 1_000; i++) limiter.take("2001:db8:5:1::1");
      // The /64 took its 3; its /48 (12) still has 9 for the neighbours in other /56s.
      let neighbours = 0;
      for (let i = 0; i < 20; i++)
        if (limiter.take(`2001:db8:5:${((i + 1) * 256).toString(16)}::1`).allowed) neighbours++;
      expect(neighbours).to.equal(9);
      // Retry-After is the longest wait of the prefixes that refuse: the /48's.
      const refused = limiter.take("2001:db8:5:99::1");
      expect(refused.allowed).to.equal(false);
      expect(refused.retryAfterSeconds).to.equal(1);
      now = 250; // the /48 refills at 4 per second: one token back
      expect(limiter.take("2001:db8:5:99::1").allowed).to.equal(true);
      expect(limiter.take("2001:db8:5:99::1").allowed).to.equal(false);
    });

    it("holds at most its capacity per level whatever the traffic", function () {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 2000 })), {
            maxLength: 1000,
          }),
          (steps) => {
            let now = 0;
            const limiter = new NestedRateLimiter(5, 5, 50, () => now);
            for (const [client, dt] of steps) {
              now += dt;
              limiter.take(`2001:db8:${(client >> 8).toString(16)}:${client.toString(16)}::1`);
              limiter.take(`10.${client >> 8}.${client & 0xff}.1`);
              for (const level of limiter.levels) expect(level.size).to.be.at.most(50);
            }
          },
        ),
        { numRuns: 30 },
      );
    });

    it("over HTTP, refuses all but the /48's share of 15,500 requests from 500 /64s of one /48", async function () {
      const { app } = await buildApp({} as Relayer, {
        corsOrigins: [],
        maxBodyBytes: 16_384,
        rateLimit: { perSecond: 10, burst: 30 },
        log: () => {},
      });
      try {
        const started = Date.now();
        let passed = 0;
        for (let i = 0; i < 500; i++) {
          const answers = await Promise.all(
            Array.from({ length: 31 }, (_, j) =>
              app.inject({
                method: "POST",
                url: "/v1/pledges",
                remoteAddress: `2001:db8:7:${i.toString(16)}:${j.toString(16)}::1`,
                headers: { "content-type": "application/json" },
                payload: "{}",
              }),
            ),
          );
          for (const answer of answers) if (answer.statusCode !== 429) passed++;
        }
        const seconds = (Date.now() - started) / 1000;
        // The /48's burst (120) and what it refilled meanwhile (40 per second): nowhere near 15,000.
        expect(passed).to.be.at.least(120);
        expect(passed).to.be.at.most(Math.ceil(120 + 40 * seconds));
        expect(passed).to.be.below(1_000);
      } finally {
        await app.close();
      }
    });
  });

  describe("TRUST_PROXY", function () {
    it("takes proxies' addresses, CIDRs and proxy-addr's named ranges", function () {
      expect(checkTrustProxy("127.0.0.1, 10.0.0.0/8")).to.deep.equal(["127.0.0.1", "10.0.0.0/8"]);
      expect(checkTrustProxy(["loopback", "2001:db8::/32", "10.0.0.0/255.0.0.0", "::1"])).to.deep.equal([
        "loopback",
        "2001:db8::/32",
        "10.0.0.0/255.0.0.0",
        "::1",
      ]);
    });

    it("refuses true, a hop count, everything (*, a /0) and what is not an address, in FR and EN", function () {
      for (const bad of [
        true,
        "true",
        "*",
        "all",
        1,
        "2",
        "0.0.0.0/0",
        "::/0",
        "0.0.0.0/0.0.0.0",
        "",
        " , ",
        "proxy.example",
        "10.0.0.0/33",
        [],
      ]) {
        let error: unknown;
        try {
          checkTrustProxy(bad);
        } catch (e) {
          error = e;
        }
        expect(error, String(bad)).to.be.instanceOf(TrustProxyError);
        expect((error as Error).message).to.match(/ \/ TRUST_PROXY : /);
      }
      expect(() => checkTrustProxy("true")).to.throw(/trust every client/);
      expect(() => checkTrustProxy("2")).to.throw(/hop count/);
      expect(() => checkTrustProxy("::/0")).to.throw(/every address/);
    });

    it("will not build an app that trusts every client, whoever builds it", async function () {
      let error: unknown;
      try {
        await buildApp({} as Relayer, {
          corsOrigins: [],
          maxBodyBytes: 16_384,
          rateLimit: { perSecond: 1, burst: 3 },
          trustProxy: true as unknown as string[],
          log: () => {},
        });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TrustProxyError);
    });

    /** An app with a test route that answers the client address the relayer sees (request.ip). */
    async function appWith(trustProxy?: string[]) {
      const built = await buildApp({} as Relayer, {
        corsOrigins: [],
        maxBodyBytes: 16_384,
        rateLimit: { perSecond: 1, burst: 3 },
        ...(trustProxy ? { trustProxy } : {}),
        log: () => {},
      });
      built.app.get("/test/ip", async (request) => ({ ip: request.ip }));
      return built.app;
    }

    const post = (app: Awaited<ReturnType<typeof appWith>>, remoteAddress: string, forwardedFor: string) =>
      app.inject({
        method: "POST",
        url: "/v1/pledges",
        remoteAddress,
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        payload: "{}",
      });

    /** How many of `n` posts from `remoteAddress`, the i-th with X-Forwarded-For `forwardedFor(i)`, the limiter let through. */
    const passing = async (
      app: Awaited<ReturnType<typeof appWith>>,
      remoteAddress: string,
      n: number,
      forwardedFor: (i: number) => string,
    ) => {
      let passed = 0;
      for (let i = 0; i < n; i++) if ((await post(app, remoteAddress, forwardedFor(i))).statusCode !== 429) passed++;
      return passed;
    };

    it("unset, ignores X-Forwarded-For: 200 requests of one client with 200 forged headers share its bucket", async function () {
      const app = await appWith();
      try {
        expect(await passing(app, "203.0.113.9", 200, (i) => `198.51.${i}.1`)).to.equal(3);
        const seen = await app.inject({
          url: "/test/ip",
          remoteAddress: "203.0.113.9",
          headers: { "x-forwarded-for": "1.2.3.4" },
        });
        expect(seen.json().ip).to.equal("203.0.113.9");
      } finally {
        await app.close();
      }
    });

    it("believes only the entry a listed proxy appended, not what the client wrote before it", async function () {
      const app = await appWith(["127.0.0.1"]);
      try {
        // The audit: a client writes its own X-Forwarded-For; the proxy appends the address it saw.
        expect(await passing(app, "127.0.0.1", 200, (i) => `198.51.${i}.1, 203.0.113.9`)).to.equal(3);
        const seen = await app.inject({
          url: "/test/ip",
          remoteAddress: "127.0.0.1",
          headers: { "x-forwarded-for": "1.2.3.4, 203.0.113.9" },
        });
        expect(seen.json().ip).to.equal("203.0.113.9");
        // Distinct clients behind the proxy each have their own bucket.
        expect(await passing(app, "127.0.0.1", 50, (i) => `192.0.${i}.7`)).to.equal(50);
        // A peer that is not a listed proxy is the client, whatever header it sends.
        const direct = await app.inject({
          url: "/test/ip",
          remoteAddress: "203.0.113.50",
          headers: { "x-forwarded-for": "192.0.2.1" },
        });
        expect(direct.json().ip).to.equal("203.0.113.50");
        expect(await passing(app, "203.0.113.50", 20, (i) => `192.0.${i}.9`)).to.equal(3);
      } finally {
        await app.close();
      }
    });

    it("stops `npm run relayer` at start, before any network call, on TRUST_PROXY=true or a hop count", async function () {
      for (const [value, pattern] of [
        ["true", /trust every client/],
        ["1", /hop count/],
      ] as const) {
        const child = spawn(process.execPath, ["--import", "tsx", "scripts/relayer/main.ts"], {
          cwd: ROOT,
          // A closed port: the relayer would fail differently if it reached the network first.
          env: { ...process.env, TRUST_PROXY: value, RPC_URL: "http://127.0.0.1:9", RELAYER_DB: ":memory:" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
        expect(code, stderr).to.equal(1);
        expect(stderr).to.match(pattern);
        expect(stderr).to.match(/TRUST_PROXY : /);
        expect(stderr).to.not.match(/ECONNREFUSED|fetch failed/);
      }
    });
  });

  describe("following a sent batch", function () {
    it("confirms a batch mined between its receipt lookup and its nonce read, instead of sending its requests again", async function () {
      const store = new Store(":memory:");
      try {
        const campaign = "0x1111111111111111111111111111111111111111";
        store.addRequest({
          id: "r1",
          kind: "pledge",
          campaign,
          pledgeKey: "0x2222222222222222222222222222222222222222",
          nonce: 0,
          level: 1,
          payload: { level: 1, support: "0", condition: 0, nonce: 0, r: "0x", vs: "0x", voucher: "0x" },
        });
        const hash = `0x${"ab".repeat(32)}` as Hex;
        store.recordBatch(
          {
            kind: "pledge",
            campaign,
            tx_nonce: 7,
            tx_hash: hash,
            raw_tx: "0x",
            max_fee_per_gas: "1",
            max_priority_fee_per_gas: "1",
            data: "0x",
            gas: "1",
            sent_at: Date.now(),
            request_count: 1,
          },
          ["r1"],
        );
        // The block lands just after the first receipt lookup: the account's nonce has moved past 7.
        let lookups = 0;
        const client = {
          getTransactionReceipt: async () => {
            lookups += 1;
            if (lookups === 1) throw new TransactionReceiptNotFoundError({ hash });
            return { status: "success", transactionHash: hash, logs: [] };
          },
          getTransactionCount: async () => 8,
        } as unknown as PublicClient;
        const account = privateKeyToAccount(generatePrivateKey());
        const submitter = new Submitter(store, client, {} as WalletClient, account, {} as Chain, {
          batchSize: 10,
          batchLatencyMs: 1_000,
          replaceAfterMs: 60_000,
          maxInFlight: 1,
          claimFee: 0n,
          maxAttempts: 3,
          log: () => {},
        });
        await submitter.step();
        expect(store.getRequest("r1")!.status).to.equal("confirmed");
        expect(store.getRequest("r1")!.attempts).to.equal(0);
        expect(lookups).to.equal(2);
      } finally {
        store.close();
      }
    });
  });

  describe("batch probe capacity", function () {
    /** `count` first pledges carrying a 256-byte voucher (a blind voucher's size). */
    async function pledges(count: number) {
      const campaign = getAddress("0x3333333333333333333333333333333333333333");
      return Promise.all(
        Array.from({ length: count }, () =>
          signPledge(
            privateKeyToAccount(generatePrivateKey()),
            campaign,
            31337,
            { level: 1, support: 0n, nonce: 0 },
            `0x${"ab".repeat(256)}`,
          ),
        ),
      );
    }

    it("carries every item where Multicall3 is deployed, and keeps a deployless call under EIP-3860's initcode limit", async function () {
      const batch = await pledges(100);
      const withMulticall3 = new BatchProbe({ getCode: async () => "0x6080" } as unknown as PublicClient, ZERO_ADDRESS);
      expect(await withMulticall3.fit(batch)).to.equal(100);
      const deployless = new BatchProbe({ getCode: async () => undefined } as unknown as PublicClient, ZERO_ADDRESS);
      const n = await deployless.fit(batch);
      expect(n).to.be.within(30, 99);
      // What viem would send for those n: the aggregate3 calldata, within the budget; one more is not.
      const calldata = (k: number) =>
        (encodeFunctionData({
          abi: multicall3Abi,
          functionName: "aggregate3",
          args: [
            batch.slice(0, k).map((p) => ({
              target: ZERO_ADDRESS,
              allowFailure: true,
              callData: encodeFunctionData({ abi: campaignAbi, functionName: "pledge", args: [encodePledge(p)] }),
            })),
          ],
        }).length -
          2) /
        2;
      expect(calldata(n)).to.be.at.most(DEPLOYLESS_CALLDATA_BYTES);
      expect(calldata(n + 1)).to.be.above(DEPLOYLESS_CALLDATA_BYTES);
      // Pledges without a voucher are smaller: more of them fit.
      expect(await deployless.fit(await pledges(1))).to.equal(1);
    });
  });

  describe("proof of work", function () {
    const base = {
      chainId: 31337,
      campaign: "0x1111111111111111111111111111111111111111",
      pledgeKey: "0x2222222222222222222222222222222222222222",
    };

    it("solves and verifies, and a solution binds the chain, the campaign and the key", function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 10 }),
          hexAddress,
          hexAddress,
          fc.integer({ min: 1, max: 1e9 }),
          (bits, campaign, pledgeKey, chainId) => {
            const c = { chainId, campaign, pledgeKey, bits };
            const nonce = solvePow(c)!;
            expect(verifyPow(c, nonce)).to.equal(true);
            expect(leadingZeroBits(powDigest(c, nonce), bits)).to.equal(true);
            // The same nonce for another key, campaign or chain is valid only by chance (2^-bits):
            // the check is that the verifier hashes what it says, i.e. agrees with powDigest.
            const other = { ...c, pledgeKey: campaign };
            expect(verifyPow(other, nonce)).to.equal(leadingZeroBits(powDigest(other, nonce), bits));
          },
        ),
        { numRuns: 100 },
      );
    });

    it("agrees with @noble/hashes' SHA-256 on every try: the solver's hand-written compression is right", function () {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          hexAddress,
          hexAddress,
          fc.integer({ min: 1, max: 2 ** 40 }),
          fc.oneof(fc.integer({ min: 0, max: 2 ** 32 + 5 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 1 })),
          (bits, campaign, pledgeKey, chainId, nonce) => {
            const c = { chainId, campaign, pledgeKey, bits };
            const solverSays = solvePow(c, { start: nonce, maxTries: 1 }) === nonce;
            expect(solverSays).to.equal(leadingZeroBits(powDigest(c, nonce), bits));
          },
        ),
        { numRuns: 2000 },
      );
    });

    it("refuses a solution for a harder difficulty than it meets, a missing or malformed nonce", function () {
      const nonce = solvePow({ ...base, bits: 12 })!;
      const digest = powDigest(base, nonce);
      let zeros = 0;
      while (leadingZeroBits(digest, zeros + 1)) zeros++;
      expect(verifyPow({ ...base, bits: zeros }, nonce)).to.equal(true);
      expect(verifyPow({ ...base, bits: zeros + 1 }, nonce)).to.equal(false);
      for (const bad of [undefined, null, -1, 1.5, "1", 2 ** 53, Number.NaN])
        expect(verifyPow({ ...base, bits: 1 }, bad)).to.equal(false);
    });

    it("takes about 2^bits tries", function () {
      let total = 0;
      const runs = 200;
      for (let i = 0; i < runs; i++)
        total += solvePow({ ...base, pledgeKey: `0x${i.toString(16).padStart(40, "0")}`, bits: 8 })! + 1;
      expect(total / runs).to.be.within(256 * 0.7, 256 * 1.3);
    });
  });

  describe("pledge digest and signer recovery", function () {
    it("computes the same EIP-712 digest as viem", function () {
      fc.assert(
        fc.property(
          hexAddress,
          fc.integer({ min: 1, max: 2 ** 40 }),
          fc.integer({ min: 0, max: 255 }),
          fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
          fc.integer({ min: 0, max: 255 }),
          fc.integer({ min: 0, max: 0xffffffff }),
          (campaign, chainId, level, support, condition, nonce) => {
            const expected = hashTypedData({
              domain: campaignDomain(campaign, chainId),
              types: PLEDGE_TYPES,
              primaryType: "Pledge",
              message: { level, support, condition, nonce },
            });
            const digester = new PledgeDigester(campaign as Address, chainId);
            expect(digester.digest({ level, support, condition, nonce })).to.equal(expected);
            // A condition left out is 0, as core's signPledge signs it.
            if (condition === 0) expect(digester.digest({ level, support, nonce })).to.equal(expected);
          },
        ),
        { numRuns: 300 },
      );
    });

    it("recovers the same signer natively as viem, and refuses a high s or a zero r", async function () {
      const native = nativeRecoverer();
      expect(native, "the secp256k1 native binding loads on this machine").to.not.equal(null);
      const campaign = getAddress("0x3333333333333333333333333333333333333333");
      for (let i = 0; i < 20; i++) {
        const key = privateKeyToAccount(generatePrivateKey());
        const signed = await signPledge(key, campaign, 31337, {
          level: 1 + (i % 3),
          support: BigInt(i),
          condition: i % 3,
          nonce: i,
        });
        const digester = new PledgeDigester(campaign, 31337);
        expect(native!.recover(digester.digestBytes(signed), signed.r, signed.vs)).to.equal(key.address);
      }
      const key = privateKeyToAccount(generatePrivateKey());
      const signed = await signPledge(key, campaign, 31337, { level: 1, support: 0n, nonce: 0 });
      const digest = new PledgeDigester(campaign, 31337).digestBytes(signed);
      const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
      const vs = BigInt(signed.vs);
      const s = vs & ((1n << 255n) - 1n);
      // The smallest s above n/2 (the malleable twin's range), with the same parity bit.
      const highS = `0x${((vs & (1n << 255n)) | (HALF_N + 1n)).toString(16).padStart(64, "0")}` as Hex;
      expect(() => native!.recover(digest, signed.r, highS)).to.throw(/INVALID_SIGNATURE/);
      expect(() => native!.recover(digest, `0x${"00".repeat(32)}`, signed.vs)).to.throw(/INVALID_SIGNATURE/);
      // A random (r, vs) recovers someone, or nobody: never the signer, never a crash.
      for (let i = 1; i < 16; i++) {
        let other: string | null = null;
        try {
          other = native!.recover(digest, `0x${i.toString(16).repeat(64)}`, signed.vs);
        } catch (error) {
          expect(String(error)).to.match(/INVALID_SIGNATURE/);
        }
        expect(other).to.not.equal(key.address);
      }
      expect(
        await recoverAddress({
          hash: `0x${Buffer.from(digest).toString("hex")}`,
          signature: { r: signed.r, yParity: Number(vs >> 255n), s: `0x${s.toString(16).padStart(64, "0")}` },
        }),
      ).to.equal(key.address);
    });
  });
});

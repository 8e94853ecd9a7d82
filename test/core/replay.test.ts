/**
 * CampaignReplay (packages/core/src/replay.ts) against a simulated endpoint, no chain: random histories
 * folded page by page give the reference model's state and tallies, keep exactly the latest events
 * for display, and size the first page from the count the contract gives (the memory peak of a
 * dense campaign's replay was its first page, near the endpoint's 10,000-result cap).
 */
import { expect } from "chai";
import fc from "fast-check";
import { type Address, encodeAbiParameters, type Hex, RpcRequestError } from "viem";
import { PageSizer, LogIntegrityError, type RawLog } from "@bascule/core/logs";
import { applyEvent, type HistoryEvent, type HistoryState, replay as modelReplay, tallies } from "@bascule/core/model";
import { CampaignReplay, decodeHistoryLog, HISTORY_TOPICS, talliesDifference } from "@bascule/core/replay";

const CAMPAIGN = "0x00000000000000000000000000000000000ca4a1" as Address;
const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, "0");
const topicOf = (address: string) => `0x${address.slice(2).padStart(64, "0")}` as Hex;

/** One log per event, in `blocks` blocks (some empty), plus logs the model ignores. */
function logsFor(events: HistoryEvent[], perBlock: number[]): RawLog[] {
  const logs: RawLog[] = [];
  let e = 0;
  for (let b = 0; b < perBlock.length && e < events.length; b++) {
    for (let i = 0; i < perBlock[b] && e < events.length; i++) {
      const ev = events[e++];
      const at = {
        blockNumber: `0x${b.toString(16)}` as Hex,
        logIndex: `0x${i.toString(16)}` as Hex,
        transactionHash: `0x${word(b * 1_000 + i)}` as Hex,
        address: CAMPAIGN,
      };
      if (ev.kind === "Pledged" || ev.kind === "PledgeChanged") {
        logs.push({
          ...at,
          topics: [HISTORY_TOPICS[ev.kind], topicOf(ev.pledgeKey)],
          data: encodeAbiParameters(
            [{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }],
            [BigInt(ev.level), ev.support, BigInt(ev.condition ?? 0)],
          ),
        });
      } else if (ev.kind === "PledgeWithdrawn") {
        logs.push({ ...at, topics: [HISTORY_TOPICS.PledgeWithdrawn, topicOf(ev.pledgeKey)], data: "0x" });
      } else {
        // A log the model does not replay (a skipped batch item, say).
        logs.push({ ...at, topics: [`0x${word(0xdead)}`], data: "0x" });
      }
    }
  }
  return logs;
}

function endpoint(logs: RawLog[], maxResults = 10_000) {
  const stats = { spans: [] as number[], sizes: [] as number[] };
  const client = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      if (method !== "eth_getLogs") throw new Error(`unexpected ${method}`);
      const f = (params as [{ fromBlock: Hex; toBlock: Hex }])[0];
      const from = Number(f.fromBlock);
      const to = Number(f.toBlock);
      const out = logs.filter((l) => Number(l.blockNumber) >= from && Number(l.blockNumber) <= to);
      stats.spans.push(to - from + 1);
      if (out.length > maxResults)
        throw new RpcRequestError({
          body: {},
          url: "http://x",
          error: { code: -32005, message: `query returned more than ${maxResults} results` },
        });
      stats.sizes.push(out.length);
      return out;
    },
  };
  return { client: client as never, stats };
}

const KEYS = Array.from({ length: 12 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}`);
const eventArb: fc.Arbitrary<HistoryEvent> = fc.oneof(
  fc.record({
    kind: fc.constant("Pledged" as const),
    pledgeKey: fc.constantFrom(...KEYS),
    level: fc.integer({ min: 1, max: 5 }),
    support: fc.constantFrom(0n, 0n, 7n, 10n ** 18n),
    // As the contract logs it: 0 when the support is 0 (the model records 0 then anyway).
    condition: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({
    kind: fc.constant("PledgeChanged" as const),
    pledgeKey: fc.constantFrom(...KEYS),
    level: fc.integer({ min: 1, max: 5 }),
    support: fc.constantFrom(0n, 3n),
    condition: fc.integer({ min: 0, max: 2 }),
  }),
  fc.record({ kind: fc.constant("PledgeWithdrawn" as const), pledgeKey: fc.constantFrom(...KEYS) }),
  fc.constant({ kind: "DonationWithdrawn" as const, donationId: 0n }), // stands for a log the model ignores (see logsFor)
);

describe("CampaignReplay", function () {
  it("folds any history, page by page, into the reference model's state, and keeps the latest events in order, whatever count sizes its first page", async function () {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 300, maxLength: 300 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 60 }),
        fc.bigInt({ min: -1n, max: 10n ** 30n }),
        async (events, perBlock, keepRecent, target, claimed) => {
          const logs = logsFor(events, perBlock);
          const history = logs.map(decodeHistoryLog).filter((e): e is HistoryEvent => e !== null);
          const { client } = endpoint(logs, 100);
          const r = new CampaignReplay({
            client,
            campaign: CAMPAIGN,
            fromBlock: 0n,
            levels: 5,
            conditions: 2,
            keepRecent,
            sizer: new PageSizer({ initialSpan: 3n, targetResults: target }),
          });
          // Whatever count the endpoint claims sizes the first page only: never what is folded.
          r.expect(claimed, 299n);
          // Resumed in two parts, as the verify page does when a new event arrives.
          await r.advanceTo(120n);
          await r.advanceTo(299n);
          const expected = modelReplay(history);
          expect(r.state.pledges).to.deep.equal(expected.pledges);
          expect(r.tallies()).to.deep.equal(tallies(5, expected, 2));
          expect(r.events).to.equal(history.length);
          const latest = logs.filter((l) => decodeHistoryLog(l) !== null).slice(-keepRecent || logs.length);
          expect(r.recent.map((x) => [x.blockNumber, x.logIndex])).to.deep.equal(
            keepRecent === 0 ? [] : latest.map((l) => [BigInt(l.blockNumber!), Number(l.logIndex)]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("sizes the first page from the contract's count: no page near the endpoint's result cap", async function () {
    // 100,000 pledges in bursts of 400 every 21 blocks, as the scale benchmark seeds them.
    const perBlock = Array.from({ length: 5_300 }, (_, b) => (b % 21 === 0 ? 400 : 0));
    const events: HistoryEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
      kind: "Pledged",
      pledgeKey: `0x${(i + 1).toString(16).padStart(40, "0")}`,
      level: 1,
      support: 0n,
    }));
    const logs = logsFor(events, perBlock);
    const { client, stats } = endpoint(logs);
    const r = new CampaignReplay({
      client,
      campaign: CAMPAIGN,
      fromBlock: 0n,
      levels: 1,
      sizer: new PageSizer({ targetResults: 1_000 }),
    });
    r.expect(100_000n, 5_299n);
    await r.advanceTo(5_299n);
    expect(r.events).to.equal(100_000);
    // Without the estimate the first page (1,000 blocks) would hold 19,200 logs: refused, then 9,600.
    expect(Math.max(...stats.sizes)).to.be.at.most(2_000);
    expect(stats.sizes.length).to.equal(stats.spans.length);
  });

  it("shares one frozen state per level for pledges without support, and never one with support", function () {
    const state: HistoryState = { pledges: new Map(), donations: new Map() };
    applyEvent(state, { kind: "Pledged", pledgeKey: "0xAA", level: 3, support: 0n });
    applyEvent(state, { kind: "Pledged", pledgeKey: "0xbb", level: 3, support: 0n });
    applyEvent(state, { kind: "Pledged", pledgeKey: "0xcc", level: 3, support: 5n });
    expect(state.pledges.get("0xaa")).to.equal(state.pledges.get("0xbb"));
    expect(Object.isFrozen(state.pledges.get("0xaa"))).to.equal(true);
    expect(state.pledges.get("0xcc")).to.deep.equal({ level: 3, support: 5n, condition: 0 });
    applyEvent(state, { kind: "PledgeWithdrawn", pledgeKey: "0xaa" });
    expect(state.pledges.get("0xaa")).to.deep.equal({ level: 0, support: 0n, condition: 0 });
    expect(state.pledges.get("0xbb")).to.deep.equal({ level: 3, support: 0n, condition: 0 });
    // A condition is kept with support, and recorded as 0 without (as the contract records it).
    applyEvent(state, { kind: "PledgeChanged", pledgeKey: "0xcc", level: 3, support: 5n, condition: 2 });
    expect(state.pledges.get("0xcc")).to.deep.equal({ level: 3, support: 5n, condition: 2 });
    applyEvent(state, { kind: "Pledged", pledgeKey: "0xdd", level: 3, support: 0n, condition: 2 });
    expect(state.pledges.get("0xdd")).to.equal(state.pledges.get("0xbb"));
  });

  it("decodes the condition of Pledged and PledgeChanged, and refuses their data without it", function () {
    const key = KEYS[0];
    const data = encodeAbiParameters(
      [{ type: "uint256" }, { type: "uint256" }, { type: "uint256" }],
      [4n, 75n * 10n ** 18n, 2n],
    );
    for (const kind of ["Pledged", "PledgeChanged"] as const) {
      expect(decodeHistoryLog({ topics: [HISTORY_TOPICS[kind], topicOf(key)], data })).to.deep.equal({
        kind,
        pledgeKey: key,
        level: 4,
        support: 75n * 10n ** 18n,
        condition: 2,
      });
      // The event before conditions had two words: a log cut to them is not a campaign's.
      const short = encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [4n, 75n]);
      expect(() => decodeHistoryLog({ topics: [HISTORY_TOPICS[kind], topicOf(key)], data: short })).to.throw(
        LogIntegrityError,
      );
    }
  });

  it("tells tallies apart by each condition's part, even where the totals are equal", function () {
    const state: HistoryState = { pledges: new Map(), donations: new Map() };
    applyEvent(state, { kind: "Pledged", pledgeKey: "0x01", level: 2, support: 5n, condition: 1 });
    applyEvent(state, { kind: "Pledged", pledgeKey: "0x02", level: 2, support: 5n, condition: 0 });
    const a = tallies(3, state, 2);
    // The same pledge moved from condition 1 to condition 2: the totals stay, condition 1's part changes.
    applyEvent(state, { kind: "PledgeChanged", pledgeKey: "0x01", level: 2, support: 5n, condition: 2 });
    const b = tallies(3, state, 2);
    expect([a.counts, a.requested]).to.deep.equal([b.counts, b.requested]);
    expect(talliesDifference(a, a)).to.equal(null);
    expect(talliesDifference(a, b)).to.deep.equal({ field: "conditional", level: 2, left: 1n, right: 0n });
  });
});

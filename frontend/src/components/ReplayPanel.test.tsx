import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HISTORY_GENESIS } from "@bascule/core/history";
import { I18nProvider } from "../i18n/i18n.tsx";
import type { Lang } from "../i18n/index.ts";
import type { ReplayDoneMessage } from "../lib/replay-protocol.ts";
import type { CampaignLive, CampaignStatic } from "../lib/types.ts";
import { ReplayPanel } from "./ReplayPanel.tsx";

const replay = vi.hoisted(() => ({ current: null as unknown }));
vi.mock("../hooks/useReplay.ts", () => ({ useReplay: () => replay.current }));

afterEach(cleanup);

const s = {
  address: "0x00000000000000000000000000000000000000c0",
  createdAt: 1n,
  params: { ladder: [2, 5], conditions: [] },
} as unknown as CampaignStatic;
const live = { tallies: { counts: [0n, 0n], requested: [0n, 0n], donated: [0n, 0n] } } as unknown as CampaignLive;

/** A complete replay whose tallies match and whose endpoint gave `seen` of the contract's `expected` events. */
function done(expected: bigint, seen: bigint, digest = HISTORY_GENESIS): ReplayDoneMessage {
  const tallies = live.tallies;
  return {
    type: "done",
    block: 1_234n,
    match: expected === seen && digest === HISTORY_GENESIS,
    onChainHistory: { count: expected, digest: HISTORY_GENESIS },
    replayedHistory: { count: seen, digest },
    historyMatches: expected === seen && digest === HISTORY_GENESIS,
    difference: null,
    events: Number(seen),
    pages: 1,
    replayed: tallies,
    onChain: tallies,
    recent: [],
    ms: 1_000,
  };
}

function panel(lang: Lang, result: ReplayDoneMessage) {
  replay.current = { status: "done", progress: null, result, error: null, fraction: 1, cancel() {}, restart() {} };
  render(
    <I18nProvider initial={lang}>
      <ReplayPanel s={s} live={live} />
    </I18nProvider>,
  );
  return screen.getByTestId("verify-result");
}

const ALTERED = `0x${"ab".repeat(24)}` as const;

describe("ReplayPanel", () => {
  it("says NOT VERIFIED, with the count expected and seen, for an endpoint hiding or altering history (EN)", () => {
    const none = panel("en", done(12n, 12n, ALTERED));
    expect(none.dataset.state).toBe("mismatch");
    expect(none.textContent).toBe(
      "✘ NOT VERIFIED: the RPC endpoint's history is incomplete or altered. Up to block 1,234 the contract has recorded 12 events; the endpoint gave 12 events: none is missing, but some were changed, added or reordered. Use another endpoint.",
    );
    cleanup();
    expect(panel("en", done(2n, 1n)).textContent).toBe(
      "✘ NOT VERIFIED: the RPC endpoint's history is incomplete or altered. Up to block 1,234 the contract has recorded 2 events; the endpoint gave 1 event: 1 is missing. Use another endpoint.",
    );
    cleanup();
    expect(panel("en", done(1_004n, 4n)).textContent).toBe(
      "✘ NOT VERIFIED: the RPC endpoint's history is incomplete or altered. Up to block 1,234 the contract has recorded 1,004 events; the endpoint gave 4 events: 1,000 are missing. Use another endpoint.",
    );
  });

  it("says NON VÉRIFIÉ, with the count expected and seen, for an endpoint hiding or altering history (FR)", () => {
    // French punctuation and thousands take narrow no-break spaces: compared here as spaces.
    const plain = (e: HTMLElement) => e.textContent?.replace(/[\u202f\u00a0]/g, " ");
    expect(plain(panel("fr", done(12n, 12n, ALTERED)))).toBe(
      "✘ NON VÉRIFIÉ : l’historique du point d’accès RPC est incomplet ou altéré. Jusqu’au bloc 1 234, le contrat a enregistré 12 événements ; le point d’accès en a donné 12 : aucun ne manque, mais certains ont été modifiés, ajoutés ou réordonnés. Utilisez un autre point d’accès.",
    );
    cleanup();
    expect(plain(panel("fr", done(1n, 0n)))).toBe(
      `✘ NON VÉRIFIÉ : l’historique du point d’accès RPC est incomplet ou altéré. Jusqu’au bloc 1 234, le contrat a enregistré 1 événement ; le point d’accès en a donné 0 : 1 manque. Utilisez un autre point d’accès.`,
    );
    cleanup();
    expect(plain(panel("fr", done(3_000n, 1_000n)))).toBe(
      `✘ NON VÉRIFIÉ : l’historique du point d’accès RPC est incomplet ou altéré. Jusqu’au bloc 1 234, le contrat a enregistré 3 000 événements ; le point d’accès en a donné 1 000 : 2 000 manquent. Utilisez un autre point d’accès.`,
    );
  });

  it("says it matches when the history and the tallies do", () => {
    const ok = panel("en", done(0n, 0n));
    expect(ok.dataset.state).toBe("match");
  });
});

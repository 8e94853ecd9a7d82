import { describe, expect, it } from "vitest";
import { verifyPow } from "@bascule/core/pow";
import { solvePowInWorker } from "./usePow.ts";

const challenge = {
  chainId: 31337,
  campaign: "0x1111111111111111111111111111111111111111",
  pledgeKey: "0x2222222222222222222222222222222222222222",
};

describe("solvePowInWorker", () => {
  it("finds a nonce the relayer accepts, reporting progress on the way (no Worker here: same thread)", async () => {
    const seen: number[] = [];
    const nonce = await solvePowInWorker({ ...challenge, bits: 18 }, (p) => seen.push(p.fraction));
    expect(verifyPow({ ...challenge, bits: 18 }, nonce)).toBe(true);
    // This challenge's first solution is nonce 145,393: progress came at 65,536 and 131,072 tries.
    expect(nonce).toBe(145_393);
    expect(seen.length).toBe(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    for (const f of seen) {
      expect(f).toBeGreaterThan(0);
      expect(f).toBeLessThan(1);
    }
  });

  it("asks nothing when the relayer asks no work", async () => {
    await expect(solvePowInWorker({ ...challenge, bits: 0 }, () => {})).resolves.toBe(0);
  });
});

import { BaseError, ContractFunctionRevertedError, encodeErrorResult, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { campaignAbi } from "../generated.ts";
import { translator } from "../i18n/i18n.tsx";
import { humanError, RelayerDownError, RelayerError, WrongNetworkError } from "./errors.ts";

const en = translator("en");
const fr = translator("fr");

describe("humanError", () => {
  it("shows the relayer's refusal in the person's language", () => {
    const e = new RelayerError("DEADLINE_PASSED", { en: "Too late", fr: "Trop tard" }, 409);
    expect(humanError(e, fr, "fr")).toBe("Trop tard");
    expect(humanError(e, en, "en")).toBe("Too late");
  });
  it("explains a rejected signature and an unreachable relayer", () => {
    expect(humanError(new UserRejectedRequestError(new Error("User rejected")), fr, "fr")).toBe(fr("errors.errRejected"));
    expect(humanError({ code: 4001 }, en, "en")).toBe(en("errors.errRejected"));
    expect(humanError(new RelayerDownError("down"), en, "en")).toBe(en("errors.errRelayerDown"));
  });
  it("names a passed deadline from the contract's custom error", () => {
    const data = encodeErrorResult({ abi: campaignAbi, errorName: "PledgeDeadlinePassed", args: [123n] });
    const revert = new ContractFunctionRevertedError({ abi: campaignAbi, data, functionName: "pledge" });
    const e = new BaseError("call reverted", { cause: revert });
    expect(humanError(e, fr, "fr")).toBe(fr("errors.errDeadlinePassed"));
  });
  it("explains a wallet on the wrong network", () => {
    expect(humanError(new WrongNetworkError("chain 1"), fr, "fr")).toBe(fr("errors.errWrongNetwork"));
  });
  it("explains insufficient funds from the node's message", () => {
    expect(humanError(new BaseError("insufficient funds for gas * price + value"), en, "en")).toBe(en("errors.errFunds"));
  });
  it("explains an unreachable node", () => {
    expect(humanError(new TypeError("Failed to fetch"), en, "en")).toBe(en("errors.errRpc"));
  });
});

import { BaseError, ContractFunctionRevertedError, encodeErrorResult, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { campaignAbi } from "../generated.ts";
import { en, fr } from "../i18n/messages.ts";
import { humanError, RelayerDownError, RelayerError, WrongNetworkError } from "./errors.ts";

describe("humanError", () => {
  it("shows the relayer's refusal in the person's language", () => {
    const e = new RelayerError("DEADLINE_PASSED", { en: "Too late", fr: "Trop tard" }, 409);
    expect(humanError(e, fr, "fr")).toBe("Trop tard");
    expect(humanError(e, en, "en")).toBe("Too late");
  });
  it("explains a rejected signature and an unreachable relayer", () => {
    expect(humanError(new UserRejectedRequestError(new Error("User rejected")), fr, "fr")).toBe(fr.errRejected);
    expect(humanError({ code: 4001 }, en, "en")).toBe(en.errRejected);
    expect(humanError(new RelayerDownError("down"), en, "en")).toBe(en.errRelayerDown);
  });
  it("names a passed deadline from the contract's custom error", () => {
    const data = encodeErrorResult({ abi: campaignAbi, errorName: "PledgeDeadlinePassed", args: [123n] });
    const revert = new ContractFunctionRevertedError({ abi: campaignAbi, data, functionName: "pledge" });
    const e = new BaseError("call reverted", { cause: revert });
    expect(humanError(e, fr, "fr")).toBe(fr.errDeadlinePassed);
  });
  it("explains a wallet on the wrong network", () => {
    expect(humanError(new WrongNetworkError("chain 1"), fr, "fr")).toBe(fr.errWrongNetwork);
  });
  it("explains insufficient funds from the node's message", () => {
    expect(humanError(new BaseError("insufficient funds for gas * price + value"), en, "en")).toBe(en.errFunds);
  });
  it("explains an unreachable node", () => {
    expect(humanError(new TypeError("Failed to fetch"), en, "en")).toBe(en.errRpc);
  });
});

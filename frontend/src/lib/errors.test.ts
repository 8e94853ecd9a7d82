import {
  BaseError,
  ChainMismatchError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  encodeErrorResult,
  getContractError,
  HttpRequestError,
  InsufficientFundsError,
  InvalidParamsRpcError,
  RpcRequestError,
  UserRejectedRequestError,
  zeroAddress,
} from "viem";
import { mainnet } from "viem/chains";
import { describe, expect, it } from "vitest";
import { campaignAbi } from "@bascule/core/generated/abis";
import { translator } from "../i18n/i18n.tsx";
import { messages } from "../i18n/index.ts";
import {
  AppError,
  classifyError,
  humanError,
  NotACampaignError,
  RelayerDownError,
  RelayerError,
  WrongNetworkError,
} from "./errors.ts";

const en = translator("en");
const fr = translator("fr");

/** A contract revert as viem reports it from a write or a simulation. */
function revert(errorName: string) {
  // zero arguments of the right types, whatever the ABI's current signature
  const inputs = (
    campaignAbi as unknown as readonly { type: string; name?: string; inputs?: { type: string }[] }[]
  ).find((x) => x.type === "error" && x.name === errorName)!.inputs!;
  const args = inputs.map((i) =>
    i.type === "address" ? zeroAddress : i.type === "bool" ? false : i.type.startsWith("bytes") ? "0x" : 0n,
  );
  const data = encodeErrorResult({ abi: campaignAbi, errorName, args } as Parameters<typeof encodeErrorResult>[0]);
  const cause = new ContractFunctionRevertedError({ abi: campaignAbi, data, functionName: "pledge" });
  return new ContractFunctionExecutionError(cause, { abi: campaignAbi, functionName: "pledge", args: [] });
}

/** One error of each class a person may meet, as the libraries throw it. */
const cases: [string, unknown, string][] = [
  [
    "wrong campaign address (the contract returns no data)",
    new ContractFunctionExecutionError(new ContractFunctionZeroDataError({ functionName: "parameters" }), {
      abi: campaignAbi,
      functionName: "parameters",
      args: [],
    }),
    "notCampaign",
  ],
  ["an address the factory does not know", new NotACampaignError("0xabc"), "notCampaign"],
  [
    "oversized donation (the wallet refuses the parameters)",
    new InvalidParamsRpcError(new Error("Missing or invalid parameters.")),
    "invalidRequest",
  ],
  ["relayer down", new RelayerDownError("fetch failed"), "relayerDown"],
  ["user rejected in the wallet", new UserRejectedRequestError(new Error("User rejected the request.")), "rejected"],
  ["user rejected (EIP-1193 code only)", { code: 4001, message: "denied" }, "rejected"],
  ["wrong network", new ChainMismatchError({ chain: mainnet, currentChainId: 31337 }), "wrongNetwork"],
  ["wrong network (the wallet would not switch)", new WrongNetworkError("chain 1"), "wrongNetwork"],
  [
    "insufficient funds",
    new InsufficientFundsError({ cause: new BaseError("insufficient funds for gas * price + value") }),
    "funds",
  ],
  ["insufficient funds (node message only)", new BaseError("insufficient funds for gas * price + value"), "funds"],
  [
    // Hardhat's node answers a call whose value exceeds the sender's balance with -32603, which
    // viem's simulateContract reads as a revert without data (seen donating more than the wallet held)
    "insufficient funds (a simulation on a Hardhat node)",
    getContractError(
      new RpcRequestError({
        body: { method: "eth_call" },
        url: "http://127.0.0.1:8545",
        error: {
          code: -32603,
          message:
            "Sender doesn't have enough funds to send tx. The max upfront cost is: 100000000000000000000000 and the sender's account only has: 9999998",
        },
      }),
      { abi: campaignAbi, functionName: "donate", args: [] },
    ),
    "funds",
  ],
  ["a claim to address zero (the contract refuses it)", revert("ZeroPayee"), "payeeZero"],
  ["node unreachable", new HttpRequestError({ url: "http://127.0.0.1:8545", details: "fetch failed" }), "rpc"],
  ["node unreachable (fetch)", new TypeError("Failed to fetch"), "rpc"],
  ["deadline passed", revert("PledgeDeadlinePassed"), "deadlinePassed"],
  ["no voucher", revert("InvalidVoucher"), "attester"],
  ["support above cap", revert("SupportAboveCap"), "supportAboveCap"],
  ["stale receipt", revert("InvalidNonce"), "staleReceipt"],
  ["a revert without a sentence of its own", revert("EmptyBatch"), "contract"],
  ["missing proof", new AppError("proofMissing"), "proofMissing"],
  ["anything else", new Error("kaboom 0xdeadbeef"), "unknown"],
];

describe("classifyError", () => {
  it.each(cases)("%s", (_, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });
});

describe("humanError", () => {
  it.each(cases)("never shows a raw error, in French and English: %s", (_, error, expected) => {
    for (const [t, lang] of [
      [en, "en"],
      [fr, "fr"],
    ] as const) {
      const text = humanError(error, t, lang);
      expect(text).toBe(messages[lang][`errors.${expected}` as keyof typeof messages.en]);
      expect(text).not.toMatch(/0x|kaboom|fetch|Missing or invalid|returned no data|Error/);
    }
  });

  it("shows the relayer's refusal in the person's language", () => {
    const e = new RelayerError("DEADLINE_PASSED", { en: "Too late", fr: "Trop tard" }, 409);
    expect(humanError(e, fr, "fr")).toBe("Trop tard");
    expect(humanError(e, en, "en")).toBe("Too late");
  });

  it("says what to do next for every class, in both languages", () => {
    const ids = Object.keys(messages.en).filter((k) => k.startsWith("errors."));
    for (const id of ids) {
      const k = id as keyof typeof messages.en;
      expect(messages.en[k]).not.toBe(messages.fr[k]);
      expect(messages.en[k].length, id).toBeGreaterThan(15);
    }
  });
});

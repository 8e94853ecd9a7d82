import {
  BaseError,
  ContractFunctionRevertedError,
  ContractFunctionZeroDataError,
  HttpRequestError,
  InsufficientFundsError,
  InvalidInputRpcError,
  InvalidParamsRpcError,
  TimeoutError,
  UserRejectedRequestError,
} from "viem";
import type { Lang, MessageId, Translate } from "../i18n/i18n.tsx";

/** A refusal from the relayer: its message comes in both languages. */
export class RelayerError extends Error {
  constructor(
    public readonly code: string,
    public readonly messages: { en: string; fr: string },
    public readonly status: number,
    /** What the service said besides (ALREADY_PAID: when and by whom). */
    public readonly details?: Record<string, unknown>,
  ) {
    super(messages.en);
  }
}

/** The relayer could not be reached at all (network error, 5xx): fall back to a wallet. */
export class RelayerDownError extends Error {}

/** The wallet is on another chain and would not switch. */
export class WrongNetworkError extends Error {}

/** The address is not a campaign of the configured factory (wrong link, another network, rogue clone). */
export class NotACampaignError extends Error {}

/** An error of the dApp's own, already named by the sentence a person should read. */
export class AppError extends Error {
  constructor(public readonly id: ErrorClass) {
    super(id);
  }
}

/** The contract's custom errors a person can meet, and the sentence each one gets. */
const REVERTS: Record<string, ErrorClass> = {
  PledgeDeadlinePassed: "deadlinePassed",
  FinalLockActive: "finalLock",
  CampaignNotOpen: "campaignNotOpen",
  PledgeNotTriggered: "notTriggered",
  NothingToClaim: "nothing",
  InvalidVoucher: "attester",
  SupportAboveCap: "supportAboveCap",
  LevelOutOfRange: "levelOutOfRange",
  LevelLimitExceeded: "levelOutOfRange",
  InvalidNonce: "staleReceipt",
  AlreadyClaimed: "alreadyClaimed",
  ClaimWindowClosed: "claimWindowClosed",
  ParticipationPending: "participationPending",
  ParticipationMissing: "notParticipant",
  NotAParticipant: "notParticipant",
  NotPledged: "notPledged",
  FeeTooHigh: "feeTooHigh",
  InvalidDonationAmount: "donationAmount",
  WrongValue: "donationAmount",
  NotDonor: "notDonor",
  NotResolved: "notResolved",
  AlreadyResolved: "alreadyResolved",
  PledgeDeadlineNotPassed: "deadlineNotPassed",
  InsufficientBalance: "funds",
  ERC20InsufficientBalance: "funds",
  ERC20InsufficientAllowance: "noPermit",
  ZeroPayee: "payeeZero",
};

/**
 * A node's words for "the sender cannot pay": geth's "insufficient funds for gas * price + value",
 * Hardhat's "Sender doesn't have enough funds to send tx", a token's "transfer amount exceeds balance".
 */
const NO_FUNDS = /insufficient funds|enough funds|exceeds balance/i;

/** Every class of error a person may see; each is a message id `errors.<class>`. */
export type ErrorClass =
  | "wrongNetwork"
  | "rejected"
  | "funds"
  | "payeeZero"
  | "invalidRequest"
  | "rpc"
  | "relayerDown"
  | "pledgeNotSeen"
  | "notCampaign"
  | "campaignNotOpen"
  | "deadlinePassed"
  | "finalLock"
  | "notTriggered"
  | "nothing"
  | "attester"
  | "supportAboveCap"
  | "levelOutOfRange"
  | "staleReceipt"
  | "alreadyClaimed"
  | "claimWindowClosed"
  | "participationPending"
  | "notParticipant"
  | "notPledged"
  | "feeTooHigh"
  | "donationAmount"
  | "notDonor"
  | "notResolved"
  | "alreadyResolved"
  | "deadlineNotPassed"
  | "noPermit"
  | "proofMissing"
  | "contract"
  | "unknown";

const named = (e: unknown, name: string) => (e as Error | null)?.name === name;

/**
 * The class of an error, whatever threw it (wallet, node, contract, relayer, the dApp).
 * @example classifyError(new UserRejectedRequestError(new Error())) // "rejected"
 */
export function classifyError(error: unknown): ErrorClass | "relayer" {
  if (error instanceof RelayerError) return "relayer";
  if (error instanceof AppError) return error.id;
  if (error instanceof RelayerDownError) return "relayerDown";
  if (error instanceof WrongNetworkError) return "wrongNetwork";
  if (error instanceof NotACampaignError) return "notCampaign";
  if (error instanceof BaseError) {
    const has = (test: (e: unknown) => boolean) => !!error.walk((e) => test(e));
    if (has((e) => e instanceof UserRejectedRequestError)) return "rejected";
    if (has((e) => e instanceof InsufficientFundsError)) return "funds";
    if (
      has(
        (e) =>
          named(e, "ChainMismatchError") ||
          named(e, "ConnectorChainMismatchError") ||
          named(e, "SwitchChainNotSupportedError"),
      )
    )
      return "wrongNetwork";
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (revert) {
      const name = revert.data?.errorName;
      if (name) return REVERTS[name] ?? "contract";
      // A node that cannot run the call at all (the sender lacks the value) answers like a revert
      // without data (viem reads -32603 as one): the message says why.
      if (has((e) => e instanceof Error && NO_FUNDS.test(e.message))) return "funds";
      return "contract";
    }
    if (has((e) => e instanceof ContractFunctionZeroDataError)) return "notCampaign";
    if (has((e) => e instanceof InvalidParamsRpcError || e instanceof InvalidInputRpcError)) return "invalidRequest";
    if (has((e) => e instanceof HttpRequestError || e instanceof TimeoutError)) return "rpc";
    if (/rejected|denied/i.test(error.message)) return "rejected";
    if (NO_FUNDS.test(error.message)) return "funds";
    if (/returned no data|is not a contract/i.test(error.message)) return "notCampaign";
    return "unknown";
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return "rpc";
  const code = (error as { code?: number } | null)?.code;
  if (code === 4001) return "rejected";
  if (code === 4902 || code === 4901) return "wrongNetwork";
  if (code === -32602) return "invalidRequest";
  return "unknown";
}

/** The human message, in the person's language, for anything that can go wrong; never a raw error. */
export function humanError(error: unknown, t: Translate, lang: Lang): string {
  const c = classifyError(error);
  if (c === "relayer") return (error as RelayerError).messages[lang] ?? (error as RelayerError).messages.en;
  return t(`errors.${c}` as MessageId);
}

import { BaseError, ContractFunctionRevertedError, HttpRequestError, InsufficientFundsError, UserRejectedRequestError } from "viem";
import type { Lang, MessageId, Translate } from "../i18n/i18n.tsx";

/** A refusal from the relayer: its message comes in both languages. */
export class RelayerError extends Error {
  constructor(
    public readonly code: string,
    public readonly messages: { en: string; fr: string },
    public readonly status: number,
  ) {
    super(messages.en);
  }
}

/** The relayer could not be reached at all (network error, 5xx): fall back to a wallet. */
export class RelayerDownError extends Error {}

/** The wallet is on another chain and would not switch. */
export class WrongNetworkError extends Error {}

const REVERTS: Record<string, MessageId> = {
  PledgeDeadlinePassed: "errors.errDeadlinePassed",
  PledgeNotTriggered: "errors.errNotTriggered",
  NothingToClaim: "errors.errNothing",
  InvalidVoucher: "errors.errAttester",
};

/** The human message, in the person's language, for anything that can go wrong. */
export function humanError(error: unknown, t: Translate, lang: Lang): string {
  if (error instanceof RelayerError) return error.messages[lang] ?? error.messages.en;
  if (error instanceof RelayerDownError) return t("errors.errRelayerDown");
  if (error instanceof WrongNetworkError) return t("errors.errWrongNetwork");
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return t("errors.errRejected");
    if (error.walk((e) => e instanceof InsufficientFundsError)) return t("errors.errFunds");
    if (error.name === "ChainMismatchError" || error.walk((e) => (e as Error).name === "ChainMismatchError"))
      return t("errors.errWrongNetwork");
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name && REVERTS[name]) return t(REVERTS[name]);
    if (name) return `${t("errors.errUnknown")} (${name})`;
    if (error.walk((e) => e instanceof HttpRequestError)) return t("errors.errRpc");
    if (/rejected|denied/i.test(error.message)) return t("errors.errRejected");
    if (/insufficient funds/i.test(error.message)) return t("errors.errFunds");
    return `${t("errors.errUnknown")} ${error.shortMessage}`;
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) return t("errors.errRpc");
  const code = (error as { code?: number } | null)?.code;
  if (code === 4001) return t("errors.errRejected");
  return t("errors.errUnknown");
}

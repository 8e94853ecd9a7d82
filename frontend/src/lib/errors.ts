import { BaseError, ContractFunctionRevertedError, HttpRequestError, InsufficientFundsError, UserRejectedRequestError } from "viem";
import type { Messages } from "../i18n/messages.ts";
import type { Lang } from "../i18n/messages.ts";

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

const REVERTS: Record<string, keyof Messages> = {
  PledgeDeadlinePassed: "errDeadlinePassed",
  PledgeNotTriggered: "errNotTriggered",
  NothingToClaim: "errNothing",
  InvalidVoucher: "errAttester",
};

/** The human message, in the person's language, for anything that can go wrong. */
export function humanError(error: unknown, t: Messages, lang: Lang): string {
  if (error instanceof RelayerError) return error.messages[lang] ?? error.messages.en;
  if (error instanceof RelayerDownError) return t.errRelayerDown;
  if (error instanceof WrongNetworkError) return t.errWrongNetwork;
  if (error instanceof BaseError) {
    if (error.walk((e) => e instanceof UserRejectedRequestError)) return t.errRejected;
    if (error.walk((e) => e instanceof InsufficientFundsError)) return t.errFunds;
    if (error.name === "ChainMismatchError" || error.walk((e) => (e as Error).name === "ChainMismatchError"))
      return t.errWrongNetwork;
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    const name = revert?.data?.errorName;
    if (name && REVERTS[name]) return t[REVERTS[name]] as string;
    if (name) return `${t.errUnknown} (${name})`;
    if (error.walk((e) => e instanceof HttpRequestError)) return t.errRpc;
    if (/rejected|denied/i.test(error.message)) return t.errRejected;
    if (/insufficient funds/i.test(error.message)) return t.errFunds;
    return `${t.errUnknown} ${error.shortMessage}`;
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) return t.errRpc;
  const code = (error as { code?: number } | null)?.code;
  if (code === 4001) return t.errRejected;
  return t.errUnknown;
}

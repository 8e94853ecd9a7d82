import type { Hex } from "viem";
import { useApp } from "../hooks/app.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";

/** A link to a transaction on the chain's block explorer, where the chain has one. */
export function TxLink({ hash }: { hash?: Hex }) {
  const { config } = useApp();
  const { t } = useI18n();
  const explorer = EXPLORERS[config.chainId];
  if (!hash || !explorer) return null;
  return (
    <a href={`${explorer}/tx/${hash}`} rel="noreferrer noopener" target="_blank" data-testid="tx-link">
      {t("receipt.explorerTx")}
    </a>
  );
}

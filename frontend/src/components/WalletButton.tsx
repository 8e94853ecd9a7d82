import { useAccount, useConnect, useConnectors, useDisconnect } from "wagmi";
import { useI18n } from "../i18n/i18n.tsx";
import { shortAddress } from "../lib/format.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** Wallet discovery: every EIP-6963 wallet that announced itself, or the browser's injected one. */
export function WalletButton() {
  const { t } = useI18n();
  const { address, isConnected } = useAccount();
  const connectors = useConnectors();
  const { connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  if (isConnected && address) {
    return (
      <div className="wallet">
        <span data-testid="wallet-address">{t("common.connectedAs", { address: shortAddress(address) })}</span>{" "}
        <button type="button" className="link" onClick={() => disconnect()}>
          {t("common.disconnect")}
        </button>
      </div>
    );
  }
  const announced = connectors.filter((c) => c.type !== "injected" || c.id !== "injected");
  const hasInjected = typeof window !== "undefined" && "ethereum" in window;
  const shown = announced.length > 0 ? announced : hasInjected ? connectors : [];
  return (
    <div className="wallet">
      {shown.length === 0 && <p>{t("common.noWallet")}</p>}
      {shown.map((c) => (
        <button key={c.uid} type="button" disabled={isPending} onClick={() => connect({ connector: c })}>
          {t("common.connectWallet")}
          {c.name && c.id !== "injected" ? ` — ${c.name}` : ""}
        </button>
      ))}
      <ErrorNote error={error} />
    </div>
  );
}

/**
 * An injected EIP-1193 wallet for the end-to-end tests: announced with EIP-6963 and as
 * window.ethereum, it forwards every request to the dApp's own /rpc (the local Hardhat node),
 * where the account is unlocked, so eth_sendTransaction and eth_signTypedData_v4 just work.
 * Returned as a script string for `page.addInitScript`.
 */
export function injectedWalletScript(account: string, chainIdHex: string): string {
  return `(() => {
  const account = ${JSON.stringify(account)};
  const chainId = ${JSON.stringify(chainIdHex)};
  const listeners = {};
  let id = 0;
  let connected = localStorage.getItem("testwallet.connected") === "1";
  const setConnected = (v) => { connected = v; localStorage.setItem("testwallet.connected", v ? "1" : "0"); };
  async function forward(method, params) {
    const r = await fetch("./rpc", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params: params || [] }) });
    const body = await r.json();
    if (body.error) { const e = new Error(body.error.message); e.code = body.error.code; e.data = body.error.data; throw e; }
    return body.result;
  }
  const provider = {
    isTestWallet: true,
    async request({ method, params }) {
      switch (method) {
        case "eth_requestAccounts": setConnected(true); (listeners.connect || []).forEach((f) => f({ chainId })); return [account];
        case "eth_accounts": return connected ? [account] : [];
        case "eth_chainId": return chainId;
        case "net_version": return String(parseInt(chainId, 16));
        case "wallet_switchEthereumChain": return null;
        case "wallet_requestPermissions": setConnected(true); return [{ parentCapability: "eth_accounts" }];
        case "wallet_getPermissions": return connected ? [{ parentCapability: "eth_accounts" }] : [];
        case "wallet_revokePermissions": setConnected(false); return null;
        default: return forward(method, params);
      }
    },
    on(event, fn) { (listeners[event] = listeners[event] || []).push(fn); return provider; },
    removeListener(event, fn) { listeners[event] = (listeners[event] || []).filter((f) => f !== fn); return provider; },
  };
  window.ethereum = provider;
  const info = { uuid: "7d1f6a7e-0000-4000-8000-000000000001", name: "Test Wallet", icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E", rdns: "org.bascule.testwallet" };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}

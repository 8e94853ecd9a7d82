import { useQuery } from "@tanstack/react-query";
import type { Address, Hex, PublicClient } from "viem";
import {
  CAMPAIGN_ARGS_LAYOUT,
  type CampaignCodeReturnType,
  ERC1167_SIZE,
  decodeCampaignCode,
  differingParameters,
} from "@bascule/core/clone";
import { campaignFactoryAbi } from "@bascule/core/generated/abis";
import { useApp } from "../hooks/app.tsx";
import { useCampaignStatic } from "../hooks/useCampaign.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { EXPLORERS } from "../lib/config.ts";

/** Long hex strings wrap anywhere rather than widen the page on a phone. */
const WRAP = { overflowWrap: "anywhere" } as const;

/** Blockscout instances per chain id (none for local chains). */
export const BLOCKSCOUT: Record<number, string> = {
  1: "https://eth.blockscout.com",
  10: "https://optimism.blockscout.com",
  100: "https://gnosis.blockscout.com",
  8453: "https://base.blockscout.com",
  42161: "https://arbitrum.blockscout.com",
  10200: "https://gnosis-chiado.blockscout.com",
  84532: "https://base-sepolia.blockscout.com",
  421614: "https://arbitrum-sepolia.blockscout.com",
  11155111: "https://eth-sepolia.blockscout.com",
  11155420: "https://optimism-sepolia.blockscout.com",
};

/** Chains no public explorer or verifier knows (Hardhat, Anvil, Ganache, geth --dev). */
const LOCAL_CHAINS = new Set([31337, 1337]);

/** Where to check an address's code, by explorer; empty on a local chain. */
export function codeLinks(chainId: number, address: Address): { name: string; href: string }[] {
  if (LOCAL_CHAINS.has(chainId)) return [];
  const links = [{ name: "Sourcify", href: `https://repo.sourcify.dev/${chainId}/${address}` }];
  if (EXPLORERS[chainId]) links.push({ name: "Etherscan", href: `${EXPLORERS[chainId]}/address/${address}#code` });
  if (BLOCKSCOUT[chainId]) links.push({ name: "Blockscout", href: `${BLOCKSCOUT[chainId]}/address/${address}?tab=contract` });
  return links;
}

/** The CBOR metadata solc appends (its length is in the last two bytes), or null. */
export function metadataOf(code: Hex): Hex | null {
  const bytes = code.slice(2);
  if (bytes.length < 4) return null;
  const length = parseInt(bytes.slice(-4), 16);
  if (length * 2 + 4 > bytes.length) return null;
  return `0x${bytes.slice(-(length * 2 + 4), -4)}` as Hex;
}

export interface CodeFactsData {
  facts: CampaignCodeReturnType;
  implementation: Address;
  implementationMetadata: Hex | null;
  listedByFactory: boolean;
  codeSize: number;
}

/** Reads what the three facts need: the campaign's code, the factory's implementation and record. */
export async function readCodeFacts(client: PublicClient, factory: Address, campaign: Address): Promise<CodeFactsData> {
  const [code, implementation, listedByFactory] = await Promise.all([
    client.getCode({ address: campaign }),
    client.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "implementation" }),
    client.readContract({ address: factory, abi: campaignFactoryAbi, functionName: "isCampaign", args: [campaign] }),
  ]);
  const implementationCode = await client.getCode({ address: implementation });
  return {
    facts: decodeCampaignCode(code, implementation),
    implementation,
    implementationMetadata: implementationCode ? metadataOf(implementationCode) : null,
    listedByFactory,
    codeSize: code ? (code.length - 2) / 2 : 0,
  };
}

function Links({ chainId, address }: { chainId: number; address: Address }) {
  const { t } = useI18n();
  const links = codeLinks(chainId, address);
  if (links.length === 0) return null;
  return (
    <p>
      {t("verifyCode.links")}{" "}
      {links.map((l, i) => (
        <span key={l.name}>
          {i > 0 && " · "}
          <a href={l.href} rel="noreferrer noopener" target="_blank">
            {l.name}
          </a>
        </span>
      ))}
    </p>
  );
}

/** ✔ or ✘ before a sentence that says the same in words. */
function Mark({ ok }: { ok: boolean }) {
  return (
    <span aria-hidden="true" className={ok ? "ok" : "error"}>
      {ok ? "✔" : "✘"}{" "}
    </span>
  );
}

/**
 * The three facts about a campaign's code (docs/verify.md): the implementation it runs, the 45-byte
 * ERC-1167 proxy (and the factory's own record of the campaign), and the parameters decoded from
 * the bytes after the proxy, held against what the campaign reports. With explorer links where the
 * chain has them.
 */
export function CodeFacts({ address }: { address: Address }) {
  const { t } = useI18n();
  const { client, config } = useApp();
  const st = useCampaignStatic(address);
  const q = useQuery({
    queryKey: ["code-facts", config.factory, address],
    queryFn: () => readCodeFacts(client, config.factory, address),
    staleTime: Infinity,
  });
  const command = `npm run verify:campaign-code -- ${address} --rpc <RPC URL>`;
  if (q.error) {
    return (
      <section className="panel" data-testid="code-facts">
        <h2>{t("verifyCode.title")}</h2>
        <p className="error" role="alert">
          {t("verifyCode.readError", { command })}
        </p>
      </section>
    );
  }
  if (!q.data) {
    return (
      <section className="panel" data-testid="code-facts">
        <h2>{t("verifyCode.title")}</h2>
        <p role="status">{t("verifyCode.loading")}</p>
      </section>
    );
  }
  const { facts, implementation, implementationMetadata, listedByFactory, codeSize } = q.data;
  const argsSize = Math.max(0, codeSize - ERC1167_SIZE);
  const differing = facts.ok && st.data ? differingParameters(facts.parameters, { ...st.data.params }, st.data.organiser) : [];
  // Malformed parameters after a sound proxy: fact 2 holds, fact 3 does not.
  const proxyOk = facts.ok || facts.problem === "bad-arguments";
  const proxyText = proxyOk
    ? t("verifyCode.proxy.ok")
    : facts.problem === "no-code"
      ? t("verifyCode.proxy.noCode")
      : facts.problem === "other-implementation"
        ? t("verifyCode.proxy.otherImplementation", { address: facts.implementation ?? "" })
        : t("verifyCode.proxy.notProxy");
  const local = codeLinks(config.chainId, address).length === 0;

  return (
    <section className="panel" data-testid="code-facts">
      <h2>{t("verifyCode.title")}</h2>
      <p>{t("verifyCode.intro")}</p>

      <h3>{t("verifyCode.implementation.title")}</h3>
      <p>{t("verifyCode.implementation.text", { address: implementation })}</p>
      {implementationMetadata && (
        <p className="small">
          {t("verifyCode.implementation.metadata", { command: "npm run verify:bytecode" })}{" "}
          <code style={WRAP}>{implementationMetadata}</code>
        </p>
      )}
      <Links chainId={config.chainId} address={implementation} />

      <h3>{t("verifyCode.proxy.title")}</h3>
      <p data-testid="code-facts-proxy">
        <Mark ok={proxyOk} />
        {proxyText}
      </p>
      {facts.ok && (
        <p>
          <code style={WRAP}>{facts.proxy}</code>
        </p>
      )}
      <p data-testid="code-facts-listed">
        <Mark ok={listedByFactory} />
        {t(listedByFactory ? "verifyCode.proxy.listed" : "verifyCode.proxy.notListed")}
      </p>
      {facts.ok && <p className="small">{t("verifyCode.proxy.explorerNote", { count: argsSize })}</p>}
      <Links chainId={config.chainId} address={address} />

      <h3>{t("verifyCode.params.title")}</h3>
      {facts.ok ? (
        <>
          <p data-testid="code-facts-params">
            <Mark ok={differing.length === 0} />
            {differing.length === 0
              ? t("verifyCode.params.ok", { count: argsSize })
              : t("verifyCode.params.differ", { fields: differing.join(", ") })}
          </p>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("verifyCode.params.field")}</th>
                  <th scope="col">{t("verifyCode.params.value")}</th>
                </tr>
              </thead>
              <tbody>
                {[...CAMPAIGN_ARGS_LAYOUT.map((f) => f.name), "ladder" as const].map((name) => (
                  <tr key={name}>
                    <td>{name}</td>
                    <td>
                      <code style={WRAP}>
                        {name === "ladder" ? facts.parameters.ladder.join(", ") : String(facts.parameters[name])}
                      </code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p data-testid="code-facts-params">
          <Mark ok={false} />
          {t("verifyCode.params.bad")}
        </p>
      )}

      {local && <p data-testid="code-facts-local">{t("verifyCode.noExplorer", { command })}</p>}
    </section>
  );
}

import type { Address } from "viem";
import { CAMPAIGN_ARGS_LAYOUT } from "@bascule/core/clone";
import { useApp } from "../hooks/app.tsx";
import { useCodeFacts } from "../hooks/useCodeFacts.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { codeLinks } from "../lib/explorers.ts";

/** Long hex strings wrap anywhere rather than widen the page on a phone. */
const WRAP = { overflowWrap: "anywhere" } as const;

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
  const { config } = useApp();
  const q = useCodeFacts(address);
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
  const { code: facts, implementation, implementationMetadata, listedByFactory, argsSize, differing } = q.data;
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
      <p>{t("verifyCode.implementation.text", { address: implementation ?? "" })}</p>
      {implementationMetadata && (
        <p className="small">
          {t("verifyCode.implementation.metadata", { command: "npm run verify:bytecode" })}{" "}
          <code style={WRAP}>{implementationMetadata.cbor}</code>
        </p>
      )}
      {implementation && <Links chainId={config.chainId} address={implementation} />}

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

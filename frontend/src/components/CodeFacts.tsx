import type { Address } from "viem";
import { CAMPAIGN_ARGS_LAYOUT } from "@bascule/core/clone";
import { useApp } from "../hooks/app.tsx";
import { useCodeFacts } from "../hooks/useCodeFacts.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { codeLinks } from "../lib/explorers.ts";
import { formatAmount, formatCount, formatDateTime, formatSpan } from "../lib/format.ts";
import type { MessageId } from "../i18n/index.ts";

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

type ParamName = (typeof CAMPAIGN_ARGS_LAYOUT)[number]["name"] | "ladder";
const DATES = new Set<ParamName>(["pledgeDeadline", "actionDate"]);
const SPANS = new Set<ParamName>(["finalLock", "oracleWindow", "claimWindow"]);

/**
 * One decoded parameter for people: its name in plain words, dates in the page's language,
 * lengths of time in words, amounts in the token, conditions in percent; the raw value (as the
 * code holds it) one tap away, under it.
 */
function ParamRow({
  name,
  raw,
  token,
}: {
  name: ParamName;
  raw: bigint | string | readonly number[];
  token?: { decimals: number; symbol: string };
}) {
  const { t, locale } = useI18n();
  const rawText = Array.isArray(raw) ? raw.join(", ") : String(raw);
  let shown: string;
  if (name === "ladder") {
    shown = t("verifyCode.value.ladder", { levels: (raw as number[]).map((n) => formatCount(n, locale)).join(" · ") });
  } else if (typeof raw === "bigint" && DATES.has(name)) shown = formatDateTime(raw, locale);
  else if (typeof raw === "bigint" && SPANS.has(name))
    shown = raw === 0n ? t("verifyCode.value.noSpan") : formatSpan(raw, locale);
  else if (typeof raw === "bigint" && name === "supportCap")
    shown =
      raw === 0n
        ? t("verifyCode.value.noCap")
        : token
          ? formatAmount(raw, token.decimals, token.symbol, locale)
          : rawText;
  else if (typeof raw === "bigint" && (name === "condition1" || name === "condition2"))
    shown =
      raw === 0n
        ? t("verifyCode.value.noCondition")
        : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 }).format(Number(raw) / 10_000);
  else if (name === "token" && /^0x0{40}$/.test(rawText)) shown = t("verifyCode.value.nativeToken");
  else if ((name === "oracle" || name === "attester") && /^0x0{40}$/.test(rawText)) shown = t("verifyCode.value.noOne");
  else shown = rawText;
  const plain = shown !== rawText;
  return (
    <tr data-testid={`param-${name}`}>
      <th scope="row">{t(`verifyCode.field.${name}` as MessageId)}</th>
      <td>
        {plain ? (
          <details className="raw-value">
            <summary>{shown}</summary>
            <code style={WRAP}>
              {name} = {rawText}
            </code>
          </details>
        ) : (
          <code style={WRAP}>{rawText}</code>
        )}
      </td>
    </tr>
  );
}

/**
 * The three facts about a campaign's code (docs/verify.md): the implementation it runs, the 45-byte
 * ERC-1167 proxy (and the factory's own record of the campaign), and the parameters decoded from
 * the bytes after the proxy, held against what the campaign reports. With explorer links where the
 * chain has them.
 */
export function CodeFacts({ address, token }: { address: Address; token?: { decimals: number; symbol: string } }) {
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
          <p className="small">{t("verifyCode.params.rawHint")}</p>
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
                  <ParamRow key={name} name={name} raw={facts.parameters[name]} token={token} />
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

import { useState } from "react";
import type { Address } from "viem";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { QrImage } from "../components/QrImage.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { useUnion } from "../hooks/useUnion.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { messages } from "../i18n/index.ts";
import { attesterAdmin, inviteLink, invitesCsv } from "../lib/union.ts";

type Counts = Awaited<ReturnType<ReturnType<typeof attesterAdmin>["counts"]>>;

/**
 * The organiser's invite codes for a gated campaign: create a batch at the union's attester service,
 * download it as CSV, print cards (QR code + code + link), see counts, revoke unused codes.
 */
export function InvitesPage({ address }: { address: Address }) {
  const { t } = useI18n();
  const { static: s, error } = useCampaign(address);
  const union = useUnion(s);
  const tokenKey = `bascule.attester-token.${address.toLowerCase()}`;
  const [token, setToken] = useState(() => sessionStorage.getItem(tokenKey) ?? "");
  const [count, setCount] = useState("20");
  const [codes, setCodes] = useState<string[]>([]);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);

  if (error) return <ErrorNote error={error} />;
  if (!s || !union.data) return <p role="status">{t("common.loading")}</p>;
  const { key, attesterUrl } = union.data;
  if (!key || !attesterUrl) return <p role="alert">{t(key ? "union.noAttester" : "union.notGated")}</p>;
  const admin = attesterAdmin(attesterUrl, token);
  const base = window.location.href.split("#")[0];

  async function run(task: () => Promise<void>) {
    setActionError(null);
    setNote("");
    setBusy(true);
    sessionStorage.setItem(tokenKey, token);
    try {
      await task();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  }
  const refresh = () => run(async () => setCounts(await admin.counts(key.keyId)));
  const create = () =>
    run(async () => {
      const made = await admin.createCodes(key.keyId, Number(count));
      setCodes(made.codes);
      setCounts(await admin.counts(key.keyId));
    });
  const revoke = (batch: number) =>
    run(async () => {
      const { revoked } = await admin.revoke(key.keyId, { batch });
      setCounts(await admin.counts(key.keyId));
      setNote(t("union.revokeDone", { count: revoked }));
    });

  return (
    <div className="invites">
      <section className="panel no-print" aria-labelledby="invites-title">
        <h1 id="invites-title">{t("union.invitesTitle")}</h1>
        <p>{s.metadata?.title}</p>
        <p className="small">{t("union.invitesHelp")}</p>
        {/* Each label above its field (issue 19: labels ran into the inputs on one line). */}
        <div className="field">
          <label htmlFor="attester-token">{t("union.token")}</label>
          <input
            id="attester-token"
            data-testid="attester-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="invite-count">{t("union.howMany")}</label>
          <input
            id="invite-count"
            className="short"
            data-testid="invite-count"
            type="number"
            min={1}
            max={10000}
            value={count}
            onChange={(e) => setCount(e.target.value)}
          />
        </div>
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={busy || !token}
            onClick={() => void create()}
            data-testid="create-codes"
          >
            {busy ? t("union.creating") : t("union.create")}
          </button>
          <button type="button" disabled={busy || !token} onClick={() => void refresh()} data-testid="refresh-counts">
            {t("union.refresh")}
          </button>
        </div>
        <ErrorNote error={actionError} />
        {note && <p role="status">{note}</p>}
        {counts && (
          <div data-testid="invite-counts">
            <p>
              {t("union.counts", { count: counts.issued })} · {t("union.redeemed", { count: counts.redeemed })} ·{" "}
              {t("union.revokedCount", { count: counts.revoked })}
            </p>
            <ul>
              {counts.batches.map((b) => (
                <li key={b.batch}>
                  {t("union.batch", { id: String(b.batch) })}: {t("union.counts", { count: b.issued })},{" "}
                  {t("union.redeemed", { count: b.redeemed })}, {t("union.revokedCount", { count: b.revoked })}{" "}
                  <button
                    type="button"
                    className="link"
                    disabled={busy}
                    onClick={() => void revoke(b.batch)}
                    data-testid={`revoke-${b.batch}`}
                  >
                    {t("union.revokeBatch")}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {codes.length > 0 && (
          <div className="row">
            <a
              className="button"
              data-testid="download-csv"
              href={`data:text/csv;charset=utf-8,${encodeURIComponent(invitesCsv(base, address, codes))}`}
              download={`bascule-invites-${address.slice(2, 8)}.csv`}
            >
              {t("union.downloadCsv")}
            </a>
            <button type="button" onClick={() => window.print()}>
              {t("union.print")}
            </button>
          </div>
        )}
      </section>
      {codes.length > 0 && (
        <div className="cards" data-testid="invite-cards">
          {codes.map((code) => (
            <article className="card" key={code} data-testid="invite-card">
              <h2 lang="fr">{messages.fr["union.cardTitle"]}</h2>
              <p className="muted" lang="en">
                {messages.en["union.cardTitle"]}
              </p>
              <QrImage text={inviteLink(base, address, code)} alt={code} size={360} />
              <p className="code" data-testid="invite-code">
                {code}
              </p>
              <p className="small">{s.metadata?.title}</p>
              {/* A card is handed to anyone: it speaks both languages. */}
              <p className="small" lang="fr">
                {messages.fr["union.cardText"]}
              </p>
              <p className="small" lang="en">
                {messages.en["union.cardText"]}
              </p>
            </article>
          ))}
        </div>
      )}
    </div>
  );
}

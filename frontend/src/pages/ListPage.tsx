import { useState } from "react";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { MetadataNote } from "../components/MetadataNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useDescription } from "../hooks/useDescription.ts";
import { type ListedCampaign, useCampaignList } from "../hooks/useCampaignList.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { formatDate, shortAddress } from "../lib/format.ts";
import { parseReceiptFile } from "../lib/receipt.ts";
import { keepReceipt } from "../lib/receiptStore.ts";
import { navigate } from "../router.ts";
import { campaignPath, href, keptReceiptPath } from "@bascule/core/routes";
import { Phase } from "../lib/types.ts";

function Title({ c }: { c: ListedCampaign }) {
  const { t } = useI18n();
  const meta = useDescription(c.address, c.metadataURI);
  return <>{meta.data?.doc?.title ?? t("list.untitledAt", { address: shortAddress(c.address) })}</>;
}

/** What of a listed campaign's description was left out (its schema refused it), if anything. */
function Note({ c }: { c: ListedCampaign }) {
  const meta = useDescription(c.address, c.metadataURI);
  if (!meta.data) return null;
  return (
    <MetadataNote omitted={meta.data.omitted} unreadable={meta.data.check !== "unknown" && meta.data.doc === null} />
  );
}

function Card({ c, nowSec }: { c: ListedCampaign; nowSec: number }) {
  const { t, locale } = useI18n();
  return (
    <>
      <a href={href(campaignPath(c.address))}>
        <strong>
          <Title c={c} />
        </strong>
      </a>
      <Note c={c} />
      <span data-testid="card-ready">{t("list.readyCount", { count: Number(c.pledges) })}</span>
      {c.phase !== Phase.Resolved && (
        <span data-testid="card-act-now">{t("list.actNowCount", { count: Number(c.committed) })}</span>
      )}
      {c.phase === Phase.Resolved && c.tippingLevel > 0 && (
        <span data-testid="card-act-now">{t("list.committedCount", { count: Number(c.committed) })}</span>
      )}
      <span className="muted">
        {c.phase === Phase.Open && Number(c.pledgeDeadline) < nowSec
          ? t("common.statusAwaiting")
          : t("list.deadlineOn", { date: formatDate(c.pledgeDeadline, locale) })}
      </span>
    </>
  );
}

/** A card that failed to render: it says so and still links to the campaign's page. */
function CardFailed({ c }: { c: ListedCampaign }) {
  const { t } = useI18n();
  return (
    <div role="alert" data-testid="card-failed">
      <p className="error">{t("list.cardFailed", { address: shortAddress(c.address) })}</p>
      <a href={href(campaignPath(c.address))}>{t("list.cardOpen")}</a>
    </div>
  );
}

export function ListPage() {
  const { t } = useI18n();
  const { config } = useApp();
  const list = useCampaignList();
  const [fileError, setFileError] = useState<"receipt.badReceiptFile" | "errors.receiptOtherNetwork" | null>(null);
  const nowSec = Math.floor(Date.now() / 1000);
  const groups: { key: string; label: string; items: ListedCampaign[] }[] = [
    { key: "open", label: t("common.statusOpen"), items: [] },
    { key: "succeeded", label: t("common.statusSucceeded"), items: [] },
    { key: "failed", label: t("common.statusFailed"), items: [] },
  ];
  for (const c of list.data?.listed ?? []) {
    const g = c.phase === Phase.Resolved ? (c.tippingLevel > 0 ? 1 : 2) : 0;
    groups[g].items.push(c);
  }
  return (
    <article>
      <h1>{t("list.listTitle")}</h1>
      <p className="muted">{t("list.listHiddenNote")}</p>
      {list.isLoading && <p role="status">{t("common.loading")}</p>}
      <ErrorNote error={list.error} />
      {list.data && (
        <p className="muted" data-testid="list-source" data-source={list.data.source}>
          {t(list.data.source === "indexer" ? "list.sourceIndexer" : "list.sourceChain")}
        </p>
      )}
      {list.data && (list.data.unreadable ?? 0) > 0 && (
        <p className="muted" role="status" data-testid="list-unreadable">
          {t("list.unreadable", { count: list.data.unreadable ?? 0 })}
        </p>
      )}
      {list.data && list.data.listed.length === 0 && <p>{t("list.listEmpty")}</p>}
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <section key={g.key} aria-labelledby={`group-${g.key}`}>
            <h2 id={`group-${g.key}`}>{g.label}</h2>
            <ul className="cards">
              {g.items.map((c) => (
                <li key={c.address} className="card" data-testid="campaign-card">
                  {/* One campaign's card failing (a hostile description, a date beyond Intl's range) leaves the others. */}
                  <Boundary fallback={() => <CardFailed c={c} />} resetKeys={[c.address, c.metadataURI]}>
                    <Card c={c} nowSec={nowSec} />
                  </Boundary>
                </li>
              ))}
            </ul>
          </section>
        ))}
      <section className="panel">
        <h2>{t("list.openReceipt")}</h2>
        <label htmlFor="receipt-file">{t("list.receiptFileLabel")}</label>
        <input
          id="receipt-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const r = parseReceiptFile(await f.text());
            setFileError(
              !r ? "receipt.badReceiptFile" : r.chainId !== config.chainId ? "errors.receiptOtherNetwork" : null,
            );
            if (r && r.chainId === config.chainId) navigate(keptReceiptPath(keepReceipt(r)));
          }}
        />
        {fileError && (
          <p className="error" role="alert" data-testid="receipt-file-error">
            {t(fileError)}
          </p>
        )}
      </section>
    </article>
  );
}

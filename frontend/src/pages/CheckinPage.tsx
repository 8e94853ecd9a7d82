import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { type Address, getAbiItem, toEventSelector } from "viem";
import { readLogs, sizerFor } from "../../../scripts/lib/logs.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { campaignAbi } from "../generated.ts";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { checkAttendance, mergeCheckins, participationFile } from "../lib/union.ts";

const PLEDGED = toEventSelector(getAbiItem({ abi: campaignAbi, name: "Pledged" }));
const storeKey = (campaign: Address, what: string) => `bascule.checkin.${what}.${campaign.toLowerCase()}`;

function loadList(key: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The organiser's check-in: scans attendance codes with the camera (@zxing/browser) or takes pasted
 * ones, checks each offline against the campaign's pledge keys (read once while online and kept),
 * keeps the list in this browser across reloads, merges other scanners' files, and exports the
 * participation file the keeper publishes.
 */
export function CheckinPage({ address }: { address: Address }) {
  const { t } = useI18n();
  const { client, config } = useApp();
  const { static: s, error } = useCampaign(address);
  const [checked, setChecked] = useState<string[]>(() => loadList(storeKey(address, "keys")));
  const [pasted, setPasted] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [scanning, setScanning] = useState(false);
  const [cameraError, setCameraError] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const controls = useRef<{ stop(): void } | null>(null);
  const lastScan = useRef("");

  // Pledge keys of the campaign: read from the chain when online (the Pledged log from the
  // campaign's creation block, in pages under the endpoint's limits), kept for offline checks.
  const pledged = useQuery({
    queryKey: ["pledged-keys", address, s?.createdAt.toString()],
    enabled: Boolean(s),
    queryFn: async () => {
      try {
        const { logs } = await readLogs({ client, address, topics: [PLEDGED], fromBlock: s!.createdAt, sizer: sizerFor(client) });
        const keys = [...new Set(logs.map((l) => `0x${(l.topics[1] ?? "").slice(26)}`.toLowerCase()))];
        localStorage.setItem(storeKey(address, "pledged"), JSON.stringify(keys));
        return new Set(keys);
      } catch {
        return new Set(loadList(storeKey(address, "pledged")));
      }
    },
  });

  useEffect(() => localStorage.setItem(storeKey(address, "keys"), JSON.stringify(checked)), [address, checked]);
  useEffect(() => () => controls.current?.stop(), []);

  if (error && !s) return <ErrorNote error={error} />;
  if (!s || !pledged.data) return <p role="status">{t("common.loading")}</p>;
  const ctx = { campaign: address, chainId: config.chainId, actionDate: s.params.actionDate, pledged: pledged.data };

  async function add(code: string) {
    const result = await checkAttendance(code, ctx);
    if (!result.ok) {
      setMessage({ ok: false, text: t(`union.${result.reason}`) });
      return;
    }
    const key = result.pledgeKey;
    setChecked((list) => {
      const known = list.some((k) => k.toLowerCase() === key.toLowerCase());
      setMessage({ ok: true, text: t(known ? "union.already" : "union.accepted", { address: key }) });
      return known ? list : [...list, key];
    });
  }

  async function startCamera() {
    setCameraError(false);
    // The video is shown before the stream starts: a hidden <video> may never get frames.
    setScanning(true);
    try {
      const { BrowserQRCodeReader } = await import("@zxing/browser");
      const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: 150 });
      controls.current = await reader.decodeFromVideoDevice(undefined, video.current!, (result) => {
        const text = result?.getText();
        // The same code stays in front of the camera for a while: check it once.
        if (text && text !== lastScan.current) {
          lastScan.current = text;
          void add(text);
        }
      });
    } catch {
      setScanning(false);
      setCameraError(true);
    }
  }
  function stopCamera() {
    controls.current?.stop();
    controls.current = null;
    setScanning(false);
  }

  async function importFiles(files: FileList | null) {
    for (const file of Array.from(files ?? [])) {
      try {
        const parsed = JSON.parse(await file.text()) as unknown;
        setChecked((list) => mergeCheckins(address, list, parsed));
      } catch {
        setMessage({ ok: false, text: t("union.importBad") });
      }
    }
  }

  return (
    <section className="panel checkin" aria-labelledby="checkin-title">
      <h1 id="checkin-title">{t("union.checkinTitle")}</h1>
      <p>{s.metadata?.title}</p>
      <p className="small">{t("union.checkinHelp")}</p>
      <p className="small" data-testid="pledged-known">
        {t("union.pledgedKnown", { count: pledged.data.size })}
      </p>
      <div className="row">
        {scanning ? (
          <button type="button" onClick={stopCamera} data-testid="scan-stop">
            {t("union.scanStop")}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void startCamera()} data-testid="scan-start">
            {t("union.scanStart")}
          </button>
        )}
      </div>
      {cameraError && <p role="alert">{t("union.cameraError")}</p>}
      <video ref={video} muted playsInline hidden={!scanning} data-testid="scan-video" />
      <label htmlFor="attendance-paste">{t("union.pasteLabel")}</label>
      <textarea id="attendance-paste" data-testid="attendance-paste" rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} />
      <button
        type="button"
        onClick={() => {
          void add(pasted);
          setPasted("");
        }}
        disabled={pasted.trim() === ""}
        data-testid="attendance-add"
      >
        {t("union.pasteAdd")}
      </button>
      {message && (
        <p role={message.ok ? "status" : "alert"} className={message.ok ? "ok" : "error"} data-testid="checkin-message">
          {message.text}
        </p>
      )}
      <p data-testid="checkin-count">{t("union.checkedIn", { count: checked.length })}</p>
      <ul className="small" data-testid="checkin-list">
        {checked.map((k) => (
          <li key={k}>
            <code>{k}</code>
          </li>
        ))}
      </ul>
      <label htmlFor="checkin-import">{t("union.importFiles")}</label>
      <input id="checkin-import" data-testid="checkin-import" type="file" accept="application/json,.json" multiple onChange={(e) => void importFiles(e.target.files)} />
      <div className="row">
        <a
          className="button"
          data-testid="checkin-export"
          href={`data:application/json;charset=utf-8,${encodeURIComponent(participationFile(address, checked))}`}
          download={`${address.toLowerCase()}.json`}
        >
          {t("union.export")}
        </a>
      </div>
    </section>
  );
}

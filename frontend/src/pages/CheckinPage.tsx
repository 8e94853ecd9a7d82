import { type RefObject, useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { Boundary } from "../components/Boundary.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { usePledgedKeys } from "../hooks/usePledgedKeys.ts";
import {
  CHECKIN_LIMITS,
  type CheckinContext,
  type CheckinEntry,
  type CheckinFileReading,
  checkinFileText,
  mergeEntries,
  readCheckinFile,
} from "../lib/checkinFile.ts";
import { type KeptFacts, keepFacts, keptEntries, keptFacts, keptPledgeKeys, saveEntries } from "../lib/checkinStore.ts";
import { type Translate, useI18n } from "../i18n/i18n.tsx";
import { checkAttendance } from "../lib/union.ts";
import { PublishPanel } from "../components/PublishPanel.tsx";

/**
 * The organiser's check-in: scans attendance codes with the camera (zxing-wasm) or takes pasted
 * ones, checks each offline against the campaign's pledge keys (read once while online and kept),
 * keeps the list (with each code) in this browser across reloads, merges other scanners' files after
 * checking every code in them again (lib/checkinFile.ts), and exports the check-in file, which is
 * also the participation file the keeper publishes. Its three panels fail apart (Boundary).
 */
export function CheckinPage({ address }: { address: Address }) {
  const { t } = useI18n();
  const { config } = useApp();
  const { static: s, live, error } = useCampaign(address);
  const [checked, setChecked] = useState<CheckinEntry[]>(() => keptEntries(address));
  // The list as of the latest render, for merges that finish after it.
  const latest = useRef(checked);
  latest.current = checked;
  const [merges, setMerges] = useState<{ ok: boolean; text: string }[]>([]);
  const [merging, setMerging] = useState<{ file: string; done: number; total: number } | null>(null);
  const [pasted, setPasted] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [scanning, setScanning] = useState(false);
  const [cameraError, setCameraError] = useState<"union.cameraError" | "union.scannerError" | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const controls = useRef<{ stop(): void } | null>(null);
  const lastScan = useRef("");
  // What a scanned code does, as of the latest render (the frame loop outlives the render that started it).
  const onScan = useRef<(code: string) => void>(() => {});

  const pledged = usePledgedKeys(address, s);

  useEffect(() => saveEntries(address, checked), [address, checked]);
  useEffect(() => {
    if (s) keepFacts(address, { title: s.metadata?.title ?? null, actionDate: s.params.actionDate });
  }, [address, s]);
  const [kept] = useState(() => keptFacts(address));
  useEffect(() => () => controls.current?.stop(), []);
  // The QR reader is fetched on opening the page, while there is a connection, through the service
  // worker (on a first visit, once it has taken the page): it keeps it, and the camera then works at
  // a check-in without one.
  useEffect(() => {
    const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
    const controlled = new Promise<void>((resolve) => {
      if (!sw || sw.controller) return resolve();
      sw.addEventListener("controllerchange", () => resolve(), { once: true });
      setTimeout(resolve, 5000);
    });
    void controlled.then(() => import("../lib/qrRead.ts").then((m) => m.loadQrReader())).catch(() => {});
  }, []);

  // Without a connection (the page reopened at the rally), what this device kept the last time.
  const offline = !s && kept !== null;
  const facts: KeptFacts | null = s ? { title: s.metadata?.title ?? null, actionDate: s.params.actionDate } : kept;
  const keys = pledged.data ?? (offline ? keptPledgeKeys(address) : undefined);
  if (error && !facts) return <ErrorNote error={error} />;
  if (!facts || !keys) return <p role="status">{t("common.loading")}</p>;
  const ctx = { campaign: address, chainId: config.chainId, actionDate: facts.actionDate, pledged: keys };

  async function add(code: string) {
    const result = await checkAttendance(code, ctx);
    if (!result.ok) {
      setMessage({ ok: false, text: t(`union.${result.reason}`) });
      return;
    }
    const key = result.pledgeKey;
    const known = latest.current.some((e) => e.pledgeKey.toLowerCase() === key.toLowerCase());
    setMessage({ ok: true, text: t(known ? "union.already" : "union.accepted", { address: key }) });
    if (!known) setChecked((list) => mergeEntries(list, [{ code: code.trim(), pledgeKey: key }]).entries);
  }

  onScan.current = (code) => void add(code);

  /**
   * The camera, read frame by frame into a canvas sized to each frame (a phone turned sideways
   * changes it) and decoded by ZXing-C++ (lib/qrRead.ts), one frame at a time.
   */
  async function startCamera() {
    setCameraError(null);
    // The video is shown before the stream starts: a hidden <video> may never get frames.
    setScanning(true);
    const run = {
      stopped: false,
      timer: undefined as ReturnType<typeof setTimeout> | undefined,
      stream: null as MediaStream | null,
    };
    const stop = () => {
      run.stopped = true;
      clearTimeout(run.timer);
      for (const track of run.stream?.getTracks() ?? []) track.stop();
      if (video.current?.srcObject === run.stream) video.current.srcObject = null;
    };
    const fail = (why: "union.cameraError" | "union.scannerError") => {
      if (run.stopped) return; // stopped by the organiser meanwhile: nothing to report
      stop();
      if (controls.current?.stop === stop) controls.current = null;
      setScanning(false);
      setCameraError(why);
    };
    controls.current = { stop };
    let readQr: (typeof import("../lib/qrRead.ts"))["readQr"];
    try {
      const reader = await import("../lib/qrRead.ts");
      await reader.loadQrReader();
      readQr = reader.readQr;
    } catch {
      return fail("union.scannerError");
    }
    if (run.stopped) return; // stopped while the reader loaded: the camera is not opened
    try {
      run.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      return fail("union.cameraError");
    }
    // Stopped (or left) while the camera was being opened: let go of it at once.
    if (run.stopped || !video.current) return stop();
    const v = video.current;
    v.srcObject = run.stream;
    await v.play().catch(() => {}); // the element also has autoPlay; frames are read whichever starts it
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true })!;
    const tick = async () => {
      if (run.stopped) return;
      if (v.videoWidth > 0 && v.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
        if (canvas.width !== v.videoWidth || canvas.height !== v.videoHeight) {
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
        }
        context.drawImage(v, 0, 0);
        let text: string | null;
        try {
          text = await readQr(context.getImageData(0, 0, canvas.width, canvas.height));
        } catch {
          return fail("union.scannerError");
        }
        // The same code stays in front of the camera for a while: check it once.
        if (text && text !== lastScan.current && !run.stopped) {
          lastScan.current = text;
          onScan.current(text);
        }
      }
      if (!run.stopped) run.timer = setTimeout(() => void tick(), 150);
    };
    void tick();
  }
  function stopCamera() {
    controls.current?.stop();
    controls.current = null;
    setScanning(false);
  }

  /** Merges other scanners' files, one after the other; each is read whole or refused whole. */
  async function importFiles(files: File[]) {
    const said: { ok: boolean; text: string }[] = [];
    setMerges([]);
    for (const file of files) {
      let reading: CheckinFileReading;
      if (file.size > CHECKIN_LIMITS.bytes) reading = { ok: false, reason: "tooLarge" };
      else {
        setMerging({ file: file.name, done: 0, total: 0 });
        reading = await readCheckinFile(await file.text().catch(() => ""), ctx, (done, total) =>
          setMerging({ file: file.name, done, total }),
        );
      }
      if (reading.ok) {
        const merged = mergeEntries(latest.current, reading.entries);
        latest.current = merged.entries;
        setChecked(merged.entries);
        said.push({ ok: true, text: t("union.mergeDone", { file: file.name, count: merged.added }) });
      } else said.push({ ok: false, text: refusal(t, file.name, reading) });
    }
    setMerging(null);
    setMerges(said);
  }

  return (
    <div className="checkin">
      <h1 id="checkin-title">{t("union.checkinTitle")}</h1>
      <Boundary>
        <ScanPanel
          title={facts.title}
          offline={offline}
          known={keys.size}
          scanning={scanning}
          cameraError={cameraError}
          videoRef={video}
          message={message}
          pasted={pasted}
          onPaste={setPasted}
          onStart={() => void startCamera()}
          onStop={stopCamera}
          onAdd={() => {
            void add(pasted);
            setPasted("");
          }}
        />
      </Boundary>
      <Boundary>
        <ListPanel checked={checked} />
      </Boundary>
      {s && (
        <Boundary>
          <PublishPanel
            campaign={address}
            organiser={s.organiser}
            organiserName={s.union.organiserName}
            published={!!live && BigInt(live.participationRoot) !== 0n}
            pledgeKeys={checked.map((e) => e.pledgeKey)}
          />
        </Boundary>
      )}
      <Boundary>
        <FilesPanel
          ctx={ctx}
          checked={checked}
          name={`${address.toLowerCase()}.json`}
          merging={merging}
          merges={merges}
          onFiles={(files) => void importFiles(files)}
        />
      </Boundary>
    </div>
  );
}

/** Why a file was refused, in the reader's language: for entries, how many failed and why. */
function refusal(t: Translate, file: string, r: Extract<CheckinFileReading, { ok: false }>): string {
  if (r.reason !== "entries") {
    const limits = { entries: CHECKIN_LIMITS.entries, megabytes: CHECKIN_LIMITS.bytes / 1024 / 1024 };
    return t(`union.import.${r.reason}`, { file, ...limits });
  }
  const why = (["badSignature", "notPledged", "malformed"] as const)
    .filter((k) => r.failed[k] > 0)
    .map((k) => t(`union.importFailed.${k}`, { count: r.failed[k] }))
    .join(t("union.importFailed.and"));
  return t("union.import.entries", { file, count: r.count, why });
}

function ScanPanel(p: {
  title: string | null;
  offline: boolean;
  known: number;
  scanning: boolean;
  cameraError: "union.cameraError" | "union.scannerError" | null;
  videoRef: RefObject<HTMLVideoElement | null>;
  message: { ok: boolean; text: string } | null;
  pasted: string;
  onPaste: (text: string) => void;
  onStart: () => void;
  onStop: () => void;
  onAdd: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="checkin-title" data-testid="checkin-scan">
      <p>{p.title}</p>
      <p className="small">{t("union.checkinHelp")}</p>
      {p.offline && (
        <p className="warning" role="note" data-testid="checkin-offline">
          {t("union.checkinOffline")}
        </p>
      )}
      <p className="small" data-testid="pledged-known">
        {t("union.pledgedKnown", { count: p.known })}
      </p>
      <div className="row">
        {p.scanning ? (
          <button type="button" onClick={p.onStop} data-testid="scan-stop">
            {t("union.scanStop")}
          </button>
        ) : (
          <button type="button" className="primary" onClick={p.onStart} data-testid="scan-start">
            {t("union.scanStart")}
          </button>
        )}
      </div>
      {p.cameraError && (
        <p role="alert" className="error" data-testid="camera-error">
          {t(p.cameraError)}
        </p>
      )}
      <video ref={p.videoRef} muted playsInline autoPlay hidden={!p.scanning} data-testid="scan-video" />
      <label htmlFor="attendance-paste">{t("union.pasteLabel")}</label>
      <textarea
        id="attendance-paste"
        data-testid="attendance-paste"
        rows={3}
        value={p.pasted}
        onChange={(e) => p.onPaste(e.target.value)}
      />
      <button type="button" onClick={p.onAdd} disabled={p.pasted.trim() === ""} data-testid="attendance-add">
        {t("union.pasteAdd")}
      </button>
      {p.message && (
        <p
          role={p.message.ok ? "status" : "alert"}
          className={p.message.ok ? "ok" : "error"}
          data-testid="checkin-message"
        >
          {p.message.text}
        </p>
      )}
    </section>
  );
}

function ListPanel({ checked }: { checked: readonly CheckinEntry[] }) {
  const { t } = useI18n();
  return (
    <section className="panel" aria-labelledby="checkin-count">
      <p id="checkin-count" data-testid="checkin-count">
        {t("union.checkedIn", { count: checked.length })}
      </p>
      <ul className="small" data-testid="checkin-list">
        {checked.map((e) => (
          <li key={e.pledgeKey}>
            <code>{e.pledgeKey}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}

function FilesPanel(p: {
  ctx: Omit<CheckinContext, "pledged">;
  checked: readonly CheckinEntry[];
  name: string;
  merging: { file: string; done: number; total: number } | null;
  merges: { ok: boolean; text: string }[];
  onFiles: (files: File[]) => void;
}) {
  const { t } = useI18n();
  const file = checkinFileText(p.ctx, p.checked);
  return (
    <section className="panel" aria-labelledby="checkin-import-label" data-testid="checkin-files">
      <label id="checkin-import-label" htmlFor="checkin-import">
        {t("union.importFiles")}
      </label>
      <p className="small">{t("union.importHelp")}</p>
      <input
        id="checkin-import"
        data-testid="checkin-import"
        type="file"
        accept="application/json,.json"
        multiple
        disabled={p.merging !== null}
        onChange={(e) => {
          p.onFiles(Array.from(e.target.files ?? []));
          e.target.value = ""; // the same file chosen again is read again
        }}
      />
      {p.merging && (
        <p role="status" data-testid="checkin-merging">
          {t("union.merging", { file: p.merging.file, done: p.merging.done, total: p.merging.total })}
        </p>
      )}
      {p.merges.map((m, i) => (
        <p key={i} role={m.ok ? "status" : "alert"} className={m.ok ? "ok" : "error"} data-testid="checkin-merge">
          {m.text}
        </p>
      ))}
      <div className="row">
        <a
          className="button"
          data-testid="checkin-export"
          href={`data:application/json;charset=utf-8,${encodeURIComponent(file)}`}
          download={p.name}
        >
          {t("officer.saveFile")}
        </a>
      </div>
    </section>
  );
}

import { useEffect, useRef, useState } from "react";
import type { Address } from "viem";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { useApp } from "../hooks/app.tsx";
import { useCampaign } from "../hooks/useCampaign.ts";
import { usePledgedKeys } from "../hooks/usePledgedKeys.ts";
import { type KeptFacts, keepFacts, keptChecked, keptFacts, keptPledgeKeys, saveChecked } from "../lib/checkinStore.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { checkAttendance, mergeCheckins, participationFile } from "../lib/union.ts";

/**
 * The organiser's check-in: scans attendance codes with the camera (zxing-wasm) or takes pasted
 * ones, checks each offline against the campaign's pledge keys (read once while online and kept),
 * keeps the list in this browser across reloads, merges other scanners' files, and exports the
 * participation file the keeper publishes.
 */
export function CheckinPage({ address }: { address: Address }) {
  const { t } = useI18n();
  const { config } = useApp();
  const { static: s, error } = useCampaign(address);
  const [checked, setChecked] = useState<string[]>(() => keptChecked(address));
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

  useEffect(() => saveChecked(address, checked), [address, checked]);
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
    setChecked((list) => {
      const known = list.some((k) => k.toLowerCase() === key.toLowerCase());
      setMessage({ ok: true, text: t(known ? "union.already" : "union.accepted", { address: key }) });
      return known ? list : [...list, key];
    });
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
      <p>{facts.title}</p>
      <p className="small">{t("union.checkinHelp")}</p>
      {offline && (
        <p className="warning" role="note" data-testid="checkin-offline">
          {t("union.checkinOffline")}
        </p>
      )}
      <p className="small" data-testid="pledged-known">
        {t("union.pledgedKnown", { count: keys.size })}
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
      {cameraError && (
        <p role="alert" className="error" data-testid="camera-error">
          {t(cameraError)}
        </p>
      )}
      <video ref={video} muted playsInline autoPlay hidden={!scanning} data-testid="scan-video" />
      <label htmlFor="attendance-paste">{t("union.pasteLabel")}</label>
      <textarea
        id="attendance-paste"
        data-testid="attendance-paste"
        rows={3}
        value={pasted}
        onChange={(e) => setPasted(e.target.value)}
      />
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
      <input
        id="checkin-import"
        data-testid="checkin-import"
        type="file"
        accept="application/json,.json"
        multiple
        onChange={(e) => void importFiles(e.target.files)}
      />
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

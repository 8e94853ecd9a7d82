/**
 * The browser side of notifications: the service worker, the Web Push subscription, and the
 * notifier's API (docs/notifier.md). What the notifier receives: the campaign, the chosen level,
 * the language, and the push subscription (endpoint and keys) — never the pledge key.
 */
import type { Address } from "viem";
import { base64urlToBytes } from "@bascule/core/base64url";
import type { paths } from "@bascule/core/generated/notifier-api";
import { isRefusal, serviceClient } from "./api.ts";

export type PushSupport =
  /** Push can be offered. */
  | "ok"
  /** No service worker or Push API in this browser. */
  | "unsupported"
  /** iPhone/iPad: Web Push works only once the app is added to the Home Screen. */
  | "ios-install"
  /** The page is not in a secure context (http on another host than localhost). */
  | "insecure"
  /** The person refused notifications for this site in the browser. */
  | "denied";

/** Registers the service worker (offline shell, push); does nothing where unsupported. */
export async function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  if (!("serviceWorker" in navigator)) return null;
  try {
    return await navigator.serviceWorker.register("./sw.js", { scope: "./" });
  } catch {
    return null;
  }
}

function isIos(): boolean {
  return (
    /iPad|iPhone|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1)
  );
}

function isStandalone(): boolean {
  return (
    window.matchMedia?.("(display-mode: standalone)").matches === true ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

/** Whether this browser can receive the notifier's pushes, and if not, why. */
export function pushSupport(): PushSupport {
  if (!window.isSecureContext) return "insecure";
  if (isIos() && !isStandalone()) return "ios-install";
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window))
    return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return "ok";
}

/** A refusal of the notifier, with its stable code and its FR/EN message. */
export class NotifierRequestError extends Error {
  constructor(
    readonly code: string,
    readonly localized: { en: string; fr: string } | null,
  ) {
    super(localized?.en ?? code);
  }
}

/** One call to the notifier: its answer's body, or a NotifierRequestError (unreachable, or refused with its code). */
export async function call<T>(
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await run();
  } catch {
    throw new NotifierRequestError("NOTIFIER_UNREACHABLE", null);
  }
  const { data, error, response } = result;
  if (!response.ok) {
    throw new NotifierRequestError(
      isRefusal(error) ? error.error.code : `HTTP_${response.status}`,
      isRefusal(error) ? error.error.message : null,
    );
  }
  return data;
}

const FOLLOWED = "bascule.notify";

/** Campaigns this device asked to be notified about, and at which level (kept on this device only). */
export function followed(): Record<string, number> {
  try {
    const v = JSON.parse(localStorage.getItem(FOLLOWED) ?? "{}") as unknown;
    return v && typeof v === "object" ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

function setFollowed(campaign: Address, level: number | null) {
  const all = followed();
  if (level === null) delete all[campaign.toLowerCase()];
  else all[campaign.toLowerCase()] = level;
  try {
    localStorage.setItem(FOLLOWED, JSON.stringify(all));
  } catch {
    // private mode: the state is not remembered, the subscription still works
  }
}

/**
 * Asks permission, subscribes this browser with the notifier's VAPID key, and registers the
 * subscription for one campaign and level.
 * @example await subscribeToCampaign("./notifier", campaign, 2, "fr");
 */
export async function subscribeToCampaign(
  notifierUrl: string,
  campaign: Address,
  level: number,
  lang: "en" | "fr",
): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new NotifierRequestError("PERMISSION_DENIED", null);
  const registration = (await registerServiceWorker()) ?? (await navigator.serviceWorker.ready);
  await navigator.serviceWorker.ready;
  const api = serviceClient<paths>(notifierUrl);
  const { publicKey } = (await call(() => api.GET("/v1/vapid-public-key")))!;
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    try {
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64urlToBytes(publicKey),
      });
    } catch {
      throw new NotifierRequestError("PUSH_SUBSCRIBE_FAILED", null);
    }
  }
  const { endpoint, expirationTime, keys } = subscription.toJSON();
  await call(() =>
    api.POST("/v1/subscriptions", {
      body: {
        campaign,
        level,
        lang,
        subscription: {
          endpoint: endpoint ?? "",
          expirationTime,
          keys: { p256dh: keys?.p256dh ?? "", auth: keys?.auth ?? "" },
        },
      },
    }),
  );
  setFollowed(campaign, level);
}

/** Unsubscribes this device from one campaign; drops the browser's push subscription when it follows nothing else. */
export async function unsubscribeFromCampaign(notifierUrl: string, campaign: Address): Promise<void> {
  const registration = "serviceWorker" in navigator ? await navigator.serviceWorker.getRegistration() : undefined;
  const subscription = await registration?.pushManager.getSubscription();
  if (subscription) {
    await call(() =>
      serviceClient<paths>(notifierUrl).DELETE("/v1/subscriptions", {
        body: { endpoint: subscription.endpoint, campaign },
      }),
    );
  }
  setFollowed(campaign, null);
  if (subscription && Object.keys(followed()).length === 0) await subscription.unsubscribe().catch(() => false);
}

/** The campaign's Atom feed and calendar entry (served by the notifier, storing nothing about readers). */
export function feedLinks(notifierUrl: string, campaign: Address, lang: "en" | "fr") {
  return {
    atom: `${notifierUrl}/v1/campaigns/${campaign}/feed.atom?lang=${lang}`,
    ics: `${notifierUrl}/v1/campaigns/${campaign}/event.ics?lang=${lang}`,
  };
}

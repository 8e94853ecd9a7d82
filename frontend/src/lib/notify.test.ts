import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  feedLinks,
  followed,
  NotifierRequestError,
  pushSupport,
  subscribeToCampaign,
  unsubscribeFromCampaign,
} from "./notify.ts";

const CAMPAIGN = "0x1234567890123456789012345678901234567890";
const SUB = {
  endpoint: "https://fcm.googleapis.com/fcm/send/abc",
  expirationTime: null,
  keys: {
    p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
    auth: "tBHItJI5svbpez7KI4CCXg",
  },
};

function installBrowser(options: { permission?: NotificationPermission; secure?: boolean; ios?: boolean } = {}) {
  let active: object | null = null;
  const subscription = { ...SUB, toJSON: () => SUB, unsubscribe: vi.fn(async () => true) };
  const pushManager = {
    getSubscription: vi.fn(async () => active),
    subscribe: vi.fn(async (opts: { applicationServerKey: Uint8Array }) => {
      expect(opts.applicationServerKey.length).toBe(65);
      active = subscription;
      return subscription;
    }),
  };
  const registration = { pushManager };
  Object.defineProperty(window, "isSecureContext", { value: options.secure ?? true, configurable: true });
  Object.defineProperty(navigator, "serviceWorker", {
    value: {
      register: vi.fn(async () => registration),
      ready: Promise.resolve(registration),
      getRegistration: vi.fn(async () => registration),
    },
    configurable: true,
  });
  Object.defineProperty(navigator, "userAgent", {
    value: options.ios ? "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)" : "Mozilla/5.0 (X11; Linux x86_64)",
    configurable: true,
  });
  (window as unknown as { PushManager: object }).PushManager = function PushManager() {};
  (window as unknown as { Notification: object }).Notification = {
    permission: options.permission ?? "default",
    requestPermission: vi.fn(async () => options.permission ?? "granted"),
  };
  return { pushManager, subscription };
}

describe("notify (browser side)", () => {
  const calls: { url: string; init: RequestInit }[] = [];
  beforeEach(() => {
    localStorage.clear();
    calls.length = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init: RequestInit = {}) => {
        calls.push({ url, init });
        if (url.endsWith("/v1/vapid-public-key"))
          return new Response(JSON.stringify({ publicKey: SUB.keys.p256dh }), { status: 200 });
        if (init.method === "POST")
          return new Response(JSON.stringify({ campaign: CAMPAIGN, level: 2, lang: "fr" }), { status: 201 });
        return new Response(null, { status: 204 });
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends the notifier the campaign, the level, the language and the push subscription, nothing else", async () => {
    installBrowser();
    await subscribeToCampaign("./notifier", CAMPAIGN, 2, "fr");
    const post = calls.find((c) => c.init.method === "POST")!;
    expect(post.url).toBe("./notifier/v1/subscriptions");
    expect(JSON.parse(post.init.body as string)).toEqual({
      campaign: CAMPAIGN,
      level: 2,
      lang: "fr",
      subscription: SUB,
    });
    expect(post.init.credentials).toBe("omit");
    expect(post.init.referrerPolicy).toBe("no-referrer");
    expect(followed()).toEqual({ [CAMPAIGN.toLowerCase()]: 2 });
  });

  it("unsubscribes this campaign, and drops the browser's subscription once it follows nothing", async () => {
    const { subscription } = installBrowser();
    await subscribeToCampaign("./notifier", CAMPAIGN, 1, "en");
    await unsubscribeFromCampaign("./notifier", CAMPAIGN);
    const del = calls.find((c) => c.init.method === "DELETE")!;
    expect(JSON.parse(del.init.body as string)).toEqual({ endpoint: SUB.endpoint, campaign: CAMPAIGN });
    expect(followed()).toEqual({});
    expect(subscription.unsubscribe).toHaveBeenCalled();
  });

  it("sends nothing when the person refuses notifications", async () => {
    installBrowser({ permission: "denied" });
    await expect(subscribeToCampaign("./notifier", CAMPAIGN, 1, "en")).rejects.toMatchObject({
      code: "PERMISSION_DENIED",
    });
    expect(calls).toHaveLength(0);
  });

  it("passes on the notifier's refusal with its code and FR/EN message", async () => {
    installBrowser();
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) =>
        url.endsWith("/v1/vapid-public-key")
          ? new Response(JSON.stringify({ publicKey: SUB.keys.p256dh }))
          : new Response(
              JSON.stringify({ error: { code: "CAMPAIGN_OVER", message: { en: "over", fr: "terminée" } } }),
              { status: 409 },
            ),
      ),
    );
    const error = await subscribeToCampaign("./notifier", CAMPAIGN, 1, "en").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotifierRequestError);
    expect(error).toMatchObject({ code: "CAMPAIGN_OVER", localized: { en: "over", fr: "terminée" } });
    expect(followed()).toEqual({});
  });

  it("says why push cannot be offered", () => {
    installBrowser({ secure: false });
    expect(pushSupport()).toBe("insecure");
    installBrowser({ ios: true });
    expect(pushSupport()).toBe("ios-install");
    installBrowser({ permission: "denied" });
    expect(pushSupport()).toBe("denied");
    installBrowser();
    expect(pushSupport()).toBe("ok");
  });

  it("links the feed and the calendar entry in the reader's language", () => {
    expect(feedLinks("./notifier", CAMPAIGN, "fr")).toEqual({
      atom: `./notifier/v1/campaigns/${CAMPAIGN}/feed.atom?lang=fr`,
      ics: `./notifier/v1/campaigns/${CAMPAIGN}/event.ics?lang=fr`,
    });
  });
});

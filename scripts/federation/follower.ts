/**
 * A small, independent follower instance built with Fedify: one `Person` on its own https origin
 * (https://localhost:<port>), whose inbox verifies every delivery's HTTP signature and that the
 * signing key is the activity's actor's, as any Fedify server does, before recording it. It finds
 * a campaign by WebFinger (`acct:`, over https), sends it a signed Follow and, later, Undo.
 *
 * Shared by the loopback test (test/federation/loopback.test.ts), the browser test
 * (frontend/e2e/federation.e2e.ts) and the newcomer's second local instance, `npm run follow`
 * (follow.ts). It allows loopback addresses (Fedify's `allowPrivateAddress`): a local tool only.
 */
import { type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { decodeHTML } from "entities";
import { type Federation, MemoryKvStore, createFederation, generateCryptoKeyPair } from "@fedify/fedify";
import { Accept, Create, Endpoints, Follow, Group, Person, Undo, Update } from "@fedify/vocab";

async function toRequest(req: IncomingMessage, origin: string): Promise<{ request: Request; body: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return {
    request: new Request(new URL(req.url ?? "/", origin), {
      method: req.method,
      headers,
      body: hasBody ? new Uint8Array(body) : undefined,
    }),
    body,
  };
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

export interface Received {
  type: "Accept" | "Create" | "Update";
  /** The activity as the follower's Fedify verified and parsed it. */
  json: Record<string, unknown>;
}

/** A POST as it reached a follower: `spec` is the HTTP signature form it carried. */
export interface Post {
  path: string;
  body: string;
  spec: "rfc9421" | "draft-cavage" | "none";
}

function specOf(headers: IncomingMessage["headers"]): Post["spec"] {
  if (headers["signature-input"]) return "rfc9421";
  return headers.signature ? "draft-cavage" : "none";
}

export interface Follower {
  origin: string;
  actorId: URL;
  inbox: URL;
  sharedInbox: URL;
  /** Activities that passed the follower's signature check, in order. */
  received: Received[];
  /** Every POST body that reached the follower, before any check, with its path and signature form. */
  posts: Post[];
  federation: Federation<void>;
  /** The follower's RSA key pair (for tests that forge with another). */
  keys: CryptoKeyPair;
  follow(handle: string): Promise<{ group: Group; follow: Follow }>;
  unfollow(group: Group, follow: Follow): Promise<void>;
  close(): Promise<void>;
}

export interface FollowerOptions {
  /** Port to listen on, on 127.0.0.1 (default 0: any free port). */
  port?: number;
  /** Called with each activity that passed the signature check, as it arrives. */
  onReceive?: (received: Received) => void;
  /**
   * A server that knows only draft-cavage signatures (Mastodon before 4.5, Mobilizon): it answers
   * 401 to any POST signed with RFC 9421, before its Fedify sees it (the tests' older server).
   */
  cavageOnly?: boolean;
}

/** A small follower instance built with Fedify, on https://localhost:<port>, with this certificate (PEM). */
export async function startFollower(
  cert: { key: string; cert: string },
  name = "alice",
  options: FollowerOptions = {},
): Promise<Follower> {
  const received: Received[] = [];
  const posts: Post[] = [];
  let federation: Federation<void> | null = null;
  let origin = "";
  const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    void (async () => {
      const { request, body } = await toRequest(req, origin);
      const spec = specOf(req.headers);
      if (req.method === "POST") posts.push({ path: req.url ?? "", body: body.toString("utf8"), spec });
      if (req.method === "POST" && options.cavageOnly && spec === "rfc9421") {
        res.writeHead(401, { "content-type": "text/plain" });
        res.end("Only draft-cavage HTTP signatures are understood here.");
        return;
      }
      await send(res, await federation!.fetch(request, { contextData: undefined }));
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", () => done());
  });
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  federation = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true });
  federation
    .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
      if (identifier !== name) return null;
      const [pair] = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: name.charAt(0).toUpperCase() + name.slice(1),
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
        publicKey: pair.cryptographicKey,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === name ? [keys] : []));
  const record = (type: Received["type"]) => async (_ctx: unknown, activity: Accept | Create | Update) => {
    const entry = { type, json: (await activity.toJsonLd()) as Record<string, unknown> };
    received.push(entry);
    options.onReceive?.(entry);
  };
  federation
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Accept, record("Accept"))
    .on(Create, record("Create"))
    .on(Update, record("Update"));
  const ctx = federation.createContext(new URL(origin));
  let follows = 0;
  return {
    origin,
    actorId: ctx.getActorUri(name),
    inbox: ctx.getInboxUri(name),
    sharedInbox: ctx.getInboxUri(),
    received,
    posts,
    federation,
    keys,
    async follow(handle) {
      const group = await ctx.lookupObject(handle);
      if (!(group instanceof Group) || group.id == null) throw new Error(`${handle} is not a Group`);
      const follow = new Follow({
        id: new URL(`${origin}/follows/${++follows}`),
        actor: ctx.getActorUri(name),
        object: group.id,
      });
      await ctx.sendActivity({ identifier: name }, group, follow, { immediate: true });
      return { group, follow };
    },
    async unfollow(group, follow) {
      const undo = new Undo({
        id: new URL(`${origin}/undo/${++follows}`),
        actor: ctx.getActorUri(name),
        object: follow,
      });
      await ctx.sendActivity({ identifier: name }, group, undo, { immediate: true });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * `@campaign-0x…@host`, `campaign-0x…@host` or `acct:campaign-0x…@host` as the `acct:` URI
 * WebFinger takes; null when it is none of these.
 * @example acctOf("@campaign-0xab…@localhost:8791") // "acct:campaign-0xab…@localhost:8791"
 */
export function acctOf(handle: string): string | null {
  const m = /^(?:acct:|@)?([A-Za-z0-9._~-]+)@([A-Za-z0-9.-]+(?::\d{1,5})?)$/.exec(handle.trim());
  return m ? `acct:${m[1]}@${m[2]}` : null;
}

/** Content HTML as plain text: paragraphs and line breaks kept, tags dropped, entities decoded. */
export function plainText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*/gi, "\n\n")
    .replace(/<[^>]*>/g, "");
  return decodeHTML(text)
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const str = (x: unknown): string | undefined => (typeof x === "string" ? x : undefined);

/** The object's content in `lang` when it has it, or its default content, as plain text. */
function contentOf(object: Record<string, unknown>, lang?: string): string {
  const map = object.contentMap as Record<string, string> | undefined;
  const html = (lang && map?.[lang]) || str(object.content) || (map ? Object.values(map)[0] : "") || "";
  return plainText(html);
}

const NNBSP = "\u202f";

/**
 * One activity in plain words, for a terminal: a label in English and French, then the activity's
 * own content (in `lang` when it has it): what `npm run follow` prints for each verified delivery.
 * @example describeActivity({ type: "Accept", json }) // "Follow accepted / Abonnement accepté : https://…"
 */
export function describeActivity(r: Received, lang?: string): string {
  const object = (r.json.object ?? {}) as Record<string, unknown>;
  const kind = str(object.type);
  const actor = str(r.json.actor) ?? "?";
  const label = (en: string, fr: string) => `${en} / ${fr}${NNBSP}:`;
  if (r.type === "Accept") return `${label("Follow accepted", "Abonnement accepté")} ${actor}`;
  if (kind === "Event") {
    const when = str(object.startTime)?.slice(0, 10);
    const place = str((object.location as { name?: unknown } | undefined)?.name);
    const head = r.type === "Update" ? label("Event updated", "Événement mis à jour") : label("Event", "Événement");
    const facts = [when, place].filter(Boolean).join(", ");
    const url = str(object.url) ?? str(object.externalParticipationUrl);
    const body = r.type === "Update" ? contentOf(object, lang).split("\n")[0] : "";
    return [`${head} ${str(object.name) ?? "?"}${facts ? ` (${facts})` : ""}`, body, url].filter(Boolean).join("\n  ");
  }
  if (kind === "Note") {
    const text = contentOf(object, lang).replace(/\n+/g, "\n  ");
    return `${r.type === "Update" ? label("Note updated", "Note mise à jour") : label("Note", "Note")} ${text}`;
  }
  return `${r.type}: ${kind ?? "?"} ${str(object.id) ?? ""}`.trim();
}

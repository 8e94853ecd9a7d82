/**
 * The dApp's one origin: frontend/dist and its runtime configuration (/config.json), and the
 * services behind it (`PROXIED`), so the browser talks to this origin only (no third-party
 * request, no CORS to configure). Fastify with its own plugins: @fastify/http-proxy (over
 * @fastify/reply-from) forwards, @fastify/static serves the files, @fastify/helmet writes the
 * Content-Security-Policy (packages/core/src/csp.ts, the one the built index.html carries too).
 */
import path from "node:path";
import fastifyHelmet from "@fastify/helmet";
import fastifyHttpProxy from "@fastify/http-proxy";
import fastifyStatic from "@fastify/static";
import { CSP_DIRECTIVES } from "@bascule/core/csp";
import Fastify, { type FastifyInstance, type FastifyReply, type HTTPMethods } from "fastify";
import { readiness } from "../kit/http.js";

type Message = { code: string; en: string; fr: string };

/**
 * What the origin forwards: a path prefix, the service behind it, and the answer when that
 * service is not running. The same table makes the dev server's proxy (dev.ts).
 */
export const PROXIED = [
  { prefix: "/rpc", service: "rpc" },
  { prefix: "/relayer", service: "relayer", absent: { code: "NO_RELAYER", en: "No relayer", fr: "Pas de relais" } },
  {
    prefix: "/indexer",
    service: "indexer",
    // Read-only: the indexer's API answers GET only.
    readOnly: { code: "METHOD_NOT_ALLOWED", en: "The indexer is read-only", fr: "L’indexeur est en lecture seule" },
    absent: {
      code: "NO_INDEXER",
      en: "No indexer: the list is read from the chain",
      fr: "Pas d’indexeur : la liste est lue sur la chaîne",
    },
  },
  {
    prefix: "/notifier",
    service: "notifier",
    absent: { code: "NO_NOTIFIER", en: "No notifier", fr: "Pas de service de notifications" },
  },
  {
    prefix: "/attester",
    service: "attester",
    absent: { code: "NO_ATTESTER", en: "No attester service", fr: "Pas de service d'attestation" },
  },
] as const satisfies readonly { prefix: string; service: string; absent?: Message; readOnly?: Message }[];

export type Service = (typeof PROXIED)[number]["service"];

/** Each service's own URL; null when it is not running. */
export type Upstreams = { rpc: string } & Record<Exclude<Service, "rpc">, string | null>;

const UPSTREAM_DOWN: Message = { code: "UPSTREAM_DOWN", en: "Service unavailable", fr: "Service indisponible" };

/** The part of a reply `fail` uses (the proxy's error hook gives a reply of a wider server type). */
type Answer = { code(status: number): Answer; type(contentType: string): Answer; send(body: unknown): unknown };

function fail(reply: Answer, status: number, { code, en, fr }: Message): unknown {
  return reply
    .code(status)
    .type("application/json")
    .send({ error: { code, message: { en, fr } } });
}

/**
 * Serves `dist` and `config` on 127.0.0.1:`port` (0: any free port) and forwards `PROXIED` to `upstreams`.
 * @example const app = await serveDapp({ port: 0, dist, config, upstreams: { rpc, relayer: null, indexer: null, notifier: null, attester: null } });
 */
export async function serveDapp(options: {
  port: number;
  /** Default 127.0.0.1 (a reverse proxy in front: docs/operator-guide.md). */
  host?: string;
  dist: string;
  config: object;
  upstreams: Upstreams;
}): Promise<FastifyInstance> {
  // forceCloseConnections: close() ends kept-alive connections too, so the stack stops at once.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const configJson = JSON.stringify(options.config);

  app.setNotFoundHandler((_request, reply) => reply.code(404).type("text/plain").send("not found"));

  // Answers that need no service: the request's body is not read (no 400, 413 or 415 before them).
  const refusals: { url: string; methods: HTTPMethods[] | "ALL"; status: number; message: Message }[] = [];
  for (const { prefix, service, ...route } of PROXIED) {
    const upstream = options.upstreams[service];
    const readOnly = "readOnly" in route ? route.readOnly : undefined;
    if (!upstream) {
      if ("absent" in route) refusals.push({ url: `${prefix}/*`, methods: "ALL", status: 503, message: route.absent });
      continue;
    }
    await app.register(fastifyHttpProxy, {
      upstream,
      prefix,
      ...(readOnly ? { httpMethods: ["GET"] } : {}),
      replyOptions: {
        // Forward every answer as it is: no retry of a 503 (a service's own "not ready").
        retryDelay: () => null,
        onError: (reply) => void fail(reply, 502, UPSTREAM_DOWN),
      },
    });
    if (readOnly)
      refusals.push({
        url: `${prefix}/*`,
        methods: ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        status: 405,
        message: readOnly,
      });
  }
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    for (const { url, methods, status, message } of refusals) {
      const handler = (_request: unknown, reply: FastifyReply) => void fail(reply, status, message);
      if (methods === "ALL") scope.all(url, handler);
      else scope.route({ method: methods, url, handler });
    }
  });

  // Live, and ready when the chain behind /rpc answers (the services have their own /ready).
  app.get("/health", (_request, reply) => reply.header("cache-control", "no-store").send({ ok: true }));
  app.get("/ready", async (_request, reply) => {
    const answer = await readiness({
      chain: async () => {
        const response = await fetch(options.upstreams.rpc, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
          signal: AbortSignal.timeout(3_000),
        });
        return response.ok ? true : `the chain answers ${response.status}`;
      },
    });
    return reply
      .code(answer.ready ? 200 : 503)
      .header("cache-control", "no-store")
      .send(answer);
  });

  app.get("/config.json", (_request, reply) =>
    reply.header("cache-control", "no-store").type("application/json").send(configJson),
  );

  // The files, with the CSP (helmet only here: the services set their own headers).
  await app.register(async (files) => {
    await files.register(fastifyHelmet, {
      // The dApp's one policy (packages/core/src/csp.ts), with frame-ancestors, which only a header can carry.
      contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
      referrerPolicy: { policy: "no-referrer" },
      // The dApp's own policy and referrer rule only; helmet's other headers are each one option away.
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: false,
      originAgentCluster: false,
      strictTransportSecurity: false,
      xContentTypeOptions: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xFrameOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    });
    await files.register(fastifyStatic, {
      root: options.dist,
      cacheControl: false,
      setHeaders: (reply, file) => {
        const hashed = file.startsWith(path.join(options.dist, "assets") + path.sep);
        reply.header("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  });

  await app.listen({ port: options.port, host: options.host ?? "127.0.0.1" });
  return app;
}

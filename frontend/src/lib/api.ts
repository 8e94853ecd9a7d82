/**
 * The dApp's clients of the services' HTTP APIs: openapi-fetch over the paths generated from each
 * service's OpenAPI description (packages/core/src/generated/<service>-api.ts, `npm run gen:api`),
 * so a request or an answer that no longer matches a route fails the typecheck.
 *
 * Every call goes out as `fetch(url, init)` with the service URL as given: a relative one
 * ("./notifier", the dApp's own origin behind `npm start`) is resolved by the page, and no cookie
 * nor referrer goes with it.
 */
import createClient, { type Client } from "openapi-fetch";

/** What openapi-fetch builds for each call, handed to `fetch` as a URL and its init unchanged. */
class PageRequest {
  readonly method: string;
  constructor(
    readonly url: string,
    readonly init: RequestInit,
  ) {
    this.method = (init.method ?? "GET").toUpperCase();
  }
}

/**
 * A typed client of one service.
 * @example const { data, error, response } = await serviceClient<paths>("./relayer").GET("/status");
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- openapi-fetch's own bound on `paths`
export function serviceClient<Paths extends {}>(baseUrl: string): Client<Paths> {
  return createClient<Paths>({
    baseUrl,
    credentials: "omit",
    referrerPolicy: "no-referrer",
    Request: PageRequest as unknown as typeof Request,
    fetch: (request: Request) =>
      fetch((request as unknown as PageRequest).url, (request as unknown as PageRequest).init),
  });
}

/** The body of every service's refusal: a stable code and the message in English and French. */
export interface Refusal {
  error: { code: string; message: { en: string; fr: string }; details?: Record<string, unknown> };
}

/** Whether an answer's body is a service's refusal. */
export function isRefusal(body: unknown): body is Refusal {
  const error = (body as Partial<Refusal> | null)?.error;
  return (
    typeof error?.code === "string" && typeof error.message?.en === "string" && typeof error.message?.fr === "string"
  );
}

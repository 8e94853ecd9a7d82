/**
 * The one refusal shape of every service (relayer, attester, notifier): a stable code, an HTTP
 * status, and what to do next in English and French, which the dApp shows as is. A service lists
 * its own codes in a table that starts from HTTP_ERRORS, and throws its subclass of ServiceError.
 */

export interface LocalizedMessage {
  en: string;
  fr: string;
}

/** One entry of a service's error table. */
export interface ErrorDefinition {
  status: number;
  message: LocalizedMessage;
}

/** A service's error table: code → status and message. */
export type ErrorTable = Record<string, ErrorDefinition>;

/** The body of every refusal, from every service. */
export interface ErrorBody<Code extends string = string> {
  error: { code: Code; message: LocalizedMessage; details?: Record<string, unknown> };
}

/**
 * The codes the HTTP layer itself gives (kit/http.ts), the same in every service. A service's table
 * spreads these first and may reword a message for its own users.
 */
export const HTTP_ERRORS = {
  INVALID_REQUEST: {
    status: 400,
    message: {
      en: "The request is missing a field or has a field of the wrong type.",
      fr: "Il manque un champ à la requête, ou un champ n’a pas le bon type.",
    },
  },
  INVALID_JSON: {
    status: 400,
    message: { en: "The request is not valid JSON.", fr: "La requête n’est pas du JSON valide." },
  },
  BODY_TOO_LARGE: {
    status: 413,
    message: { en: "The request is too large.", fr: "La requête est trop volumineuse." },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: { en: "Send the request as application/json.", fr: "Envoyez la requête en application/json." },
  },
  NOT_FOUND: {
    status: 404,
    message: { en: "Nothing here.", fr: "Rien à cette adresse." },
  },
  METHOD_NOT_ALLOWED: {
    status: 405,
    message: { en: "This method is not allowed here.", fr: "Cette méthode n’est pas permise ici." },
  },
  RATE_LIMITED: {
    status: 429,
    message: {
      en: "Too many requests from your connection; try again in a few seconds.",
      fr: "Trop de requêtes depuis votre connexion\u202f; réessayez dans quelques secondes.",
    },
  },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: { en: "This site may not use this service.", fr: "Ce site n’a pas accès à ce service." },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: {
      en: "Something went wrong in the service. Try again shortly.",
      fr: "Un problème est survenu dans le service. Réessayez bientôt.",
    },
  },
} as const satisfies ErrorTable;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** A service's whole table: its own codes and every HTTP code. */
export type ServiceErrorTable = ErrorTable & Record<HttpErrorCode, ErrorDefinition>;

/**
 * A refusal, thrown anywhere in a service and turned into an HTTP answer by the kit's error handler.
 * Each service binds it to its table (`class RelayerError extends ServiceError<ErrorCode>`).
 * @example throw new ServiceError("NOT_FOUND", HTTP_ERRORS.NOT_FOUND);
 */
export class ServiceError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly definition: ErrorDefinition,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${definition.message.en}`);
    this.name = "ServiceError";
  }

  get status(): number {
    return this.definition.status;
  }

  /** The JSON body sent to the client. */
  toBody(): ErrorBody<Code> {
    const body: ErrorBody<Code> = { error: { code: this.code, message: this.definition.message } };
    if (this.details) body.error.details = this.details;
    return body;
  }
}

/** What a validation failure of Fastify's Ajv carries. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: { instancePath?: string; params?: Record<string, unknown> }[];
  validationContext?: string;
}

const FASTIFY_CODES: Record<string, HttpErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_BODY_TOO_LARGE: "BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "INVALID_REQUEST",
  FST_ERR_CTP_EMPTY_JSON_BODY: "INVALID_JSON",
  FST_ERR_CTP_INVALID_JSON_BODY: "INVALID_JSON",
};

const BY_STATUS: Partial<Record<number, HttpErrorCode>> = {
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "BODY_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

/**
 * The HTTP code of anything a Fastify app may throw: a failed schema is INVALID_REQUEST naming the
 * field (`pledge.support`, `query.lang`), any other 4xx keeps a 4xx code, and only what is left is
 * a fault of the service (null: the caller decides between INTERNAL_ERROR and its own 5xx codes).
 * @example httpErrorCode({ statusCode: 415, code: "FST_ERR_CTP_INVALID_MEDIA_TYPE" }) // { code: "UNSUPPORTED_MEDIA_TYPE" }
 */
export function httpErrorCode(error: unknown): { code: HttpErrorCode; details?: Record<string, unknown> } | null {
  const e = (error ?? {}) as FastifyLikeError;
  if (e.validation && e.validation.length > 0) {
    const first = e.validation[0];
    const base = (first.instancePath ?? "").split("/").filter(Boolean).join(".");
    const missing = typeof first.params?.missingProperty === "string" ? first.params.missingProperty : undefined;
    const extra = typeof first.params?.additionalProperty === "string" ? first.params.additionalProperty : undefined;
    const field = [e.validationContext === "body" ? "" : e.validationContext, base, missing ?? extra]
      .filter(Boolean)
      .join(".");
    return { code: "INVALID_REQUEST", details: { field: field || (e.validationContext ?? "body") } };
  }
  const status = typeof e.statusCode === "number" ? e.statusCode : 500;
  if (status < 400 || status >= 500) return null;
  const code =
    (e.code ? FASTIFY_CODES[e.code] : undefined) ??
    (error instanceof SyntaxError || /JSON|prototype|constructor/i.test(e.message ?? "")
      ? "INVALID_JSON"
      : (BY_STATUS[status] ?? "INVALID_REQUEST"));
  return { code };
}

/**
 * Every refusal the federation service gives on its own routes: a stable code, its HTTP status,
 * and a message in English and French. (Fedify answers the ActivityPub routes itself: 401 for a bad
 * signature, 404 for an unknown actor.)
 */
import { HTTP_ERRORS, ServiceError } from "../kit/errors.js";

export const ERRORS = {
  ...HTTP_ERRORS,
  BODY_TOO_LARGE: {
    status: 413,
    message: {
      en: "The activity is too large for this server.",
      fr: "L’activité est trop volumineuse pour ce serveur.",
    },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: {
      en: "Send the activity as application/activity+json or application/ld+json.",
      fr: "Envoyez l’activité en application/activity+json ou application/ld+json.",
    },
  },
  PRIVATE_ADDRESS: {
    status: 403,
    message: {
      en: "This server takes no activity from a private or loopback address.",
      fr: "Ce serveur ne reçoit aucune activité d’une adresse privée ou locale.",
    },
  },
} as const;

export type FederationErrorCode = keyof typeof ERRORS;

export class FederationError extends ServiceError<FederationErrorCode> {
  constructor(code: FederationErrorCode, details?: Record<string, unknown>) {
    super(code, ERRORS[code], details);
  }
}

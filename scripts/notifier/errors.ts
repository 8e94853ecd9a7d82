/**
 * Every refusal the notifier can give: a stable code, its HTTP status, and what to do next in
 * English and French. The dApp shows `message[lang]` as is.
 */
import { type ErrorDefinition, HTTP_ERRORS, ServiceError } from "../kit/errors.js";

export const ERRORS = {
  ...HTTP_ERRORS,
  INVALID_REQUEST: {
    status: 400,
    message: {
      en: "The request is missing a field or has a field of the wrong type. Reload the page and try again.",
      fr: "Il manque un champ à la requête, ou un champ n’a pas le bon type. Rechargez la page et réessayez.",
    },
  },
  UNKNOWN_CAMPAIGN: {
    status: 404,
    message: {
      en: "The notifier does not know this campaign (yet). Check the link, or try again in a minute if it was just created.",
      fr: "Le service de notifications ne connaît pas (encore) cette campagne. Vérifiez le lien, ou réessayez dans une minute si elle vient d’être créée.",
    },
  },
  CAMPAIGN_OVER: {
    status: 409,
    message: {
      en: "This campaign is over: there is nothing left to notify. Its feed stays available.",
      fr: "Cette campagne est terminée\u202f: il n’y a plus rien à notifier. Son fil reste disponible.",
    },
  },
  DATE_BEYOND_CALENDAR: {
    status: 422,
    message: {
      en: "This campaign's action date is past what a calendar entry can hold (after the year 9999): there is no calendar entry for it. Follow its feed instead.",
      fr: "La date d’action de cette campagne est au-delà de ce qu’une entrée d’agenda peut contenir (après l’an 9999)\u202f: il n’y a pas d’entrée d’agenda pour elle. Suivez plutôt son fil.",
    },
  },
  LEVEL_OUT_OF_RANGE: {
    status: 400,
    message: {
      en: "This threshold does not exist in this campaign.",
      fr: "Ce seuil n’existe pas dans cette campagne.",
    },
  },
  CONDITION_OUT_OF_RANGE: {
    status: 400,
    message: {
      en: "This campaign does not offer this condition on support. Reload the campaign's page and subscribe again.",
      fr: "Cette campagne ne propose pas cette condition de soutien. Rechargez la page de la campagne et abonnez-vous de nouveau.",
    },
  },
  PUSH_SERVICE_NOT_ALLOWED: {
    status: 400,
    message: {
      en: "This browser's push service is not one the notifier delivers to. Follow the campaign's feed instead.",
      fr: "Le service de notifications de ce navigateur n’est pas de ceux que nous desservons. Suivez plutôt le fil de la campagne.",
    },
  },
  INVALID_SUBSCRIPTION_KEYS: {
    status: 400,
    message: {
      en: "The browser gave invalid subscription keys. Unsubscribe in the browser's settings and try again.",
      fr: "Le navigateur a donné des clés d’abonnement invalides. Désabonnez-vous dans les réglages du navigateur et réessayez.",
    },
  },
  TOO_MANY_FOR_DEVICE: {
    status: 429,
    message: {
      en: "This device follows too many campaigns. Unsubscribe from a finished one first.",
      fr: "Cet appareil suit trop de campagnes. Désabonnez-vous d’abord d’une campagne terminée.",
    },
  },
  FULL: {
    status: 503,
    message: {
      en: "The notifier is full for now. Follow the campaign's feed instead, or try again later.",
      fr: "Le service de notifications est plein pour l’instant. Suivez plutôt le fil de la campagne, ou réessayez plus tard.",
    },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: {
      en: "Something went wrong on our side. Try again in a minute.",
      fr: "Une erreur s’est produite de notre côté. Réessayez dans une minute.",
    },
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** A refusal of the notifier, turned into an HTTP answer by kit/http.ts. */
export class NotifierError extends ServiceError<ErrorCode> {
  constructor(code: ErrorCode, details?: Record<string, unknown>) {
    super(code, ERRORS[code], details);
    this.name = "NotifierError";
  }
}

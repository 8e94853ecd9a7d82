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
  NOT_ORGANISER: {
    status: 403,
    message: {
      en: "This announcement is not signed by the campaign's organiser, nor by a key the organiser authorised for this campaign. Sign it with the organiser's wallet.",
      fr: "Cette annonce n’est signée ni par l’organisateur de la campagne, ni par une clé que l’organisateur a autorisée pour cette campagne. Signez-la avec le portefeuille de l’organisateur.",
    },
  },
  BAD_SIGNATURE: {
    status: 400,
    message: {
      en: "The announcement's signature does not match its text and signer: it was changed after signing. Write it again and sign it.",
      fr: "La signature de l’annonce ne correspond pas à son texte et à son signataire\u202f: elle a été modifiée après signature. Rédigez-la de nouveau et signez-la.",
    },
  },
  BAD_DELEGATION: {
    status: 400,
    message: {
      en: "The authorisation that comes with this announcement is not for the key that signed it. Authorise the key again from the organiser's wallet.",
      fr: "L’autorisation jointe à cette annonce ne porte pas sur la clé qui l’a signée. Autorisez de nouveau la clé depuis le portefeuille de l’organisateur.",
    },
  },
  DELEGATION_EXPIRED: {
    status: 403,
    message: {
      en: "The organiser's authorisation of this key has expired. Authorise the key again from the organiser's wallet.",
      fr: "L’autorisation de cette clé par l’organisateur a expiré. Autorisez de nouveau la clé depuis le portefeuille de l’organisateur.",
    },
  },
  DELEGATION_REVOKED: {
    status: 403,
    message: {
      en: "The organiser has revoked this key: it can no longer announce for this campaign. Ask the organiser, who can authorise a new key.",
      fr: "L’organisateur a révoqué cette clé\u202f: elle ne peut plus publier d’annonce pour cette campagne. Demandez à l’organisateur, qui peut autoriser une nouvelle clé.",
    },
  },
  REVOCATION_NOT_ORGANISER: {
    status: 403,
    message: {
      en: "Only the campaign's organiser can revoke a key. Sign the revocation with the organiser's wallet.",
      fr: "Seul l’organisateur de la campagne peut révoquer une clé. Signez la révocation avec le portefeuille de l’organisateur.",
    },
  },
  REVOCATION_BAD_SIGNATURE: {
    status: 400,
    message: {
      en: "The revocation's signature does not match its content and signer: it was changed after signing. Sign it again.",
      fr: "La signature de la révocation ne correspond pas à son contenu et à son signataire\u202f: elle a été modifiée après signature. Signez-la de nouveau.",
    },
  },
  REVOCATION_WRONG_CAMPAIGN: {
    status: 422,
    message: {
      en: "This revocation was signed for another campaign: it cannot be used here.",
      fr: "Cette révocation a été signée pour une autre campagne\u202f: elle ne peut pas servir ici.",
    },
  },
  REVOCATION_WRONG_CHAIN: {
    status: 422,
    message: {
      en: "This revocation was signed for another network than the one this notifier watches.",
      fr: "Cette révocation a été signée pour un autre réseau que celui que surveille ce service de notifications.",
    },
  },
  REVOCATION_FROM_THE_FUTURE: {
    status: 400,
    message: {
      en: "The revocation takes effect later than now: check your device's clock and sign it again.",
      fr: "La révocation prend effet plus tard que maintenant\u202f: vérifiez l’horloge de votre appareil et signez-la de nouveau.",
    },
  },
  REVOCATION_BAD_TIME: {
    status: 400,
    message: {
      en: "The revocation's time is not a valid date. Sign it again.",
      fr: "L’heure de la révocation n’est pas une date valide. Signez-la de nouveau.",
    },
  },
  ALREADY_REVOKED: {
    status: 409,
    message: {
      en: "This key is already revoked for this campaign, from that time or earlier.",
      fr: "Cette clé est déjà révoquée pour cette campagne, à partir de ce moment ou plus tôt.",
    },
  },
  TOO_MANY_REVOCATIONS: {
    status: 429,
    message: {
      en: "This campaign has as many revoked keys as the notifier keeps. Nothing more can be revoked for it here.",
      fr: "Cette campagne a autant de clés révoquées que le service de notifications en garde. Plus rien ne peut être révoqué pour elle ici.",
    },
  },
  WRONG_CAMPAIGN: {
    status: 422,
    message: {
      en: "This announcement was signed for another campaign: it cannot be published here.",
      fr: "Cette annonce a été signée pour une autre campagne\u202f: elle ne peut pas être publiée ici.",
    },
  },
  WRONG_CHAIN: {
    status: 422,
    message: {
      en: "This announcement was signed for another network than the one this notifier watches.",
      fr: "Cette annonce a été signée pour un autre réseau que celui que surveille ce service de notifications.",
    },
  },
  TOO_LARGE: {
    status: 413,
    message: {
      en: "The announcement is too long. Shorten it: the limit is in the details (title 120, text 2,000, place 200 characters).",
      fr: "L’annonce est trop longue. Raccourcissez-la\u202f: la limite est dans le détail (titre 120, texte 2\u202f000, lieu 200 caractères).",
    },
  },
  EMPTY: {
    status: 400,
    message: {
      en: "An announcement needs a title and a text.",
      fr: "Une annonce a besoin d’un titre et d’un texte.",
    },
  },
  BAD_TIME: {
    status: 400,
    message: {
      en: "The announcement's time is not a date a calendar can hold. Choose another.",
      fr: "L’heure de l’annonce n’est pas une date qu’un agenda peut contenir. Choisissez-en une autre.",
    },
  },
  FROM_THE_FUTURE: {
    status: 400,
    message: {
      en: "The announcement says it was written later than now: check your device's clock and sign it again.",
      fr: "L’annonce dit avoir été écrite plus tard que maintenant\u202f: vérifiez l’horloge de votre appareil et signez-la de nouveau.",
    },
  },
  BAD_SUCCESSOR: {
    status: 400,
    message: {
      en: "The successor must be another campaign's address.",
      fr: "La campagne qui prend la suite doit être l’adresse d’une autre campagne.",
    },
  },
  UNKNOWN_SUCCESSOR: {
    status: 422,
    message: {
      en: "The notifier does not know the successor campaign: create it first (from the same factory), then point to it.",
      fr: "Le service de notifications ne connaît pas la campagne qui prend la suite\u202f: créez-la d’abord (avec la même fabrique), puis désignez-la.",
    },
  },
  NOT_FAILED: {
    status: 409,
    message: {
      en: "A successor can only be given once the campaign has failed (resolved with no threshold reached).",
      fr: "Une campagne qui prend la suite ne peut être désignée qu’une fois la campagne échouée (résolue sans aucun seuil atteint).",
    },
  },
  REPLAYED: {
    status: 409,
    message: {
      en: "This announcement is already published.",
      fr: "Cette annonce est déjà publiée.",
    },
  },
  DUPLICATE: {
    status: 409,
    message: {
      en: "Another announcement in this language was signed at the same second. Sign this one again.",
      fr: "Une autre annonce dans cette langue a été signée à la même seconde. Signez celle-ci de nouveau.",
    },
  },
  TOO_MANY_ANNOUNCEMENTS: {
    status: 429,
    message: {
      en: "This campaign has as many announcements as the notifier keeps. Nothing more can be published for it here.",
      fr: "Cette campagne a autant d’annonces que le service de notifications en garde. Rien de plus ne peut être publié pour elle ici.",
    },
  },
  CHAIN_UNREACHABLE: {
    status: 503,
    message: {
      en: "The notifier could not read the campaign's organiser from the chain. Try again in a minute.",
      fr: "Le service de notifications n’a pas pu lire l’organisateur de la campagne sur la chaîne. Réessayez dans une minute.",
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

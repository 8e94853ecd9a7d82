/**
 * Every refusal the attester service can give: a stable code, an HTTP status, a message in English
 * and French (the dApp shows `message[locale]` as is). Same body shape as the relayer's.
 */
import { type ErrorBody, type ErrorDefinition, HTTP_ERRORS, ServiceError } from "../kit/errors.js";

export const ATTESTER_ERRORS = {
  ...HTTP_ERRORS,
  CODE_UNKNOWN: {
    status: 404,
    message: {
      en: "This invite code does not exist. Check it letter by letter, or ask your union for a new one.",
      fr: "Ce code d’invitation n’existe pas. Vérifiez-le caractère par caractère, ou demandez-en un nouveau à votre syndicat.",
    },
  },
  CODE_USED: {
    status: 409,
    message: {
      en: "This invite code has already been used: each code gives one pledge. If it was not you, tell your union.",
      fr: "Ce code d’invitation a déjà servi\u202f: chaque code donne droit à un seul engagement. Si ce n’était pas vous, prévenez votre syndicat.",
    },
  },
  CODE_REVOKED: {
    status: 410,
    message: {
      en: "This invite code was cancelled by your union. Ask them for a new one.",
      fr: "Ce code d’invitation a été annulé par votre syndicat. Demandez-leur-en un nouveau.",
    },
  },
  CODE_OTHER_CAMPAIGN: {
    status: 409,
    message: {
      en: "This invite code is for another campaign. Open the link printed on your card.",
      fr: "Ce code d’invitation est celui d’une autre campagne. Ouvrez le lien imprimé sur votre carte.",
    },
  },
  CODE_WRONG_CAMPAIGN: {
    status: 409,
    message: {
      en: "This union service signs for another campaign: this page is not your union's campaign (perhaps a look-alike). Your code was not used; open the link printed on your card.",
      fr: "Ce service syndical signe pour une autre campagne\u202f: cette page n’est pas celle de votre syndicat (peut-être une imitation). Votre code n’a pas été utilisé\u202f; ouvrez le lien imprimé sur votre carte.",
    },
  },
  KEY_CAMPAIGN_SET: {
    status: 409,
    message: {
      en: "This campaign key already signs for another campaign; a key's campaign never changes. Create a new key.",
      fr: "Cette clé signe déjà pour une autre campagne\u202f; la campagne d’une clé ne change jamais. Créez une nouvelle clé.",
    },
  },
  KEY_UNKNOWN: {
    status: 404,
    message: {
      en: "This union service does not sign for this campaign. Check the campaign link.",
      fr: "Ce service syndical ne signe pas pour cette campagne. Vérifiez le lien de la campagne.",
    },
  },
  BLINDED_INVALID: {
    status: 400,
    message: {
      en: "The request from your browser is malformed; reload the page and try again. Your code was not used.",
      fr: "La demande de votre navigateur est mal formée\u202f; rechargez la page et réessayez. Votre code n’a pas été utilisé.",
    },
  },
  UNAUTHORIZED: {
    status: 401,
    message: {
      en: "Organiser token missing or wrong: use the token the service printed when it started.",
      fr: "Jeton d’organisation absent ou erroné\u202f: utilisez le jeton affiché par le service à son démarrage.",
    },
  },
  DESK_UNAUTHORIZED: {
    status: 401,
    message: {
      en: "Desk clerk token missing or wrong: use the desk token your union's organiser gave you (printed by the attester service when it started).",
      fr: "Jeton de guichet absent ou erroné\u202f: utilisez le jeton de guichet remis par l’organisation de votre syndicat (affiché par le service d’attestation à son démarrage).",
    },
  },
  ALREADY_PAID: {
    status: 409,
    message: {
      en: "This claim is already marked paid: do not pay it again. The details say when and by which clerk.",
      fr: "Cette demande est déjà marquée payée\u202f: ne la payez pas une seconde fois. Le détail dit quand et par quel guichetier ou guichetière.",
    },
  },
  TOO_MANY_CODES: {
    status: 400,
    message: {
      en: "Create between 1 and 10,000 codes at a time.",
      fr: "Créez entre 1 et 10 000 codes à la fois.",
    },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: {
      en: "Something went wrong in the union's service; your code was not used. Try again shortly.",
      fr: "Un problème est survenu dans le service du syndicat\u202f; votre code n’a pas été utilisé. Réessayez bientôt.",
    },
  },
} as const satisfies Record<string, ErrorDefinition>;

export type AttesterErrorCode = keyof typeof ATTESTER_ERRORS;

export type AttesterErrorBody = ErrorBody<AttesterErrorCode>;

/** A refusal of the attester, turned into an HTTP answer by kit/http.ts. */
export class AttesterError extends ServiceError<AttesterErrorCode> {
  constructor(code: AttesterErrorCode, details?: Record<string, unknown>) {
    super(code, ATTESTER_ERRORS[code], details);
    this.name = "AttesterError";
  }
}

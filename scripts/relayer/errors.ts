/**
 * Every refusal the relayer can give, with its HTTP status and its message in English and French.
 * The dApp shows `message[locale]` as is; `code` is stable and may be matched on.
 */

import { type ErrorBody as ServiceErrorBody, type ErrorDefinition, HTTP_ERRORS, ServiceError } from "../kit/errors.js";

export const ERRORS = {
  ...HTTP_ERRORS,
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: { en: "This site may not use the relayer.", fr: "Ce site n’a pas accès au relais." },
  },
  UNKNOWN_CAMPAIGN: {
    status: 404,
    message: {
      en: "The Bascule factory does not know this campaign on this network: it may be a copy or a mistyped address. Check the campaign's link with its organisers.",
      fr: "La fabrique Bascule ne connaît pas cette campagne sur ce réseau\u202f: c’est peut-être une copie ou une adresse mal saisie. Vérifiez le lien de la campagne auprès de ses organisateurs.",
    },
  },
  POW_REQUIRED: {
    status: 403,
    message: {
      en: "This open campaign asks for a short computation from your device before a first pledge. Update the page and try again.",
      fr: "Cette campagne ouverte demande un court calcul à votre appareil avant un premier engagement. Mettez la page à jour et réessayez.",
    },
  },
  INVALID_POW: {
    status: 403,
    message: {
      en: "The computation sent with this pledge is not valid for this campaign and this pledge key. Try again.",
      fr: "Le calcul envoyé avec cet engagement n’est pas valable pour cette campagne et cette clé. Réessayez.",
    },
  },
  INVALID_SIGNATURE: {
    status: 400,
    message: {
      en: "The signature is not valid. Your pledge key may be damaged.",
      fr: "La signature n’est pas valide. Votre clé d’engagement est peut-être abîmée.",
    },
  },
  PLEDGE_DEADLINE_PASSED: {
    status: 409,
    message: {
      en: "The pledge deadline has passed: pledges can no longer be made or changed.",
      fr: "La date limite est passée\u202f: les engagements ne peuvent plus être pris ni modifiés.",
    },
  },
  LEVEL_OUT_OF_RANGE: {
    status: 400,
    message: {
      en: "This threshold does not exist in this campaign.",
      fr: "Ce seuil n’existe pas dans cette campagne.",
    },
  },
  SUPPORT_ABOVE_CAP: {
    status: 400,
    message: {
      en: "The support requested is above this campaign's cap.",
      fr: "Le soutien demandé dépasse le plafond de cette campagne.",
    },
  },
  INVALID_NONCE: {
    status: 409,
    message: {
      en: "This pledge is out of sequence: a newer change of it was already recorded. Reload and try again.",
      fr: "Cet engagement n’est plus à jour\u202f: une modification plus récente a déjà été enregistrée. Rechargez et réessayez.",
    },
  },
  DUPLICATE_PLEDGE: {
    status: 409,
    message: {
      en: "This pledge was already received; it will not be sent twice.",
      fr: "Cet engagement a déjà été reçu\u202f; il ne sera pas envoyé deux fois.",
    },
  },
  NOT_PLEDGED: {
    status: 409,
    message: {
      en: "There is no pledge to withdraw for this key.",
      fr: "Il n’y a aucun engagement à retirer pour cette clé.",
    },
  },
  VOUCHER_REQUIRED: {
    status: 403,
    message: {
      en: "This campaign needs the organisers' voucher for your pledge key.",
      fr: "Cette campagne exige la validation de votre clé d’engagement par les organisateurs.",
    },
  },
  INVALID_VOUCHER: {
    status: 403,
    message: {
      en: "The voucher was not signed by this campaign's attester for this pledge key.",
      fr: "La validation n’a pas été signée par l’attestataire de cette campagne pour cette clé.",
    },
  },
  INVALID_VOUCHER_LENGTH: {
    status: 400,
    message: {
      en: "The voucher does not have the length this campaign's attester accepts: it is damaged or meant for another campaign. Ask the organisers for a new one.",
      fr: "La validation n’a pas la longueur qu’accepte l’attestataire de cette campagne\u202f: elle est abîmée ou destinée à une autre campagne. Demandez-en une nouvelle aux organisateurs.",
    },
  },
  PLEDGE_ALREADY_RECORDED: {
    status: 409,
    message: {
      en: "This pledge is already recorded on the network: there is nothing more to send.",
      fr: "Cet engagement est déjà enregistré sur le réseau\u202f: il n’y a plus rien à envoyer.",
    },
  },
  TOO_MANY_CHANGES: {
    status: 429,
    message: {
      en: "This pledge has been changed through the relayer as often as it allows for now; it will take the next change later. You can also send the change with a wallet.",
      fr: "Cet engagement a été modifié par le relais autant de fois qu’il le permet pour l’instant\u202f; il acceptera la prochaine modification plus tard. Vous pouvez aussi envoyer la modification avec un portefeuille.",
    },
  },
  FINAL_LOCK_ACTIVE: {
    status: 409,
    message: {
      en: "The campaign's final lock holds: until the deadline, pledges may not be withdrawn nor raised to a higher threshold or support.",
      fr: "Le verrou final de la campagne est actif\u202f: jusqu’à la date limite, on ne peut plus retirer un engagement ni le porter à un seuil ou un soutien plus élevé.",
    },
  },
  CONDITION_OUT_OF_RANGE: {
    status: 400,
    message: {
      en: "This campaign does not offer this condition on support; choose one of its conditions, or none.",
      fr: "Cette campagne ne propose pas cette condition de soutien\u202f; choisissez l’une de ses conditions, ou aucune.",
    },
  },
  FINAL_LOCK_NEW_CONDITION: {
    status: 409,
    message: {
      en: "The campaign's final lock holds: until the deadline, a new pledge cannot carry a condition on support, and a pledge without one cannot take one on. You may still pledge without a condition.",
      fr: "Le verrou final de la campagne est actif\u202f: jusqu’à la date limite, un nouvel engagement ne peut plus être assorti d’une condition de soutien, et un engagement sans condition ne peut plus en prendre une. Vous pouvez encore vous engager sans condition.",
    },
  },
  FINAL_LOCK_CONDITION_FROZEN: {
    status: 409,
    message: {
      en: "The campaign's final lock holds: until the deadline, a pledge with a condition may only lower its support request, not to zero; its threshold and its condition stay as they are.",
      fr: "Le verrou final de la campagne est actif\u202f: jusqu’à la date limite, un engagement assorti d’une condition peut seulement réduire le soutien demandé, sans aller jusqu’à zéro\u202f; son seuil et sa condition restent tels quels.",
    },
  },
  LEVEL_LIMIT_EXCEEDED: {
    status: 409,
    message: {
      en: "This threshold cannot count more pledges or support in this campaign; choose another one.",
      fr: "Ce seuil ne peut plus compter d’engagements ni de soutien dans cette campagne\u202f; choisissez-en un autre.",
    },
  },
  NOT_RESOLVED: {
    status: 409,
    message: {
      en: "The campaign has not been resolved yet; claims open after resolution.",
      fr: "La campagne n’est pas encore dépouillée\u202f; les demandes de soutien ouvrent ensuite.",
    },
  },
  CAMPAIGN_FAILED: {
    status: 409,
    message: {
      en: "The campaign did not reach any threshold: no support is paid, and donations are refunded.",
      fr: "La campagne n’a atteint aucun seuil\u202f: aucun soutien n’est versé et les dons sont remboursés.",
    },
  },
  PLEDGE_NOT_TRIGGERED: {
    status: 409,
    message: {
      en: "This pledge was not triggered, so it has no support to claim.",
      fr: "Cet engagement n’a pas été déclenché\u202f: il n’ouvre droit à aucun soutien.",
    },
  },
  ALREADY_CLAIMED: {
    status: 409,
    message: { en: "This support has already been claimed.", fr: "Ce soutien a déjà été réclamé." },
  },
  DUPLICATE_CLAIM: {
    status: 409,
    message: {
      en: "A claim for this pledge key is already being processed.",
      fr: "Une demande de soutien pour cette clé est déjà en cours.",
    },
  },
  NOTHING_TO_CLAIM: {
    status: 409,
    message: {
      en: "There is no support to claim for this pledge.",
      fr: "Il n’y a aucun soutien à réclamer pour cet engagement.",
    },
  },
  CLAIM_WINDOW_CLOSED: {
    status: 409,
    message: {
      en: "The period for claiming support has ended.",
      fr: "La période pour réclamer le soutien est terminée.",
    },
  },
  PARTICIPATION_PENDING: {
    status: 409,
    message: {
      en: "The organisers have not yet published who took part; try again later.",
      fr: "Les organisateurs n’ont pas encore publié la liste des participants\u202f; réessayez plus tard.",
    },
  },
  NOT_A_PARTICIPANT: {
    status: 403,
    message: {
      en: "This pledge key is not in the published list of participants.",
      fr: "Cette clé d’engagement ne figure pas dans la liste publiée des participants.",
    },
  },
  WRONG_FEE_RECIPIENT: {
    status: 400,
    message: {
      en: "The claim must name this relayer as fee recipient (see /status).",
      fr: "La demande doit désigner ce relais comme bénéficiaire des frais (voir /status).",
    },
  },
  FEE_TOO_LOW: {
    status: 400,
    message: {
      en: "The largest fee allowed is below what this relayer charges (see /status).",
      fr: "Les frais maximaux autorisés sont inférieurs à ceux de ce relais (voir /status).",
    },
  },
  ZERO_PAYEE: {
    status: 400,
    message: { en: "The payee address is missing.", fr: "L’adresse du bénéficiaire manque." },
  },
  PAYEE_LOSES_SUPPORT: {
    status: 400,
    message: {
      en: "This payee is the campaign, its factory or its token contract, not a wallet: the support sent there would be lost. Sign the claim again to a wallet you hold.",
      fr: "Ce bénéficiaire est la campagne, sa fabrique ou le contrat de son jeton, pas un portefeuille\u202f: le soutien versé là serait perdu. Signez à nouveau la réclamation vers un portefeuille que vous détenez.",
    },
  },
  SIMULATION_FAILED: {
    status: 422,
    message: {
      en: "The network would refuse this transaction.",
      fr: "Le réseau refuserait cette transaction.",
    },
  },
  TRANSACTION_FAILED: {
    status: 500,
    message: {
      en: "The transaction failed on the network; nothing was recorded.",
      fr: "La transaction a échoué sur le réseau\u202f; rien n’a été enregistré.",
    },
  },
  CHAIN_UNAVAILABLE: {
    status: 503,
    message: {
      en: "The relayer cannot reach the network right now; try again shortly.",
      fr: "Le relais ne joint pas le réseau pour le moment\u202f; réessayez bientôt.",
    },
  },
  NO_PARTICIPATION_ORACLE: {
    status: 409,
    message: {
      en: "This campaign names no participation oracle: nobody can publish who took part.",
      fr: "Cette campagne ne désigne aucun oracle de participation\u202f: personne ne peut publier qui était présent.",
    },
  },
  PARTICIPATION_ALREADY_PUBLISHED: {
    status: 409,
    message: {
      en: "Who took part is already published for this campaign; it cannot be changed.",
      fr: "La liste des présents est déjà publiée pour cette campagne\u202f; elle ne peut plus changer.",
    },
  },
  NOT_THE_ORGANISER: {
    status: 403,
    message: {
      en: "This list is not signed by the campaign's organiser: only the organiser's wallet can send it.",
      fr: "Cette liste n’est pas signée par l’organisateur de la campagne\u202f: seul son portefeuille peut l’envoyer.",
    },
  },
  PARTICIPATION_CLOCK: {
    status: 400,
    message: {
      en: "This list was signed too long ago (or in the future): sign it again.",
      fr: "Cette liste a été signée il y a trop longtemps (ou dans le futur)\u202f: signez-la de nouveau.",
    },
  },
  PARTICIPATION_OLDER: {
    status: 409,
    message: {
      en: "A list signed later is already with the keeper: this older one was not kept.",
      fr: "Une liste signée plus tard est déjà chez le gardien\u202f: celle-ci, plus ancienne, n’a pas été gardée.",
    },
  },
  NO_PARTICIPATION_DIR: {
    status: 503,
    message: {
      en: "This relayer does not pass lists to a keeper.",
      fr: "Ce relais ne transmet pas de liste à un gardien.",
    },
  },
  INTERNAL_ERROR: {
    status: 500,
    message: { en: "Something went wrong in the relayer.", fr: "Un problème est survenu dans le relais." },
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The body of every refusal. */
export type ErrorBody = ServiceErrorBody<ErrorCode>;

/** A refusal, thrown anywhere in the relayer and turned into an HTTP answer at the edge (kit/http.ts). */
export class RelayerError extends ServiceError<ErrorCode> {
  constructor(code: ErrorCode, details?: Record<string, unknown>) {
    super(code, ERRORS[code], details);
    this.name = "RelayerError";
  }
}

/** The relayer's code for a campaign custom error (see ICampaign), when there is one. */
export const CONTRACT_ERRORS: Partial<Record<string, ErrorCode>> = {
  PledgeDeadlinePassed: "PLEDGE_DEADLINE_PASSED",
  InvalidSignature: "INVALID_SIGNATURE",
  InvalidNonce: "INVALID_NONCE",
  LevelOutOfRange: "LEVEL_OUT_OF_RANGE",
  SupportAboveCap: "SUPPORT_ABOVE_CAP",
  NotPledged: "NOT_PLEDGED",
  InvalidVoucher: "INVALID_VOUCHER",
  NotResolved: "NOT_RESOLVED",
  CampaignFailed: "CAMPAIGN_FAILED",
  PledgeNotTriggered: "PLEDGE_NOT_TRIGGERED",
  AlreadyClaimed: "ALREADY_CLAIMED",
  NothingToClaim: "NOTHING_TO_CLAIM",
  ClaimWindowClosed: "CLAIM_WINDOW_CLOSED",
  ParticipationPending: "PARTICIPATION_PENDING",
  NotAParticipant: "NOT_A_PARTICIPANT",
  ZeroPayee: "ZERO_PAYEE",
  FinalLockActive: "FINAL_LOCK_ACTIVE",
  LevelLimitExceeded: "LEVEL_LIMIT_EXCEEDED",
  ConditionOutOfRange: "CONDITION_OUT_OF_RANGE",
};

/**
 * The relayer's code for each `SkipReason` of the `PledgeSkipped` event, in the enum's order
 * (InvalidSignature, InvalidNonce, InvalidVoucher, LevelOutOfRange, SupportAboveCap, NotPledged,
 * FinalLock, LevelLimitExceeded, ConditionOutOfRange). A batch item skipped for FinalLock is given the
 * general code: the event does not say which of the lock's rules it broke (the relayer's own check
 * before queueing names it).
 */
export const SKIP_REASONS: readonly ErrorCode[] = [
  "INVALID_SIGNATURE",
  "INVALID_NONCE",
  "INVALID_VOUCHER",
  "LEVEL_OUT_OF_RANGE",
  "SUPPORT_ABOVE_CAP",
  "NOT_PLEDGED",
  "FINAL_LOCK_ACTIVE",
  "LEVEL_LIMIT_EXCEEDED",
  "CONDITION_OUT_OF_RANGE",
];

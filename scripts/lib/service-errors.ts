/**
 * The shape every service's refusals share (relayer, attester, notifier): a stable code, an HTTP
 * status, and what to do next in English and French, which the dApp shows as is.
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
